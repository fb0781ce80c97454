"""usos-mcp 0.4.0 (the MCP server that lets an assistant read a student's USOS), unmodified,
against a live Indeks on the demo university: each tool called through the MCP protocol, as an
MCP host calls it (fastmcp's client on the handshake-era protocol the hosts speak; the server
in process, or `python -m usos` over stdio), with the server's configuration pointed at Indeks.
"""
import asyncio
import json
import os
import sys
from contextlib import contextmanager

import pytest
import requests
from fastmcp import Client
from fastmcp.client.transports import StdioTransport

from portal.extensions import db

from .usos_live import approve_in_browser, demo, demo_app, run_async, usos_live  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.live,
              # fastmcp warns about its own logging capability whenever a tool logs (ctx.info)
              pytest.mark.filterwarnings("ignore:The logging capability is deprecated")]


@contextmanager
def environment(values):
    """usos-mcp reads its installation and credentials from USOS_API_* at every call."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update({k: v for k, v in values.items() if v is not None})
    for k, v in values.items():
        if v is None:
            os.environ.pop(k, None)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def session(env, *calls):
    """One MCP session with the in-process server: [(tool, arguments)] -> [CallToolResult]."""
    from usos.core import create_server

    async def run():
        async with Client(create_server(), mode="legacy") as client:
            return [await client.call_tool(name, args, raise_on_error=False) for name, args in calls]
    with environment(env):
        return run_async(run())


def tools(env):
    from usos.core import create_server

    async def run():
        async with Client(create_server(), mode="legacy") as client:
            return {t.name for t in await client.list_tools()}
    with environment(env):
        return run_async(run())


def ok(result):
    assert not result.is_error, result.content[0].text
    return result.structured_content


@pytest.fixture
def as_user(usos_live, tmp_path):  # noqa: F811
    """call(login, tool, **arguments) -> the tool's structured answer (or the error result)."""
    def call(login, tool, **arguments):
        return session(usos_live.mcp_env(login, tmp_path), (tool, arguments))[0]
    return call


@pytest.fixture(autouse=True)
def server_stays_healthy(usos_live):  # noqa: F811
    yield
    assert "Traceback" not in usos_live.errors()


def _ids(app, query):
    with app.app_context():
        return db.session.execute(query).all()


def test_login_check_login_logout(usos_live, demo_app, tmp_path):  # noqa: F811
    """The login tool's four steps in one MCP session: the address, the /developers page it sends
    people to, the request token and the authorize page (a PIN), the access token it saves."""
    from usos.core import create_server
    env = {"USOS_API_STORAGE_DIR": str(tmp_path), "USOS_API_BASE_URL": None, "USOS_API_CONSUMER_KEY": None,
           "USOS_API_CONSUMER_SECRET": None, "USOS_API_OAUTH_TOKEN": None, "USOS_API_OAUTH_TOKEN_SECRET": None}
    assert tools(env) == {"login"}  # not configured yet: only the login tool is offered
    key, secret = usos_live.consumer
    developers = usos_live.base_url.rstrip("/") + "/developers"

    async def log_in():
        async with Client(create_server(), mode="legacy") as client:
            first = ok(await client.call_tool("login", {}))
            second = ok(await client.call_tool("login", {"base_url": usos_live.base_url}))
            third = ok(await client.call_tool("login", {"consumer_key": key, "consumer_secret": secret}))
            pin = await asyncio.to_thread(approve_in_browser, third["authorize_url"], "student2")
            return first, second, third, ok(await client.call_tool("login", {"pin": pin}))
    with environment(env):
        first, second, third, done = run_async(log_in())
    assert first["status"] == "AWAITING_BASE_URL" and second["status"] == "AWAITING_APP_REGISTRATION"
    assert developers in second["message"]
    page = requests.get(developers, timeout=30)  # where the assistant sends the person for keys
    assert page.status_code == 200 and 'href="/api/apps"' in page.text
    assert third["status"] == "AWAITING_PIN" and done["status"] == "SUCCESS"
    stored = json.loads((tmp_path / "auth" / "credentials.json").read_text())["value"]
    assert stored["base_url"] == usos_live.base_url and stored["consumer_key"] == key

    # a new session finds the saved credentials: every tool but login, and check_login works
    assert "login" not in tools(env) and {"get_grades", "get_exams", "check_login"} <= tools(env)
    with demo_app.app_context():
        from portal.auth.models import User
        student2 = db.session.get(User, usos_live.demo.student2)
        name = f"{student2.first_name} {student2.last_name}"
    check, = session(env, ("check_login", {}))
    assert ok(check) == {"authenticated": True, "user": name}
    out, after = session(env, ("logout", {}), ("check_login", {}))
    assert ok(out)["success"] is True and not (tmp_path / "auth" / "credentials.json").exists()
    assert ok(after)["authenticated"] is False


