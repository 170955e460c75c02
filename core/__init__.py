"""jiguan's thin core: app factory, plugin contract, scoping, activation, rules, audit."""


def create_app(config=None):
    from core.app import create_app as factory

    return factory(config)


__all__ = ["create_app"]
