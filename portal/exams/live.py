"""Live seats: an open exam page refreshes its slot list with conditional requests.

While seats can still be taken (registration or switching open, or a micro-round draw
pending) the slot list carries a poller that asks for the list again every few seconds with
the ETag it was rendered with; the answer is 304 Not Modified, without a body, until
something it shows has changed (seats, slots, windows, the person's own seat, requests or
admission, the language). Students then no longer reload the whole page to watch the seats,
which in a rush is the load that hurts. A 304 costs the sign-in check, the exam and whether
the person may see it, and one query for the seats (bench/cost.py measures it).
"""
import hashlib
from operator import attrgetter

from flask import current_app
from flask_babel import get_locale

from . import queries, rounds, services as svc
from .models import Exam

DEFAULT_POLL_SECONDS = 10
PENDING_POLL_SECONDS = 3  # a draw is due soon: the student waits for its outcome


def poll_seconds(exam, pending, can_register, can_switch):
    """How often an open page asks again (None: it does not, nothing can change for it)."""
    if pending:
        return PENDING_POLL_SECONDS
    if can_register or can_switch:
        return current_app.config.get("EXAMS_SEATS_POLL_SECONDS", DEFAULT_POLL_SECONDS)
    return None


_EXAM_FIELDS = attrgetter(*(c.key for c in Exam.__table__.columns))  # every column of the exam, as a tuple


def slot_list_etag(exam, user, now):
    """A weak ETag of what the person's slot list shows now (computed from the data, not the
    HTML, so it needs no rendering)."""
    registered = None
    state = [queries.seats_state(exam, user.id), _EXAM_FIELDS(exam),
             exam.session.status, exam.registration_open(now), exam.unregistration_open(now),
             exam.exchange_open(now), str(get_locale())]
    for row in state[0]:
        registered = registered or row[-1]
    if exam.uses_micro_rounds:
        state.append(tuple((r.id, r.status, tuple(r.preferences)) for r in rounds.pending_requests(exam, user)))
    if exam.conditions and registered is None:
        state.append(tuple(svc.failed_conditions(exam, user.id)))
    return hashlib.sha256(repr(state).encode()).hexdigest()[:24]
