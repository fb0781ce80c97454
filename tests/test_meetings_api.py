"""services/meetings read methods: default fields, nested selectors, visibility, staff-only rules."""
from datetime import timedelta

import pytest

from portal import clock

from .test_meetings_signup import M, ok, refused


@pytest.fixture
def m(mf, make):
    return mf.setup(make)


DATE_KEYS = {"id", "comment", "start_time", "end_time", "registration_start_time", "registration_end_time",
             "seats_limit", "reserve_seats_limit", "meeting"}


def test_meeting_default_and_all_fields(api, m):
    body = ok(api.call(M + "meeting", user=m.student, meeting_id=m.meeting.id))
    assert body == {"id": str(m.meeting.id), "name": {"pl": "Konsultacje", "en": "Office hours"},
                    "comment": {"pl": "Pokój 12", "en": "Room 12"}, "open": True}
    body = ok(api.call(M + "meeting", user=m.student, meeting_id=m.meeting.id,
                       fields="faculty|term[id]|lecturer[id|last_name]|can_i_attend|state|substantiation_mode|"
                              "auto_accept|groups|soonest_datetime"))
    assert body["faculty"] == {"id": "FAC", "name": {"pl": "Wydział FAC", "en": "Faculty FAC"}}
    assert body["term"] == {"id": m.term.id}
    assert body["lecturer"] == {"id": str(m.coordinator.id), "last_name": m.coordinator.last_name}
    assert body["can_i_attend"] is True and body["state"] == "active" and body["auto_accept"] is True
    assert body["substantiation_mode"] == "this_faculty_and_parents" and body["groups"] == []
    assert body["soonest_datetime"] == clock.fmt_datetime(m.date.start_time)
    r = api.call(M + "meeting", user=m.student, meeting_id=m.meeting.id, fields="lecturer[nope]")
    assert r.status_code == 400 and r.get_json()["error"] == "field_not_found"
    r = api.call(M + "meeting", user=m.student, meeting_id="999")
    assert r.status_code == 400 and r.get_json()["error"] == "object_not_found"


def test_meeting_in_preparation_hidden_from_students(api, mf, m):
    hidden = mf.meeting(m.coordinator, m.faculty, state="in_preparation")
    r = api.call(M + "meeting", user=m.student, meeting_id=hidden.id)
    assert r.status_code == 400 and r.get_json()["error"] == "object_not_found"
    assert ok(api.call(M + "meeting", user=m.coordinator, meeting_id=hidden.id, fields="state")) == {
        "state": "in_preparation"}
    assert ok(api.call(M + "meetings", user=m.student, meeting_ids=f"{m.meeting.id}|{hidden.id}|77",
                       fields="id")) == {str(m.meeting.id): {"id": str(m.meeting.id)}, str(hidden.id): None,
                                         "77": None}


def test_available_course_and_lecturer_meetings(api, mf, make, m):
    limited = mf.meeting(m.coordinator, m.faculty, open=False, groups=[m.classes], name="Grupa")
    mf.meeting(m.coordinator, m.faculty, state="closed")
    ids = lambda r: sorted(x["id"] for x in ok(r))  # noqa: E731
    assert ids(api.call(M + "available_meetings", user=m.student)) == sorted([str(m.meeting.id), str(limited.id)])
    assert ids(api.call(M + "available_meetings", user=m.outsider)) == [str(m.meeting.id)]
    assert ids(api.call(M + "course_meetings", user=m.student, course_id=m.course.id)) == [str(limited.id)]
    refused(api.call(M + "course_meetings", user=m.outsider, course_id=m.course.id), "not_in_course",
            error="object_invalid")
    units = ok(api.call(M + "courses_with_meetings", user=m.student))
    assert units == [{"id": str(m.classes_unit.id)}]
    assert ok(api.call(M + "courses_with_meetings", user=m.outsider)) == []
    r = api.call(M + "courses_with_meetings", user=m.student, fields="id|course_id|term_id")
    assert ok(r) == [{"id": str(m.classes_unit.id), "course_id": m.course.id, "term_id": m.term.id}]
    assert len(ok(api.call(M + "lecturer", user=m.coordinator))) == 3
    assert len(ok(api.call(M + "lecturer", user=m.student, user_id=m.coordinator.id))) == 3  # closed is visible
    assert str(limited.id) not in ids(api.call(M + "lecturer", user=m.outsider, user_id=m.coordinator.id))
    refused(api.call(M + "lecturer", user=m.coordinator, user_id=m.student.id), "not_a_staff", error="object_invalid")


