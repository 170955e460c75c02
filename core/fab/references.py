"""A relation to another module's entity type by its registry key, without importing that module.

A plugin never imports another plugin (docs/plugins.md), yet an inspection of an asset card
must point to the card. So the referencing model declares the column by key::

    asset_id = entity_reference("asset", nullable=False)

and the core links it at start-up, once every module's entity types are registered (the
models were imported earlier, while the plugins loaded, when no registry existed yet):
:func:`resolve_references` checks that the key is registered and that its module is one the
referencing module's manifest ``depends`` on — else start-up is refused naming both — then
adds the ``ForeignKey`` to the target's primary key (so ``create_all`` and Alembic's
autogenerate see it) and a many-to-one ``relationship`` named after the column without
``_id``. From then on the link is like any other: forms offer the rows the writer may
reference, the API takes ``{"asset": id}``, the XLSX names the card by its natural key, and
the write pipeline's scope step refuses a link outside the writer's reach.
"""

from __future__ import annotations

from flask_appbuilder import Model
from sqlalchemy import Column, ForeignKey, Integer, inspect
from sqlalchemy.orm import SynonymProperty, relationship

from core.plugins import PluginError

#: ``Column.info`` keys of a reference: the entity-type key and the relationship's name.
REFERENCE = "jiguan_entity_reference"
RELATIONSHIP = "jiguan_reference_relationship"


def entity_reference(key: str, *, nullable: bool = True, index: bool = True,
                     relationship: str | None = None, **kwargs) -> Column:
    """A column pointing to a row of the entity type ``key`` (of a module this one depends on).

    The relationship is named after the column without ``_id`` (``asset_id`` → ``asset``)
    unless ``relationship`` names it. Other keywords go to ``Column`` (``comment``, ``doc``).
    """
    info = {**kwargs.pop("info", {}), REFERENCE: key, RELATIONSHIP: relationship}
    return Column(Integer, nullable=nullable, index=index, info=info, **kwargs)


def _package(plugin) -> str:
    """The package a plugin's models live in: ``plugins.assets`` for ``plugins.assets.plugin``."""
    name = getattr(plugin, "__name__", None) or type(plugin).__module__
    return name.rpartition(".")[0] if name.endswith(".plugin") else name


def _owner(state, model) -> str | None:
    """The loaded module a model belongs to: its entity type's, else the plugin whose package
    holds it; None for a model of a module not loaded (disabled)."""
    entity = state.entities.for_model(model)
    if entity is not None:
        return entity.module
    for key, info in state.plugins.items():
        package = _package(info.plugin)
        if model.__module__ == package or model.__module__.startswith(package + "."):
            return key
    return None


def _relationship_name(model, column) -> str:
    name = column.info.get(RELATIONSHIP)
    if name:
        return name
    if not column.key.endswith("_id"):
        raise PluginError(f"{model.__name__}.{column.key}：引用实体类型的列名应以 _id 结尾，"
                          f"或用 relationship= 指定关系名")
    return column.key[:-3]


def _link(model, column, target) -> None:
    """The foreign key and the relationship, once per process (later apps find them in place)."""
    pk = inspect(target.model).primary_key[0]
    if not column.foreign_keys:
        column.append_foreign_key(ForeignKey(pk))
    elif not any(fk.references(pk.table) for fk in column.foreign_keys):
        raise PluginError(f"{model.__name__}.{column.key} 已有指向其他表的外键，不能再引用 {target.key!r}")
    mapper = inspect(model)
    name = _relationship_name(model, column)
    existing = mapper.attrs.get(name)
    if existing is None:
        mapper.add_property(name, relationship(target.model, foreign_keys=[column]))
    elif getattr(existing, "mapper", None) is None or existing.mapper.class_ is not target.model:
        raise PluginError(f"{model.__name__}.{name} 已被占用，不能作为引用 {target.key!r} 的关系名")


def resolve_references(state) -> None:
    """Link every ``entity_reference`` column of the loaded modules' models (see the module doc).

    Raises ``PluginError`` — start-up stops — for an unknown key, or a key of a module the
    referencing module does not declare in ``depends``.
    """
    linked = set()
    for mapper in sorted(Model.registry.mappers, key=lambda m: m.class_.__name__):
        model = mapper.class_
        for column in mapper.local_table.columns:
            key = column.info.get(REFERENCE)
            if not key:
                continue
            owner = _owner(state, model)
            if owner is None:
                continue
            target = state.entities.get(key)
            if target is None:
                raise PluginError(f"模块 {owner!r} 的 {model.__name__}.{column.key} 引用的实体类型 "
                                  f"{key!r} 不存在（未注册，或其模块未加载）")
            if target.module != owner and target.module not in state.plugins[owner].module.depends:
                raise PluginError(f"模块 {owner!r} 的 {model.__name__}.{column.key} 引用了模块 "
                                  f"{target.module!r} 的实体类型 {key!r}，但模块 {owner!r} 的清单未在 "
                                  f"depends 中声明 {target.module!r}")
            _link(model, column, target)
            linked.add(model)
    _resolve_keyed(state, state.rules)
    _resolve_keyed(state, state.derivations)
    for _module, spec in state.views:  # FAB's interfaces were built at import, before the links
        datamodel = getattr(spec.view, "datamodel", None)
        if datamodel is not None and datamodel.obj in linked:
            refresh_interface(datamodel)


def _resolve_keyed(state, table: dict) -> None:
    """Rules and derivations a module registered on another module's entity type by its key
    (``Rule(model="asset")``: a vehicle module following its cards) go to that type's model;
    the key must be one the module's manifest depends on, as for a reference."""
    for key in [k for k in table if isinstance(k, str)]:
        target = state.entities.get(key)
        for owner, item in table.pop(key):
            if target is None:
                raise PluginError(f"模块 {owner!r} 的 {item.key!r} 针对的实体类型 {key!r} 不存在")
            if target.module != owner and target.module not in state.plugins[owner].module.depends:
                raise PluginError(f"模块 {owner!r} 的 {item.key!r} 针对模块 {target.module!r} 的实体类型 "
                                  f"{key!r}，但模块 {owner!r} 的清单未在 depends 中声明 {target.module!r}")
            table.setdefault(target.model, []).append((owner, item))


def refresh_interface(datamodel) -> None:
    """Let a FAB interface built before a relationship was added know it."""
    for prop in inspect(datamodel.obj).iterate_properties:
        if not isinstance(prop, SynonymProperty):
            datamodel.list_properties.setdefault(prop.key, prop)
