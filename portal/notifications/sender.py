"""Delivering the outbox: claim due messages, send them over SMTP, retry with back-off.

Never twice: a sender first claims a batch in one short transaction (on PostgreSQL
`SELECT … FOR UPDATE SKIP LOCKED`, so concurrent senders take disjoint batches; on SQLite the
write lock of BEGIN IMMEDIATE serialises the claims), marking the rows "sending" with its
token and a lease (NOTIFY_LEASE_SECONDS). It talks to SMTP about a message only while more
than half of its lease is left (else it first renews the lease with a conditional UPDATE that
succeeds only while the rows are still its own), and an SMTP conversation is bounded by
MAIL_TIMEOUT, far shorter than half a lease: no other sender can claim a message meanwhile. A
sender that died leaves rows whose lease runs out, and they are claimed again (a sender that
stalls longer than its lease could repeat one message; the Message-ID, the same every time,
lets the receiving side tell). No transaction is open while SMTP is talked to, so portal
requests never wait for it (nor for the sender).

A refusal of the server for this one message (a 4xx) or a connection failure leaves the
message queued with the next attempt later (back-off doubling from NOTIFY_RETRY_SECONDS);
a permanent refusal (5xx) or NOTIFY_MAX_ATTEMPTS attempts mark it failed, and administrators
can queue it again from the outbox page.
"""
import logging
import secrets
import smtplib
import time
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, or_, select, update

from .. import clock
from ..database import begin_write, is_sqlite, set_write_intent
from ..extensions import db
from . import mail, services
from .models import Notification

log = logging.getLogger(__name__)


@dataclass
class Report:
    sent: int = 0
    skipped: int = 0
    retried: int = 0
    failed: int = 0
    errors: list = field(default_factory=list)
    server_down: bool = False

    def __str__(self):
        return f"sent {self.sent}, skipped {self.skipped}, to retry {self.retried}, failed {self.failed}"


class ServerDown(Exception):
    """The SMTP server cannot be reached: stop this run, try again on the next."""


class LeaseLost(Exception):
    """This sender's claim ran out (it stalled): stop; another sender has the messages."""


def backoff(attempts):
    """Seconds before attempt number `attempts` + 1: doubling, at most six hours."""
    base = current_app.config["NOTIFY_RETRY_SECONDS"]
    return min(base * 2 ** max(attempts - 1, 0), 6 * 3600)


def _write(statement):
    """Run one UPDATE in a transaction of its own; its rowcount."""
    begin_write()
    done = db.session.execute(statement.execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    set_write_intent(False)
    return done


def claim(now, batch, lease):
    """Claim up to `batch` due messages for this sender: (token, ids)."""
    begin_write()
    stmt = (select(Notification.id)
            .where(Notification.mail_status.in_(("queued", "sending")), Notification.mail_next_at <= now,
                   or_(Notification.mail_claimed_until.is_(None), Notification.mail_claimed_until < now))
            .order_by(Notification.mail_next_at, Notification.id).limit(batch))
    if not is_sqlite():
        stmt = stmt.with_for_update(skip_locked=True)
    ids = list(db.session.scalars(stmt))
    token = secrets.token_hex(16)
    if ids:
        db.session.execute(update(Notification).where(Notification.id.in_(ids)).values(
            mail_status="sending", mail_claim=token, mail_claimed_until=now + lease)
            .execution_options(synchronize_session=False))
    db.session.commit()
    set_write_intent(False)
    return token, ids


def _mine(item_id, token):
    return (Notification.id == item_id) & (Notification.mail_claim == token) & (Notification.mail_status == "sending")


def _finish(item_id, token, **values):
    return _write(update(Notification).where(_mine(item_id, token)).values(mail_claimed_until=None, **values))


def _release(token):
    """Give back what this sender claimed and did not get to."""
    _write(update(Notification).where(Notification.mail_claim == token, Notification.mail_status == "sending")
           .values(mail_status="queued", mail_claim=None, mail_claimed_until=None))


def recipient(item):
    """(address, language, why not) of a notification's e-mail."""
    if item.user_id is None:
        return item.email, item.lang or current_app.config["BABEL_DEFAULT_LOCALE"], None
    settings = services.settings_of(item.user)
    lang = item.lang or services.language_of(item.user)
    if settings is not None and item.kind in (settings.email_off or []):
        return None, lang, "e-mail turned off for this kind"
    if not item.user.email:
        return None, lang, "no e-mail address"
    return item.user.email, lang, None


def sequence_of(item):
    """SEQUENCE of the item's iCalendar event: how many messages about it came before."""
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.ical_uid == item.ical_uid, Notification.id < item.id))


def _permanent(exc):
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


