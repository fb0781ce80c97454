"""Every error answered under /services/ is the USOS envelope with an "error" code: an unknown
method, each OAuth failure (401 method_forbidden with what went wrong as the reason), HTTP
errors, and an unexpected failure."""
import pytest
import requests
from oauthlib.oauth1 import Client

from portal.api.registry import METHODS, method

from .api_client import signed


def envelope(r, status, error, **extra):
    assert r.status_code == status, r.get_data(as_text=True)
    body = r.get_json()
    assert body["error"] == error and body["message"], body
    for key, value in extra.items():
        assert body[key] == value, body
    return body


def test_unknown_method(client):
    envelope(client.get("/services/users/nobody"), 404, "method_not_found")
    envelope(client.post("/services/nothing/here/at/all"), 404, "method_not_found")


def test_oauth_failures_say_what_went_wrong(api, uni):
    key, secret = api.consumer
    envelope(signed(api.client, "/services/users/user", (key, "wrong")), 401, "method_forbidden",
             reason="invalid_signature")
    envelope(signed(api.client, "/services/users/user", ("nobody", "x")), 401, "method_forbidden",
             reason="invalid_consumer")
    envelope(signed(api.client, "/services/users/user", api.consumer, token=("no-such-token", "x")), 401,
             "method_forbidden", reason="invalid_token")
    envelope(api.client.get("/services/users/user", headers={"Authorization": 'OAuth oauth_consumer_key="'}),
             401, "method_forbidden")
    _, headers, _ = Client(key, client_secret=secret, signature_method="PLAINTEXT").sign(
        "http://localhost/services/apisrv/consumer")
    headers["Authorization"] = headers["Authorization"].replace('"PLAINTEXT"', '"HMAC-SHA256"')
    envelope(api.client.get("/services/apisrv/consumer", headers=headers), 401, "method_forbidden",
             reason="unsupported_signature_method")
    once = dict(nonce="n" * 20, timestamp=str(int(__import__("time").time())))
    assert signed(api.client, "/services/apisrv/consumer", api.consumer, **once).status_code == 200
    envelope(signed(api.client, "/services/apisrv/consumer", api.consumer, **once), 401, "method_forbidden",
             reason="invalid_nonce")
    # the token endpoints answer the same way
    envelope(signed(api.client, "/services/oauth/request_token", (key, "wrong"), callback_uri="oob"), 401,
             "method_forbidden", reason="invalid_signature")
    envelope(signed(api.client, "/services/oauth/access_token", api.consumer, token=("nope", "x"),
                    verifier="123"), 401, "method_forbidden")
    # missing credentials: the dispatcher's own 401s
    envelope(api.client.get("/services/users/user"), 401, "method_forbidden", reason="consumer_missing")
    envelope(signed(api.client, "/services/grades/latest", api.consumer), 401, "method_forbidden",
             reason="user_missing")


def test_http_errors_under_services(client):
    envelope(client.put("/services/users/user"), 405, "method_not_allowed")
    envelope(client.delete("/services/oauth/request_token"), 405, "method_not_allowed")
    envelope(client.get("/services/"), 404, "not_found")
    # RFC 9110: a 405 says which methods the address takes, under /services/ and on pages
    assert set(client.put("/services/users/user").headers["Allow"].split(", ")) >= {"GET", "POST"}
    page = client.get("/logout")
    assert page.status_code == 405 and "POST" in page.headers["Allow"].split(", ")


def test_an_unexpected_failure_is_a_json_500(client):
    def broken(call):
        raise RuntimeError("boom")
    method("services/apitest/broken", result="raw", consumer="ignored", token="ignored")(broken)
    try:
        envelope(client.get("/services/apitest/broken"), 500, "internal_error")
    finally:
        METHODS.pop("services/apitest/broken")


@pytest.mark.live
def test_oauthlib_client_sees_401_with_the_envelope(live_server, api, uni):
    """Through a real server too (gunicorn, not the test client)."""
    srv = live_server(workers=1)
    client = Client(api.consumer[0], client_secret="wrong")
    uri, headers, _ = client.sign(srv.url + "/services/users/user")
    r = requests.get(uri, headers=headers, timeout=30)
    assert r.status_code == 401 and r.json()["error"] == "method_forbidden"
    assert r.json()["reason"] == "invalid_signature"
    assert "Traceback" not in srv.errors()
