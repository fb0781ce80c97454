"""Forged requests: each kind of form post and htmx request of each feature, sent without the
CSRF token the page carries, is refused with 400 and changes nothing; the same request with the
token (as the page sends it) does what it says. test_sign_in_required.py covers every route."""
import pytest

from portal.api.models import Consumer, Token
from portal.api.services import create_consumer, issue_access_token
from portal.attendance.models import AttendanceEntry
from portal.auth.models import User
from portal.exams.models import ExamRegistration, ExamSlot
from portal.extensions import db
from portal.grades.models import Grade, GradeChange
from portal.meetings.models import MeetingNote, Participant

from .browser_client import CSRF_META_RE
from .factories_attendance import AttendanceFactory
from .factories_exams import ExamFactory
from .factories_grades import GradesFactory
from .factories_meetings import MeetingFactory

HX = {"HX-Request": "true"}
KINDS = pytest.mark.parametrize("headers", [{}, HX], ids=["form", "htmx"])


def refused(response, why="The CSRF token is missing."):
    assert response.status_code == 400, response.status_code
    assert why in response.get_data(as_text=True)


def count(app, model, **where):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model).filter_by(**where))


@KINDS
def test_exams_pick_and_leave(app, client, auth, uni, headers):
    ex = ExamFactory(app).setup(uni)
    pick = f"/exams/{ex.exam.id}/slots/{ex.slot1.id}"
    auth.login("stud1")
    refused(client.post(pick, headers=headers, csrf=False))
    with app.app_context():
        assert db.session.get(ExamSlot, ex.slot1.id).taken == 0
    assert count(app, ExamRegistration) == 0
    assert client.post(pick, headers=headers).status_code == (200 if headers else 303)
    refused(client.post(f"/exams/{ex.exam.id}/leave", headers=headers, csrf=False))
    assert count(app, ExamRegistration, user_id=uni.student.id, slot_id=ex.slot1.id) == 1


def test_exams_staff_batch(app, client, auth, uni):
    ex = ExamFactory(app).setup(uni)
    auth.login("admin")
    url = f"/exams/manage/exams/{ex.exam.id}/batch"
    data = {"slot": str(ex.slot1.id), "numbers": uni.student.student_number}
    refused(client.post(url, data=data, csrf=False))
    assert count(app, ExamRegistration) == 0
    assert client.post(url, data=data).status_code == 200
    assert count(app, ExamRegistration, user_id=uni.student.id) == 1


@KINDS
def test_grades_row_save(app, client, auth, uni, headers):
    report = GradesFactory(app).report(uni.edition)
    row = f"/grades/reports/{report.id}/sessions/1/students/{uni.student.id}"
    auth.login("coord")
    refused(client.post(row, headers=headers, data={"value": "5", "date_modified": ""}, csrf=False))
    assert count(app, Grade) == 0 and count(app, GradeChange) == 0
    assert client.post(row, headers=headers, data={"value": "5", "date_modified": ""}).status_code == (
        200 if headers else 303)
    with app.app_context():
        assert db.session.scalar(db.select(Grade)).value.symbol == "5"


@KINDS
def test_meetings_sign_up_and_notes(app, client, auth, make, headers):
    m = MeetingFactory(app).setup(make)
    auth.login("stud1")
    sign_up = f"/meetings/dates/{m.date.id}/sign-up"
    refused(client.post(sign_up, data={"substantiation": m.sub.id}, headers=headers, csrf=False))
    assert count(app, Participant) == 0
    assert client.post(sign_up, data={"substantiation": m.sub.id}, headers=headers).status_code == (
        200 if headers else 303)
    assert count(app, Participant, user_id=m.student.id) == 1
    auth.logout()
    auth.login("coord")
    notes = f"/meetings/manage/notes/{m.student.id}?fac={m.faculty.id}&term={m.term.id}"
    refused(client.post(notes, data={"public_note": "", "private_note": "forged"}, headers=headers, csrf=False))
    assert count(app, MeetingNote) == 0


@KINDS
def test_attendance_marks(app, client, auth, uni, headers):
    lst = AttendanceFactory(app).list(uni.classes, uni.lecturer)
    mark = f"/attendance/lists/{lst.id}/students/{uni.student.id}"
    auth.login("lect")
    refused(client.post(mark, data={"mode": "absence"}, headers=headers, csrf=False))
    refused(client.post(f"/attendance/lists/{lst.id}/mark-rest", headers=headers, csrf=False))
    assert count(app, AttendanceEntry) == 0
    assert client.post(mark, data={"mode": "absence"}, headers=headers).status_code == (200 if headers else 303)
    assert AttendanceFactory(app).entries(lst.id) == {uni.student.id: ("absence", None)}


def signed_in(client):
    return client.get("/").status_code == 200


def test_auth_sign_in_and_out(app, client, auth, uni):
    refused(client.post("/login", data={"login": "stud1", "password": "demo"}, csrf=False))
    assert not signed_in(client)
    # a token from another session (the forger's own) does not match this one
    forger = app.test_client()
    token = CSRF_META_RE.search(forger.get("/login").get_data(as_text=True)).group(1)
    refused(client.post("/login", data={"login": "stud1", "password": "demo", "csrf_token": token}),
            "The CSRF tokens do not match.")
    refused(client.post("/login", data={"login": "stud1", "password": "demo", "csrf_token": "made-up"}),
            "The CSRF token is invalid.")
    assert not signed_in(client)
    auth.login("stud1")
    assert signed_in(client)
    refused(client.post("/logout", csrf=False))
    refused(client.post("/logout", headers=HX, csrf=False))
    assert signed_in(client)
    auth.logout()
    assert not signed_in(client)


def test_api_application_pages(app, client, auth, uni):
    with app.app_context():
        consumer = create_consumer("Planner")
        token = issue_access_token(db.session.get(User, uni.student.id), consumer, ["studies"])
        db.session.commit()
        consumer_id, token_id = consumer.id, token.id
    auth.login("stud1")
    refused(client.post("/api/apps", data={"name": "Forged app", "url": "", "email": ""}, csrf=False))
    assert count(app, Consumer, name="Forged app") == 0
    refused(client.post(f"/api/authorized/{consumer_id}/revoke", csrf=False))
    with app.app_context():
        assert not db.session.get(Token, token_id).revoked
    assert client.post(f"/api/authorized/{consumer_id}/revoke").status_code == 303
    with app.app_context():
        assert db.session.get(Token, token_id).revoked


@KINDS
def test_language_switch(client, auth, uni, headers):
    auth.login("stud1")
    refused(client.post("/lang/en", data={"next": "/"}, headers=headers, csrf=False))
    assert 'lang="pl"' in client.get("/", headers={"Accept-Language": "pl"}).get_data(as_text=True)
    assert client.post("/lang/en", data={"next": "/"}, headers=headers).status_code == 303
    assert 'lang="en"' in client.get("/", headers={"Accept-Language": "pl"}).get_data(as_text=True)
