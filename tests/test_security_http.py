"""Security headers on every answer; HTTPS-only mode (redirects, Secure cookies, HSTS); safe `next`."""
import pytest

from portal import create_app
from portal.extensions import db
from portal.security.headers import CSP


@pytest.fixture
def person(make):
    return make.user("student1", student=True)


@pytest.mark.parametrize("path", ["/login", "/static/js/indeks.js", "/services/apisrv/now", "/no-such-page"])
def test_every_answer_has_the_security_headers(client, path):
    r = client.get(path)
    r.close()
    assert r.headers["Content-Security-Policy"] == CSP
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in r.headers


def test_csp_allows_no_inline_script_and_no_framing():
    directives = dict(d.split(" ", 1) for d in CSP.split("; "))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe" not in CSP


def test_pages_are_not_stored_by_caches(client, auth, person):
    auth.login("student1")
    assert client.get("/").headers["Cache-Control"] == "no-store"
    assert client.get("/services/apisrv/now").headers["Cache-Control"] == "no-store"
    for path in ("/static/js/indeks.js", "/grades/static/grades/grades.js"):
        with client.get(path) as r:
            assert r.status_code == 200 and "no-store" not in r.headers.get("Cache-Control", "")


@pytest.fixture
def ssl_app(db_url, app):
    """The portal with PORTAL_REQUIRE_SSL on from the start (cookie flags are set at start-up)."""
    ssl = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": db_url,
                      "WTF_CSRF_ENABLED": False, "PORTAL_REQUIRE_SSL": True})
    yield ssl
    with ssl.app_context():
        db.session.remove()
        db.engine.dispose()


def test_require_ssl_redirects_pages_and_refuses_plain_posts(ssl_app):
    client = ssl_app.test_client()
    r = client.get("/login?next=/grades/my")
    assert r.status_code == 301 and r.headers["Location"] == "https://localhost/login?next=/grades/my"
    r = client.post("/login", data={"login": "x", "password": "y"}, headers={"Accept-Language": "en"})
    assert r.status_code == 403 and "HTTPS only" in r.get_data(as_text=True)
    r = client.get("/login", base_url="https://localhost")
    assert r.status_code == 200
    assert r.headers["Strict-Transport-Security"] == f"max-age={365 * 24 * 3600}"


def test_require_ssl_makes_cookies_secure(ssl_app, person):
    client = ssl_app.test_client()
    r = client.post("/login", data={"login": "student1", "password": "demo", "remember": "y"},
                    base_url="https://localhost")
    assert r.status_code == 302
    cookies = {h.split("=", 1)[0]: h for h in r.headers.getlist("Set-Cookie")}
    for name in ("session", "remember_token"):
        assert "; Secure" in cookies[name] and "; HttpOnly" in cookies[name], cookies[name]
        assert "SameSite=Lax" in cookies[name], cookies[name]


def test_without_require_ssl_cookies_work_over_http(client, person):
    r = client.post("/login", data={"login": "student1", "password": "demo", "remember": "y"})
    cookies = {h.split("=", 1)[0]: h for h in r.headers.getlist("Set-Cookie")}
    assert "; Secure" not in cookies["session"] and "SameSite=Lax" in cookies["remember_token"]
    assert client.get("/").status_code == 200


SAFE = ["/", "/grades/my", "/exams/?term=2026Z#top", "http://localhost/grades/my"]
UNSAFE = ["https://evil.example/", "https:evil.example/", "//evil.example/", "///evil.example/",
          "/\\evil.example/", "\\\\evil.example", "/\t/evil.example", "/\n/evil.example", " //evil.example",
          "javascript:alert(1)", "http://localhost.evil.example/", "evil.example", "/x\x01", "/x\x7f"]


@pytest.mark.parametrize("target", SAFE)
def test_language_switch_keeps_a_local_next(client, target):
    r = client.post("/lang/en", data={"next": target})
    assert r.status_code == 303 and r.headers["Location"] == target.removeprefix("http://localhost")


@pytest.mark.parametrize("target", UNSAFE)
def test_language_switch_refuses_a_foreign_next(client, target):
    r = client.post("/lang/en", data={"next": target})
    assert r.status_code == 303 and r.headers["Location"] == "/"
    if "\n" not in target:  # a header cannot carry a new line at all
        r = client.post("/lang/en", headers={"Referer": target})
        assert r.status_code == 303 and r.headers["Location"] == "/"


@pytest.mark.parametrize("target", UNSAFE)
def test_sign_in_refuses_a_foreign_next(client, person, target):
    r = client.post("/login", query_string={"next": target}, data={"login": "student1", "password": "demo"})
    assert r.status_code == 302 and r.headers["Location"] == "/"


def test_a_next_with_a_nul_is_refused_before_signing_in(client, person):
    """NUL is refused at the edge for every request (portal.web), before the redirect rule."""
    r = client.post("/login", query_string={"next": "/x\x00"}, data={"login": "student1", "password": "demo"})
    assert r.status_code == 400
    assert client.get("/exams/").status_code == 302  # not signed in


def test_sign_in_keeps_a_local_next(client, person):
    r = client.post("/login?next=/grades/my", data={"login": "student1", "password": "demo"})
    assert r.headers["Location"] == "/grades/my"


def test_templates_have_no_inline_script_style_or_handlers():
    """What the CSP would refuse in a browser: inline <script>, <style>, style= and on*= attributes, hx-on."""
    import re
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle\s*=|\son[a-z]+\s*=|\shx-on", re.IGNORECASE)
    found = [f"{path.relative_to(root)}: {match.group(0).strip()}"
             for path in [*root.glob("templates/**/*.html"), *root.glob("portal/*/templates/**/*.html")]
             for match in inline.finditer(path.read_text())]
    assert found == []
