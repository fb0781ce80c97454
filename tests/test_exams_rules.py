"""The registration rules, called as the portal and the API call them."""
from datetime import timedelta

import pytest

from portal import clock
from portal.auth.models import User
from portal.errors import ServiceError
from portal.exams import manage, rounds
from portal.exams.models import Exam, ExamCondition, ExamDraw, ExamGroup, ExamRegistration, ExamSlot
from portal.exams.registration import clashes, leave, place
from portal.exams.services import examiner_student_ids
from portal.extensions import db
from portal.university.models import GradeType

from .factories_exams import ExamFactory


@pytest.fixture
def uni(make):
    return make.university(n_students=6)


def run(app, fn):
    """Call a service as a request would: one transaction, committed, or rolled back on refusal."""
    with app.app_context():
        try:
            result = fn()
            db.session.commit()
            return result
        except ServiceError as err:
            db.session.rollback()
            return err


def objs(exam_id, *ids):
    return [db.session.get(Exam, exam_id)] + [db.session.get(t, i) for t, i in ids]


def do_place(app, ex, student, slot, **kw):
    def fn():
        exam, user, s = objs(ex.exam.id, (User, student.id), (ExamSlot, slot.id))
        return place(exam, user, s, **kw)[0]
    return run(app, fn)


def do_leave(app, ex, student, **kw):
    return run(app, lambda: leave(db.session.get(Exam, ex.exam.id), db.session.get(User, student.id), **kw))


def taken(app, slot):
    with app.app_context():
        return db.session.get(ExamSlot, slot.id).taken


def test_capacity_spread_evenly(app, uni):
    exam = ExamFactory(app).setup(uni).exam
    group = ExamFactory(app).group(exam, 3, capacity=10, slots=3, minutes=90)
    assert [(s.capacity, s.start.strftime("%H:%M"), s.end.strftime("%H:%M")) for s in group.slots] == [
        (4, "09:00", "09:30"), (3, "09:30", "10:00"), (3, "10:00", "10:30")]


def test_register_full_switch_and_leave(app, uni, ex):
    s = uni.students
    assert do_place(app, ex, s[0], ex.slot1) == "registered"
    assert do_place(app, ex, s[1], ex.slot1) == "registered"
    full = do_place(app, ex, s[2], ex.slot1)
    assert isinstance(full, ServiceError) and full.reason == "slot_full" and "full" in full.message
    assert do_place(app, ex, s[0], ex.slot1).reason == "already_registered"
    # switching: the old seat is freed only when the new one is taken
    assert do_place(app, ex, s[0], ex.slot2) == "switched"
    assert (taken(app, ex.slot1), taken(app, ex.slot2)) == (1, 1)
    assert do_place(app, ex, s[2], ex.slot1) == "registered"
    assert do_place(app, ex, s[3], ex.slot2) == "registered"
    refused = do_place(app, ex, s[3], ex.slot1)  # slot 1 full: s[3] keeps the seat in slot 2
    assert refused.reason == "slot_full"
    with app.app_context():
        reg = db.session.scalar(db.select(ExamRegistration).filter_by(user_id=s[3].id))
        assert reg.slot_id == ex.slot2.id
    assert do_leave(app, ex, s[3]) == ex.slot2.id
    assert do_leave(app, ex, s[3]).reason == "not_registered"
    assert (taken(app, ex.slot1), taken(app, ex.slot2)) == (2, 1)


def test_only_course_students(app, uni, ex):
    assert do_place(app, ex, uni.outsider, ex.slot1).reason == "not_attending"


def test_windows(app, uni, ex):
    now = clock.now()
    with app.app_context():
        exam = db.session.get(Exam, ex.exam.id)
        exam.register_until = now + timedelta(days=1)
        exam.exchange_until = now - timedelta(hours=1)
        exam.unregister_until = now - timedelta(hours=1)
        db.session.commit()
    assert do_place(app, ex, uni.students[0], ex.slot1) == "registered"
    assert do_place(app, ex, uni.students[0], ex.slot2).reason == "exchange_closed"
    assert do_leave(app, ex, uni.students[0]).reason == "unregistration_closed"
    later = now + timedelta(days=2)
    assert do_place(app, ex, uni.students[1], ex.slot1, now=later).reason == "registration_closed"
    with app.app_context():
        db.session.get(Exam, ex.exam.id).session.status = "active_reg_only"
        db.session.get(Exam, ex.exam.id).exchange_until = None
        db.session.commit()
    assert do_place(app, ex, uni.students[0], ex.slot2).reason == "exchange_closed"
    assert do_place(app, ex, uni.students[1], ex.slot1) == "registered"
    with app.app_context():
        db.session.get(Exam, ex.exam.id).session.status = "closed"
        db.session.commit()
    assert do_place(app, ex, uni.students[2], ex.slot2).reason == "registration_closed"


