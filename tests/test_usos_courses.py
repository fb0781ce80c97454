"""services/courses: a person's courses, passing status, ECTS, course_edition2, units; examrep/user2."""
from decimal import Decimal

import pytest
from usos_api.models import Course as UsosCourse, CourseEdition as UsosEdition, CourseUnit as UsosUnit, Term
from usos_api.models import parse_user_exam_reports

from portal.extensions import db
from portal.university.models import CourseEdition

from .factories_grades import GradesFactory
from .factories_people import people

M = "services/courses/"
USOS_API = ("course_editions[course_id|course_name|term_id|homepage_url|profile_url|coordinators|lecturers|"
            "passing_status|user_groups|grades|attributes]|terms")


@pytest.fixture
def uni(make, app):
    u = people(make, app)
    g = GradesFactory(app)
    u.general = g.report(u.edition, sessions=2)
    u.unitrep = g.report(u.edition, u.classes_unit)
    u.g = g
    u.old_term = make.term("2020Z", active=False)
    u.old = make.edition(make.course("C-OLD", faculty=u.faculty), u.old_term)
    make.group(make.unit(u.old, "LAB"), 1, participants=[u.student])
    return u


def ok(r):
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def editions(body):
    return {t: {e["course_id"]: e for e in es} for t, es in body["course_editions"].items()}


def test_courses_user_as_usos_api_asks(api, uni):
    uni.g.grade(uni.general, uni.student, "2", number=1)
    body = ok(api.call(M + "user", user=uni.student, fields=USOS_API, active_terms_only="false"))
    found = editions(body)
    mine = found[uni.term.id]["C-1"]
    assert mine["passing_status"] == "failed" and [g["value_symbol"] for g in mine["grades"]] == ["2"]
    assert [c["id"] for c in mine["coordinators"]] == [str(uni.coordinator.id)]
    assert [u["id"] for u in mine["lecturers"]] == sorted([str(uni.coordinator.id), str(uni.lecturer.id)], key=int)
    assert {(g["course_unit_id"], g["group_number"]) for g in mine["user_groups"]} == {
        (str(uni.lecture_unit.id), 1), (str(uni.classes_unit.id), 1)}
    assert mine["attributes"] == [] and mine["homepage_url"] is None
    assert found["2020Z"]["C-OLD"]["passing_status"] == "not_yet_passed"
    assert {t["id"] for t in body["terms"]} == {uni.term.id, "2020Z"}
    for term_editions in body["course_editions"].values():
        for edition in term_editions:
            UsosEdition.model_validate(edition)
    for term in body["terms"]:
        Term.model_validate(term)
    active = ok(api.call(M + "user", user=uni.student, active_terms_only="true"))
    assert list(active["course_editions"]) == [uni.term.id] and [t["id"] for t in active["terms"]] == [uni.term.id]
    assert active["course_editions"][uni.term.id] == [{"course_id": "C-1", "course_name": {
        "pl": "Przedmiot C-1", "en": "Course C-1"}, "term_id": uni.term.id}]  # the edition's default fields


def test_passing_status_follows_the_final_grades(api, uni, make):
    def status():
        return ok(api.call(M + "course_edition", user=uni.student, course_id="C-1", term_id=uni.term.id,
                           fields="passing_status"))["passing_status"]
    assert status() == "not_yet_passed"
    uni.g.grade(uni.unitrep, uni.student, "5")  # a unit report does not decide when there is a general one
    assert status() == "not_yet_passed"
    first = uni.g.grade(uni.general, uni.student, "2", number=1)
    assert status() == "failed"
    uni.g.grade(uni.general, uni.student, "3", number=2)  # the resit replaces the first sitting
    assert status() == "passed" and first is not None
    assert ok(api.call(M + "course_edition", course_id="C-1", term_id=uni.term.id,
                       fields="passing_status")) == {"passing_status": None}  # no token, no one to ask about


