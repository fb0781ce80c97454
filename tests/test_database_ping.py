"""A PostgreSQL connection the server dropped while it rested in the pool is replaced before a
request uses it; one taken again at once is used without a round trip first."""
import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from portal import database
from portal.extensions import db

from .conftest import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "postgresql", reason="SQLite has no server to drop a connection")


def backend_pid(app):
    with app.app_context():
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
        db.session.remove()
    return pid


def terminate_pool(app):
    """What a server restart or an administrator does: end every backend of the app's pool,
    from a connection of our own."""
    with app.app_context():
        url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = "
                            "current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                            ).fetchone()[0]


def test_a_connection_dropped_while_resting_is_replaced_before_the_request_uses_it(app, client, auth, uni,
                                                                                    monkeypatch):
    assert auth.login("stud1").status_code == 302
    before = backend_pid(app)
    assert terminate_pool(app) >= 1
    monkeypatch.setattr(database, "PING_AFTER_REST_SECONDS", -1)  # it has rested long enough
    page = client.get("/exams/")
    assert page.status_code == 200  # signed in (the sign-in was read), not a 503 or the login page
    after = backend_pid(app)
    assert after != before


def test_a_connection_taken_again_at_once_is_not_pinged(app, monkeypatch):
    monkeypatch.setattr(database, "PING_AFTER_REST_SECONDS", 3600)
    backend_pid(app)
    terminate_pool(app)
    with app.app_context():
        # no ping: the dead connection is used and fails (in production: within a second of its
        # last request), SQLAlchemy replaces it, and the next use works
        with pytest.raises(OperationalError):
            db.session.execute(text("SELECT 1"))
        db.session.remove()
        assert db.session.execute(text("SELECT 1")).scalar() == 1
        db.session.remove()


def test_a_request_on_a_connection_lost_at_once_is_answered_503_and_the_next_one_works(app, client, auth, uni,
                                                                                       monkeypatch):
    monkeypatch.setattr(database, "PING_AFTER_REST_SECONDS", 3600)  # lost within the second
    assert auth.login("stud1").status_code == 302
    assert client.get("/exams/").status_code == 200
    terminate_pool(app)
    lost = client.get("/exams/", headers={"Accept-Language": "en"})
    assert lost.status_code == 503
    assert "The connection to the database was lost; nothing was saved." in lost.get_data(as_text=True)
    assert client.get("/exams/").status_code == 200  # the pool replaced the connection
