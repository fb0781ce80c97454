"""Administrators' outbox: every e-mail, its state and attempts, one message as it is (or was) sent."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..auth.forms import EmptyForm
from ..extensions import db
from . import mail, sender
from .kinds import words_of
from .models import MAIL_STATES, Notification
from .routes import _check_form, _page_number, bp


def _admin():
    if not current_user.is_admin:
        abort(403)


@bp.route("/outbox")
@login_required
def outbox():
    """E-mails waiting, sent, skipped and failed (newest first)."""
    _admin()
    state = request.args.get("state", "")
    stmt = select(Notification).options(selectinload(Notification.user))
    if state in MAIL_STATES:
        stmt = stmt.where(Notification.mail_status == state)
    page = db.paginate(stmt.order_by(Notification.id.desc()), page=_page_number(), per_page=50, error_out=False)
    rows = [(item, _address(item), words_of(item.kind, item.context)) for item in page.items]
    return render_template("notifications/outbox.html", page=page, rows=rows, state=state, states=MAIL_STATES,
                           configured=mail.configured(), form=EmptyForm())


def _address(item):
    if item.mail_to:
        return item.mail_to
    return item.email if item.user_id is None else (item.user.email if item.user else None)


@bp.route("/outbox/<int:notification_id>")
@login_required
def outbox_message(notification_id):
    """One e-mail as it goes out: headers, plain text, the iCalendar part."""
    _admin()
    item = db.session.get(Notification, notification_id) or abort(404)
    to, lang, why_not = sender.recipient(item)
    message = mail.compose(item, to or _address(item) or "-", lang,
                           sender.sequence_of(item) if item.ical_uid else 0)
    calendar = next((p.get_payload(decode=True).decode("utf-8") for p in message.message().walk()
                     if p.get_content_type() == "text/calendar"), None)
    return render_template("notifications/outbox_message.html", item=item, message=message, lang=lang,
                           why_not=why_not, calendar=calendar, form=EmptyForm(), configured=mail.configured())


@bp.route("/outbox/<int:notification_id>/retry", methods=["POST"])
@login_required
def outbox_retry(notification_id):
    """Queue a failed or skipped e-mail again."""
    _admin()
    _check_form()
    if sender.retry(notification_id):
        flash(_("The message is queued again."), "success")
    return redirect(url_for(".outbox_message", notification_id=notification_id), code=303)