def test_dates_methods(api, mf, m):
    past = mf.date(m.meeting, days=-3, reg_from=-10, reg_to=-4)
    later = mf.date(m.meeting, days=9, reg_from=3)
    body = ok(api.call(M + "meeting_date", user=m.student, meeting_date_id=m.date.id))
    assert set(body) == DATE_KEYS and body["meeting"] == {
        "id": str(m.meeting.id), "name": {"pl": "Konsultacje", "en": "Office hours"},
        "comment": {"pl": "Pokój 12", "en": "Room 12"}, "open": True}
    assert body["seats_limit"] == 2 and body["reserve_seats_limit"] == 1
    assert body["start_time"] == clock.fmt_datetime(m.date.start_time)
    ids = lambda r: [x["id"] for x in ok(r)]  # noqa: E731
    assert ids(api.call(M + "meeting_all_dates", user=m.student, meeting_id=m.meeting.id, fields="id")) == [
        str(past.id), str(m.date.id), str(later.id)]
    assert ids(api.call(M + "search_meeting_dates", user=m.student, meeting_id=m.meeting.id, fields="id")) == [
        str(m.date.id), str(later.id)]
    assert ids(api.call(M + "open_meeting_dates", user=m.student, lecturer_id=m.coordinator.id)) == [str(m.date.id)]
    r = api.call(M + "open_meeting_dates", user=m.student, lecturer_id="9999")
    assert r.status_code == 400 and r.get_json()["error"] == "object_not_found"
    assert ok(api.call(M + "meeting_dates", user=m.student, meeting_date_ids=f"{m.date.id}|0",
                       fields="id|meeting[id|state]|room")) == {
        str(m.date.id): {"id": str(m.date.id), "meeting": {"id": str(m.meeting.id), "state": "active"},
                         "room": None}, "0": None}
    refused(api.call(M + "lecturer_meeting_dates", user=m.student, meeting_id=m.meeting.id), "staff_only",
            error="method_forbidden", status=403)
    assert len(ok(api.call(M + "lecturer_meeting_dates", user=m.coordinator, meeting_id=m.meeting.id))) == 3
    # "conducted by user": another lecturer's meeting has none of their dates, an administrator's search all
    assert ok(api.call(M + "lecturer_meeting_dates", user=m.lecturer, meeting_id=m.meeting.id)) == []
    assert len(ok(api.call(M + "lecturer_meeting_dates", user=m.admin, meeting_id=m.meeting.id))) == 3
    week = ok(api.call(M + "user_calendar", user=m.student, lecturer_id=m.coordinator.id, fields="id"))
    assert week == [{"id": str(m.date.id)}]
    start = (clock.today() - timedelta(days=5)).isoformat()
    assert ids(api.call(M + "user_calendar", user=m.coordinator, lecturer_id=m.coordinator.id, start=start,
                        days=30, fields="id")) == [str(past.id), str(m.date.id), str(later.id)]
    r = api.call(M + "user_calendar", user=m.coordinator, lecturer_id=m.coordinator.id, start="bad")
    assert r.status_code == 400 and r.get_json()["param_name"] == "start"


def test_participants_cart_and_actions(api, mf, m):
    mine = mf.entry(m.date, m.student, substantiation=m.sub)
    other = mf.entry(m.date, m.students[1])
    full = ("id|is_external|user[id]|meeting_date[id]|external_first_name|external_last_name|external_email|"
            "external_contact|status|is_reserve|lecturer_actions|user_actions|public_notes|private_notes|"
            "substantiation[id|faculty]|rejection_substantiation|substantiation_message|"
            "rejection_substantiation_message|number_in_queue")
    body = ok(api.call(M + "participant", user=m.student, participant_id=mine.id, fields=full))
    assert body == {"id": str(mine.id), "is_external": False, "user": {"id": str(m.student.id)},
                    "meeting_date": {"id": str(m.date.id)}, "external_first_name": None,
                    "external_last_name": None, "external_email": None, "external_contact": None,
                    "status": "accepted", "is_reserve": False, "lecturer_actions": [], "user_actions": ["sign_off"],
                    "public_notes": [], "private_notes": [],
                    "substantiation": {"id": str(m.sub.id), "faculty": {"id": "FAC", "name": {
                        "pl": "Wydział FAC", "en": "Faculty FAC"}}},
                    "rejection_substantiation": None, "substantiation_message": None,
                    "rejection_substantiation_message": None, "number_in_queue": 1}
    r = api.call(M + "participant", user=m.student, participant_id=other.id)
    assert r.status_code == 400 and r.get_json()["error"] == "object_not_found"
    assert ok(api.call(M + "participant", user=m.coordinator, participant_id=other.id,
                       fields="lecturer_actions")) == {"lecturer_actions": ["reject"]}
    assert ok(api.call(M + "participants", user=m.student, participant_ids=f"{mine.id}|{other.id}")) == {
        str(mine.id): {"id": str(mine.id)}, str(other.id): None}
    assert ok(api.call(M + "cart", user=m.student, fields="id|meeting_date[id]")) == [
        {"id": str(mine.id), "meeting_date": {"id": str(m.date.id)}}]
    refused(api.call(M + "meeting_date_participants", user=m.student, meeting_date_id=m.date.id), "staff_only",
            error="method_forbidden", status=403)
    refused(api.call(M + "meeting_date_participants", user=m.other_lecturer, meeting_date_id=m.date.id),
            "not_meeting_lecturer", error="object_forbidden", status=403)
    assert ok(api.call(M + "meeting_date_participants", user=m.coordinator, meeting_date_id=m.date.id,
                       fields="id|user[id]")) == [{"id": str(mine.id), "user": {"id": str(m.student.id)}},
                                                  {"id": str(other.id), "user": {"id": str(m.students[1].id)}}]