def test_the_stdio_server_as_a_host_runs_it(usos_live, tmp_path):  # noqa: F811
    """`python -m usos` over stdio, as Claude Desktop or Cursor start it."""
    transport = StdioTransport(command=sys.executable, args=["-m", "usos"],
                               env={**os.environ, **usos_live.mcp_env("student1", tmp_path)})

    async def run():
        async with Client(transport, mode="legacy") as client:
            names = {t.name for t in await client.list_tools()}
            return names, await client.call_tool("check_login", {}), await client.call_tool("get_exams", {})
    names, check, exams = run_async(run())
    assert "login" not in names and {"check_login", "get_exams", "get_grades", "get_gpa"} <= names
    assert check.structured_content["authenticated"] is True
    assert {e["course_id"] for e in exams.structured_content["result"]} == {"INF-ALG", "INF-BD", "MAT-AM1"}


def _student_exam_courses(app, student_id):
    from portal.exams import queries
    from portal.auth.models import User
    with app.app_context():
        exams = queries.student_exams(db.session.get(User, student_id))
        return {str(e.id): e.course_id for e in exams}


def test_check_login_as_both(as_user, usos_live, demo_app):  # noqa: F811
    from portal.auth.models import User
    for login, user_id in (("student1", usos_live.demo.student1), ("lecturer1", usos_live.demo.lecturer1)):
        with demo_app.app_context():
            user = db.session.get(User, user_id)
            name = f"{user.first_name} {user.last_name}"
        assert ok(as_user(login, "check_login")) == {"authenticated": True, "user": name}


def test_get_exams(as_user, usos_live, demo_app):  # noqa: F811
    expected = _student_exam_courses(demo_app, usos_live.demo.student1)
    upcoming = ok(as_user("student1", "get_exams"))["result"]
    assert {e["exam_id"]: e["course_id"] for e in upcoming} == expected  # every demo exam is still ahead
    alg = next(e for e in upcoming if e["exam_id"] == str(usos_live.demo.exam_alg))
    assert alg["course_name"] == "Algorithms and Data Structures" and alg["term_id"] == usos_live.demo.term
    assert [g["group_number"] for g in alg["groups"]] == [1, 2] and alg["groups"][0]["capacity"] == 30
    everything = ok(as_user("student1", "get_exams", include_past=True))["result"]
    assert {e["exam_id"] for e in everything} == set(expected)
    assert ok(as_user("lecturer1", "get_exams"))["result"] == []  # no student: no exams to sit


