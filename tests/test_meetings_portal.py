"""Meetings pages: student booking (plain and htmx), bookings and iCalendar, the lecturer's pages,
staff sign-ups, notes, days off; refusals shown as messages, never a 500."""
from datetime import timedelta

import pytest

from portal import clock
from portal.errors import ServiceError
from portal.extensions import db
from portal.meetings.models import DayOff, Meeting, MeetingDate, MeetingNote, Participant


HX = {"HX-Request": "true"}


@pytest.fixture
def m(mf, make):
    return mf.setup(make)


def rows(app, date):
    with app.app_context():
        return [(p.user_id, p.status, p.is_reserve, p.queue_number) for p in db.session.scalars(
            db.select(Participant).filter_by(meeting_date_id=date.id).order_by(Participant.id))]


def test_student_books_with_plain_post_and_htmx(client, auth, app, m):
    auth.login("stud1")
    page = client.get("/meetings/")
    assert page.status_code == 200 and "Konsultacje" in page.get_data(as_text=True)
    r = client.post(f"/meetings/dates/{m.date.id}/sign-up", data={"substantiation": m.sub.id, "message": "Hej"})
    assert r.status_code == 303
    assert rows(app, m.date) == [(m.student.id, "accepted", False, 1)]
    auth.logout()
    auth.login("stud2")
    client.post(f"/meetings/dates/{m.date.id}/sign-up", data={"substantiation": m.sub.id})
    auth.logout()
    auth.login("stud3")
    r = client.post(f"/meetings/dates/{m.date.id}/sign-up", data={"substantiation": m.sub.id}, headers=HX)
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and body.lstrip().startswith('<article id="booking"')
    assert "lista rezerwowa, miejsce 1" in body
    auth.logout()
    auth.login("stud4")
    r = client.post(f"/meetings/dates/{m.date.id}/sign-up", data={"substantiation": m.sub.id}, headers=HX)
    assert r.status_code == 400 and "Brak wolnych miejsc" in r.get_data(as_text=True)
    auth.logout()
    auth.login("stud1")
    r = client.post(f"/meetings/dates/{m.date.id}/sign-off", headers=HX)
    assert r.status_code == 200 and "Wypisano Cię z terminu." in r.get_data(as_text=True)
    assert [x[1:] for x in rows(app, m.date)] == [("accepted", False, 1), ("accepted", False, 2)]


def test_list_shows_each_date_with_places_and_link(client, auth, m):
    """The list page's date rows (labels and link prefix worked out once per page): the date's
    own link, its seats and reserve places, and "your booking" once the person has one."""
    auth.login("stud1")
    client.post("/lang/en")
    link = f'<a href="/meetings/dates/{m.date.id}" data-testid="date-link">'
    page = client.get("/meetings/").get_data(as_text=True)
    assert link + "Details and sign-up</a>" in page
    assert "seats: 2 of 2 free" in page and "reserve list: 1 of 1 free" in page
    client.post(f"/meetings/dates/{m.date.id}/sign-up", data={"substantiation": m.sub.id})
    page = client.get("/meetings/").get_data(as_text=True)
    assert link + "Your booking</a>" in page and "seats: 1 of 2 free" in page

def test_refusal_is_a_message_with_status(client, auth, app, m):
    auth.login("stud1")
    r = client.post(f"/meetings/dates/{m.date.id}/sign-up", data={"substantiation": m.foreign_sub.id}, headers=HX)
    assert r.status_code == 422  # not in the form's choices
    r = client.post(f"/meetings/dates/{m.date.id}/sign-up", data={"substantiation": "abc"})
    assert r.status_code == 422
    r = client.post(f"/meetings/dates/{m.date.id}/sign-off", headers=HX)
    assert r.status_code == 400 and "Nie jesteś zapisany" in r.get_data(as_text=True)
    assert client.get("/meetings/dates/99999").status_code == 404
    assert client.post("/meetings/dates/99999/sign-up", data={"substantiation": 1}).status_code == 404
    assert client.get("/meetings/manage").status_code == 403


def test_my_bookings_and_ical(client, auth, mf, m):
    mf.entry(m.date, m.student)
    auth.login("stud1")
    page = client.get("/meetings/my").get_data(as_text=True)
    assert "Konsultacje" in page and "przyjęty(-a)" in page
    r = client.get("/meetings/my.ics")
    assert r.status_code == 200 and r.mimetype == "text/calendar"
    from icalendar import Calendar
    cal = Calendar.from_ical(r.data)
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == 1 and events[0]["status"] == "CONFIRMED"
    assert events[0].decoded("dtstart").replace(tzinfo=None) == m.date.start_time
    assert [str(z["tzid"]) for z in cal.walk("VTIMEZONE")] == ["Europe/Warsaw"] and cal["x-wr-calname"] == "Indeks: konsultacje"


