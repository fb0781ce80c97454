"""Per-method enforcement: consumer, token, scopes, administrative, SSL, as_user_id; the
signature styles and OAuth failures (bad signature, replay, timestamps)."""
import time

import pytest

from portal.api.registry import METHODS, P, method

from .api_client import signed


@pytest.fixture
def probe():
    """Temporary methods with the auth options under test; removed afterwards."""
    declared = []

    def declare(path, **options):
        @method(path, result="raw", params=[P("x")], **options)
        def who(call):
            return {"user": call.user.login if call.user else None,
                    "consumer": call.consumer.name if call.consumer else None, "x": call.params["x"]}
        declared.append(path)
        return path
    yield declare
    for path in declared:
        METHODS.pop(path, None)


def test_consumer_and_user_missing_are_401(api, uni, probe):
    path = probe("services/apitest/needs_token", consumer="required", token="required")
    r = api.call(path, signed=False)
    assert r.status_code == 401 and r.get_json()["error"] == "method_forbidden"
    assert r.get_json()["reason"] == "consumer_missing"
    r = api.call(path)  # consumer only
    assert r.status_code == 401 and r.get_json()["reason"] == "user_missing"
    r = api.call(path, user=uni.student)
    assert r.status_code == 200 and r.get_json()["user"] == "stud1"


def test_ignored_consumer_needs_no_signature_and_ignores_a_bad_one(api, probe):
    path = probe("services/apitest/open", consumer="ignored", token="ignored")
    assert api.call(path, signed=False, x="1").get_json() == {"user": None, "consumer": None, "x": "1"}
    api.consumer = (api.consumer[0], "wrong")
    assert api.call(path, x="1").status_code == 200


def test_optional_token(api, uni, probe):
    path = probe("services/apitest/optional", consumer="required", token="optional")
    assert api.call(path).get_json()["user"] is None
    assert api.call(path, user=uni.student).get_json()["user"] == "stud1"


def test_scope_missing_lists_the_missing_scopes(api, uni, probe):
    path = probe("services/apitest/graded", consumer="required", token="required", scopes=("grades", "studies"))
    r = api.call(path, user=uni.student, scopes=("studies",))
    assert r.status_code == 403
    body = r.get_json()
    assert body["reason"] == "scope_missing" and body["missing_scopes"] == ["grades"]
    assert api.call(path, user=uni.student, scopes=("studies", "grades")).status_code == 200


def test_administrative_methods_need_an_administrative_consumer(api, uni, probe):
    path = probe("services/apitest/admin", consumer="required", token="ignored", administrative=True)
    r = api.call(path)
    assert r.status_code == 403 and r.get_json()["reason"] == "trusted_required"
    r = api.call(path, admin=True)
    assert r.status_code == 200 and r.get_json()["consumer"] == "Admin app"


def test_as_user_id(api, uni, probe):
    path = probe("services/apitest/as_user", consumer="required", token="required", scopes=("grades",))
    r = api.call(path, admin=True, as_user_id=uni.lecturer.id)
    assert r.status_code == 200 and r.get_json()["user"] == "lect"
    r = api.call(path, as_user_id=uni.lecturer.id)
    assert r.status_code == 403 and r.get_json()["error"] == "param_forbidden"
    assert r.get_json()["reason"] == "impersonate_required" and r.get_json()["param_name"] == "as_user_id"
    for bad in ("999999", "abc", "²", "1" * 40, ""):
        r = api.call(path, admin=True, as_user_id=bad)
        assert r.status_code == 400 and r.get_json()["param_name"] == "as_user_id", bad


@pytest.mark.parametrize("require", [True, False])
def test_ssl_required_methods(app, api, uni, probe, require):
    app.config["PORTAL_REQUIRE_SSL"] = require
    app.config["PORTAL_TRUSTED_PROXIES"] = 1
    path = "/" + probe("services/apitest/secure", consumer="required", token="required", ssl=True)
    pair = api.token_for(uni.student)
    r = signed(api.client, path, api.consumer, token=pair)
    if require:
        assert r.status_code == 403 and r.get_json()["reason"] == "secure_required"
    else:
        assert r.status_code == 200
    # behind a TLS-terminating proxy: the client signed https://..., the proxy says so
    r = signed(api.client, path, api.consumer, token=pair, base="https://localhost")
    assert r.status_code == 200, r.get_json()
    r = signed(api.client, path, api.consumer, token=pair, base="http://localhost",
               headers={"X-Forwarded-Proto": "https"})
    assert r.status_code == 401  # signed for http://, the server sees https://: not the same request


def test_ssl_not_required_method_works_over_http_even_when_enforced(app, api, uni):
    app.config["PORTAL_REQUIRE_SSL"] = True
    assert api.call("services/users/user", user=uni.student).status_code == 200


