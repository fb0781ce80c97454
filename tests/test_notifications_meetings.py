"""Consultation bookings tell people what happens to them: accepted, rejected with the reason,
moved up from the reserve list, booked by staff, the date moved or cancelled (its bookings
kept, cancelled, with the reason). Each message arrives once, in the person's language (or
the API caller's message_lang_code), with an iCalendar REQUEST or CANCEL of the booking."""
from datetime import timedelta

import pytest

from portal.extensions import db
from portal.meetings import services
from portal.meetings.models import MeetingDate, Participant
from portal.notifications.models import Notification, NotificationSettings

from .smtp import deliver, mail_to, smtp  # noqa: F401  (smtp: the fixture)

M = "services/meetings/"


@pytest.fixture
def m(mf, make):
    return mf.setup(make, auto_accept=False)


def addr(user):
    return f"{user.login}@example.edu.pl"


def english(app, user):
    with app.app_context():
        db.session.add(NotificationSettings(user_id=user.id, chosen_lang="en", email_off=[],
                                            updated_at=db.func.now()))
        db.session.commit()


def queued(app):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(Notification.id)))


def test_accepted_through_the_api_in_the_callers_language(app, api, smtp, mf, m):
    entry = mf.entry(m.date, m.students[0], status="waiting")
    r = api.call(M + "accept_participant", user=m.coordinator, participant_id=entry.id, message_lang_code="en")
    assert r.status_code == 200, r.get_json()
    assert deliver(app).sent == 1
    [got] = mail_to(smtp, addr(m.students[0]))
    assert got.subject == "Consultation booking accepted: Office hours"
    assert "Office hours with dr First" in got.text()
    assert str(got.calendar()["METHOD"]) == "REQUEST"
    assert str(got.event()["UID"]) == f"meeting-participant-{entry.id}@indeks"
    assert str(got.event()["STATUS"]) == "CONFIRMED"


def test_rejected_with_reason_and_message_and_the_first_reserve_moves_up(app, client, auth, smtp, mf, m):
    seat = mf.entry(m.date, m.students[0], status="waiting")
    mf.entry(m.date, m.students[1], status="waiting")
    mf.entry(m.date, m.students[2], status="waiting", reserve=True)
    english(app, m.students[2])
    auth.login("coord")
    r = client.post(f"/meetings/manage/participants/{seat.id}/reject",
                    data={"reject-substantiation": m.rejection.id, "reject-message": "Proszę przyjść we wtorek"})
    assert r.status_code == 303
    deliver(app)
    assert len(smtp.messages) == 2 and mail_to(smtp, addr(m.students[1])) == []
    [rejected] = mail_to(smtp, addr(m.students[0]))
    assert rejected.subject == "Odrzucono Twój zapis na konsultacje: Konsultacje"
    text = rejected.text()
    assert "Powód: Brak czasu" in text and "Wiadomość od prowadzącego: Proszę przyjść we wtorek" in text
    assert str(rejected.calendar()["METHOD"]) == "CANCEL"
    [moved_up] = mail_to(smtp, addr(m.students[2]))
    assert moved_up.subject == "You have moved up from the reserve list: Office hours"
    assert "the lecturer will accept or reject your booking" in moved_up.text()
    assert str(moved_up.calendar()["METHOD"]) == "REQUEST"


def test_signing_off_tells_whoever_moves_up_not_the_one_leaving(app, api, smtp, mf, make):
    m = mf.setup(make)  # automatic acceptance
    for s in m.students[:2]:
        assert api.call(M + "sign_up", user=s, meeting_date_id=m.date.id, substantiation_id=m.sub.id).status_code == 200
    assert api.call(M + "sign_up", user=m.students[2], meeting_date_id=m.date.id,
                    substantiation_id=m.sub.id).status_code == 200  # the reserve place
    assert queued(app) == 0  # one's own sign-up says nothing
    r = api.call(M + "sign_off", user=m.students[0], meeting_date_id=m.date.id, message_lang_code="en")
    assert r.status_code == 200
    deliver(app)
    assert [m_.to for m_ in smtp.messages] == [[addr(m.students[2])]]
    assert smtp.messages[0].subject == "You have moved up from the reserve list: Office hours"
    assert "You have a seat." in smtp.messages[0].text()


def test_staff_book_a_member_and_someone_from_outside(app, client, auth, smtp, m):
    auth.login("coord")
    r = client.post(f"/meetings/manage/dates/{m.date.id}/add-person",
                    data={"user-person": m.students[3].login, "user-status": "accepted", "user-substantiation": 0})
    assert r.status_code == 303
    client.post("/lang/en", data={"next": "/"})
    r = client.post(f"/meetings/manage/dates/{m.date.id}/add-external",
                    data={"ext-first_name": "Jan", "ext-last_name": "Gość", "ext-email": "Guest@Example.org",
                          "ext-status": "accepted", "ext-substantiation": 0})
    assert r.status_code == 303
    deliver(app)
    [member] = mail_to(smtp, addr(m.students[3]))
    assert member.subject == "Zapisano Cię na konsultacje: Konsultacje"
    assert "Zapisał(a) Cię: dr First" in member.text() and "Masz miejsce." in member.text()
    [guest] = mail_to(smtp, "guest@example.org")
    assert guest.subject == "You have been booked for a consultation: Office hours"
    assert "http" not in guest.text()
    assert str(guest.event()["UID"]).startswith("meeting-participant-")


