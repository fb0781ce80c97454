"""The exam registration pages: students, examiners, coordinators and administrators."""
from datetime import timedelta

import pytest

from portal import clock
from portal.exams.models import Exam, ExamGroup, ExaminationSession, ExamRegistration, ExamRequest, ExamSlot
from portal.auth.models import User
from portal.exams import manage
from portal.extensions import db

from .factories_exams import ExamFactory
from .factories_grades import GradesFactory

HX = {"HX-Request": "true"}


@pytest.fixture
def ex(app, uni):
    return ExamFactory(app).setup(uni, capacity=2, slots=2)  # one seat per slot in group 1


def seat_of(app, user):
    with app.app_context():
        reg = db.session.scalar(db.select(ExamRegistration).filter_by(user_id=user.id))
        return reg.slot_id if reg else None


def en(client):
    client.post("/lang/en")


def test_my_exams_and_exam_page(client, auth, uni, ex):
    auth.login("stud1")
    en(client)
    r = client.get("/exams/")
    assert r.status_code == 200 and ex.exam.code.encode() not in r.data and b"Exam " in r.data
    r = client.get(f"/exams/{ex.exam.id}")
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and 'id="slot-list"' in page and "Room" not in page
    assert "Building T 101" in page and uni.lecturer.last_name in page and "1 of 1 free" in page


def test_pick_full_switch_leave_with_htmx(app, client, auth, uni, ex):
    auth.login("stud2")
    assert client.post(f"/exams/{ex.exam.id}/slots/{ex.slot1.id}", headers=HX).status_code == 200
    auth.logout()
    auth.login("stud1")
    en(client)
    r = client.post(f"/exams/{ex.exam.id}/slots/{ex.slot1.id}", headers=HX)
    body = r.get_data(as_text=True)
    assert r.status_code == 409 and "This slot is full" in body
    r = client.post(f"/exams/{ex.exam.id}/slots/{ex.slot2.id}", headers=HX)
    assert r.status_code == 200 and "You are registered for slot 2 of group 1" in r.get_data(as_text=True)
    assert seat_of(app, uni.students[0]) == ex.slot2.id
    r = client.post(f"/exams/{ex.exam.id}/slots/{ex.g2slot.id}", headers=HX)
    assert r.status_code == 200 and "You switched to slot 1 of group 2" in r.get_data(as_text=True)
    r = client.get(f"/exams/{ex.exam.id}/leave")  # the button leads to a confirmation first
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "Leave this exam?" in page and "group 2, slot 1" in page
    assert seat_of(app, uni.students[0]) == ex.g2slot.id
    r = client.post(f"/exams/{ex.exam.id}/leave", headers=HX)
    assert r.status_code == 200 and "You left the exam" in r.get_data(as_text=True)
    assert seat_of(app, uni.students[0]) is None
    assert client.get(f"/exams/{ex.exam.id}/leave").status_code == 302  # no seat: back to the exam
    with app.app_context():
        assert [db.session.get(ExamSlot, s.id).taken for s in (ex.slot1, ex.slot2, ex.g2slot)] == [1, 0, 0]


def test_refusal_answers_only_the_message_and_the_row(app, client, auth, uni, ex):
    """A click on a full slot gets the message and that slot's row, out of band, not the list."""
    auth.login("stud2")
    client.post(f"/exams/{ex.exam.id}/slots/{ex.slot1.id}", headers=HX)
    auth.logout()
    auth.login("stud1")
    en(client)
    r = client.post(f"/exams/{ex.exam.id}/slots/{ex.slot1.id}", headers=HX)
    body = r.get_data(as_text=True)
    assert r.status_code == 409 and r.headers["HX-Reswap"] == "none"
    assert 'id="slot-list"' not in body and f'id="slot-row-{ex.slot1.id}" data-testid="slot-1-1"' in body
    assert body.count('hx-swap-oob="true"') == 2 and "This slot is full" in body and ">0 of 1 free<" in body
    assert "Full" in body and 'data-testid="pick"' not in body and seat_of(app, uni.students[0]) is None
    # the winner clicking again (a stale page) is told the seat is theirs, the row marked as theirs
    auth.logout()
    auth.login("stud2")
    en(client)
    r = client.post(f"/exams/{ex.exam.id}/slots/{ex.slot1.id}", headers=HX)
    body = r.get_data(as_text=True)
    assert r.status_code == 409 and "You are already registered in this slot" in body and "Your slot" in body
    # without htmx the same refusal is a message on the exam page
    r = client.post(f"/exams/{ex.exam.id}/slots/{ex.slot1.id}")
    assert r.status_code == 303 and "already registered" in client.get(r.headers["Location"]).get_data(as_text=True)


