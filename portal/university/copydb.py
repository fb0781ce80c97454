"""Copy the whole database to another one (SQLite to PostgreSQL, or back): every table, every row.

The university format carries the structure and people; a portal in use also holds passwords,
API applications, registrations, grades, bookings and attendance. This copies all of it, read in
one transaction (a consistent snapshot of the source) and written in one transaction, into a
target that has the same schema and is empty.
"""
from sqlalchemy import create_engine, func, inspect, insert, select, text, update

from ..extensions import db

BATCH = 1000


class CopyRefused(Exception):
    pass


def _revision(connection):
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _self_references(table):
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def copy_database(target_url, echo=print):
    """Copy every table of the portal's database into the empty database at `target_url`."""
    # Parents before children; not the version of what pages show, which each database keeps
    # for itself (portal.pagecache: the copy's own commit adds one to the target's).
    tables = [t for t in db.metadata.sorted_tables if t.name != "page_versions"]
    target = create_engine(_normalise(target_url))
    try:
        with db.engine.connect() as source, target.begin() as out:
            if source.dialect.name == "postgresql":
                source.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            _check_target(source, out, tables)
            for table in tables:
                n = _copy_table(source, out, table)
                echo(f"{table.name}: {n}")
            if out.dialect.name == "postgresql":
                _reset_sequences(out, tables)
    finally:
        target.dispose()


def _normalise(url):
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _check_target(source, out, tables):
    missing = [t.name for t in tables if not inspect(out).has_table(t.name)]
    if missing:
        raise CopyRefused(f"the target has no table {missing[0]}: run `flask db upgrade` on it first")
    theirs, ours = _revision(out), _revision(source)
    if ours is not None and theirs != ours:
        raise CopyRefused(f"the target's schema is at revision {theirs}, this database at {ours}: "
                          "run `flask db upgrade` on both first")
    full = [t.name for t in tables if out.execute(select(func.count()).select_from(t)).scalar()]
    if full:
        raise CopyRefused(f"the target is not empty (table {full[0]} has rows): copy into an empty database")


def _copy_table(source, out, table):
    later = _self_references(table)  # e.g. a faculty's parent may come after it: set them afterwards
    pk = list(table.primary_key.columns)
    count, links = 0, []
    result = source.execution_options(stream_results=True).execute(select(table).order_by(*pk))
    while rows := result.mappings().fetchmany(BATCH):
        batch = [dict(row) for row in rows]
        for row in batch:
            if any(row.get(c) is not None for c in later):
                links.append(({c.name: row[c.name] for c in pk}, {c: row[c] for c in later}))
                for column in later:
                    row[column] = None
        out.execute(insert(table), batch)
        count += len(batch)
    for key, values in links:
        out.execute(update(table).where(*(table.c[k] == v for k, v in key.items())).values(**values))
    return count


def _reset_sequences(out, tables):
    """New rows after the copy must not collide with copied ids."""
    for table in tables:
        for column in table.primary_key.columns:
            if column.autoincrement is True or (column.autoincrement == "auto" and column.type.python_type is int
                                                and len(table.primary_key.columns) == 1):
                sequence = out.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                       {"t": table.name, "c": column.name}).scalar()
                if sequence:
                    out.execute(text(f"SELECT setval('{sequence}', COALESCE((SELECT MAX({column.name}) FROM "
                                     f"\"{table.name}\"), 0) + 1, false)"))
