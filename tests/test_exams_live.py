"""Real simultaneous HTTP requests against a 4-worker gunicorn, and a student in a real browser."""
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest

from portal.exams.models import ExamRegistration, ExamSlot
from portal.extensions import db

from .conftest import browser_login
from .factories_exams import ExamFactory

N_STUDENTS = 24
HX = {"HX-Request": "true"}


def _counts(app, exam_id):
    with app.app_context():
        slots = db.session.scalars(db.select(ExamSlot).order_by(ExamSlot.id)).all()
        regs = db.session.scalars(db.select(ExamRegistration).filter_by(exam_id=exam_id)).all()
        per_slot = {s.id: sum(1 for r in regs if r.slot_id == s.id) for s in slots}
        return {s.id: (s.taken, per_slot[s.id], s.capacity) for s in slots}, {r.user_id: r.slot_id for r in regs}


def _rush(sessions, url_for_session):
    """Every session posts at the same moment (a barrier releases them together)."""
    barrier = Barrier(len(sessions))

    def hit(i):
        barrier.wait()
        return sessions[i].post(url_for_session(i), headers=HX, timeout=60)
    with ThreadPoolExecutor(max_workers=len(sessions)) as pool:
        return list(pool.map(hit, range(len(sessions))))


@pytest.mark.live
def test_rush_more_students_than_seats(app, make, live_server):
    uni = make.university(n_students=N_STUDENTS)
    ex = ExamFactory(app).setup(uni, capacity=10, slots=2)  # slots of 5 seats; group 2 has one slot of 2
    srv = live_server(workers=4)
    sessions = [srv.session(f"stud{i}") for i in range(1, N_STUDENTS + 1)]
    base = f"{srv.url}/exams/{ex.exam.id}/slots/"

    answers = _rush(sessions, lambda i: base + str(ex.slot1.id))
    codes = [r.status_code for r in answers]
    assert all(c < 500 for c in codes), codes
    assert codes.count(200) == 5 and codes.count(409) == N_STUDENTS - 5, codes
    # the interface speaks Polish unless told otherwise
    assert all("Ten termin jest już pełny: wybierz inny." in r.text for r in answers if r.status_code == 409)
    slots, seats = _counts(app, ex.exam.id)
    assert slots[ex.slot1.id] == (5, 5, 5)
    winners = {i for i, r in enumerate(answers) if r.status_code == 200}
    assert {uni.students[i].id for i in winners} == set(seats)

    # Everyone at once again: winners try to switch to slot 2, the others to register there.
    answers = _rush(sessions, lambda i: base + str(ex.slot2.id))
    codes = [r.status_code for r in answers]
    assert all(c < 500 for c in codes), codes
    assert codes.count(200) == 5, codes
    slots, seats = _counts(app, ex.exam.id)
    assert slots[ex.slot2.id] == (5, 5, 5)
    assert slots[ex.slot1.id][0] == slots[ex.slot1.id][1] <= 5  # switched-away seats were given back
    assert len(seats) == 5 + slots[ex.slot1.id][1]

    # One student's many simultaneous requests for different slots: at most one seat, never two.
    loner = srv.session(f"stud{N_STUDENTS}")
    targets = [ex.g2slot.id, ex.slot1.id, ex.g2slot.id, ex.slot1.id]
    barrier = Barrier(len(targets))

    def hit(slot_id):
        barrier.wait()
        return loner.post(base + str(slot_id), headers=HX, timeout=60).status_code
    with ThreadPoolExecutor(max_workers=len(targets)) as pool:
        codes = list(pool.map(hit, targets))
    assert all(c < 500 for c in codes), codes
    slots, seats = _counts(app, ex.exam.id)
    assert all(taken == held <= cap for taken, held, cap in slots.values()), slots
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ExamRegistration.id)).filter_by(
            user_id=uni.students[-1].id)) <= 1