class Sender:
    """One delivery run over one SMTP connection (opened when the first message needs it)."""

    def __init__(self, now=None):
        self.now = now
        self.report = Report()
        self.connection = None
        self.claimed_at = 0.0

    def _clock(self):
        return self.now or clock.now()

    def _send(self, message):
        if self.connection is None:
            c = current_app.config  # read now, not when the app was made: what the sender runs with
            self.connection = mail.mail.get_connection(
                host=c["MAIL_SERVER"], port=c["MAIL_PORT"], username=c["MAIL_USERNAME"] or "",
                password=c["MAIL_PASSWORD"] or "", use_tls=c["MAIL_USE_TLS"], use_ssl=c["MAIL_USE_SSL"],
                timeout=c["MAIL_TIMEOUT"])
        try:
            self.connection.open()  # kept open for the whole run (send_messages closes only its own)
            self.connection.send_messages([message])
        except BaseException:
            self._close()
            raise

    def _close(self):
        if self.connection is not None:
            try:
                self.connection.close()
            except (OSError, smtplib.SMTPException):
                pass
            self.connection = None

    def _lease_left(self, token):
        """Is more than half of this sender's lease left? Renew it when not (False: it is gone)."""
        lease = current_app.config["NOTIFY_LEASE_SECONDS"]
        if time.monotonic() - self.claimed_at < lease / 2:
            return True
        renewed = _write(update(Notification).where(
            Notification.mail_claim == token, Notification.mail_status == "sending",
            Notification.mail_claimed_until > self._clock()).values(
            mail_claimed_until=self._clock() + timedelta(seconds=lease)))
        if renewed:
            self.claimed_at = time.monotonic()
        return renewed > 0

    def deliver_one(self, item_id, token):
        config = current_app.config
        item = db.session.get(Notification, item_id, populate_existing=True)
        if item is None or item.mail_claim != token:
            return
        to, lang, why_not = recipient(item)
        if why_not or not to:
            _finish(item_id, token, mail_status="skipped", mail_error=why_not or "no e-mail address")
            self.report.skipped += 1
            return
        attempts = item.mail_attempts + 1
        try:
            message = mail.compose(item, to, lang, sequence_of(item) if item.ical_uid else 0)
        except Exception as exc:  # a message that cannot be written must not hold up the others
            log.exception("Cannot compose notification %s", item_id)
            db.session.rollback()
            _finish(item_id, token, mail_status="failed", mail_attempts=attempts, mail_claim=None,
                    mail_error=f"cannot compose: {type(exc).__name__}: {exc}"[:1000])
            self.report.failed += 1
            return
        db.session.commit()  # no transaction stays open while SMTP is talked to
        if not self._lease_left(token):
            raise LeaseLost()
        try:
            self._send(message)
        except (smtplib.SMTPException, OSError) as exc:
            error = f"{type(exc).__name__}: {exc}"[:1000]
            self.report.errors.append(error)
            down = not isinstance(exc, (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused))
            if _permanent(exc) or attempts >= config["NOTIFY_MAX_ATTEMPTS"]:
                _finish(item_id, token, mail_status="failed", mail_attempts=attempts, mail_error=error, mail_claim=None,
                        mail_to=to)
                self.report.failed += 1
            else:
                _finish(item_id, token, mail_status="queued", mail_attempts=attempts, mail_error=error, mail_to=to,
                        mail_claim=None, mail_next_at=self._clock() + timedelta(seconds=backoff(attempts)))
                self.report.retried += 1
            if down:
                raise ServerDown(error) from exc
            return
        # The claim token stays on the row: which sender sent it.
        _finish(item_id, token, mail_status="sent", mail_attempts=attempts, mail_sent_at=clock.now(), mail_error=None,
                mail_to=to)
        self.report.sent += 1

    def run(self, limit=None):
        """Deliver every due message (at most `limit`); stops early when the server is down."""
        config = current_app.config
        lease = timedelta(seconds=config["NOTIFY_LEASE_SECONDS"])
        done = 0
        try:
            while limit is None or done < limit:
                batch = config["NOTIFY_BATCH"] if limit is None else min(config["NOTIFY_BATCH"], limit - done)
                token, ids = claim(self._clock(), batch, lease)
                self.claimed_at = time.monotonic()
                if not ids:
                    break
                try:
                    for item_id in ids:
                        self.deliver_one(item_id, token)
                        done += 1
                finally:
                    _release(token)
        except ServerDown:
            self.report.server_down = True
            log.warning("SMTP server unavailable: %s", self.report.errors[-1])
        except LeaseLost:
            log.warning("The claim on the outbox ran out; stopping this run")
        finally:
            self._close()
            db.session.rollback()
            set_write_intent(False)
        return self.report


def deliver(now=None, limit=None):
    """One delivery run (what `flask notifications send` does): the Report."""
    return Sender(now).run(limit)


def retry(item_id):
    """Queue a failed (or skipped) message again, now (administrators, from the outbox page)."""
    return _write(update(Notification).where(Notification.id == item_id,
                                             Notification.mail_status.in_(("failed", "skipped")))
                  .values(mail_status="queued", mail_attempts=0, mail_next_at=clock.now(), mail_claim=None,
                          mail_claimed_until=None, mail_error=None))
