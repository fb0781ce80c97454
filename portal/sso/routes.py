"""Sign-in through the university: CAS and OpenID Connect, beside the local login form."""
import functools
import secrets

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session
from flask_babel import gettext as _
from flask_login import login_user

from ..errors import ServiceError
from ..extensions import csrf, db
from ..security.redirects import safe_next
from . import cas, logout, oidc, public_url
from .people import person_for
from .settings import cas_enabled, oidc_enabled

bp = Blueprint("sso", __name__)


def _answers_refusals(view):
    """A refused or failed sign-in is a page saying why, never a 500."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except ServiceError as err:
            current_app.logger.info("SSO sign-in refused: %s", err.message)
            return render_template("sso/refused.html", message=str(err)), err.status
    return wrapper


def _sign_in(identity):
    user = person_for(identity)
    login_user(user)
    logout.remember(user, identity)  # the university's single logout can end this sign-in
    session["sso_provider"] = identity.provider  # signing out then ends the university sign-in too
    db.session.commit()  # the server-side sign-in record (portal.auth.sessions) opened by login_user
    flash(_("Signed in as %(name)s.", name=user.full_name), "success")
    return redirect(safe_next(session.pop("sso_next", None)))


def _state_refused():
    return ServiceError("bad_state", "The sign-in came back without the state this browser was given.",
                        status=403, user_message={
                            "pl": "Ta próba logowania nie została rozpoczęta w tej przeglądarce. Zaloguj się ponownie.",
                            "en": "This sign-in was not started in this browser. Please sign in again."})


def _cas_service(state):
    return public_url("sso.cas_callback", state=state)


@bp.route("/login/cas")
def cas_login():
    """Send the person to the university's CAS to sign in."""
    if not cas_enabled(current_app.config):
        abort(404)
    state = secrets.token_urlsafe(24)
    session["sso_cas_state"] = state
    session["sso_next"] = request.args.get("next")
    return redirect(cas.login_url(_cas_service(state)))


@bp.route("/login/cas/callback")
@_answers_refusals
def cas_callback():
    """Come back from CAS with a service ticket: validate it and sign the person in."""
    if not cas_enabled(current_app.config):
        abort(404)
    state = session.pop("sso_cas_state", None)
    if not state or not secrets.compare_digest(request.args.get("state", ""), state):
        raise _state_refused()
    ticket = request.args.get("ticket", "")
    if not ticket:
        raise cas.refused("NO_TICKET", "")
    return _sign_in(cas.validate(ticket, _cas_service(state)))


@bp.route("/login/oidc")
@_answers_refusals
def oidc_login():
    """Send the person to the university's OpenID Connect provider."""
    if not oidc_enabled(current_app.config):
        abort(404)
    session["sso_next"] = request.args.get("next")
    return oidc.start(public_url("sso.oidc_callback"))


@bp.route("/login/oidc/callback")
@_answers_refusals
def oidc_callback():
    """Come back from the OpenID Connect provider: check everything, sign the person in."""
    if not oidc_enabled(current_app.config):
        abort(404)
    return _sign_in(oidc.finish())


# --- single logout: the university's servers tell us a sign-in has ended -------------------
# Called by the provider's server, not a browser: no session, no CSRF token (the ticket or the
# signed token is what is trusted), an empty 200 when understood, 400 when not.

def _single_logout(enabled, end, field, refusal):
    if not enabled(current_app.config):
        abort(404)
    try:
        end(request.form.get(field, ""))
    except logout.Refused as err:
        current_app.logger.info("single logout refused (%s): %s", field, err)
        return refusal(err)
    return "", 200, {"Cache-Control": "no-store"}


@bp.route("/login/cas/callback", methods=["POST"])
@csrf.exempt
def cas_single_logout():
    """CAS Single Logout: CAS POSTs a LogoutRequest to the service URL (this callback) the
    ticket was issued for."""
    return _single_logout(cas_enabled, logout.end_cas, "logoutRequest", lambda err: (
        "Not a CAS logout request.\n", 400, {"Content-Type": "text/plain; charset=utf-8"}))


@bp.route("/login/oidc/backchannel-logout", methods=["POST"])
@csrf.exempt
def oidc_backchannel_logout():
    """OpenID Connect Back-Channel Logout: the provider POSTs a signed logout token."""
    return _single_logout(oidc_enabled, logout.end_oidc, "logout_token", lambda err: (
        {"error": "invalid_request", "error_description": str(err)}, 400, {"Cache-Control": "no-store"}))
