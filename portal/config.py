"""Settings read from the environment, with defaults for a zero-set-up local run."""
import os
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
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-change-me")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'indeks.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    WTF_CSRF_TIME_LIMIT = None
    BABEL_DEFAULT_LOCALE = "pl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Warsaw"
    BABEL_TRANSLATION_DIRECTORIES = _translation_dirs()
    LANGUAGES = ("pl", "en")
    PORTAL_TIMEZONE = os.environ.get("PORTAL_TIMEZONE", "Europe/Warsaw")
    PORTAL_REQUIRE_SSL = _bool("PORTAL_REQUIRE_SSL")
    PORTAL_INSTITUTION_NAME = {"pl": "Uniwersytet Indeks", "en": "Indeks University"}
    PORTAL_CONTACT_EMAILS = ["usos@indeks.example.edu.pl"]
    # OAuth timestamps older or newer than this (seconds) are refused.
    OAUTH_TIMESTAMP_WINDOW = int(os.environ.get("OAUTH_TIMESTAMP_WINDOW", "300"))
    # How often an open exam page asks whether its seats changed (live seats, portal/exams/live.py).
    EXAMS_SEATS_POLL_SECONDS = int(os.environ.get("EXAMS_SEATS_POLL_SECONDS", "10"))
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
