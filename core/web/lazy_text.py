"""A lazy translated string asked for an attribute no string has answers without translating.

Flask-AppBuilder sets up each view by asking every attribute of it whether it has ``_urls``,
``_permission_name`` …; an attribute that is a lazy string (a title, a label) answered by
translating itself first (``LazyString.__getattr__``: ``str(self)``, then the attribute of the
text): ~5,400 translations at every start, for attributes no ``str`` has. A string has exactly
the attributes of its type (it has no ``__dict__``), so the answer is the same without
translating; an attribute a string has is still read from the translated text.
"""

from __future__ import annotations

from flask_babel.speaklater import LazyString

_STRING_ATTRIBUTES = frozenset(dir(str))
_original = LazyString.__getattr__


def _getattr(self, attr):
    if attr not in _STRING_ATTRIBUTES:  # also "__setstate__", which Flask-Babel refuses by name
        raise AttributeError(attr)
    return getattr(str(self), attr)


def install_lazy_text() -> None:
    LazyString.__getattr__ = _getattr
