"""Delivering the outbox to a real SMTP server (aiosmtpd on a free port): once, in the person's
language, with an iCalendar part; retries when the server is away; never twice, even with two
sender processes at once."""
import os
import subprocess
import sys
from datetime import timedelta

import pytest

from portal import clock
from portal.extensions import db
from portal.notifications import link, notify, sender
from portal.notifications.models import Notification, NotificationSettings

from .conftest import ROOT
from .smtp import smtp  # noqa: F401  (the fixture)

ICAL = {"uid": "meeting-participant-7@indeks", "method": "REQUEST", "start": "2026-12-07T10:00:00",
        "end": "2026-12-07T11:00:00", "summary": {"pl": "Konsultacje (dr Nowak)", "en": "Office hours (dr Nowak)"},
        "location": "T 101", "status": "CONFIRMED"}
FACTS = {"meeting": {"pl": "Konsultacje", "en": "Office hours"}, "lecturer": "dr Anna Nowak",
         "start": "2026-12-07T10:00:00", "end": "2026-12-07T11:00:00", "room": "T 101"}


@pytest.fixture
def stud(make):
    return make.user("stud", student=True)


def queue(app, recipient, kind="meeting_accepted", ical=ICAL, lang=None, **facts):
    with app.app_context():
        target = db.session.merge(recipient) if not isinstance(recipient, str) else recipient
        item = notify(target, kind, {**FACTS, **facts}, link("meetings.index"), ical=ical, lang=lang)
        db.session.commit()
        return item.id


def row(app, item_id):
    with app.app_context():
        item = db.session.get(Notification, item_id)
        db.session.expunge(item)
        return item


def deliver(app, **kw):
    with app.app_context():
        return sender.deliver(**kw)


def prefer(app, user, lang=None, email_off=()):
    with app.app_context():
        db.session.add(NotificationSettings(user_id=user.id, chosen_lang=lang, email_off=list(email_off),
                                            updated_at=clock.now()))
        db.session.commit()


def test_a_message_arrives_once_in_the_persons_language_with_a_calendar_invitation(app, smtp, stud):
    prefer(app, stud, lang="en")
    item_id = queue(app, stud)
    report = deliver(app)
    assert (report.sent, report.retried, report.failed) == (1, 0, 0)
    assert deliver(app).sent == 0  # sent is sent
    [got] = smtp.messages
    assert got.to == ["stud@example.edu.pl"]
    assert got.subject == "Consultation booking accepted: Office hours"
    assert got.message["Content-Language"] == "en" and got.message["Auto-Submitted"] == "auto-generated"
    text = got.text()
    assert "Office hours with dr Anna Nowak" in text and "Mon, Dec 7, 2026, 10:00" in text
    assert "Open in Indeks: http://127.0.0.1:8000/meetings/" in text
    assert '<a href="http://127.0.0.1:8000/notifications/settings">' in got.html()
    part = got.calendar_part()
    assert part.get_param("method") == "REQUEST"
    cal = got.calendar()
    event = got.event()
    assert str(cal["METHOD"]) == "REQUEST" and str(event["UID"]) == "meeting-participant-7@indeks"
    assert int(event["SEQUENCE"]) == 0 and str(event["STATUS"]) == "CONFIRMED"
    assert str(event["SUMMARY"]) == "Office hours (dr Nowak)" and str(event["ATTENDEE"]) == "mailto:stud@example.edu.pl"
    assert event.decoded("DTSTART").hour == 10 and str(event["DTSTART"].dt.tzinfo) == "Europe/Warsaw"
    sent = row(app, item_id)
    assert (sent.mail_status, sent.mail_attempts, sent.mail_to) == ("sent", 1, "stud@example.edu.pl")
    assert got.message["Message-ID"].startswith(f"<notification-{item_id}.")


def test_later_messages_about_one_event_raise_its_sequence_and_can_cancel_it(app, smtp, stud):
    queue(app, stud)
    queue(app, stud, kind="meeting_cancelled", ical={**ICAL, "method": "CANCEL"}, reason="Choroba")
    deliver(app)
    first, second = sorted(smtp.messages, key=lambda m: int(m.event()["SEQUENCE"]))
    assert second.subject == "Odwołano termin konsultacji: Konsultacje" and "Powód: Choroba" in second.text()
    assert str(second.calendar()["METHOD"]) == "CANCEL" and str(second.event()["STATUS"]) == "CANCELLED"
    assert str(second.event()["UID"]) == str(first.event()["UID"])
    assert [int(m.event()["SEQUENCE"]) for m in (first, second)] == [0, 1]


def test_a_server_that_is_away_leaves_the_message_queued_and_it_arrives_when_it_returns(app, smtp, stud, runner):
    smtp.stop()
    item_id = queue(app, stud)
    now = clock.now()
    result = runner.invoke(args=["notifications", "send"])
    assert result.exit_code == 1 and "error: ConnectionRefusedError" in result.output
    waiting = row(app, item_id)
    assert (waiting.mail_status, waiting.mail_attempts, waiting.mail_claim) == ("queued", 1, None)
    assert waiting.mail_next_at >= now + timedelta(seconds=59) and "ConnectionRefusedError" in waiting.mail_error
    smtp.start()
    assert deliver(app).sent == 0 and smtp.messages == []  # not due yet: back-off
    report = deliver(app, now=clock.now() + timedelta(seconds=61))
    assert report.sent == 1 and len(smtp.messages) == 1
    assert row(app, item_id).mail_status == "sent" and row(app, item_id).mail_attempts == 2


