"""A real OAuth 1.0a client library (requests-oauthlib) against a live gunicorn: the whole
three-legged flow including signing in and approving on the authorize page, then signed
calls in every style, and the failures a client must see."""
import re

import pytest
import requests
from oauthlib.oauth1 import SIGNATURE_PLAINTEXT, SIGNATURE_TYPE_BODY, SIGNATURE_TYPE_QUERY
from requests_oauthlib import OAuth1, OAuth1Session

from .conftest import CSRF_RE

pytestmark = pytest.mark.live
FORM_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def browser_approves(url, login="coord"):
    """A person opens the authorize URL, signs in on the way, and presses Allow; returns the PIN."""
    s = requests.Session()
    r = s.get(url)
    assert "/login" in r.url  # not signed in yet
    r = s.post(r.url, data={"login": login, "password": "demo", "csrf_token": CSRF_RE.search(r.text).group(1)})
    assert r.status_code == 200 and "/services/oauth/authorize" in r.url
    assert "Test app" in r.text and "studies" in r.text and "grades" in r.text
    token = re.search(r'name="oauth_token" value="([^"]+)"', r.text).group(1)
    r = s.post(r.url.split("?")[0], data={"oauth_token": token, "decision": "approve",
                                          "csrf_token": FORM_CSRF.search(r.text).group(1)})
    assert r.status_code == 200
    return re.search(r'data-testid="pin"[^>]*>(\d+)<', r.text).group(1)


def test_requests_oauthlib_against_live_server(live_server, api, make):
    uni = make.university()
    srv = live_server(workers=2)
    key, secret = api.consumer
    base = srv.url + "/services/"

    # 1. the three-legged flow
    session = OAuth1Session(key, client_secret=secret, callback_uri="oob")
    temp = session.fetch_request_token(base + "oauth/request_token?scopes=studies|grades")
    assert temp["oauth_callback_confirmed"] == "true"
    pin = browser_approves(session.authorization_url(base + "oauth/authorize"))
    access = session.fetch_access_token(base + "oauth/access_token", verifier=pin)
    tk, ts = access["oauth_token"], access["oauth_token_secret"]

    # 2. signed calls: header (GET and POST), query, body, PLAINTEXT
    me = session.get(base + "users/user", params={"fields": "id|first_name|last_name"})
    assert me.status_code == 200 and me.json()["id"] == str(uni.coordinator.id)
    assert session.post(base + "users/user", data={"fields": "id"}).json() == {"id": str(uni.coordinator.id)}
    for auth in (OAuth1(key, secret, tk, ts, signature_type=SIGNATURE_TYPE_QUERY),
                 OAuth1(key, secret, tk, ts, signature_type=SIGNATURE_TYPE_BODY),
                 OAuth1(key, secret, tk, ts, signature_method=SIGNATURE_PLAINTEXT)):
        r = requests.post(base + "users/user", data={"fields": "id|titles"}, auth=auth)
        assert r.status_code == 200, (auth.client.signature_type, r.text)
        assert r.json() == {"id": str(uni.coordinator.id), "titles": {"before": "dr", "after": None}}
    r = requests.get(base + "users/user?fields=id|last_name", auth=OAuth1(key, secret, tk, ts,
                                                                         signature_type=SIGNATURE_TYPE_QUERY))
    assert r.status_code == 200 and set(r.json()) == {"id", "last_name"}
    terms = session.get(base + "terms/terms_index")
    assert terms.status_code == 200 and terms.json()[0]["id"] == uni.term.id
    index = session.get(base + "apiref/method_index").json()
    assert {"name": "services/users/user", "brief_description": "Information on a user."} in index

    # 3. formats
    xml = session.get(base + "users/user", params={"fields": "id", "format": "xmlmap2"})
    assert xml.headers["Content-Type"].startswith("text/xml") and f'<string key="id">{uni.coordinator.id}<' in xml.text
    jsonp = session.get(base + "users/user", params={"fields": "id", "format": "jsonp", "callback": "cb"})
    assert jsonp.text == f'cb({{"id": "{uni.coordinator.id}"}});'

    # 4. failures: bad signature, replayed nonce
    assert requests.get(base + "users/user", auth=OAuth1(key, "wrong", tk, ts)).status_code == 401
    prepared = requests.Request("GET", base + "users/user", auth=OAuth1(key, secret, tk, ts)).prepare()
    with requests.Session() as raw:
        assert raw.send(prepared).status_code == 200
        replay = raw.send(prepared)
    assert replay.status_code == 401 and "message" in replay.json()

    # 5. scopes and administrative enforcement
    docs = [requests.get(base + "apiref/method", params={"name": m["name"]}).json() for m in index]
    scoped = [d for d in docs if set(d["auth_options"]["scopes"]) - {"studies", "grades"}
              and d["auth_options"]["token"] == "required" and not d["auth_options"]["administrative_only"]]
    assert scoped, "some method needs a scope this token lacks"
    r = session.post(srv.url + "/" + scoped[0]["name"])
    assert r.status_code == 403 and r.json()["reason"] == "scope_missing"
    assert set(r.json()["missing_scopes"]) == set(scoped[0]["auth_options"]["scopes"]) - {"studies", "grades"}
    r = session.get(base + "users/user", params={"as_user_id": uni.student.id})
    assert r.status_code == 403 and r.json()["reason"] == "impersonate_required"
    admin_key, admin_secret = api.admin_consumer
    r = requests.get(base + "users/user", params={"as_user_id": uni.student.id, "fields": "id"},
                     auth=OAuth1(admin_key, admin_secret))
    assert r.status_code == 200 and r.json() == {"id": str(uni.student.id)}
    for doc in (d for d in docs if d["auth_options"]["administrative_only"]):
        r = session.post(srv.url + "/" + doc["name"])
        assert r.status_code == 403 and r.json()["reason"] == "trusted_required", doc["name"]
    assert requests.get(base + "apisrv/consumer", auth=OAuth1(key, secret)).json()["name"] == "Test app"

    # 6. a revoked token
    assert session.post(base + "oauth/revoke_token").json() == {}
    assert session.get(base + "users/user").status_code == 401
    assert "Traceback" not in srv.errors()


