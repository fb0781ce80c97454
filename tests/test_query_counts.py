"""Queries that do not grow: every list page and list API method issues the same number of SQL
statements for a list of 10 rows as for one of 100 (eager loading: one query per
relationship, never one per row).

Both sizes of tests/world.py live in one database: the small one is measured first, alone,
then the big one is added and measured, so lists that show everything (open consultations,
examination sessions) grow as well. Each request must answer 200 with a longer body for the
big world, or the list did not grow and the comparison would prove nothing.
"""
import re
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event

from portal import clock
from portal.extensions import db

from . import world

CSRF_RE = re.compile(r'name="csrf-token" content="([^"]+)"')


@contextmanager
def counting(app):
    """Count the statements sent to the database inside the block: yields a list to read after."""
    seen = []
    with app.app_context():
        engine = db.engine

    def count(conn, cursor, statement, parameters, context, executemany):
        # Transaction starts and the OAuth nonce bookkeeping (purged now and then, at random)
        # are no list's cost.
        if not statement.startswith("BEGIN") and "oauth_nonces" not in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def signed_in(app, login):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = CSRF_RE.search(page)
    r = client.post("/login", data={"login": login, "password": "demo", "csrf_token": token.group(1) if token else ""})
    assert r.status_code in (302, 303), f"{login} could not sign in"
    return client


def PAGES(w):
    """(who, path) of every list page, in world `w`."""
    today = clock.today()
    return {
        "my exams": ("student", "/exams/"),
        "exam page (groups and slots)": ("student", f"/exams/{w.main_exam}"),
        "slot list (htmx)": ("student", f"/exams/{w.main_exam}/slots"),
        "exams calendar": ("student", "/exams/calendar.ics"),
        "exams I examine": ("lecturer", "/exams/"),
        "attendee lists": ("coordinator", f"/exams/{w.main_exam}/attendees"),
        "attendee lists CSV": ("coordinator", f"/exams/{w.main_exam}/attendees.csv"),
        "exam administration": ("coordinator", f"/exams/manage/exams/{w.main_exam}"),
        "my grades": ("student", "/grades/my"),
        "latest grades": ("student", "/grades/my/latest"),
        "my exam reports": ("lecturer", "/grades/reports"),
        "grade grid": ("lecturer", f"/grades/reports/{w.main_report}/sessions/1"),
        "grade grid CSV": ("lecturer", f"/grades/reports/{w.main_report}/sessions/1/export.csv"),
        "grade protocol print": ("lecturer", f"/grades/reports/{w.main_report}/sessions/1/print"),
        "consultations": ("student", "/meetings/"),
        "a meeting's dates": ("student", f"/meetings/meeting/{w.main_meeting}"),
        "my bookings": ("student", "/meetings/my"),
        "my bookings calendar": ("student", "/meetings/my.ics"),
        "my consultations (lecturer)": ("lecturer", "/meetings/manage"),
        "a meeting's dates (lecturer)": ("lecturer", f"/meetings/manage/{w.main_meeting}"),
        "a date's participants": ("lecturer", f"/meetings/manage/dates/{w.main_dates[0]}/participants"),
        "week calendar": ("lecturer", f"/meetings/manage/calendar?start={today.isoformat()}"),
        "attendance: my groups (lecturer)": ("lecturer", "/attendance/"),
        "attendance: a group's lists": ("lecturer", f"/attendance/groups/{w.lecture}"),
        "attendance roster": ("lecturer", f"/attendance/lists/{w.first_list}"),
        "attendance summary": ("lecturer", f"/attendance/groups/{w.lecture}/summary"),
        "attendance summary CSV": ("lecturer", f"/attendance/groups/{w.lecture}/summary.csv"),
        "attendance: mine (student)": ("student", "/attendance/"),
        "home page": ("student", "/"),
    }


