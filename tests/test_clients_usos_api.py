"""usos-api 0.4.1, unmodified, against a live Indeks on the demo university: its own login flow,
and every service method that touches a module Indeks serves, with default and typical
arguments, as a student and as a lecturer; its pydantic models validate every answer.

Where the library itself is broken (see README, "API clients"), the call underneath is made
with a plain signed request and the answer checked against the library's own model."""
import asyncio

import pytest
from pydantic import ValidationError
from usos_api.exceptions import USOSAPIException
from usos_api.models import Consumer, Group, Term, User
from usos_api.models.exam_report import ExamReport2

from .usos_live import demo, demo_app, usos_live  # noqa: F401  (fixtures)

pytestmark = pytest.mark.live
BOTH = ("student1", "lecturer1")


@pytest.fixture(autouse=True)
def server_stays_healthy(usos_live):  # noqa: F811
    """Whatever a client sends, the server logs no traceback (a 500 would)."""
    yield
    assert "Traceback" not in usos_live.errors()


def refused(live, login, action, status):
    """usos-api raises USOSAPIException("HTTP <status>: ...") for a refusal; the body is our envelope."""
    with pytest.raises(USOSAPIException, match=f"HTTP {status}"):
        live.run(login, action)


# --- users, terms, apisrv, apiref ---------------------------------------------------------------

def test_login_flow_gave_working_tokens(usos_live):  # noqa: F811
    for login, who in (("student1", usos_live.demo.student1), ("lecturer1", usos_live.demo.lecturer1)):
        user = usos_live.run(login, lambda c: c.user_service.get_user(fields=["id", "first_name", "last_name"]))
        assert isinstance(user, User) and user.id == who and user.first_name and user.last_name


@pytest.mark.parametrize("login", BOTH)
def test_get_user_typical_fields(usos_live, login):  # noqa: F811
    d = usos_live.demo
    me = usos_live.run(login, lambda c: c.user_service.get_user(fields=["id", "first_name", "last_name", "email",
                                                                        "student_number", "titles"]))
    assert me.email == f"{login}@indeks.example.edu.pl"  # both tokens have the email scope
    assert (me.student_number is not None) == (login == "student1")
    other = d.lecturer1 if login == "student1" else d.student1
    them = usos_live.run(login, lambda c: c.user_service.get_user(user_id=other, fields=["id", "last_name"]))
    assert them.id == other and them.last_name


def test_terms(usos_live):  # noqa: F811
    d = usos_live.demo
    for login in BOTH:
        term = usos_live.run(login, lambda c: c.term_service.get_term(d.term))
        assert isinstance(term, Term) and term.id == d.term and term.is_active and term.is_ongoing
        assert term.start_date <= term.finish_date and term.name.pl and term.name.en
    refused(usos_live, "student1", lambda c: c.term_service.get_term("1999Z"), 400)


@pytest.mark.parametrize("login", BOTH)
def test_consumer_info(usos_live, login):  # noqa: F811
    info = usos_live.run(login, lambda c: c.api_server_service.get_consumer_info())
    assert isinstance(info, Consumer) and info.name == "usos clients (tests)"
    assert info.date_registered is not None and info.administrative_methods == []
    assert {"studies", "grades"} <= set(info.token_scopes)


def test_api_documentation(usos_live):  # noqa: F811
    docs = usos_live.run("student1", lambda c: asyncio.gather(
        c.api_documentation_service.get_method_index(),
        c.api_documentation_service.get_method_info("services/exams/exam"),
        c.api_documentation_service.get_method_info("grades/terms"),
        c.api_documentation_service.get_module_info("examrep2"),
        c.api_documentation_service.get_scopes()))
    index, exam, terms, module, scopes = docs
    assert {"services/users/user", "services/exams/exam"} <= {m.name for m in index}
    assert exam.auth_options.consumer == "optional" and exam.deprecated is None
    assert exam.errors.startswith("<ul>") and "fields" in {a.name for a in exam.arguments}
    assert {f.name for f in exam.result_fields} >= {"id", "groups", "admission_conditions"}
    assert terms.deprecated.deprecated_by == "services/grades/terms2"
    assert "services/examrep2/examrep" in module.methods
    assert {"studies", "grades", "grades_write"} <= {s.key for s in scopes}


