"""The grading pages: grid, per-row saves, conflicts, CSV, print, chart; the students' pages."""
import io

import pytest

from portal import clock
from portal.extensions import db
from portal.grades.models import Grade, GradeChange

from .factories_grades import GradesFactory

HX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def english(client):
    client.post("/lang/en")  # the default interface is Polish; these tests read English


@pytest.fixture
def uni(make, app):
    u = make.university()
    g = GradesFactory(app)
    u.general = g.report(u.edition, sessions=2)
    u.unitrep = g.report(u.edition, u.classes_unit)
    u.grade = g.grade(u.general, u.student, "3", by=u.coordinator, comment="well", private_comment="TOPSECRET")
    u.g = g
    return u


def url(report, number=1, tail=""):
    return f"/grades/reports/{report.id}/sessions/{number}{tail}"


def stamp(app, grade_id):
    with app.app_context():
        return clock.fmt_datetime(db.session.get(Grade, grade_id).date_modified)


def grade_row(app, report_id, student_id, number=1):
    with app.app_context():
        g = db.session.scalar(db.select(Grade).join(Grade.session).where(
            Grade.student_id == student_id, Grade.session.has(report_id=report_id, number=number)))
        if g is None:
            return None, 0
        n = db.session.scalar(db.select(db.func.count(GradeChange.id)).filter_by(grade_id=g.id))
        return (g.value.symbol if g.value else None), n


def test_reports_and_grid(client, auth, uni):
    auth.login("coord")
    page = client.get("/grades/reports").get_data(as_text=True)
    assert url(uni.general) in page and url(uni.unitrep) in page
    page = client.get(url(uni.general)).get_data(as_text=True)
    assert "Graded 1 of 4" in page and "<svg" in page and f'data-testid="grade-{uni.student.id}"' in page
    assert "TOPSECRET" in page  # graders see private comments
    assert client.get(url(uni.general, 9)).status_code == 404
    assert client.get("/grades/reports/999/sessions/1").status_code == 404


def test_grid_rows_post_to_their_routes(client, auth, uni):
    """Each writable row saves to save_row and opens row_history of its student (the grid builds
    these URLs from one prefix), its grade field named after the student."""
    auth.login("coord")
    page = client.get(url(uni.general)).get_data(as_text=True)
    for s in uni.students:
        save = url(uni.general, tail=f"/students/{s.id}")
        assert f'action="{save}" hx-post="{save}"' in page
        assert f'href="{save}/history" hx-get="{save}/history"' in page
        assert f'aria-label="Grade of {s.first_name} {s.last_name}"' in page

def test_access_to_grid(client, auth, uni):
    auth.login("stud1")
    assert client.get(url(uni.general)).status_code == 403
    home = client.get("/").get_data(as_text=True)
    assert 'href="/grades/reports"' not in home and 'href="/grades/my"' in home
    auth.logout()
    auth.login("otherlect")
    assert client.get(url(uni.general)).status_code == 403
    r = client.post(url(uni.general, tail=f"/students/{uni.student.id}"), data={"value": "5", "date_modified": ""})
    assert r.status_code == 403
    auth.logout()
    auth.login("lect")  # lecturer: reads the general report, writes only the unit report
    page = client.get(url(uni.general)).get_data(as_text=True)
    assert 'data-testid="read-only"' in page and 'name="value"' not in page
    page = client.get(url(uni.unitrep)).get_data(as_text=True)
    assert 'name="value"' in page and "Graded 0 of 4" in page