@pytest.mark.live
def test_opposite_switches_at_once(app, make, live_server):
    """Students swap slots in both directions at the same moment: no deadlock, no lost seat."""
    uni = make.university(n_students=16)
    ex = ExamFactory(app).setup(uni, capacity=20, slots=2)  # two slots of 10
    with app.app_context():
        from portal.auth.models import User
        from portal.exams.models import Exam
        from portal.exams.registration import place
        exam = db.session.get(Exam, ex.exam.id)
        for i, student in enumerate(uni.students):
            slot = db.session.get(ExamSlot, (ex.slot1 if i < 8 else ex.slot2).id)
            place(exam, db.session.get(User, student.id), slot)
        db.session.commit()
    srv = live_server(workers=4)
    sessions = [srv.session(f"stud{i}") for i in range(1, 17)]
    base = f"{srv.url}/exams/{ex.exam.id}/slots/"
    answers = _rush(sessions, lambda i: base + str((ex.slot2 if i < 8 else ex.slot1).id))
    codes = [r.status_code for r in answers]
    assert all(c in (200, 409) for c in codes), codes
    slots, seats = _counts(app, ex.exam.id)
    assert len(seats) == 16  # nobody lost a seat
    assert all(taken == held <= cap for taken, held, cap in slots.values()), slots
    moved = {uni.students[i].id for i, c in enumerate(codes) if c == 200}
    for i, student in enumerate(uni.students):
        wanted, old = (ex.slot2.id, ex.slot1.id) if i < 8 else (ex.slot1.id, ex.slot2.id)
        assert seats[student.id] == (wanted if student.id in moved else old)


@pytest.mark.live
@pytest.mark.browser
def test_student_picks_sees_switches_leaves(app, make, live_server, page):
    uni = make.university(n_students=3)
    ex = ExamFactory(app).setup(uni, capacity=2, slots=2)  # one seat per slot in group 1
    srv = live_server(workers=2)
    browser_login(page, srv.url, "stud1")
    page.goto(f"{srv.url}/exams/")
    page.get_by_role("link", name=ex.exam.name["en"]).click()
    page.get_by_test_id("slot-1-1").get_by_test_id("pick").click()
    page.get_by_test_id("my-slot").wait_for()
    assert "You are registered for slot 1 of group 1" in page.get_by_test_id("message").inner_text()
    assert "Your slot" in page.get_by_test_id("slot-1-1").inner_text()
    assert page.get_by_test_id("slot-1-1").get_by_test_id("free").inner_text() == "0 of 1 free"
    # Meanwhile another student takes the last seat of slot 2: switching there is refused, the seat kept.
    other = srv.session("stud2")
    assert other.post(f"{srv.url}/exams/{ex.exam.id}/slots/{ex.slot2.id}", headers=HX).status_code == 200
    page.get_by_test_id("slot-1-2").get_by_test_id("pick").click()
    page.get_by_text("This slot is full").wait_for()
    assert "Full" in page.get_by_test_id("slot-1-2").inner_text()
    assert "Your slot" in page.get_by_test_id("slot-1-1").inner_text()
    # Switch to group 2, then leave.
    page.get_by_test_id("slot-2-1").get_by_test_id("pick").click()
    page.get_by_text("You switched to slot 1 of group 2").wait_for()
    assert "Your slot" in page.get_by_test_id("slot-2-1").inner_text()
    page.get_by_test_id("leave").click()  # asks first: the seat would go to someone else at once
    page.get_by_test_id("leave-no").click()
    assert "Your slot" in page.get_by_test_id("slot-2-1").inner_text()
    page.get_by_test_id("leave").click()
    page.get_by_test_id("leave-yes").click()
    page.get_by_text("You left the exam").wait_for()
    assert page.get_by_test_id("my-slot").count() == 0
    slots, seats = _counts(app, ex.exam.id)
    assert seats == {uni.students[1].id: ex.slot2.id}
