"""Live seats: while registration is open an exam page polls its slot list with the ETag it was
rendered with, and gets 304 Not Modified until something the list shows has changed."""
import html
import json
import re
from datetime import timedelta

import pytest

from portal import clock
from portal.exams.models import Exam
from portal.extensions import db

from .factories_exams import ExamFactory

HX = {"HX-Request": "true"}


@pytest.fixture
def ex(app, make):
    uni = make.university()
    return uni, ExamFactory(app).setup(uni, capacity=2, slots=2)  # one seat per slot in group 1


def poller(page):
    """(url, seconds, ETag) of the slot list's poller, or None when the page does not poll."""
    m = re.search(r'data-testid="seats-poller" hx-get="([^"]+)"\s+hx-trigger="every (\d+)s"[^>]*'
                  r"hx-headers='([^']*)'", page)
    if m is None:
        return None
    return m.group(1), int(m.group(2)), json.loads(html.unescape(m.group(3)))["If-None-Match"]


def slots(client, exam, etag=None):
    headers = dict(HX, **({"If-None-Match": etag} if etag else {}))
    return client.get(f"/exams/{exam.id}/slots", headers=headers)


def test_open_page_polls_and_gets_304_until_a_seat_is_taken(app, client, auth, make, ex):
    uni, e = ex
    auth.login("stud1")
    page = client.get(f"/exams/{e.exam.id}").get_data(as_text=True)
    url, seconds, etag = poller(page)
    assert url == f"/exams/{e.exam.id}/slots" and seconds == 10 and etag.startswith('W/"')
    r = slots(client, e.exam, etag)
    assert r.status_code == 304 and r.data == b"" and r.headers["ETag"] == etag
    assert r.headers["Cache-Control"] == "no-cache, private"
    # someone else takes the only seat of slot 1: the next poll gets the list, with a new ETag
    other = app.test_client()
    other.post("/login", data={"login": "stud2", "password": "demo"})
    assert other.post(f"/exams/{e.exam.id}/slots/{e.slot1.id}", headers=HX).status_code == 200
    r = slots(client, e.exam, etag)
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and r.headers["ETag"] != etag and body.lstrip().startswith('<section id="slot-list"')
    assert poller(body)[2] == r.headers["ETag"] and ">wolne 0 z 1<" in body
    assert slots(client, e.exam, r.headers["ETag"]).status_code == 304


def test_own_seat_and_language_change_the_etag(client, auth, ex):
    _uni, e = ex
    auth.login("stud1")
    etag = slots(client, e.exam).headers["ETag"]
    client.post("/lang/en")
    english = slots(client, e.exam, etag)
    assert english.status_code == 200 and english.headers["ETag"] != etag
    assert client.post(f"/exams/{e.exam.id}/slots/{e.slot2.id}", headers=HX).status_code == 200
    mine = slots(client, e.exam, english.headers["ETag"])
    assert mine.status_code == 200 and "Your slot" in mine.get_data(as_text=True)


def test_staff_edits_and_closing_change_the_etag_and_stop_the_polling(app, client, auth, ex):
    _uni, e = ex
    auth.login("stud1")
    etag = slots(client, e.exam).headers["ETag"]
    with app.app_context():
        db.session.get(Exam, e.exam.id).registration_end = clock.now() - timedelta(minutes=1)
        db.session.commit()
    r = slots(client, e.exam, etag)
    assert r.status_code == 200 and poller(r.get_data(as_text=True)) is None
    assert poller(client.get(f"/exams/{e.exam.id}").get_data(as_text=True)) is None


def test_the_window_closing_by_the_clock_changes_the_etag(app, client, auth, ex, monkeypatch):
    _uni, e = ex
    with app.app_context():
        db.session.get(Exam, e.exam.id).registration_end = clock.now() + timedelta(hours=1)
        db.session.commit()
    auth.login("stud1")
    etag = slots(client, e.exam).headers["ETag"]
    later = clock.now() + timedelta(hours=2)
    monkeypatch.setattr(clock, "now", lambda: later)
    r = slots(client, e.exam, etag)
    assert r.status_code == 200 and r.headers["ETag"] != etag and poller(r.get_data(as_text=True)) is None


def test_poll_interval_is_configurable_and_plain_requests_go_to_the_page(app, client, auth, ex):
    _uni, e = ex
    app.config["EXAMS_SEATS_POLL_SECONDS"] = 4
    auth.login("stud1")
    assert poller(client.get(f"/exams/{e.exam.id}").get_data(as_text=True))[1] == 4
    r = client.get(f"/exams/{e.exam.id}/slots")
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/exams/{e.exam.id}")


def test_outsiders_get_no_seats_and_no_etag(client, auth, ex):
    _uni, e = ex
    auth.login("outsider")
    r = slots(client, e.exam, 'W/"anything"')
    assert r.status_code == 404 and "ETag" not in r.headers


def test_pending_micro_round_request_polls_faster(app, client, auth, make):
    uni = make.university()
    e = ExamFactory(app).setup(uni, capacity=2, slots=2, micro_round_length=600, micro_break_length=0)
    auth.login("stud1")
    assert client.post(f"/exams/{e.exam.id}/slots/{e.slot1.id}", headers=HX).status_code == 200
    assert poller(client.get(f"/exams/{e.exam.id}").get_data(as_text=True))[1] == 3
