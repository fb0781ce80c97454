"""Database plumbing shared by every feature: SQLite pragmas, write transactions, row locks.

On SQLite a transaction that first reads and later writes can fail at once with
"database is locked" when another writer committed in between; the busy timeout does not
help there. A request that may write therefore starts its transaction with
BEGIN IMMEDIATE, which waits (up to the busy timeout) for the single write lock and then
holds it to the end. PostgreSQL needs no such thing: row locks (`lock`) and atomic
conditional updates do the work there.
"""
import functools
import time
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

from .extensions import db

_write_intent: ContextVar[bool] = ContextVar("write_intent", default=False)
_reads_outside_transaction: ContextVar[bool] = ContextVar("reads_outside_transaction", default=False)

SQLITE_BUSY_TIMEOUT_MS = 30_000
# A PostgreSQL connection that rested in the pool longer than this is pinged before use.
PING_AFTER_REST_SECONDS = 1.0


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, connection_record):
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    # Let SQLAlchemy's "begin" event below emit BEGIN itself (pysqlite's own is broken).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _begin(conn):
    if conn.dialect.name != "sqlite":
        # PostgreSQL (psycopg): a `reads_first` request reads outside a transaction until it
        # begins to write. Under READ COMMITTED every statement sees its own snapshot inside a
        # transaction too, so nothing changes but the BEGIN and ROLLBACK round trips a refusal
        # no longer makes. Every other transaction is one, as before.
        _psycopg_autocommit(conn.connection.driver_connection,
                            _reads_outside_transaction.get() and not _write_intent.get())
        return
    if _write_intent.get():
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # seen by statement events (tests wait for the write lock on it)
    else:
        # Every request's read transaction: straight to the driver, not through SQLAlchemy's
        # statement machinery (about a twentieth of what a rush's refusal costs).
        conn.connection.driver_connection.execute("BEGIN")


def _psycopg_autocommit(driver, value):
    """Switch a psycopg connection between autocommit and transactions where it may be switched
    (idle: not inside a transaction); anything else is left as it is."""
    info = getattr(driver, "info", None)
    if type(driver).__module__.split(".")[0] == "psycopg" and info is not None \
            and info.transaction_status == 0 and driver.autocommit != value:  # 0: IDLE
        driver.autocommit = value


@event.listens_for(Pool, "checkin")
def _idle_in_autocommit(dbapi_connection, connection_record):
    # A connection at rest in the pool is in autocommit, so the ping of its next checkout
    # opens no transaction; the "begin" above decides what the request's reads run in.
    if dbapi_connection is not None:
        _psycopg_autocommit(dbapi_connection, True)
        connection_record.info["rested_since"] = time.monotonic()


@event.listens_for(Pool, "checkout")
def _ping_after_rest(dbapi_connection, connection_record, connection_proxy):
    """SQLAlchemy's pool_pre_ping, but only for a PostgreSQL connection that has rested in the
    pool for more than PING_AFTER_REST_SECONDS: what drops a connection (a server restart or
    failover, idle timeouts, a terminated backend) happens to one at rest, while a worker
    serving requests takes its connection again within milliseconds, and a round trip to
    the server before every request was a third of a rush refusal's. A connection that fails
    the ping invalidates the pool as pre_ping does (all connections older than it are
    replaced) and the checkout is retried on a new one. SQLite: a file drops nothing."""
    rested = connection_record.info.get("rested_since")
    if rested is None or time.monotonic() - rested <= PING_AFTER_REST_SECONDS:
        return  # new, or taken again at once
    if type(dbapi_connection).__module__.split(".")[0] != "psycopg":
        return
    try:
        dbapi_connection.execute(";")  # an empty query, as SQLAlchemy's pre-ping sends
    except dbapi_connection.Error as err:  # psycopg.Error: the connection is unusable
        raise exc.InvalidatePoolError(f"connection lost while it rested: {err}") from err


def is_sqlite():
    return db.engine.dialect.name == "sqlite"


def write_intent():
    """Whether this request's transactions take the write lock (see the module docstring)."""
    return _write_intent.get()


def set_write_intent(value=True):
    """Mark the current request as one that may write (see the module docstring)."""
    _write_intent.set(value)


def set_reads_outside_transaction(value=True):
    """On PostgreSQL, let this request read outside a transaction until `begin_write` (a
    `reads_first` view: see `_begin`)."""
    _reads_outside_transaction.set(value)


def reads_first(view):
    """For a view whose service reads first and calls `begin_write` only when it will really
    change something: in a rush most requests are refusals ("full") or polls, and on SQLite
    they then never queue for the single write lock; on PostgreSQL their reads run outside a
    transaction (see `_begin`)."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        set_write_intent(False)
        return view(*args, **kwargs)
    wrapper.reads_first = True  # seen through the outer decorators too (functools.wraps copies it)
    return wrapper


def write_command(command):
    """For a CLI command that writes: its transactions start with the write lock (BEGIN
    IMMEDIATE on SQLite), so commands run at once wait their turn as requests do instead of
    failing with "database is locked". Put it under the click decorators."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        token = _write_intent.set(True)
        try:
            return command(*args, **kwargs)
        finally:
            _write_intent.reset(token)
    return wrapper


def in_write_transaction():
    """Whether this request has begun its write transaction (in a `reads_first` view: whether
    the service got past its read-only checks)."""
    return _write_intent.get()


def begin_write():
    """End any read transaction and make the next one a write transaction.

    Call it at the top of a service that changes state, before its first query, when the
    caller may already have read (e.g. Flask-Login loading the user).
    """
    if not _write_intent.get():
        db.session.commit()
        _write_intent.set(True)


@contextmanager
def write_transaction():
    """Run a block as one write transaction: commit on success, roll back on error."""
    begin_write()
    try:
        yield db.session
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


@contextmanager
def side_write(busy_ms=250):
    """A small write on a connection of its own, beside a request's read transaction (never
    while the request holds the write lock itself): committed at once. On SQLite it waits
    at most `busy_ms` for the write lock, then raises OperationalError."""
    token = _write_intent.set(True)
    try:
        with db.engine.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            if sqlite:
                conn.connection.driver_connection.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
            try:
                with conn.begin():
                    yield conn
            finally:
                if sqlite:
                    conn.connection.driver_connection.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    finally:
        _write_intent.reset(token)


def end_read():
    """End this request's read transaction, if it began one: a request that never touched the
    database (services/apisrv/now) does not make a session just to roll it back."""
    if db.session.registry.has():
        db.session.rollback()


def lock(query):
    """Lock the rows a query selects until commit (FOR UPDATE on PostgreSQL).

    On SQLite the BEGIN IMMEDIATE of a write transaction already holds the database's
    single write lock, so nothing more is needed.
    """
    if is_sqlite():
        return query
    return query.with_for_update()
