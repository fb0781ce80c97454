"""Migrations: upgrade from empty works on this backend, and the models match them."""
import logging

import pytest

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from portal import create_app
from portal.extensions import db

from .conftest import BACKEND


def test_upgrade_from_empty_matches_models(tmp_path, pg_server):
    if BACKEND == "postgresql":
        url = pg_server.create_database("indeks_migrations")
    else:
        url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    notices = logging.getLogger("portal.notifications")  # a logger that exists before migrating
    with app.app_context():
        upgrade()
        assert not notices.disabled and not app.logger.disabled  # alembic's logging set-up leaves ours on
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        from portal.demo import seed_demo
        seed_demo()  # the demo loads into a migrated database
        db.session.remove()
        db.engine.dispose()



def _tables_with_ids(path):
    """{table: (rows, sum of ids)} of every table with an integer id of its own (SQLite file)."""
    import sqlite3
    conn = sqlite3.connect(path)
    try:
        return {t.name: conn.execute(f'SELECT count(*), coalesce(sum(id), 0) FROM "{t.name}"').fetchone()
                for t in db.metadata.sorted_tables if t.autoincrement_column is not None}
    finally:
        conn.close()


def _copy_rows(source, target):
    """Every row of `source` (a database at head) into `target` (an older schema), column by
    column as the target has them: data of the demo in a database made before migration 0009,
    without the models of today writing it."""
    import sqlite3
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("ATTACH DATABASE ? AS source", (str(source),))
        conn.execute("BEGIN")
        for (name,) in conn.execute("SELECT name FROM main.sqlite_master WHERE type = 'table' "
                                    "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'").fetchall():
            columns = ", ".join(f'"{row[1]}"' for row in conn.execute(f'PRAGMA main.table_info("{name}")'))
            conn.execute(f'INSERT INTO main."{name}" ({columns}) SELECT {columns} FROM source."{name}"')
        conn.execute("COMMIT")
    finally:
        conn.close()


@pytest.mark.skipif(BACKEND != "sqlite", reason="migration 0009 changes nothing on PostgreSQL (sequences)")
def test_sqlite_tables_get_autoincrement_and_keep_every_row(tmp_path):
    """Migration 0009 rebuilds SQLite tables with AUTOINCREMENT: a database made before keeps
    every row and every reference (foreign keys with ON DELETE CASCADE point at the rebuilt
    tables: with foreign keys on, dropping one would have emptied its children), and no id
    is given twice afterwards."""
    from portal.demo import seed_demo
    seeded, before = tmp_path / "seeded.sqlite3", tmp_path / "before.sqlite3"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{seeded}"})
    with app.app_context():
        upgrade()
        seed_demo()
        db.session.remove()
        db.engine.dispose()
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{before}"})
    with app.app_context():
        upgrade(revision="0008_sso_logout")
        db.engine.dispose()
        _copy_rows(seeded, before)
        rows = _tables_with_ids(before)
        assert rows == _tables_with_ids(seeded) and rows["attendance_entries"][0] > 0 and rows["grade_grades"][0] > 0
        upgrade()
        assert _tables_with_ids(before) == rows
        with db.engine.connect() as conn:
            sql = dict(conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all())
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # on again after migrating
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert sorted(n for n in rows if "AUTOINCREMENT" not in sql[n]) == []
        from portal.attendance.models import AttendanceList
        newest = db.session.scalar(db.select(AttendanceList).order_by(AttendanceList.id.desc()).limit(1))
        gone, copy = newest.id, {c: getattr(newest, c) for c in ("group_id", "owner_id", "date", "mode", "created_at")}
        db.session.delete(newest)
        db.session.commit()
        again = AttendanceList(**copy)
        db.session.add(again)
        db.session.commit()
        assert again.id > gone
        db.session.remove()
        db.engine.dispose()
