"""The data interface every screen and API reads and writes through: the row scope on every
query, fast counts on big tables, relations loaded with the page, refusals as exceptions."""

from __future__ import annotations

from flask import g, has_request_context, request
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import joinedload, scoped_session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from core.errors import EditConflict, WriteRefused, conflict_message
from core.fab import keyset
from core.fab.adapter import FabInterface
from core.fab.counting import ListCount, estimate_key, planner_estimate
from core.fab.filters import ChineseFilterConverter
from core.fab.kept_filters import KeptFilters
from core.fab.kept_queries import SEEK, kept, kept_query, list_shape
from core.fab.records import RecordPlan
from core.scoping import scope_of_model, scoped


def show_voided() -> bool:
    """Whether this request asked lists to include voided records (``?voided=1``)."""
    return has_request_context() and request.args.get("voided", "") in ("1", "true", "yes")


def hide_voided(query, model):
    """A list's query without voided (作废) records, unless the request asked for them."""
    voided = getattr(model, "voided_at", None)
    if voided is not None and not show_voided():
        return query.filter(voided.is_(None))
    return query


def seek_cursor(interface):
    """The cursor a REST list call asked ``interface`` for (``ScopedModelRestApi``), if any."""
    seek = g.get("jiguan_seek") if has_request_context() else None
    return seek[1] if seek is not None and seek[0] is interface else None