def test_method_info_with_fields_library_sends_a_python_list(usos_live):  # noqa: F811
    """Library bug: get_method_info(fields=[...]) posts str(list) ("['name', ...]"), which no
    server can read: Indeks answers 400 param_invalid. The call underneath, with the fields joined:"""
    with pytest.raises(USOSAPIException, match="param_invalid"):
        usos_live.run("student1", lambda c: c.api_documentation_service.get_method_info(
            "grades/terms", fields=["name", "deprecated", "errors"]))
    from usos_api.models.api_documentation import APIMethodInfo
    for name, deprecated_by, errors in (("services/grades/terms", "services/grades/terms2", None),
                                        ("services/exams/exam", None, "<ul><li><b>object_not_found</b>")):
        r = usos_live.signed("student1").post(usos_live.base_url + "services/apiref/method", data={
            "name": name, "fields": "name|deprecated|errors"})
        info = APIMethodInfo(**r.json())
        assert set(r.json()) == {"name", "deprecated", "errors"}
        assert (info.deprecated.deprecated_by if info.deprecated else None) == deprecated_by
        assert info.errors is None if errors is None else info.errors.startswith(errors)


# --- grades -------------------------------------------------------------------------------------

def test_grades_by_terms_as_the_student(usos_live):  # noqa: F811
    d = usos_live.demo
    grades = usos_live.run("student1", lambda c: c.grade_service.get_grades_by_terms([d.term, d.previous_term]))
    assert set(grades) == {d.term, d.previous_term}
    alg = grades[d.term]["INF-ALG"]
    first, resit = sorted(alg["course_grades"], key=lambda g: g.exam_session_number)
    assert (first.value_symbol, first.passes, first.value) == ("2", False, 2.0)  # the demo's failed first sitting
    assert resit.passes and resit.exam_id == d.report_alg and resit.counts_into_average
    one = usos_live.run("student1", lambda c: c.grade_service.get_grades_by_terms(
        d.term, fields=["value_symbol", "date_modified", "grade_type_id", "comment"]))
    assert all(g.grade_type_id == "PL" and g.date_modified for g in one[d.term]["INF-ALG"]["course_grades"])


def test_grades_by_terms_as_the_lecturer(usos_live):  # noqa: F811
    """lecturer1 is no student: every term is there, with nothing in it."""
    d = usos_live.demo
    assert usos_live.run("lecturer1", lambda c: c.grade_service.get_grades_by_terms(d.term)) == {d.term: {}}


# --- exam reports (services/examrep2 and the older services/examrep) ---------------------------

def test_exam_report_and_its_session_as_both(usos_live):  # noqa: F811
    d = usos_live.demo
    for login in BOTH:
        report = usos_live.run(login, lambda c: c.exam_report_service.get_exam_report(d.report_alg))
        assert str(report.id) == str(d.report_alg) and report.is_general_report
        assert [s.number for s in report.sessions] == [1, 2]
        session = usos_live.run(login, lambda c: c.exam_report_service.get_exam_report_session(d.report_alg, 2))
        assert session.number == 2 and session.is_open and session.deadline is not None
    full = usos_live.run("lecturer1", lambda c: c.exam_report_service.get_exam_report(
        d.report_alg, fields="id|description|counts_into_average|grade_type[id|name|values]|course_edition|"
                             "sessions[number|status|is_open|all_grades[grade_value|user|grader|last_updated]]"))
    assert full.grade_type.id == "PL" and [v.symbol for v in full.grade_type.values][:2] == ["2", "3"]
    assert full.course_edition.model_extra["course"]["id"] == "INF-ALG"
    assert full.course_edition.model_extra["term"]["id"] == d.term
    graded = full.sessions[0].all_grades
    assert str(d.student1) in graded and graded[str(d.student1)].grade_value.symbol == "2"
    mine = usos_live.run("student1", lambda c: c.exam_report_service.get_exam_report_session(
        d.report_alg, 1, fields="number|issuer_grade|all_grades"))
    assert mine.issuer_grade.grade_value.symbol == "2"
    assert list(mine.all_grades) == [str(d.student1)]  # a student reads their own grade only


