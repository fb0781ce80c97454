"""The demo university as test data, and real USOS clients against it on a live gunicorn.

Reusable by any test module (import the fixtures you need):

    from .usos_live import demo_app, demo, usos_live  # noqa: F401  (fixtures)

- `demo_app`  (module scope): the portal on its own database with `flask seed-demo` loaded.
- `demo`      (module scope): ids of well-known demo objects (`demo.exam_alg`, `demo.student1`, ...).
- `usos_live` (module scope): a gunicorn serving that database, a registered consumer, and
  access tokens of `student1` and `lecturer1`: the student's obtained through usos-api's own
  three-legged login (request token, the authorize page driven with `requests`, the PIN), the
  lecturer's from the `flask token create` CLI. See `UsosLive` for what it offers.
"""
import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
import requests

from portal.extensions import db

from .conftest import BACKEND, CSRF_RE, LiveServer, make_test_app, release_test_app


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory, _pg_schema):
    """The portal on a database of its own holding the whole demo university."""
    url = _pg_schema or f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite3'}"
    app = make_test_app(url)
    app.config["DEMO_DATABASE_URL"] = url
    with app.app_context():
        from portal.demo import seed_demo
        seed_demo()
    yield app
    release_test_app(app)


@dataclass
class DemoIds:
    """Ids of demo objects the tests name (looked up, never assumed)."""
    student1: int
    student2: int
    lecturer1: int
    admin: int
    term: str
    previous_term: str
    exam_alg: int           # INF-ALG first sitting: open, lecturer1 coordinates and examines group 1
    exam_am: int            # MAT-AM1: with an admission condition
    exam_prep: int          # in the session in preparation
    session_winter: int
    session_prep: int
    report_alg: int         # INF-ALG's current exam report ("E")
    unit_alg_cw: int        # the INF-ALG classes unit of student1's group
    group_alg_cw: int       # that group's number (lecturer1 teaches it)
    meeting: int            # lecturer1's open meeting
    meeting_date: int       # its full date (3 seats taken, a reserve)
    participant: int
    substantiation: int
    note: int
    note_user: int
    attendance_list: int    # a list of the INF-ALG classes group
    room: int
    condition_report: int   # the exam report MAT-AM1's admission condition names
    grade_order_key: int    # of a value of grade type PL
    programme: str          # student1's study programme
    student_programme: int  # student1 on it
    position: str           # lecturer1's employment position
    employment_group: str   # that position's group


def load_demo_ids():
    """The DemoIds of the database of the current app context."""
    from portal.attendance.models import AttendanceList
    from portal.auth.models import User
    from portal.exams.models import Exam, ExaminationSession
    from portal.grades.models import ExamReport
    from portal.meetings.models import Meeting, MeetingDate, MeetingNote, Participant, Substantiation
    from portal.exams.models import ExamCondition
    from portal.university.models import ClassGroup, CourseEdition, CourseUnit, GradeValue, Room, Term
    from portal.university.programmes import StudentProgramme
    from portal.university.staff import EmploymentPosition

    def one(query):
        return db.session.scalars(query).first()

    def login(name):
        return one(db.select(User).filter_by(login=name))
    student1, lecturer1 = login("student1"), login("lecturer1")
    term = one(db.select(Term).where(Term.is_active).order_by(Term.order_key.desc()))
    previous = one(db.select(Term).where(Term.id != term.id).order_by(Term.order_key.desc()))
    exam = {e.code: e for e in db.session.scalars(db.select(Exam))}
    sessions = {s.status: s for s in db.session.scalars(db.select(ExaminationSession))}
    edition = one(db.select(CourseEdition).filter_by(course_id="INF-ALG", term_id=term.id))
    report = one(db.select(ExamReport).filter_by(edition_id=edition.id, type_id="E"))
    group = next(g for g in db.session.scalars(db.select(ClassGroup).join(CourseUnit).where(
        CourseUnit.edition_id == edition.id, CourseUnit.classtype_id == "CW").order_by(ClassGroup.id))
        if g.has_participant(student1))
    meeting = one(db.select(Meeting).filter_by(lecturer_id=lecturer1.id, open=True, state="active"))
    note = one(db.select(MeetingNote).order_by(MeetingNote.id))
    studies = one(db.select(StudentProgramme).filter_by(user_id=student1.id).order_by(StudentProgramme.id))
    employment = one(db.select(EmploymentPosition).filter_by(user_id=lecturer1.id).order_by(EmploymentPosition.id))
    full = next(d for d in db.session.scalars(db.select(MeetingDate).filter_by(meeting_id=meeting.id)
                                              .order_by(MeetingDate.id)) if d.participants)
    return DemoIds(
        student1=student1.id, student2=login("student2").id, lecturer1=lecturer1.id, admin=login("admin").id,
        term=term.id, previous_term=previous.id,
        exam_alg=exam["INF-ALG-E1"].id, exam_am=exam["MAT-AM1-E1"].id, exam_prep=exam["INF-ALG-L1"].id,
        session_winter=sessions["active"].id, session_prep=sessions["in_preparation"].id,
        report_alg=report.id, unit_alg_cw=group.unit_id, group_alg_cw=group.number,
        meeting=meeting.id, meeting_date=full.id,
        participant=one(db.select(Participant.id).filter_by(meeting_date_id=full.id).order_by(Participant.id)),
        substantiation=one(db.select(Substantiation.id).filter_by(faculty_id="WMI", type="meeting")
                           .order_by(Substantiation.id)),
        note=note.id, note_user=note.user_id,
        attendance_list=one(db.select(AttendanceList.id).filter_by(group_id=group.id).order_by(AttendanceList.id)),
        room=one(db.select(Room.id).order_by(Room.id)),
        condition_report=one(db.select(ExamCondition.examrep_id).filter_by(exam_id=exam["MAT-AM1-E1"].id)),
        grade_order_key=one(db.select(GradeValue.order_key).filter_by(grade_type_id="PL")
                            .order_by(GradeValue.order_key)),
        programme=studies.programme_id, student_programme=studies.id,
        position=employment.position_id, employment_group=employment.position.employment_group_id)


