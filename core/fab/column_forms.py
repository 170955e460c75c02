"""Form fields for the portable column types FAB's form converter lacks (``core.fab.column_types``).

FAB leaves a ``Time`` column off the form ("Type not supported") and the page fails to
render; it reads an ``Interval`` as a date-time, a ``JSON`` column as plain text (saving the
text, not the value) and a ``LargeBinary`` as a text box showing the bytes. The base view
(``ScopedModelView``) builds its add and edit forms with :class:`PortableFormConverter`, so
every plugin gets a time field, an enum select with labels, a JSON box checked as JSON, a
duration field and a file upload, with Chinese messages.
"""

from __future__ import annotations

from flask_appbuilder.fieldwidgets import BS3TextAreaFieldWidget, BS3TextFieldWidget, Select2Widget
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from werkzeug.datastructures import FileStorage
from wtforms import Field, SelectField, StringField, TextAreaField, validators
from wtforms.widgets import FileInput, html_params

from core.fab.adapter import FabFormConverter
from core.fab.column_types import (
    duration_text,
    enum_choices,
    enum_code,
    enum_value,
    json_text,
    kind_of,
    parse_duration,
    parse_json,
    parse_time,
    time_text,
)


class TimeInput:
    """``<input type="time">``: the browser's own time picker, HH:MM."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        value = field._value()
        step = 1 if value.count(":") == 2 else 60
        return Markup("<input %s>" % html_params(type="time", name=field.name, value=value, step=step,
                                                 class_="form-control", **kwargs))


class ParsedTextField(StringField):
    """A text field whose text is parsed into a value (``parse`` raises ValueError in Chinese)."""

    parse = staticmethod(lambda text: text)
    show = staticmethod(str)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.show(self.data) if self.data is not None else ""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "") or ""
        if not text.strip():
            self.data = None
            return
        self.data = self.parse(text)  # a ValueError becomes this field's error


class TimeField(ParsedTextField):
    parse = staticmethod(parse_time)
    show = staticmethod(time_text)
    widget = TimeInput()


class DurationField(ParsedTextField):
    parse = staticmethod(parse_duration)
    show = staticmethod(duration_text)
    widget = BS3TextFieldWidget()


class JsonField(TextAreaField):
    """A JSON value typed as text: shown pretty, refused with the line and column when invalid."""

    widget = BS3TextAreaFieldWidget()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return json_text(self.data)

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "") or ""
        self.data = parse_json(text) if text.strip() else None


class EnumField(SelectField):
    """A select of an Enum column's codes with their labels; the value is what the ORM stores."""

    #: its empty control follows from the column alone (core/fab/search_fields.py keeps it)
    jiguan_static_control = True

    def __init__(self, label=None, validators=None, column=None, blank: bool = False, **kwargs):
        self.column = column
        choices = [(code, lbl) for code, lbl in enum_choices(column).items()]
        if blank:
            choices.insert(0, ("", _l("（不填）")))
        super().__init__(label, validators, coerce=self._coerce, choices=choices, **kwargs)

    def _coerce(self, value):
        if value is None or value == "":
            return None
        if isinstance(value, str) and value not in enum_choices(self.column):
            return value  # an unknown code: refused by pre_validate, not a KeyError
        return enum_value(self.column, value if isinstance(value, str) else enum_code(value))

    def iter_choices(self):
        current = enum_code(self.data)
        for code, label in self.choices:
            yield code, label, code == (current or ""), {}

    def pre_validate(self, form):
        if self.data is not None and enum_code(self.data) not in enum_choices(self.column):
            raise validators.ValidationError(_("不是可选的值"))


class FileBytesField(Field):
    """A file stored in the column: uploaded, never shown; the edit form keeps it unless replaced."""

    widget = FileInput()

    def _value(self):
        return ""

    def process_formdata(self, valuelist):
        uploads = [v for v in valuelist if isinstance(v, FileStorage) and v.filename]
        self.uploaded = uploads[0].read() if uploads else None
        self.data = self.uploaded if uploads else self.data

    def populate_obj(self, obj, name):
        if getattr(self, "uploaded", None) is not None:
            setattr(obj, name, self.uploaded)


class _Uploaded:
    """``InputRequired`` for a file on the add form; an edit keeps the stored file unless replaced
    (the base view marks an edit form with the record's ``_id``)."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        if getattr(field, "uploaded", None) is None and getattr(form, "_id", None) is None:
            raise validators.StopValidation(_("必填，请选择文件"))


def portable_field(kind: str, column, label, description, extra_validators, default=None):
    """The form field of a column of a portable ``kind`` (``core.fab.column_types.kind_of``)."""
    required = not column.nullable and column.default is None and column.server_default is None
    if kind == "binary":
        checks = [_Uploaded()] if required else []
        return FileBytesField(label, [*checks, *extra_validators], description=description)
    checks = [validators.InputRequired(_("必填，不能为空"))] if required else [validators.Optional()]
    common = dict(description=description, default=default)
    if kind == "enum":
        return EnumField(label, [*checks, *extra_validators], column=column, blank=not required,
                         widget=Select2Widget(), **common)
    field_class = {"time": TimeField, "duration": DurationField, "json": JsonField}[kind]
    return field_class(label, [*checks, *extra_validators], **common)


class PortableFormConverter(FabFormConverter):
    """FAB's converter, with fields for the portable types it lacks (``portable_field``)."""

    def column_field(self, col_name, label, description, validators):
        column = self.datamodel.list_columns.get(col_name)
        kind = kind_of(column) if column is not None else None
        if kind is None:
            return None
        return portable_field(kind, column, label, description, validators,
                              default=self.datamodel.get_col_default(col_name))
