"""Sign-in views."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db
from .forms import EmptyForm, LoginForm
from .models import User

bp = Blueprint("auth", __name__)


def _safe_next(target):
    parts = urlsplit(target or "")
    if target and not parts.scheme and not parts.netloc and target.startswith("/"):
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with a login and password."""
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if not current_app.config.get("PORTAL_LOCAL_LOGIN", True):
        return render_template("auth/login.html", form=form), 403 if request.method == "POST" else 200
    if form.validate_on_submit():
        user = db.session.scalar(db.select(User).filter_by(login=form.login.data.strip()))
        if user is None or not user.check_password(form.password.data):
            form.password.errors.append(_("Wrong login or password."))
        else:
            login_user(user, remember=form.remember.data)
            flash(_("Signed in as %(name)s.", name=user.full_name), "success")
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out."""
    if EmptyForm().validate_on_submit():
        logout_user()
        flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))