def test_lecturer_creates_meeting_and_dates_from_rule(client, auth, app, m):
    auth.login("coord")
    page = client.get("/meetings/manage").get_data(as_text=True)
    assert page.count('data-testid="managed-meeting"') == 1 and f"/meetings/manage/{m.meeting.id}\"" in page
    r = client.post("/meetings/manage/new", data={"name_pl": "Dyżur", "name_en": "Duty", "faculty_id": "FAC",
                                                  "term_id": m.term.id, "open": "y", "state": "active",
                                                  "substantiation_mode": "this_faculty_only", "auto_accept": "y"})
    assert r.status_code == 303
    with app.app_context():
        meeting = db.session.scalar(db.select(Meeting).filter_by(lecturer_id=m.coordinator.id).order_by(
            Meeting.id.desc()))
        assert meeting.name == {"pl": "Dyżur", "en": "Duty"} and meeting.substantiation_mode == "this_faculty_only"
    start = clock.today() + timedelta(days=14)
    rule = {"start_date": start.isoformat(), "end_date": (start + timedelta(days=60)).isoformat(), "number": "3",
            "frequency": "weekly", "week_day": "", "start_time": "12:00", "end_time": "13:00", "seats_limit": "4",
            "reserve_seats_limit": "1", "registration_days_before": "7", "registration_hours_before": "2",
            "room_id": str(m.room.id), "action": "preview"}
    r = client.post(f"/meetings/manage/{meeting.id}", data=rule)
    assert r.status_code == 200 and r.get_data(as_text=True).count('name="day"') == 3
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(MeetingDate.id)).filter_by(meeting_id=meeting.id)) == 0
    days = [start.isoformat(), (start + timedelta(days=14)).isoformat()]
    r = client.post(f"/meetings/manage/{meeting.id}", data={**rule, "action": "create", "day": days})
    assert r.status_code == 303
    with app.app_context():
        dates = db.session.scalars(db.select(MeetingDate).filter_by(meeting_id=meeting.id)
                                   .order_by(MeetingDate.start_time)).all()
        assert [d.start_time.date().isoformat() for d in dates] == days
        assert dates[0].start_time.hour == 12 and dates[0].seats_limit == 4 and dates[0].room_id == m.room.id
        assert dates[0].registration_end_time == dates[0].start_time - timedelta(hours=2)
    bad = client.post(f"/meetings/manage/{meeting.id}", data={**rule, "end_date": "2000-01-01"})
    assert bad.status_code == 422
    backwards = client.post(f"/meetings/manage/{meeting.id}", data={**rule, "start_time": "15:00", "end_time": "14:00"})
    assert backwards.status_code == 422 and 'name="day"' not in backwards.get_data(as_text=True)  # told at the preview
    assert "Koniec musi być po początku." in backwards.get_data(as_text=True)  # the page is in Polish
    past = {**rule, "start_date": "2020-01-06", "end_date": "2020-03-06", "action": "create", "day": ["2020-01-06"]}
    old = client.post(f"/meetings/manage/{meeting.id}", data=past)
    assert old.status_code == 422 and "Nowy termin nie może być w przeszłości (2020-01-06)." in old.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(MeetingDate.id)).filter_by(meeting_id=meeting.id)) == 2
    page = client.get(f"/meetings/manage/{meeting.id}").get_data(as_text=True)
    assert page.count('data-testid="date-row"') == 2 and "Dyżur" in page
    assert all(f"/meetings/manage/dates/{d.id}/participants" in page for d in dates)
    page = client.get("/meetings/manage/calendar?start=" + start.isoformat()).get_data(as_text=True)
    assert page.count('data-testid="day"') == 7 and "12:00–13:00" in page
    assert f"/meetings/manage/dates/{dates[0].id}/participants" in page
    assert f"/meetings/manage/dates/{dates[1].id}/participants" not in page  # two weeks later
    page = client.get("/meetings/manage/calendar?start=garbage").get_data(as_text=True)  # this week
    monday = clock.today() - timedelta(days=clock.today().weekday())
    assert page.count('data-testid="day"') == 7
    assert f"/meetings/manage/calendar?start={(monday + timedelta(days=7)).isoformat()}" in page