def test_back_off_doubles_up_to_six_hours(app):
    with app.app_context():
        assert [sender.backoff(n) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
        assert sender.backoff(20) == 6 * 3600


def test_after_the_last_attempt_the_message_fails_and_an_administrator_can_queue_it_again(app, smtp, stud, make):
    app.config["NOTIFY_MAX_ATTEMPTS"] = 2
    smtp.stop()
    item_id = queue(app, stud)
    deliver(app)
    deliver(app, now=clock.now() + timedelta(minutes=2))
    assert (row(app, item_id).mail_status, row(app, item_id).mail_attempts) == ("failed", 2)
    smtp.start()
    assert deliver(app, now=clock.now() + timedelta(days=1)).sent == 0
    make.user("boss", admin=True)
    client = app.test_client()
    client.post("/login", data={"login": "boss", "password": "demo"})
    assert client.get(f"/notifications/outbox/{item_id}").status_code == 200
    assert client.post(f"/notifications/outbox/{item_id}/retry").status_code == 303
    assert deliver(app).sent == 1 and len(smtp.messages) == 1


def test_a_permanent_refusal_fails_at_once(app, smtp, stud):
    smtp.mailbox.refuse.add("stud@example.edu.pl")
    item_id = queue(app, stud)
    report = deliver(app)
    assert (report.failed, report.retried, report.server_down) == (1, 0, False)
    failed = row(app, item_id)
    assert failed.mail_status == "failed" and "550" in failed.mail_error


def test_no_e_mail_when_turned_off_or_without_an_address_but_the_portal_item_stays(app, smtp, stud, make):
    prefer(app, stud, email_off=["meeting_accepted"])
    nomail = make.user("nomail", student=True, email=None)
    off, other_kind, no_address = queue(app, stud), queue(app, stud, kind="meeting_promoted"), queue(app, nomail)
    report = deliver(app)
    assert (report.sent, report.skipped) == (1, 2)
    assert [row(app, i).mail_status for i in (off, other_kind, no_address)] == ["skipped", "sent", "skipped"]
    assert smtp.messages[0].subject == "Przechodzisz z listy rezerwowej na listę główną: Konsultacje"
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Notification.id)).where(
            Notification.user_id == stud.id, Notification.read_at.is_(None))) == 2


def test_someone_from_outside_gets_the_message_in_the_language_given_and_no_links(app, smtp):
    queue(app, "guest@example.org", kind="meeting_booked", lang="en", actor="dr Anna Nowak", status="accepted",
          reserve_place=None)
    deliver(app)
    [got] = smtp.messages
    assert got.to == ["guest@example.org"] and got.subject == "You have been booked for a consultation: Office hours"
    assert "http" not in got.text() and str(got.event()["ATTENDEE"]) == "mailto:guest@example.org"


def test_a_message_claimed_by_another_sender_waits_for_its_lease(app, smtp, stud):
    item_id = queue(app, stud)
    with app.app_context():
        token, ids = sender.claim(clock.now(), 10, timedelta(minutes=10))  # a sender that then died
    assert ids == [item_id]
    assert deliver(app).sent == 0 and smtp.messages == []
    assert deliver(app, now=clock.now() + timedelta(minutes=11)).sent == 1
    assert len(smtp.messages) == 1 and row(app, item_id).mail_claim != token


def test_a_message_that_cannot_be_written_fails_alone(app, smtp, stud):
    broken = queue(app, stud, kind="exam_registered")  # facts this kind cannot word (no exam)
    fine = queue(app, stud)
    report = deliver(app)
    assert (report.sent, report.failed) == (1, 1) and len(smtp.messages) == 1
    assert row(app, broken).mail_status == "failed" and row(app, broken).mail_error.startswith("cannot compose")
    assert row(app, fine).mail_status == "sent"


def test_a_sender_whose_lease_ran_out_sends_nothing_and_gives_the_messages_back(app, smtp, stud):
    app.config["NOTIFY_LEASE_SECONDS"] = 0  # every lease is over before the first message
    ids = [queue(app, stud), queue(app, stud)]
    assert deliver(app).sent == 0 and smtp.messages == []
    assert [(row(app, i).mail_status, row(app, i).mail_claim) for i in ids] == [("queued", None)] * 2
    app.config["NOTIFY_LEASE_SECONDS"] = 600
    assert deliver(app).sent == 2


def test_two_sender_processes_at_once_never_send_a_message_twice(app, smtp, make, db_url):
    people = [make.user(f"p{i}", student=True) for i in range(40)]
    ids = [queue(app, person, ical=None) for person in people for _ in range(3)]
    smtp.mailbox.sessions_before_data = 2  # the first message waits until both senders talk to SMTP
    env = dict(os.environ, DATABASE_URL=db_url, MAIL_SERVER="127.0.0.1", MAIL_PORT=str(smtp.port), NOTIFY_BATCH="5",
               SECRET_KEY="test-secret")
    procs = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "notifications", "send"], cwd=ROOT,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for _ in range(2)]
    outputs = [p.communicate(timeout=180)[0].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    message_ids = [m.message["Message-ID"] for m in smtp.messages]
    assert len(message_ids) == len(ids) == len(set(message_ids))
    assert smtp.mailbox.sessions == 2
    with app.app_context():
        rows = db.session.scalars(db.select(Notification)).all()
        assert {r.mail_status for r in rows} == {"sent"} and all(r.mail_attempts == 1 for r in rows)
        assert len({r.mail_claim for r in rows}) >= 2  # both senders delivered some
