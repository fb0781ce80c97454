"""services/oauth/*: the endpoints of the three-legged flow, and the authorize page.

These are static routes, so Flask picks them before the generic services/* dispatcher;
they are declared in the registry too, so that apiref documents them."""
from authlib.common.urls import add_params_to_uri
from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user

from ..auth.forms import EmptyForm
from ..database import begin_write
from ..extensions import csrf, db
from . import oauth, provider, services
from .errors import method_forbidden
from .models import Token
from .registry import P, SCOPES, method, module

bp = Blueprint("oauth", __name__)

# What a person reads on the authorize page (services/apiref/scopes has the developers' texts).
SCOPE_LABELS = {
    "studies": _l("see your courses, groups and terms"),
    "grades": _l("see your grades"),
    "grades_write": _l("enter and change grades in your name"),
    "staff_perspective": _l("see data as a staff member (attendance lists, groups you teach)"),
    "offline_access": _l("act while you are not using it"),
    "email": _l("see your e-mail address"),
    "personal": _l("see your personal data (student number, titles)"),
    "student_exams": _l("sign you up for and out of exams"),
}

module("services/oauth", "OAuth", "OAuth 1.0a: getting and revoking access tokens.")


@bp.route("/services/oauth/request_token", methods=["GET", "POST"])
@csrf.exempt
def request_token():
    """Temporary credentials, answered form-encoded."""
    begin_write()
    return provider.request_token_response()


@bp.route("/services/oauth/access_token", methods=["GET", "POST"])
@csrf.exempt
def access_token():
    """An access token for an authorized request token and its verifier, answered form-encoded."""
    begin_write()
    return provider.access_token_response()


def _pending_token(key):
    """The request token the page is about, if it may still be authorized."""
    if not key or len(key) > 64:
        return None
    token = db.session.scalar(db.select(Token).filter_by(token=key, kind="request"))
    if token is None or token.revoked or token.verifier or oauth.request_token_expired(token):
        return None
    return token


def _invalid():
    return render_template("errors/error.html", code=400, title=_("Invalid authorization request"),
                           message=_("This authorization request is unknown, already used or expired. "
                                     "Go back to the application and start again.")), 400


def _approved(token):
    verifier = services.authorize_request_token(token, current_user)
    db.session.commit()
    if not token.callback or token.callback == "oob":
        return render_template("api/pin.html", consumer=token.consumer, verifier=verifier)
    return redirect(add_params_to_uri(token.callback, [("oauth_token", token.token),
                                                        ("oauth_verifier", verifier)]), code=303)


@bp.route("/services/oauth/authorize", methods=["GET", "POST"])
def authorize():
    """Show the application and the scopes it asks for; the person approves or denies."""
    key = request.values.get("oauth_token", "")
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path))
    if request.method == "POST":
        begin_write()
    token = _pending_token(key)
    if token is None:
        return _invalid()
    form = EmptyForm()
    if request.method == "POST" and form.validate_on_submit():
        if request.form.get("decision") == "approve":
            return _approved(token)
        callback = token.callback
        services.deny_request_token(token)
        db.session.commit()
        if callback and callback != "oob":
            return redirect(add_params_to_uri(callback, [("oauth_token", key), ("error", "access_denied")]),
                            code=303)
        return render_template("api/denied.html")
    # "minimal" (the default): no question when the person already gave this application these scopes
    if request.method == "GET" and request.args.get("interactivity", "minimal") != "confirm_user" \
            and services.covered_by_earlier_approval(token, current_user):
        begin_write()
        return _approved(token)
    scopes = [(s, SCOPE_LABELS.get(s) or SCOPES.get(s, "")) for s in token.scope_list]
    return render_template("api/authorize.html", token=token, consumer=token.consumer, scopes=scopes,
                           form=form)


# --- declarations, for apiref (the routes above answer these paths) -----------------------

def _served_by_route(call):  # pragma: no cover - Flask routes these paths to the views above
    raise method_forbidden("consumer_missing", "Use the OAuth endpoint.", status=401)


OAUTH_PARAMS = "Standard OAuth 1.0a parameters (oauth_consumer_key, oauth_signature, ...) are also required."
method("services/oauth/request_token", result="raw", consumer="required", token="ignored",
       params=[P("oauth_callback", required=True, description="Callback URL, or oob for the PIN flow."),
               P("scopes", type="list", description="Pipe-separated scopes (see services/apiref/scopes).")],
       brief="Get a request token (temporary credentials).", description=OAUTH_PARAMS,
       returns="Form-encoded oauth_token, oauth_token_secret, oauth_callback_confirmed.")(_served_by_route)
method("services/oauth/authorize", result="raw", consumer="ignored", token="ignored",
       params=[P("oauth_token", required=True, description="The request token."),
               P("interactivity", type="choice", choices=("minimal", "confirm_user"), default="minimal",
                 description="minimal: skip the question when the person already approved these scopes.")],
       brief="The page where the person approves the application (open it in a browser).",
       returns="An HTML page; then a redirect to the callback with oauth_token and oauth_verifier, "
               "or a PIN to type into the application (oob).")(_served_by_route)
method("services/oauth/access_token", result="raw", consumer="required", token="required",
       params=[P("oauth_verifier", required=True, description="The verifier (PIN) from the authorize step.")],
       brief="Exchange an authorized request token for an access token.", description=OAUTH_PARAMS,
       returns="Form-encoded oauth_token and oauth_token_secret.")(_served_by_route)


@method("services/oauth/revoke_token", result="raw", consumer="required", token="required", writes=True,
        brief="Revoke the access token this request is signed with.", returns="An empty dictionary.")
def revoke_token(call):
    if call.token is None:
        raise method_forbidden("user_missing", "There is no access token to revoke.", status=401)
    services.revoke_token(call.token)
    return {}