def test_other_lecturer_cannot_manage(client, auth, m):
    auth.login("otherlect")
    assert client.get(f"/meetings/manage/{m.meeting.id}").status_code == 404
    assert client.get(f"/meetings/manage/dates/{m.date.id}/participants").status_code == 404
    assert client.post(f"/meetings/manage/dates/{m.date.id}/cancel").status_code == 404


def test_edit_and_cancel_date_more_seats_promote(client, auth, app, mf, m):
    for s in m.students[:3]:
        mf.entry(m.date, s, reserve=s is m.students[2], status="waiting" if s is m.students[2] else "accepted")
    auth.login("coord")
    d = m.date
    form = {"day": d.start_time.date().isoformat(), "start_time": "10:00", "end_time": "11:00",
            "registration_start": d.registration_start_time.date().isoformat(), "registration_start_time": "08:00",
            "registration_end": d.start_time.date().isoformat(), "registration_end_time": "09:00",
            "seats_limit": "3", "reserve_seats_limit": "1", "room_id": ""}
    page = client.get(f"/meetings/manage/dates/{d.id}/edit").get_data(as_text=True)
    assert f'value="{d.start_time.date().isoformat()}"' in page and 'name="seats_limit"' in page
    r = client.post(f"/meetings/manage/dates/{d.id}/edit", data=form)
    assert r.status_code == 303
    assert [x[1:] for x in rows(app, d)] == [("accepted", False, 1), ("accepted", False, 2), ("accepted", False, 3)]
    r = client.post(f"/meetings/manage/dates/{d.id}/edit", data={**form, "seats_limit": "1"})
    assert r.status_code == 422 and "Zapisanych jest więcej osób" in r.get_data(as_text=True)
    r = client.post(f"/meetings/manage/dates/{d.id}/cancel", data={"reason": "Choroba"})
    assert r.status_code == 303
    with app.app_context():  # the date and its bookings stay, cancelled (see test_notifications_meetings)
        assert db.session.get(MeetingDate, d.id).cancel_reason == "Choroba"
        assert [(p.status, p.queue_number, p.cancelled_at is not None) for p in db.session.scalars(
            db.select(Participant))] == [("rejected", None, True)] * 3


def test_accept_and_reject_in_place(client, auth, app, mf, make):
    m = mf.setup(make, auto_accept=False)
    a = mf.entry(m.date, m.students[0], status="waiting")
    b = mf.entry(m.date, m.students[1], status="waiting")
    c = mf.entry(m.date, m.students[2], status="waiting", reserve=True)
    auth.login("coord")
    page = client.get(f"/meetings/manage/dates/{m.date.id}/participants")
    assert page.status_code == 200 and "Konsultacje" in page.get_data(as_text=True)
    r = client.post(f"/meetings/manage/participants/{a.id}/accept", headers=HX)
    assert r.status_code == 200 and r.get_data(as_text=True).lstrip().startswith('<tbody id="participants-body">')
    r = client.post(f"/meetings/manage/participants/{c.id}/accept", headers=HX)
    assert r.status_code == 400 and "Brak wolnych miejsc" in r.get_data(as_text=True)
    r = client.post(f"/meetings/manage/participants/{b.id}/reject",
                    data={"reject-substantiation": m.rejection.id, "reject-message": "Innym razem"}, headers=HX)
    assert r.status_code == 200
    assert rows(app, m.date) == [(m.students[0].id, "accepted", False, 1), (m.students[1].id, "rejected", False, None),
                                 (m.students[2].id, "waiting", False, 2)]
    r = client.post(f"/meetings/manage/participants/{b.id}/reject", data={"reject-substantiation": "0"})
    assert r.status_code == 303  # plain post: flash and back to the list
    assert "została już odrzucona" in client.get(f"/meetings/manage/dates/{m.date.id}/participants").get_data(as_text=True)


def test_staff_sign_up_person_and_external(client, auth, app, m):
    auth.login("admin")
    r = client.post(f"/meetings/manage/dates/{m.date.id}/add-person",
                    data={"user-person": "outsider", "user-status": "accepted", "user-substantiation": "0"})
    assert r.status_code == 303
    r = client.post(f"/meetings/manage/dates/{m.date.id}/add-person",
                    data={"user-person": "nobody", "user-status": "accepted", "user-substantiation": "0"})
    assert r.status_code == 422
    r = client.post(f"/meetings/manage/dates/{m.date.id}/add-external",
                    data={"ext-first_name": "Jan", "ext-last_name": "Gość", "ext-email": "jan@gosc.pl",
                          "ext-contact_data": "tel. 600", "ext-status": "waiting", "ext-substantiation": "0"})
    assert r.status_code == 303
    r = client.post(f"/meetings/manage/dates/{m.date.id}/add-external",
                    data={"ext-first_name": "Jan", "ext-last_name": "Gość", "ext-email": "JAN@gosc.pl",
                          "ext-status": "waiting", "ext-substantiation": "0"})
    assert r.status_code == 400 and "jest już zapisana" in r.get_data(as_text=True)
    with app.app_context():
        got = db.session.scalars(db.select(Participant).order_by(Participant.id)).all()
        assert [(p.user_id, p.external_email, p.status) for p in got] == [
            (m.outsider.id, None, "accepted"), (None, "jan@gosc.pl", "waiting")]


