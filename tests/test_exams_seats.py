"""Seats under interleavings that sequential clicks never reach, and admission with real grades.

`place()` refuses a full slot from the slot it was given before it takes the write lock; what
really decides a seat is the conditional UPDATE after it. These tests hand `place()` a slot read
before another request filled it, so that the UPDATE and its row count are what is tested."""
import json

import pytest

from portal.auth.models import User
from portal.errors import ServiceError
from portal.exams import registration
from portal.exams.models import Exam, ExamCondition, ExamRegistration, ExamSlot
from portal.exams.registration import place
from portal.extensions import db
from portal.university.models import GradeType

from .factories_exams import ExamFactory
from .factories_grades import GradesFactory
from .requests_helpers import request_scope, write_grade


@pytest.fixture
def uni(make):
    return make.university(n_students=6)


@pytest.fixture
def ex(app, uni):
    return ExamFactory(app).setup(uni, capacity=2, slots=2)  # group 1: two slots of one seat


def take(app, ex, student, slot, **kw):
    """Another request: `student` takes a seat in `slot` and commits."""
    with request_scope(app):
        place(db.session.get(Exam, ex.exam.id), db.session.get(User, student.id),
              db.session.get(ExamSlot, slot.id), **kw)


def seats(app):
    """{slot id: (taken, [user ids registered])} as stored."""
    with app.app_context():
        out = {}
        for slot in db.session.scalars(db.select(ExamSlot).order_by(ExamSlot.id)):
            users = sorted(r.user_id for r in db.session.scalars(db.select(ExamRegistration).filter_by(slot_id=slot.id)))
            out[slot.id] = (slot.taken, users)
        return out


def test_new_registration_with_a_stale_slot_is_refused_by_the_update(app, uni, ex):
    first, late = uni.students[0], uni.students[1]
    with request_scope(app):
        slot = db.session.get(ExamSlot, ex.slot1.id)
        exam, user = db.session.get(Exam, ex.exam.id), db.session.get(User, late.id)
        assert slot.taken == 0  # what this request read: a free seat
        take(app, ex, first, ex.slot1)  # meanwhile another student takes it
        with pytest.raises(ServiceError) as refused:
            place(exam, user, slot)
        assert refused.value.reason == "slot_full"
    assert seats(app)[ex.slot1.id] == (1, [first.id])


def test_switch_to_a_stale_slot_keeps_the_old_seat(app, uni, ex):
    mover, first = uni.students[0], uni.students[1]
    take(app, ex, mover, ex.slot2)
    with request_scope(app):
        slot = db.session.get(ExamSlot, ex.slot1.id)
        exam, user = db.session.get(Exam, ex.exam.id), db.session.get(User, mover.id)
        assert slot.taken == 0
        take(app, ex, first, ex.slot1)
        with pytest.raises(ServiceError) as refused:
            place(exam, user, slot)
        assert refused.value.reason == "slot_full"
    after = seats(app)
    assert after[ex.slot1.id] == (1, [first.id])
    assert after[ex.slot2.id] == (1, [mover.id])  # the old seat is kept, and still counted


def test_switch_into_a_free_seat_moves_the_count(app, uni, ex):
    mover = uni.students[0]
    take(app, ex, mover, ex.slot2)
    take(app, ex, mover, ex.slot1)
    after = seats(app)
    assert after[ex.slot1.id] == (1, [mover.id]) and after[ex.slot2.id] == (0, [])


def test_one_seat_per_exam_when_the_same_students_requests_race(app, uni, ex, monkeypatch):
    """The student's other request committed a seat after this one looked for it (as on
    PostgreSQL, where locking a row that does not exist yet locks nothing): the unique
    (exam, student) constraint refuses the second seat and this request gives its seat back."""
    student = uni.students[0]
    take(app, ex, student, ex.slot2)
    monkeypatch.setattr(registration, "_locked_registration", lambda exam, user_id: None)
    with pytest.raises(ServiceError) as refused:
        take(app, ex, student, ex.slot1)
    assert refused.value.reason == "registered_elsewhere"
    after = seats(app)
    assert after[ex.slot1.id] == (0, []) and after[ex.slot2.id] == (1, [student.id])


def test_one_seat_per_exam_in_batch_registration(app, api, uni, ex):
    student = uni.students[0]
    take(app, ex, student, ex.slot2)
    body = api.call("services/exams/batch_register_exam", admin=True, exam_id=ex.exam.id,
                    values=json.dumps({"1": {"1": [student.id]}})).get_json()
    assert body == {"1": {"1": {str(student.id): "e_already_registered"}}}
    after = seats(app)
    assert after[ex.slot1.id] == (0, []) and after[ex.slot2.id] == (1, [student.id])


# --- admission, with grades entered through the grading service --------------------------------

@pytest.fixture
def admission(app, uni, ex):
    """The exam requires at least 4 in an exam report with two sessions; students 0..3 hold
    (first sitting, resit): 4 / -, 3,5 / -, 2 / 4, 4,5 / -."""
    report = GradesFactory(app).report(uni.edition, sessions=2)
    with app.app_context():
        four = db.session.get(GradeType, "PL").value_for("4")
        db.session.add(ExamCondition(exam_id=ex.exam.id, examrep_id=report.id, grade_value_id=four.id))
        db.session.commit()
    s = uni.students
    for student, symbol, number in ((s[0], "4", 1), (s[1], "3,5", 1), (s[2], "2", 1), (s[2], "4", 2),
                                    (s[3], "4,5", 1)):
        write_grade(app, uni.coordinator, report, student, symbol, number)
    return report


def try_place(app, ex, student, slot):
    try:
        take(app, ex, student, slot)
        return "registered"
    except ServiceError as err:
        return err.reason


def test_admission_exactly_at_the_minimum_grade(app, uni, ex, admission):
    s = uni.students
    assert try_place(app, ex, s[0], ex.slot1) == "registered"   # 4 with minimum 4
    assert try_place(app, ex, s[1], ex.slot2) == "not_admitted"  # 3,5
    assert try_place(app, ex, s[2], ex.slot2) == "registered"   # 4 in the resit
    assert try_place(app, ex, s[4], ex.g2slot) == "not_admitted"  # no grade at all
    assert seats(app)[ex.slot2.id] == (1, [s[2].id])


def test_batch_registration_follows_admission(app, api, uni, ex, admission):
    s = uni.students
    values = {"1": {"1": [s[1].id], "2": [s[0].id]}, "2": {"1": [s[4].id, s[3].id]}}
    body = api.call("services/exams/batch_register_exam", admin=True, exam_id=ex.exam.id,
                    values=json.dumps(values)).get_json()
    assert body == {"1": {"1": {str(s[1].id): "e_not_permitted"}, "2": {str(s[0].id): "success"}},
                    "2": {"1": {str(s[4].id): "e_not_permitted", str(s[3].id): "success"}}}
    after = seats(app)
    assert after[ex.slot1.id] == (0, []) and after[ex.slot2.id] == (1, [s[0].id])
    assert after[ex.g2slot.id] == (1, [s[3].id])


def test_batch_page_follows_admission(app, client, auth, uni, ex, admission):
    s = uni.students
    auth.login("admin")
    client.post("/lang/en")
    numbers = f"{s[1].student_number} {s[0].student_number}"
    r = client.post(f"/exams/manage/exams/{ex.exam.id}/batch", data={"slot": str(ex.g2slot.id), "numbers": numbers})
    assert r.status_code == 200
    outcome = r.get_data(as_text=True)
    assert s[0].student_number in outcome and s[1].student_number in outcome
    assert seats(app)[ex.g2slot.id] == (1, [s[0].id])