def test_grades_need_their_scope(api, uni):
    uni.g.grade(uni.general, uni.student, "4")
    body = ok(api.call(M + "course_edition", user=uni.student, scopes=("studies",), course_id="C-1",
                       term_id=uni.term.id, fields="grades"))
    assert body == {"grades": None}
    body = ok(api.call(M + "course_edition", user=uni.student, course_id="C-1", term_id=uni.term.id,
                       fields="grades[value_symbol|exam_id]"))
    assert body == {"grades": [{"value_symbol": "4", "exam_id": str(uni.general.id)}]}
    r = api.call(M + "course_edition", user=uni.student, course_id="C-1", term_id=uni.term.id,
                 fields="grades[user]")
    assert r.status_code == 400 and r.get_json()["error"] == "field_invalid"


def test_user_ects_points(api, uni, app):
    with app.app_context():
        db.session.get(CourseEdition, uni.edition.id).ects_credits = Decimal("4.5")
        db.session.commit()
    body = ok(api.call(M + "user_ects_points", user=uni.student))
    assert body == {"2020Z": {"C-OLD": "5"}, uni.term.id: {"C-1": "4.5"}}  # C-OLD: the course's usual credits
    assert ok(api.call(M + "user_ects_points", user=uni.lecturer)) == {}
    r = api.call(M + "user_ects_points", user=uni.student, scopes=("grades",))
    assert r.status_code == 403 and r.get_json()["reason"] == "scope_missing"


def test_courses_and_course(api, uni):
    body = ok(api.call(M + "courses", course_ids="C-1|NOPE",
                       fields="id|name|is_currently_conducted|terms[id]|ects_credits_simplified|attributes"))
    assert body == {"C-1": {"id": "C-1", "name": {"pl": "Przedmiot C-1", "en": "Course C-1"},
                            "is_currently_conducted": True, "terms": [{"id": uni.term.id}],
                            "ects_credits_simplified": 5.0, "attributes": []}, "NOPE": None}
    UsosCourse.model_validate(body["C-1"])
    mcp = ok(api.call(M + "course", user=uni.student, course_id="C-OLD", http="GET",
                      fields="id|name|ects_credits_simplified|assessment_criteria"))
    assert mcp["assessment_criteria"] is None and mcp["ects_credits_simplified"] == 5.0
    assert ok(api.call(M + "courses", course_ids="C-OLD", fields="is_currently_conducted")) == {
        "C-OLD": {"is_currently_conducted": False}}


def test_classtypes_index(client):
    body = client.get("/services/courses/classtypes_index").get_json()
    assert body["WYK"] == {"id": "WYK", "name": {"pl": "Wykład", "en": "Lecture"}}
    assert set(body) == {"WYK", "CW", "LAB", "SEM"}


def test_course_edition_for_usos_mcp(api, uni):
    body = ok(api.call(M + "course_edition", user=uni.student, http="GET", course_id="C-1", term_id=uni.term.id,
                       fields="course_name|description|bibliography|course_units_ids|lecturers|notes"))
    assert body["course_units_ids"] == [str(uni.lecture_unit.id), str(uni.classes_unit.id)]
    assert body["description"] is None and len(body["lecturers"]) == 2
    unit = ok(api.call(M + "unit", user=uni.student, unit_id=uni.classes_unit.id,
                       fields="id|classtype_id|topics|learning_outcomes|assessment_criteria|course_id|term_id"))
    assert unit == {"id": str(uni.classes_unit.id), "classtype_id": "CW", "topics": None, "learning_outcomes": None,
                    "assessment_criteria": None, "course_id": "C-1", "term_id": uni.term.id}
    UsosUnit.model_validate(unit)


def test_participants_of_an_edition(api, uni):
    def participants(**how):
        return ok(api.call(M + "course_edition", course_id="C-1", term_id=uni.term.id, fields="participants[id]",
                           **how))["participants"]
    assert len(participants(user=uni.student)) == len(uni.students)
    assert len(participants(user=uni.other_lecturer)) == len(uni.students)
    assert participants(user=uni.outsider) == [] and participants() == []


