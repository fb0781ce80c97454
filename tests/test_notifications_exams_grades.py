"""Exam seats given or taken by staff, micro-round draws and grades tell the students: once, in
their language, with an iCalendar part for seats; a grade's quick corrections make one message."""
import json
from datetime import timedelta

import pytest

from portal import clock
from portal.auth.models import User
from portal.exams import rounds
from portal.exams.models import Exam, ExamGroup, ExamSlot
from portal.extensions import db
from portal.notifications.models import Notification, NotificationSettings

from .factories_exams import ExamFactory
from .factories_grades import GradesFactory
from .smtp import deliver, mail_to, smtp  # noqa: F401  (smtp: the fixture)

GRADE_DELAY = 301  # past NOTIFY_GRADE_DELAY


def addr(user):
    return f"{user.login}@example.edu.pl"


def english(app, user):
    with app.app_context():
        db.session.add(NotificationSettings(user_id=user.id, chosen_lang="en", email_off=[], updated_at=clock.now()))
        db.session.commit()


def kinds(app):
    with app.app_context():
        return sorted((n.user_id, n.kind) for n in db.session.scalars(db.select(Notification)))


# --- exams -----------------------------------------------------------------------------------

def test_batch_methods_give_and_take_seats_with_a_calendar(app, api, smtp, uni):
    ex = ExamFactory(app).setup(uni)
    english(app, uni.students[1])
    values = json.dumps({"1": {"1": [uni.students[0].id, uni.students[1].id, uni.outsider.id]}})
    r = api.call("services/exams/batch_register_exam", admin=True, exam_id=ex.exam.id, values=values)
    assert r.status_code == 200, r.get_json()
    assert kinds(app) == sorted([(uni.students[0].id, "exam_registered"), (uni.students[1].id, "exam_registered")])
    r = api.call("services/exams/batch_register_exam", admin=True, exam_id=ex.exam.id, values=values)
    assert len(kinds(app)) == 2  # already registered: nothing new to say
    deliver(app)
    [pl] = mail_to(smtp, addr(uni.students[0]))
    assert pl.subject == f"Zarejestrowano Cię na egzamin: Egzamin {ex.exam.code[3:]} (C-1)"
    assert "Grupa 1, termin 1:" in pl.text() and f"Sala: {uni.room.label}" in pl.text()
    [en] = mail_to(smtp, addr(uni.students[1]))
    assert en.subject.startswith("You are registered for an exam: Exam ")
    assert "registered you" not in en.text()  # an application acting on its own: nobody to name
    event = en.event()
    uid = f"exam-{ex.exam.id}-slot-{ex.slot1.id}-user-{uni.students[1].id}@indeks"
    assert str(en.calendar()["METHOD"]) == "REQUEST" and str(event["UID"]) == uid
    assert event.decoded("DTSTART").replace(tzinfo=None) == ex.slot1.start
    r = api.call("services/exams/batch_unregister_exam", admin=True, exam_id=ex.exam.id,
                 values=json.dumps({"1": {"1": [uni.students[1].id]}}))
    assert r.status_code == 200
    deliver(app)
    [_, gone] = mail_to(smtp, addr(uni.students[1]))
    assert gone.subject.startswith("Your exam seat has been cancelled: Exam ")
    assert "unregistered you" not in gone.text()  # the batch methods act for an application, not a person
    assert str(gone.calendar()["METHOD"]) == "CANCEL" and str(gone.event()["UID"]) == uid
    assert int(gone.event()["SEQUENCE"]) == 1


def test_the_batch_page_tells_each_student_registered(app, client, auth, smtp, uni):
    ex = ExamFactory(app).setup(uni)
    auth.login("admin")
    numbers = f"{uni.students[2].student_number}\n{uni.students[3].student_number}\n999999"
    r = client.post(f"/exams/manage/exams/{ex.exam.id}/batch", data={"slot": ex.slot2.id, "numbers": numbers})
    assert r.status_code == 200
    deliver(app)
    assert sorted(m.to[0] for m in smtp.messages) == sorted([addr(uni.students[2]), addr(uni.students[3])])
    assert all("termin 2" in m.text() for m in smtp.messages)
    assert all(f"Zarejestrował(a) Cię: {uni.admin.display_name}." in m.text() for m in smtp.messages)


def seat(app, exam, slot, user):
    from portal.exams import registration
    with app.app_context():
        registration.place(db.session.get(Exam, exam.id), db.session.get(User, user.id),
                           db.session.get(ExamSlot, slot.id), check_window=False)
        db.session.commit()


def group_form(group, **changes):
    data = {"number": group.number, "start": group.start.strftime("%Y-%m-%dT%H:%M"),
            "end": group.end.strftime("%Y-%m-%dT%H:%M"), "room_id": str(group.room_id or ""),
            "capacity": group.capacity, "number_of_slots": group.number_of_slots,
            "examiners": [u.id for u in group.examiners]}
    return {**data, **changes}


