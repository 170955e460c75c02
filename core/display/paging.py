"""One page of a long list (通知, 我的任务 …) and the pager under it (templates/core/widgets/pager.html).

A user with thousands of notifications gets a pager of first, previous, the pages around the
current one, next and last, never a link per page; a page past the end shows the last one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

#: pages shown each side of the current one
WINDOW = 3


@dataclass
class Page:
    rows: list
    number: int
    pages: int
    total: int

    @property
    def links(self) -> list[int | None]:
        """The page numbers the pager links, ``None`` for a gap (…)."""
        near = range(max(1, self.number - WINDOW), min(self.pages, self.number + WINDOW) + 1)
        shown = sorted({1, self.pages, *near})
        links: list[int | None] = []
        for n in shown:
            if links and n - links[-1] > 1:
                links.append(None)
            links.append(n)
        return links


def page_of(session, query, order_by, number: int, size: int) -> Page:
    """Page ``number`` (from 1) of ``query`` ordered by ``order_by``: one count, one page of rows."""
    total = session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    pages = max(1, -(-total // size))
    number = min(max(number, 1), pages)
    rows = session.execute(query.order_by(order_by).limit(size).offset((number - 1) * size)).scalars().all()
    return Page(rows=list(rows), number=number, pages=pages, total=total)
