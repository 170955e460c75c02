"""The entity-type registry: the data catalog (数据目录) of every module."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Sharing = Literal["unconditional", "conditional", "none"]
#: What may happen to a row instead of a plain delete (docs/architecture.md, "Operations").
DeletePolicy = Literal["allow", "draft", "void"]

SHARING_LABELS = {
    "unconditional": "无条件共享",
    "conditional": "有条件共享",
    "none": "不予共享",
}


@dataclass(frozen=True)
class Scope:
    """How a row reaches the organisation and jurisdiction it belongs to.

    ``organization`` / ``jurisdiction`` name the model's foreign-key columns
    (or ``"id"`` on the Organization / Jurisdiction models themselves).
    ``shared_up`` makes rows of *ancestor* jurisdictions readable too — for
    reference data such as standards that apply down the tree; they are never
    writable from below. ``public`` is for national reference data that belongs
    to no organisation (a classification): every user with a scope reads it,
    only the system admin writes it.

    The write pipeline fills the scope columns itself on every write, so no module
    copies them by hand (docs/architecture.md, "The write pipeline"):

    ``parent`` names the many-to-one relationship to the record this row belongs to
    (a line of its document): its organisation and jurisdiction are the parent's, and
    a line of a submitted or approved document cannot be added, changed, moved out or
    removed — unless ``locked_with_parent`` is off (the proceeds of an approved disposal).
    ``derive_jurisdiction`` makes the jurisdiction column the organisation's jurisdiction.

    ``shared_up_only(model)`` gives the clause the rows shared below must meet (a bureau's
    notices once published, not its drafts); its own level and those above read every row.

    ``referable_below`` lets writers at the row's jurisdiction and below point to it
    from their own records without reading it otherwise: the bureau of a jurisdiction as
    a title holder, later the rooms of a building its other organisations use. Every
    other foreign key a write sets must point to a row the writer may read.
    """

    organization: str | None = None
    jurisdiction: str | None = None
    shared_up: bool = False
    shared_up_only: Callable[[Any], Any] | None = None
    public: bool = False
    parent: str | None = None
    locked_with_parent: bool = True
    derive_jurisdiction: bool = False
    referable_below: bool = False


@dataclass(frozen=True)
class StateField:
    """A column only named operations change (``core.workflow.operations``), never a form, PUT or import.

    ``name`` is the column (a foreign key covers its relationship too). ``initial`` lists
    the values a generic *create* (add form, POST, XLSX import) may choose; ``None``
    lets a create set any value (an owner organisation, a custodian), after which only
    operations and approval effects change it. ``labels`` name the values in messages
    and forms (lazy gettext strings).
    """

    name: str
    initial: tuple | None = None
    labels: dict | None = None


@dataclass(frozen=True)
class EntityType:
    """One entity type of the catalog, as a module registers it."""

    key: str
    label: Any
    model: type
    scope: Scope
    schema: type | None = None
    sharing: Sharing = "conditional"
    update_cycle: Any = "实时"
    description: Any = ""
    #: Access class for the built-in roles: records | reference | oversight | audit.
    access: str = "records"
    #: Columns the generated REST API lists; ``None`` takes the schema's fields.
    api_columns: tuple[str, ...] | None = None
    #: XLSX (docs/xlsx.md): the columns a row of another type names this one by, most readable
    #: first (export shows the first; import accepts any). ``None``: the unique text columns, then
    #: ``name``.
    natural_keys: tuple[str, ...] | None = None
    #: XLSX: the columns an import fills, in order; ``None`` takes the add form's columns.
    import_columns: tuple[str, ...] | None = None
    #: XLSX: code columns and their labels (``{"status": {"in_use": _l("在用")}}``), for types
    #: without a screen whose add form has ``choice_field``s; the screen's choices win.
    choices: dict[str, dict] | None = None
    #: Columns only operations change (see :class:`StateField`); the generic add/edit forms,
    #: the REST API's POST/PUT and the XLSX import cannot (``core.workflow.operations``).
    state_fields: tuple[StateField, ...] = ()
    #: ``"allow"`` (plain delete), ``"draft"`` (delete only while a draft or rejected: an
    #: approval record) or ``"void"`` (never deleted; voided, 作废, with a reason). ``None``:
    #: ``"draft"`` for a model with the approval workflow, else ``"allow"``.
    delete_policy: DeletePolicy | None = None
    #: Text (or labelled code) columns the global search and the list's quick search look in
    #: (docs/search.md); ``None``: the list screen's text columns; ``()``: not searched.
    search_fields: tuple[str, ...] | None = None
    #: The kinds of files a record takes (``core.attachments.kinds.AttachmentKinds``); ``None``:
    #: none declared.
    attachments: Any = None
    #: Set by the core: the module that registered this type.
    module: str = ""

    @property
    def api_path(self) -> str:
        return f"/api/v1/{self.key}/"


class EntityRegistry:
    """Entity types by key and by model class."""

    def __init__(self) -> None:
        self._by_key: dict[str, EntityType] = {}
        self._by_model: dict[type, EntityType] = {}

    def add(self, entity: EntityType) -> None:
        if entity.key in self._by_key:
            raise ValueError(f"实体类型 {entity.key!r} 重复注册")
        self._by_key[entity.key] = entity
        self._by_model[entity.model] = entity

    def __iter__(self):
        return iter(self._by_key.values())

    def __len__(self) -> int:
        return len(self._by_key)

    def get(self, key: str) -> EntityType | None:
        return self._by_key.get(key)

    def for_model(self, model: type) -> EntityType | None:
        for klass in model.__mro__:
            if klass in self._by_model:
                return self._by_model[klass]
        return None