def test_substantiations(api, m):
    body = ok(api.call(M + "substantiation", user=m.student, id=m.sub.id))
    assert body == {"id": str(m.sub.id), "name": {"pl": "Konsultacje", "en": "Konsultacje (en)"},
                    "message": {"pl": "Wiadomość", "en": "Message"}, "type": "meeting"}
    assert ok(api.call(M + "substantiation", id=m.sub.id, fields="faculty[id]"))["faculty"] == {"id": "FAC"}
    ids = lambda r: [x["id"] for x in ok(r)]  # noqa: E731
    assert ids(api.call(M + "get_meeting_substantiations", fac_id="FAC")) == [str(m.sub.id), str(m.parent_sub.id)]
    assert ids(api.call(M + "get_meeting_substantiations", fac_id="FAC", with_parents=False)) == [str(m.sub.id)]
    assert ids(api.call(M + "get_rejection_substantiations", fac_id="FAC")) == [str(m.rejection.id)]
    r = api.call(M + "get_meeting_substantiations", fac_id="NOPE")
    assert r.status_code == 400 and r.get_json()["error"] == "object_not_found"


def test_notes_private_only_for_author(api, mf, m):
    key = dict(fac_id="FAC", term_id=m.term.id, user_id=m.student.id)
    refused(api.call(M + "put_note", user=m.student, note_type="public", content="x", **key), "staff_only",
            error="method_forbidden", status=403)
    ok(api.call(M + "put_note", user=m.coordinator, note_type="private", content="Sekret", **key))
    ok(api.call(M + "put_note", user=m.coordinator, note_type="public", content="Jawna", **key))
    ok(api.call(M + "put_note", user=m.lecturer, note_type="public", content="Inna", **key))
    own = ok(api.call(M + "get_note", user=m.coordinator, note_type="private", **key))
    assert own["content"] == "Sekret" and set(own) == {"id", "creation_date", "content"}
    assert ok(api.call(M + "get_note", user=m.lecturer, note_type="private", **key)) is None
    refused(api.call(M + "get_note", user=m.student, note_type="public", **key), "staff_only",
            error="method_forbidden", status=403)
    note = ok(api.call(M + "note", user=m.coordinator, id=own["id"], fields="id|user[id]|faculty[id]|term[id]|"
                                                                                 "private_note|public_note"))
    assert note == {"id": own["id"], "user": {"id": str(m.student.id)}, "faculty": {"id": "FAC"},
                    "term": {"id": m.term.id}, "private_note": "Sekret", "public_note": "Jawna"}
    r = api.call(M + "note", user=m.lecturer, id=own["id"])
    assert r.status_code == 400 and r.get_json()["error"] == "object_not_found"
    refused(api.call(M + "note", user=m.student, id=own["id"]), "staff_only", error="method_forbidden", status=403)
    # participant notes: public ones for staff and the person; private ones only for their author-lecturer
    entry = mf.entry(m.date, m.student)
    fields = "public_notes[public_note|private_note]|private_notes[private_note]"
    assert ok(api.call(M + "participant", user=m.coordinator, participant_id=entry.id, fields=fields)) == {
        "public_notes": [{"public_note": "Jawna", "private_note": "Sekret"},
                         {"public_note": "Inna", "private_note": None}],
        "private_notes": [{"private_note": "Sekret"}]}
    assert ok(api.call(M + "participant", user=m.student, participant_id=entry.id, fields=fields)) == {
        "public_notes": [{"public_note": "Jawna", "private_note": None},
                         {"public_note": "Inna", "private_note": None}], "private_notes": []}
    refused(api.call(M + "delete_note", user=m.student, note_id=own["id"], note_type="private"), "staff_only",
            error="method_forbidden", status=403)
    r = api.call(M + "delete_note", user=m.lecturer, note_id=own["id"], note_type="private")
    assert r.status_code == 400 and r.get_json()["error"] == "object_not_found"
    ok(api.call(M + "delete_note", user=m.coordinator, note_id=own["id"], note_type="private"))
    assert ok(api.call(M + "get_note", user=m.coordinator, note_type="private", **key)) is None
    ok(api.call(M + "delete_note", user=m.coordinator, note_id=own["id"], note_type="public"))
    r = api.call(M + "note", user=m.coordinator, id=own["id"])
    assert r.status_code == 400 and r.get_json()["error"] == "object_not_found"
