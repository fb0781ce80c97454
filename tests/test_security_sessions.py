"""Sign-ins the server can end: sign-out ends the session and remember cookies for good,
"sign out of all devices", the sign-ins page, expiry, and a loader of one query."""
from datetime import timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from flask_login import current_user, login_user
from sqlalchemy import event

from portal.auth import sessions
from portal.auth.models import User, UserSession, utcnow
from portal.extensions import db


@pytest.fixture
def person(make):
    return make.user("student1", student=True)


def sign_in(app, remember=False, agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"):
    client = app.test_client()
    data = {"login": "student1", "password": "demo"}
    if remember:
        data["remember"] = "y"
    r = client.post("/login", data=data, headers={"User-Agent": agent, "Accept-Language": "en"})
    assert r.status_code == 302
    return client


def replay(app, **cookies):
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


def records(app):
    with app.app_context():
        return db.session.scalars(db.select(UserSession)).all()


def test_session_cookie_saved_before_sign_out_is_refused_after(app, person):
    client = sign_in(app)
    saved = client.get_cookie("session").value
    assert replay(app, session=saved).get("/").status_code == 200  # the copy works while signed in
    client.post("/logout")
    assert records(app) == []
    r = replay(app, session=saved).get("/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_remember_cookie_saved_before_sign_out_is_refused_after(app, person):
    client = sign_in(app, remember=True)
    saved = client.get_cookie("remember_token").value
    assert replay(app, remember_token=saved).get("/").status_code == 200  # it alone signs in
    client.post("/logout")
    r = replay(app, remember_token=saved).get("/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_sign_out_of_all_devices(app, person):
    laptop, phone = sign_in(app), sign_in(app, agent="Mozilla/5.0 (Linux; Android 15) Chrome/139.0 Mobile")
    assert len(records(app)) == 2
    page = laptop.get("/account/sessions", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert page.count('data-testid="session"') == 2 and page.count('data-testid="this-device"') == 1
    assert "Firefox, Linux" in page and "Chrome, Android" in page
    r = laptop.post("/account/sessions/end-all")
    assert r.status_code == 303 and r.headers["Location"] == "/login"
    assert records(app) == []
    assert phone.get("/").status_code == 302 and laptop.get("/").status_code == 302


def test_sign_out_one_other_device(app, person, make):
    laptop, phone = sign_in(app), sign_in(app)
    with app.app_context():
        phone_id = db.session.scalars(db.select(UserSession.id).order_by(UserSession.created.desc())).first()
    make.user("student2", student=True)
    stranger = app.test_client()
    stranger.post("/login", data={"login": "student2", "password": "demo"})
    assert stranger.post(f"/account/sessions/{phone_id}/end").status_code == 404  # not theirs
    assert phone.get("/").status_code == 200
    assert laptop.post(f"/account/sessions/{phone_id}/end").status_code == 303
    assert phone.get("/").status_code == 302 and laptop.get("/").status_code == 200


def test_old_style_and_forged_ids_are_anonymous(app, person):
    with app.test_request_context():
        uid = db.session.scalar(db.select(User.id))
        for raw in (str(uid), f"{uid}:", f"{uid}:nope", "x:y", f"{uid + 1}:{'a' * 43}", f"{uid}:{'a' * 100}", ""):
            assert sessions.load(raw) is None, raw


def test_loader_is_one_query_and_writes_nothing_while_fresh(app, person):
    sign_in(app)
    with app.app_context():
        record = db.session.scalar(db.select(UserSession))
        flask_login_id = f"{record.user_id}:{record.id}"
    statements = []
    with app.test_request_context():
        listener = lambda conn, cursor, statement, *rest: statements.append(statement)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            user = sessions.load(flask_login_id)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
    assert user.login == "student1" and user.get_id() == flask_login_id
    statements = [s for s in statements if s.strip().upper() not in ("BEGIN", "BEGIN IMMEDIATE")]
    assert len(statements) == 1 and statements[0].lstrip().upper().startswith("SELECT")


def _age(app, **changes):
    with app.app_context():
        record = db.session.scalar(db.select(UserSession))
        for name, delta in changes.items():
            setattr(record, name, getattr(record, name) - delta)
        db.session.commit()
        return record.id


def _last_seen(app):
    with app.app_context():
        return db.session.scalar(db.select(UserSession.last_seen))


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_last_seen_is_written_at_most_every_five_minutes(app, person, method):
    """GETs write it beside their read transaction, requests that write within their own."""
    @app.route("/_test_write", methods=["POST"])
    def write():
        current_user.login  # noqa: B018  (loads the user, as any signed-in view does)
        db.session.commit()
        return "ok"

    client = sign_in(app)
    path = "/_test_write" if method == "POST" else "/"
    before = _last_seen(app)
    assert client.open(path, method=method).status_code == 200
    assert _last_seen(app) == before
    _age(app, last_seen=timedelta(minutes=6), created=timedelta(minutes=6))
    stale = _last_seen(app)
    assert client.open(path, method=method).status_code == 200
    assert _last_seen(app) > stale + timedelta(minutes=5)


@pytest.mark.parametrize("remember, changes, alive", [
    (False, {"last_seen": timedelta(hours=7)}, True),
    (False, {"last_seen": timedelta(hours=9)}, False),       # idle longer than 8 hours
    (False, {"created": timedelta(hours=13)}, False),        # signed in longer than 12 hours ago
    (True, {"last_seen": timedelta(days=29), "created": timedelta(days=29)}, True),
    (True, {"created": timedelta(days=31)}, False),          # past the remember duration
])
def test_sign_ins_expire(app, person, remember, changes, alive):
    client = sign_in(app, remember=remember)
    _age(app, **changes)
    assert (client.get("/").status_code == 200) == alive


def test_every_login_user_opens_a_server_session(app, person):
    """Any sign-in path (SSO too) that calls login_user gets a sign-in the server can end."""
    @app.route("/_test_sso")
    def sso():
        login_user(db.session.scalar(db.select(User)), remember=True)
        db.session.commit()
        return "ok"

    client = app.test_client()
    assert client.get("/_test_sso").status_code == 200
    [record] = records(app)
    assert record.remember and client.get("/").status_code == 200
    client.post("/logout")
    assert records(app) == [] and client.get("/").status_code == 302


def test_expired_sign_ins_are_forgotten_at_the_next_sign_in(app, person):
    sign_in(app)
    _age(app, last_seen=timedelta(days=40), created=timedelta(days=40))
    sign_in(app)
    [record] = records(app)
    assert utcnow() - record.created < timedelta(minutes=1)


def test_sign_ins_are_shown_in_local_time_on_a_24_hour_clock(app, person):
    laptop = sign_in(app)
    at = (utcnow() - timedelta(minutes=3)).replace(second=0, microsecond=0)
    with app.app_context():
        record = db.session.scalars(db.select(UserSession)).one()
        record.created = record.last_seen = at  # kept in UTC
        db.session.commit()
    local = at.replace(tzinfo=timezone.utc).astimezone(ZoneInfo("Europe/Warsaw"))
    page = laptop.get("/account/sessions", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert page.count(f"{local:%Y}, {local:%H:%M}<") == 2  # "Tue, Dec 1, 2026, 14:05": Warsaw's wall clock
    assert " PM<" not in page and " AM<" not in page


def test_utc_records_are_shown_in_the_institutions_time_zone():
    from datetime import datetime

    from portal import create_app
    from portal.formatting import utc_datetime
    london = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                         "PORTAL_TIMEZONE": "Europe/London"})
    with london.test_request_context("/"):
        assert utc_datetime(datetime(2026, 7, 1, 8, 5), lang="en") == "Wed, Jul 1, 2026, 09:05"  # BST
