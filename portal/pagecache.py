"""Pages a person opens again with nothing changed are answered from what this worker kept.

In a rush a thousand students open their exam list and the exam's page, and each of them
reloads it, again and again, long after the seats are gone; a lecturer goes back and forth
between a roster and the grade grid. Rendering such a page costs five to fifteen times what
the sign-in check costs. A page marked `@kept_page` is kept, per worker, for the person's
sign-in, language and address, and given again while both of these hold:

- **No write since.** Every transaction that changes a table the pages show adds one to
  `page_versions.version` in the same transaction, just before it commits (the engine's
  commit event, so the ORM, Core and raw SQL alike). The user loader reads the version in
  the query that loads the person, so a kept page is given only if nothing was committed
  since it was rendered, by this worker or any other, on this host or another. A page whose
  own request wrote (the draws it ran, the grades it marked seen) is rendered again next
  time. The sign-in bookkeeping (`user_sessions`, `sign_in_throttle`), the API's nonces and
  the e-mail language noted per person do not count (UNSHOWN_TABLES): no kept page shows
  them, and the user loader checks the sign-in itself on every request, so a sign-in ended
  elsewhere is never given a kept page.
- **No moment it depends on has passed.** While a page renders, every date and time of
  every row it loads is noted (`_note_times`); the page is kept until the earliest of them
  that is still ahead (a registration that opens, a consultation's start, a draw's end, a
  report's deadline), until the next midnight (what compares with "today") and at most
  PORTAL_PAGE_KEEP_SECONDS. Rows may name moments of their own that no column holds
  (`time_boundaries(now)`: a micro-round's end).

A refused form marked `@kept_refusal` (a click on a full slot, a sign-up for a full
consultation) is kept the same way, for the same sign-in and the same form: in a rush a
student clicks again and again, and every click is refused alike until someone gives a seat
up, which is a write. Only answers that changed nothing are worth keeping (4xx): an answer
whose request committed a change moved the version on, so it is never given again.

Never kept: pages with a flashed message waiting, htmx page requests, anything but a 200
text/html answer (a 4xx one for refusals), an answer whose request changed the session,
anything while templates reload (debug), anything while CSRF tokens expire
(WTF_CSRF_TIME_LIMIT set: each page then carries a token signed for it), and anything when
PORTAL_PAGE_KEEP_SECONDS is 0.
"""
import functools
import re
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from flask import current_app, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import DDL, DateTime, event
from sqlalchemy.engine import Engine

from . import clock
from .extensions import db
from .kept import Kept

KEPT_PAGES = 4096  # per worker: a rush's refusals (1-3 kB each) of a thousand people, and their pages
KEPT_BYTES = 32 * 1024 * 1024  # and at most this much of them (a roster or a grid is 100-200 kB)
# Tables whose writes no kept page shows (see the module docstring): the sign-in bookkeeping,
# the API's nonces, and the language e-mails go out in (noted on the first page after signing in;
# the settings page, which shows it, is not kept).
UNSHOWN_TABLES = frozenset({"page_versions", "user_sessions", "sign_in_throttle", "oauth_nonces",
                            "notification_settings"})
_DML_TABLE = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)
_BUMP = "UPDATE page_versions SET version = version + 1 WHERE id = 1"
_WROTE = "indeks_page_write"
SKIP_VERSIONS = "indeks_skip_page_versions"  # connection.info flag: migrations (the table may not exist yet)


class PageVersion(db.Model):
    """One row: how many transactions have changed what pages show (see the module docstring)."""
    __tablename__ = "page_versions"
    id = db.Column(db.Integer, primary_key=True, autoincrement=False)
    version = db.Column(db.BigInteger, nullable=False, default=0)


# db.create_all() (tests, a new database without migrations) makes the row as well.
event.listen(PageVersion.__table__, "after_create", DDL("INSERT INTO page_versions (id, version) VALUES (1, 0)"))

# The version, for the user loader's query (portal.auth.sessions): one column more, no statement.
VERSION = db.select(PageVersion.version).where(PageVersion.id == 1).scalar_subquery()


@event.listens_for(Engine, "before_cursor_execute")
def _note_write(conn, cursor, statement, parameters, context, executemany):
    if _WROTE in conn.info or statement[:1] in ("S", "s", "P", "p"):  # SELECT, PRAGMA: nothing to see
        return
    found = _DML_TABLE.match(statement)
    if found and found.group(1).lower() not in UNSHOWN_TABLES and not conn.info.get(SKIP_VERSIONS):
        conn.info[_WROTE] = True


@event.listens_for(Engine, "commit")
def _bump(conn):
    if conn.info.pop(_WROTE, False):
        # Inside the transaction that wrote: seen exactly with its rows. (Every write is in a
        # transaction: PostgreSQL's autocommit reads of `reads_first` requests end at begin_write.)
        conn.exec_driver_sql(_BUMP)


@event.listens_for(Engine, "rollback")
def _forget(conn):
    if not conn.invalidated:  # a lost connection's info cannot be read (nor can it have committed)
        conn.info.pop(_WROTE, None)


# --- the moments a page depends on ---------------------------------------------------------

_noting: ContextVar = ContextVar("indeks_page_times", default=None)  # [now, earliest moment ahead]
_TIME_COLUMNS = {}  # class -> (keys of its DateTime columns, whether it names moments of its own)


