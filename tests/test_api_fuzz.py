"""Malformed input at every registered method: missing and invalid parameters, broken
selectors, huge and non-UTF-8 values, as a signed caller with every scope and as an
administrative consumer. Each answer must be a 4xx JSON error (or, where the value may be
valid, a success), never a 5xx. All failures are collected and reported together."""
from collections import defaultdict
from urllib.parse import urlencode

import pytest
from oauthlib.oauth1 import Client

from portal.api import oauth_views
from portal.api.registry import METHODS

HUGE = "x" * 100_000
INVALID_FOR_ALL = ["\x00", HUGE]
INVALID_BY_TYPE = {
    "id": ["a" * 33, "1|2", "1 2", "²"],
    "ids": ["a" * 33 + "|1", "1||2|" + "b" * 40],
    "int": ["x", "1.5", "99999999999999999999999999", "-", "١٢", "²", " 1"],
    "bool": ["yes", "1", "tru", "x"],  # "TRUE" and "True" are booleans (clients send str(True))
    "date": ["2026-13-45", "2026-02-30", "tomorrow", "20260101", "2026-1-1"],
    "datetime": ["2026-02-30 10:00:00", "2026-01-01 25:61:00", "now", "2026-01-01T10"],
    "json": ["{", "[1,", '{"a":', "nul"],
    "choice": ["nonsense", "x" * 50],
}
MAYBE_VALID = ["x", "-1", "0", "999999999", "2147483648", "9223372036854775808", "1|2|", "|", "null", "{}", "' OR 1=1 --", "../../etc", "²",
               "2026-01-01", "true"]
SELECTORS = ["id[", "]", "a[b]", "nope", "|", "[[[", "id]]", "a[" * 60 + "]" * 60, "x[y|z[w]]|", HUGE,
             "[]", "id|nope[x]"]
ADMIN_SUBSET = {"x", "99999999999999999999999999", "{", "²", "a" * 33}
PLAUSIBLE = {"int": "1", "bool": "true", "date": "2026-01-01", "datetime": "2026-01-01 10:00:00",
             "json": "{}", "list": "1|2", "ids": "1|2"}


def plausible(p):
    if p.type == "choice":
        return p.choices[0]
    return PLAUSIBLE.get(p.type, "1")


def cases(m, admin):
    """(description, params, expect_error) for one method."""
    base = {p.name: plausible(p) for p in m.params if p.required and p.name != "fields"}
    yield "no parameters", {}, any(p.required for p in m.params)
    for p in m.params:
        if p.name == "fields":
            for sel in SELECTORS if not admin else SELECTORS[:4]:
                yield f"fields={sel[:30]!r}", {**base, "fields": sel}, True
            continue
        if p.required:
            yield f"{p.name} missing", {k: v for k, v in base.items() if k != p.name}, True
        invalid = INVALID_FOR_ALL + INVALID_BY_TYPE.get(p.type, [])
        maybe = [v for v in MAYBE_VALID if v not in invalid]
        for value in invalid + maybe:
            if admin and value not in ADMIN_SUBSET:
                continue
            yield f"{p.name}={value[:30]!r}", {**base, p.name: value}, value in invalid


def served_by_route(m):
    return m.func is oauth_views._served_by_route


def raw_bytes_call(api, m, params, name, pair, admin, http):
    """Sign with U+FFFD where the value is, then send the byte 0xFF (%FF) instead: the wire is
    UTF-8, so the server must refuse the parameter (param_invalid), whatever the signature."""
    key, secret = api.admin_consumer if admin else api.consumer
    client = Client(key, client_secret=secret, resource_owner_key=pair[0], resource_owner_secret=pair[1])
    values = {**params, name: "a\ufffdb"}
    uri = "http://localhost/" + m.path
    if http == "GET":
        signed_uri, headers, _ = client.sign(uri + "?" + urlencode(values), http_method="GET")
        return api.client.get(signed_uri[len("http://localhost"):].replace("a%EF%BF%BDb", "a%FFb"), headers=headers)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    _, headers, body = client.sign(uri, http_method="POST", body=urlencode(values), headers=form)
    return api.client.post("/" + m.path, data=body.replace("a%EF%BF%BDb", "a%FFb").encode(), headers=headers)


def check(failures, m, caller, case, r, expect_error):
    where = f"{caller} {case}"
    if r.status_code >= 500:
        failures[m.path].append(f"{where}: HTTP {r.status_code} {r.get_data(as_text=True)[:160]!r}")
        return
    if served_by_route(m) and m.path == "services/oauth/authorize":
        return  # a browser page
    if r.status_code >= 400 and (r.get_json(silent=True) or {}).get("message") is None:
        failures[m.path].append(f"{where}: HTTP {r.status_code} without a JSON message")
    elif expect_error and r.status_code < 400:
        failures[m.path].append(f"{where}: HTTP {r.status_code}, expected a 4xx error")


@pytest.mark.parametrize("admin", [False, True], ids=["user_all_scopes", "admin_consumer"])
def test_malformed_input_never_5xx(api, make, admin):
    uni = make.university()
    user = uni.admin if admin else uni.coordinator
    failures = defaultdict(list)
    methods = sorted(METHODS.values(), key=lambda m: (m.path == "services/oauth/revoke_token", m.path))
    for m in methods:
        pair = api.token_for(user, admin=admin)
        for case, params, expect_error in cases(m, admin):
            http = "GET" if len(case) % 2 else "POST"
            try:
                r = api.call(m.path, token=pair, admin=admin, http=http, **params)
            except Exception as exc:  # noqa: BLE001 - reported with the rest
                failures[m.path].append(f"{case}: exception {exc!r}"[:200])
                continue
            check(failures, m, "admin" if admin else "user", case, r, expect_error)
        base = {p.name: plausible(p) for p in m.params if p.required and p.name != "fields"}
        for p in m.params[:3 if not admin else 1]:
            for http in ("GET", "POST"):
                r = raw_bytes_call(api, m, base, p.name, pair, admin, http)
                check(failures, m, "admin" if admin else "user", f"{p.name}=<0xFF> ({http})", r, True)
                if not served_by_route(m) and r.status_code != 400:
                    failures[m.path].append(f"{p.name}=<0xFF> ({http}): HTTP {r.status_code}, expected 400")
    if failures:
        report = [f"{len(failures)} of {len(METHODS)} methods failed:"]
        for path, items in sorted(failures.items()):
            report.append(f"- {path} ({len(items)} cases)")
            report.extend(f"    {line}" for line in items[:6])
        pytest.fail("\n".join(report), pytrace=False)