def test_edit_access_is_a_flag_which_the_library_models_as_a_list(usos_live):  # noqa: F811
    """Library bug: ExamReport2.edit_access is list[ExternalObject]; the field is "Flag describing
    access rights" (services/examrep2/examrep). The call underneath, signed plainly:"""
    d = usos_live.demo
    with pytest.raises(ValidationError, match="edit_access"):
        usos_live.run("lecturer1", lambda c: c.exam_report_service.get_exam_report(d.report_alg,
                                                                                   fields="id|edit_access"))
    for login, flag in (("lecturer1", True), ("student1", False)):
        r = usos_live.signed(login).post(usos_live.base_url + "services/examrep2/examrep",
                                         data={"examrep_id": d.report_alg, "fields": "id|edit_access|sessions"})
        assert r.status_code == 200 and r.json()["edit_access"] is flag
        report = ExamReport2.model_validate({k: v for k, v in r.json().items() if k != "edit_access"})
        assert len(report.sessions) == 2


def test_grader_examinee_and_access(usos_live):  # noqa: F811
    d = usos_live.demo
    reports = usos_live.run("lecturer1", lambda c: c.exam_report_service.get_grader_exam_reports())
    assert str(d.report_alg) in {str(r.id) for r in reports}
    writable = usos_live.run("lecturer1", lambda c: c.exam_report_service.get_grader_exam_reports(
        only_writable=True, active_terms_only=False, fields="id|description|course_edition"))
    assert str(d.report_alg) in {str(r.id) for r in writable}
    assert usos_live.run("student1", lambda c: c.exam_report_service.get_grader_exam_reports()) == []
    examinee = usos_live.run("lecturer1", lambda c: c.exam_report_service.get_examinee_exam_reports(d.student1))
    assert str(d.report_alg) in {str(r.id) for r in examinee}
    access = usos_live.run("lecturer1", lambda c: c.exam_report_service.get_exam_report_session_access(
        d.report_alg, 1, "write"))
    assert access and all(a.cause for a in access)
    assert usos_live.run("student1", lambda c: c.exam_report_service.get_examinee_exam_reports(d.student2)) == []


def test_class_group_and_student_grades(usos_live):  # noqa: F811
    d = usos_live.demo
    group = usos_live.run("lecturer1", lambda c: c.exam_report_service.get_class_group(
        d.report_alg, d.unit_alg_cw, d.group_alg_cw, fields=["class_group", "grades"]))
    assert group.class_group.model_extra["number"] == d.group_alg_cw
    assert str(d.student1) in group.grades
    grade = usos_live.run("lecturer1", lambda c: c.exam_report_service.get_student_grade(
        d.report_alg, 1, d.student1, fields="grade_value|comment|private_comment|user|grader|last_updated|"
                                            "is_editable|why_cannot_edit|date_acquisition|examrep_session"))
    assert grade.grade_value.symbol == "2" and grade.is_editable and grade.user.id == str(d.student1)
    assert grade.last_updated is not None and str(grade.examrep_session.model_extra["examrep_id"]) == str(d.report_alg)
    grades = usos_live.run("lecturer1", lambda c: c.exam_report_service.get_student_grades(d.report_alg, d.student1))
    assert [g.grade_value.symbol if g.grade_value else None for g in grades][0] == "2"
    own = usos_live.run("student1", lambda c: c.exam_report_service.get_student_grades(d.report_alg, d.student1))
    assert len(own) == 2 and own[0].private_comment is None
    user_grade = usos_live.run("student1", lambda c: c.exam_report_service.get_user_grade(d.report_alg, 1))
    assert user_grade.grade_value.symbol == "2"
    refused(usos_live, "student1", lambda c: c.exam_report_service.get_student_grade(d.report_alg, 1, d.student2), 403)
    own_group = usos_live.run("student1", lambda c: c.exam_report_service.get_class_group(
        d.report_alg, d.unit_alg_cw, d.group_alg_cw, fields="grades[grade_value|user]"))
    assert set(own_group.grades) == {str(d.student1)}  # in their group a student reads their own grade only