class ScopedInterface(FabInterface):
    """FAB's SQLAlchemy interface with the row scope on every read and write.

    Lists stay fast on big tables (docs/performance.md): the count is exact only up to
    ``count_cap`` rows (then the planner's estimate on PostgreSQL, "more than" elsewhere),
    relations shown in a list are loaded with the page (no N+1), and the default order is
    the primary key, newest first, which its index serves.
    """

    #: Filters named in Chinese, 包含 first on text (core/fab/filters.py).
    filter_converter_class = ChineseFilterConverter
    #: Set on the interfaces FAB builds for relation fields: they offer what a record may point to.
    for_reference = False
    #: Count exactly up to this many rows; beyond it the count is estimated.
    count_cap = 1000
    #: A planner estimate at least this large is shown as is, without counting even to the cap.
    estimate_trusted = 50_000

    def scope_query(self, query):
        return scoped(query, self.obj, for_reference=self.for_reference)

    def get_filters(self, search_columns=None, search_filters=None) -> KeptFilters:
        return KeptFilters(self.filter_converter_class, self, search_columns=search_columns or [],
                           search_filters=search_filters)

    def get_inner_filters(self, filters) -> KeptFilters:
        # FAB's makes a plain ``Filters`` (every column converted again, twice a list request);
        # the same selection of the request's filters, on kept ones
        inner = self.get_filters()
        if filters:
            inner.add_filter_list([(f.column_name, f.__class__, value)
                                   for f, value in zip(filters.filters, filters.values, strict=True)
                                   if self._filters_inner_query(f.column_name)])
        return inner

    def _filters_inner_query(self, column: str) -> bool:
        """FAB's rule: plain columns and many-to-one or one-to-one relations filter the inner query."""
        if "." not in column:
            return True
        root = column.split(".", 1)[0]
        return self.is_relation_many_to_one(root) or self.is_relation_one_to_one(root)

    def query_count(self, query, filters=None, select_columns=None) -> ListCount:
        """The exact count up to ``count_cap``; beyond it PostgreSQL's estimate, else "more than"."""
        return self._count(lambda: query, filters, None)

    def _count(self, base, filters, shape) -> ListCount:
        """``query_count`` of the list ``base()`` (made only when its queries are not kept for
        ``shape``, ``core.fab.kept_queries``)."""
        # only the keys: the filters join what they need themselves
        inner = kept_query(shape and ("count", shape), lambda: self._apply_inner_all(
            base(), filters, aliases_mapping={}).with_entities(self.get_pk()))
        session = self.session
        bind = session.get_bind()
        key = None
        if shape is not None and bind.dialect.name == "postgresql":  # its planner's cache key, once
            key = kept(("estimate", shape), lambda: estimate_key(bind, inner.statement))
        estimate = planner_estimate(session, inner, key)
        if estimate is not None and estimate >= self.estimate_trusted:
            return ListCount(estimate, approximate=True)  # far beyond the cap: no count at all
        # counting a million rows costs more than the page itself: stop at the cap
        cap = self.count_cap
        capped = kept(shape and ("capped", shape, cap),
                      lambda: select(func.count()).select_from(inner.limit(cap + 1).subquery()))
        counted = session.execute(capped).scalar_one()
        if counted <= cap:
            return ListCount(counted)
        if estimate is None:
            return ListCount(cap + 1, capped=True)
        return ListCount(max(estimate, cap + 1), approximate=True)

    def eager_options(self, columns, dotted_joined: bool = False) -> list:
        """Load options for the relations ``columns`` show, so a page costs a constant number of queries."""
        options, seen = [], set()
        for column in columns or []:
            root = column.split(".", 1)[0]
            if root in seen or not self.is_relation(root) or (dotted_joined and "." in column):
                continue  # FAB joins dotted columns itself when it selects columns
            seen.add(root)
            attr = getattr(self.obj, root)
            if self.is_relation_many_to_one(root) or self.is_relation_one_to_one(root):
                options.append(joinedload(attr))
            else:
                options.append(selectinload(attr))
        return options

    def sortable(self, name: str | None) -> str:
        """``name`` if the database can order by it, else "" (the default order).

        FAB offers a list's label properties as sort columns and takes any name from the URL;
        a ``<code>_label`` property sorts by its code column, anything else not a column (or a
        column of a related model, ``organization.name``) is ignored instead of failing.
        """
        if not name:
            return ""
        columns = self.obj.__mapper__.columns
        if "." in name:
            root, _dot, leaf = name.partition(".")
            rel = self.obj.__mapper__.relationships.get(root)
            return name if rel is not None and leaf in rel.mapper.columns else ""
        if name in columns:
            return name
        if name.endswith("_label") and name.removesuffix("_label") in columns:
            return name.removesuffix("_label")
        return ""

    def _base(self):
        return hide_voided(self.session.query(self.obj), self.obj)  # lists leave voided rows out

    def query(self, filters=None, order_column="", order_direction="", page=None, page_size=None,
              select_columns=None, outer_default_load=False, eager_columns=None, cursor=None):
        """FAB's list query with the capped count, eager relations and a default order.

        A sort an index serves is paged by keyset (``core.fab.keyset``): from ``cursor`` (or
        the request's, ``seek_cursor``), else from the page number; the count then carries
        the page's position and cursors (``count.paging``). Its queries are kept per shape
        (``core.fab.kept_queries``).
        """
        order_column = self.sortable(order_column)
        if not order_column and isinstance(self.get_pk_name(), str):
            order_column, order_direction = self.get_pk_name(), "desc"
        columns = self._key_columns(order_column) if page_size else None
        if columns and select_columns and self.exists_col_to_many(select_columns):
            columns = None  # FAB pages those in a subquery of its own
        if columns:
            return self._keyset_query(filters, order_column, order_direction, page, page_size,
                                      select_columns, outer_default_load, eager_columns, columns,
                                      cursor if cursor is not None else seek_cursor(self))
        base = self._base()
        query = self.apply_all(base, filters, order_column, order_direction, page, page_size,
                               select_columns, outer_default_load)
        plain = self._plain_row_columns(select_columns, ()) is not None
        plan = None if plain else self._record_plan(eager_columns)
        rows = self._fetch(self._row_query(query, select_columns, eager_columns))
        if plan is not None:
            rows = plan.records(rows)
        if page_size and len(rows) < page_size and (rows or not page):
            count = ListCount((page or 0) * page_size + len(rows))  # the last page: the count is known
        else:
            count = self.query_count(base, filters, select_columns)
        return count, rows

    def _key_columns(self, order_column: str):
        made = self.__dict__.setdefault("_jiguan_key_columns", {})
        if order_column not in made:
            made[order_column] = keyset.key_columns(self.obj, order_column)
        return made[order_column]

    def _row_query(self, query, select_columns, eager_columns, key_columns=()):
        """The query of a page's rows: plain columns (a REST list), a list page's records, or
        entities with the shown relations loaded with them."""
        plain = self._plain_row_columns(select_columns, key_columns)
        if plain is not None:  # the columns alone, as tuples: no entity objects to build
            return query.with_entities(*plain)
        plan = self._record_plan(eager_columns)
        if plan is not None:
            return plan.query(query)
        shown = eager_columns if eager_columns is not None else select_columns
        options = self.eager_options(shown, dotted_joined=eager_columns is None)
        return query.options(*options) if options else query

    def _record_plan(self, columns) -> RecordPlan | None:
        """The plan reading a list page's rows as records (``core.fab.records``), or None: the
        page's view asks for them (``g.jiguan_page_records``) and its columns allow them."""
        if columns is None or not (has_request_context() and g.get("jiguan_page_records")):
            return None
        made = self.__dict__.setdefault("_jiguan_record_plans", {})
        key = tuple(columns)
        if key not in made:
            made[key] = RecordPlan.for_columns(self, key)
        plan = made[key]
        return None if plan is None or plan.objects else plan

    def _fetch(self, query, params=None) -> list:
        rows = (query.params(**params) if params else query).all()
        if rows and hasattr(rows[0], self.obj.__name__):
            rows = [getattr(row, self.obj.__name__) for row in rows]
        return rows

    def _plain_rows(self, session, statement, params) -> list:
        """A REST list's plain rows: its statement run on the session's connection. They are the
        ``Row``s the ORM gives for columns (same names, same values), without its loading
        machinery, which has nothing to do for columns: half the CPU of reading them."""
        if session.autoflush:
            session.flush()  # what the ORM's execution does first (nothing, in a list request)
        connection = session.connection(bind_arguments={"mapper": self.obj.__mapper__})
        return connection.execute(statement, params).all()

    def _plain_row_columns(self, select_columns, key_columns) -> list | None:
        """The attributes to select when the request reads plain rows, or None (entities).

        A REST list (``ScopedModelRestApi.get_list_headless`` sets ``g.jiguan_plain_rows``) whose
        columns are all the model's own columns is read as rows of those columns, its primary key
        and the cursor's key columns: the schema reads the same attributes off a row as off an
        object (``core/fab/quick_dump.py``), and building ~25 ORM objects was a fifth of a list
        call. Screens keep entities: their formatters and properties read the object.
        """
        if not select_columns or not (has_request_context() and g.get("jiguan_plain_rows")):
            return None
        made = self.__dict__.setdefault("_jiguan_plain_rows", {})
        key = (tuple(select_columns), tuple(key_columns))
        if key not in made:
            mapper = self.obj.__mapper__
            attrs = mapper.column_attrs
            names = None
            if all(name in attrs for name in select_columns):
                extra = [mapper.get_property_by_column(c).key for c in (*mapper.primary_key, *key_columns)]
                names = list(dict.fromkeys([*select_columns, *extra]))
            made[key] = [getattr(self.obj, name) for name in names] if names else None
        return made[key]

    def _keyset_query(self, filters, order_column, order_direction, page, page_size,
                      select_columns, outer_default_load, eager_columns, columns, cursor):
        direction = "desc" if order_direction == "desc" else "asc"
        if cursor is not None and (cursor.order, cursor.direction) != (order_column, direction):
            cursor = None  # a cursor of another order (a sort header was clicked): the first page
        key = keyset.typed_key(columns, cursor) if cursor is not None else ()
        greater = (direction == "asc") != cursor.before if key else None
        reading = ("asc" if direction == "desc" else "desc") if cursor and cursor.before else direction
        offset = 0 if cursor is not None else (page or 0) * page_size  # an old page-number link
        shape = list_shape(self, filters, show_voided())
        plain = self._plain_row_columns(select_columns, columns) is not None
        plan = None if plain else self._record_plan(eager_columns)
        eager = tuple(eager_columns) if eager_columns is not None else None
        page_shape = shape and ("page", shape, order_column, reading, greater, offset, page_size,
                                tuple(select_columns or ()), outer_default_load, eager, plain,
                                plan is not None)

        def build():
            seek = self._base()
            if key:  # the key's values are parameters: the kept query serves every page
                bound = tuple(bindparam(f"{SEEK}{i}", type_=c.type) for i, c in enumerate(columns))
                seek = seek.filter(keyset.seek_condition(self.obj, columns, bound, greater))
            query = self.apply_all(seek, filters, order_column, reading, None, None,
                                   select_columns, outer_default_load)
            return self._row_query(query.offset(offset or None).limit(page_size + 1), select_columns,
                                   eager_columns, columns)

        session = self.session
        if isinstance(session, scoped_session):
            session = session()  # the request's, as ``session.query`` would have given
        query = kept_query(page_shape, build)
        params = {f"{SEEK}{i}": value for i, value in enumerate(key)}
        if plain or plan is not None:  # its statement kept too: its cache key is computed once
            statement = kept(page_shape and ("rows", page_shape), lambda: query.statement)
            rows = self._plain_rows(session, statement, params)
            if plan is not None:
                rows = plan.records(rows)
        else:
            rows = self._fetch(query.with_session(session), params)
        more, rows = len(rows) > page_size, rows[:page_size]
        if cursor is not None and cursor.before:
            rows.reverse()
        if not more and (cursor is None and not offset or cursor and cursor.before and not cursor.key):
            count = ListCount(len(rows))  # the whole list is this page
        else:
            count = self._count(self._base, filters, shape)
        count.paging = keyset.paging(self.obj, columns, cursor, order_column, direction, rows, more,
                                     page or 0, count, page_size)
        return count, rows

    def get_related_interface(self, col_name: str):
        """The rows a relation field may choose: for a scope column those the writer may write
        (its own organisation), for any other link those it may reference (``core.scoping``)."""
        related = super().get_related_interface(col_name)
        spec = scope_of_model(self.obj)
        rel = self.obj.__mapper__.relationships.get(col_name)
        local = {c.key for c in rel.local_columns} if rel is not None else set()
        own = {spec.organization, spec.jurisdiction} if spec is not None else set()
        related.for_reference = True if local & own else "reference"
        return related

    def _write(self, operation, item) -> None:
        session = self.session
        try:
            operation(item)
            session.commit()
        except WriteRefused:
            session.rollback()
            raise
        except StaleDataError as exc:
            session.rollback()
            raise EditConflict(conflict_message()) from exc
        except IntegrityError as exc:
            session.rollback()
            raise WriteRefused(_("保存失败：与已有记录冲突或缺少必填关联（%(detail)s）",
                                 detail=str(exc.orig).splitlines()[0][:200])) from exc
        except SQLAlchemyError as exc:
            session.rollback()
            raise WriteRefused(_("保存失败：数据库拒绝了此次修改")) from exc

    def add(self, item, commit: bool = True) -> None:
        self._write(self.session.add, item)

    def edit(self, item, commit: bool = True) -> None:
        """Save the changes of a record loaded in this session; anything else is refused.

        FAB's interface ``merge``s, which INSERTs an object that is not (or no longer) in the
        session: a second row instead of an edit. An edit only ever UPDATEs what it loaded.
        """
        state = sa_inspect(item)
        if not state.persistent or item not in self.session:
            raise EditConflict(conflict_message())
        self._write(lambda _item: None, item)

    def delete(self, item, commit: bool = True) -> None:
        self._write(self.session.delete, item)

    def delete_all(self, items) -> None:
        self._write(lambda rows: [self.session.delete(r) for r in rows], items)
