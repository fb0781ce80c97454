"""services/groups: groups by person (user, participant, lecturer), groups/groups, and privacy."""
import pytest
from usos_api.models import Group as UsosGroup, Term as UsosTerm

from .factories_people import people

M = "services/groups/"
USOS_API_FIELDS = "course_unit_id|group_number|course_name|term_id"
MCP_FIELDS = "course_unit_id|group_number|class_type|class_type_id|course_id|course_name"


@pytest.fixture
def uni(make, app):
    u = people(make, app)
    u.old_term = make.term("2020Z", active=False)
    old = make.edition(make.course("C-OLD", faculty=u.faculty), u.old_term, coordinators=[u.lecturer])
    u.old_group = make.group(make.unit(old, "LAB"), 1, lecturers=[u.lecturer], participants=[u.student])
    return u


def ok(r):
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def validate(body):
    for groups in body["groups"].values():
        for group in groups:
            UsosGroup.model_validate(group)
    for term in body["terms"]:
        UsosTerm.model_validate(term)


def test_participant_groups_by_term(api, uni):
    body = ok(api.call(M + "participant", user=uni.student, fields=USOS_API_FIELDS, lang="en"))
    assert set(body["groups"]) == {"2020Z", uni.term.id}
    assert list(body["groups"]) == [t["id"] for t in body["terms"]]  # both by the terms' order_key
    current = body["groups"][uni.term.id]
    assert [(g["course_unit_id"], g["group_number"]) for g in current] == [
        (str(uni.classes_unit.id), 1), (str(uni.lecture_unit.id), 1)]  # by course name, then class type (CW, WYK)
    assert current[0] == {"course_unit_id": str(uni.classes_unit.id), "group_number": 1,
                          "course_name": {"pl": "Przedmiot C-1", "en": "Course C-1"}, "term_id": uni.term.id}
    assert set(body["terms"][0]) == {"id", "name", "start_date", "end_date", "finish_date", "order_key", "is_active"}
    validate(body)
    active = ok(api.call(M + "participant", user=uni.student, active_terms="true"))
    assert list(active["groups"]) == [uni.term.id] and [t["id"] for t in active["terms"]] == [uni.term.id]


def test_lecturer_groups_are_public(api, uni):
    body = ok(api.call(M + "lecturer", user_id=uni.lecturer.id, fields=MCP_FIELDS))  # a consumer, no token
    assert {t: [g["course_id"] for g in gs] for t, gs in body["groups"].items()} == {
        "2020Z": ["C-OLD"], uni.term.id: ["C-1"]}
    assert body["groups"][uni.term.id][0]["class_type"] == {"pl": "Ćwiczenia", "en": "Classes"}
    validate(body)
    mine = ok(api.call(M + "lecturer", user=uni.coordinator))
    assert [g["course_unit_id"] for g in mine["groups"][uni.term.id]] == [str(uni.lecture_unit.id)]
    assert ok(api.call(M + "lecturer", user=uni.student)) == {"groups": {}, "terms": []}
    r = api.call(M + "lecturer")
    assert r.status_code == 400 and r.get_json()["param_name"] == "user_id"


def test_user_groups_teaching_and_attending(api, make, app, uni):
    both = make.user("both", student=True, lecturer=True)
    other = make.edition(make.course("C-2", faculty=uni.faculty), uni.term)
    make.group(make.unit(other, "WYK"), 1, lecturers=[both])
    make.group(uni.classes_unit, 2, participants=[both])
    body = ok(api.call(M + "user", user=both, fields="course_id|group_number|lecturers[id]|participants[id]"))
    assert body["groups"][uni.term.id] == [
        {"course_id": "C-1", "group_number": 2, "lecturers": [], "participants": [{"id": str(both.id)}]},
        {"course_id": "C-2", "group_number": 1, "lecturers": [{"id": str(both.id)}], "participants": []}]
    validate(body)


def test_someone_elses_attended_groups_are_for_staff(api, uni):
    for who, how in {"lecturer": dict(user=uni.lecturer), "administrator": dict(user=uni.admin)}.items():
        body = ok(api.call(M + "participant", user_id=uni.student.id, **how))
        assert uni.term.id in body["groups"], who
    for method in ("participant", "user"):
        r = api.call(M + method, user=uni.outsider, user_id=uni.student.id)
        assert r.status_code == 403 and r.get_json()["error"] == "object_forbidden", method
    r = api.call(M + "participant", user=uni.student, user_id="999999")
    assert r.status_code == 400 and r.get_json()["error"] == "object_not_found"
    r = api.call(M + "participant", user=uni.student, scopes=("grades",))
    assert r.status_code == 403 and r.get_json()["reason"] == "scope_missing"
    r = api.call(M + "participant", user=uni.student, active_terms="yes")
    assert r.status_code == 400 and r.get_json()["param_name"] == "active_terms"