def test_types_and_values(usos_live):  # noqa: F811
    for login in BOTH:
        kind = usos_live.run(login, lambda c: c.exam_report_service.get_exam_report_type(
            "E", fields="id|name|grade_type[id|values]"))
        assert kind.id == "E" and kind.grade_type.id == "PL"
        grade_type = usos_live.run(login, lambda c: c.exam_report_service.get_grade_type("ZAL", fields="id|name|values"))
        assert {v.symbol for v in grade_type.values} == {"ZAL", "NZAL"}
        value = usos_live.run(login, lambda c: c.exam_report_service.get_grade_value(
            "PL", usos_live.demo.grade_order_key, fields="grade_type|order_key|symbol|passes|decimal_value|name"))
        assert value.symbol == "2" and value.passes is False and value.decimal_value == 2.0


def test_update_student_grade(usos_live):  # noqa: F811
    """The lecturer grades student2's resit through the library; the student may not."""
    d = usos_live.demo
    before = usos_live.run("lecturer1", lambda c: c.exam_report_service.get_student_grade(
        d.report_alg, 2, d.student2, fields="grade_value|last_updated"))
    stamp = before.last_updated.strftime("%Y-%m-%d %H:%M:%S") if before.last_updated else ""
    assert usos_live.run("lecturer1", lambda c: c.exam_report_service.update_student_grade(
        d.student2, d.report_alg, 2, value_symbol="4", comment="usos-api", date_modified=stamp,
        date_acquisition="2026-01-15")) == {}
    after = usos_live.run("lecturer1", lambda c: c.exam_report_service.get_student_grade(
        d.report_alg, 2, d.student2, fields="grade_value|comment|grader|date_acquisition"))
    assert after.grade_value.symbol == "4" and after.comment == "usos-api"
    assert after.grader.id == str(d.lecturer1) and after.date_acquisition.date().isoformat() == "2026-01-15"
    # a stale date_modified is refused and changes nothing
    with pytest.raises(USOSAPIException, match="updated_concurrently"):
        usos_live.run("lecturer1", lambda c: c.exam_report_service.update_student_grade(
            d.student2, d.report_alg, 2, value_symbol="5", date_modified=stamp or "2000-01-01 00:00:00"))
    refused(usos_live, "student1", lambda c: c.exam_report_service.update_student_grade(
        d.student1, d.report_alg, 2, value_symbol="5"), 403)


def test_legacy_exam_report_and_session(usos_live):  # noqa: F811
    d = usos_live.demo
    for login in BOTH:
        report = usos_live.run(login, lambda c: c.exam_report_service.get_legacy_exam_report(d.report_alg))
        assert str(report.id) == str(d.report_alg) and report.description.en
        session = usos_live.run(login, lambda c: c.exam_report_service.get_legacy_exam_session(d.report_alg, 1))
        assert session.number == 1 and str(session.examrep_id) == str(d.report_alg)


# --- groups -------------------------------------------------------------------------------------

def test_group_by_id_library_is_broken_the_call_underneath_works(usos_live, capsys):  # noqa: F811
    """Library bug: GroupService.get_group_by_id iterates the values of the one group's dict as if
    they were groups (on any server). The same call, signed plainly, fits the library's Group model."""
    d = usos_live.demo
    with pytest.raises(AttributeError):
        usos_live.run("student1", lambda c: c.group_service.get_group_by_id(d.group_alg_cw, d.unit_alg_cw))
    capsys.readouterr()  # the library prints the answer it then fails on
    for login in BOTH:
        r = usos_live.signed(login).post(usos_live.base_url + "services/groups/group", data={
            "course_unit_id": d.unit_alg_cw, "group_number": d.group_alg_cw,
            "fields": "course_unit_id|group_number|course_name|participants|lecturers|class_type|term_id"})
        assert r.status_code == 200, r.text
        group = Group(**r.json())
        assert group.group_number == d.group_alg_cw and group.term_id == d.term and group.course_name.en
        assert d.student1 in {p.id for p in group.participants} and group.lecturers


# --- people, groups, courses, terms, legacy exam reports (the modules around ours) ---------------

