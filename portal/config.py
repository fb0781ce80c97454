"""Settings read from the environment, with defaults for a zero-set-up local run."""
import os
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _translation_dirs():
    """Every `translations` folder of the project: the top level and each feature package."""
    dirs = [ROOT / "translations", *sorted((ROOT / "portal").glob("*/translations"))]
    return ";".join(str(d) for d in dirs if d.is_dir())


def _bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


class Config:
    ROOT_MIGRATIONS = ROOT / "migrations"
    # Unset: a key made on first run in instance/secret_key (portal/security/secret.py).
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    PORTAL_INSTANCE_PATH = str(ROOT / "instance")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'indeks.sqlite3'}"
    )
    # No pool_pre_ping: a PostgreSQL connection is pinged only after resting in the pool
    # (portal/database.py `_ping_after_rest`), not before every request.
    SQLALCHEMY_ENGINE_OPTIONS = {}
    WTF_CSRF_TIME_LIMIT = None
    BABEL_DEFAULT_LOCALE = "pl"
    BABEL_TRANSLATION_DIRECTORIES = _translation_dirs()
    LANGUAGES = ("pl", "en")
    PORTAL_TIMEZONE = os.environ.get("PORTAL_TIMEZONE", "Europe/Warsaw")
    # HTTPS only: pages redirect to https, cookies are Secure, HSTS; OAuth endpoints and
    # PLAINTEXT-signed calls refuse plain HTTP (portal/security, portal/api/oauth.py).
    PORTAL_REQUIRE_SSL = _bool("PORTAL_REQUIRE_SSL")
    PORTAL_HSTS_MAX_AGE = int(os.environ.get("PORTAL_HSTS_MAX_AGE", str(365 * 24 * 3600)))
    # Reverse proxies in front of the portal whose X-Forwarded-For/-Proto are believed (0: none).
    PORTAL_TRUSTED_PROXIES = int(os.environ.get("PORTAL_TRUSTED_PROXIES", "0"))
    PORTAL_INSTITUTION_NAME = {"pl": "Uniwersytet Indeks", "en": "Indeks University"}
    PORTAL_CONTACT_EMAILS = ["usos@indeks.example.edu.pl"]
    # OAuth timestamps older or newer than this (seconds) are refused.
    OAUTH_TIMESTAMP_WINDOW = int(os.environ.get("OAUTH_TIMESTAMP_WINDOW", "300"))
    # Request size limits: a larger body is refused with 413 before anything reads it
    # (form fields other than files: MAX_FORM_MEMORY_SIZE; grade CSV imports: portal/grades/csvio.py).
    MAX_CONTENT_LENGTH = int(os.environ.get("PORTAL_MAX_CONTENT_LENGTH", str(2 * 1024 * 1024)))
    MAX_FORM_MEMORY_SIZE = 1024 * 1024
    # E-mail (Flask-Mailman over SMTP). Without MAIL_SERVER nothing is sent: messages wait in
    # the outbox (administrators see them); `flask notifications send` delivers them.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Indeks <no-reply@indeks.example.edu.pl>")
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "30"))
    PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000")  # base of links in e-mails
    NOTIFY_BATCH = int(os.environ.get("NOTIFY_BATCH", "20"))  # messages a sender claims at once
    NOTIFY_LEASE_SECONDS = int(os.environ.get("NOTIFY_LEASE_SECONDS", "600"))
    NOTIFY_RETRY_SECONDS = int(os.environ.get("NOTIFY_RETRY_SECONDS", "60"))  # first back-off, then doubled
    NOTIFY_MAX_ATTEMPTS = int(os.environ.get("NOTIFY_MAX_ATTEMPTS", "10"))
    # Grade e-mails wait this long, so that a grader's quick corrections make one message.
    NOTIFY_GRADE_DELAY = int(os.environ.get("NOTIFY_GRADE_DELAY", "300"))
    # How often an open exam page asks whether its seats changed (live seats, portal/exams/live.py).
    EXAMS_SEATS_POLL_SECONDS = int(os.environ.get("EXAMS_SEATS_POLL_SECONDS", "10"))
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    # Sign-ins (portal/auth/sessions.py): without "remember me" one ends after this long
    # unused, or this long after signing in; with it, after REMEMBER_COOKIE_DURATION.
    PORTAL_SESSION_IDLE_MINUTES = int(os.environ.get("PORTAL_SESSION_IDLE_MINUTES", "480"))
    PORTAL_SESSION_MAX_HOURS = int(os.environ.get("PORTAL_SESSION_MAX_HOURS", "12"))
    # A page a person opens again (or a form of theirs refused again) is given from what the
    # worker kept while nothing it shows has changed, for at most this long
    # (portal/pagecache.py); 0: pages and refusals are always made anew.
    PORTAL_PAGE_KEEP_SECONDS = int(os.environ.get("PORTAL_PAGE_KEEP_SECONDS", "30"))
    REMEMBER_COOKIE_DURATION = timedelta(days=int(os.environ.get("PORTAL_REMEMBER_DAYS", "30")))
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
