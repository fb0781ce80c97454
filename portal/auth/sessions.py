"""Sign-ins the server can end.

Each sign-in is a UserSession row; its id travels inside Flask-Login's user id
("<user id>:<session id>"), so both the signed session cookie and the remember cookie name
it. The user loader fetches the person and the sign-in in one query and refuses a deleted
or expired one: a cookie saved before signing out no longer signs anyone in.

`last_seen` is written at most every TOUCH_EVERY, so that requests stay reads: on a side
connection that gives up after a moment when SQLite's write lock is busy (the next request
tries again); on SQLite a request that holds the write lock itself writes it in its own
transaction instead (a side connection would wait for that very lock).
"""
import random
import re
from datetime import timedelta

from flask import current_app, request, session
from flask_login import logout_user
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.exc import OperationalError

from .. import pagecache
from ..database import side_write, write_intent
from ..extensions import db
from ..ids import int_id
from .models import User, UserSession, utcnow

TOUCH_EVERY = timedelta(minutes=5)


def limits(record):
    """(idle, lifetime) of a sign-in (a UserSession, or a row with its `remember`): a
    remembered one lasts REMEMBER_COOKIE_DURATION."""
    config = current_app.config
    if record.remember:
        return config["REMEMBER_COOKIE_DURATION"], config["REMEMBER_COOKIE_DURATION"]
    return (timedelta(minutes=config["PORTAL_SESSION_IDLE_MINUTES"]),
            timedelta(hours=config["PORTAL_SESSION_MAX_HOURS"]))


def record_sign_in(sender, user, **extra):
    """Flask-Login's `user_logged_in`: every login_user() (password, SSO, ...) opens a
    UserSession and puts its id into Flask-Login's user id; the caller commits."""
    now = utcnow()
    record = UserSession(user_id=user.id, remember=session.get("_remember") == "set", created=now,
                         last_seen=now, user_agent=request.user_agent.string[:300],
                         ip=(request.remote_addr or "")[:45])
    db.session.add(record)
    _forget_expired(user.id, now)
    db.session.flush()
    user.session_id = record.id
    session["_user_id"] = user.get_id()  # the remember cookie is written from this, after the request


def _forget_expired(user_id, now):
    horizon = now - current_app.config["REMEMBER_COOKIE_DURATION"]
    db.session.execute(delete(UserSession).where(UserSession.user_id == user_id, UserSession.last_seen < horizon))
    if random.random() < 0.01:  # everyone's sign-ins abandoned long ago
        db.session.execute(delete(UserSession).where(UserSession.last_seen < horizon))


# Built once: every signed-in request runs it, and building a joined select costs about as
# much as running it. The sign-in comes as the three columns its check needs (an entity costs
# more to load than the person's own), and with them the version of what pages show
# (portal.pagecache: whether a kept page still holds).
_SIGNED_IN = select(User, UserSession.remember, UserSession.created, UserSession.last_seen, pagecache.VERSION).join(
    UserSession, UserSession.user_id == User.id).where(UserSession.id == bindparam("session"),
                                                        User.id == bindparam("user"))


def load(flask_login_id):
    """The user of a live sign-in named by "<user id>:<session id>", or None."""
    raw_user, _, session_id = (flask_login_id or "").partition(":")
    user_id = int_id(raw_user)
    if user_id is None or not session_id or len(session_id) > 64:
        return None
    row = db.session.execute(_SIGNED_IN, {"session": session_id, "user": user_id}).first()
    if row is None:
        return None
    user, page_version = row[0], row[-1]
    now = utcnow()
    if UserSession.expired(row, now, *limits(row)):  # the row has the columns the rule reads
        return None
    user.session_id, user.page_version = session_id, page_version
    if now - row.last_seen > TOUCH_EVERY:
        _touch(session_id, now)
    return user


def _touch(session_id, now):
    stmt = update(UserSession).where(UserSession.id == session_id).values(last_seen=now)
    if write_intent() and db.engine.dialect.name == "sqlite":
        db.session.execute(stmt)  # this request holds the (single) write lock: commits with it
        return
    try:
        with side_write() as conn:
            conn.execute(stmt)
    except OperationalError:
        current_app.logger.info("last_seen of a sign-in not updated (database busy); next time")


def end(user):
    """Sign out here: the sign-in is deleted, so its cookies are worthless."""
    if user.is_authenticated and user.session_id:
        db.session.execute(delete(UserSession).where(UserSession.id == user.session_id))
    logout_user()


def end_other(user, session_id):
    """End one of the person's other sign-ins; False when it is not theirs (or gone)."""
    done = db.session.execute(delete(UserSession).where(UserSession.id == session_id,
                                                        UserSession.user_id == user.id,
                                                        UserSession.id != user.session_id))
    return done.rowcount == 1


def end_all(user):
    """Sign out of all devices, this one included."""
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    logout_user()


def active(user):
    """The person's live sign-ins, newest activity first."""
    now = utcnow()
    records = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)
                                 .order_by(UserSession.last_seen.desc()))
    return [r for r in records if not r.expired(now, *limits(r))]


BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
            ("Chromium/", "Chromium"), ("Safari/", "Safari"), ("curl/", "curl"), ("python-requests/", "Python"))
SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
           ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))


def device(user_agent):
    """A short, recognisable name of a browser and system ("Firefox, Linux")."""
    browser = next((name for mark, name in BROWSERS if mark in user_agent), None)
    system = next((name for mark, name in SYSTEMS if mark in user_agent), None)
    found = ", ".join(part for part in (browser, system) if part)
    return found or re.sub(r"[^\w./ -]", "", user_agent)[:40]