@pytest.mark.parametrize("login", BOTH)
def test_get_user_with_the_library_defaults(usos_live, login):  # noqa: F811
    d = usos_live.demo
    me = usos_live.run(login, lambda c: c.user_service.get_user())
    assert me.id == (d.student1 if login == "student1" else d.lecturer1) and me.sex is not None
    assert me.photo_urls["original"].startswith(usos_live.base_url) and me.has_photo is False
    if login == "student1":
        assert me.student_status.name == "ACTIVE_STUDENT" and me.staff_status.name == "NOT_STAFF"
        assert [p.programme.id for p in me.student_programmes] == [d.programme]
        assert me.student_programmes[0].programme.description["en"]
    else:
        assert me.staff_status.name == "ACADEMIC_TEACHER" and me.student_programmes == []
    photo = usos_live.signed(login).get(me.photo_urls["original"])
    assert photo.status_code == 200 and photo.headers["Content-Type"].startswith("image/")
    other = d.lecturer1 if login == "student1" else d.student1
    them = usos_live.run(login, lambda c: c.user_service.get_user(other))
    assert them.id == other and them.first_name


@pytest.mark.parametrize("login", BOTH)
def test_get_user_staff_fields(usos_live, login):  # noqa: F811
    d = usos_live.demo
    lecturer = usos_live.run(login, lambda c: c.user_service.get_user(d.lecturer1, fields=[
        "id", "titles", "has_email", "staff_status", "employment_positions", "homepage_url", "profile_url",
        "phone_numbers", "office_hours", "library_card_id"]))
    assert lecturer.employment_positions[0].position.id == d.position and lecturer.office_hours.en
    assert lecturer.has_email is True and lecturer.profile_url.startswith(usos_live.base_url)


def test_groups_of_a_person(usos_live):  # noqa: F811
    d = usos_live.demo
    for login, call in (("student1", lambda c: c.group_service.get_groups_for_user()),
                        ("student1", lambda c: c.group_service.get_groups_for_participant(ongoing_terms_only=True)),
                        ("lecturer1", lambda c: c.group_service.get_groups_for_lecturer()),
                        ("lecturer1", lambda c: c.group_service.get_groups_for_user(active_terms_only=True)),
                        ("student1", lambda c: c.group_service.get_groups_for_lecturer(user_id=d.lecturer1))):
        groups = usos_live.run(login, call)
        assert (str(d.unit_alg_cw), d.group_alg_cw, d.term) in {(g.course_unit_id, g.group_number, g.term_id)
                                                               for g in groups}, login
        assert all(g.course_name.en for g in groups)
    fields = ["course_unit_id", "group_number", "class_type", "class_type_id", "course_id", "lecturers",
              "participants"]
    mine = usos_live.run("student1", lambda c: c.group_service.get_groups_for_participant(fields=fields))
    alg = next(g for g in mine if g.course_unit_id == str(d.unit_alg_cw))
    assert alg.class_type_id == "CW" and alg.class_type.en == "Classes" and d.student1 in {p.id for p in alg.participants}


def test_groups_by_ids_library_sends_a_python_list(usos_live):  # noqa: F811
    """Library bug: get_groups_by_ids posts str(list of tuples); services/groups/groups takes
    "unit,number|unit,number". The call underneath:"""
    d = usos_live.demo
    with pytest.raises(USOSAPIException, match="param_invalid"):
        usos_live.run("student1", lambda c: c.group_service.get_groups_by_ids([(str(d.unit_alg_cw), str(d.group_alg_cw))]))
    r = usos_live.signed("student1").post(usos_live.base_url + "services/groups/groups", data={
        "group_ids": f"{d.unit_alg_cw},{d.group_alg_cw}", "fields": "course_unit_id|group_number|course_name"})
    assert r.status_code == 200
    groups = [Group(**g) for g in r.json().values()]
    assert [(g.course_unit_id, g.group_number) for g in groups] == [(str(d.unit_alg_cw), d.group_alg_cw)]