def test_plain_form_post_redirects_with_flash(app, client, auth, uni, ex):
    auth.login("stud1")
    r = client.post(f"/exams/{ex.exam.id}/slots/{ex.slot1.id}")
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/exams/{ex.exam.id}")
    r = client.get(r.headers["Location"])
    assert "flash-success" in r.get_data(as_text=True) and seat_of(app, uni.students[0]) == ex.slot1.id


def test_closed_window_message(app, client, auth, ex):
    with app.app_context():
        db.session.get(Exam, ex.exam.id).registration_end = clock.now() - timedelta(minutes=1)
        db.session.commit()
    auth.login("stud1")
    en(client)
    r = client.post(f"/exams/{ex.exam.id}/slots/{ex.slot1.id}", headers=HX)
    assert r.status_code == 403 and "Registration for this exam is closed" in r.get_data(as_text=True)


def test_polish_message(client, auth, ex, app):
    with app.app_context():
        db.session.get(Exam, ex.exam.id).registration_end = clock.now() - timedelta(minutes=1)
        db.session.commit()
    auth.login("stud1")
    r = client.post(f"/exams/{ex.exam.id}/slots/{ex.slot1.id}", headers=HX)
    assert "Rejestracja na ten egzamin jest zamknięta" in r.get_data(as_text=True)


def test_visibility_and_bad_ids(app, client, auth, ex):
    auth.login("outsider")
    assert client.get(f"/exams/{ex.exam.id}").status_code == 404
    assert client.post(f"/exams/{ex.exam.id}/slots/{ex.slot1.id}", headers=HX).status_code == 404
    auth.logout()
    auth.login("stud1")
    assert client.get("/exams/99999").status_code == 404
    assert client.get("/exams/99999999999999999999999").status_code == 404
    assert client.post(f"/exams/{ex.exam.id}/slots/99999", headers=HX).status_code == 404
    assert client.get(f"/exams/{ex.exam.id}/attendees").status_code == 403
    assert client.get(f"/exams/manage/exams/{ex.exam.id}").status_code == 403
    with app.app_context():
        db.session.get(ExaminationSession, ex.session.id).status = "in_preparation"
        db.session.commit()
    assert client.get(f"/exams/{ex.exam.id}").status_code == 404


def test_clash_warning(app, client, auth, uni, ex):
    factory = ExamFactory(app)
    other = factory.exam(ex.session, uni.course.id, uni.term.id)
    g = factory.group(other, 1, capacity=5, slots=1, day=7, hour=9, minutes=30)
    auth.login("stud1")
    en(client)
    client.post(f"/exams/{ex.exam.id}/slots/{ex.slot1.id}", headers=HX)
    r = client.post(f"/exams/{other.id}/slots/{g.slots[0].id}", headers=HX)
    assert r.status_code == 200 and "clashes with your other exam" in r.get_data(as_text=True)


