"""SQLite: an id, once given, is never given again (AUTOINCREMENT)

Without AUTOINCREMENT SQLite gives a new row the largest rowid + 1, so deleting the newest
row (an attendance list, a meeting participant, a note) hands its id to the next row of that
table, and a client still holding the old id acts on someone else's object. PostgreSQL's
sequences never go back; this changes nothing there.

SQLite cannot add AUTOINCREMENT to a table, so every table whose primary key is an integer
`id` is rebuilt the way SQLite's documentation describes ("Making Other Kinds Of Table Schema
Changes"): the new table from the stored CREATE TABLE with `id INTEGER NOT NULL PRIMARY KEY
AUTOINCREMENT` instead of the table-level key, the rows copied with their ids, the old table
dropped, the new one renamed, its indexes made again. Foreign keys are off while it runs
(migrations/env.py), or dropping a table would cascade its deletion to the rows that refer to
it; `PRAGMA foreign_key_check` must find nothing before the transaction commits.

Revision ID: 0009_sqlite_ids
Revises: 0008_sso_logout
Create Date: 2026-12-01 22:30:00

"""
import re

from alembic import op


# revision identifiers, used by Alembic.
revision = '0009_sqlite_ids'
down_revision = '0008_sso_logout'
branch_labels = None
depends_on = None

NEW = "_autoincrement_new"
ID_COLUMN = re.compile(r"^(\tid INTEGER NOT NULL), $", re.M)
TABLE_KEY = re.compile(r",\s*CONSTRAINT \w+ PRIMARY KEY \(id\)")


def with_autoincrement(name, sql):
    """The CREATE TABLE of `name`'s replacement, or None when it has no integer `id` key or has
    AUTOINCREMENT already."""
    if "AUTOINCREMENT" in sql or not ID_COLUMN.search(sql) or len(TABLE_KEY.findall(sql)) != 1:
        return None
    head = re.compile(rf'^CREATE TABLE ("?){re.escape(name)}\1 \(')
    if not head.match(sql):
        return None
    sql = head.sub(f"CREATE TABLE {NEW} (", sql, count=1)
    sql = ID_COLUMN.sub(r"\1 PRIMARY KEY AUTOINCREMENT, ", sql, count=1)
    return TABLE_KEY.sub("", sql, count=1)


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    if bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError("rebuilding tables with foreign keys on would cascade deletions (see migrations/env.py)")
    tables = bind.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all()
    for name, sql in tables:
        create = with_autoincrement(name, sql or "")
        if create is None:
            continue
        indexes = [row[0] for row in bind.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (name,))]
        bind.exec_driver_sql(create)
        bind.exec_driver_sql(f'INSERT INTO {NEW} SELECT * FROM "{name}"')
        bind.exec_driver_sql(f'DROP TABLE "{name}"')
        bind.exec_driver_sql(f'ALTER TABLE {NEW} RENAME TO "{name}"')
        for index in indexes:
            bind.exec_driver_sql(index)
    broken = bind.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise RuntimeError(f"foreign keys broken by the rebuild: {broken[:5]}")


def downgrade():
    pass  # ids that are never reused harm nothing: the tables keep AUTOINCREMENT