def test_admission_conditions(app, uni, ex, monkeypatch):
    with app.app_context():
        four = db.session.get(GradeType, "PL").value_for("4")
        db.session.add(ExamCondition(exam_id=ex.exam.id, examrep_id=11, grade_value=four))
        db.session.add(ExamCondition(exam_id=ex.exam.id, examrep_id=12))
        db.session.commit()
    grades = {(uni.students[0].id, 11): "4,5", (uni.students[0].id, 12): "3",
              (uni.students[1].id, 11): "3,5", (uni.students[1].id, 12): "5",
              (uni.students[2].id, 11): "5", (uni.students[2].id, 12): "2"}
    calls = []

    def best(user_id, examrep_id):
        calls.append((user_id, examrep_id))
        symbol = grades.get((user_id, examrep_id))
        return db.session.get(GradeType, "PL").value_for(symbol) if symbol else None
    monkeypatch.setattr("portal.grades.services.student_best_grade", best, raising=False)
    assert do_place(app, ex, uni.students[0], ex.slot1) == "registered"
    err = do_place(app, ex, uni.students[1], ex.slot1)
    assert err.reason == "not_admitted" and err.extra["examrep_ids"] == ["11"]
    assert do_place(app, ex, uni.students[2], ex.slot1).extra["examrep_ids"] == ["12"]
    assert do_place(app, ex, uni.students[3], ex.slot1).extra["examrep_ids"] == ["11", "12"]
    assert (uni.students[1].id, 11) in calls


def test_clash_warning(app, uni, ex):
    factory = ExamFactory(app)
    other = factory.exam(ex.session, uni.course.id, uni.term.id)
    g = factory.group(other, 1, capacity=5, slots=1, day=7, hour=9, minutes=30)  # overlaps group 1 slot 1
    assert do_place(app, ex, uni.student, ex.slot1) == "registered"
    with app.app_context():
        found = clashes(db.session.get(Exam, other.id), db.session.get(ExamSlot, g.slots[0].id),
                        db.session.get(User, uni.student.id))
        assert [r.exam_id for r in found] == [ex.exam.id]
        assert clashes(db.session.get(Exam, ex.exam.id), db.session.get(ExamSlot, ex.g2slot.id),
                       db.session.get(User, uni.student.id)) == []


def test_examiner_student_ids(app, uni, ex):
    with app.app_context():
        db.session.get(Exam, ex.exam.id).examrep_id = 42
        db.session.commit()
    do_place(app, ex, uni.students[0], ex.slot1)
    do_place(app, ex, uni.students[1], ex.g2slot)
    with app.app_context():
        assert examiner_student_ids(uni.lecturer.id, 42) == {uni.students[0].id}
        assert examiner_student_ids(uni.other_lecturer.id, 42) == {uni.students[1].id}
        assert examiner_student_ids(uni.lecturer.id, 43) == set()


def test_group_edit_keeps_students(app, uni, ex):
    do_place(app, ex, uni.students[0], ex.slot2)
    do_place(app, ex, uni.students[1], ex.slot2)

    def edit(capacity, slots):
        def fn():
            exam = db.session.get(Exam, ex.exam.id)
            group = db.session.get(ExamGroup, ex.g1.id)
            return manage.save_group(exam, group, db.session.get(User, uni.coordinator.id), number=1,
                                     start=group.start, end=group.end, capacity=capacity, number_of_slots=slots)
        return run(app, fn)
    assert edit(2, 2).reason == "slot_overfull"   # slot 2 would get 1 seat but holds 2
    assert edit(4, 1).reason == "slot_overfull"   # slot 2 would vanish
    assert isinstance(edit(6, 2), ExamGroup)
    assert [taken(app, ex.slot1), taken(app, ex.slot2)] == [0, 2]
    res = run(app, lambda: manage.save_group(db.session.get(Exam, ex.exam.id), None,
                                             db.session.get(User, uni.student.id), number=5, start=ex.g1.start,
                                             end=ex.g1.end, capacity=3, number_of_slots=1))
    assert res.reason == "not_manager"


