"""Notifications: one row per message, shown in the portal and delivered by e-mail (the outbox).

A row is written in the same transaction as the change it reports, so a rolled-back change
leaves none and a committed one is never lost; `flask notifications send` delivers the
e-mail later (see sender.py). The text is not stored: the row keeps the facts (`context`,
a JSON snapshot taken at the time of the change) and kinds.py words them in whichever
language the reader needs.
"""
from ..extensions import db

# E-mail states: queued (waiting, or waiting for a retry), sending (claimed by a sender until
# `mail_claimed_until`), sent, skipped (nobody to send to, or the person turned e-mail off for
# this kind), failed (gave up: a permanent refusal or too many attempts).
MAIL_STATES = ("queued", "sending", "sent", "skipped", "failed")


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        db.Index("ix_notifications_user_unread", "user_id", "read_at"),
        db.Index("ix_notifications_mail_due", "mail_status", "mail_next_at"),
    )

    id = db.Column(db.Integer, primary_key=True)
    # A member of the university (in the portal and by e-mail), or only an e-mail address
    # (someone from outside booked by staff).
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"))
    email = db.Column(db.String(200))
    kind = db.Column(db.String(40), nullable=False)
    context = db.Column(db.JSON, nullable=False)
    # What it is about: an endpoint and its arguments, built into a URL when shown or mailed.
    link = db.Column(db.JSON)
    # The language asked for explicitly (an API caller's message_lang_code); None: the person's.
    lang = db.Column(db.String(2))
    # iCalendar event of the e-mail (uid, method, times, summary, ...); `ical_uid` also orders
    # the SEQUENCE of one event's messages.
    ical = db.Column(db.JSON)
    ical_uid = db.Column(db.String(200), index=True)
    # Changes of one thing that arrive in a row become one message while it is unread and unsent.
    coalesce_key = db.Column(db.String(120), index=True)
    created_at = db.Column(db.DateTime, nullable=False, index=True)
    read_at = db.Column(db.DateTime)

    mail_status = db.Column(db.String(10), nullable=False, default="queued")
    mail_next_at = db.Column(db.DateTime, nullable=False)
    mail_attempts = db.Column(db.Integer, nullable=False, default=0)
    mail_claim = db.Column(db.String(32))
    mail_claimed_until = db.Column(db.DateTime)
    mail_error = db.Column(db.Text)
    mail_sent_at = db.Column(db.DateTime)
    mail_to = db.Column(db.String(200))  # the address it went (or was to go) to

    user = db.relationship("User")

    def can_read(self, user):
        return user is not None and self.user_id == user.id


class NotificationSettings(db.Model):
    """A person's message settings: their language and the kinds they want no e-mail about."""
    __tablename__ = "notification_settings"

    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # The interface language the person used last (recorded as they use the portal) ...
    last_lang = db.Column(db.String(2))
    # ... unless they chose the language of their messages themselves.
    chosen_lang = db.Column(db.String(2))
    email_off = db.Column(db.JSON, nullable=False, default=list)  # kinds without e-mail
    updated_at = db.Column(db.DateTime, nullable=False)

    @property
    def language(self):
        return self.chosen_lang or self.last_lang