def test_htmx_save_and_conflict(client, auth, app, uni):
    auth.login("coord")
    row = url(uni.general, tail=f"/students/{uni.student.id}")
    seen = stamp(app, uni.grade.id)
    r = client.post(row, headers=HX, data={"value": "4.5", "comment": "better", "date_modified": seen})
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and body.lstrip().startswith("<tr") and 'data-state="saved"' in body
    assert grade_row(app, uni.general.id, uni.student.id) == ("4,5", 1)
    # a second writer with the old date_modified meets a conflict showing the current value and author
    r = client.post(row, headers=HX, data={"value": "2", "date_modified": seen})
    body = r.get_data(as_text=True)
    assert r.status_code == 409 and 'data-testid="conflict"' in body
    assert "now 4,5" in body and uni.coordinator.last_name in body
    assert grade_row(app, uni.general.id, uni.student.id) == ("4,5", 1)
    # invalid value: a message in the row, nothing saved
    r = client.post(row, headers=HX, data={"value": "7", "date_modified": stamp(app, uni.grade.id)})
    assert r.status_code == 422 and "Allowed" in r.get_data(as_text=True)
    # a save that does not say what it was based on is refused, not applied blindly
    assert client.post(row, headers=HX, data={"value": ""}).status_code == 400
    assert grade_row(app, uni.general.id, uni.student.id) == ("4,5", 1)
    # a first grade for a student without one; "zal"-style lowercase and a plain (no-JS) post
    r = client.post(url(uni.general, tail=f"/students/{uni.students[1].id}"), data={"value": "3.5", "date_modified": ""})
    assert r.status_code == 303 and f"#row-{uni.students[1].id}" in r.headers["Location"]
    assert grade_row(app, uni.general.id, uni.students[1].id) == ("3,5", 1)


def test_closed_and_expired_are_read_only(client, auth, app, uni):
    closed = uni.g.report(uni.edition, status="closed")
    expired = uni.g.report(uni.edition, deadline_days=-1)
    auth.login("coord")
    for report, words in ((closed, "closed"), (expired, "deadline")):
        page = client.get(url(report)).get_data(as_text=True)
        assert 'data-testid="read-only"' in page and words in page and 'name="value"' not in page
        r = client.post(url(report, tail=f"/students/{uni.student.id}"), headers=HX, data={"value": "5", "date_modified": ""})
        assert r.status_code == 422
        assert grade_row(app, report.id, uni.student.id) == (None, 0)


def test_history_in_place(client, auth, app, uni):
    auth.login("coord")
    client.post(url(uni.general, tail=f"/students/{uni.student.id}"), headers=HX,
                data={"value": "5", "date_modified": stamp(app, uni.grade.id)})
    r = client.get(url(uni.general, tail=f"/students/{uni.student.id}/history"), headers=HX)
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and body.lstrip().startswith(f'<tr id="hist-{uni.student.id}"')
    assert "<strong>5</strong>" in body


def test_csv_export_import(client, auth, app, uni):
    auth.login("coord")
    r = client.get(url(uni.general, tail="/export.csv"))
    assert r.status_code == 200 and r.mimetype == "text/csv"
    text = r.get_data(as_text=True).lstrip("\ufeff")
    lines = text.splitlines()
    assert lines[0].startswith("student_id,") and len(lines) == 1 + len(uni.students)
    # edit: student -> 5, students[1] -> 4; then someone changes the student's grade meanwhile
    edited = []
    for line in lines:
        parts = line.split(",")
        if parts[0] == str(uni.student.id):
            line = line.replace(",3,", ",5,", 1)
        if parts[0] == str(uni.students[1].id):
            parts[5] = "4"
            line = ",".join(parts)
        edited.append(line)
    content = "\n".join(edited) + "\n"
    client.post(url(uni.general, tail=f"/students/{uni.student.id}"),
                data={"value": "3,5", "date_modified": stamp(app, uni.grade.id)})
    r = client.post(url(uni.general, tail="/import"), data={"file": (io.BytesIO(content.encode()), "g.csv")},
                    content_type="multipart/form-data")
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and 'data-status="stale"' in page and "1 row will change" in page
    # the rows that change or are skipped come first; the unchanged ones are folded away below
    changed, folded = page.split('data-testid="unchanged"')
    assert 'data-status="change"' in changed and 'data-status="stale"' in changed
    assert 'data-status="unchanged"' not in changed and 'data-status="unchanged"' in folded
    r = client.post(url(uni.general, tail="/import/apply"), data={"content": content})
    assert r.status_code == 303
    assert grade_row(app, uni.general.id, uni.students[1].id) == ("4", 1)
    assert grade_row(app, uni.general.id, uni.student.id)[0] == "3,5"  # the stale row was not applied
    r = client.post(url(uni.general, tail="/import"), data={"file": (io.BytesIO(b"\xff\xfe garbage"), "g.csv")},
                    content_type="multipart/form-data")
    assert r.status_code == 422
    r = client.post(url(uni.general, tail="/import"), data={"file": (io.BytesIO(b"a,b\n1,2\n"), "g.csv")},
                    content_type="multipart/form-data")
    assert r.status_code == 422


