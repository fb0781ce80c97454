"""The `services/<module>/<method>` dispatcher: auth, parameters, selectors, formats, errors."""
from urllib.parse import unquote, unquote_to_bytes

from flask import Blueprint, current_app, g, request
from sqlalchemy.exc import SQLAlchemyError

from ..auth.models import User
from ..database import end_read, set_write_intent
from ..errors import ServiceError
from ..extensions import csrf, db
from ..ids import int_id
from ..web import form_fields as form
from . import formats, oauth, params as params_mod, selectors
from .errors import ApiError, method_forbidden, param_forbidden, param_invalid
from .registry import METHODS

bp = Blueprint("api", __name__)
csrf.exempt(bp)

is_secure = oauth.is_secure


class Call:
    """What a method function gets: typed params, the caller, and the selected fields."""

    def __init__(self, method, params, consumer, token, user, fields):
        self.method, self.params = method, params
        self.consumer, self.token, self.user = consumer, token, user
        self.fields = fields  # compiled selector tree, or None

    @property
    def scopes(self):
        if self.token is not None:
            return set(self.token.scope_list)
        # administrative consumers acting as a user have every scope
        return {"*"} if self.user is not None else set()

    def has_scope(self, scope):
        return "*" in self.scopes or scope in self.scopes

    def project(self, obj, resource=None, tree=None):
        """Apply the selected fields (or `tree`) to an object, a list or a dict of them."""
        res = resource or self.method.resource
        return selectors.project_many(res.method, obj, tree if tree is not None else self.fields, self)

    def load_options(self, resource=None, tree=None):
        """Loader options for what the selector asks for (pass them to `.options(...)`)."""
        res = resource or self.method.resource
        return res.load_options(tree if tree is not None else self.fields)


def check_utf8(encoded):
    """Werkzeug keeps an undecodable %XX as text; the wire is UTF-8, so refuse it instead."""
    if not encoded:
        return
    for part in encoded.split(b"&"):
        name, _, value = part.partition(b"=")
        try:
            unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            raise param_invalid(unquote(name.decode("latin-1"), errors="replace"),
                                "the value is not valid UTF-8 text") from None


def check_encoding():
    check_utf8(request.query_string)
    if request.mimetype == "application/x-www-form-urlencoded":
        check_utf8(request.get_data(cache=True))  # before the form is parsed (werkzeug reuses the bytes)


def value(name, default=None):
    """`request.values.get(name, default)`: the query string first, then the form. Asked with
    `in`: werkzeug's `get` of a name that is not there builds and catches an HTTP exception,
    and `format` and `callback` are absent from almost every call."""
    args = request.args
    if name in args:
        return args[name]
    body = form()
    return body[name] if name in body else default


def raw_params():
    merged = {}
    for source in (request.args, form()):
        for key in source.keys():
            merged[key] = source.get(key)
    return merged


def load_user_id(raw, name):
    key = int_id(raw)
    user = db.session.get(User, key) if key is not None else None
    if user is None:
        raise param_invalid(name, "no such user")
    return user


def authenticate(method, raw):
    """(consumer, token, user) for this call, enforcing the method's auth options."""
    consumer = token = user = None
    if method.ssl and current_app.config["PORTAL_REQUIRE_SSL"] and not is_secure():
        raise method_forbidden("secure_required", "This method requires SSL (https).")
    if method.consumer != "ignored":
        req = oauth.signed_request()
        if oauth.has_oauth(req):
            consumer, token = oauth.verify(req)
    if method.consumer == "required" and consumer is None:
        raise method_forbidden("consumer_missing", "This method requires a consumer key "
                               "(an OAuth signed request).", status=401)
    if method.administrative and not (consumer and consumer.administrative):
        raise method_forbidden("trusted_required", "This method is for administrative consumers only.")
    if token is not None and method.token != "ignored":
        user = token.user
    as_user = raw.get("as_user_id")
    if as_user is not None and method.token != "ignored" and method.consumer != "ignored":
        if not (consumer and consumer.administrative):
            raise param_forbidden("as_user_id", "impersonate_required",
                                  "Only administrative consumers may act as another user.")
        user, token = load_user_id(as_user, "as_user_id"), None
    if method.token == "required" and user is None:
        raise method_forbidden("user_missing", "This method requires an access token "
                               "(a user context).", status=401)
    if method.scopes and token is not None:
        missing = [s for s in method.scopes if s not in token.scope_list]
        if missing:
            raise method_forbidden("scope_missing", "The token lacks the scopes this method requires: "
                                   + ", ".join(missing) + ".", missing_scopes=missing)
    return consumer, token, user


def run(method, fmt, callback):
    """Authenticate, parse, call and project; the answer as a Response."""
    raw = raw_params()
    consumer, token, user = authenticate(method, raw)
    g.api_user = user
    values = params_mod.parse(method, raw)
    call = Call(method, values, consumer, token, user, None)
    if method.has_fields:
        selector = values.get("fields") or method.default_fields or ""
        call.fields = selectors.compile_selector(method.path, selector, only_primary=method.only_primary,
                                                 resource=method.resource, call=call,
                                                 asked=bool(raw.get("fields")))
    set_write_intent(method.writes)
    if method.writes:
        db.session.commit()  # start the method's own (write) transaction
    result = method.func(call)
    if method.has_fields and method.result != "raw":
        result = call.project(result)
    if method.writes:
        db.session.commit()
    else:
        end_read()  # nothing to keep
    return formats.render(result, 200, fmt, callback)


@bp.route("/services/<path:path>", methods=["GET", "POST", "OPTIONS"])
def dispatch(path):
    """Answer one services/* method call."""
    if request.method == "OPTIONS":
        return formats.render(None), 200
    try:
        check_encoding()
        fmt, callback = value("format", "json"), value("callback")
        formats.check(fmt, callback)
    except ApiError as error:
        return formats.render(error.body(), error.status)
    method = METHODS.get("services/" + path.strip("/"))
    if method is None:
        return formats.render({"message": f"Method services/{path} does not exist.", "error": "method_not_found"},
                              404, fmt, callback)
    try:
        return run(method, fmt, callback)
    except (ApiError, ServiceError) as error:
        db.session.rollback()
        if isinstance(error, ServiceError):
            error = error.to_api()
        return formats.render(error.body(), error.status, fmt, callback)
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.exception("Database error in %s", method.path)
        return formats.render({"message": "The request could not be completed; please try again.",
                               "error": "internal_error"}, 503, fmt, callback)


CORS = (("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Headers", "Authorization, Content-Type"),
        ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"))


@bp.record_once
def _cors(state):
    """Every services/* answer may be read by browser clients of other sites (added by
    portal.security's answer middleware, with the security headers)."""
    state.app.extensions["indeks_answers"].add_for_prefix("/services/", CORS)
