"""OAuth hardening: nonces recorded only after the signature verifies; with PORTAL_REQUIRE_SSL the
OAuth endpoints and PLAINTEXT-signed calls refuse plain HTTP; X-Forwarded-Proto only from trusted proxies."""
import time

import pytest

from portal.api.models import Nonce
from portal.extensions import db

from .api_client import signed


def nonces(app):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(Nonce.id)))


def test_forged_request_neither_burns_the_nonce_nor_writes(app, api, uni):
    pair = api.token_for(uni.student)
    stamp = str(int(time.time()))
    forged = signed(api.client, "/services/users/user", (api.consumer[0], "not-the-secret"), token=pair,
                    nonce="shared-nonce", timestamp=stamp)
    assert forged.status_code == 401 and nonces(app) == 0
    genuine = signed(api.client, "/services/users/user", api.consumer, token=pair, nonce="shared-nonce",
                     timestamp=stamp)
    assert genuine.status_code == 200 and nonces(app) == 1
    replay = signed(api.client, "/services/users/user", api.consumer, token=pair, nonce="shared-nonce",
                    timestamp=stamp)
    assert replay.status_code == 401 and nonces(app) == 1


def test_forged_request_token_call_writes_nothing(app, api):
    r = signed(api.client, "/services/oauth/request_token", (api.consumer[0], "bad"), callback_uri="oob",
               nonce="n-1", timestamp=str(int(time.time())))
    assert r.status_code == 401 and nonces(app) == 0
    r = signed(api.client, "/services/oauth/request_token", api.consumer, callback_uri="oob",
               nonce="n-1", timestamp=str(int(time.time())))
    assert r.status_code == 200 and nonces(app) == 1


@pytest.mark.parametrize("path", ["/services/oauth/request_token", "/services/oauth/access_token"])
def test_oauth_endpoints_refuse_plain_http_when_ssl_is_required(app, api, path):
    app.config["PORTAL_REQUIRE_SSL"] = True
    r = signed(api.client, path, api.consumer, callback_uri="oob")
    assert r.status_code == 403 and r.get_json()["reason"] == "secure_required"
    assert nonces(app) == 0
    r = signed(api.client, "/services/oauth/request_token", api.consumer, callback_uri="oob",
               base="https://localhost")
    assert r.status_code == 200


def test_authorize_page_refuses_plain_http_when_ssl_is_required(app, client):
    app.config["PORTAL_REQUIRE_SSL"] = True
    r = client.get("/services/oauth/authorize?oauth_token=abc", headers={"Accept-Language": "en"})
    assert r.status_code == 403 and "HTTPS only" in r.get_data(as_text=True)
    r = client.get("/services/oauth/authorize?oauth_token=abc", base_url="https://localhost")
    assert r.status_code == 302  # to the sign-in page, over https


@pytest.mark.parametrize("style,http", [("header", "GET"), ("query", "GET"), ("body", "POST")])
def test_plaintext_signed_calls_refuse_plain_http(app, api, uni, style, http):
    app.config["PORTAL_REQUIRE_SSL"] = True
    pair = api.token_for(uni.student)
    r = signed(api.client, "/services/users/user", api.consumer, token=pair, method="PLAINTEXT",
               style=style, http=http)
    assert r.status_code == 403 and r.get_json()["reason"] == "secure_required"
    r = signed(api.client, "/services/apiref/method_index", api.consumer, token=pair, method="PLAINTEXT",
               style=style, http=http)
    assert r.status_code == 403, "even methods that ignore the consumer"
    r = signed(api.client, "/services/users/user", api.consumer, token=pair, method="PLAINTEXT",
               style=style, http=http, base="https://localhost")
    assert r.status_code == 200
    r = signed(api.client, "/services/users/user", api.consumer, token=pair, style=style, http=http)
    assert r.status_code == 200, "HMAC-SHA1 over plain HTTP keeps working for methods not marked SSL"


def test_without_require_ssl_everything_works_over_http(app, api, uni):
    pair = api.token_for(uni.student)
    assert signed(api.client, "/services/users/user", api.consumer, token=pair, method="PLAINTEXT").status_code == 200
    r = signed(api.client, "/services/oauth/request_token", api.consumer, callback_uri="oob")
    assert r.status_code == 200


def test_forwarded_proto_counts_only_from_a_trusted_proxy(app, api):
    app.config["PORTAL_REQUIRE_SSL"] = True
    spoofed = {"X-Forwarded-Proto": "https"}
    r = signed(api.client, "/services/oauth/request_token", api.consumer, callback_uri="oob",
               base="https://localhost", headers=spoofed)
    assert r.status_code == 200
    r = signed(api.client, "/services/oauth/request_token", api.consumer, callback_uri="oob", headers=spoofed)
    assert r.status_code == 403, "a client's own X-Forwarded-Proto is ignored"
    app.config["PORTAL_TRUSTED_PROXIES"] = 1
    r = signed(api.client, "/services/oauth/request_token", api.consumer, callback_uri="oob",
               base="https://localhost", headers=spoofed)
    assert r.status_code == 200
    r = api.client.post("/services/oauth/request_token", headers=spoofed)
    assert r.status_code == 401, "the trusted proxy's https counts: past the TLS check, to the OAuth checks"