def test_moving_a_group_tells_its_students_the_new_time_and_updates_their_calendars(app, client, auth, smtp, uni):
    ex = ExamFactory(app).setup(uni)
    seat(app, ex.exam, ex.slot1, uni.students[0])
    seat(app, ex.exam, ex.slot2, uni.students[1])
    seat(app, ex.exam, ex.g2slot, uni.students[2])
    english(app, uni.students[1])
    auth.login("admin")
    url = f"/exams/manage/exams/{ex.exam.id}/groups/{ex.g1.id}/edit"
    with app.app_context():
        g1 = db.session.get(ExamGroup, ex.g1.id)
        unchanged, old_start = group_form(g1), g1.start
        later = g1.start + timedelta(days=1)
        moved = group_form(g1, start=later.strftime("%Y-%m-%dT%H:%M"),
                           end=(g1.end + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    assert client.post(url, data=unchanged).status_code == 303
    assert kinds(app) == []  # saved as it was: nothing to tell
    assert client.post(url, data=moved).status_code == 303
    assert kinds(app) == sorted([(uni.students[0].id, "exam_moved"), (uni.students[1].id, "exam_moved")])
    deliver(app)
    [pl] = mail_to(smtp, addr(uni.students[0]))
    assert pl.subject == f"Zmieniono termin lub salę Twojego egzaminu: Egzamin {ex.exam.code[3:]} (C-1)"
    assert "Grupa 1, termin 1:" in pl.text() and "Wcześniej:" in pl.text() and f"Sala: {uni.room.label}" in pl.text()
    [en] = mail_to(smtp, addr(uni.students[1]))
    assert en.subject.startswith("Your exam has been moved: Exam ") and "Before:" in en.text()
    event = en.event()
    assert str(en.calendar()["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == f"exam-{ex.exam.id}-slot-{ex.slot2.id}-user-{uni.students[1].id}@indeks"
    assert event.decoded("DTSTART").replace(tzinfo=None) == ex.slot2.start + timedelta(days=1)
    assert event.decoded("DTSTART").replace(tzinfo=None) > old_start
    assert mail_to(smtp, addr(uni.students[2])) == []  # group 2 did not move


def test_a_new_room_is_news_too_and_a_refused_save_tells_nobody(app, client, auth, smtp, uni):
    ex = ExamFactory(app).setup(uni)
    seat(app, ex.exam, ex.slot1, uni.students[0])
    seat(app, ex.exam, ex.slot1, uni.students[1])
    auth.login("admin")
    url = f"/exams/manage/exams/{ex.exam.id}/groups/{ex.g1.id}/edit"
    with app.app_context():
        g1 = db.session.get(ExamGroup, ex.g1.id)
        too_small = group_form(g1, capacity=2, start=(g1.start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
        no_room = group_form(g1, room_id="")
    assert client.post(url, data=too_small).status_code == 422  # slot 1 holds two of one seat
    assert kinds(app) == []
    assert client.post(url, data=no_room).status_code == 303
    assert kinds(app) == sorted([(uni.students[0].id, "exam_moved"), (uni.students[1].id, "exam_moved")])
    deliver(app)
    [pl] = mail_to(smtp, addr(uni.students[0]))
    assert f"({uni.room.label})" in pl.text() and "Sala:" not in pl.text()  # before: the old room; now none


def test_a_micro_round_draw_tells_winners_and_losers(app, smtp, uni):
    ex = ExamFactory(app).setup(uni, capacity=1, slots=1, micro_round_length=60, micro_break_length=0)
    t = ex.exam.registration_start + timedelta(days=1, seconds=5)
    with app.app_context():
        end = db.session.get(Exam, ex.exam.id).micro_round(t)[2]
        for student in uni.students[:2]:
            rounds.submit_request(db.session.get(Exam, ex.exam.id), db.session.get(User, student.id),
                                  [ex.slot1.id], now=t)
            db.session.commit()
        assert db.session.scalar(db.select(db.func.count(Notification.id))) == 0  # a request says nothing
        [draw] = rounds.settle(db.session.get(Exam, ex.exam.id), now=end)
        db.session.commit()
        winner, loser = draw.order
    deliver(app)
    by_id = {s.id: s for s in uni.students}
    [won] = mail_to(smtp, addr(by_id[winner]))
    assert won.subject.startswith("Wynik losowania: masz miejsce na egzaminie")
    assert str(won.calendar()["METHOD"]) == "REQUEST"
    [lost] = mail_to(smtp, addr(by_id[loser]))
    assert lost.subject.startswith("Wynik losowania: brak miejsca na egzaminie") and lost.calendar_part() is None
    assert "Możesz wybrać inny termin" in lost.text()


# --- grades ----------------------------------------------------------------------------------

@pytest.fixture
def graded(app, uni):
    g = GradesFactory(app)
    uni.report = g.report(uni.edition)
    uni.grade = g.grade(uni.report, uni.student, "3", by=uni.coordinator)
    return uni


def save(client, app, uni, student, **data):
    from portal.grades.models import Grade
    with app.app_context():
        grade = db.session.scalar(db.select(Grade).filter_by(student_id=student.id))
        stamp = clock.fmt_datetime(grade.date_modified) if grade else ""
    return client.post(f"/grades/reports/{uni.report.id}/sessions/1/students/{student.id}",
                       data={"date_modified": stamp, **data})


def test_a_grade_saved_and_corrected_makes_one_message(app, client, auth, smtp, graded):
    uni = graded
    auth.login("coord")
    assert save(client, app, uni, uni.student, value="4").status_code == 303
    assert save(client, app, uni, uni.student, value="4,5", comment="Dobra praca").status_code == 303
    assert deliver(app).sent == 0  # the grade waits for corrections
    assert deliver(app, later=GRADE_DELAY).sent == 1
    [got] = mail_to(smtp, addr(uni.student))
    assert got.subject == "Ocena z przedmiotu Przedmiot C-1: 4,5"
    assert "Ocena 4,5 (wcześniej: 3)" in got.text() and "Komentarz: Dobra praca" in got.text()
    assert "Wystawił(a): dr First" in got.text() and got.calendar_part() is None
    assert save(client, app, uni, uni.student, value="4,5", comment="Dobra praca",
                private_comment="tylko dla nas").status_code == 303
    assert deliver(app, later=GRADE_DELAY).sent == 0  # a private comment is nobody's news
    assert save(client, app, uni, uni.student, value="5", comment="Dobra praca").status_code == 303
    assert deliver(app, later=GRADE_DELAY).sent == 1  # after the first went out: a new message
    assert "Ocena 5 (wcześniej: 4,5)" in mail_to(smtp, addr(uni.student))[1].text()


def test_a_correction_back_to_where_it_was_says_nothing(app, client, auth, smtp, graded):
    uni = graded
    auth.login("coord")
    save(client, app, uni, uni.student, value="4")
    save(client, app, uni, uni.student, value="3")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Notification.id))) == 0


def _export(client, report):
    return client.get(f"/grades/reports/{report.id}/sessions/1/export.csv").get_data(as_text=True) \
        .lstrip("\ufeff").splitlines()


def _edited(lines, changes):
    """The export with {row number: {column: value}} applied."""
    out = [lines[0]]
    columns = lines[0].split(",")
    for number, line in enumerate(lines[1:], 1):
        parts = line.split(",")
        for column, value in changes.get(number, {}).items():
            parts[columns.index(column)] = value
        out.append(",".join(parts))
    return "\n".join(out) + "\n"


def test_a_csv_import_tells_each_student_once(app, client, auth, smtp, graded):
    uni = graded
    auth.login("coord")
    lines = _export(client, uni.report)
    ids = [int(line.split(",")[0]) for line in lines[1:]]
    english(app, uni.students[1])
    content = _edited(lines, {ids.index(uni.student.id) + 1: {"grade": "5"},
                              ids.index(uni.students[1].id) + 1: {"grade": "4"}})
    r = client.post(f"/grades/reports/{uni.report.id}/sessions/1/import/apply", data={"content": content})
    assert r.status_code == 303
    deliver(app, later=GRADE_DELAY)
    assert sorted(m.to[0] for m in smtp.messages) == sorted([addr(uni.student), addr(uni.students[1])])
    assert mail_to(smtp, addr(uni.students[1]))[0].subject == "Grade in Course C-1: 4"


def test_an_import_refused_half_way_tells_nobody(app, client, auth, smtp, uni):
    """The first row is applied, the second refused (no date obtained where the session needs
    one): the whole import rolls back, and with it the first row's message."""
    from portal.grades.models import Grade
    report = GradesFactory(app).report(uni.edition, acquisition_required=True)
    auth.login("coord")
    lines = _export(client, report)
    content = _edited(lines, {1: {"grade": "4", "date_acquisition": clock.today().isoformat()}, 2: {"grade": "5"}})
    r = client.post(f"/grades/reports/{report.id}/sessions/1/import/apply", data={"content": content})
    assert r.status_code == 409
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Notification.id))) == 0
        assert db.session.scalar(db.select(db.func.count(Grade.id))) == 0
    assert deliver(app, later=GRADE_DELAY).sent == 0 and smtp.messages == []


def test_the_api_grade_update_notifies(app, api, smtp, graded):
    uni = graded
    with app.app_context():
        from portal.grades.models import Grade
        stamp = clock.fmt_datetime(db.session.get(Grade, uni.grade.id).date_modified)
    r = api.call("services/examrep2/update_student_grade", user=uni.coordinator, student_id=uni.student.id,
                 examrep_id=uni.report.id, examrep_session_number=1, value_symbol="2", date_modified=stamp)
    assert r.status_code == 200, r.get_json()
    deliver(app, later=GRADE_DELAY)
    [got] = mail_to(smtp, addr(uni.student))
    assert "Ocena 2 (wcześniej: 3)" in got.text()