def test_courses(usos_live):  # noqa: F811
    d = usos_live.demo
    ects = usos_live.run("student1", lambda c: c.course_service.get_user_courses_ects())
    assert ects[d.term]["INF-ALG"] == 6.0 and set(ects) == {d.term, d.previous_term}
    assert usos_live.run("lecturer1", lambda c: c.course_service.get_user_courses_ects()) == {}
    courses = usos_live.run("student1", lambda c: c.course_service.get_courses(["INF-ALG", "MAT-AM1"]))
    assert {c.id for c in courses} == {"INF-ALG", "MAT-AM1"} and all(c.name.en for c in courses)
    detailed = usos_live.run("lecturer1", lambda c: c.course_service.get_courses(
        ["INF-ALG"], fields=["id", "name", "fac_id", "lang_id", "ects_credits_simplified", "is_currently_conducted",
                             "description", "assessment_criteria"]))
    assert detailed[0].fac_id == "WMI" and detailed[0].is_currently_conducted is True
    editions = usos_live.run("student1", lambda c: c.course_service.get_user_course_editions())
    alg = next(e for e in editions if (e.course_id, e.term_id) == ("INF-ALG", d.term))
    assert alg.coordinators and {g.course_unit_id for g in alg.user_groups} >= {str(d.unit_alg_cw)}
    ongoing = usos_live.run("student1", lambda c: c.course_service.get_user_course_editions(ongoing_terms_only=True))
    assert {e.term_id for e in ongoing} == {d.term}
    types = usos_live.run("lecturer1", lambda c: c.course_service.get_class_types_index())
    assert types["CW"]["name"]["en"] == "Classes" and set(types) >= {"WYK", "CW", "LAB"}


def test_terms_by_ids(usos_live):  # noqa: F811
    d = usos_live.demo
    terms = usos_live.run("student1", lambda c: c.term_service.get_terms([d.term, d.previous_term]))
    assert {t.id for t in terms} == {d.term, d.previous_term} and all(isinstance(t, Term) for t in terms)


def test_user_exam_reports(usos_live):  # noqa: F811
    d = usos_live.demo
    raw = usos_live.run("student1", lambda c: c.exam_report_service.get_raw_user_exam_reports())
    assert str(d.report_alg) in {r["id"] for r in raw[d.term]["INF-ALG"]}
    parsed = usos_live.run("student1", lambda c: c.exam_report_service.get_user_exam_reports(
        term_ids=d.term, fields="id|description|sessions"))
    alg = next(r for r in parsed[d.term]["INF-ALG"] if str(r.id) == str(d.report_alg))
    assert [s.number for s in alg.sessions] == [1, 2]
    edition = usos_live.run("lecturer1", lambda c: c.exam_report_service.get_course_edition_exam_report(
        "INF-ALG", d.term))
    assert str(edition["course_exam"].id) == str(d.report_alg)
    every = usos_live.run("lecturer1", lambda c: c.exam_report_service.get_course_edition_exam_reports(
        "INF-ALG", d.term))
    assert [str(r.id) for r in every["course_exams"]] == [str(d.report_alg)]
    assert every["course_units_exams"] and all(reports for reports in every["course_units_exams"].values())
    by_unit = usos_live.run("student1", lambda c: c.exam_report_service.get_legacy_user_exam_reports(
        term_ids=d.term, fields="id|description|sessions"))
    assert [str(r.id) for r in by_unit[d.term]["INF-ALG"]["course"]] == [str(d.report_alg)]
    assert {str(r.id) for r in parsed[d.term]["INF-ALG"]} == {
        str(r.id) for reports in by_unit[d.term]["INF-ALG"].values() for r in reports}


def test_helpers_weigh_grades_by_ects(usos_live):  # noqa: F811
    d = usos_live.demo
    grades = usos_live.run("student1", lambda c: c.helper.get_user_end_grades_with_weights(current_term_only=True))
    alg = [g for g in grades if g.course_edition.course_id == "INF-ALG"]
    assert alg and all(g.weight == 6.0 for g in alg)
    ects, reports = usos_live.run("student1", lambda c: c.helper.get_user_exam_reports_with_ects(term_ids=d.term))
    assert ects == {d.term: usos_live.run("student1", lambda c: c.course_service.get_user_courses_ects())[d.term]}
    assert "INF-ALG" in reports[d.term]
