"""Staff editing: sessions, exams, groups and their slots, conditions, opening and closing.

A group's capacity is spread evenly over its slots (the first slots get the remainder) and
its time span is cut into equal parts, one per slot. A change never leaves a slot with fewer
seats than students already in it.
"""
from datetime import timedelta

from .. import clock
from ..database import begin_write, lock
from ..errors import ServiceError
from ..extensions import db
from ..langdict import ld
from . import notices
from .models import SESSION_STATUSES, Exam, ExamCondition, ExamGroup, ExaminationSession, ExamRegistration, ExamSlot


def _invalid(reason, en, pl, **extra):
    return ServiceError("object_invalid", en, reason=reason, status=422, user_message=ld(pl, en), **extra)


def forbidden():
    return ServiceError("object_forbidden", "You may not manage this exam.", reason="not_manager", status=403,
                        user_message=ld("Nie możesz zarządzać tym egzaminem.", "You may not manage this exam."))


def can_manage_sessions(user):
    return user is not None and user.is_authenticated and user.is_admin


def require_manager(exam, user):
    if not exam.can_manage(user):
        raise forbidden()


def save_session(session, user, *, name, description, status, faculty_id):
    if not can_manage_sessions(user):
        raise forbidden()
    if status not in SESSION_STATUSES:
        raise _invalid("bad_status", "Unknown status.", "Nieznany status.")
    begin_write()
    session = session or ExaminationSession()
    session.name, session.description, session.status, session.faculty_id = name, description, status, faculty_id
    db.session.add(session)
    db.session.flush()
    return session


def _check_windows(exam):
    start, end = exam.registration_start, exam.registration_end
    if start is not None and end is not None and end < start:
        raise _invalid("bad_window", "Registration must end after it starts.",
                       "Rejestracja musi kończyć się po rozpoczęciu.")
    if exam.micro_round_length is not None and exam.micro_round_length <= 0:
        raise _invalid("bad_round", "The micro-round length must be positive.",
                       "Długość mikrotury musi być dodatnia.")
    if exam.micro_break_length is not None and exam.micro_break_length < 0:
        raise _invalid("bad_round", "The micro-break length cannot be negative.",
                       "Długość mikroprzerwy nie może być ujemna.")
    if exam.preferences_limit is None or exam.preferences_limit < 1:
        raise _invalid("bad_limit", "The preferences limit must be at least 1.",
                       "Limit preferencji musi wynosić co najmniej 1.")


def save_exam(exam, user, **values):
    """Create (exam=None) or update an exam; coordinators may do it for their own courses."""
    begin_write()
    if exam is None:
        exam = Exam(**values)
        if not (can_manage_sessions(user) or exam.is_coordinator(user)):
            raise forbidden()
    else:
        require_manager(exam, user)
        for key, value in values.items():
            setattr(exam, key, value)
    if exam.edition() is None:
        raise _invalid("no_edition", "The course is not conducted in this term.",
                       "Przedmiot nie jest prowadzony w tym cyklu.")
    duplicate = db.session.scalar(db.select(Exam.id).where(Exam.code == exam.code, Exam.id != (exam.id or 0)))
    if duplicate:
        raise _invalid("duplicate_code", "An exam with this code exists.", "Egzamin o takim kodzie już istnieje.")
    _check_windows(exam)
    db.session.add(exam)
    db.session.flush()
    return exam


def set_condition(exam, user, examrep_id, grade_value=None):
    require_manager(exam, user)
    begin_write()
    cond = db.session.get(ExamCondition, (exam.id, examrep_id)) or ExamCondition(exam=exam, examrep_id=examrep_id)
    cond.grade_value = grade_value
    db.session.add(cond)
    db.session.flush()
    return cond


def remove_condition(exam, user, examrep_id):
    require_manager(exam, user)
    begin_write()
    cond = db.session.get(ExamCondition, (exam.id, examrep_id))
    if cond is not None:
        db.session.delete(cond)
        db.session.flush()


