"""The one call other modules make (`notify`), and the reader's side: lists, read marks, settings.

`notify` adds a row to the caller's session and does nothing else: the message is committed
or rolled back with the change it reports (an outbox), and the request never waits for SMTP.
It reads nothing, so it costs a rush path one INSERT; the recipient's language, address and
e-mail preferences are looked up by the sender when it delivers.
"""
from datetime import timedelta

from flask import current_app
from sqlalchemy import bindparam, func, select, update

from .. import clock
from ..auth.models import User
from ..database import begin_write, is_sqlite
from ..errors import ServiceError
from ..extensions import db
from ..langdict import ld
from .kinds import KINDS
from .models import Notification, NotificationSettings


def iso(value):
    """A datetime (naive, institution-local) as stored in a notification's context."""
    return value.isoformat(timespec="seconds") if value is not None else None


def link(endpoint, **values):
    """What a notification is about: an endpoint and its arguments."""
    return {"endpoint": endpoint, "values": values}


def notify(recipient, kind, context, link=None, *, lang=None, ical=None, coalesce_key=None, delay=0,
           keep=(), drop_if=None):
    """Queue a notification for `recipient` (a User, or an e-mail address) in the caller's
    transaction.

    `lang`: the language asked for (an API's message_lang_code), else the person's own.
    `ical`: an event for the e-mail's iCalendar part (uid, method REQUEST or CANCEL, start,
    end, summary, location, description). `coalesce_key`: while a notification with this key
    is unread and its e-mail unsent, a new one replaces its context (keeping the `keep` keys
    of the first, e.g. the value before the first change) instead of adding a message;
    `drop_if(context)` true then means nothing is left to say. `delay`: seconds the e-mail
    waits, so that quick corrections coalesce.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    if isinstance(recipient, User):
        user_id, email = recipient.id, None
    else:
        user_id, email = None, (recipient or "").strip() or None
    if user_id is None and email is None:
        return None
    now = clock.now().replace(microsecond=0)
    due = now + timedelta(seconds=delay)
    if coalesce_key:
        pending = _pending(coalesce_key, user_id, email)
        if pending is not None:
            merged = {**context, **{k: pending.context.get(k) for k in keep}}
            if drop_if is not None and drop_if(merged):
                db.session.delete(pending)
                return None
            pending.context, pending.link, pending.ical = merged, link, ical
            pending.created_at, pending.mail_next_at = now, due
            return pending
    item = Notification(user_id=user_id, email=email, kind=kind, context=context, link=link, lang=lang,
                        ical=ical, ical_uid=(ical or {}).get("uid"), coalesce_key=coalesce_key,
                        created_at=now, mail_status="queued", mail_next_at=due, mail_attempts=0)
    db.session.add(item)
    return item


def _pending(key, user_id, email):
    """The unread, not yet mailed notification with this key, locked against the sender."""
    stmt = select(Notification).where(
        Notification.coalesce_key == key, Notification.read_at.is_(None),
        Notification.mail_status == "queued", Notification.mail_attempts == 0,
        Notification.user_id == user_id if user_id is not None else Notification.email == email,
    ).order_by(Notification.id.desc()).limit(1)
    if not is_sqlite():
        stmt = stmt.with_for_update(skip_locked=True)  # a message being sent is left alone
    return db.session.scalar(stmt)


# --- the reader ------------------------------------------------------------------------------

# Built once: every page's header runs it (building a select costs about as much as running it).
_UNREAD = select(func.count(Notification.id)).where(Notification.user_id == bindparam("user"),
                                                    Notification.read_at.is_(None))


def unread_count(user):
    """One indexed count (user_id, read_at)."""
    return db.session.scalar(_UNREAD, {"user": user.id})


def page_of(user, page=1, per_page=25, unread_only=False):
    stmt = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    return db.paginate(stmt.order_by(Notification.created_at.desc(), Notification.id.desc()), page=page,
                       per_page=per_page, error_out=False)


def not_found():
    return ServiceError("object_not_found", "Notification not found.", status=404,
                        user_message=ld("Nie ma takiego powiadomienia.", "No such notification."))


def get_own(user, notification_id):
    item = db.session.get(Notification, notification_id)
    if item is None or not item.can_read(user):
        raise not_found()
    return item


def mark_read(user, notification_id):
    begin_write()
    item = get_own(user, notification_id)
    if item.read_at is None:
        item.read_at = clock.now()
    return item


def mark_all_read(user):
    begin_write()
    return db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=clock.now())).rowcount


# --- settings --------------------------------------------------------------------------------

def settings_of(user):
    return db.session.get(NotificationSettings, user.id)


def language_of(user):
    """The language of a person's messages: their choice, else the interface language they used
    last, else the institution's default."""
    settings = settings_of(user) if user is not None else None
    return (settings.language if settings else None) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _settings_row(user):
    row = settings_of(user)
    if row is None:
        row = NotificationSettings(user_id=user.id, email_off=[], updated_at=clock.now())
        db.session.add(row)
    return row


def record_language(user, lang):
    """Remember the interface language the person uses (the default for their messages)."""
    if lang not in current_app.config["LANGUAGES"]:
        return
    begin_write()
    row = _settings_row(user)
    if row.last_lang != lang:
        row.last_lang, row.updated_at = lang, clock.now()
    db.session.commit()


def save_settings(user, chosen_lang, email_kinds):
    """The person's language of messages ("" = follow the interface) and the kinds they want
    e-mail about (the others only in the portal)."""
    if chosen_lang not in ("", None, *current_app.config["LANGUAGES"]):
        raise ServiceError("param_invalid", "Unknown language.", user_message=ld("Nieznany język.",
                                                                                  "Unknown language."))
    unknown = set(email_kinds) - set(KINDS)
    if unknown:
        raise ServiceError("param_invalid", "Unknown notification kind.",
                           user_message=ld("Nieznany rodzaj powiadomień.", "Unknown kind of notification."))
    begin_write()
    row = _settings_row(user)
    row.chosen_lang = chosen_lang or None
    row.email_off = sorted(set(KINDS) - set(email_kinds))
    row.updated_at = clock.now()
    return row
