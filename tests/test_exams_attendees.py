"""Who is registered where is private: slot and exam group attendees only for administrative
(trusted) consumers, and then only for the group's examiners and the coordinators (or the
institution itself: an administrative consumer acting for nobody). The answer is the same
however the field is asked for, plainly or in brackets at any depth; a default selector that
merely includes the field answers null instead."""
import pytest

from portal.exams.models import ExamRegistration, ExamSlot
from portal.extensions import db

from .api_client import signed
from .factories_exams import ExamFactory


@pytest.fixture
def ex(app, uni):
    ex = ExamFactory(app).setup(uni)
    with app.app_context():
        db.session.add(ExamRegistration(exam_id=ex.exam.id, slot_id=ex.slot1.id, user_id=uni.students[0].id,
                                        created_at=ex.exam.registration_start))
        db.session.get(ExamSlot, ex.slot1.id).taken += 1
        db.session.commit()
    return ex


def asks(ex, whole_exam=True, for_a_person=False):
    """The attendees of group 1, asked for in every way: (method, params, fields, where the list is).
    `whole_exam`: also through the exam and its session (every group, not only group 1);
    `for_a_person`: leave out services/exams/exams, which ignores the token (so the person)."""
    slot = dict(exam_id=ex.exam.id, group_number=1, slot_number=1)
    group = dict(exam_id=ex.exam.id, group_number=1)
    ways = [
        ("services/exams/slot", slot, "attendees", lambda b: b["attendees"]),
        ("services/exams/slot", slot, "number|attendees", lambda b: b["attendees"]),
        ("services/exams/group", group, "slots[attendees]", lambda b: b["slots"][0]["attendees"]),
        ("services/exams/group", group, "number|slots[number|attendees]", lambda b: b["slots"][0]["attendees"]),
        ("services/exams/exam_group", group, "attendees", lambda b: [a["id"] for a in b["attendees"]]),
        ("services/exams/exam_group", group, "attendees[id|student_number]",
         lambda b: [a["id"] for a in b["attendees"]]),
        ("services/exams/exam", dict(id=ex.exam.id), "groups[slots[attendees]]",
         lambda b: b["groups"][0]["slots"][0]["attendees"]),
        ("services/exams/examination_session", dict(id=ex.session.id), "exams[groups[number|slots[attendees]]]",
         lambda b: b["exams"][0]["groups"][0]["slots"][0]["attendees"]),
        ("services/exams/exams", dict(ids=ex.exam.id), "groups[slots[attendees]]",
         lambda b: b[str(ex.exam.id)]["groups"][0]["slots"][0]["attendees"]),
    ]
    if not whole_exam:
        ways = [w for w in ways if w[0] in ("services/exams/slot", "services/exams/group", "services/exams/exam_group")]
    if for_a_person:
        ways = [w for w in ways if w[0] != "services/exams/exams"]
    return ways


def refusals(api, ex, for_a_person=False, **who):
    """{(status, error, reason)} over every way of asking."""
    out = set()
    for path, params, fields, _ in asks(ex, for_a_person=for_a_person):
        body = api.call(path, **who, **params, fields=fields)
        out.add((body.status_code, body.get_json().get("error"), body.get_json().get("reason")))
    return out


def test_a_plain_consumer_never_gets_them(api, uni, ex):
    """Not even the examiner or the coordinator: "Consumer key with administrative access is required"."""
    for user in (uni.lecturer, uni.coordinator, uni.student, None):
        assert refusals(api, ex, user=user) == {(403, "field_forbidden", "trusted_required")}, user


def test_a_trusted_consumer_for_someone_who_is_not_their_examiner(api, uni, ex):
    assert refusals(api, ex, True, user=uni.student, admin=True) == {(403, "object_forbidden", "examiner_only")}
    assert refusals(api, ex, True, user=uni.other_lecturer, admin=True) == {
        (403, "object_forbidden", "coordinator_only")}
    # the examiner of group 1 is refused the whole exam's lists: group 2 is someone else's
    r = api.call("services/exams/exam", user=uni.lecturer, admin=True, id=ex.exam.id, fields="groups[slots[attendees]]")
    assert r.status_code == 403 and r.get_json()["reason"] == "coordinator_only"


@pytest.mark.parametrize("who", ["lecturer", "coordinator", "admin", "institution"])
def test_a_trusted_consumer_for_the_examiner_the_coordinator_or_the_institution(api, uni, ex, who):
    caller = dict(admin=True) if who == "institution" else dict(admin=True, user=getattr(uni, who))
    for path, params, fields, attendees in asks(ex, whole_exam=who != "lecturer"):
        r = api.call(path, **caller, **params, fields=fields)
        assert r.status_code == 200, (path, fields, r.get_json())
        assert attendees(r.get_json()) == [str(uni.students[0].id)], (path, fields)


@pytest.mark.parametrize("caller", ["plain examiner", "trusted student", "trusted other examiner", "anonymous"])
def test_defaults_that_include_attendees_answer_null(api, uni, ex, caller):
    who = {"plain examiner": dict(user=uni.lecturer), "trusted student": dict(user=uni.student, admin=True),
           "trusted other examiner": dict(user=uni.other_lecturer, admin=True), "anonymous": {}}[caller]
    slot = api.call("services/exams/slot", **who, exam_id=ex.exam.id, group_number=1, slot_number=1)
    assert slot.status_code == 200 and slot.get_json()["attendees"] is None
    assert slot.get_json()["attendees_count"] == 1
    group = api.call("services/exams/group", **who, exam_id=ex.exam.id, group_number=1)
    assert group.status_code == 200 and group.get_json()["slots"][0]["attendees"] is None
    bare = api.call("services/exams/group", **who, exam_id=ex.exam.id, group_number=1, fields="slots")
    assert bare.status_code == 200 and bare.get_json()["slots"][0]["attendees"] is None
    exam = api.call("services/exams/exam", **who, id=ex.exam.id)
    assert exam.status_code == 200 and exam.get_json()["groups"][0]["slots"][0]["attendees"] is None


def test_defaults_give_the_list_to_those_who_may_see_it(api, uni, ex):
    r = api.call("services/exams/slot", user=uni.lecturer, admin=True, exam_id=ex.exam.id, group_number=1,
                 slot_number=1)
    assert r.get_json()["attendees"] == [str(uni.students[0].id)]


def test_over_plain_http_when_ssl_is_required(app, api, ex):
    app.config["PORTAL_REQUIRE_SSL"] = True
    params = {"exam_id": ex.exam.id, "group_number": 1, "slot_number": 1, "fields": "attendees"}
    r = signed(api.client, "/services/exams/slot", api.admin_consumer, params=params)
    assert r.status_code == 403 and r.get_json()["reason"] == "secure_required"
    r = signed(api.client, "/services/exams/slot", api.admin_consumer, params=params, base="https://localhost")
    assert r.status_code == 200 and len(r.get_json()["attendees"]) == 1
