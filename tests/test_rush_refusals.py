"""A rush is mostly refusals: a full slot or date is refused from what was read, without the
lock that taking a seat needs (SQLite's write lock, PostgreSQL's row locks). Proven by holding
that lock from another connection while the refusal is asked for: it still answers at once."""
import sqlite3
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from portal import database
from portal.extensions import db

from .conftest import BACKEND
from .factories_exams import ExamFactory
from .factories_meetings import MeetingFactory

HX = {"HX-Request": "true"}


@pytest.fixture
def impatient(app, monkeypatch):
    """The app gives up waiting for a lock after 300 ms (instead of 30 s): a path that wrongly
    queues for one fails fast."""
    monkeypatch.setattr(database, "SQLITE_BUSY_TIMEOUT_MS", 300)
    with app.app_context():
        engine = db.engine

    def short_lock_timeout(dbapi_connection, record):
        if BACKEND == "postgresql":
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '300ms'")
            dbapi_connection.commit()

    event.listen(engine, "connect", short_lock_timeout)
    engine.dispose()
    yield
    event.remove(engine, "connect", short_lock_timeout)
    engine.dispose()


@contextmanager
def held(app, db_url, table, row_id):
    """Another connection holds what a write needs: SQLite's write lock, or the row's lock."""
    if BACKEND == "sqlite":
        conn = sqlite3.connect(db_url[len("sqlite:///"):], isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    import psycopg
    url = db_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url) as conn:
        conn.execute(f"SELECT id FROM {table} WHERE id = %s FOR UPDATE", (row_id,))  # noqa: S608 (test tables)
        yield
        conn.rollback()


def signed_in(app, login):
    client = app.test_client()
    assert client.post("/login", data={"login": login, "password": "demo"}).status_code in (302, 303)
    client.post("/lang/en")
    return client


def test_a_full_slot_is_refused_while_a_seat_is_being_taken(app, make, db_url, impatient):
    uni = make.university()
    ex = ExamFactory(app).setup(uni, capacity=2, slots=2)  # one seat per slot in group 1
    assert signed_in(app, "stud2").post(f"/exams/{ex.exam.id}/slots/{ex.slot1.id}", headers=HX).status_code == 200
    late, winner = signed_in(app, "stud1"), signed_in(app, "stud2")
    with held(app, db_url, "exam_slots", ex.slot1.id):
        refused = late.post(f"/exams/{ex.exam.id}/slots/{ex.slot1.id}", headers=HX)
        again = winner.post(f"/exams/{ex.exam.id}/slots/{ex.slot1.id}", headers=HX)
    assert refused.status_code == 409 and "This slot is full" in refused.get_data(as_text=True)
    assert again.status_code == 409 and "already registered in this slot" in again.get_data(as_text=True)


def test_a_full_date_is_refused_while_a_place_is_being_taken(app, make, db_url, impatient):
    mf = MeetingFactory(app)
    uni = make.university()
    sub = mf.substantiation(uni.faculty)
    date = mf.date(mf.meeting(uni.coordinator, uni.faculty), seats=1, reserve=1)
    mf.entry(date, uni.students[1])
    mf.entry(date, uni.students[2], status="waiting", reserve=True)
    late = signed_in(app, "stud1")
    with held(app, db_url, "meeting_dates", date.id):
        r = late.post(f"/meetings/dates/{date.id}/sign-up", data={"substantiation": str(sub.id)}, headers=HX)
    assert r.status_code == 400 and "There are no seats left on this meeting date." in r.get_data(as_text=True)
    body = r.get_data(as_text=True)
    assert "seats: 0 of 1 free" in body and "reserve list: 0 of 1 free" in body