def test_icalendar(client, auth, ex):
    auth.login("stud1")
    client.post(f"/exams/{ex.exam.id}/slots/{ex.slot1.id}", headers=HX)
    r = client.get("/exams/calendar.ics")
    from icalendar import Calendar
    cal = Calendar.from_ical(r.data)
    events = [c for c in cal.walk("VEVENT")]
    assert r.mimetype == "text/calendar" and len(events) == 1
    assert events[0]["dtstart"].dt.replace(tzinfo=None) == ex.slot1.start
    assert "101" in str(events[0]["location"])
    # RFC 5545: every TZID used is defined by a VTIMEZONE in the file
    zones = [str(z["tzid"]) for z in cal.walk("VTIMEZONE")]
    assert zones == ["Europe/Warsaw"] and events[0]["dtstart"].params["TZID"] == "Europe/Warsaw"
    assert b"COMMENT" not in r.data  # icalendar's English note on the zone's years is left out
    assert "grupa 1, termin 1" in str(events[0]["description"])  # in the person's language (Polish here)
    client.post("/lang/en")
    cal = Calendar.from_ical(client.get("/exams/calendar.ics").data)
    assert "group 1, slot 1" in str(cal.walk("VEVENT")[0]["description"]) and cal["x-wr-calname"] == "Indeks: exams"


def test_attendees_and_csv(app, client, auth, uni, ex):
    auth.login("stud1")
    client.post(f"/exams/{ex.exam.id}/slots/{ex.slot1.id}", headers=HX)
    auth.logout()
    auth.login("lect")  # examines group 1
    r = client.get(f"/exams/{ex.exam.id}/attendees")
    assert r.status_code == 200 and uni.students[0].last_name in r.get_data(as_text=True)
    assert b"attendees-group-2" not in r.data
    r = client.get(f"/exams/{ex.exam.id}/attendees.csv")
    lines = r.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert r.mimetype == "text/csv" and len(lines) == 2 and uni.students[0].student_number in lines[1]
    auth.logout()
    auth.login("coord")
    r = client.get(f"/exams/{ex.exam.id}/attendees")
    assert b"attendees-group-2" in r.data


