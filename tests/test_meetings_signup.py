"""services/meetings write methods: sign_up and its every refusal, sign_off, accept, reject,
staff sign-ups, the reserve list with promotion and a gap-free queue."""
import pytest

from portal.extensions import db
from portal.meetings.models import Participant


M = "services/meetings/"


@pytest.fixture
def m(mf, make):
    return mf.setup(make)


def ok(r):
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def refused(r, reason, error="meeting_subscription_exception", status=400):
    body = r.get_json()
    assert r.status_code == status, body
    assert body["error"] == error and body.get("reason") == reason, body
    return body


def entries(app, date):
    with app.app_context():
        rows = db.session.scalars(db.select(Participant).filter_by(meeting_date_id=date.id)
                                  .order_by(Participant.queue_number)).all()
        return [(r.user_id, r.status, r.is_reserve, r.queue_number) for r in rows]


def sign_up(api, user, date, sub, **kw):
    return api.call(M + "sign_up", user=user, meeting_date_id=date.id, substantiation_id=sub.id, **kw)


def test_seats_then_reserve_then_refused(api, app, m):
    s1, s2, s3, s4 = m.students
    assert ok(sign_up(api, s1, m.date, m.sub, substantiation_message="Pytanie")) == {}
    ok(sign_up(api, s2, m.date, m.parent_sub))
    ok(sign_up(api, s3, m.date, m.sub))
    refused(sign_up(api, s4, m.date, m.sub), "seats_limit_exceeded")
    assert entries(app, m.date) == [(s1.id, "accepted", False, 1), (s2.id, "accepted", False, 2),
                                    (s3.id, "waiting", True, 3)]
    refused(sign_up(api, s1, m.date, m.sub), "user_already_subscribed")
    body = ok(api.call(M + "meeting_date", user=s3, meeting_date_id=m.date.id,
                       fields="registered_participants_count|accepted_participants_count|"
                              "waiting_participants_count|user_status|can_i_sign_up|can_i_sign_out"))
    assert body == {"registered_participants_count": 3, "accepted_participants_count": 2,
                    "waiting_participants_count": 1, "user_status": "waiting", "can_i_sign_up": False,
                    "can_i_sign_out": True}
    assert ok(api.call(M + "meeting_date", user=s4, meeting_date_id=m.date.id,
                       fields="can_i_sign_up|user_status")) == {"can_i_sign_up": False, "user_status": None}


def test_sign_off_promotes_first_reserve_and_keeps_queue_gap_free(api, app, mf, m):
    with app.app_context():
        from portal.meetings.models import MeetingDate
        db.session.get(MeetingDate, m.date.id).reserve_seats_limit = 3
        db.session.commit()
    s1, s2, s3, s4 = m.students
    for s in (s1, s2, s3, s4):
        ok(sign_up(api, s, m.date, m.sub))
    ok(api.call(M + "sign_off", user=s1, meeting_date_id=m.date.id, message_lang_code="en"))
    assert entries(app, m.date) == [(s2.id, "accepted", False, 1), (s3.id, "accepted", False, 2),
                                    (s4.id, "waiting", True, 3)]
    refused(api.call(M + "sign_off", user=s1, meeting_date_id=m.date.id), "user_not_registered")
    # a reserve leaving closes the gap too
    ok(api.call(M + "sign_off", user=s4, meeting_date_id=m.date.id))
    assert entries(app, m.date) == [(s2.id, "accepted", False, 1), (s3.id, "accepted", False, 2)]


def test_sign_up_refusals(api, app, mf, make, m):
    s = m.student
    inactive = mf.date(mf.meeting(m.coordinator, m.faculty, state="closed"))
    refused(sign_up(api, s, inactive, m.sub), "meeting_not_active")
    groups_only = mf.date(mf.meeting(m.coordinator, m.faculty, open=False, groups=[m.classes]))
    refused(sign_up(api, m.outsider, groups_only, m.sub), "no_user_permissions")
    ok(sign_up(api, s, groups_only, m.sub))
    later = mf.date(m.meeting, days=10, reg_from=2)
    refused(sign_up(api, s, later, m.sub), "meeting_date_not_begun")
    ended = mf.date(m.meeting, days=5, reg_from=-3, reg_to=-1)
    refused(sign_up(api, s, ended, m.sub), "meeting_date_ended")
    refused(sign_up(api, s, m.date, m.foreign_sub), "invalid_substantiation")
    refused(sign_up(api, s, m.date, m.rejection), "invalid_substantiation")
    refused(api.call(M + "sign_up", user=s, meeting_date_id=m.date.id, substantiation_id="999"),
            "invalid_substantiation")
    # this_faculty_only: the parent faculty's substantiation is not allowed
    strict = mf.date(mf.meeting(m.coordinator, m.faculty, mode="this_faculty_only"))
    refused(sign_up(api, s, strict, m.parent_sub), "invalid_substantiation")
    ok(sign_up(api, s, strict, m.sub))
    r = api.call(M + "sign_up", user=s, meeting_date_id="12345", substantiation_id=m.sub.id)
    assert r.status_code == 400 and r.get_json()["error"] == "object_not_found"
    r = api.call(M + "sign_up", user=s, meeting_date_id=m.date.id)
    assert r.status_code == 400 and r.get_json()["param_name"] == "substantiation_id"
    assert api.call(M + "sign_up", meeting_date_id=m.date.id, substantiation_id=m.sub.id).status_code == 401
    assert entries(app, m.date) == []


def test_sign_off_after_start_refused(api, app, mf, m):
    started = mf.date(m.meeting, days=0, hour=0, reg_from=-2, reg_to=-1)
    mf.entry(started, m.student)
    refused(api.call(M + "sign_off", user=m.student, meeting_date_id=started.id), "meeting_date_has_started")


