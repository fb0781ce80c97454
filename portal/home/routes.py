"""Home page per role, and switching the interface language."""
from flask import Blueprint, abort, current_app, redirect, render_template, request, session
from flask_login import current_user, login_required

from ..auth.forms import submitted
from ..pagecache import kept_page
from ..security.redirects import safe_next
from ..web import nav_for

bp = Blueprint("home", __name__)


@bp.route("/")
@login_required
@kept_page
def index():
    """The signed-in person's home page, with what their roles let them do."""
    return render_template("home/index.html", items=nav_for(current_user))


@bp.route("/lang/<lang>", methods=["POST"])
def set_language(lang):
    """Switch the interface language and go back where the person was."""
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    if not submitted():
        abort(400)
    session["lang"] = lang
    return redirect(safe_next(request.form.get("next") or request.referrer), code=303)