def open_registration(exam, user, now=None):
    """Open now (until the set end, or without an end when that has passed)."""
    require_manager(exam, user)
    now = now or clock.now()
    begin_write()
    exam.registration_start = now
    if exam.registration_end is not None and exam.registration_end <= now:
        exam.registration_end = None
    for name in ("register_until", "unregister_until", "exchange_until"):
        if getattr(exam, name) is not None and getattr(exam, name) <= now:
            setattr(exam, name, None)
    db.session.flush()


def close_registration(exam, user, now=None):
    require_manager(exam, user)
    now = now or clock.now()
    begin_write()
    if exam.registration_start is None or exam.registration_start > now:
        exam.registration_start = now
    exam.registration_end = now
    db.session.flush()


def spread(capacity, number_of_slots):
    base, extra = divmod(capacity, number_of_slots)
    return [base + (1 if i < extra else 0) for i in range(number_of_slots)]


def save_group(exam, group, user, *, number, start, end, capacity, number_of_slots, room=None, examiners=()):
    """Create or change a group and lay out its slots anew, keeping the students in them."""
    require_manager(exam, user)
    if capacity < 1 or number_of_slots < 1 or number_of_slots > capacity:
        raise _invalid("bad_capacity", "Capacity and slots must be positive, with no more slots than seats.",
                       "Pojemność i liczba terminów muszą być dodatnie, terminów nie więcej niż miejsc.")
    if end <= start:
        raise _invalid("bad_time", "The group must end after it starts.", "Grupa musi kończyć się po rozpoczęciu.")
    begin_write()
    if any(g.number == number and g is not group for g in exam.groups):
        raise _invalid("duplicate_number", "A group with this number exists.", "Grupa o takim numerze już istnieje.")
    if group is None:
        group = ExamGroup(exam=exam)
        db.session.add(group)
        before = {}
    else:
        db.session.scalar(lock(db.select(ExamGroup.id).where(ExamGroup.id == group.id)))
        db.session.refresh(group)
        before = {s.id: _place(s, group.room) for s in group.slots}
    group.number, group.start, group.end, group.room = number, start, end, room
    group.capacity, group.number_of_slots = capacity, number_of_slots
    group.examiners = list(examiners)
    seats = spread(capacity, number_of_slots)
    step = (end - start) / number_of_slots
    slots = {s.number: s for s in group.slots}
    for index, seat_count in enumerate(seats):
        slot = slots.pop(index + 1, None)
        if slot is None:
            slot = ExamSlot(number=index + 1, taken=0)
            group.slots.append(slot)
        elif slot.taken > seat_count:
            raise _invalid("slot_overfull", f"Slot {slot.number} already has {slot.taken} students.",
                           f"Termin {slot.number} ma już {slot.taken} studentów.")
        slot.capacity = seat_count
        slot.start = start + step * index
        slot.end = start + step * (index + 1) if index + 1 < number_of_slots else end
    for slot in slots.values():
        if slot.taken:
            raise _invalid("slot_overfull", f"Slot {slot.number} still has students.",
                           f"W terminie {slot.number} są jeszcze studenci.")
        group.slots.remove(slot)
    db.session.flush()
    _tell_moved(exam, group, before)
    return group


def _place(slot, room):
    """When and where a slot is, as its students see it (to the minute)."""
    return (slot.start.replace(second=0, microsecond=0), slot.end.replace(second=0, microsecond=0), room)


def _tell_moved(exam, group, before):
    """The students of every slot whose time or room changed hear of it (the new time and room,
    and what it was), with their calendar event updated."""
    moved = {s.id: s for s in group.slots if s.id in before and before[s.id] != _place(s, group.room)}
    if not moved:
        return
    registrations = db.session.scalars(db.select(ExamRegistration).where(ExamRegistration.slot_id.in_(moved))
                                       .options(db.joinedload(ExamRegistration.user)))
    for registration in registrations:
        old_start, old_end, old_room = before[registration.slot_id]
        notices.seat_moved(exam, moved[registration.slot_id], registration.user, old_start, old_end,
                           old_room.label if old_room is not None else None)


def delete_group(exam, group, user):
    require_manager(exam, user)
    begin_write()
    if any(s.taken for s in group.slots):
        raise _invalid("group_not_empty", "The group has registered students.", "W grupie są zapisani studenci.")
    db.session.delete(group)
    db.session.flush()


def minutes(n):
    return timedelta(minutes=n)
