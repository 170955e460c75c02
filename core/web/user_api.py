"""FAB's REST API of users (``/api/v1/security/users/``), as the user screen has it.

FAB's own requires an e-mail, knows nothing of the organisation that scopes a user and answers
in English. Here, as on the form (core/web/security.py): the e-mail is optional (NULL when
blank), the organisation is required on creation and must exist, roles are also given by their
Chinese labels, and a refusal is one Chinese message naming each field.
"""

from __future__ import annotations

from flask import request
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.sqla.apis.user.api import UserApi
from flask_appbuilder.security.sqla.apis.user.schema import UserPostSchema, UserPutSchema
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, pre_load, validates

from core.fab.validation import chinese_message
from core.web.security import USER_LABELS, JiguanUser, _blank_to_none


def _organization_exists(organization_id) -> None:
    from core.extensions import db
    from core.tenancy import Organization

    if organization_id is not None and db.session.get(Organization, organization_id) is None:
        raise ValidationError(_("所选的单位不存在"))


def _blank_email_is_none(data):
    """A blank address is no address (NULL), as on the form: several users may have none."""
    if isinstance(data, dict) and isinstance(data.get("email"), str) and not data["email"].strip():
        return {**data, "email": None}
    return data


class JiguanUserPostSchema(UserPostSchema):
    model_cls = JiguanUser
    email = fields.Email(required=False, allow_none=True, load_default=None)
    #: FAB's last_name is NOT NULL in the table but a unit account has no 姓
    last_name = fields.String(required=False, load_default="")
    organization_id = fields.Integer(required=True)

    @pre_load
    def _blank_email(self, data, **_kwargs):
        return _blank_email_is_none(data)

    @validates("organization_id")
    def _known_organization(self, value, **_kwargs):
        _organization_exists(value)


class JiguanUserPutSchema(UserPutSchema):
    model_cls = JiguanUser
    email = fields.Email(required=False, allow_none=True)
    organization_id = fields.Integer(required=False, allow_none=False)

    @pre_load
    def _blank_email(self, data, **_kwargs):
        return _blank_email_is_none(data)

    @validates("organization_id")
    def _known_organization(self, value, **_kwargs):
        _organization_exists(value)


#: FAB's own English refusals of this API, said in Chinese
_MESSAGES = {
    "At least one of 'roles' or 'groups' must be provided and non-empty.": _l("请至少选择一个角色"),
    "Not a valid email address.": _l("不是有效的电子邮箱地址"),
}


def _chinese(text) -> str:
    text = str(text)
    if text in _MESSAGES:
        return str(_MESSAGES[text])
    if text.startswith("Role(s) with ID(s)"):
        return _("所选的角色不存在")
    return chinese_message(text)


class JiguanUserApi(UserApi):
    datamodel = SQLAInterface(JiguanUser)
    list_columns = [*UserApi.list_columns, "organization.id", "organization.name", "role_labels"]
    show_columns = list_columns
    add_columns = [*UserApi.add_columns, "organization_id"]
    edit_columns = add_columns
    label_columns = {**USER_LABELS, "role_labels": _l("角色"), "organization_id": _l("所属单位")}
    add_model_schema = JiguanUserPostSchema()
    edit_model_schema = JiguanUserPutSchema()

    def pre_add(self, item):
        _blank_to_none(item)
        super().pre_add(item)

    def post_add(self, item):
        """FAB's POST builds its own ``User()``, which does not map the organisation: bind it now
        (the schema has checked it exists), in the request that created the user."""
        from sqlalchemy import update

        organization_id = (request.get_json(silent=True) or {}).get("organization_id")
        session = self.datamodel.session
        session.execute(update(JiguanUser.__table__).where(JiguanUser.__table__.c.id == item.id)
                        .values(organization_id=organization_id))
        session.commit()
        super().post_add(item)

    def pre_update(self, item, data):
        _blank_to_none(item)
        super().pre_update(item, data)

    def response_422(self, message=None):
        """The database's refusal of a name or address already taken, in Chinese."""
        if isinstance(message, str) and ("UNIQUE" in message.upper() or "duplicate" in message):
            return self.response(422, message=_("用户名或电子邮箱已被其他用户使用"))
        return super().response_422(message=message)

    def response_400(self, message=None):
        """A refusal as one Chinese message naming each field, the per-field ones in ``errors``."""
        if not isinstance(message, dict):
            return super().response_400(message=_chinese(message) if message else message)
        errors = {name: [_chinese(m) for m in (texts if isinstance(texts, list) else [texts])]
                  for name, texts in message.items()}
        labels = {name: str(label) for name, label in self.label_columns.items()}
        text = "；".join(reason if name == "_schema" else f"{labels.get(name, name)}：{reason}"
                        for name, reasons in errors.items() for reason in ["；".join(reasons)])
        return self.response(400, message=text, errors=errors)
