"""Bad input never gets a 500 in the portal: every route of the URL map, as each demo role, with
hostile values in every form field and query argument the code or the templates name.

Derived from the sources, so that a new route or field is covered the day it is added: the
routes from the URL map (integer 1, as tests/test_sign_in_required.py builds them, and an id
that is not there), the names from `request.form/args/values` in portal/, WTForms fields, and
`name="..."` in templates/. Each value goes into every name at once; on PostgreSQL this is
also where integers beyond 32 bits and NUL characters, which SQLite stores, would fail.
"""
import re
from pathlib import Path

import pytest

from portal.extensions import db

from .test_sign_in_required import routes

ROOT = Path(__file__).resolve().parent.parent
READ = re.compile(r"""request\.(?:form|args|values|files)(?:\.(?:get|getlist)\(|\[)\s*["'](\w+)["']""")
WTF_FIELD = re.compile(r"^\s+(\w+)\s*=\s*(?:wtforms\.)?\w*Field\(", re.M)
TEMPLATE_NAME = re.compile(r"""\bname=["']([a-z_][\w-]*)["']""")


def field_names():
    names = set()
    for path in (ROOT / "portal").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names |= set(READ.findall(text)) | set(WTF_FIELD.findall(text))
    for path in (ROOT / "templates").rglob("*.html"):
        names |= set(TEMPLATE_NAME.findall(path.read_text(encoding="utf-8")))
    return sorted(names - {"csrf_token"})


# Empty, negative, past 32 and 64 bits, not finite, no such date, NUL, long text, quotes.
HOSTILE = ["", "-1", "2147483648", "-9223372036854775809", "1e309", "NaN", "2026-02-30T25:61",
           "nul\x00byte", "ą" * 3000 + "' OR '1'='1"]
QUERY = {"-1", "2147483648", "2026-02-30T25:61", "nul\x00byte"}

SKIP = {"auth.logout", "auth.end_all_sessions", "static", "home.set_language"}  # signing out ends the walk


def signed_in(app, login):
    client = app.test_client()
    assert client.post("/login", data={"login": login, "password": "demo"}).status_code == 302, login
    return client


@pytest.fixture
def demo(app):
    from portal.demo import seed_demo
    with app.app_context():
        seed_demo()
    return app


def walk(app, client, method, names):
    """(requests sent, 5xx answers) for every route of `method`, each hostile value in every name."""
    sent, wrong = 0, []
    for endpoint, url in routes(app, method):
        if endpoint in SKIP or endpoint.endswith(".static"):
            continue
        # Pages read few arguments: the values that break databases and parsers; forms get all.
        values = HOSTILE if method == "POST" else [v for v in HOSTILE if v in QUERY]
        missing = url.replace("/1", "/999999")  # an object that is not there, with plain values
        for base, values in [(url, values)] + ([(missing, ["1"])] if missing != url else []):
            for value in values:
                fields = {name: value for name in names}
                r = (client.get(base, query_string=fields) if method == "GET"
                     else client.post(base, data=fields, headers={"HX-Request": "true"} if sent % 2 else {}))
                sent += 1
                if r.status_code >= 500:
                    wrong.append(f"{method} {base} {value[:20]!r}: {r.status_code}")
                with app.app_context():
                    db.session.remove()
    return sent, wrong


@pytest.mark.parametrize("login", ["admin", "lecturer1", "student1"])
def test_no_route_answers_hostile_input_with_a_server_error(demo, login):
    names = field_names()
    assert {"login", "value", "capacity", "substantiation"} <= set(names), names  # the scan found the forms
    client = signed_in(demo, login)
    sent_get, wrong_get = walk(demo, client, "GET", names)
    sent_post, wrong_post = walk(demo, client, "POST", names)
    assert not wrong_get + wrong_post, "\n".join(wrong_get + wrong_post)
    assert sent_get > 250 and sent_post > 500
