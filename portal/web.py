"""What every page shares: navigation, error pages, template helpers, write intent."""
from dataclasses import dataclass
from functools import cached_property
from typing import Callable

from flask import current_app, jsonify, render_template, request, url_for
from flask_babel import format_decimal, get_locale, gettext as _, lazy_gettext as _l
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest, HTTPException

from . import clock, formatting
from .database import set_reads_outside_transaction, set_write_intent
from .errors import ServiceError
from .i18n import install_template_gettext
from .kept import Kept
from .langdict import pick


# The only endpoints an anonymous visitor may use; every other page and form of the portal
# sends them to sign in (tests/test_sign_in_required.py walks the URL map and holds every route
# to this list). Static files (`static`, `<blueprint>.static`) are public as well.
PUBLIC_ENDPOINTS = frozenset({
    "auth.login",           # signing in
    "sso.cas_login", "sso.cas_callback",      # signing in through the university (portal/sso)
    "sso.oidc_login", "sso.oidc_callback",
    "sso.cas_single_logout", "sso.oidc_backchannel_logout",  # the providers' servers end sign-ins
    "home.set_language",    # the language switch works on the sign-in page too
    "oauth.request_token",  # OAuth-signed: the protocol decides who may call
    "oauth.access_token",
    "api.dispatch",         # services/*: each method declares its consumer and token rules
    "developers.developers",  # how to use the API: where usos-mcp sends people before they have keys
})


def is_public(endpoint):
    """Whether anonymous visitors may use `endpoint` (see PUBLIC_ENDPOINTS)."""
    return endpoint in PUBLIC_ENDPOINTS or endpoint == "static" or endpoint.endswith(".static")


# Entries a worker keeps per kind (then it starts anew): a few dozen addresses and labels are in
# use; rendered answers are a few hundred bytes each.
KEPT = {"static": 1024, "url": 1024, "label": 1024, "card": 1024, "rendered": 2048}


def _worked_out(kind, key, work):
    """What `work()` gives for `key`, worked out once per app and worker: for what is the same
    on every page and cannot change while the worker runs (the navigation's addresses under this
    script root, its labels in a language: the catalogues are loaded once; render_once's answers)."""
    kept = current_app.extensions.setdefault("indeks_worked_out", {})
    if kind not in kept:
        kept[kind] = Kept(KEPT[kind])
    return kept[kind].get_or_keep(key, work)


def static_url(filename):
    """`url_for('static', filename=...)`, worked out once per file (every page links four)."""
    return _worked_out("static", (request.script_root, filename), lambda: url_for("static", filename=filename))


@dataclass
class NavItem:
    endpoint: str
    label: object
    allowed: Callable  # user -> bool
    description: object = ""
    staff_description: object = None  # what the card says to staff, when it differs

    @property
    def url(self):
        return _worked_out("url", (request.script_root, self.endpoint), lambda: url_for(self.endpoint))

    def text(self, lang):
        """The label in `lang` (the interface language: `current_lang`)."""
        return _worked_out("label", (self.endpoint, lang), lambda: str(self.label))

    def describe(self, user, lang):
        """The home card's text in the person's terms, in `lang`: staff manage what students use."""
        if self.staff_description is None or not user.is_staff:
            terms, parts = "student", (self.description,)
        elif user.is_student:  # both roles: what each of them gets
            terms, parts = "both", (self.description, self.staff_description)
        else:
            terms, parts = "staff", (self.staff_description,)
        return _worked_out("card", (self.endpoint, terms, lang), lambda: " ".join(str(part) for part in parts))


def register_nav(app, endpoint, label, allowed, description="", staff_description=None):
    """Add a link to the navigation and the home page for the people `allowed` accepts."""
    app.extensions.setdefault("indeks_nav", []).append(
        NavItem(endpoint, label, allowed, description, staff_description))


def nav_for(user):
    if not user.is_authenticated:
        return []
    return [i for i in current_app.extensions.get("indeks_nav", []) if i.allowed(user)]


def nav_section(items, path):
    """The endpoint of the navigation item whose address is the longest prefix of `path`:
    the section a sub-page belongs to (an exam's page is under "Exams")."""
    best, length = None, 0
    for item in items:
        url = item.url
        prefix = url if url.endswith("/") else url + "/"
        if (path == url or path.startswith(prefix)) and len(url) > length:
            best, length = item.endpoint, len(url)
    return best


def render_once(key, template, context):
    """`template` rendered with `context()`, kept per `key` and interface language: a rush's
    refusals are a thousand times the same small answer ("this slot is full" and that slot's
    row), and rendering it costs more than the rest of the request. `key` must hold everything
    the template shows of the context; the template must not show anything per person or per
    request (no CSRF token, no flashed messages). While templates reload (debug), nothing is kept."""
    if current_app.jinja_env.auto_reload:
        return render_template(template, **context())
    return _worked_out("rendered", (template, str(get_locale()), key),
                       lambda: render_template(template, **context()))


def seats_free(free, total):
    """Seats as every page shows them: "3 of 10 free" / "wolne: 3 z 10"."""
    return _("%(free)s of %(total)s free", free=max(free, 0), total=total)


