"""Notifications in the portal: the outbox transaction, the list, the unread count, read marks,
settings, the language of messages, the administrators' outbox; no SMTP server here."""
import re

import pytest

from portal import create_app
from portal.extensions import db
from portal.notifications import link, notify
from portal.notifications.models import Notification, NotificationSettings

CSRF_RE = re.compile(r'name="csrf-token" content="([^"]+)"')


def token(client):
    """The page's CSRF token (sent as a header: works whether the app checks CSRF or not)."""
    return CSRF_RE.search(client.get("/notifications/settings").get_data(as_text=True)).group(1)


def post(client, url, data=None, headers=None):
    return client.post(url, data=data or {}, headers={"X-CSRFToken": token(client), **(headers or {})})


def add(app, user, kind="meeting_accepted", **extra):
    context = {"meeting": {"pl": "Konsultacje", "en": "Office hours"}, "lecturer": "dr Anna Nowak",
               "start": "2026-12-07T10:00:00", "end": "2026-12-07T11:00:00", "room": "T 101", **extra}
    with app.app_context():
        item = notify(db.session.merge(user), kind, context, link("meetings.index"))
        db.session.commit()
        return item.id


def count(app, **filters):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(Notification.id)).filter_by(**filters))


@pytest.fixture
def people(make):
    return make.user("stud", student=True), make.user("other", student=True), make.user("boss", admin=True)


def test_a_rolled_back_change_queues_nothing_a_committed_one_is_kept(app, people):
    stud = people[0]
    with app.app_context():
        notify(db.session.merge(stud), "meeting_accepted", {"meeting": {"pl": "A"}, "lecturer": "L", "start": None,
                                                             "end": None})
        db.session.rollback()
    assert count(app) == 0
    add(app, stud)
    assert count(app, user_id=stud.id, mail_status="queued") == 1


def test_unknown_kind_is_a_programming_error(app, people):
    with app.app_context(), pytest.raises(ValueError):
        notify(db.session.merge(people[0]), "no_such_kind", {})


def test_list_badge_and_marking_read(client, auth, app, people):
    stud, other, _boss = people
    first, second = add(app, stud), add(app, stud, kind="meeting_cancelled", reason="Choroba")
    theirs = add(app, other)
    auth.login("stud")
    badge = client.get("/notifications/badge", headers={"HX-Request": "true"})
    assert badge.status_code == 200 and 'data-testid="unread-count"' in badge.get_data(as_text=True)
    assert ">2</span>" in badge.get_data(as_text=True)
    page = client.get("/notifications/").get_data(as_text=True)
    assert page.count('data-testid="notification"') == 2
    assert "Odwołano termin konsultacji: Konsultacje" in page and "Powód: Choroba" in page
    r = post(client, f"/notifications/{first}/read", headers={"HX-Request": "true"})
    assert r.status_code == 200 and r.get_data(as_text=True).startswith(f'<article id="notification-{first}"')
    assert 'data-testid="mark-read"' not in r.get_data(as_text=True)
    assert ">1</span>" in client.get("/notifications/badge").get_data(as_text=True)
    assert post(client, f"/notifications/{theirs}/read").status_code == 404  # not mine
    assert count(app, id=theirs, read_at=None) == 1
    r = post(client, f"/notifications/{second}/open")
    assert r.status_code == 303 and r.headers["Location"] == "/meetings/"
    assert count(app, user_id=stud.id, read_at=None) == 0
    add(app, stud)
    assert post(client, "/notifications/read-all").status_code == 303
    assert count(app, user_id=stud.id, read_at=None) == 0 and count(app, id=theirs, read_at=None) == 1
    assert client.get("/notifications/badge").get_data(as_text=True).strip() == ""
    assert "Nie masz nieprzeczytanych powiadomień." in client.get("/notifications/?unread=1").get_data(as_text=True)


def test_a_row_whose_facts_cannot_be_worded_does_not_break_the_list(client, auth, app, people):
    add(app, people[0], kind="exam_registered")  # the facts of a consultation: no exam to name
    add(app, people[0])
    auth.login("stud")
    r = client.get("/notifications/")
    assert r.status_code == 200 and r.get_data(as_text=True).count('data-testid="notification"') == 2
    assert 'data-testid="open">Egzaminy</button>' in r.get_data(as_text=True)


def test_the_list_speaks_the_interface_language_and_pages(client, auth, app, people):
    stud = people[0]
    for _ in range(27):
        add(app, stud)
    auth.login("stud")
    client.post("/lang/en", data={"next": "/notifications/"})
    page = client.get("/notifications/").get_data(as_text=True)
    assert page.count('data-testid="notification"') == 25
    assert "Consultation booking accepted: Office hours" in page and "Page 1 of 2" in page
    assert client.get("/notifications/?page=2").get_data(as_text=True).count('data-testid="notification"') == 2
    assert client.get("/notifications/?page=x").status_code == 200


def test_header_shows_the_count_with_the_page_and_polls_it(client, auth, app, people):
    add(app, people[0]), add(app, people[0]), add(app, people[1])
    auth.login("stud")
    page = client.get("/").get_data(as_text=True)
    badge = page.split('data-testid="notification-badge"', 1)[1].split("</a>", 1)[0]
    assert 'data-testid="unread-count"' in badge and ">2</span>" in badge  # mine only, no request after the page
    assert 'hx-get="/notifications/badge"' in page and 'hx-trigger="every 60s"' in page
    assert 'hx-trigger="load' not in page


