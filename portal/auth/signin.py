"""Signing in with a login and password, through the throttle (see throttle.py)."""
import math
from datetime import timedelta

from flask import current_app, request
from flask_babel import format_datetime, format_timedelta, gettext as _
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..database import begin_write, set_write_intent
from ..extensions import db
from . import throttle
from .models import User, utcnow

_dummy_hash = None


def _spend_a_hash(password):
    """Check a password against a made-up hash: an unknown login takes as long as a known one."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = generate_password_hash("not a password")
    check_password_hash(_dummy_hash, password)


def authenticate(login, password, address, device_cookie=None):
    """The person these credentials belong to, or None; raises throttle.Throttled when too
    many attempts failed. On success the caller's write transaction is open: sign in, commit."""
    login = login.strip()
    ticket = throttle.attempt(login, address, throttle.trusted_device(device_cookie, login))
    set_write_intent(False)  # the slow password hash is checked outside the write lock
    user = db.session.scalar(select(User).filter_by(login=login))
    if user is None:
        _spend_a_hash(password)
    if user is None or not user.check_password(password):
        db.session.rollback()
        throttle.failed(ticket)
        return None
    begin_write()
    throttle.succeeded(ticket)
    return db.session.get(User, user.id)


def throttled_message(until):
    """When to try again, in the person's language and time zone."""
    wait = timedelta(seconds=max(math.ceil((until - utcnow()).total_seconds()), 1))
    return _("Too many failed sign-in attempts. Try again %(when)s (at %(time)s).",
             when=format_timedelta(wait, threshold=1.5, add_direction=True),
             time=format_datetime(until, "HH:mm:ss"))


def remember_device(response, user):
    """Give this browser (or renew) the device cookie of `user`'s login."""
    token = throttle.trusted_device(request.cookies.get(throttle.DEVICE_COOKIE), user.login)
    response.set_cookie(throttle.DEVICE_COOKIE, throttle.device_cookie(user.login, token),
                        max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response