def test_get_grades_by_term_course_and_latest(as_user, usos_live):  # noqa: F811
    d = usos_live.demo
    term = ok(as_user("student1", "get_grades", mode="term"))
    assert term["term_id"] == d.term
    credits = [g for g in term["grades"] if g["course_id"] == "INF-ALG" and g["type"] == "unit"]
    assert credits and {(g["value_symbol"], g["grade_type_id"], g["course_unit_id"]) for g in credits} <= {
        ("ZAL", "ZAL", d.unit_alg_cw), ("NZAL", "ZAL", d.unit_alg_cw)}
    course = ok(as_user("student1", "get_grades", mode="course", course_id="INF-ALG"))
    assert course["term_id"] == d.term
    assert [g for g in course["grades"] if g["type"] == "unit"] == [dict(g, term_id=d.term) for g in credits]
    latest = ok(as_user("student1", "get_grades", mode="latest", days=30))
    assert ("INF-ALG", "Algorithms and Data Structures", "2", 1) in {
        (g["course_id"], g["course_name"], g["value_symbol"], g["exam_session_number"]) for g in latest["grades"]}
    assert ok(as_user("lecturer1", "get_grades", mode="term"))["grades"] == []
    assert ok(as_user("lecturer1", "get_grades", mode="latest"))["grades"] == []


def test_main_exam_grades_library_flattens_them_wrongly_the_call_underneath_works(as_user, usos_live):  # noqa: F811
    """Library bug: course_grades is a list of dictionaries {session number: grade} (the USOS
    reference: "structure as defined in exam method"; usos-api reads it so), but usos-mcp takes
    each dictionary for one grade: its main-exam grades come out empty. The call it makes:"""
    d = usos_live.demo
    term = ok(as_user("student1", "get_grades", mode="term"))
    main = [g for g in term["grades"] if g["course_id"] == "INF-ALG" and g["type"] == "course"]
    assert [(g["value_symbol"], g["exam_session_number"]) for g in main] == [(None, 1)]
    from usos.grades.utils import TERMS_GRADE_FIELDS
    r = usos_live.signed("student1").get(usos_live.base_url + "services/grades/terms2",
                                         params={"term_ids": d.term, "fields": TERMS_GRADE_FIELDS, "format": "json"})
    assert r.status_code == 200
    sittings = r.json()[d.term]["INF-ALG"]["course_grades"]
    assert len(sittings) == 1 and sittings[0]["1"]["value_symbol"] == "2" and sittings[0]["2"]["passes"] is True
    assert set(sittings[0]["1"]) == set(TERMS_GRADE_FIELDS.split("|"))


def test_get_group_participants(as_user, usos_live, demo_app):  # noqa: F811
    from portal.university.models import ClassGroup
    d = usos_live.demo
    with demo_app.app_context():
        group = db.session.scalar(db.select(ClassGroup).filter_by(unit_id=d.unit_alg_cw, number=d.group_alg_cw))
        members = {str(u.id) for u in group.participants}
    seen_by_student = ok(as_user("student1", "get_group_participants", course_unit_id=d.unit_alg_cw,
                                 group_number=d.group_alg_cw))
    assert {p["id"] for p in seen_by_student["participants"]} == members - {str(d.student1)}  # the others
    seen_by_lecturer = ok(as_user("lecturer1", "get_group_participants", course_unit_id=d.unit_alg_cw,
                                  group_number=d.group_alg_cw))
    assert {p["id"] for p in seen_by_lecturer["participants"]} == members
    missing = as_user("student1", "get_group_participants", course_unit_id=d.unit_alg_cw, group_number=99)
    assert missing.is_error and "not found" in missing.content[0].text


def test_get_course_lecturers(as_user, usos_live, demo_app):  # noqa: F811
    from portal.university.models import CourseEdition
    d = usos_live.demo
    with demo_app.app_context():
        edition = db.session.scalar(db.select(CourseEdition).filter_by(course_id="INF-ALG", term_id=d.term))
        lecturers = {str(u.id) for unit in edition.units for g in unit.groups for u in g.lecturers}
    for login in ("student1", "lecturer1"):
        by_code = ok(as_user(login, "get_course_lecturers", course_id="INF-ALG"))
        assert by_code["term_id"] == d.term and by_code["course_name"] == "Algorithms and Data Structures"
        assert {lect["id"] for lect in by_code["lecturers"]} == lecturers
        by_unit = ok(as_user(login, "get_course_lecturers", course_id=str(d.unit_alg_cw)))  # a unit id resolves
        assert by_unit["course_id"] == "INF-ALG" and by_unit["lecturers"] == by_code["lecturers"]


