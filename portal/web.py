"""What every page shares: navigation, error pages, template helpers, write intent."""
from dataclasses import dataclass
from typing import Callable

from flask import current_app, jsonify, render_template, request
from flask_babel import get_locale, lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from . import clock
from .database import set_write_intent
from .errors import ServiceError
from .langdict import pick


@dataclass
class NavItem:
    endpoint: str
    label: object
    allowed: Callable  # user -> bool
    description: object = ""


def register_nav(app, endpoint, label, allowed, description=""):
    """Add a link to the navigation and the home page for the people `allowed` accepts."""
    app.extensions.setdefault("indeks_nav", []).append(NavItem(endpoint, label, allowed, description))


def nav_for(user):
    if not user.is_authenticated:
        return []
    return [i for i in current_app.extensions.get("indeks_nav", []) if i.allowed(user)]


def wants_json():
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and not request.accept_mimetypes["text/html"]


def init_app(app):
    @app.before_request
    def _write_intent():
        # Views that change state are reached by non-GET requests (see portal.db).
        set_write_intent(request.method not in ("GET", "HEAD", "OPTIONS"))

    @app.after_request
    def _vary(response):
        if request.headers.get("HX-Request") is not None or response.mimetype == "text/html":
            response.vary.add("HX-Request")
        return response

    @app.teardown_request
    def _reset(exc):
        set_write_intent(False)

    @app.context_processor
    def _helpers():
        return {"nav_items": nav_for(current_user), "current_lang": str(get_locale() or "pl"),
                "now": clock.now}

    app.jinja_env.filters["ld"] = pick
    app.jinja_env.filters["dt"] = lambda v: "" if v is None else v.strftime("%Y-%m-%d %H:%M")
    app.jinja_env.filters["d"] = lambda v: "" if v is None else v.strftime("%Y-%m-%d")

    @app.errorhandler(HTTPException)
    def _http_error(exc):
        if wants_json() or request.path.startswith("/services/"):
            return jsonify(message=exc.description, error=exc.name.lower().replace(" ", "_")), exc.code
        titles = {400: _l("Bad request"), 403: _l("Access denied"), 404: _l("Not found"),
                  405: _l("Method not allowed"), 409: _l("Conflict")}
        body = render_template("errors/error.html", code=exc.code,
                               title=titles.get(exc.code, exc.name), message=exc.description)
        return body, exc.code

    @app.errorhandler(ServiceError)
    def _service_error(exc):
        """A broken business rule that a view did not turn into a form message itself."""
        from .extensions import db
        db.session.rollback()
        if request.headers.get("HX-Request"):
            return render_template("errors/_message.html", message=str(exc)), exc.status
        return render_template("errors/error.html", code=exc.status, title=_l("Not possible"),
                               message=str(exc)), exc.status

    @app.errorhandler(Exception)
    def _unexpected(exc):
        from .extensions import db
        db.session.rollback()
        app.logger.exception("Unhandled error on %s", request.path)
        if wants_json() or request.path.startswith("/services/"):
            return jsonify(message="Internal error.", error="internal_error"), 500
        return render_template("errors/error.html", code=500, title=_l("Something went wrong"),
                               message=_l("The error has been logged. Please try again.")), 500