def test_notes_page(client, auth, app, m):
    auth.login("coord")
    url = f"/meetings/manage/notes/{m.student.id}?fac=FAC&term={m.term.id}"
    page = client.get(url).get_data(as_text=True)
    assert m.student.full_name in page and 'data-testid="save-notes"' in page
    r = client.post(url, data={"public_note": "Dobrze", "private_note": "Tajne"})
    assert r.status_code == 303
    auth.logout()
    auth.login("lect")
    page = client.get(url).get_data(as_text=True)
    assert "Dobrze" in page and "Tajne" not in page
    with app.app_context():
        note = db.session.scalar(db.select(MeetingNote))
        assert (note.public_note, note.private_note, note.author_id) == ("Dobrze", "Tajne", m.coordinator.id)
    assert client.get("/meetings/manage/notes/99999").status_code == 404


def test_days_off_calendar(client, auth, app, m):
    auth.login("stud1")
    assert client.get("/meetings/days-off").status_code == 403
    auth.logout()
    auth.login("admin")
    r = client.post("/meetings/days-off", data={"name_pl": "Rektorskie", "start_date": "2026-05-04",
                                               "end_date": "2026-05-04", "faculty_id": "FAC"})
    assert r.status_code == 303
    r = client.post("/meetings/days-off", data={"name_pl": "Źle", "start_date": "2026-05-04",
                                               "end_date": "2026-05-01", "faculty_id": ""})
    assert r.status_code == 400
    with app.app_context():
        entry = db.session.scalar(db.select(DayOff))
        assert (entry.faculty_id, entry.name["pl"]) == ("FAC", "Rektorskie")
    assert client.post(f"/meetings/days-off/{entry.id}/delete").status_code == 303
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(DayOff.id))) == 0


def test_lecturers_see_days_off_but_only_administrators_change_them(client, auth, app, m):
    """A day off moves the dates of every lecturer's date rules: the calendar is the administrators'."""
    client.post("/lang/en")
    auth.login("admin")
    client.post("/meetings/days-off", data={"name_pl": "Święto", "start_date": "2026-11-11",
                                           "end_date": "2026-11-11", "faculty_id": ""})
    with app.app_context():
        entry = db.session.scalar(db.select(DayOff))
    auth.logout()
    auth.login("coord")
    page = client.get("/meetings/days-off")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Święto" in text and 'data-testid="days-off-admins"' in text
    assert "/delete" not in text
    r = client.post("/meetings/days-off", data={"name_pl": "Rektorskie", "start_date": "2026-05-04",
                                               "end_date": "2026-05-04", "faculty_id": ""})
    assert r.status_code == 403 and "Only administrators" in r.get_data(as_text=True)
    assert client.post(f"/meetings/days-off/{entry.id}/delete").status_code == 403
    with app.app_context():
        assert [d.name["pl"] for d in db.session.scalars(db.select(DayOff))] == ["Święto"]
    from portal.meetings import calendar
    with app.app_context():
        lecturer = db.session.get(type(m.coordinator), m.coordinator.id)
        with pytest.raises(ServiceError) as refused:
            calendar.delete_day_off(lecturer, entry.id)
        assert refused.value.reason == "admin_only"


def test_demo_data_shows_meetings(client, app):
    from portal.demo import seed_demo
    with app.app_context():
        seed_demo()
    client.post("/login", data={"login": "student1", "password": "demo"})
    page = client.get("/meetings/").get_data(as_text=True)
    assert "Konsultacje — Algorytmy" in page
    assert "Konsultacje dla grupy" in page  # limited to lecturer1's group, student1 is in it
    client.post("/logout")
    client.post("/login", data={"login": "lecturer1", "password": "demo"})
    assert "Konsultacje — Algorytmy" in client.get("/meetings/manage").get_data(as_text=True)