def API(w):
    """(who, method, params) of every list API method whose list holds this world's rows.

    Left out: reference data of fixed size (grade types), and lists that cannot grow with
    the rows here (a report's sessions, a report's at most three access reasons)."""
    ids = lambda values: "|".join(str(v) for v in values)  # noqa: E731
    today = clock.today()
    return {
        "services/exams/exams": ("student", {"ids": ids(w.exams)}),
        "services/exams/student_exams": ("student", {}),
        "services/exams/examination_sessions": ("student", {"ids": ids(w.sessions)}),
        "services/exams/active_examination_sessions": ("student*", {}),
        "services/exams/faculty_examination_sessions": ("student*", {"faculty_id": w.faculty, "status": "active"}),
        "services/exams/search_exams_registrations": ("student", {
            "start_date": today.isoformat(), "end_date": (today + timedelta(days=20)).isoformat(),
            "user_related": "true"}),
        "services/exams/user": ("student*", {}),
        "services/examrep2/grader": ("lecturer", {}),
        "services/examrep2/examinee": ("coordinator", {"user_id": w.student}),
        "services/grades/latest": ("student", {"days": "30"}),
        "services/grades/terms2": ("student", {"term_ids": w.term}),
        "services/grades/terms": ("student", {"term_ids": w.term}),
        "services/meetings/available_meetings": ("student", {}),
        "services/meetings/cart": ("student", {}),
        "services/meetings/course_meetings": ("student", {"course_id": w.main_course}),
        "services/meetings/courses_with_meetings": ("student", {}),
        "services/meetings/get_meeting_substantiations": ("student", {"fac_id": w.faculty}),
        "services/meetings/get_rejection_substantiations": ("lecturer", {"fac_id": w.faculty}),
        "services/meetings/lecturer": ("student", {"user_id": w.lecturer}),
        "services/meetings/lecturer_meeting_dates": ("lecturer", {"meeting_id": w.main_meeting}),
        "services/meetings/meeting_all_dates": ("student", {"meeting_id": w.main_meeting}),
        "services/meetings/search_meeting_dates": ("student", {"meeting_id": w.main_meeting}),
        "services/meetings/meeting_date_participants": ("lecturer", {"meeting_date_id": w.main_dates[0]}),
        "services/meetings/meeting_dates": ("student", {"meeting_date_ids": ids(w.main_dates)}),
        "services/meetings/meetings": ("student", {"meeting_ids": ids(w.meetings)}),
        "services/meetings/participants": ("lecturer", {"participant_ids": ids(w.participants)}),
        "services/meetings/open_meeting_dates": ("student", {"lecturer_id": w.lecturer}),
        "services/meetings/user_calendar": ("lecturer", {"lecturer_id": w.lecturer, "start": today.isoformat(),
                                                         "days": "7"}),
        "services/attendance/attendance": ("lecturer", {"list_id": w.first_list}),
        "services/attendance/attendance_lists": ("lecturer", {"list_ids": ids(w.lists)}),
        "services/attendance/group": ("lecturer", {"course_unit_id": w.lecture_unit, "group_number": "1"}),
        "services/attendance/user": ("lecturer", {}),
        "services/users/users": ("student", {"user_ids": ids([w.student, *w.others])}),
        "services/terms/terms_index": ("student", {}),
    }


def measure_pages(app, w):
    """{page: (statements, body length, status)} in world `w`, each page rendered (a page a
    worker kept costs the sign-in check alone: portal/pagecache.py, tests/test_pagecache.py)."""
    app.config["PORTAL_PAGE_KEEP_SECONDS"] = 0
    clients = {who: signed_in(app, login) for who, login in w.logins.items()}
    out = {}
    for name, (who, path) in PAGES(w).items():
        client, headers = clients[who], {"HX-Request": "true"} if "(htmx)" in name else {}
        client.get(path, headers=headers)  # once before: what a running server has cached is not what we count
        with counting(app) as seen:
            r = client.get(path, headers=headers)
        out[name] = (len(seen), len(r.data), r.status_code)
    return out


def measure_api(app, api, w):
    out = {}
    for name, (who, params) in API(w).items():
        admin = who.endswith("*")  # administrative consumer, acting as the person
        user = getattr(w, who.rstrip("*"))
        call = (lambda: api.call(name, admin=True, as_user_id=user, **params)) if admin else \
            (lambda: api.call(name, user=user, **params))
        call()
        with counting(app) as seen:
            r = call()
        out[name] = (len(seen), len(r.data), r.status_code)
    return out


def compare(small, big):
    """The lines that break the rule (a human-readable list; empty when all is well)."""
    problems = []
    for name in small:
        (q10, len10, s10), (q100, len100, s100) = small[name], big[name]
        if s10 != 200 or s100 != 200:
            problems.append(f"{name}: status {s10} / {s100}")
        elif len100 <= len10:
            problems.append(f"{name}: the list did not grow ({len10} / {len100} bytes)")
        elif q10 != q100:
            problems.append(f"{name}: {q10} statements with 10 rows, {q100} with 100")
    return problems


def test_list_pages_issue_as_many_statements_for_100_rows_as_for_10(app):
    small = measure_pages(app, world.build(app, 10, "w10"))
    big = measure_pages(app, world.build(app, 100, "w100"))
    problems = compare(small, big)
    assert not problems, "\n".join(problems)


def test_list_api_methods_issue_as_many_statements_for_100_rows_as_for_10(app, api):
    small = measure_api(app, api, world.build(app, 10, "w10"))
    big = measure_api(app, api, world.build(app, 100, "w100"))
    problems = compare(small, big)
    assert not problems, "\n".join(problems)


def test_the_counter_sees_a_statement_per_row(app):
    """The rule's instrument: lazy loading one row at a time shows up as growing counts."""
    w = world.build(app, 10, "w10")
    from portal.exams.models import Exam
    with counting(app) as seen, app.app_context():
        for exam in db.session.scalars(db.select(Exam).where(Exam.id.in_(w.exams))):
            exam.groups  # noqa: B018  (a lazy load per exam)
    assert len(seen) == 1 + len(w.exams)
