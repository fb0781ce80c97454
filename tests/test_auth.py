"""Signing in and out, roles on the home page, CSRF, the language switch."""
import pytest

from portal.auth.models import User
from portal.extensions import db


@pytest.fixture
def people(make):
    return {
        "student": make.user("student1", student=True),
        "lecturer": make.user("lecturer1", lecturer=True),
        "admin": make.user("admin", admin=True),
        "doctoral": make.user("doktorant", student=True, lecturer=True),
    }


def test_login_page_renders(client):
    r = client.get("/login")
    assert r.status_code == 200
    assert b'name="login"' in r.data and b'name="password"' in r.data


def test_home_requires_login(client):
    r = client.get("/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_login_and_logout(client, auth, people):
    r = auth.login("student1")
    assert r.status_code == 302 and r.headers["Location"] == "/"
    r = client.get("/")
    assert r.status_code == 200 and b"First" in r.data
    auth.logout()
    assert client.get("/").status_code == 302


def test_wrong_password_is_a_form_message(client, auth, people):
    r = auth.login("student1", "nope")  # the default interface language is Polish
    assert r.status_code == 200 and "Błędny login lub hasło.".encode() in r.data
    r = client.post("/login", data={"login": "student1", "password": "nope"}, headers={"Accept-Language": "en"})
    assert r.status_code == 200 and b"Wrong login or password." in r.data
    assert client.get("/").status_code == 302


def test_unknown_login_is_refused(client, auth):
    r = auth.login("ghost", "demo")
    assert r.status_code == 200 and client.get("/").status_code == 302


def test_open_redirect_is_refused(client, people):
    r = client.post("/login?next=https://evil.example/", data={"login": "student1", "password": "demo"})
    assert r.headers["Location"] == "/"


@pytest.mark.parametrize("login, roles", [
    ("student1", ["student"]), ("lecturer1", ["lecturer"]), ("admin", ["admin"]),
    ("doktorant", ["student", "lecturer"]),
])
def test_home_shows_roles(client, auth, people, login, roles):
    auth.login(login)
    r = client.get("/", headers={"Accept-Language": "en"})
    assert r.status_code == 200
    for role in ("student", "lecturer", "administrator"):
        shown = f"role-{role if role != 'administrator' else 'admin'}".encode()
        assert (shown in r.data) == ((role if role != "administrator" else "admin") in roles)


def test_password_is_hashed(app, people):
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(login="student1"))
        assert user.password_hash != "demo" and user.check_password("demo")
        assert not user.check_password("Demo")


def test_language_switch(client, auth, people):
    auth.login("student1")
    r = client.get("/", headers={"Accept-Language": "pl"})
    assert "Wyloguj".encode() in r.data
    r = client.post("/lang/en", data={"next": "/"})
    assert r.status_code == 303
    r = client.get("/", headers={"Accept-Language": "pl"})
    assert b"Sign out" in r.data and b'lang="en"' in r.data
    client.post("/lang/pl", data={"next": "/"})
    assert "Wyloguj".encode() in client.get("/").data


def test_unknown_language_is_404(client):
    assert client.post("/lang/de").status_code == 404


def test_error_pages_keep_layout(client):
    r = client.get("/no-such-page")
    assert r.status_code == 404 and b"<nav" in r.data and b"404" in r.data


def test_csrf_is_enforced(app, people):
    client = app.test_client()
    r = client.post("/login", data={"login": "student1", "password": "demo"}, csrf=False)
    assert r.status_code == 400
    page = client.get("/login").get_data(as_text=True)
    import re
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    r = client.post("/login", data={"login": "student1", "password": "demo", "csrf_token": token})
    assert r.status_code == 302
    # htmx requests carry the token in a header instead of the body
    r = client.post("/lang/en", headers={"X-CSRFToken": token})
    assert r.status_code == 303
