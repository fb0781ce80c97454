"""The conditional UPDATE: a writer that read a grade just before another writer committed loses."""
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import update

from portal.auth.models import User
from portal.database import set_write_intent
from portal.extensions import db
from portal.grades import services
from portal.grades.models import Grade, GradeChange

from .factories_grades import GradesFactory


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

    with app.app_context():
        with db.engine.connect() as conn:  # the first writer, mid-transaction
            conn.execute(update(Grade).where(Grade.id == grade.id).values(
                value_id=grade.value_id + 1, date_modified=seen + timedelta(seconds=5)))
            worker = threading.Thread(target=second_writer)
            worker.start()
            time.sleep(0.7)  # the second writer is now waiting for the first one's lock
            assert "result" not in outcome
            conn.commit()
        worker.join(30)
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
