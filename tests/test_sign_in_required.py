"""Derived from the URL map, so that a new route is covered the day it is added: every page and
form of every blueprint needs signing in, except the endpoints portal.web.PUBLIC_ENDPOINTS lists,
and every unsafe request but the OAuth-signed API needs the CSRF token."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from portal.web import PUBLIC_ENDPOINTS, is_public

# CSRF-exempt by design: the OAuth-signed services/* API (a signature, not a cookie, proves
# who calls), and the single-logout calls of the university's servers (a CAS ticket or a signed
# logout token, never a browser's session). Any other exemption is a hole, whichever blueprint
# or view it is on.
CSRF_EXEMPT = {"api.dispatch", "oauth.request_token", "oauth.access_token",
               "sso.cas_single_logout", "sso.oidc_backchannel_logout"}
CSRF_MISSING = "The CSRF token is missing."
ARGUMENT = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


def sample_url(rule):
    """A URL of the rule, with 1 for an integer, the first choice of any(...), else "x"."""
    def value(match):
        converter, args = match.group(1), match.group(2)
        if converter == "int":
            return "1"
        if converter == "any":
            return args.split(",")[0].strip().strip("'\"")
        return "x"
    return ARGUMENT.sub(value, rule.rule)


def routes(app, method):
    return sorted(((rule.endpoint, sample_url(rule)) for rule in app.url_map.iter_rules()
                   if method in rule.methods), key=lambda pair: pair[1])


def sent_to_sign_in(response, url):
    if response.status_code != 302:
        return False
    location = urlsplit(response.headers["Location"])
    back = parse_qs(location.query).get("next", [""])[0]
    return location.path == "/login" and urlsplit(back).path == urlsplit(url).path


def anonymous_answers_not_sign_in(app, client, method):
    """(endpoints tried, answers other than "sign in first") for every non-public route."""
    checked, wrong = [], []
    for endpoint, url in routes(app, method):
        if is_public(endpoint):
            continue
        r = client.open(url, method=method)
        checked.append(endpoint)
        if not sent_to_sign_in(r, url):
            wrong.append(f"{endpoint} {method} {url}: {r.status_code} {r.headers.get('Location', '')}")
    return checked, wrong


def test_every_page_sends_anonymous_visitors_to_sign_in(app, client):
    checked, wrong = anonymous_answers_not_sign_in(app, client, "GET")
    assert not wrong, "pages open to anonymous visitors:\n" + "\n".join(wrong)
    # the walk really covered the features' pages
    for endpoint in ("home.index", "exams.index", "grades.my_grades", "grades.session_grid", "meetings.index",
                     "meetings.notes", "attendance.roster", "apps.index", "oauth.authorize"):
        assert endpoint in checked
    assert len(checked) >= 40


def test_every_form_refuses_anonymous_callers(app, client):
    """With a valid CSRF token (so that only signing in is in question), nothing but the public
    endpoints answers an anonymous POST other than with the way to sign in."""
    checked, wrong = anonymous_answers_not_sign_in(app, client, "POST")
    assert not wrong, "forms open to anonymous callers:\n" + "\n".join(wrong)
    for endpoint in ("exams.pick", "grades.save_row", "meetings.sign_up", "attendance.set_mode", "apps.create",
                     "auth.logout", "oauth.authorize"):
        assert endpoint in checked


def test_public_endpoints_exist(app):
    """The list names real endpoints (a renamed view must not silently drop out of the check)."""
    assert PUBLIC_ENDPOINTS <= set(app.view_functions)


@pytest.fixture
def admin_client(client, make):
    make.user("root", admin=True, lecturer=True, student=True)
    r = client.post("/login", data={"login": "root", "password": "demo"})
    assert r.status_code == 302 and r.headers["Location"] == "/"
    return client


@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
def test_every_unsafe_request_needs_the_csrf_token(app, admin_client, htmx):
    """Signed in (so the refusal is not about signing in), form posts and htmx requests without
    the token are refused before any view runs, on every route but the OAuth-signed API."""
    headers = {"HX-Request": "true"} if htmx else {}
    checked, wrong = [], []
    for endpoint, url in routes(app, "POST"):
        r = admin_client.post(url, headers=headers, csrf=False)
        refused = r.status_code == 400 and CSRF_MISSING in r.get_data(as_text=True)
        if endpoint in CSRF_EXEMPT:
            if refused:
                wrong.append(f"{endpoint} POST {url}: refused, but the signed API must not need a token")
            continue
        checked.append(endpoint)
        if not refused:
            wrong.append(f"{endpoint} POST {url}: {r.status_code}")
    assert not wrong, "\n".join(wrong)
    assert {"exams.pick", "exams.batch_register", "grades.save_row", "grades.apply_import", "meetings.sign_up",
            "meetings.notes", "attendance.set_mode", "apps.create", "apps.revoke", "auth.logout",
            "home.set_language", "oauth.authorize"} <= set(checked)