def test_manual_acceptance_and_rejection(api, app, mf, make):
    m = mf.setup(make, auto_accept=False)
    s1, s2, s3, s4 = m.students
    for s in (s1, s2, s3):
        ok(sign_up(api, s, m.date, m.sub))
    assert entries(app, m.date) == [(s1.id, "waiting", False, 1), (s2.id, "waiting", False, 2),
                                    (s3.id, "waiting", True, 3)]
    ids = {u: p for u, p in _ids(app, m.date).items()}
    refused(api.call(M + "accept_participant", user=s1, participant_id=ids[s1.id]), "user_is_not_staff")
    refused(api.call(M + "accept_participant", user=m.other_lecturer, participant_id=ids[s1.id]),
            "not_meeting_lecturer", error="object_forbidden", status=403)
    ok(api.call(M + "accept_participant", user=m.coordinator, participant_id=ids[s1.id]))
    refused(api.call(M + "accept_participant", user=m.coordinator, participant_id=ids[s1.id]), "user_already_accepted")
    # the reserve cannot be accepted while both seats are held
    refused(api.call(M + "accept_participant", user=m.coordinator, participant_id=ids[s3.id]), "seats_limit_exceeded")
    refused(api.call(M + "reject_participant", user=m.coordinator, participant_id=ids[s2.id],
                     substantiation_id=m.sub.id), "invalid_substantiation")
    refused(api.call(M + "reject_participant", user=s2, participant_id=ids[s2.id]), "user_is_not_staff")
    ok(api.call(M + "reject_participant", user=m.coordinator, participant_id=ids[s2.id],
                substantiation_id=m.rejection.id, substantiation_message="Nie tym razem"))
    refused(api.call(M + "reject_participant", user=m.coordinator, participant_id=ids[s2.id]), "user_already_rejected")
    # s3 moved up onto the main list, still waiting for the lecturer
    assert sorted(entries(app, m.date), key=str) == sorted(
        [(s1.id, "accepted", False, 1), (s2.id, "rejected", False, None), (s3.id, "waiting", False, 2)], key=str)
    body = ok(api.call(M + "participant", user=s2, participant_id=ids[s2.id],
                       fields="status|number_in_queue|rejection_substantiation[id|type]|"
                              "rejection_substantiation_message|user_actions"))
    assert body == {"status": "rejected", "number_in_queue": None, "user_actions": [],
                    "rejection_substantiation": {"id": str(m.rejection.id), "type": "rejection"},
                    "rejection_substantiation_message": "Nie tym razem"}
    refused(sign_up(api, s2, m.date, m.sub), "user_already_subscribed")


def _ids(app, date):
    with app.app_context():
        return {p.user_id: p.id for p in db.session.scalars(db.select(Participant).filter_by(meeting_date_id=date.id))}


def test_staff_sign_ups(api, app, m):
    refused(api.call(M + "sign_up_specific_user", user=m.student, user_id=m.students[1].id,
                     meeting_date_id=m.date.id), "staff_only", error="method_forbidden", status=403)
    refused(api.call(M + "sign_up_non_usos_person", user=m.student, meeting_date_id=m.date.id,
                     first_name="Jan", last_name="Kowalski"), "staff_only", error="method_forbidden", status=403)
    ok(api.call(M + "sign_up_specific_user", user=m.coordinator, user_id=m.outsider.id, meeting_date_id=m.date.id,
                status="waiting", substantiation_id=m.sub.id, substantiation_message="Staff"))
    refused(api.call(M + "sign_up_specific_user", user=m.coordinator, user_id=m.outsider.id,
                     meeting_date_id=m.date.id), "user_already_subscribed")
    refused(api.call(M + "sign_up_specific_user", user=m.admin, user_id=m.student.id, meeting_date_id=m.date.id,
                     substantiation_id=m.foreign_sub.id), "invalid_substantiation")
    ok(api.call(M + "sign_up_non_usos_person", user=m.admin, meeting_date_id=m.date.id, first_name="Jan",
                last_name="Zewnętrzny", email="Jan@Example.com", contact_data="+48 600"))
    refused(api.call(M + "sign_up_non_usos_person", user=m.admin, meeting_date_id=m.date.id, first_name="Jan",
                     last_name="Z", email="jan@example.com"), "non_usos_person_email_subscribed")
    refused(api.call(M + "sign_up_non_usos_person", user=m.admin, meeting_date_id=m.date.id, first_name="Ola",
                     last_name="Z", substantiation_id=m.rejection.id), "invalid_substantiation")
    # the reserve place goes to the next one, then nothing
    ok(api.call(M + "sign_up_non_usos_person", user=m.coordinator, meeting_date_id=m.date.id, first_name="Ewa",
                last_name="Rezerwowa"))
    refused(api.call(M + "sign_up_specific_user", user=m.coordinator, user_id=m.student.id,
                     meeting_date_id=m.date.id), "seats_limit_exceeded")
    with app.app_context():
        rows = db.session.scalars(db.select(Participant).order_by(Participant.queue_number)).all()
        assert [(r.user_id, r.external_email, r.status, r.is_reserve, r.queue_number) for r in rows] == [
            (m.outsider.id, None, "waiting", False, 1), (None, "jan@example.com", "accepted", False, 2),
            (None, None, "waiting", True, 3)]
    r = api.call(M + "sign_up_non_usos_person", user=m.admin, meeting_date_id=m.date.id, first_name="A",
                 last_name="B", email="not-an-email")
    assert r.status_code == 400 and r.get_json()["param_name"] == "email"
    refused(api.call(M + "sign_up_specific_user", user=m.other_lecturer, user_id=m.student.id,
                     meeting_date_id=m.date.id), "not_meeting_lecturer", error="object_forbidden", status=403)