def test_one_verifier_exchanged_twice_at_once_gives_one_access_token(live_server, api, make, app, db_url):
    """Two exchanges of the same request token and verifier, released together: exactly one
    access token, the other a clean 401, and no second token in the database."""
    import threading

    from portal.api.models import Token
    from portal.extensions import db

    from .test_rush_refusals import held

    make.university()
    srv = live_server(workers=2)
    key, secret = api.consumer
    base = srv.url + "/services/"
    session = OAuth1Session(key, client_secret=secret, callback_uri="oob")
    temp = session.fetch_request_token(base + "oauth/request_token?scopes=studies")
    pin = browser_approves(session.authorization_url(base + "oauth/authorize"))
    with app.app_context():
        row_id = db.session.scalar(db.select(Token.id).filter_by(token=temp["oauth_token"]))
        db.session.rollback()
    answers = []

    def exchange():
        client = OAuth1Session(key, client_secret=secret, resource_owner_key=temp["oauth_token"],
                               resource_owner_secret=temp["oauth_token_secret"], verifier=pin)
        answers.append(client.post(base + "oauth/access_token").status_code)

    with held(app, db_url, "oauth_tokens", row_id):
        threads = [threading.Thread(target=exchange) for _ in range(2)]
        for t in threads:
            t.start()
        wait_until_waiting(app, db_url, 2)
    for t in threads:
        t.join(30)
    assert sorted(answers) == [200, 401], (answers, srv.errors())
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Token.id)).filter_by(kind="access")) == 1
    assert "Traceback" not in srv.errors()


def wait_until_waiting(app, db_url, n):
    """Until n other connections wait for a lock (PostgreSQL), or a moment for SQLite, whose
    writers wait in the busy handler, out of sight."""
    import time

    from .conftest import BACKEND
    if BACKEND == "sqlite":
        time.sleep(1.0)  # not an outcome: the lock is held either way; this only lets both arrive
        return
    import psycopg
    url = db_url.replace("postgresql+psycopg://", "postgresql://")
    deadline = time.time() + 20
    with psycopg.connect(url) as conn:
        while time.time() < deadline:
            waiting = conn.execute("SELECT count(*) FROM pg_locks WHERE NOT granted").fetchone()[0]
            if waiting >= n:
                return
            time.sleep(0.05)
    raise AssertionError("the exchanges never reached the lock")