def test_get_days_off_and_exam_session_dates_for_a_named_faculty(as_user, usos_live, demo_app):  # noqa: F811
    """With faculty_id given; finding it by itself needs the student's programmes (services/progs)."""
    from datetime import date, timedelta

    from portal.exams.models import ExaminationSession
    from portal.meetings.calendar import entries_off as day_off_entries
    from portal.university.models import Faculty, Term
    d = usos_live.demo
    with demo_app.app_context():
        term = db.session.get(Term, d.term)
        wmi = db.session.get(Faculty, "WMI")
        expected = [(e.name["en"], e.start_date.isoformat()) for e in day_off_entries(wmi, term.start_date,
                                                                                     term.finish_date)]
        winter = db.session.get(ExaminationSession, d.session_winter)
        span = winter.span()
        start_date, end_date = term.start_date.isoformat(), term.finish_date.isoformat()
    off = ok(as_user("student1", "get_days_off", start_date=start_date, end_date=end_date, faculty_id="WMI"))
    assert off["faculty_id"] == "WMI" and expected
    # usos-mcp asks 30 days at a time and keeps an event once per window it touches
    assert sorted(set((e["name"], e["start_date"]) for e in off["days_off"])) == sorted(expected)
    assert all(e["is_day_off"] for e in off["days_off"])
    sessions = ok(as_user("lecturer1", "get_exam_session_dates", faculty_id="WMI"))
    assert sessions["term_id"] == d.term
    assert sessions["exam_sessions"] == [{
        "id": f"exam_session:{d.session_winter}", "name": "Winter examination session",
        "start_date": span[0].date().isoformat(), "end_date": span[1].date().isoformat(),
        "type": "exam_session", "is_day_off": False}]
    assert date.fromisoformat(sessions["exam_sessions"][0]["start_date"]) <= date.today() + timedelta(days=30)


# --- the tools on the modules around ours (people, groups, courses, terms, timetable, programmes) --

def test_get_schedule(as_user, usos_live, demo_app):  # noqa: F811
    from datetime import date, datetime, timedelta

    from portal.university.models import ClassGroup, TimetableMeeting
    d = usos_live.demo
    start = date.today()
    with demo_app.app_context():
        def meetings(where):
            rows = db.session.scalars(db.select(TimetableMeeting).join(ClassGroup).where(
                where, TimetableMeeting.start_time >= datetime.combine(start, datetime.min.time()),
                TimetableMeeting.start_time < datetime.combine(start + timedelta(days=7), datetime.min.time())))
            return sorted(m.start_time.strftime("%Y-%m-%d %H:%M:%S") for m in rows)
        from portal.auth.models import User
        student = db.session.get(User, d.student1)
        mine = meetings(ClassGroup.id.in_([g.id for g in student.groups])) if hasattr(student, "groups") else None
    week = ok(as_user("student1", "get_schedule"))
    assert week["days"] == 7 and week["count"] == len(week["activities"]) > 0
    assert all(a["course_name"]["en"] and a["start_time"] < a["end_time"] for a in week["activities"])
    if mine is not None:
        assert sorted(a["start_time"] for a in week["activities"]) == mine
    day = ok(as_user("student1", "get_schedule", start_date=start.isoformat(), days=1))
    assert all(a["start_time"].startswith(start.isoformat()) for a in day["activities"])
    theirs = ok(as_user("student1", "get_schedule", lecturer_id=str(d.lecturer1), days=7))
    assert theirs["lecturer_id"] == str(d.lecturer1) and theirs["count"] > 0
    assert all(str(d.lecturer1) in a["lecturer_ids"] for a in theirs["activities"])
    too_long = as_user("student1", "get_schedule", days=8)
    assert too_long.is_error and "between 1 and 7" in too_long.content[0].text