class _Nav:
    """The navigation, worked out only when a template shows it (htmx fragments do not)."""

    @cached_property
    def items(self):
        return nav_for(current_user)

    def __iter__(self):
        return iter(self.items)

    @cached_property
    def section(self):
        """The endpoint of the section the current page belongs to (see nav_section)."""
        return nav_section(self.items, request.path)


def wants_json():
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and not request.accept_mimetypes["text/html"]


ERROR_TEXTS = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back, reload the page and try again.")),
    403: (_l("Access denied"), _l("You do not have access to this page.")),
    404: (_l("Not found"), _l("There is no such page, or it is not available to you.")),
    405: (_l("Method not allowed"), _l("This address does not accept this kind of request.")),
    409: (_l("Conflict"), _l("Someone changed this at the same time. Reload the page and try again.")),
    413: (_l("Too large"), _l("What you sent is too large.")),
    429: (_l("Too many attempts"), _l("Too many attempts in a short time. Wait a moment and try again.")),
}


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_NO_FORM = MultiDict()


def form_fields():
    """The request's form, without asking werkzeug to parse a body that is no form (most
    requests are GETs without one)."""
    return request.form if request.mimetype in FORM_TYPES else _NO_FORM


def _holds_nul(fields):
    return any("\x00" in name or "\x00" in value for name, value in fields.items(multi=True))


def init_app(app):
    @app.before_request
    def _write_intent():
        # Views that change state are reached by non-GET requests (see portal.database), but
        # `reads_first` views start reading, so that even loading the signed-in person does
        # not take SQLite's write lock.
        view = app.view_functions.get(request.endpoint)
        unsafe = request.method not in ("GET", "HEAD", "OPTIONS")
        reads_first = getattr(view, "reads_first", False)
        set_write_intent(unsafe and not reads_first)
        set_reads_outside_transaction(reads_first)  # PostgreSQL: see portal.database._begin

    @app.before_request
    def _refuse_nul():
        # No field takes a NUL character, and PostgreSQL cannot even compare text with one
        # (psycopg.DataError): refused here for every page, form and OAuth endpoint, the same
        # on both databases. services/* methods refuse it per parameter (param_invalid).
        if request.endpoint == "api.dispatch":
            return
        environ = request.environ  # (a missing header is cheaper to ask of the environ)
        if ("\x00" in request.path or "%00" in environ.get("HTTP_AUTHORIZATION", "")
                or environ.get("QUERY_STRING") and _holds_nul(request.args)
                or request.method != "GET" and _holds_nul(form_fields())):
            raise BadRequest(_("The request contains a NUL character, which no field accepts."))

    # `Vary: HX-Request` on pages and htmx answers: portal.security.headers.SecureAnswers.

    @app.teardown_request
    def _reset(exc):
        set_write_intent(False)
        set_reads_outside_transaction(False)

    @app.context_processor
    def _helpers():
        return {"nav_items": _Nav(), "current_lang": str(get_locale() or "pl"), "now": clock.now}

    install_template_gettext(app)
    app.jinja_env.filters["ld"] = pick
    app.jinja_env.globals["seats_free"] = seats_free
    app.jinja_env.globals["static_url"] = static_url
    formatting.init_app(app)  # d, dt, time, span, num, pct ... in the interface language

    @app.errorhandler(HTTPException)
    def _http_error(exc):
        api = wants_json() or request.path.startswith("/services/")
        message = exc.description
        if exc.code == 413:
            limit = format_decimal(app.config["MAX_CONTENT_LENGTH"] / 2 ** 20, "#,##0.#")
            message = (f"The request is too large (the limit is {limit} MB)." if api else
                       _("The request is too large: the limit is %(size)s MB. Nothing was saved.", size=limit))
        # What the exception says besides its body: a 405's Allow (RFC 9110), a 429's Retry-After.
        headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
        if api:
            return jsonify(message=message, error=exc.name.lower().replace(" ", "_")), exc.code, headers
        title, default = ERROR_TEXTS.get(exc.code, (_l("Not possible"), _l("This request cannot be carried out.")))
        # Werkzeug's own English description is replaced by ours; a view's message (already
        # in the person's language) is kept.
        if exc.code != 413 and exc.description == type(exc).description:
            message = default
        body = render_template("errors/error.html", code=exc.code, title=title, message=message)
        return body, exc.code, headers

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
        from sqlalchemy.exc import DBAPIError

        from .extensions import db
        db.session.rollback()
        if isinstance(exc, DBAPIError) and exc.connection_invalidated:
            # The database server dropped this connection (a restart, a failover) and the pool
            # has replaced it: nothing was written, and the next try gets a working one.
            app.logger.warning("Database connection lost on %s: %s", request.path, exc.orig)
            if wants_json() or request.path.startswith("/services/"):
                return jsonify(message="The database could not be reached; please try again.",
                               error="internal_error"), 503
            return render_template("errors/error.html", code=503, title=_l("Try again"),
                                   message=_l("The connection to the database was lost; nothing was saved. "
                                              "Try again in a moment.")), 503
        app.logger.exception("Unhandled error on %s", request.path)
        if wants_json() or request.path.startswith("/services/"):
            return jsonify(message="Internal error.", error="internal_error"), 500
        return render_template("errors/error.html", code=500, title=_l("Something went wrong"),
                               message=_l("The error has been logged. Please try again.")), 500
