"""Indeks: the application factory."""
from flask import Flask

from .config import Config
from .extensions import babel, csrf, db, htmx, login_manager, migrate

# Feature packages, each attaching itself with `init_app(app)`; order is nav order.
FEATURES = ("auth", "sso", "home", "people", "exams", "grades", "meetings", "attendance", "notifications", "api", "university", "demo")


class Portal(Flask):
    """Flask, with what it works out per request for every hook worked out once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._synced = {}

    def ensure_sync(self, func):
        # Flask asks inspect whether each before/after/teardown hook and the view is a
        # coroutine on every request (a dozen calls); the answer never changes.
        try:
            return self._synced[func]
        except KeyError:
            synced = self._synced[func] = super().ensure_sync(func)
            return synced


def create_app(test_config=None):
    """Create and configure the portal."""
    app = Portal(__name__, instance_relative_config=True,
                template_folder="../templates", static_folder="../static")
    from .ids import IdConverter
    app.url_map.converters["int"] = IdConverter  # before any route: ids past a column's range are 404s
    app.config.from_object(Config)
    if test_config:
        app.config.from_mapping(test_config)
    from .security.secret import ensure_secret_key
    ensure_secret_key(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        from pathlib import Path
        Path(app.config["SQLALCHEMY_DATABASE_URI"][len("sqlite:///"):]).parent.mkdir(
            parents=True, exist_ok=True)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgres://"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql://" + app.config[
            "SQLALCHEMY_DATABASE_URI"][len("postgres://"):]
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql://"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + app.config[
            "SQLALCHEMY_DATABASE_URI"][len("postgresql://"):]

    # Babel shows UTC records (sign-ins, throttling) in the institution's time, the one zone.
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["PORTAL_TIMEZONE"]
    from . import database as _db_events  # noqa: F401  (SQLite pragmas and BEGIN IMMEDIATE)
    from . import models  # noqa: F401  (every table, for Alembic)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Config.ROOT_MIGRATIONS), render_as_batch=True,
                     compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)

    from . import i18n, security, web
    babel.init_app(app, locale_selector=i18n.babel_locale)
    web.init_app(app)
    security.init_app(app)

    import importlib
    for name in FEATURES:
        importlib.import_module(f".{name}", __name__).init_app(app)
    from .api.registry import wire
    wire()  # every feature has declared its methods: resolve references, fail fast
    return app
