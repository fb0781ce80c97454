"""The three-legged OAuth 1.0a flow through the Flask test client: request_token,
authorize page (approve, deny, oob PIN, callback), access_token, revoke_token."""
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from portal.api.models import Token
from portal.extensions import db

from .api_client import signed


def form_answer(r):
    assert r.status_code == 200, r.data
    assert r.mimetype == "application/x-www-form-urlencoded"
    return {k: v[0] for k, v in parse_qs(r.get_data(as_text=True)).items()}


def request_token(api, callback="oob", scopes="studies|grades", **kw):
    params = {"scopes": scopes} if scopes is not None else {}
    r = signed(api.client, "/services/oauth/request_token", api.consumer, params=params,
               callback_uri=callback, **kw)
    return r


def approve(client, auth, key, login="coord", decision="approve", **extra):
    auth.login(login)
    return client.post("/services/oauth/authorize", data={"oauth_token": key, "decision": decision, **extra})


def test_request_token_answer_is_form_encoded_and_stored(app, api):
    answer = form_answer(request_token(api))
    assert answer["oauth_callback_confirmed"] == "true"
    with app.app_context():
        token = db.session.scalar(db.select(Token).filter_by(token=answer["oauth_token"]))
        assert token.kind == "request" and token.scopes == "studies|grades" and token.callback == "oob"
        assert token.user_id is None and token.secret == answer["oauth_token_secret"]


@pytest.mark.parametrize("http,style", [("GET", "header"), ("POST", "body"), ("GET", "query")])
def test_request_token_accepts_every_style(api, http, style):
    r = signed(api.client, "/services/oauth/request_token", api.consumer, params={"scopes": "studies"},
               http=http, style=style, callback_uri="oob")
    assert "oauth_token" in form_answer(r)


def test_request_token_failures(api):
    r = request_token(api, scopes="studies|nonsense")
    assert r.status_code == 400 and r.get_json()["error"] == "param_invalid"
    assert r.get_json()["param_name"] == "scopes"
    r = signed(api.client, "/services/oauth/request_token", (api.consumer[0], "bad"), callback_uri="oob")
    assert r.status_code == 401 and "message" in r.get_json()
    r = signed(api.client, "/services/oauth/request_token", ("nobody", "bad"), callback_uri="oob")
    assert r.status_code == 401
    r = signed(api.client, "/services/oauth/request_token", api.consumer)  # no oauth_callback
    assert r.status_code == 401
    r = api.client.post("/services/oauth/request_token")
    assert r.status_code == 401


def test_authorize_needs_sign_in_then_shows_app_and_scopes(api, uni, client, auth):
    key = form_answer(request_token(api, scopes="studies|grades"))["oauth_token"]
    r = client.get(f"/services/oauth/authorize?oauth_token={key}")
    assert r.status_code == 302 and "/login" in r.location
    next_url = parse_qs(urlsplit(r.location).query)["next"][0]
    assert next_url.startswith("/services/oauth/authorize") and key in next_url
    r = client.post("/login?next=" + next_url, data={"login": "coord", "password": "demo"})
    assert r.status_code == 302 and r.location.endswith(next_url)
    page = client.get(next_url).get_data(as_text=True)
    assert "Test app" in page and "studies" in page and "grades" in page
    assert 'name="decision" value="approve"' in page


def test_oob_flow_pin_then_access_token_then_calls(app, api, uni, client, auth):
    issued = form_answer(request_token(api))
    r = approve(client, auth, issued["oauth_token"])
    assert r.status_code == 200
    pin = re.search(r'data-testid="pin"[^>]*>(\d+)<', r.get_data(as_text=True)).group(1)
    temp = (issued["oauth_token"], issued["oauth_token_secret"])
    access = form_answer(signed(api.client, "/services/oauth/access_token", api.consumer, token=temp, verifier=pin))
    assert set(access) == {"oauth_token", "oauth_token_secret"}
    with app.app_context():
        token = db.session.scalar(db.select(Token).filter_by(token=access["oauth_token"]))
        assert token.kind == "access" and token.user_id == uni.coordinator.id
        assert token.scope_list == ["studies", "grades"]
        assert db.session.scalar(db.select(Token).filter_by(token=temp[0])) is None  # used up
    pair = (access["oauth_token"], access["oauth_token_secret"])
    r = signed(api.client, "/services/users/user", api.consumer, token=pair)
    assert r.status_code == 200 and r.get_json()["id"] == str(uni.coordinator.id)
    # the request token cannot be exchanged twice
    r = signed(api.client, "/services/oauth/access_token", api.consumer, token=temp, verifier=pin)
    assert r.status_code == 401


