"""The web service: Flask-AppBuilder's screens and APIs over the kernel (docs/architecture.md).

``views`` holds the base classes every module's screens and APIs use, ``install`` builds
FAB with every contributed view, ``security`` the roles and the security manager, ``auth``
the one authentication step, ``openapi`` the API document; ``plugin`` installs the service
through the module hooks. FAB's private methods are reached only through core/fab/.
"""
