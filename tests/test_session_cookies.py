"""Session cookies a worker has verified are kept (portal.security.cookie): what a kept cookie
gives is still what checking it would give (age, keys, a request's own changes)."""
import time
from datetime import timedelta

import pytest

HOME = "/"


@pytest.fixture
def browser(app, make):
    make.user("student1", student=True)
    client = app.test_client()
    assert client.post("/login", data={"login": "student1", "password": "demo"}).status_code == 302
    assert client.get(HOME).status_code == 200  # its cookie is known to the worker now
    return client


def test_a_kept_cookie_expires_as_its_signature_says(app, browser, monkeypatch):
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=30)
    assert browser.get(HOME).status_code == 200
    later = time.time() + 60
    monkeypatch.setattr(time, "time", lambda: later)
    r = browser.get(HOME)
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_a_new_secret_key_ends_the_kept_cookies(app, browser):
    app.config["SECRET_KEY"] = "another key of this instance, after a rotation"
    r = browser.get(HOME)
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_a_kept_session_is_copied_and_one_with_a_list_is_not_kept(app):
    interface = app.session_interface
    serializer = interface.get_signing_serializer(app)
    name = interface.get_cookie_name(app)
    plain, listed = serializer.dumps({"lang": "en"}), serializer.dumps({"_flashes": [["info", "Saved."]]})
    with app.test_request_context(HOME, headers={"Cookie": f"{name}={plain}"}) as ctx:
        session = interface.open_session(app, ctx.request)
        session["lang"] = "pl"
        assert interface.open_session(app, ctx.request)["lang"] == "en"
    with app.test_request_context(HOME, headers={"Cookie": f"{name}={listed}"}) as ctx:
        interface.open_session(app, ctx.request)["_flashes"].append(["info", "Another."])
        assert interface.open_session(app, ctx.request)["_flashes"] == [["info", "Saved."]]
