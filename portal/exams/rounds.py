"""Fair registration in micro-rounds.

When an exam has a micro-round length, a student's click is not a seat yet but a request
(ranked slot preferences when the exam has priorities, one slot otherwise) for the current
micro-round. Requests of one round count as simultaneous: once the round has ended, a random
draw orders the students and each in turn gets their best preference that still has a free
seat. The seed, the drawn order and the outcome are stored (`ExamDraw`) so staff can audit
and replay the draw. The draw runs lazily: the first request or page view after the round's
end settles it, under the exam's row lock, exactly once (unique exam + round).
"""
import random
import secrets
from datetime import timedelta

from .. import clock
from ..auth.models import User
from ..database import begin_write, lock
from ..errors import ServiceError
from ..extensions import db
from ..langdict import ld
from . import notices
from .models import Exam, ExamDraw, ExamRequest, ExamSlot
from .registration import already_registered, not_attending, place, window_closed
from .services import as_int, attends_course, check_admitted, registration_of


def submit_request(exam, user, slot_ids, now=None):
    """Record (or replace) the student's preferences for the current micro-round."""
    now = now or clock.now()
    begin_write()
    settle(exam, now)
    limit = exam.preferences_limit if exam.has_priorities else 1
    wanted = list(dict.fromkeys(as_int(s) for s in slot_ids if as_int(s) is not None))[:max(limit, 1)]
    own = {s.id for g in exam.groups for s in g.slots}
    if not wanted or any(s not in own for s in wanted):
        raise ServiceError("param_invalid", "Choose slots of this exam.", param_name="slots",
                           user_message=ld("Wybierz terminy tego egzaminu.", "Choose slots of this exam."))
    existing = registration_of(exam, user.id)
    if existing is None:
        if not exam.registration_open(now):
            raise window_closed("registration")
        if not attends_course(exam, user.id):
            raise not_attending()
        check_admitted(exam, user.id)
    else:
        if not exam.exchange_open(now):
            raise window_closed("exchange")
        if wanted == [existing.slot_id]:
            raise already_registered(same_slot=True)
    index, _start, end = exam.micro_round(now)
    request = db.session.scalar(db.select(ExamRequest).filter_by(exam_id=exam.id, user_id=user.id,
                                                                 round_index=index))
    if request is None:
        request = ExamRequest(exam_id=exam.id, user_id=user.id, round_index=index, round_end=end,
                              created_at=now, preferences=wanted)
        db.session.add(request)
    else:
        request.preferences, request.created_at, request.status = wanted, now, "pending"
    db.session.flush()
    return request


def withdraw_request(exam, user):
    begin_write()
    for request in pending_requests(exam, user):
        db.session.delete(request)
    db.session.flush()


def pending_requests(exam, user=None):
    query = db.select(ExamRequest).filter_by(exam_id=exam.id, status="pending")
    if user is not None:
        query = query.filter_by(user_id=user.id)
    return db.session.scalars(query.order_by(ExamRequest.id)).all()


def waiting_of(user):
    """{exam id: when the round ends} of the person's requests waiting for their draw."""
    return dict(db.session.execute(db.select(ExamRequest.exam_id, db.func.max(ExamRequest.round_end)).where(
        ExamRequest.user_id == user.id, ExamRequest.status == "pending").group_by(ExamRequest.exam_id)).all())


def settle_waiting(user, now):
    """Run the ended rounds' draws of the exams the person waits in (everyone's requests of
    those rounds, as the exam page does); then what the person still waits for."""
    waiting = waiting_of(user)
    due = [exam_id for exam_id, end in waiting.items() if end <= now]
    if not due:
        return waiting
    for exam_id in due:
        settle(db.session.get(Exam, exam_id), now)
    db.session.commit()
    return waiting_of(user)


def has_due_rounds(exam, now):
    return exam.uses_micro_rounds and db.session.scalar(
        db.select(db.func.count(ExamRequest.id)).where(
            ExamRequest.exam_id == exam.id, ExamRequest.status == "pending",
            ExamRequest.round_end <= now)) > 0


def settle(exam, now=None):
    """Run the draws of every micro-round of `exam` that has ended; returns the new draws."""
    now = now or clock.now()
    if not has_due_rounds(exam, now):
        return []
    begin_write()
    db.session.scalar(lock(db.select(Exam.id).where(Exam.id == exam.id)))  # one settler at a time
    rounds = sorted({r.round_index for r in db.session.scalars(
        db.select(ExamRequest).where(ExamRequest.exam_id == exam.id, ExamRequest.status == "pending",
                                     ExamRequest.round_end <= now)
        .execution_options(populate_existing=True))})
    return [_draw(exam, index, now) for index in rounds]


def settle_all(now=None):
    """Every exam's due draws, each exam in its own transaction."""
    now = now or clock.now()
    exam_ids = db.session.scalars(db.select(ExamRequest.exam_id).distinct().where(
        ExamRequest.status == "pending", ExamRequest.round_end <= now)).all()
    draws = []
    for exam_id in exam_ids:
        draws += [d.id for d in settle(db.session.get(Exam, exam_id), now)]
        db.session.commit()
    return draws


def _draw(exam, index, now):
    requests = db.session.scalars(db.select(ExamRequest).filter_by(
        exam_id=exam.id, round_index=index, status="pending")).all()
    seed = secrets.token_hex(8)
    order = sorted(r.user_id for r in requests)
    random.Random(seed).shuffle(order)
    by_user = {r.user_id: r for r in requests}
    start = exam.registration_start
    length = exam.micro_round_length
    period = length + (exam.micro_break_length or 0)
    round_start = start + timedelta(seconds=period * index)
    draw = ExamDraw(exam_id=exam.id, round_index=index, round_start=round_start,
                    round_end=round_start + timedelta(seconds=length), drawn_at=now, seed=seed,
                    order=order, outcome={})
    db.session.add(draw)
    db.session.flush()
    outcome = {}
    for user_id in order:
        request = by_user[user_id]
        user = db.session.get(User, user_id)
        got = None
        for slot_id in request.preferences:
            slot = db.session.get(ExamSlot, slot_id)
            if slot is None:
                continue
            try:
                with db.session.begin_nested():
                    place(exam, user, slot, now, check_window=False)
                got = slot_id
                break
            except ServiceError as err:
                if err.reason == "already_registered":
                    got = slot_id
                    break
        request.status = "accepted" if got else "refused"
        request.slot_id, request.draw_id = got, draw.id
        outcome[str(user_id)] = got
        notices.draw_outcome(exam, user, slot if got else None, index)
    draw.outcome = outcome
    db.session.flush()
    return draw


def draws_of(exam):
    return db.session.scalars(db.select(ExamDraw).filter_by(exam_id=exam.id).order_by(ExamDraw.round_index)).all()


def replay(draw):
    """The order a draw's seed gives: audit proof that the stored order is the seeded one."""
    order = sorted(draw.order)
    random.Random(draw.seed).shuffle(order)
    return order
