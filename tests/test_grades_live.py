"""Two graders save the same grade at the same moment through a real multi-worker server."""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from portal import clock
from portal.extensions import db
from portal.grades.models import Grade, GradeChange

from .factories_grades import GradesFactory

pytestmark = pytest.mark.live
HX = {"HX-Request": "true"}


@pytest.fixture
def patient_start(monkeypatch):
    """The live server's start-up probe, tolerant of a slow first answer on a loaded machine
    (a read timeout there would leave the server running)."""
    real_get = requests.get

    def get(url, timeout=None, **kwargs):
        try:
            return real_get(url, timeout=10, **kwargs)
        except requests.Timeout as error:
            raise requests.ConnectionError(str(error)) from None
    monkeypatch.setattr(requests, "get", get)


def race(sessions, url, payloads):
    """Post every payload at once (one per session); the answers' status codes."""
    barrier = threading.Barrier(len(sessions))

    def post(args):
        session, data = args
        barrier.wait()
        return session.post(url, data=data, headers=HX, timeout=60)

    with ThreadPoolExecutor(len(sessions)) as pool:
        return list(pool.map(post, zip(sessions, payloads)))


def state(app, report_id, student_id):
    with app.app_context():
        grade = db.session.scalar(db.select(Grade).where(Grade.student_id == student_id,
                                                         Grade.session.has(report_id=report_id)))
        if grade is None:
            return None, None, 0
        changes = db.session.scalar(db.select(db.func.count(GradeChange.id)).filter_by(grade_id=grade.id))
        return grade.value.symbol, grade.date_modified, changes


def test_two_graders_same_grade_at_once(app, make, live_server, patient_start):
    uni = make.university(n_students=4)
    g = GradesFactory(app)
    report = g.report(uni.edition, uni.classes_unit)  # the coordinator and the lecturer may both write
    for student in uni.students[:3]:
        g.grade(report, student, "3", by=uni.coordinator)
    srv = live_server(workers=4)
    graders = [srv.session("coord"), srv.session("lect")]
    for session in graders:
        session.headers["Accept-Language"] = "en"
    base = f"{srv.url}/grades/reports/{report.id}/sessions/1/students/"

    # an existing grade, both writers starting from the same date_modified (several rounds)
    for student in uni.students[:3]:
        _symbol, seen, before = state(app, report.id, student.id)
        answers = race(graders, base + str(student.id),
                       [{"value": "5", "date_modified": clock.fmt_datetime(seen)},
                        {"value": "2", "date_modified": clock.fmt_datetime(seen)}])
        codes = sorted(r.status_code for r in answers)
        assert codes == [200, 409], [(r.status_code, r.text[:300]) for r in answers]
        winner = next(i for i, r in enumerate(answers) if r.status_code == 200)
        loser = answers[1 - winner]
        symbol, _stamp, after = state(app, report.id, student.id)
        assert symbol == ("5", "2")[winner] and after == before + 1
        assert 'data-testid="conflict"' in loser.text and f"now {symbol}" in loser.text

    # no grade yet: both expect none ("" = no grade); one creates it, the other is refused
    last = uni.students[3]
    answers = race(graders, base + str(last.id), [{"value": "4", "date_modified": ""},
                                                   {"value": "3,5", "date_modified": ""}])
    assert sorted(r.status_code for r in answers) == [200, 409], [r.text[:300] for r in answers]
    symbol, _stamp, changes = state(app, report.id, last.id)
    assert symbol in ("4", "3,5") and changes == 1
