"""Sign-in through the university: CAS and OpenID Connect, beside the local login form."""
import functools
import secrets

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session
from flask_babel import gettext as _
from flask_login import login_user

from ..errors import ServiceError
from ..extensions import db
from ..security.redirects import safe_next
from . import cas, oidc, public_url
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
