"""Bad input never gets a 500 in the portal: every route of the URL map, as each demo role, with
hostile values in every form field and query argument the code or the templates name.

Derived from the sources, so that a new route or field is covered the day it is added: the
routes from the URL map (integer 1, as tests/test_sign_in_required.py builds them, and ids
that are not there, one of them past 64 bits), the names from `request.form/args/values` in portal/, WTForms fields, and
`name="..."` in templates/. Each value goes into every name at once; on PostgreSQL this is
also where integers beyond 32 bits and NUL characters, which SQLite stores, would fail.
"""
import html
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

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
        # Objects that are not there, with plain values: an unused id, one past 32 bits, one past 64.
        missing = [url.replace("/1", f"/{n}") for n in (999999, 2 ** 31, 2 ** 64)] if "/1" in url else []
        for base, values in [(url, values)] + [(other, ["1"]) for other in missing]:
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


class Forms(HTMLParser):
    """The forms a page posts (plain or htmx): action, and each field with the value the page
    gives it (a select's first option, a checked box's value)."""

    SKIPPED_TYPES = {"submit", "button", "image", "file", "reset"}

    def __init__(self, page_url):
        super().__init__()
        self.page_url, self.forms, self.form, self.select = page_url, [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            posts = (a.get("method") or "get").lower() == "post" or "hx-post" in a
            self.form = {"action": a.get("hx-post") or a.get("action") or self.page_url, "fields": {}} if posts else None
            if self.form is not None:
                self.forms.append(self.form)
            return
        name = a.get("name")
        if self.form is None or not name:
            return
        fields = self.form["fields"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a or name not in fields:
                    fields[name] = a.get("value", "on")
            elif kind not in self.SKIPPED_TYPES:
                fields[name] = a.get("value") or ""
        elif tag == "select":
            self.select = name
            fields.setdefault(name, "")
        elif tag == "option" and self.select and not fields.get(self.select):
            fields[self.select] = a.get("value") or ""
        elif tag == "textarea":
            fields[name] = ""
        elif tag == "button":
            fields.setdefault(name, a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None


LINK = re.compile(r'<a\s[^>]*href="(/[^"#]*)"')


def crawl(client, start, limit=150):
    """(url, its forms) of the pages reached from `start` by following the site's links, the
    way a person clicks through (real ids, not only 1), at most `limit` pages, one of each
    shape of address (digits aside)."""
    queue, shapes, pages = list(start), set(), []
    while queue and len(pages) < limit:
        url = html.unescape(queue.pop(0))
        shape = re.sub(r"\d+", "N", url.split("?")[0])
        if shape in shapes or url.startswith(NOT_POSTED) or url.startswith("/static/"):
            continue
        shapes.add(shape)
        page = client.get(url)
        if page.status_code != 200 or page.mimetype != "text/html":
            continue
        text = page.get_data(as_text=True)
        parser = Forms(url)
        parser.feed(text)
        pages.append((url, parser.forms))
        queue.extend(LINK.findall(text))
    return pages


ONE_FIELD = ["", "-1", "2147483648", "1e309", "2026-02-30", "ą" * 3000]
NOT_POSTED = ("/logout", "/account/sessions", "/lang/")  # signing out or switching language ends the walk


def post_every_form(demo, client, variants):
    """Post each form the crawl finds (one of each shape of action and fields), once per
    (label, client.post keywords) that `variants(fields, name)` gives for each of its fields;
    (forms posted, requests sent, the 5xx answers)."""
    seen, sent, wrong = set(), 0, []
    for url, forms in crawl(client, [url for endpoint, url in routes(demo, "GET")
                                     if endpoint not in SKIP and not endpoint.endswith(".static")]):
        for form in forms:
            action = html.unescape(form["action"])
            key = (re.sub(r"\d+", "N", action), tuple(sorted(form["fields"])))
            if key in seen or action.startswith(NOT_POSTED) or not action.startswith("/"):
                continue
            seen.add(key)
            for name in form["fields"]:
                if name == "csrf_token":
                    continue
                for label, kwargs in variants(form["fields"], name):
                    r = client.post(action, headers={"HX-Request": "true"} if sent % 2 else {}, **kwargs)
                    sent += 1
                    if r.status_code >= 500:
                        wrong.append(f"POST {action} {label}: {r.status_code}")
                    with demo.app_context():
                        db.session.remove()
    return len(seen), sent, wrong


def one_hostile(fields, name):
    """The form as the page fills it in, but `name` holding each of ONE_FIELD."""
    plain = {k: v for k, v in fields.items() if k != "csrf_token"}
    for value in ONE_FIELD:
        yield f"{name}={value[:20]!r}", {"data": {**plain, name: value}}


@pytest.mark.parametrize("login", ["admin", "lecturer1", "student1"])
def test_every_form_with_one_hostile_field_gets_no_server_error(demo, login):
    """Each form of each page as the page fills it in, with one field at a time hostile: a
    value the other fields do not stop early (as they may when every field is hostile)."""
    forms, sent, wrong = post_every_form(demo, signed_in(demo, login), one_hostile)
    assert not wrong, "\n".join(wrong)
    assert forms >= (3 if login == "student1" else 20) and sent > 40, (forms, sent)


def shapes(fields, name):
    """The form with `name` in shapes a browser never sends, as (label, client.post keywords):
    the field twice with different values, as a file upload, and (once per form, with its first
    field) the whole form as JSON: an object, one with lists and objects for values, an array."""
    plain = {k: v for k, v in fields.items() if k != "csrf_token"}
    others = [(k, v) for k, v in plain.items() if k != name]
    yield f"{name} as repeated", {"data": MultiDict(others + [(name, plain[name] or "1"), (name, "2147483648")])}
    yield f"{name} as file", {"data": {**dict(others), name: (io.BytesIO(b"\xff\xfe\x00 not text"), "x.bin")},
                              "content_type": "multipart/form-data"}
    if name == next(iter(plain)):
        yield "as json", {"json": plain}
        yield "as json with lists", {"json": {k: [v, {"x": v}] for k, v in plain.items()}}
        yield "as json array", {"json": list(plain.items())}


@pytest.mark.parametrize("login", ["admin", "lecturer1", "student1"])
def test_every_form_in_shapes_a_browser_never_sends_gets_no_server_error(demo, login):
    """Each form of each page with one field at a time repeated (two values), sent as a file,
    or the form as a JSON body: a view reading `form[name]`, `getlist` or `request.files`
    where it expects one text value must answer with a message, not a 500."""
    forms, sent, wrong = post_every_form(demo, signed_in(demo, login), shapes)
    assert not wrong, "\n".join(wrong)
    assert forms >= (3 if login == "student1" else 20) and sent > 20, (forms, sent)