def test_admin_creates_session_and_coordinator_exam_and_group(app, client, auth, uni):
    auth.login("admin")
    r = client.post("/exams/manage/sessions/new", data={"name_pl": "Sesja", "name_en": "Session", "status": "active",
                                                        "faculty_id": uni.faculty.id})
    assert r.status_code == 303
    with app.app_context():
        session_id = db.session.scalar(db.select(ExaminationSession.id))
    auth.logout()
    auth.login("coord")
    assert client.post("/exams/manage/sessions/new", data={"name_pl": "X", "status": "active",
                                                           "faculty_id": uni.faculty.id}).status_code == 403
    now = clock.now()
    r = client.post(f"/exams/manage/sessions/{session_id}/exams/new", data={
        "edition": f"{uni.course.id}|{uni.term.id}", "code": "C1-E", "name_pl": "Egzamin", "preferences_limit": "1",
        "registration_start": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "registration_end": (now - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")})
    assert r.status_code == 422  # ends before it starts
    r = client.post(f"/exams/manage/sessions/{session_id}/exams/new", data={
        "edition": f"{uni.course.id}|{uni.term.id}", "code": "C1-E", "name_pl": "Egzamin", "preferences_limit": "1",
        "examiners_visible": "y"})
    assert r.status_code == 303
    with app.app_context():
        exam = db.session.scalar(db.select(Exam).filter_by(code="C1-E"))
        exam_id = exam.id
        assert exam.registration_start is None and exam.name == {"pl": "Egzamin", "en": "Egzamin"}
    assert "Terminy rejestracji nie zostały jeszcze ustalone." in client.get(f"/exams/manage/exams/{exam_id}").get_data(as_text=True)
    start = (now + timedelta(days=3)).replace(hour=9, minute=0)
    form = {"number": "1", "start": start.strftime("%Y-%m-%dT%H:%M"), "room_id": str(uni.room.id),
            "end": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"), "capacity": "7", "number_of_slots": "3",
            "examiners": [str(uni.lecturer.id)]}
    assert client.post(f"/exams/manage/exams/{exam_id}/groups/new", data={**form, "end": form["start"]}).status_code == 422
    assert client.post(f"/exams/manage/exams/{exam_id}/groups/new", data=form).status_code == 303
    with app.app_context():
        group = db.session.scalar(db.select(ExamGroup).filter_by(exam_id=exam_id))
        assert [s.capacity for s in group.slots] == [3, 2, 2] and [u.id for u in group.examiners] == [uni.lecturer.id]
    page = client.get(f"/exams/manage/exams/{exam_id}").get_data(as_text=True)
    assert 'data-testid="open-registration"' in page and 'data-testid="close-registration"' not in page
    assert client.post(f"/exams/manage/exams/{exam_id}/open").status_code == 303
    with app.app_context():
        assert db.session.get(Exam, exam_id).registration_open(clock.now())
    page = client.get(f"/exams/manage/exams/{exam_id}").get_data(as_text=True)
    assert 'data-testid="close-registration"' in page and 'data-testid="open-registration"' not in page
    assert client.post(f"/exams/manage/exams/{exam_id}/close").status_code == 303
    with app.app_context():
        assert not db.session.get(Exam, exam_id).registration_open(clock.now() + timedelta(seconds=1))
    assert "Terminy rejestracji nie zostały jeszcze ustalone." not in client.get(f"/exams/manage/exams/{exam_id}").get_data(as_text=True)
    report = GradesFactory(app).report(uni.edition, uni.classes_unit)
    page = client.get(f"/exams/manage/exams/{exam_id}").get_data(as_text=True)
    assert f'<option value="{report.id}">' in page  # the report is picked by name, not typed
    r = client.post(f"/exams/manage/exams/{exam_id}/conditions", data={"examrep_id": "999", "grade": "4.5"})
    assert r.status_code == 303  # not a report of this course: refused
    with app.app_context():
        assert db.session.get(Exam, exam_id).conditions == []
    r = client.post(f"/exams/manage/exams/{exam_id}/conditions", data={"examrep_id": str(report.id), "grade": "4.5"})
    assert r.status_code == 303
    with app.app_context():
        cond = db.session.get(Exam, exam_id).conditions[0]
        assert cond.examrep_id == report.id and cond.grade_value.symbol == "4,5"
    auth.logout()
    auth.login("otherlect")
    assert client.get(f"/exams/manage/exams/{exam_id}").status_code == 403
    assert client.post(f"/exams/manage/exams/{exam_id}/open").status_code == 403


def test_batch_paste(app, client, auth, uni, ex):
    auth.login("coord")
    en(client)
    numbers = f"{uni.students[0].student_number}\n{uni.students[1].student_number}, 999999 {uni.outsider.student_number}"
    r = client.post(f"/exams/manage/exams/{ex.exam.id}/batch", data={"slot": str(ex.slot1.id), "numbers": numbers})
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    statuses = [s.split('"')[1] for s in page.split("data-status=")[1:]]
    assert statuses == ["success", "e_not_permitted", "unknown_student", "e_not_permitted"]
    reasons = [s.split('"')[1] for s in page.split("data-reason=")[1:]]
    assert reasons == ["success", "slot_full", "unknown_student", "slot_full"]  # a full slot refuses first
    assert "not registered: the slot is full" in page
    r = client.post(f"/exams/manage/exams/{ex.exam.id}/batch", data={"slot": str(ex.slot2.id),
                                                                    "numbers": uni.outsider.student_number})
    assert 'data-reason="not_attending"' in r.get_data(as_text=True) and "does not attend the course" in r.get_data(as_text=True)
    assert seat_of(app, uni.students[0]) == ex.slot1.id and seat_of(app, uni.students[1]) is None


def test_batch_names_the_missing_report_and_the_seat_held(app, client, auth, uni, ex):
    report = GradesFactory(app).report(uni.edition, uni.classes_unit)
    with app.app_context():
        manage.set_condition(db.session.get(Exam, ex.exam.id), db.session.get(User, uni.coordinator.id), report.id)
        db.session.commit()
    auth.login("coord")
    en(client)
    numbers = uni.students[0].student_number
    r = client.post(f"/exams/manage/exams/{ex.exam.id}/batch", data={"slot": str(ex.slot1.id), "numbers": numbers})
    page = r.get_data(as_text=True)
    assert 'data-reason="not_admitted"' in page and f"the condition of {uni.course.id} {uni.term.id} · Report" in page
    with app.app_context():
        manage.remove_condition(db.session.get(Exam, ex.exam.id), db.session.get(User, uni.coordinator.id), report.id)
        db.session.commit()
    client.post(f"/exams/manage/exams/{ex.exam.id}/batch", data={"slot": str(ex.g2slot.id), "numbers": numbers})
    r = client.post(f"/exams/manage/exams/{ex.exam.id}/batch", data={"slot": str(ex.slot1.id), "numbers": numbers})
    page = r.get_data(as_text=True)
    assert 'data-reason="registered_elsewhere"' in page and "already registered in group 2, slot 1" in page


def test_micro_round_request_in_portal(app, client, auth, uni):
    ex = ExamFactory(app).setup(uni, micro_round_length=60, micro_break_length=0)
    auth.login("stud1")
    en(client)
    r = client.post(f"/exams/{ex.exam.id}/slots/{ex.slot1.id}", headers=HX)
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and "Request recorded" in body and 'hx-trigger="every 3s"' in body
    with app.app_context():
        req = db.session.scalar(db.select(ExamRequest))
        assert req.status == "pending" and req.preferences == [ex.slot1.id]
        req.round_end = clock.now() - timedelta(seconds=1)  # the round is over
        db.session.commit()
    r = client.get(f"/exams/{ex.exam.id}/slots", headers=HX)
    assert r.status_code == 200 and "Your seat: group 1, slot 1" in r.get_data(as_text=True)
    assert seat_of(app, uni.students[0]) == ex.slot1.id
    auth.logout()
    auth.login("coord")
    assert b'data-testid="draws"' in client.get(f"/exams/{ex.exam.id}/attendees").data


def test_my_exams_lists_a_request_waiting_and_runs_a_draw_that_is_due(app, client, auth, uni):
    """The list shows "waiting for the draw"; once the round is over, the list itself runs its
    draw (no need to open the exam page first) and shows the seat won."""
    ex = ExamFactory(app).setup(uni, micro_round_length=60, micro_break_length=0)
    auth.login("stud1")
    en(client)
    assert client.post(f"/exams/{ex.exam.id}/slots/{ex.slot1.id}", headers=HX).status_code == 200
    page = client.get("/exams/").get_data(as_text=True)
    assert "waiting for the draw at" in page and "group 1, slot 1" not in page
    client.post("/lang/pl")
    assert "czeka na losowanie o" in client.get("/exams/").get_data(as_text=True)
    en(client)
    with app.app_context():
        db.session.scalar(db.select(ExamRequest)).round_end = clock.now() - timedelta(seconds=1)
        db.session.commit()
    page = client.get("/exams/").get_data(as_text=True)
    assert "group 1, slot 1" in page and "waiting for the draw" not in page
    assert seat_of(app, uni.students[0]) == ex.slot1.id


def test_ranked_preferences_stay_chosen_while_they_wait(app, client, auth, uni):
    ex = ExamFactory(app).setup(uni, micro_round_length=60, micro_break_length=0, has_priorities=True,
                                preferences_limit=2)
    auth.login("stud1")
    en(client)
    r = client.post(f"/exams/{ex.exam.id}/preferences", data={"pref00": ex.slot2.id, "pref01": ex.slot1.id}, headers=HX)
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    page = client.get(f"/exams/{ex.exam.id}").get_data(as_text=True)
    first, second = page.split('name="pref00"')[1].split('name="pref01"')
    assert f'<option value="{ex.slot2.id}" selected>' in first and f'<option value="{ex.slot1.id}" selected>' not in first
    assert f'<option value="{ex.slot1.id}" selected>' in second


def test_a_calendar_in_2045_has_the_zone_rules_of_2045(app):
    """icalendar's zone rules stopped in 2038: a summer date later would have been an hour off."""
    from datetime import datetime
    from icalendar import Calendar
    from portal.ical import build_calendar
    with app.test_request_context():
        text = build_calendar("x", [{"uid": "u", "start": datetime(2045, 7, 1, 9), "end": datetime(2045, 7, 1, 10),
                                     "summary": "s"}])
    summer = Calendar.from_ical(text).walk("VTIMEZONE")[0].walk("DAYLIGHT")[0]
    assert b"20450326T030000" in summer.to_ical() and b"COMMENT" not in text  # CEST from 26 March 2045