def test_wrong_verifier_is_401_and_burns_the_request_token(app, api, uni, client, auth):
    issued = form_answer(request_token(api))
    approve(client, auth, issued["oauth_token"])
    temp = (issued["oauth_token"], issued["oauth_token_secret"])
    r = signed(api.client, "/services/oauth/access_token", api.consumer, token=temp, verifier="00000000")
    assert r.status_code == 401 and "message" in r.get_json()
    with app.app_context():
        assert db.session.scalar(db.select(Token).filter_by(token=temp[0])) is None


def test_unapproved_request_token_gets_no_access_token(api, uni):
    issued = form_answer(request_token(api))
    temp = (issued["oauth_token"], issued["oauth_token_secret"])
    r = signed(api.client, "/services/oauth/access_token", api.consumer, token=temp, verifier="12345678")
    assert r.status_code == 401


def test_callback_flow_redirects_with_verifier(api, uni, client, auth):
    issued = form_answer(request_token(api, callback="https://app.example.com/back?x=1"))
    r = approve(client, auth, issued["oauth_token"])
    assert r.status_code == 303
    parts = urlsplit(r.location)
    assert parts.netloc == "app.example.com" and parts.path == "/back"
    query = parse_qs(parts.query)
    assert query["oauth_token"] == [issued["oauth_token"]] and query["x"] == ["1"]
    temp = (issued["oauth_token"], issued["oauth_token_secret"])
    r = signed(api.client, "/services/oauth/access_token", api.consumer, token=temp,
               verifier=query["oauth_verifier"][0])
    assert "oauth_token" in form_answer(r)


def test_deny(app, api, uni, client, auth):
    issued = form_answer(request_token(api, callback="https://app.example.com/back"))
    r = approve(client, auth, issued["oauth_token"], decision="deny")
    assert r.status_code == 303 and "error=access_denied" in r.location
    with app.app_context():
        assert db.session.scalar(db.select(Token).filter_by(token=issued["oauth_token"])) is None
    issued = form_answer(request_token(api))
    r = client.post("/services/oauth/authorize", data={"oauth_token": issued["oauth_token"], "decision": "deny"})
    assert r.status_code == 200 and 'data-testid="denied"' in r.get_data(as_text=True)
    assert client.get(f"/services/oauth/authorize?oauth_token={issued['oauth_token']}").status_code == 400


def test_authorize_refuses_unknown_used_and_expired_tokens(app, api, uni, client, auth):
    auth.login("coord")
    assert client.get("/services/oauth/authorize?oauth_token=nope").status_code == 400
    assert client.get("/services/oauth/authorize").status_code == 400
    issued = form_answer(request_token(api))
    with app.app_context():
        token = db.session.scalar(db.select(Token).filter_by(token=issued["oauth_token"]))
        token.created -= timedelta(hours=2)
        db.session.commit()
    assert client.get(f"/services/oauth/authorize?oauth_token={issued['oauth_token']}").status_code == 400


