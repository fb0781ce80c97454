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
