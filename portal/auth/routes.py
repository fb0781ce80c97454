"""Sign-in views, and the person's sign-ins on their devices."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from ..extensions import db
from ..security.redirects import safe_next
from ..sso import sign_out_url
from . import sessions, signin, throttle
from .forms import EmptyForm, LoginForm, submitted

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with a login and password."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if not current_app.config.get("PORTAL_LOCAL_LOGIN", True):
        return render_template("auth/login.html", form=form), 403 if request.method == "POST" else 200
    if form.validate_on_submit():
        try:
            user = signin.authenticate(form.login.data, form.password.data, request.remote_addr,
                                       request.cookies.get(throttle.DEVICE_COOKIE))
        except throttle.Throttled as refused:
            form.password.errors.append(signin.throttled_message(refused.until))
        else:
            if user is None:
                form.password.errors.append(_("Wrong login or password."))
            else:
                login_user(user, remember=form.remember.data)
                db.session.commit()
                flash(_("Signed in as %(name)s.", name=user.full_name), "success")
                return signin.remember_device(redirect(safe_next(request.args.get("next"))), user)
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out: this sign-in ends for good (and the university's, when it signed the person in)."""
    if submitted():
        provider = session.pop("sso_provider", None)
        sessions.end(current_user)
        db.session.commit()
        flash(_("You have signed out."), "info")
        away = sign_out_url(provider)
        if away:
            return redirect(away)
    return redirect(url_for("auth.login"))


@bp.route("/account/sessions")
@login_required
def account_sessions():
    """Where the person is signed in, with a way to end any of it."""
    return render_template("auth/sessions.html", records=sessions.active(current_user),
                           current=current_user.session_id, device=sessions.device, form=EmptyForm())


@bp.route("/account/sessions/<session_id>/end", methods=["POST"])
@login_required
def end_session(session_id):
    """Sign out one other device."""
    if not submitted():
        abort(400)
    if not sessions.end_other(current_user, session_id):
        abort(404)
    db.session.commit()
    flash(_("That device has been signed out."), "success")
    return redirect(url_for(".account_sessions"), code=303)


@bp.route("/account/sessions/end-all", methods=["POST"])
@login_required
def end_all_sessions():
    """Sign out of all devices, this one included."""
    if not submitted():
        abort(400)
    sessions.end_all(current_user)
    db.session.commit()
    flash(_("You have been signed out on all devices."), "info")
    return redirect(url_for(".login"), code=303)
