"""Fixtures of the housing tests: ``housing`` makes a test's own units (a building named with the
test's digits), people of an organisation and tenancies, written as the system before the test's
own writes, and voids what it made afterwards, so the demo's rows stay as they are.

A tenancy helper sets what only operations reach (checked in, a past period) below the write
pipeline, as the demo loader would; every write the test is about goes through the REST API, a
form, the XLSX import or an operation.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from catalog.models import Organization, Person
from core.display import local_today
from core.extensions import db
from core.versioning import utcnow
from plugins.housing.tenancies.models import Tenancy, TenancyApplication, add_months
from plugins.housing.units.models import HousingUnit

TIANSHAN_FIN = "乌鲁木齐市天山区财政局"
TIANSHAN_EDU = "乌鲁木齐市天山区教育局"
TIANSHAN_BUREAU = "乌鲁木齐市天山区机关事务服务中心"
KASHGAR_FIN = "喀什市财政局"
KASHGAR_BUREAU = "喀什市机关事务管理局"
ART25 = "第二十五条"
FURNISHING = "床 2、衣柜 2、书桌 1、冰箱 1"
FULL_INVENTORY = "床 2 完好\n衣柜 2 完好\n书桌 1 完好\n冰箱 1 完好"


def tag() -> str:
    return str(random.randint(10**7, 10**8 - 1))


class Housing:
    def __init__(self, app):
        self.app = app
        self.tag = tag()
        self.units: list[int] = []
        self.people: list[int] = []
        self.tenancies: list[int] = []
        self.applications: list[int] = []

    def org(self, name: str) -> Organization:
        return db.session.execute(select(Organization).where(Organization.name == name)).scalar_one()

    def org_id(self, name: str = TIANSHAN_FIN) -> int:
        with self.app.app_context():
            return self.org(name).id

    def unit(
        self,
        number: str = "1-101",
        *,
        bureau: str = TIANSHAN_BUREAU,
        kind: str = "turnover",
        area: str = "50.00",
        status: str = "available",
        furnishing: str = FURNISHING,
    ) -> int:
        """An available unit of the bureau, in the test's own building."""
        with self.app.app_context():
            org = self.org(bureau)
            unit = HousingUnit(
                kind=kind,
                building=f"测试周转房 {self.tag} 号楼",
                unit_number=number,
                address="测试地址",
                area=Decimal(area),
                rooms=2,
                furnishing=furnishing,
                organization=org,
                jurisdiction=org.jurisdiction,
                status=status,
                status_since=dt.date(2024, 1, 1),
                # handed over (Art. 25): the units area's rule asks for the document
                handed_over_by=None if status == "pending" else "测试移交单位",
                handed_over_on=None if status == "pending" else dt.date(2024, 1, 1),
                handover_document_no=None if status == "pending" else f"测试移交〔2024〕{self.tag[-4:]}号",
            )
            db.session.add(unit)
            db.session.commit()
            self.units.append(unit.id)
            return unit.id

    def person(self, org: str = TIANSHAN_FIN, name: str | None = None) -> int:
        with self.app.app_context():
            person = Person(
                name=name or f"测试{self.tag}-{len(self.people)}",
                rank="staff",
                organization=self.org(org),
            )
            db.session.add(person)
            db.session.commit()
            self.people.append(person.id)
            return person.id

    def person_name(self, pk: int) -> str:
        with self.app.app_context():
            return db.session.get(Person, pk).name

    def tenancy(
        self,
        unit_id: int,
        person_id: int,
        *,
        start: dt.date | None = None,
        months: int = 12,
        status: str = "allocated",
        end: dt.date | None = None,
    ) -> int:
        """A tenancy written as the system; its status (and the unit's) set below the pipeline."""
        start = start or local_today()
        with self.app.app_context():
            person = db.session.get(Person, person_id)
            tenancy = Tenancy(
                unit_id=unit_id,
                person_id=person_id,
                organization_id=person.organization_id,
                start_on=start,
                end_on=end or add_months(start, months),
            )
            db.session.add(tenancy)
            db.session.commit()
            self.tenancies.append(tenancy.id)
            if status != "allocated":
                values = {"status": status}
                if status in ("checked_in", "checked_out"):
                    values.update(checked_in_on=start, checkin_inventory=FULL_INVENTORY)
                db.session.execute(update(Tenancy).where(Tenancy.id == tenancy.id).values(**values))
                if status == "checked_in":
                    db.session.execute(
                        update(HousingUnit).where(HousingUnit.id == unit_id).values(status="occupied")
                    )
                db.session.commit()
            return tenancy.id

    def get(self, model, pk):
        with self.app.app_context():
            row = db.session.get(model, pk)
            db.session.expunge_all()
            return row

    def applications_of(self, person_id: int) -> list[int]:
        with self.app.app_context():
            ids = (
                db.session.execute(
                    select(TenancyApplication.id)
                    .where(TenancyApplication.person_id == person_id)
                    .order_by(TenancyApplication.id)
                )
                .scalars()
                .all()
            )
            self.applications.extend(i for i in ids if i not in self.applications)
            return list(ids)

    def tenancies_of(self, person_id: int) -> list[int]:
        with self.app.app_context():
            ids = (
                db.session.execute(
                    select(Tenancy.id).where(Tenancy.person_id == person_id).order_by(Tenancy.id)
                )
                .scalars()
                .all()
            )
            self.tenancies.extend(i for i in ids if i not in self.tenancies)
            return list(ids)

    def cleanup(self) -> None:
        with self.app.app_context():
            db.session.rollback()
            now = utcnow()
            reason = dict(voided_at=now, voided_by="测试", void_reason="测试数据")
            for model, ids in ((Tenancy, self.tenancies), (HousingUnit, self.units)):
                if ids:
                    db.session.execute(
                        update(model).where(model.id.in_(ids), model.voided_at.is_(None)).values(**reason)
                    )
            if self.people:
                db.session.execute(
                    update(TenancyApplication)
                    .where(
                        TenancyApplication.person_id.in_(self.people), TenancyApplication.voided_at.is_(None)
                    )
                    .values(**reason)
                )
                db.session.execute(
                    update(Tenancy)
                    .where(Tenancy.person_id.in_(self.people), Tenancy.voided_at.is_(None))
                    .values(**reason)
                )
            db.session.commit()


@pytest.fixture
def housing(app):
    made = Housing(app)
    yield made
    made.cleanup()
