"""Sign-in throttling: per account and address, per address, per account, trusted devices;
the message says when to try again; counters live in the database (shared by every worker)."""
import threading
from datetime import timedelta

import pytest
import requests

from portal.auth import throttle
from portal.auth.models import SignInThrottle, utcnow
from portal.extensions import db

from .conftest import CSRF_RE

WRONG = "Wrong login or password."
THROTTLED = "Too many failed sign-in attempts. Try again"


@pytest.fixture
def person(make):
    return make.user("student1", student=True)


def attempt(app, password="nope", address="192.0.2.1", login="student1", client=None, lang="en"):
    client = client or app.test_client()
    r = client.post("/login", data={"login": login, "password": password},
                    environ_base={"REMOTE_ADDR": address}, headers={"Accept-Language": lang})
    return r, r.get_data(as_text=True)


def outcome(app, **kw):
    r, body = attempt(app, **kw)
    if r.status_code == 302:
        return "in"
    assert r.status_code == 200
    if THROTTLED in body:
        return "throttled"
    assert WRONG in body
    return "wrong"


def row(app, key):
    with app.app_context():
        return db.session.get(SignInThrottle, key)


def unlock(app, key):
    """As if the delay had passed."""
    with app.app_context():
        entry = db.session.get(SignInThrottle, key)
        entry.locked_until = utcnow() - timedelta(seconds=1)
        db.session.commit()


def test_five_failures_then_a_delay_that_says_when(app, person):
    assert [outcome(app) for _ in range(5)] == ["wrong"] * 5
    r, body = attempt(app, password="demo")  # even the right password waits now
    assert r.status_code == 200 and "Try again in 30 seconds (at " in body
    assert outcome(app, address="198.51.100.7", password="demo") == "in"  # the person, elsewhere


def test_the_message_is_in_polish_too(app, person):
    for _ in range(5):
        attempt(app)
    _r, body = attempt(app, lang="pl")
    assert "Zbyt wiele nieudanych prób logowania. Spróbuj ponownie za 30 sekund (o " in body


def test_the_delay_grows_and_success_starts_again(app, person):
    for _ in range(5):
        attempt(app)
    key = "pair:student1|192.0.2.1"
    first = row(app, key).locked_until - row(app, key).last_failure
    unlock(app, key)
    assert outcome(app) == "wrong"
    second = row(app, key).locked_until - row(app, key).last_failure
    assert (first, second) == (timedelta(seconds=30), timedelta(seconds=60))
    unlock(app, key)
    assert outcome(app, password="demo") == "in"
    assert row(app, key) is None and row(app, "acct:student1").failures == 6
    assert row(app, "acct:student1").locked_until is None


def test_many_addresses_lock_the_account_only_for_browsers_it_does_not_know(app, person):
    own_browser = app.test_client()
    assert outcome(app, client=own_browser, password="demo", address="203.0.113.5") == "in"
    own_browser.post("/logout")
    for i in range(20):  # a botnet: one guess from each of 20 addresses
        assert outcome(app, address=f"10.0.0.{i}") == "wrong"
    assert outcome(app, address="10.0.1.1", password="demo") == "throttled"  # a new browser waits
    assert outcome(app, client=own_browser, password="demo", address="203.0.113.5") == "in"


def test_a_device_cookie_counts_on_its_own_and_only_for_its_login(app, person, make):
    make.user("student2", student=True)
    browser = app.test_client()
    assert outcome(app, client=browser, password="demo") == "in"
    cookie = browser.get_cookie(throttle.DEVICE_COOKIE)
    assert cookie.http_only and cookie.same_site == "Lax"
    browser.post("/logout")
    assert [outcome(app, client=browser) for _ in range(10)] == ["wrong"] * 10
    assert outcome(app, client=browser, password="demo") == "throttled"
    assert row(app, "pair:student1|192.0.2.1") is None  # counted on the device, not the address
    assert outcome(app, client=browser, login="student2") == "wrong"  # another login: not trusted
    assert row(app, "pair:student2|192.0.2.1").failures == 1
    forged = app.test_client()
    with app.app_context():
        forged.set_cookie(throttle.DEVICE_COOKIE, throttle.device_cookie("student1")[:-3] + "abc")
    assert outcome(app, client=forged) == "wrong" and row(app, "pair:student1|192.0.2.1").failures == 1


def test_one_address_spraying_many_accounts_is_stopped(app, person, monkeypatch):
    monkeypatch.setitem(throttle.LIMITS, "addr", 12)  # the rule, with fewer password hashes than 50
    for i in range(12):
        assert outcome(app, login=f"nobody{i}") == "wrong"
    assert outcome(app, password="demo") == "throttled"
    assert outcome(app, password="demo", address="192.0.2.2") == "in"


def test_forwarded_for_counts_only_from_a_trusted_proxy(app, person):
    client = app.test_client()
    for i in range(5):
        client.post("/login", data={"login": "student1", "password": "nope"},
                    headers={"X-Forwarded-For": f"192.0.2.{100 + i}"})
    assert row(app, "pair:student1|127.0.0.1").failures == 5
    app.config["PORTAL_TRUSTED_PROXIES"] = 1
    client.post("/login", data={"login": "student1", "password": "nope"}, headers={"X-Forwarded-For": "192.0.2.200"})
    assert row(app, "pair:student1|192.0.2.200").failures == 1


def test_ipv6_is_counted_by_its_64_block():
    assert throttle.network("2001:db8::1") == throttle.network("2001:db8::ffff:1") == "2001:db8::/64"
    assert throttle.network("2001:db8:0:1::1") != throttle.network("2001:db8::1")
    assert throttle.network("::ffff:192.0.2.1") == "192.0.2.1" and throttle.network("junk") == "unknown"


@pytest.mark.live
def test_simultaneous_guesses_on_two_workers_share_one_counter(app, person, live_server):
    """20 guesses at once, spread over two gunicorn workers: exactly 5 get their password checked."""
    server = live_server(workers=2)
    sessions = []
    for _ in range(20):
        s = requests.Session()
        token = CSRF_RE.search(s.get(server.url + "/login").text).group(1)
        sessions.append((s, token))
    barrier, results = threading.Barrier(20), []

    def guess(s, token):
        barrier.wait()
        r = s.post(server.url + "/login", data={"login": "student1", "password": "nope", "csrf_token": token},
                   headers={"Accept-Language": "en"}, timeout=60)
        results.append("throttled" if THROTTLED in r.text else "wrong" if WRONG in r.text else r.status_code)

    threads = [threading.Thread(target=guess, args=pair) for pair in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["throttled"] * 15 + ["wrong"] * 5, results
    assert row(app, "pair:student1|127.0.0.1").failures == 5
    assert "Traceback" not in server.errors()


def test_old_counters_are_forgotten(app, person, monkeypatch):
    attempt(app, login="someone")
    with app.app_context():
        for entry in db.session.scalars(db.select(SignInThrottle)):
            entry.last_failure -= timedelta(hours=2)
        db.session.commit()
    monkeypatch.setattr(throttle.random, "random", lambda: 0.0)
    assert outcome(app, password="demo") == "in"
    with app.app_context():
        assert db.session.scalars(db.select(SignInThrottle.key)).all() == ["acct:student1"]
