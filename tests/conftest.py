"""Fixtures: `app`, `client`, `runner`, `auth`, factory fixtures, and live servers.

Set INDEKS_TEST_DB=postgresql to run everything against a throwaway PostgreSQL server
(started once per run); the default is a fresh SQLite file per test. CSRF protection is on, as
in production: the test client sends the token as a browser does (see browser_client.py).
Tests run in random order (pytest-randomly); the seed is printed at the end of the run.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

import pytest
import requests

from portal import create_app
from portal.extensions import db

from .browser_client import BrowserClient
from .factories import Factory
from .factories_exams import ExamFactory
from .factories_meetings import MeetingFactory
from .pg import PostgresServer, free_port

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BACKEND = os.environ.get("INDEKS_TEST_DB", "sqlite")


def pytest_collection_modifyitems(config, items):
    """Mark the quick subset: every test that needs neither a browser nor a live server."""
    for item in items:
        if not any(item.get_closest_marker(m) for m in ("browser", "live")):
            item.add_marker(pytest.mark.quick)


def pytest_terminal_summary(terminalreporter, config):
    seed = getattr(config.option, "randomly_seed", None)
    if seed is not None and config.pluginmanager.hasplugin("randomly"):
        terminalreporter.write_line(f"Tests ran in random order; replay it with --randomly-seed={seed} "
                                    f"(file order: -p no:randomly)")


@pytest.fixture(scope="session")
def pg_server():
    if BACKEND != "postgresql":
        yield None
        return
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def _pg_schema(pg_server):
    """Create the schema once per run; tests then empty the tables after themselves."""
    if pg_server is None:
        return None
    app = create_app({"SQLALCHEMY_DATABASE_URI": pg_server.url(), "TESTING": True})
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    return pg_server.url()


@pytest.fixture
def db_url(tmp_path, _pg_schema):
    if _pg_schema:
        return _pg_schema
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


def make_test_app(db_url):
    """The portal on a test database, its tables and reference data in place."""
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": db_url,
        "WTF_CSRF_ENABLED": True,
        "OAUTH_TIMESTAMP_WINDOW": 300,
    })
    app.test_client_class = BrowserClient
    with app.app_context():
        if BACKEND == "sqlite":
            db.create_all()
        from portal.university.reference import ensure_reference_data
        ensure_reference_data()
        db.session.commit()
    return app


def release_test_app(app):
    """Close the app's connections; on PostgreSQL empty the shared schema for the next test."""
    with app.app_context():
        db.session.remove()
        if BACKEND == "postgresql":
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
                conn.exec_driver_sql("INSERT INTO page_versions (id, version) VALUES (1, 0)")  # as create_all made it
        db.engine.dispose()


@pytest.fixture
def app(db_url):
    app = make_test_app(db_url)
    yield app
    release_test_app(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(app):
    """Factory of university objects: `make.user(...)`, `make.group(...)`, ... (see factories.py)."""
    return Factory(app)


# The fixtures most modules share; a module that needs another shape defines its own.
@pytest.fixture
def uni(make):
    """A small university: a course edition with its groups, lecturers and students."""
    return make.university()


@pytest.fixture
def ex(app, uni):
    """An exam of `uni`'s course with its groups and slots (factories_exams.ExamFactory)."""
    return ExamFactory(app).setup(uni)


@pytest.fixture
def mf(app):
    """The meetings factory (factories_meetings.MeetingFactory)."""
    return MeetingFactory(app)


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, login="student1", password="demo"):
        return self._client.post("/login", data={"login": login, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


# --- live servers -------------------------------------------------------------------------

class LiveServer:
    """A real multi-worker gunicorn serving the test database."""

    def __init__(self, db_url, workers=4, env=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = dict(os.environ, DATABASE_URL=db_url, SECRET_KEY="test-secret",
                           **(env or {}))
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind",
             f"127.0.0.1:{self.port}", "--timeout", "120", "--log-level", "warning", "app:app"],
            cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise RuntimeError("gunicorn died: " + self.log.read().decode(errors="replace"))
            try:
                requests.get(self.url + "/login", timeout=10)
                return
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def session(self, login=None, password="demo"):
        """A requests session, signed in when `login` is given, that sends the CSRF token."""
        return browser_session(self.url, login, password)

    def errors(self):
        """What gunicorn logged to stderr so far (tracebacks of 500s land here)."""
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


CSRF_RE = re.compile(r'name="csrf-token" content="([^"]+)"')


def browser_session(base_url, login=None, password="demo"):
    s = requests.Session()
    page = s.get(base_url + "/login")
    token = CSRF_RE.search(page.text).group(1)
    s.headers["X-CSRFToken"] = token
    s.base_url = base_url
    if login:
        r = s.post(base_url + "/login", data={"login": login, "password": password, "csrf_token": token})
        assert "Wrong login" not in r.text and r.status_code == 200, r.text[:500]
        token = CSRF_RE.search(r.text).group(1)
        s.headers["X-CSRFToken"] = token
    return s


@pytest.fixture
def live_server(app, db_url):
    """Start gunicorn on the test database; commit your data before requests reach it."""
    servers = []

    def start(workers=4, env=None):
        with app.app_context():
            db.session.commit()
        server = LiveServer(db_url, workers=workers, env=env)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (its own browser download does not work here)."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield chromium
        chromium.close()


# Every browser test also checks the Content-Security-Policy: a violation anywhere fails it.
CSP_LISTENER = """document.addEventListener("securitypolicyviolation", function (e) {
  (window.top.__csp = window.top.__csp || []).push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});"""


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-US")
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.set_default_timeout(10_000)
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    try:
        violations += page.evaluate("window.__csp || []")
    except Exception:  # noqa: BLE001  (the page may be closed or navigating: the console still caught it)
        pass
    context.close()
    assert violations == [], f"CSP violations: {violations}"


def browser_login(page, base_url, login, password="demo"):
    page.goto(base_url + "/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    page.click("[data-testid=login-submit]")
    page.wait_for_url(lambda url: "/login" not in url)


@pytest.fixture
def api(app):
    """Signed services/* calls: `api.call("services/users/user", user=some_user)`."""
    from .api_client import ApiClient
    return ApiClient(app)