def test_get_faculties_days_off_and_exam_sessions_found_by_themselves(as_user, usos_live):  # noqa: F811
    d = usos_live.demo
    faculties = ok(as_user("student1", "get_faculties"))
    assert faculties["count"] == 1 and faculties["faculties"][0]["id"] == "WMI"
    off = ok(as_user("student1", "get_days_off", start_date=f"{d.term[:4]}-12-01", end_date=f"{d.term[:4]}-12-31"))
    assert off["faculty_id"] == "WMI" and off["days_off"]
    sessions = ok(as_user("student1", "get_exam_session_dates"))
    assert sessions["faculty_id"] == "WMI" and sessions["term_id"] == d.term
    assert [s["id"] for s in sessions["exam_sessions"]] == [f"exam_session:{d.session_winter}"]
    lecturer = as_user("lecturer1", "get_faculties")
    assert ok(lecturer)["count"] == 0  # no programmes: a lecturer names the faculty (get_days_off faculty_id=)


def test_get_grades_of_all_terms_and_gpa(as_user, usos_live):  # noqa: F811
    d = usos_live.demo
    everything = ok(as_user("student1", "get_grades"))
    assert everything["mode"] == "all" and set(everything["term_ids"]) == {d.term, d.previous_term}
    assert {g["term_id"] for g in everything["grades"]} == {d.term, d.previous_term}
    gpa = ok(as_user("student1", "get_gpa"))
    assert gpa["term_ids"] == sorted([d.term, d.previous_term])
    one = ok(as_user("student1", "get_gpa", term_ids=[d.previous_term]))
    assert one["term_ids"] == [d.previous_term]
    nothing = ok(as_user("lecturer1", "get_gpa"))  # no grades of their own: nothing to average
    assert (nothing["average"], nothing["total_ects"], nothing["grades_counted"]) == (None, 0.0, 0)


def test_get_student_groups(as_user, usos_live):  # noqa: F811
    d = usos_live.demo
    groups = ok(as_user("student1", "get_student_groups"))["groups"]
    assert (d.unit_alg_cw, d.group_alg_cw, d.term, "CW", "INF-ALG") in {
        (g["course_unit_id"], g["group_number"], g["term_id"], g["class_type_id"], g["course_id"]) for g in groups}
    active = ok(as_user("student1", "get_student_groups", active_only=True))["groups"]
    assert active and {g["term_id"] for g in active} == {d.term}


def test_get_course_info(as_user, usos_live):  # noqa: F811
    d = usos_live.demo
    for login in ("student1", "lecturer1"):
        info = ok(as_user(login, "get_course_info", course_id="INF-ALG"))
        assert info["course_id"] == "INF-ALG" and info["term_id"] == d.term and info["ects_credits"] == 6.0
        assert info["name"] == "Algorithms and Data Structures" and info["assessment_criteria"]
        assert {u["classtype_id"] for u in info["course_units"]} == {"WYK", "CW"}
        assert all(u["class_type_name"] for u in info["course_units"])
    assert ok(as_user("student1", "get_course_info", course_id="INF-ALG"))["passing_status"] == "passed"  # the resit
    by_unit = ok(as_user("student1", "get_course_info", course_id=str(d.unit_alg_cw)))
    assert by_unit["course_id"] == "INF-ALG"


def test_search_lecturer_and_their_courses(as_user, usos_live, demo_app):  # noqa: F811
    from portal.auth.models import User
    d = usos_live.demo
    with demo_app.app_context():
        lecturer = db.session.get(User, d.lecturer1)
        last_name = lecturer.last_name
    found = ok(as_user("student1", "search_lecturer", query=last_name))
    assert str(d.lecturer1) in {r["id"] for r in found["results"]}
    courses = ok(as_user("student1", "get_lecturer_courses", lecturer_id=str(d.lecturer1)))
    assert "INF-ALG" in {c["course_id"] for c in courses["courses"]} and courses["courses_count"] == len(courses["courses"])
    own = ok(as_user("lecturer1", "get_lecturer_courses"))
    assert own["lecturer_id"] == "self" and {c["course_id"] for c in own["courses"]} == {
        c["course_id"] for c in courses["courses"]}