def _time_keys(cls):
    found = _TIME_COLUMNS.get(cls)
    if found is None:
        keys = tuple(prop.key for prop in cls.__mapper__.column_attrs
                     if any(isinstance(column.type, DateTime) for column in prop.columns))
        found = _TIME_COLUMNS[cls] = (keys, hasattr(cls, "time_boundaries"))
    return found


def _note_times(target, *_args):
    """An ORM load or refresh event: note the row's moments ahead (Date columns compare with
    today, which the next midnight covers)."""
    noted = _noting.get()
    if noted is None:
        return
    now, values = noted[0], target.__dict__
    keys, extra = _time_keys(type(target))
    for key in keys:
        value = values.get(key)
        if value is not None and now < value < noted[1]:
            noted[1] = value
    if extra:
        for value in target.time_boundaries(now):
            if value is not None and now < value < noted[1]:
                noted[1] = value


event.listen(db.Model, "load", _note_times, propagate=True)
event.listen(db.Model, "refresh", _note_times, propagate=True)


def _next_midnight(now):
    return datetime.combine(now.date() + timedelta(days=1), time.min)


# --- kept pages ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Page:
    version: int
    until: datetime
    body: bytes
    status: int = 200
    headers: tuple = ()  # the view's own (name, value) pairs (a refusal's HX-Reswap)


class _KeptPages(Kept):
    """Kept, emptied as well when the pages it holds reach KEPT_BYTES."""

    def __init__(self):
        super().__init__(KEPT_PAGES)
        self.bytes = 0

    def keep(self, key, page):
        if len(page.body) > KEPT_BYTES:
            return page
        if len(self) >= self.size or self.bytes + len(page.body) > KEPT_BYTES:
            self.clear()
            self.bytes = 0
        old = self.pop(key, None)
        if old is not None:
            self.bytes -= len(old.body)
        self[key] = page
        self.bytes += len(page.body)
        return page


def _kept():
    found = current_app.extensions.get("indeks_kept_pages")
    if found is None:
        found = current_app.extensions["indeks_kept_pages"] = _KeptPages()
    return found


def _key():
    environ, field = request.environ, current_app.config["WTF_CSRF_FIELD_NAME"]
    # The address as sent (decoding it into request.url costs more), the person, the sign-in,
    # its CSRF token (the one the page's forms carry) and the language.
    key = (environ["wsgi.url_scheme"], environ.get("HTTP_HOST"), environ.get("SCRIPT_NAME"),
           environ.get("PATH_INFO"), environ.get("QUERY_STRING"), current_user.id,
           current_user.session_id, session.get(field), str(get_locale()))
    if request.method == "GET":
        return key
    # A form's answer: what was sent (the CSRF token aside: protect() has checked it, and any
    # valid token of this session answers alike) and how (htmx or not, into which target).
    return key + (request.method, environ.get("HTTP_HX_REQUEST"), environ.get("HTTP_HX_TARGET"),
                  tuple(sorted((k, v) for k, v in request.form.items(multi=True) if k != field)))


def _keepable(method):
    config = current_app.config
    seconds = config["PORTAL_PAGE_KEEP_SECONDS"]
    return (seconds > 0 and request.method == method and not current_app.jinja_env.auto_reload
            and config["WTF_CSRF_TIME_LIMIT"] is None  # a kept page's forms would carry an older token
            and "_flashes" not in session and (method != "GET" or "HX-Request" not in request.headers)
            and current_user.is_authenticated and getattr(current_user, "page_version", None) is not None)


_MADE_AGAIN = frozenset({"Content-Type", "Content-Length"})  # what the kept answer's response class sets


def _kept_view(view, method, keeps):
    """`view`, answered from what was kept for the same request while nothing it read changed;
    an answer `keeps(response)` approves is kept with the headers the view gave it (those of
    every answer are added on the way out: portal.security.headers)."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not _keepable(method):
            return view(*args, **kwargs)
        key, version, now = _key(), current_user.page_version, clock.now()
        kept = _kept()
        page = kept.get(key)
        if page is not None and page.version == version and now < page.until:
            return current_app.response_class(page.body, page.status, page.headers)  # text/html, as kept
        limit = min(now + timedelta(seconds=current_app.config["PORTAL_PAGE_KEEP_SECONDS"]), _next_midnight(now))
        noted = [now, limit]
        token = _noting.set(noted)
        try:
            response = make_response(view(*args, **kwargs))
        finally:
            _noting.reset(token)
        if (keeps(response) and response.mimetype == "text/html" and not session.modified
                and not response.direct_passthrough and "Set-Cookie" not in response.headers):
            kept.keep(key, _Page(version, noted[1], response.get_data(), response.status_code,
                                 tuple(item for item in response.headers.items() if item[0] not in _MADE_AGAIN)))
        return response
    return wrapper


def kept_page(view):
    """Answer a GET page from what this worker kept, while nothing it shows has changed (see
    the module docstring); put it under @login_required."""
    return _kept_view(view, "GET", lambda response: response.status_code == 200)


def kept_refusal(view):
    """Answer a form sent again from what this worker kept while nothing has changed, if it
    was refused (a 4xx answer): in a rush a student clicks a full slot again and again, and
    every click would be refused alike until someone gives a seat up, which is a write. An
    answer that changed something is never given again: its own commit moved the version on.
    Put it under @login_required (the CSRF token is checked before)."""
    return _kept_view(view, "POST", lambda response: 400 <= response.status_code < 500)