def test_signed_out_people_are_sent_to_sign_in(client):
    assert client.get("/notifications/").status_code == 302
    assert client.get("/notifications/badge").status_code == 302


def test_marking_read_needs_a_csrf_token(db_url, app, people):
    """With CSRF checks on (as in production), a forged POST is refused and changes nothing."""
    checked = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": db_url})
    item = add(app, people[0])
    client = checked.test_client()
    page = client.get("/login").get_data(as_text=True)
    csrf = CSRF_RE.search(page).group(1)
    client.post("/login", data={"login": "stud", "password": "demo", "csrf_token": csrf})
    assert client.post(f"/notifications/{item}/read").status_code == 400
    assert client.post("/notifications/read-all").status_code == 400
    assert count(app, read_at=None) == 1
    assert client.post(f"/notifications/{item}/read", headers={"X-CSRFToken": csrf}).status_code == 303
    assert count(app, read_at=None) == 0
    with checked.app_context():
        db.engine.dispose()


def test_settings_choose_language_and_e_mail_kinds(client, auth, app, people):
    stud = people[0]
    auth.login("stud")
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert 'data-testid="email-grade_changed"' in page and "stud@example.edu.pl" in page
    r = post(client, "/notifications/settings", {"lang": "en", "email": ["meeting_accepted", "exam_draw"]})
    assert r.status_code == 303
    with app.app_context():
        row = db.session.get(NotificationSettings, stud.id)
        assert row.chosen_lang == "en" and "grade_changed" in row.email_off
        assert "meeting_accepted" not in row.email_off and "exam_draw" not in row.email_off
    r = post(client, "/notifications/settings", {"lang": "xx", "email": ["meeting_accepted"]})
    assert r.status_code == 422
    r = post(client, "/notifications/settings", {"lang": "", "email": ["nonsense"]})
    assert r.status_code == 422
    with app.app_context():
        assert db.session.get(NotificationSettings, stud.id).chosen_lang == "en"


def test_the_interface_language_used_is_remembered_for_messages(client, auth, app, people):
    from portal.notifications.services import language_of
    stud = people[0]
    auth.login("stud")  # signing in records the language of the interface
    with app.app_context():
        assert db.session.get(NotificationSettings, stud.id).last_lang == "pl"
    client.post("/lang/en", data={"next": "/"})
    with app.app_context():
        assert db.session.get(NotificationSettings, stud.id).last_lang == "en"
        assert language_of(db.session.merge(stud)) == "en"
    client.post("/lang/pl", data={"next": "/"})
    with app.app_context():
        assert language_of(db.session.merge(stud)) == "pl"
        db.session.delete(db.session.get(NotificationSettings, stud.id))
        db.session.commit()
    with client.session_transaction() as cookie:
        cookie.pop("notifications_lang")
    client.get("/")
    client.get("/notifications/")
    with app.app_context():
        assert db.session.get(NotificationSettings, stud.id) is None  # pages that only read write nothing
    post(client, "/notifications/read-all")
    with app.app_context():
        assert db.session.get(NotificationSettings, stud.id).last_lang == "pl"


def test_outbox_is_for_administrators(client, auth, app, people):
    item = add(app, people[0])
    auth.login("stud")
    assert client.get("/notifications/outbox").status_code == 403
    assert client.get(f"/notifications/outbox/{item}").status_code == 403
    auth.logout()
    auth.login("boss")
    page = client.get("/notifications/outbox").get_data(as_text=True)
    assert 'data-testid="no-smtp"' in page and page.count('data-testid="outbox-row"') == 1
    assert "stud@example.edu.pl" in page
    one = client.get(f"/notifications/outbox/{item}")
    assert one.status_code == 200
    body = one.get_data(as_text=True)
    assert "Konsultacje, prowadzi: dr Anna Nowak" in body and "METHOD" not in body  # no calendar part here
    assert client.get("/notifications/outbox/999999").status_code == 404
    assert client.get("/notifications/outbox?state=failed").get_data(as_text=True).count(
        'data-testid="outbox-row"') == 0


def test_send_without_smtp_says_so_and_keeps_the_messages(runner, app, people):
    add(app, people[0])
    result = runner.invoke(args=["notifications", "send"])
    assert result.exit_code == 1 and "No SMTP server configured (MAIL_SERVER): 1 message(s)" in result.output
    assert count(app, mail_status="queued") == 1
    assert "queued 1" in runner.invoke(args=["notifications", "status"]).output


def test_coalescing_keeps_the_first_before_and_drops_a_change_undone(app, people):
    stud = people[0]
    ctx = {"course": {"pl": "P"}, "report": {"pl": "R"}, "session": {"pl": "S"}, "comment": None, "old_comment": None}
    key = dict(coalesce_key="grade:1:1", keep=("old", "old_comment"),
               drop_if=lambda c: c["old"] == c["new"] and c["old_comment"] == c["comment"])
    with app.app_context():
        user = db.session.merge(stud)
        notify(user, "grade_changed", {**ctx, "old": "3", "new": "4"}, **key)
        notify(user, "grade_changed", {**ctx, "old": "4", "new": "4.5"}, **key)
        db.session.commit()
        rows = db.session.scalars(db.select(Notification)).all()
        assert [(r.context["old"], r.context["new"]) for r in rows] == [("3", "4.5")]
        notify(user, "grade_changed", {**ctx, "old": "4.5", "new": "3"}, **key)
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count(Notification.id))) == 0
