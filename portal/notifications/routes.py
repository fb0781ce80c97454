"""My notifications (the list, the unread count in the header, read marks), my message settings."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import formatting
from ..auth.forms import EmptyForm, submitted
from ..errors import ServiceError
from ..extensions import db
from . import services
from .forms import SettingsForm
from .kinds import KINDS, words_of
from .mail import url_of

bp = Blueprint("notifications", __name__, url_prefix="/notifications", static_folder="static",
               static_url_path="/static/notifications")


def _page_number():
    page = request.args.get("page", "1")
    return int(page) if page.isascii() and page.isdigit() and 0 < len(page) < 6 and int(page) > 0 else 1


def _item_view(item):
    return {"item": item, "text": words_of(item.kind, item.context), "url": url_of(item.link),
            "when": formatting.datetime(item.created_at)}


@bp.route("/")
@login_required
def index():
    """My notifications, newest first, each linking to what it is about."""
    unread_only = request.args.get("unread") == "1"
    page = services.page_of(current_user, _page_number(), unread_only=unread_only)
    return render_template("notifications/index.html", page=page, views=[_item_view(i) for i in page.items],
                           unread_only=unread_only, unread=services.unread_count(current_user), form=EmptyForm())


@bp.route("/badge")
@login_required
def badge():
    """The unread count for the header (loaded by htmx after the page)."""
    return render_template("notifications/_badge.html", unread=services.unread_count(current_user))


def _check_form():
    if not submitted():
        abort(400, _("The form has expired; reload the page and try again."))


def _own(notification_id, action):
    try:
        result = action(current_user, notification_id)
        db.session.commit()
        return result
    except ServiceError:
        db.session.rollback()
        abort(404)


@bp.route("/<int:notification_id>/read", methods=["POST"])
@login_required
def mark_read(notification_id):
    """Mark one notification read (in place with htmx)."""
    _check_form()
    item = _own(notification_id, services.mark_read)
    if request.htmx:
        return render_template("notifications/_item.html", form=EmptyForm(), **_item_view(item))
    return redirect(url_for(".index"), code=303)


@bp.route("/<int:notification_id>/open", methods=["POST"])
@login_required
def open_item(notification_id):
    """Mark a notification read and go to what it is about."""
    _check_form()
    item = _own(notification_id, services.mark_read)
    return redirect(url_of(item.link) or url_for(".index"), code=303)


@bp.route("/read-all", methods=["POST"])
@login_required
def mark_all_read():
    """Mark every notification of mine read."""
    _check_form()
    services.mark_all_read(current_user)
    db.session.commit()
    flash(_("All notifications are marked read."), "success")
    return redirect(url_for(".index"), code=303)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    """The language of my messages and what I also want by e-mail."""
    form = SettingsForm()
    row = services.settings_of(current_user)
    if request.method == "GET":
        form.lang.data = (row.chosen_lang if row else None) or ""
        off = set(row.email_off if row else [])
        form.email.data = [k for k in KINDS if k not in off]
    elif form.validate_on_submit():
        try:
            services.save_settings(current_user, form.lang.data, form.email.data or [])
            db.session.commit()
            flash(_("Settings saved."), "success")
            return redirect(url_for(".settings"), code=303)
        except ServiceError as err:
            db.session.rollback()
            flash(str(err), "error")
    status = 422 if request.method == "POST" else 200
    return render_template("notifications/settings.html", form=form, kinds=KINDS,
                           language=services.language_of(current_user)), status