def test_interactivity_minimal_skips_the_question_after_an_earlier_approval(api, uni, client, auth):
    first = form_answer(request_token(api, callback="https://app.example.com/cb"))
    approve(client, auth, first["oauth_token"])
    second = form_answer(request_token(api, callback="https://app.example.com/cb", scopes="studies"))
    r = client.get(f"/services/oauth/authorize?oauth_token={second['oauth_token']}&interactivity=minimal")
    assert r.status_code == 200  # no access token yet: still asks
    r = client.post("/services/oauth/authorize", data={"oauth_token": first["oauth_token"]})
    assert r.status_code == 400  # already authorized once
    verifier = parse_qs(urlsplit(approve(client, auth, second["oauth_token"]).location).query)["oauth_verifier"][0]
    signed(api.client, "/services/oauth/access_token", api.consumer,
           token=(second["oauth_token"], second["oauth_token_secret"]), verifier=verifier)
    third = form_answer(request_token(api, callback="https://app.example.com/cb", scopes="studies"))
    r = client.get(f"/services/oauth/authorize?oauth_token={third['oauth_token']}&interactivity=confirm_user")
    assert r.status_code == 200 and 'value="approve"' in r.get_data(as_text=True)
    r = client.get(f"/services/oauth/authorize?oauth_token={third['oauth_token']}")  # minimal is the default
    assert r.status_code == 303 and "oauth_verifier=" in r.location
    wider = form_answer(request_token(api, callback="https://app.example.com/cb", scopes="studies|email"))
    r = client.get(f"/services/oauth/authorize?oauth_token={wider['oauth_token']}")
    assert r.status_code == 200  # more than approved before: asks again


def test_authorize_post_needs_csrf(app, api, uni):
    client = app.test_client()
    r = client.post("/login", data={"login": "coord", "password": "demo"}, csrf=False)
    assert r.status_code == 400  # the login form needs CSRF too
    issued = form_answer(request_token(api))
    page = client.get(f"/services/oauth/authorize?oauth_token={issued['oauth_token']}")
    assert page.status_code == 302  # not signed in
    from .conftest import CSRF_RE
    login_page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"login": "coord", "password": "demo",
                                "csrf_token": CSRF_RE.search(login_page).group(1)})
    page = client.get(f"/services/oauth/authorize?oauth_token={issued['oauth_token']}").get_data(as_text=True)
    r = client.post("/services/oauth/authorize", data={"oauth_token": issued["oauth_token"], "decision": "approve"},
                    csrf=False)
    assert r.status_code == 400  # CSRF protection refuses the forged approval
    with app.app_context():
        assert db.session.scalar(db.select(Token).filter_by(token=issued["oauth_token"])).verifier is None
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    r = client.post("/services/oauth/authorize", data={"oauth_token": issued["oauth_token"], "decision": "approve",
                                                       "csrf_token": csrf})
    assert 'data-testid="pin"' in r.get_data(as_text=True)


def test_revoke_token(app, api, uni):
    pair = api.token_for(uni.student)
    r = api.call("services/oauth/revoke_token", token=pair)
    assert r.status_code == 200 and r.get_json() == {}
    r = api.call("services/users/user", token=pair)
    assert r.status_code == 401
    with app.app_context():
        assert db.session.scalar(db.select(Token).filter_by(token=pair[0])).revoked


def test_a_request_token_used_up_by_another_exchange_meanwhile_is_401(app, api, uni, client, auth, monkeypatch):
    """Two exchanges of one verifier at once: the second may find the request token gone only
    after its checks (the nonce's commit expires what it read). It is refused, never a 500."""
    from portal.api import oauth
    issued = form_answer(request_token(api))
    pin = re.search(r'data-testid="pin"[^>]*>(\d+)<', approve(client, auth, issued["oauth_token"])
                    .get_data(as_text=True)).group(1)
    record = oauth.Verifier.record_nonce

    def record_then_the_other_exchange_wins(self, nonce, req):
        replayed = record(self, nonce, req)
        db.session.execute(db.delete(Token).where(Token.token == issued["oauth_token"]))  # the other one
        db.session.commit()
        return replayed
    monkeypatch.setattr(oauth.Verifier, "record_nonce", record_then_the_other_exchange_wins)
    r = signed(api.client, "/services/oauth/access_token", api.consumer,
               token=(issued["oauth_token"], issued["oauth_token_secret"]), verifier=pin)
    assert r.status_code == 401, r.get_data(as_text=True)[:300]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Token.id)).filter_by(kind="access")) == 0
