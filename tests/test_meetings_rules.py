"""Meetings rules nothing else checks: two lecturers' notes about one student (each sees only
their own private note, in the portal and in the API), and a date whose registration window
ends after the date starts refuses sign-ups once it has started."""
from datetime import timedelta

import pytest

from portal import clock
from portal.extensions import db
from portal.meetings.models import MeetingDate, MeetingNote, Participant

from .test_meetings_signup import M, ok, refused


@pytest.fixture
def m(mf, make):
    """The coordinator's meeting (setup) and the other lecturer's, in the same faculty and
    term; the student is on a date of each."""
    m = mf.setup(make)
    m.other_meeting = mf.meeting(m.other_lecturer, m.faculty, m.term)
    m.other_date = mf.date(m.other_meeting)
    m.entry = mf.entry(m.date, m.student)
    m.other_entry = mf.entry(m.other_date, m.student)
    return m


NOTES = {"coord": ("Public note of the coordinator", "COORD-PRIVATE"),
         "otherlect": ("Public note of the other lecturer", "OTHER-PRIVATE")}


def write_notes(client, auth, m):
    for login, (public, private) in NOTES.items():
        auth.login(login)
        r = client.post(f"/meetings/manage/notes/{m.student.id}?fac={m.faculty.id}&term={m.term.id}",
                        data={"public_note": public, "private_note": private})
        assert r.status_code == 303
        auth.logout()


@pytest.mark.parametrize("login, other", [("coord", "otherlect"), ("otherlect", "coord")])
def test_each_lecturer_sees_only_their_own_private_note_in_the_portal(app, client, auth, m, login, other):
    write_notes(client, auth, m)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(MeetingNote.id))) == 2
    auth.login(login)
    page = client.get(f"/meetings/manage/notes/{m.student.id}?fac={m.faculty.id}&term={m.term.id}").get_data(
        as_text=True)
    own_public, own_private = NOTES[login]
    other_public, other_private = NOTES[other]
    assert own_private in page and own_public in page  # my note, in the form
    assert other_public in page  # the other's public part
    assert other_private not in page


def test_each_lecturer_sees_only_their_own_private_note_in_the_api(api, client, auth, m):
    write_notes(client, auth, m)
    key = dict(fac_id=m.faculty.id, term_id=m.term.id, user_id=m.student.id)
    for lecturer, (_public, private) in ((m.coordinator, NOTES["coord"]), (m.other_lecturer, NOTES["otherlect"])):
        assert ok(api.call(M + "get_note", user=lecturer, note_type="private", **key))["content"] == private
    coord_note = ok(api.call(M + "get_note", user=m.coordinator, note_type="private", **key))["id"]
    r = api.call(M + "note", user=m.other_lecturer, id=coord_note)
    assert r.status_code == 400 and r.get_json()["error"] == "object_not_found"
    fields = "public_notes[public_note|private_note]|private_notes[private_note]"
    mine = ok(api.call(M + "participant", user=m.coordinator, participant_id=m.entry.id, fields=fields))
    assert mine["private_notes"] == [{"private_note": "COORD-PRIVATE"}]
    assert sorted(mine["public_notes"], key=lambda n: n["public_note"]) == [
        {"public_note": NOTES["coord"][0], "private_note": "COORD-PRIVATE"},
        {"public_note": NOTES["otherlect"][0], "private_note": None}]
    theirs = ok(api.call(M + "participant", user=m.other_lecturer, participant_id=m.other_entry.id, fields=fields))
    assert theirs["private_notes"] == [{"private_note": "OTHER-PRIVATE"}]
    assert sorted(theirs["public_notes"], key=lambda n: n["public_note"]) == [
        {"public_note": NOTES["coord"][0], "private_note": None},
        {"public_note": NOTES["otherlect"][0], "private_note": "OTHER-PRIVATE"}]


# --- a date that has started while its registration is still open ------------------------------

@pytest.fixture
def started(app, mf, make):
    """A date that started ten minutes ago; its registration window runs for half an hour more."""
    m = mf.setup(make)
    now = clock.now().replace(microsecond=0)
    with app.app_context():
        date = db.session.get(MeetingDate, m.date.id)
        date.start_time, date.end_time = now - timedelta(minutes=10), now + timedelta(minutes=50)
        date.registration_start_time = now - timedelta(days=1)
        date.registration_end_time = now + timedelta(minutes=30)
        db.session.commit()
    return m


def test_sign_up_refused_once_the_date_has_started(app, api, client, auth, started):
    m = started
    refused(api.call(M + "sign_up", user=m.student, meeting_date_id=m.date.id, substantiation_id=m.sub.id),
            "meeting_date_ended")
    auth.login("stud1")
    client.post("/lang/en")
    r = client.post(f"/meetings/dates/{m.date.id}/sign-up", data={"substantiation": m.sub.id},
                    headers={"HX-Request": "true"})
    assert r.status_code == 400 and "Meeting date registration has already ended." in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Participant.id))) == 0
    # staff sign-ups ignore the registration window, never the seats: that path stays open
    ok(api.call(M + "sign_up_specific_user", user=m.admin, meeting_date_id=m.date.id, user_id=m.student.id))