def test_participants_only_for_staff_and_members(api, uni):
    def participants(**how):
        return ok(api.call(M + "group", course_unit_id=uni.classes_unit.id, group_number=1,
                           fields="participants[id]", **how))["participants"]
    everyone = [{"id": str(s.id)} for s in sorted(uni.students, key=lambda s: (s.last_name, s.first_name, s.id))]
    assert participants(user=uni.student) == everyone
    assert participants(user=uni.other_lecturer) == everyone
    assert participants(user=uni.outsider) == [] and participants() == []


def test_group_fields_from_the_course(api, uni):
    fields = ("group_url|course_homepage_url|course_profile_url|course_is_currently_conducted|course_fac_id|"
              "course_lang_id|course_description|course_bibliography|course_learning_outcomes|"
              "course_assessment_criteria|course_practical_placement|class_type_id")
    body = ok(api.call(M + "group", course_unit_id=uni.lecture_unit.id, group_number=1, fields=fields))
    assert body["course_is_currently_conducted"] is True and body["course_fac_id"] == "FAC"
    assert body["class_type_id"] == "WYK" and body["group_url"] is None and body["course_lang_id"] == "pl"
    old = ok(api.call(M + "group", course_unit_id=uni.old_group.unit_id, group_number=1,
                      fields="course_is_currently_conducted"))
    assert old == {"course_is_currently_conducted": False}
    UsosGroup.model_validate(body)


def test_groups_dictionary(api, uni):
    key = f"{uni.classes_unit.id},1"
    body = ok(api.call(M + "groups", group_ids=f"{key}|{uni.classes_unit.id},9",
                       fields="course_unit_id|group_number|course_name"))
    assert body == {key: {"course_unit_id": str(uni.classes_unit.id), "group_number": 1,
                          "course_name": {"pl": "Przedmiot C-1", "en": "Course C-1"}},
                    f"{uni.classes_unit.id},9": None}
    UsosGroup.model_validate(body[key])
    for bad in ("12", "a,1", "1,b", "1,2,3"):
        r = api.call(M + "groups", group_ids=bad)
        assert r.status_code == 400 and r.get_json()["param_name"] == "group_ids", bad


def test_apiref(client):
    for name in ("user", "participant", "lecturer", "groups", "group", "class_group"):
        doc = client.get(f"/services/apiref/method?name={M}{name}").get_json()
        assert all(f["description"] for f in doc["result_fields"]), name
        assert doc["brief_description"], name


def test_lists_of_groups_and_meetings_have_no_n_plus_1(api, uni, make, app):
    from sqlalchemy import event
    from portal.extensions import db
    from .factories import at
    asks = [("services/groups/participant", "course_unit_id|group_number|class_type|course_name|"
             "course_is_currently_conducted|lecturers[id|employment_positions]|participants[id]"),
            ("services/tt/student", "type|name|course_name|classtype_name|building_name|room_number|lecturer_ids|"
             "frequency|group_number")]

    def counts():
        out = []
        for method, fields in asks:
            statements = []
            with app.app_context():
                listener = lambda *args: statements.append(args[2])  # noqa: E731
                event.listen(db.engine, "before_cursor_execute", listener)
                try:
                    r = api.call(method, user=uni.student, fields=fields)
                finally:
                    event.remove(db.engine, "before_cursor_execute", listener)
            assert r.status_code == 200, r.get_json()
            # SELECTs only: OAuth now and then also purges old nonces (a DELETE)
            out.append(len([s for s in statements if s.lstrip().upper().startswith("SELECT")]))
        return out

    make.meeting(uni.lecture, start=at(days=1, hour=8), room=uni.room)
    counts()  # the first call also issues the token
    few = counts()
    for i in range(4):
        edition = make.edition(make.course(f"C-N{i}", faculty=uni.faculty), uni.term)
        group = make.group(make.unit(edition, "WYK"), 1, lecturers=[make.user(f"l{i}", lecturer=True)],
                           participants=[uni.student])
        make.meeting(group, start=at(days=2, hour=8 + i), room=make.room(f"R{i}"))
    assert counts() == few
