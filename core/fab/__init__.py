"""The Flask-AppBuilder adapter the services build on: the scoped data interface, type-ahead
relation fields, capped counts, and — in ``adapter`` alone — every override of a FAB private
method, each turned into a public hook."""

from core.fab import lazy_fields, schema_hooks, slots_dispatch

lazy_fields.install()  # before any module's schema class is created (the services load first)
schema_hooks.install()  # likewise
slots_dispatch.install()  # before the first mapper configuration (a module's first interface)
