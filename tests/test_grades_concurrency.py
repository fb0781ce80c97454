"""The conditional UPDATE: a writer that read a grade just before another writer committed loses."""
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import event, text, update

from portal.auth.models import User
from portal.database import set_write_intent
from portal.extensions import db
from portal.grades import services
from portal.grades.models import Grade, GradeChange

from .factories_grades import GradesFactory


def wait_for_lock_wait(deadline_s=30):
    """Until PostgreSQL shows a backend waiting for a lock (polling is synchronisation on the
    database's state here: the deadline only ends a test that would otherwise hang)."""
    deadline = time.monotonic() + deadline_s
    with db.engine.connect() as probe:
        while probe.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted")).scalar() == 0:
            assert time.monotonic() < deadline, "no backend is waiting for a lock"
            probe.rollback()
            time.sleep(0.01)


def test_writer_blocked_behind_another_loses(app, make):
    uni = make.university(n_students=1)
    g = GradesFactory(app)
    report = g.report(uni.edition)
    grade = g.grade(report, uni.student, "3", by=uni.coordinator)
    seen = grade.date_modified
    outcome = {}

    def second_writer():
        with app.app_context():
            set_write_intent(True)
            try:
                actor = db.session.get(User, uni.coordinator.id)
                services.update_grade(actor, report.id, 1, uni.student.id, value="5", expected=seen)
                db.session.commit()
                outcome["result"] = "applied"
            except services.Conflict as conflict:
                db.session.rollback()
                outcome["result"] = "conflict"
                outcome["current"] = conflict.extra["grades"][str(uni.student.id)]["value_symbol"]
            finally:
                set_write_intent(False)

    worker = threading.Thread(target=second_writer)
    with app.app_context():
        sqlite = db.engine.dialect.name == "sqlite"
        # What the second writer waits on: SQLite's write lock (BEGIN IMMEDIATE) or, on
        # PostgreSQL, the lock on the grade's row (its guarded UPDATE).
        blocking = "BEGIN IMMEDIATE" if sqlite else "UPDATE grade_grades"
        at_lock = threading.Event()

        def reached(conn, cursor, statement, parameters, context, executemany):
            if threading.current_thread() is worker and statement.lstrip().startswith(blocking):
                at_lock.set()

        event.listen(db.engine, "before_cursor_execute", reached)
        try:
            with db.engine.connect() as conn:  # the first writer, mid-transaction
                conn.execute(update(Grade).where(Grade.id == grade.id).values(
                    value_id=grade.value_id + 1, date_modified=seen + timedelta(seconds=5)))
                worker.start()
                assert at_lock.wait(30), "the second writer never asked for the lock"
                if not sqlite:
                    wait_for_lock_wait()
                assert "result" not in outcome  # it cannot pass the first writer's lock
                conn.commit()
            worker.join(30)
        finally:
            event.remove(db.engine, "before_cursor_execute", reached)
    assert outcome.get("result") == "conflict", outcome
    assert outcome["current"] == "3,5"
    with app.app_context():
        assert db.session.get(Grade, grade.id).value.symbol == "3,5"
        assert db.session.scalar(db.select(db.func.count(GradeChange.id))) == 0


def test_expecting_no_grade_when_there_is_one(app, make):
    """Expecting "no grade" while one exists is a conflict, not an overwrite."""
    uni = make.university(n_students=1)
    g = GradesFactory(app)
    report = g.report(uni.edition)
    g.grade(report, uni.student, "4", by=uni.coordinator)
    with app.app_context():
        actor = db.session.get(User, uni.coordinator.id)
        with pytest.raises(services.Conflict):
            services.update_grade(actor, report.id, 1, uni.student.id, value="2", expected=None)
        db.session.rollback()
