"""What a worker keeps of the session cookies (portal.security.cookie) and CSRF tokens
(portal.security.csrf) it has verified: what a kept one gives is still what checking it would
give (age, keys, whose session, a request's own changes)."""
import time
from datetime import timedelta

import pytest

from .browser_client import CSRF_META_RE
from .factories_exams import ExamFactory

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


def token_of(client):
    return CSRF_META_RE.search(client.get(HOME).get_data(as_text=True)).group(1)


def test_a_kept_token_is_good_only_with_the_session_it_was_made_for(app, make):
    uni = make.university()
    ex = ExamFactory(app).setup(uni)
    url = f"/exams/{ex.exam.id}/slots/{ex.slot1.id}"
    owner, other = app.test_client(), app.test_client()
    for client, login in ((owner, "stud1"), (other, "stud2")):
        assert client.post("/login", data={"login": login, "password": "demo"}).status_code == 302
    token = token_of(owner)
    assert owner.post(url, headers={"HX-Request": "true", "X-CSRFToken": token}).status_code == 200  # kept now
    r = other.post(url, headers={"HX-Request": "true", "X-CSRFToken": token})
    assert r.status_code == 400 and "The CSRF tokens do not match." in r.get_data(as_text=True)
    app.config["WTF_CSRF_SECRET_KEY"] = "a key of its own for the tokens, from now on"
    r = owner.post(url, headers={"HX-Request": "true", "X-CSRFToken": token})
    assert r.status_code == 400 and "The CSRF token is invalid." in r.get_data(as_text=True)


def test_a_kept_token_over_https_still_needs_the_sites_referrer(app, make):
    uni = make.university()
    ex = ExamFactory(app).setup(uni)
    url = f"/exams/{ex.exam.id}/slots/{ex.slot1.id}"
    client = app.test_client()
    https = {"base_url": "https://localhost"}
    assert client.post("/login", data={"login": "stud1", "password": "demo"}, headers={"Referer": "https://localhost/"},
                       **https).status_code == 302
    token = CSRF_META_RE.search(client.get(HOME, **https).get_data(as_text=True)).group(1)
    ours = {"HX-Request": "true", "X-CSRFToken": token, "Referer": "https://localhost/"}
    assert client.post(url, headers=ours, **https).status_code == 200  # kept now
    r = client.post(url, headers=dict(ours, Referer="https://elsewhere.example/"), **https)
    assert r.status_code == 400 and "The referrer does not match the host." in r.get_data(as_text=True)
    no_referrer = {k: v for k, v in ours.items() if k != "Referer"}
    r = client.post(url, headers=no_referrer, **https)
    assert r.status_code == 400 and "The referrer header is missing." in r.get_data(as_text=True)


def test_what_a_worker_keeps_is_bounded():
    from portal.kept import Kept
    kept = Kept(2)
    assert kept.keep("a", 1) == 1 and kept.keep("b", 2) == 2
    assert kept.keep("c", 3) == 3
    assert kept == {"c": 3}  # full: emptied before keeping the new one, never more than its size
    calls = []
    assert kept.get_or_keep("c", lambda: calls.append(1)) == 3 and calls == []  # kept: not worked out again
    assert kept.get_or_keep("d", lambda: calls.append(1) or 4) == 4 and calls == [1] and kept["d"] == 4


def test_a_session_is_given_the_token_signed_once_and_only_its_own(app, browser, make, monkeypatch):
    first = token_of(browser)
    later = time.time() + 10
    monkeypatch.setattr(time, "time", lambda: later)  # a signature made now would carry another time
    page = browser.get(HOME).get_data(as_text=True)
    assert CSRF_META_RE.search(page).group(1) == first
    assert f'name="csrf_token" value="{first}"' in page  # the forms of the page carry the same one
    make.user("student2", student=True)
    other = app.test_client()
    assert other.post("/login", data={"login": "student2", "password": "demo"}).status_code == 302
    assert token_of(other) not in (first, "")
    app.config["WTF_CSRF_SECRET_KEY"] = "a key of its own for the tokens, from now on"
    assert token_of(browser) != first  # signed with the new key


def test_tokens_that_expire_are_signed_for_every_page(app, browser, monkeypatch):
    app.config["WTF_CSRF_TIME_LIMIT"] = 3600
    first = token_of(browser)
    later = time.time() + 10
    monkeypatch.setattr(time, "time", lambda: later)
    assert token_of(browser) != first


def test_the_navigation_worked_out_once_speaks_each_language_and_marks_the_section(app, browser):
    polish = browser.get("/exams/").get_data(as_text=True)
    assert '<a href="/exams/"\n                 aria-current="page">Egzaminy</a>' in polish
    assert browser.post("/lang/en", data={"next": "/exams/"}).status_code == 303
    english = browser.get("/exams/").get_data(as_text=True)
    assert '<a href="/exams/"\n                 aria-current="page">Exams</a>' in english and "Egzaminy" not in english
    assert '<link rel="stylesheet" href="/static/css/indeks.css">' in english
