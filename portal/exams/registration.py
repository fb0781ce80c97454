"""Taking and giving back seats: the one place the registration rules live.

Seats are counted in `ExamSlot.taken` and taken with a conditional UPDATE
(`taken = taken + 1 WHERE taken < capacity`), so no slot ever holds more students than its
capacity, on SQLite and PostgreSQL alike, however many requests arrive at once. The unique
(exam, user) constraint keeps one seat per student per exam even when one student's two
requests race. A switch takes the new seat first and gives the old one back only then, in
the same transaction: when the new slot is full, the old seat is kept.
"""
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..database import begin_write, lock
from ..errors import ServiceError
from ..extensions import db
from ..langdict import ld
from .models import ExamRegistration, ExamSlot
from .services import attends_course, check_admitted, registration_of


def _refused(reason, message, pl, en, status=409, **extra):
    return ServiceError("object_invalid", message, reason=reason, status=status,
                        user_message=ld(pl, en), **extra)


def slot_full():
    return _refused("slot_full", "The slot is full.",
                    "Ten termin jest już pełny: wybierz inny.", "This slot is full: choose another one.")


def window_closed(what="registration"):
    texts = {"registration": ("Rejestracja na ten egzamin jest zamknięta.", "Registration for this exam is closed."),
             "unregistration": ("Wyrejestrowanie z tego egzaminu nie jest już możliwe.",
                                "Leaving this exam is no longer allowed."),
             "exchange": ("Zmiana terminu tego egzaminu nie jest już możliwa.",
                          "Switching slots in this exam is no longer allowed.")}
    pl, en = texts[what]
    return _refused(f"{what}_closed", en, pl, en, status=403)


def already_registered(same_slot):
    if same_slot:
        return _refused("already_registered", "The student is already registered in this slot.",
                        "Jesteś już zapisany(-a) na ten termin.", "You are already registered in this slot.")
    return _refused("registered_elsewhere", "The student is registered in another slot of this exam.",
                    "Masz już miejsce w innym terminie tego egzaminu.",
                    "You already hold a seat in another slot of this exam.")


def not_registered():
    return _refused("not_registered", "The student is not registered for this exam.",
                    "Nie jesteś zapisany(-a) na ten egzamin.", "You are not registered for this exam.")


def not_attending():
    return _refused("not_attending", "The student does not attend this course.",
                    "Nie uczestniczysz w zajęciach tego przedmiotu.", "You do not attend this course.",
                    status=403)


def _take_seat(slot_id):
    result = db.session.execute(
        update(ExamSlot).where(ExamSlot.id == slot_id, ExamSlot.taken < ExamSlot.capacity)
        .values(taken=ExamSlot.taken + 1).execution_options(synchronize_session=False))
    return result.rowcount == 1


def _give_back_seat(slot_id):
    db.session.execute(
        update(ExamSlot).where(ExamSlot.id == slot_id, ExamSlot.taken > 0)
        .values(taken=ExamSlot.taken - 1).execution_options(synchronize_session=False))


def _refresh_slots(*slot_ids):
    for slot_id in slot_ids:
        slot = db.session.identity_map.get((ExamSlot, (slot_id,), None)) if slot_id else None
        if slot is not None:
            db.session.expire(slot, ["taken", "registrations"])


def _locked_registration(exam, user_id):
    query = db.select(ExamRegistration).filter_by(exam_id=exam.id, user_id=user_id) \
        .execution_options(populate_existing=True)
    return db.session.scalar(lock(query))


UNREAD = object()  # place(current=...): the caller has not read the registration


def place(exam, user, slot, now=None, *, check_window=True, allow_switch=True, current=UNREAD):
    """Give `user` a seat in `slot`: a new registration or a switch from their other slot.

    Returns ("registered" | "switched", registration). Raises ServiceError when a rule says no;
    the caller's transaction is then left unchanged. `current`: the student's registration in
    the exam (or None) when the caller read it in this transaction already (queries.load_click)."""
    now = now or clock.now()
    if slot.group.exam_id != exam.id:
        raise ServiceError("object_not_found", "The slot does not belong to this exam.", param_name="slot")
    if slot.taken >= slot.capacity:
        # Refused from a read snapshot, without queueing for the write lock: in a rush most
        # requests end here. The conditional UPDATE below is what really decides a seat.
        if current is UNREAD:
            current = registration_of(exam, user.id)
        refusal = already_registered(same_slot=True) if current and current.slot_id == slot.id else slot_full()
        refusal.registration = current  # what the refusal was decided on; the portal's answer shows it
        raise refusal
    begin_write()
    existing = _locked_registration(exam, user.id)
    if existing is not None and existing.slot_id == slot.id:
        raise already_registered(same_slot=True)
    if existing is not None and not allow_switch:
        raise already_registered(same_slot=False)
    if check_window:
        if existing is not None and not exam.exchange_open(now):
            raise window_closed("exchange")
        if existing is None and not exam.registration_open(now):
            raise window_closed("registration")
    if existing is None:
        if not attends_course(exam, user.id):
            raise not_attending()
        check_admitted(exam, user.id)
    try:
        with db.session.begin_nested():
            if existing is not None:
                # Both slot rows change: lock them in id order, so that two students switching
                # in opposite directions never deadlock on PostgreSQL. A refusal rolls the
                # savepoint back, giving the old seat back to its owner.
                old_slot_id = existing.slot_id
                for slot_id in sorted((old_slot_id, slot.id)):
                    if slot_id == old_slot_id:
                        _give_back_seat(old_slot_id)
                    elif not _take_seat(slot.id):
                        raise slot_full()
                existing.slot_id = slot.id
                db.session.flush()
                _refresh_slots(old_slot_id, slot.id)
                return "switched", existing
            if not _take_seat(slot.id):
                raise slot_full()
            registration = ExamRegistration(exam_id=exam.id, slot_id=slot.id, user_id=user.id, created_at=now)
            db.session.add(registration)
            db.session.flush()
    except IntegrityError:
        # The same student's other request won the race for this exam.
        raise already_registered(same_slot=False) from None
    _refresh_slots(slot.id)
    return "registered", registration


def leave(exam, user, now=None, *, check_window=True, slot=None):
    """Give back the student's seat in `exam` (in `slot`, when given)."""
    now = now or clock.now()
    begin_write()
    existing = _locked_registration(exam, user.id)
    if existing is None or (slot is not None and existing.slot_id != slot.id):
        raise not_registered()
    if check_window and not exam.unregistration_open(now):
        raise window_closed("unregistration")
    slot_id = existing.slot_id
    db.session.delete(existing)
    db.session.flush()
    _give_back_seat(slot_id)
    _refresh_slots(slot_id)
    return slot_id


def clashes(exam, slot, user):
    """The student's other registrations whose slot overlaps `slot` in time."""
    from .queries import registrations_of
    return [r for r in registrations_of(user)
            if r.exam_id != exam.id and r.slot.start < slot.end and slot.start < r.slot.end]