def test_csv_import_says_which_cell_is_wrong(client, auth, uni):
    auth.login("coord")
    lines = client.get(url(uni.general, tail="/export.csv")).get_data(as_text=True).lstrip("\ufeff").splitlines()
    header = lines[0].split(",")
    rows = []
    for line in lines[1:3]:
        parts = line.split(",")
        parts[header.index("grade")] = "4"
        rows.append(parts)
    rows[0][header.index("date_acquisition")] = "2030-13-45"
    rows[1][header.index("grade")] = "7"
    content = "\n".join([lines[0]] + [",".join(p) for p in rows]) + "\n"
    page = client.post(url(uni.general, tail="/import"), data={"file": (io.BytesIO(content.encode()), "g.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert page.count("invalid date: skipped") == 1 and page.count("invalid value: skipped") == 1


def test_print_view(client, auth, uni):
    auth.login("coord")
    page = client.get(url(uni.general, tail="/print")).get_data(as_text=True)
    assert uni.student.last_name in page and "Graded 1 of 4" in page


def test_student_pages(client, auth, app, uni):
    uni.g.grade(uni.unitrep, uni.student, "5", by=uni.lecturer)
    auth.login("stud1")
    page = client.get("/grades/my").get_data(as_text=True)
    assert "Term average: 4.00" in page and "Rule:" in page and "TOPSECRET" not in page
    assert 'data-testid="new"' in page
    # two reports of one course: the second row's card (on a phone) names the course too
    course = uni.edition.course.name["en"]
    assert page.count(f'<td class="stack-head stack-only">{course}</td>') == 1
    page = client.get("/grades/my/latest").get_data(as_text=True)
    assert 'data-testid="latest"' in page and "well" in page and "TOPSECRET" not in page
    page = client.get(f"/grades/my/course/{uni.edition.id}").get_data(as_text=True)
    assert "well" in page and "TOPSECRET" not in page
    r = client.get(f"/grades/my/grades/{uni.grade.id}/history")
    assert r.status_code == 200 and "TOPSECRET" not in r.get_data(as_text=True)
    auth.logout()
    auth.login("stud2")
    assert client.get(f"/grades/my/grades/{uni.grade.id}/history").status_code == 404
    assert "TOPSECRET" not in client.get("/grades/my").get_data(as_text=True)
    assert client.get("/grades/my?term=NOPE").status_code == 404


def test_new_marks_are_remembered_per_person_not_per_cookie(client, auth, app, uni):
    """A grade is "new" until the student has seen it, on any device and after signing in again."""
    uni.g.grade(uni.unitrep, uni.student, "5", by=uni.lecturer)
    auth.login("stud1")
    assert 'data-testid="new"' in client.get("/grades/my").get_data(as_text=True)
    assert 'data-testid="new"' not in client.get("/grades/my").get_data(as_text=True)
    auth.logout()
    auth.login("stud1")  # a new sign-in: a new session cookie
    assert 'data-testid="new"' not in client.get("/grades/my").get_data(as_text=True)
    with app.app_context():
        from portal.auth.models import User
        assert db.session.get(User, uni.student.id).grades_seen_at is not None
    with app.app_context():  # changed again, after the visit
        from datetime import timedelta
        from portal import clock
        from portal.grades.models import Grade
        for g in db.session.scalars(db.select(Grade).filter_by(student_id=uni.student.id)):
            g.date_modified = clock.now() + timedelta(minutes=1)
        db.session.commit()
    assert 'data-testid="new"' in client.get("/grades/my/latest").get_data(as_text=True)