def test_course_edition2(api, uni):
    body = ok(api.call(M + "course_edition2", course_id="C-1", term_id=uni.term.id))
    assert body == {"course": {"id": "C-1", "name": {"pl": "Przedmiot C-1", "en": "Course C-1"}},
                    "term": {"id": uni.term.id, "name": {"pl": f"Semestr {uni.term.id}", "en": f"Term {uni.term.id}"}}}
    body = ok(api.call(M + "course_edition2", user=uni.student, course_id="C-1", term_id=uni.term.id,
                       fields="course_units[id|classtype_id]|coordinators[id]|passing_status|homepage_url"))
    assert body["course_units"] == [{"id": str(uni.lecture_unit.id), "classtype_id": "WYK"},
                                    {"id": str(uni.classes_unit.id), "classtype_id": "CW"}]
    assert body["passing_status"] == "not_yet_passed"
    r = api.call(M + "course_edition2", course_id="C-1", term_id="NOPE")
    assert r.status_code == 400 and r.get_json()["error"] == "object_not_found"
    assert r.get_json()["method_name"] == M + "course_edition2"


def test_examrep_course_edition_resolves_to_course_edition2(api, uni):
    body = ok(api.call("services/examrep2/examrep", user=uni.lecturer, examrep_id=uni.general.id,
                       fields="course_edition[course[id]|term[id]]"))
    assert body == {"course_edition": {"course": {"id": "C-1"}, "term": {"id": uni.term.id}}}


def test_courses_user_has_no_n_plus_1(api, uni, make, app):
    from sqlalchemy import event
    uni.g.grade(uni.general, uni.student, "4")

    def count():
        statements = []
        with app.app_context():
            listener = lambda *args: statements.append(args[2])  # noqa: E731
            event.listen(db.engine, "before_cursor_execute", listener)
            try:
                r = api.call(M + "user", user=uni.student, fields=USOS_API)
            finally:
                event.remove(db.engine, "before_cursor_execute", listener)
        assert r.status_code == 200, r.get_json()
        # SELECTs only: OAuth now and then also purges old nonces (a DELETE)
        return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])

    count()  # the first call also issues the token
    few = count()
    for i in range(4):
        edition = make.edition(make.course(f"C-X{i}", faculty=uni.faculty), uni.term, coordinators=[uni.lecturer])
        make.group(make.unit(edition, "WYK"), 1, lecturers=[uni.lecturer], participants=[uni.student])
    assert count() == few


def test_examrep_user2(api, uni):
    body = ok(api.call("services/examrep/user2", user=uni.student))
    assert list(body) == [uni.term.id] and list(body[uni.term.id]) == ["C-1"]
    assert [r["id"] for r in body[uni.term.id]["C-1"]] == [str(uni.general.id), str(uni.unitrep.id)]
    assert set(body[uni.term.id]["C-1"][0]) == {"id", "description", "sessions"}
    parse_user_exam_reports(body)
    asked = ok(api.call("services/examrep/user2", user=uni.student, term_ids=f"{uni.term.id}|2020Z|NOPE",
                        fields="id"))
    assert asked == {uni.term.id: {"C-1": [{"id": str(uni.general.id)}, {"id": str(uni.unitrep.id)}]},
                     "2020Z": {}, "NOPE": {}}
    assert ok(api.call("services/examrep/user2", user=uni.lecturer)) == {}
    r = api.call("services/examrep/user2", user=uni.student, scopes=("studies",))
    assert r.status_code == 403 and r.get_json()["reason"] == "scope_missing"


def test_examrep_course_edition(api, uni):
    from usos_api.models import parse_legacy_course_edition_exam_report
    body = ok(api.call("services/examrep/course_edition", course_id="C-1", term_id=uni.term.id,
                       fields="course_exam[id]|course_units_exams[id]"))
    assert body == {"course_exam": {"id": str(uni.general.id)},
                    "course_units_exams": {str(uni.classes_unit.id): {"id": str(uni.unitrep.id)}}}
    parse_legacy_course_edition_exam_report(ok(api.call("services/examrep/course_edition", user=uni.coordinator,
                                                        course_id="C-1", term_id=uni.term.id)))
    other = ok(api.call("services/examrep/course_edition", course_id="C-OLD", term_id="2020Z"))
    assert other == {"course_exam": None, "course_units_exams": {}}
    r = api.call("services/examrep/course_edition", course_id="C-1", term_id="NOPE")
    assert r.status_code == 400 and r.get_json()["method_name"] == "services/examrep/course_edition"