@pytest.fixture(scope="module")
def demo(demo_app):
    with demo_app.app_context():
        return load_demo_ids()




# --- real clients against a live server ------------------------------------------------------

STUDENT_SCOPES = ("studies", "grades", "email", "personal", "offline_access", "student_exams")
LECTURER_SCOPES = ("studies", "grades", "grades_write", "staff_perspective", "email", "personal",
                   "offline_access", "other_emails")
FORM_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
PIN = re.compile(r'data-testid="pin"[^>]*>(\d+)<')


def run_async(coroutine):
    """asyncio.run(coroutine) in a thread of its own: Playwright's sync API (the browser tests'
    session-wide browser) keeps an event loop running in the main thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def approve_in_browser(authorize_url, login, password="demo"):
    """What a person does with the URL an application shows them: open it, sign in on the way,
    press Allow; returns the PIN the page shows (oauth_callback=oob)."""
    with requests.Session() as s:
        page = s.get(authorize_url, timeout=30)
        assert "/login" in page.url, page.url  # not signed in yet: the login page, then back
        page = s.post(page.url, data={"login": login, "password": password,
                                      "csrf_token": CSRF_RE.search(page.text).group(1)}, timeout=30)
        assert page.status_code == 200 and "/services/oauth/authorize" in page.url, (page.status_code, page.url)
        token = re.search(r'name="oauth_token" value="([^"]+)"', page.text).group(1)
        done = s.post(page.url.split("?")[0], data={"oauth_token": token, "decision": "approve",
                                                    "csrf_token": FORM_CSRF.search(page.text).group(1)},
                      timeout=30)
        assert done.status_code == 200, done.text[:500]
        return PIN.search(done.text).group(1)


async def usos_api_login(base_url, consumer, login, scopes):
    """usos-api's own three-legged login, unmodified: get_authorization_url() (request token,
    oauth_callback and scopes in the body), the authorize page, authorize(pin)."""
    from usos_api import USOSClient
    async with USOSClient(base_url, *consumer) as client:
        client.set_scopes(list(scopes))
        url = await client.get_authorization_url()
        pin = await asyncio.to_thread(approve_in_browser, url, login)
        return await client.authorize(pin)


@dataclass
class UsosLive:
    """A live Indeks with the demo university, a consumer and tokens of student1 and lecturer1."""
    server: object
    base_url: str                    # what clients take as the installation's address, ending in "/"
    consumer: tuple                  # (key, secret), registered with `flask consumer create`
    tokens: dict                     # {"student1": (token, secret), "lecturer1": (token, secret)}
    demo: DemoIds

    def usos_api(self, login):
        """An unopened usos_api.USOSClient holding `login`'s access token (use `async with`)."""
        from usos_api import USOSClient
        client = USOSClient(self.base_url, *self.consumer)
        client.load_access_token(*self.tokens[login])
        return client

    def run(self, login, action):
        """Run `await action(client)` with `login`'s usos-api client; returns its result."""
        async def go():
            async with self.usos_api(login) as client:
                return await action(client)
        return run_async(go())

    def signed(self, login):
        """A requests_oauthlib session signing as `login` (for calls a library cannot make)."""
        from requests_oauthlib import OAuth1Session
        token, secret = self.tokens[login]
        return OAuth1Session(self.consumer[0], client_secret=self.consumer[1], resource_owner_key=token,
                             resource_owner_secret=secret)

    def mcp_env(self, login, storage_dir):
        """The environment usos-mcp reads its installation and credentials from."""
        token, secret = self.tokens[login]
        return {"USOS_API_BASE_URL": self.base_url, "USOS_API_CONSUMER_KEY": self.consumer[0],
                "USOS_API_CONSUMER_SECRET": self.consumer[1], "USOS_API_OAUTH_TOKEN": token,
                "USOS_API_OAUTH_TOKEN_SECRET": secret, "USOS_API_STORAGE_DIR": str(storage_dir)}

    def errors(self):
        return self.server.errors()


def _cli(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output.split()


@pytest.fixture(scope="module")
def usos_live(demo_app, demo):
    """gunicorn (2 workers) on the demo database; a consumer from the CLI; lecturer1's token from
    the CLI and student1's through usos-api's own login flow, driving the authorize page."""
    key, secret = _cli(demo_app, "consumer", "create", "usos clients (tests)", "--owner", "lecturer1")
    lecturer = tuple(_cli(demo_app, "token", "create", "lecturer1", "--consumer", key,
                          "--scopes", "|".join(LECTURER_SCOPES)))
    server = LiveServer(demo_app.config["DEMO_DATABASE_URL"], workers=2)
    try:
        base_url = server.url + "/"
        student = run_async(usos_api_login(base_url, (key, secret), "student1", STUDENT_SCOPES))
        yield UsosLive(server=server, base_url=base_url, consumer=(key, secret),
                       tokens={"student1": tuple(student), "lecturer1": lecturer}, demo=demo)
    finally:
        server.stop()


__all__ = ["BACKEND", "DemoIds", "UsosLive", "approve_in_browser", "demo", "demo_app", "load_demo_ids",
           "run_async", "usos_api_login", "usos_live"]
