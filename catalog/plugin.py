"""The catalog as a built-in module: the shared entities every other module builds on."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import lazy_gettext as _l

from catalog import expenditure_views, fleet_views, views
from catalog.expenditures import EconomicClass, Expenditure
from catalog.holidays import Holiday
from catalog.models import Establishment, Jurisdiction, Organization, Person, Standard
from catalog.schemas import (
    DesignatedSupplierSchema,
    EconomicClassSchema,
    EstablishmentSchema,
    ExpenditureSchema,
    HolidaySchema,
    JurisdictionSchema,
    OrganizationSchema,
    PersonSchema,
    StandardSchema,
    VehicleCategorySchema,
)
from catalog.suppliers import DesignatedSupplier
from catalog.vehicle_categories import VehicleCategory
from core.api import Derivation, Guard, Module, ViewSpec, db, hookimpl
from core.registry import EntityType, Scope

MENU = "Catalog"
MENU_LABEL = _l("基础数据")


@hookimpl
def register_module():
    return Module(
        key="catalog", label=_l("基础数据目录"), version="0.1.0", articles=(2, 8, 11, 12, 43),
        description=_l("行政区划、单位、人员、标准定额与数据目录"), required=True,
        contract=">=1.0,<2",
    )


@hookimpl
def register_entity_types():
    return [
        EntityType(
            key="jurisdiction", label=_l("行政区划"), model=Jurisdiction,
            scope=Scope(jurisdiction="id", shared_up=True), schema=JurisdictionSchema,
            sharing="unconditional", update_cycle=_l("按区划调整"), access="reference",
            description=_l("GB/T 2260 行政区划代码及上下级关系"), natural_keys=("name", "code"),
            api_columns=("id", "code", "name", "level", "parent_id", "path", "retired_on"),
        ),
        EntityType(
            key="organization", label=_l("单位"), model=Organization,
            # a record may name the organisations of its own jurisdiction and those above it
            # (the bureau as title holder), not only its own
            scope=Scope(organization="id", jurisdiction="jurisdiction_id", referable_below=True),
            schema=OrganizationSchema, sharing="unconditional", update_cycle=_l("实时"),
            access="reference",
            description=_l("各级人民政府及其部门（第二条），其他国家机关、事业单位、人民团体（第四十三条）"),
            natural_keys=("name", "uscc"),  # XLSX: shown by name, found by name or USCC
            api_columns=("id", "name", "uscc", "org_type", "organ_level", "is_bureau", "is_finance",
                         "parent_id",
                         "jurisdiction_id"),
        ),
        EntityType(
            key="establishment", label=_l("编制核定"), model=Establishment,
            scope=Scope(organization="organization_id"), schema=EstablishmentSchema,
            sharing="conditional", update_cycle=_l("按编制核定决定"), access="reference",
            description=_l("单位的行政编制、事业编制、实有人数、领导职数，按生效日期（第十二条定员定额）"),
            api_columns=("id", "organization_id", "administrative", "institutional", "actual",
                         "leaders", "effective_from", "decision", "approved_by", "note"),
        ),
        EntityType(
            key="person", label=_l("工作人员"), model=Person,
            scope=Scope(organization="organization_id"), schema=PersonSchema,
            sharing="conditional", update_cycle=_l("实时"),
            description=_l("姓名、职级、所在单位"),
            api_columns=("id", "name", "rank", "title", "organization_id"),
        ),
        EntityType(
            key="standard", label=_l("标准定额"), model=Standard,
            scope=Scope(jurisdiction="jurisdiction_id", shared_up=True), schema=StandardSchema,
            sharing="unconditional", update_cycle=_l("按文件调整"), access="reference",
            description=_l("实物定额与服务标准，带生效、失效日期（第十一条）"),
            api_columns=("id", "kind", "key", "value", "text_value", "unit", "jurisdiction_id",
                         "effective_from", "effective_to", "basis", "backdate_reason"),
        ),
        EntityType(
            key="economic_class", label=_l("支出经济分类"), model=EconomicClass,
            scope=Scope(public=True), schema=EconomicClassSchema, sharing="unconditional",
            update_cycle=_l("按财政部修订"), access="reference",
            description=_l("财政部《政府收支分类科目》部门预算支出经济分类：类、款及其有效期"
                           "（第十条、第十三条）"),
            natural_keys=("code", "name"),
            api_columns=("id", "code", "name", "parent_id", "level", "requires_invoice",
                         "effective_from", "effective_to", "basis"),
        ),
        EntityType(
            key="holiday", label=_l("节假日安排"), model=Holiday,
            # a jurisdiction's bureau keeps its own periods; every level below reads them
            scope=Scope(jurisdiction="jurisdiction_id", shared_up=True), schema=HolidaySchema,
            sharing="unconditional", update_cycle=_l("按年度放假通知"), access="reference",
            description=_l("国务院和自治区的法定节假日放假安排，公务用车节假日封存停驶据此执行"
                           "（第二十九条）"),
            natural_keys=("name",),
            api_columns=("id", "name", "starts_on", "ends_on", "jurisdiction_id", "basis"),
        ),
        EntityType(
            key="designated_supplier", label=_l("定点供应商"), model=DesignatedSupplier,
            scope=Scope(jurisdiction="jurisdiction_id", shared_up=True),
            schema=DesignatedSupplierSchema, sharing="unconditional",
            update_cycle=_l("按定点协议调整"), access="reference",
            description=_l("机关事务管理部门确定的公务用车定点维修、定点保险、定点加油（充电）供应商"
                           "及其定点期限（第二十九条）"),
            natural_keys=("name", "uscc"),
            api_columns=("id", "kind", "name", "uscc", "address", "jurisdiction_id",
                         "effective_from", "effective_to", "basis"),
        ),
        EntityType(
            key="vehicle_category", label=_l("公务用车类别"), model=VehicleCategory,
            scope=Scope(public=True), schema=VehicleCategorySchema, sharing="unconditional",
            update_cycle=_l("按规定调整"), access="reference",
            description=_l("机要通信、应急保障、执法执勤、特种专业技术和其他用车，及各类别编制的核定部门"
                           "（第二十七条）"),
            natural_keys=("name", "code"),
            api_columns=("id", "code", "name", "establishment_body", "effective_from",
                         "effective_to", "basis"),
        ),
        EntityType(
            # read-only on every generic path (Expenditure.__jiguan_read_only__, guard_ledger)
            key="expenditure", label=_l("支出台账"), model=Expenditure,
            scope=Scope(organization="organization_id", jurisdiction="jurisdiction_id",
                        derive_jurisdiction=True),
            schema=ExpenditureSchema, sharing="conditional", update_cycle=_l("实时"),
            description=_l("各模块在审批、结算时按支出经济分类登记的支出，供经费统计"
                           "（第十条、第十三条、第十五条）"),
            search_fields=("payee", "description", "source_number"),
            api_columns=("id", "spent_on", "organization_id", "jurisdiction_id",
                         "economic_class_id", "amount", "payee", "description", "person_times",
                         "batch", "source_module", "source_type", "source_id", "source_number"),
        ),
    ]


@hookimpl
def register_views():
    common = dict(category=MENU, category_label=MENU_LABEL, category_icon="fa-database")
    return [
        ViewSpec(views.CatalogView, "Data Catalog", _l("数据目录"), icon="fa-book", **common),
        ViewSpec(views.JurisdictionView, "Jurisdictions", _l("行政区划"), icon="fa-map", **common),
        ViewSpec(views.OrganizationView, "Organizations", _l("单位名录"), icon="fa-building",
                 **common),
        ViewSpec(views.EstablishmentView, "Establishments", _l("编制核定"), icon="fa-id-badge",
                 **common),
        ViewSpec(views.PersonView, "People", _l("工作人员"), icon="fa-users", **common),
        ViewSpec(views.StandardView, "Standards", _l("标准定额"), icon="fa-balance-scale",
                 **common),
        ViewSpec(expenditure_views.EconomicClassView, "Economic Classes", _l("支出经济分类"),
                 icon="fa-sitemap", **common),
        ViewSpec(expenditure_views.ExpenditureView, "Expenditures", _l("支出台账"),
                 icon="fa-jpy", **common),
        ViewSpec(fleet_views.HolidayView, "Holidays", _l("节假日安排"), icon="fa-calendar",
                 **common),
        ViewSpec(fleet_views.DesignatedSupplierView, "Designated Suppliers", _l("定点供应商"),
                 icon="fa-wrench", **common),
        ViewSpec(fleet_views.VehicleCategoryView, "Vehicle Categories", _l("公务用车类别"),
                 icon="fa-car", **common),
        ViewSpec(views.CatalogApi, "CatalogApi", menu=False),
    ]


@hookimpl
def find_standard(session, kind, key, jurisdiction, on):
    from catalog.models import standard_in_force

    return standard_in_force(session, kind, key, jurisdiction, on)


@hookimpl
def register_derivations():
    from catalog.rules import derive_organ_level
    from catalog.standards import recheck_below, unit_of_kind
    from core.tenancy import materialise_path

    return [
        Derivation("catalog.jurisdiction_path", Jurisdiction, materialise_path),
        Derivation("catalog.organ_level", Organization, derive_organ_level),
        Derivation("catalog.standard_unit", Standard, unit_of_kind),
        Derivation("catalog.standard_recheck_below", Standard, recheck_below,
                   on=("create", "update", "delete")),
    ]


@hookimpl
def register_write_guards():
    from catalog.expenditures import guard_ledger

    return [Guard("catalog.ledger", guard_ledger)]


@hookimpl
def register_rules():
    from catalog.rules import RULES

    return RULES


@hookimpl
def register_reports():
    from catalog.reports import REPORTS

    return REPORTS


@hookimpl
def register_cli_commands():
    @click.command("load-divisions")
    @click.option("--csv", "path", type=click.Path(exists=True, dir_okay=False),
                  help="CSV code,name,level,parent (GB/T 2260; townships with 12-digit statistical "
                       "codes); default: the shipped Xinjiang list")
    @with_appcontext
    def load_divisions_command(path):
        """载入行政区划代码（已有的跳过）。"""
        from pathlib import Path

        from catalog.divisions import DIVISIONS_CSV, load_divisions

        before = db.session.query(Jurisdiction).count()
        load_divisions(db.session, Path(path) if path else DIVISIONS_CSV)
        db.session.commit()
        after = db.session.query(Jurisdiction).count()
        click.echo(f"行政区划：新增 {after - before} 个，共 {after} 个")

    @click.command("load-economic-classes")
    @click.option("--csv", "path", type=click.Path(exists=True, dir_okay=False),
                  help="CSV code,name,parent_code,level,requires_invoice,effective_from,basis; "
                       "default: the shipped 部门预算支出经济分类")
    @with_appcontext
    def load_economic_classes_command(path):
        """载入支出经济分类科目（已有的科目代码跳过）。"""
        from pathlib import Path

        from catalog.expenditures import ECONOMIC_CLASSES_CSV, load_economic_classes

        added = load_economic_classes(db.session, Path(path) if path else ECONOMIC_CLASSES_CSV)
        db.session.commit()
        total = db.session.query(EconomicClass).count()
        click.echo(f"支出经济分类：新增 {added} 个，共 {total} 个")

    @click.command("load-holidays")
    @click.option("--csv", "path", type=click.Path(exists=True, dir_okay=False),
                  help="CSV jurisdiction_code,name,starts_on,ends_on,basis; default: the shipped "
                       "calendar (catalog/data/holidays.csv)")
    @with_appcontext
    def load_holidays_command(path):
        """载入节假日安排（同一辖区、同名、同一开始日期的跳过；有错误的文件整体不载入）。"""
        from pathlib import Path

        from catalog.holidays import HOLIDAYS_CSV, load_holidays

        added = _load_all_or_nothing(load_holidays, Path(path) if path else HOLIDAYS_CSV)
        total = db.session.query(Holiday).count()
        click.echo(f"节假日安排：新增 {added} 条，共 {total} 条")

    @click.command("load-vehicle-categories")
    @click.option("--csv", "path", type=click.Path(exists=True, dir_okay=False),
                  help="CSV code,name,establishment_body,effective_from,basis; default: the shipped "
                       "categories (catalog/data/vehicle-categories.csv)")
    @with_appcontext
    def load_vehicle_categories_command(path):
        """载入公务用车类别（已有的类别代码跳过；有错误的文件整体不载入）。"""
        from pathlib import Path

        from catalog.vehicle_categories import VEHICLE_CATEGORIES_CSV, load_vehicle_categories

        added = _load_all_or_nothing(load_vehicle_categories,
                                     Path(path) if path else VEHICLE_CATEGORIES_CSV)
        total = db.session.query(VehicleCategory).count()
        click.echo(f"公务用车类别：新增 {added} 个，共 {total} 个")

    return [load_divisions_command, load_economic_classes_command, load_holidays_command,
            load_vehicle_categories_command]


def _load_all_or_nothing(loader, path) -> int:
    """Run a catalog loader and commit, or roll everything back and exit non-zero with its
    Chinese message (a bad row, a row a rule refuses)."""
    from core.errors import WriteRefused

    try:
        added = loader(db.session, path)
        db.session.commit()
    except (ValueError, WriteRefused) as exc:
        db.session.rollback()
        raise click.ClickException(f"{getattr(exc, 'message', None) or exc}；未写入任何记录") from exc
    return added


@hookimpl
def load_demo_data(ctx):
    from catalog.demo import load_catalog_demo

    load_catalog_demo(ctx)
