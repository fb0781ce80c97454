"""Sign-in throttling, kept in the database so that every worker and host shares it.

(Flask-Limiter and its `limits` storages keep counters in memory, Redis, Memcached or
MongoDB, none in SQL; the portal's only shared store is its database, hence this table.)

An attempt at an account is counted *before* its password is checked, in one short write
transaction (rows locked), so that N simultaneous guesses cannot all slip past the limit;
a successful sign-in gives its count back. Counters (SignInThrottle rows) are kept per
- account and client address ("pair"): 5 failures, then a growing delay;
- client address ("addr", IPv6 by /64): 50 failures, against spraying many accounts
  (counted once a password proved wrong: a campus behind one address signs in at once);
- account from clients it does not know ("acct"): 20 failures, against guessing from many
  addresses;
- trusted device ("dev"): a browser that has signed in to this account before carries a
  signed device cookie; its attempts are counted on their own (10 failures) instead of the
  three above. So an attacker who locks an account out (which takes 20 guesses, and again
  after each delay) locks out only browsers the account has never signed in with, and the
  person keeps signing in from their own (OWASP's "device cookies").
After a counter reaches its limit each further attempt waits 30 s, then 1, 2, 4 ... minutes,
at most 15; a counter is forgotten an hour after its last failure.
"""
import ipaddress
import random
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from ..database import lock, write_transaction
from ..extensions import db
from .models import SignInThrottle, utcnow

LIMITS = {"pair": 5, "addr": 50, "acct": 20, "dev": 10}
WINDOW = timedelta(hours=1)
FIRST_DELAY, MAX_DELAY = timedelta(seconds=30), timedelta(minutes=15)
DEVICE_COOKIE = "indeks_device"


class Throttled(Exception):
    def __init__(self, until):
        super().__init__(f"sign-in throttled until {until}")
        self.until = until


@dataclass
class Ticket:
    counted: list
    watched: list


def network(address):
    """The client address as counted: IPv6 by /64 (one subscriber's block), IPv4 whole."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _keys(login, address, device):
    """(counted, watched): counters an attempt counts before its password is checked, and
    those only a failure counts (the address: a campus behind one NAT signs in all at once)."""
    login = login.strip().lower()[:64]
    if device:
        return [f"dev:{device}"], []
    net = network(address)
    return [f"pair:{login}|{net}", f"acct:{login}"], [f"addr:{net}"]


def _delay(over):
    return min(FIRST_DELAY * 2 ** min(over, 20), MAX_DELAY)


def _locked_rows(keys, now, create=()):
    """The counters of `keys`, locked until commit; those in `create` made when missing."""
    if create:
        insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
        db.session.execute(insert(SignInThrottle).values([{"key": k, "failures": 0, "last_failure": now}
                                                          for k in create])
                           .on_conflict_do_nothing(index_elements=["key"]))
    return db.session.scalars(lock(select(SignInThrottle).where(SignInThrottle.key.in_(keys))
                                   .order_by(SignInThrottle.key))).all()


def _forget_old(now):
    """Counters an hour past their last failure count nothing any more (spraying leaves many)."""
    db.session.execute(delete(SignInThrottle).where(
        SignInThrottle.last_failure < now - WINDOW,
        or_(SignInThrottle.locked_until.is_(None), SignInThrottle.locked_until < now)))


def _count(row, now):
    if now - row.last_failure > WINDOW:
        row.failures, row.locked_until = 0, None
    row.failures += 1
    row.last_failure = now
    limit = LIMITS[row.key.split(":", 1)[0]]
    if row.failures >= limit:  # the next attempt waits
        row.locked_until = now + _delay(row.failures - limit)


def attempt(login, address, device=None):
    """Count one attempt before the password is checked; raises Throttled while any of its
    counters is locked (and then counts nothing). Returns the Ticket for `failed`/`succeeded`."""
    counted, watched = _keys(login, address, device)
    now = utcnow()
    with write_transaction():
        if random.random() < 0.01:
            _forget_old(now)
        rows = _locked_rows(counted + watched, now, create=counted)
        locked = [r.locked_until for r in rows if r.locked_until and r.locked_until > now]
        if locked:
            raise Throttled(max(locked))
        for row in rows:
            if row.key in counted:
                _count(row, now)  # pessimistic: as if it failed; `succeeded` gives it back
    return Ticket(counted, watched)


def failed(ticket):
    """The password was wrong: the counters that only failures count, count it."""
    if ticket.watched:
        now = utcnow()
        with write_transaction():
            for row in _locked_rows(ticket.watched, now, create=ticket.watched):
                _count(row, now)


def succeeded(ticket):
    """The password was right: the account+address and device counters start again; the
    account's gives back this attempt (in the caller's write transaction)."""
    rows = db.session.scalars(lock(select(SignInThrottle).where(SignInThrottle.key.in_(ticket.counted))))
    for row in rows:
        kind = row.key.split(":", 1)[0]
        if kind in ("pair", "dev"):
            db.session.delete(row)
            continue
        row.failures = max(row.failures - 1, 0)
        if row.failures < LIMITS[kind]:
            row.locked_until = None


def _serializer():
    return URLSafeSerializer(current_app.secret_key, salt="indeks-sign-in-device")


def trusted_device(cookie, login):
    """The device token of a valid device cookie for this login, else None."""
    if not cookie:
        return None
    try:
        data = _serializer().loads(cookie)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("login") != login.strip().lower()[:64]:
        return None
    token = data.get("token")
    return token if isinstance(token, str) and 0 < len(token) <= 64 else None


def device_cookie(login, token=None):
    """The value of a device cookie for this login (a new token unless one is given)."""
    return _serializer().dumps({"login": login.strip().lower()[:64], "token": token or secrets.token_urlsafe(24)})
