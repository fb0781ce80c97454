"""Request size limits: 413 in the portal and the API; the grade CSV import refuses, never truncates."""
import io

import pytest

from portal.extensions import db
from portal.grades import csvio
from portal.grades.models import Grade

from .factories_grades import GradesFactory

EN = {"Accept-Language": "en"}


@pytest.fixture
def uni(make, app):
    u = make.university()
    u.report = GradesFactory(app).report(u.edition)
    return u


def import_url(u, tail=""):
    return f"/grades/reports/{u.report.id}/sessions/1/import{tail}"


def upload(client, u, content):
    client.post("/lang/en")
    return client.post(import_url(u), data={"file": (io.BytesIO(content), "g.csv")},
                       content_type="multipart/form-data")


def csv_for(u, rows=None, extra=""):
    lines = ["student_id,grade,comment" + extra]
    lines += rows if rows is not None else [f"{s.id},5,ok" for s in u.students]
    return ("\n".join(lines) + "\n").encode()


def grades(app):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(Grade.id)))


def test_limit_comes_from_config(app):
    assert app.config["MAX_CONTENT_LENGTH"] == 2 * 1024 * 1024


def test_portal_answers_413_with_a_page(client, make):
    make.user("student1", student=True)
    r = client.post("/login", data={"login": "student1", "password": "x" * (3 * 1024 * 1024)}, headers=EN)
    assert r.status_code == 413
    page = r.get_data(as_text=True)
    assert "<nav" in page and "the limit is 2 MB" in page


def test_api_answers_413_with_the_envelope(client):
    r = client.post("/services/apisrv/now", data={"x": "y" * (3 * 1024 * 1024)})
    assert r.status_code == 413
    assert r.json["error"] == "request_entity_too_large" and "limit is 2 MB" in r.json["message"]


def test_csv_over_the_size_limit_is_refused_not_truncated(client, auth, app, uni):
    auth.login("coord")
    good = csv_for(uni)
    padding = b"#" * (csvio.MAX_BYTES - len(good) + 1)
    r = upload(client, uni, good + padding)  # the rows are whole: only the size is wrong
    assert r.status_code == 422
    assert f"larger than {csvio.MAX_BYTES // 1024} KB" in r.get_data(as_text=True)
    r = upload(client, uni, good)
    assert r.status_code == 200 and 'data-testid="preview"' in r.get_data(as_text=True)


@pytest.mark.parametrize("content, message", [
    (lambda u: csv_for(u, extra="," + ",".join(f"c{i}" for i in range(csvio.MAX_COLUMNS))),
     "more than 20 columns"),
    (lambda u: csv_for(u, rows=[f"{u.student.id},5,{'x' * (csvio.MAX_FIELD + 1)}"]),
     "Row 2: a field is longer than 2000 characters"),
    (lambda u: csv_for(u, rows=["1,5,ok"] * (csvio.MAX_ROWS + 1)), "more than 5000 rows"),
    (lambda u: b"student_id,grade\n1,\x005\n", "This is not a valid CSV file"),
    (lambda u: b'student_id,grade\n1,"5"x\n', "This is not a valid CSV file"),
    (lambda u: b"", "lacks the student_id and grade columns"),
    (lambda u: "student_id,grade\n1,ż\n".encode("utf-16"), "not UTF-8"),
])
def test_malformed_csv_is_refused_with_a_message(client, auth, app, uni, content, message):
    auth.login("coord")
    r = upload(client, uni, content(uni))
    assert r.status_code == 422 and message in r.get_data(as_text=True)


def test_apply_refuses_oversize_content_and_changes_nothing(client, auth, app, uni):
    auth.login("coord")
    client.post("/lang/en")
    content = csv_for(uni).decode() + "#" * csvio.MAX_BYTES
    r = client.post(import_url(uni, "/apply"), data={"content": content})
    assert r.status_code == 400 and "larger than 256 KB" in r.get_data(as_text=True)
    assert grades(app) == 0
    r = client.post(import_url(uni, "/apply"), data={"content": csv_for(uni).decode()})
    assert r.status_code == 303 and grades(app) == len(uni.students)
