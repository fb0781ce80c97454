"""Migrations: upgrade from empty works on this backend, and the models match them."""
import logging

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


def _tables_with_ids(url):
    """{table: (rows, sum of ids)} of every table with an integer id of its own."""
    import sqlalchemy as sa
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        counts = {t.name: tuple(conn.execute(sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(t.c.id), 0))).one())
                  for t in db.metadata.sorted_tables if t.autoincrement_column is not None}
    engine.dispose()
    return counts


def test_sqlite_tables_get_autoincrement_and_keep_every_row(tmp_path, pg_server):
    """Migration 0009 rebuilds SQLite tables with AUTOINCREMENT: a database made before keeps
    every row and every reference (foreign keys with ON DELETE CASCADE point at the rebuilt
    tables: with foreign keys on, dropping one would have emptied its children), and no id
    is given twice afterwards. On PostgreSQL it changes nothing."""
    if BACKEND == "postgresql":
        url = pg_server.create_database("indeks_migrations_0009")
    else:
        url = f"sqlite:///{tmp_path / 'before.sqlite3'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="0008_sso_logout")
        from portal.demo import seed_demo
        seed_demo()
        db.session.remove()
        before = _tables_with_ids(url)
        assert before["attendance_entries"][0] > 0 and before["grade_grades"][0] > 0
        upgrade()
        assert _tables_with_ids(url) == before
        if BACKEND == "sqlite":
            with db.engine.connect() as conn:
                sql = dict(conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all())
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # on again after migrating
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert sorted(n for n in before if "AUTOINCREMENT" not in sql[n]) == []
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