def _micro_exam(app, uni, **kw):
    factory = ExamFactory(app)
    setup = factory.setup(uni, capacity=2, slots=2, micro_round_length=60, micro_break_length=30, **kw)
    return setup


def test_micro_round_fair_draw(app, uni):
    ex = _micro_exam(app, uni, has_priorities=True, preferences_limit=2)
    start = ex.exam.registration_start
    t = start + timedelta(days=1, seconds=10)  # inside a round
    with app.app_context():
        exam = db.session.get(Exam, ex.exam.id)
        index, rstart, rend = exam.micro_round(t)
        assert rstart <= t < rend and rend - rstart == timedelta(seconds=60)
        assert exam.micro_round(rend + timedelta(seconds=5))[0] == index + 1  # a break belongs to the next round
    # five students want slot 1 first, slot 2 second; only two seats in all
    for student in uni.students[:5]:
        res = run(app, lambda: rounds.submit_request(db.session.get(Exam, ex.exam.id),
                                                     db.session.get(User, student.id),
                                                     [ex.slot1.id, ex.slot2.id], now=t))
        assert not isinstance(res, ServiceError), res
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ExamRegistration.id))) == 0  # nothing before the draw
    draws = run(app, lambda: [d.id for d in rounds.settle(db.session.get(Exam, ex.exam.id), now=rend)])
    assert len(draws) == 1
    with app.app_context():
        draw = db.session.get(ExamDraw, draws[0])
        assert sorted(draw.order) == sorted(s.id for s in uni.students[:5])
        assert rounds.replay(draw) == draw.order  # the recorded seed reproduces the order
        winners = [u for u in draw.order if draw.outcome[str(u)]]
        assert winners == draw.order[:2]
        assert draw.outcome[str(draw.order[0])] == ex.slot1.id and draw.outcome[str(draw.order[1])] == ex.slot2.id
        assert db.session.scalar(db.select(db.func.count(ExamRegistration.id))) == 2
        assert db.session.get(ExamSlot, ex.slot1.id).taken == 1
    assert run(app, lambda: rounds.settle(db.session.get(Exam, ex.exam.id), now=rend)) == []  # exactly once


def test_micro_round_without_priorities_takes_one_choice(app, uni):
    ex = _micro_exam(app, uni)
    t = clock.now()
    prefs = run(app, lambda: rounds.submit_request(db.session.get(Exam, ex.exam.id),
                                                   db.session.get(User, uni.student.id),
                                                   [ex.slot1.id, ex.slot2.id], now=t).preferences)
    assert prefs == [ex.slot1.id]
    bad = run(app, lambda: rounds.submit_request(db.session.get(Exam, ex.exam.id), db.session.get(User, uni.student.id),
                                                 [ex.g2slot.id + 100], now=t))
    assert bad.error == "param_invalid"
    out = run(app, lambda: rounds.submit_request(db.session.get(Exam, ex.exam.id), db.session.get(User, uni.outsider.id),
                                                 [ex.slot1.id], now=t))
    assert out.reason == "not_attending"


def test_draw_command(app, uni, runner):
    ex = _micro_exam(app, uni)
    t = clock.now()
    run(app, lambda: rounds.submit_request(db.session.get(Exam, ex.exam.id), db.session.get(User, uni.student.id),
                                           [ex.slot2.id], now=t))
    with app.app_context():
        db.session.scalar(db.select(rounds.ExamRequest)).round_end = t - timedelta(seconds=1)
        db.session.commit()
    result = runner.invoke(args=["exams-draw"])
    assert result.exit_code == 0 and "1 micro-round draw(s) run." in result.output
    with app.app_context():
        assert db.session.scalar(db.select(ExamRegistration)).slot_id == ex.slot2.id