def test_a_moved_date_tells_its_people_the_new_time_and_more_seats_promote(app, client, auth, smtp, mf, m):
    mf.entry(m.date, m.students[0])
    mf.entry(m.date, m.students[1], status="rejected")
    mf.entry(m.date, m.students[2], status="waiting", reserve=True)
    d = m.date
    auth.login("coord")
    r = client.post(f"/meetings/manage/dates/{d.id}/edit", data={
        "day": d.start_time.date().isoformat(), "start_time": "12:00", "end_time": "13:00",
        "registration_start": d.registration_start_time.date().isoformat(), "registration_start_time": "08:00",
        "registration_end": d.start_time.date().isoformat(), "registration_end_time": "11:00",
        "seats_limit": "3", "reserve_seats_limit": "1", "room_id": str(m.room.id)})
    assert r.status_code == 303
    deliver(app)
    [moved] = mail_to(smtp, addr(m.students[0]))
    assert moved.subject == "Zmieniono termin konsultacji: Konsultacje"
    assert "12:00–13:00" in moved.text() and "Wcześniej:" in moved.text() and "10:00–11:00" in moved.text()
    assert moved.event().decoded("DTSTART").hour == 12 and int(moved.event()["SEQUENCE"]) == 0
    assert str(moved.event()["LOCATION"]) == m.room.label
    assert mail_to(smtp, addr(m.students[1])) == []  # rejected before: not concerned
    [up] = mail_to(smtp, addr(m.students[2]))
    assert up.subject == "Przechodzisz z listy rezerwowej na listę główną: Konsultacje"


def test_a_cancelled_date_keeps_its_bookings_cancelled_with_the_reason(app, client, auth, api, smtp, mf, m):
    a = mf.entry(m.date, m.students[0])
    mf.entry(m.date, m.students[1], status="waiting", reserve=True)
    mf.entry(m.date, m.students[2], status="rejected")
    english(app, m.students[1])
    auth.login("coord")
    r = client.post(f"/meetings/manage/dates/{m.date.id}/cancel", data={"reason": "Choroba prowadzącego"})
    assert r.status_code == 303
    assert "Choroba prowadzącego" in client.get(f"/meetings/manage/{m.meeting.id}").get_data(as_text=True)
    assert client.post(f"/meetings/manage/dates/{m.date.id}/cancel", data={}).status_code == 303  # again: refused
    deliver(app)
    assert sorted(x.to[0] for x in smtp.messages) == sorted([addr(m.students[0]), addr(m.students[1])])
    [first] = mail_to(smtp, addr(m.students[0]))
    assert first.subject == "Odwołano termin konsultacji: Konsultacje" and "Powód: Choroba prowadzącego" in first.text()
    assert str(first.calendar()["METHOD"]) == "CANCEL" and str(first.event()["STATUS"]) == "CANCELLED"
    assert mail_to(smtp, addr(m.students[1]))[0].subject == "Consultation date cancelled: Office hours"
    with app.app_context():
        date = db.session.get(MeetingDate, m.date.id)
        assert date.is_cancelled and len(date.participants) == 3
    # the student's list and the API keep the booking, rejected with the reason
    auth.logout()
    auth.login(m.students[0].login)
    page = client.get("/meetings/my").get_data(as_text=True)
    assert "termin odwołany" in page and "Choroba prowadzącego" in page
    body = api.call(M + "participant", user=m.students[0], participant_id=a.id,
                    fields="status|is_reserve|number_in_queue|rejection_substantiation_message|user_actions").get_json()
    assert body == {"status": "rejected", "is_reserve": False, "number_in_queue": None,
                    "rejection_substantiation_message": "Choroba prowadzącego", "user_actions": []}
    r = api.call(M + "sign_up", user=m.students[3], meeting_date_id=m.date.id, substantiation_id=m.sub.id)
    assert r.status_code == 400 and r.get_json()["reason"] == "meeting_date_ended"
    dates = api.call(M + "meeting_all_dates", user=m.students[3], meeting_id=m.meeting.id, fields="id").get_json()
    assert dates == []
    r = api.call(M + "accept_participant", user=m.coordinator, participant_id=a.id)
    assert r.status_code == 400 and r.get_json()["reason"] == "meeting_date_ended"


def test_a_date_that_is_over_cannot_be_cancelled(app, client, auth, mf, m):
    with app.app_context():
        date = db.session.get(MeetingDate, m.date.id)
        date.start_time -= timedelta(days=10)
        date.end_time -= timedelta(days=10)
        date.registration_start_time -= timedelta(days=20)
        date.registration_end_time -= timedelta(days=10)
        db.session.commit()
    auth.login("coord")
    r = client.post(f"/meetings/manage/dates/{m.date.id}/cancel", data={"reason": "x"})
    assert r.status_code == 303
    with app.app_context():
        assert db.session.get(MeetingDate, m.date.id).cancelled_at is None


def test_a_change_that_is_rolled_back_tells_nobody(app, mf, m):
    entry = mf.entry(m.date, m.students[0], status="waiting")
    with app.app_context():
        services.accept_participant(db.session.merge(m.coordinator), entry.id)
        assert db.session.scalar(db.select(db.func.count(Notification.id))) == 1  # queued in the transaction
        db.session.rollback()
        assert db.session.scalar(db.select(db.func.count(Notification.id))) == 0
        assert db.session.get(Participant, entry.id).status == "waiting"