def test_forwarded_proto_is_honoured(app, api, uni, probe):
    app.config["PORTAL_REQUIRE_SSL"] = True
    app.config["PORTAL_TRUSTED_PROXIES"] = 1
    path = "/" + probe("services/apitest/secure2", consumer="required", token="required", ssl=True)
    from oauthlib.oauth1 import Client
    key, secret = api.consumer
    tk, ts = api.token_for(uni.student)
    client = Client(key, client_secret=secret, resource_owner_key=tk, resource_owner_secret=ts)
    uri, headers, _ = client.sign("https://portal.example.edu" + path, http_method="GET")
    r = api.client.get(path, headers={**headers, "X-Forwarded-Proto": "https", "Host": "portal.example.edu"})
    assert r.status_code == 200, r.get_json()


@pytest.mark.parametrize("style,http", [("header", "GET"), ("header", "POST"), ("query", "GET"),
                                        ("query", "POST"), ("body", "POST")])
@pytest.mark.parametrize("sig", ["HMAC-SHA1", "PLAINTEXT"])
def test_signature_styles_and_methods(api, uni, style, http, sig):
    pair = api.token_for(uni.student)
    r = signed(api.client, "/services/users/user", api.consumer, token=pair, http=http, style=style,
               method=sig, params={"fields": "id|titles"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json() == {"id": str(uni.student.id), "titles": {"before": None, "after": None}}


def test_oauth_failures_are_401(api, uni):
    pair = api.token_for(uni.student)
    path = "/services/users/user"
    cases = {
        "bad secret": dict(consumer=(api.consumer[0], "nope"), token=pair),
        "bad token secret": dict(consumer=api.consumer, token=(pair[0], "nope")),
        "unknown token": dict(consumer=api.consumer, token=("nope", "nope")),
        "unknown consumer": dict(consumer=("nope", "nope"), token=pair),
        "old timestamp": dict(consumer=api.consumer, token=pair, timestamp=str(int(time.time()) - 3600)),
        "future timestamp": dict(consumer=api.consumer, token=pair, timestamp=str(int(time.time()) + 3600)),
        "admin token on plain consumer": dict(consumer=api.consumer, token=api.token_for(uni.student, admin=True)),
    }
    for name, kw in cases.items():
        r = signed(api.client, path, **kw)
        assert r.status_code == 401, name
        assert "message" in r.get_json(), name


def test_replayed_nonce_is_401(api, uni):
    pair = api.token_for(uni.student)
    first = signed(api.client, "/services/users/user", api.consumer, token=pair, nonce="same-nonce-1",
                   timestamp=str(int(time.time())))
    again = signed(api.client, "/services/users/user", api.consumer, token=pair, nonce="same-nonce-1",
                   timestamp=first.request.headers["Authorization"].split('oauth_timestamp="')[1].split('"')[0])
    assert first.status_code == 200 and again.status_code == 401


@pytest.mark.parametrize("header", ["OAuth", "OAuth garbage", 'OAuth oauth_consumer_key="a", x', "Basic abc",
                                    'OAuth oauth_consumer_key="k",oauth_consumer_key="k"'])
def test_malformed_authorization_headers(api, header):
    r = api.client.get("/services/users/user", headers={"Authorization": header})
    assert r.status_code == 401 and "message" in r.get_json()


def test_oauth_params_in_two_places_are_refused(api, uni):
    r = api.client.get("/services/users/user?oauth_consumer_key=" + api.consumer[0],
                       headers={"Authorization": f'OAuth oauth_consumer_key="{api.consumer[0]}"'})
    assert r.status_code == 401


@pytest.mark.parametrize("version,status", [("1.0", 200), (None, 200), ("2.0", 401), ("1.1", 401), ("", 401)])
def test_oauth_version_is_1_0_or_absent(api, uni, version, status):
    """RFC 5849, 3.1: oauth_version is optional, and "1.0" when given. PLAINTEXT signs no
    parameters, so the header is written by hand here."""
    (key, secret), (token, token_secret) = api.consumer, api.token_for(uni.student)
    params = {"oauth_consumer_key": key, "oauth_token": token, "oauth_signature_method": "PLAINTEXT",
              "oauth_signature": f"{secret}&{token_secret}", "oauth_timestamp": str(int(time.time())),
              "oauth_nonce": f"version-{version}"}
    if version is not None:
        params["oauth_version"] = version
    header = "OAuth " + ", ".join(f'{k}="{v}"' for k, v in params.items())
    r = api.client.post("/services/users/user", headers={"Authorization": header})
    assert r.status_code == status, r.get_json()
    if status == 401:
        assert "oauth_version" in r.get_json()["message"]
    else:
        assert r.get_json()["id"] == str(uni.student.id)
