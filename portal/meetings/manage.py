"""Lecturers' side: creating meetings and their dates, editing and cancelling dates, notes."""
from datetime import datetime, timedelta

from sqlalchemy import select

from .. import clock
from ..auth.models import User
from ..database import begin_write
from ..errors import ServiceError
from ..extensions import db
from ..langdict import ld
from ..university.models import ClassGroup, Faculty, Room, Term
from . import notices
from .models import STATES, SUBSTANTIATION_MODES, Meeting, MeetingDate, MeetingNote
from .services import _count, _locked_date, fill_seats, not_found, not_meeting_lecturer, staff_only
from ..ids import int_id


def invalid(field, en, pl):
    return ServiceError("object_invalid", en, reason=f"invalid_{field}", user_message=ld(pl, en))


def _check_lecturer(actor):
    if actor is None or not actor.is_staff:
        raise staff_only()


def save_meeting(actor, meeting=None, *, name_pl, name_en=None, comment_pl=None, comment_en=None,
                 faculty_id, term_id=None, open=True, state="active",
                 substantiation_mode="this_faculty_and_parents", auto_accept=True, group_ids=()):
    """Create a meeting led by `actor`, or change `meeting` (its lecturer or an administrator)."""
    begin_write()
    _check_lecturer(actor)
    if meeting is not None and not meeting.can_manage(actor):
        raise not_meeting_lecturer()
    if not (name_pl or "").strip():
        raise invalid("name", "A name is required.", "Podaj nazwę.")
    if state not in STATES or substantiation_mode not in SUBSTANTIATION_MODES:
        raise invalid("state", "Unknown state or substantiation mode.", "Nieznany stan lub tryb uzasadnień.")
    if db.session.get(Faculty, faculty_id or "") is None:
        raise invalid("faculty", "Unknown faculty.", "Nieznana jednostka.")
    if term_id and db.session.get(Term, term_id) is None:
        raise invalid("term", "Unknown term.", "Nieznany semestr.")
    groups = list(db.session.scalars(select(ClassGroup).where(ClassGroup.id.in_([int(g) for g in group_ids]))))
    if len(groups) != len(set(group_ids)):
        raise invalid("groups", "Unknown class group.", "Nieznana grupa zajęciowa.")
    if not open and not groups:
        raise invalid("groups", "A meeting limited to groups needs at least one group.",
                      "Spotkanie dla wybranych grup wymaga co najmniej jednej grupy.")
    if meeting is None:
        meeting = Meeting(lecturer_id=actor.id)
        db.session.add(meeting)
    meeting.name = ld(name_pl.strip()[:200], (name_en or "").strip()[:200] or None)
    comment_pl, comment_en = (comment_pl or "").strip(), (comment_en or "").strip()
    meeting.comment = ld(comment_pl, comment_en or None) if comment_pl or comment_en else None
    meeting.faculty_id, meeting.term_id = faculty_id, term_id or None
    meeting.open, meeting.state = bool(open), state
    meeting.substantiation_mode, meeting.auto_accept = substantiation_mode, bool(auto_accept)
    meeting.groups = groups
    db.session.flush()
    return meeting


def check_span(start, end):
    """A date's (or a rule's times of day): the end after the start."""
    if end <= start:
        raise invalid("end_time", "The end must be after the start.", "Koniec musi być po początku.")


def check_new_dates(days, start_time, end_time, now=None):
    """What new dates from a rule must be: ending after they start, and none of them already
    begun (a rule from 2020 made a date in 2020). The preview asks it too."""
    check_span(start_time, end_time)
    now = now or clock.now()
    past = [day for day in days if datetime.combine(day, start_time) <= now]
    if past:
        raise invalid("start_date", f"A new date cannot be in the past ({past[0].isoformat()}).",
                      f"Nowy termin nie może być w przeszłości ({past[0].isoformat()}).")


def _check_times(start, end, reg_start, reg_end, seats, reserve):
    check_span(start, end)
    if reg_end < reg_start or reg_end > start:
        raise invalid("registration_end_time", "Registration must end after it starts and before the meeting.",
                      "Zapisy muszą kończyć się po ich rozpoczęciu i przed spotkaniem.")
    if not (1 <= seats <= 10_000 and 0 <= reserve <= 10_000):
        raise invalid("seats_limit", "Seats: 1..10000; reserve seats: 0..10000.",
                      "Miejsca: 1..10000; miejsca rezerwowe: 0..10000.")


def _room(room_id):
    if not room_id:
        return None
    room = db.session.get(Room, int(room_id))
    if room is None:
        raise invalid("room", "Unknown room.", "Nieznana sala.")
    return room


def add_dates(actor, meeting, days, start_time, end_time, seats_limit, reserve_seats_limit=0,
              registration_days_before=7, registration_hours_before=1, room_id=None,
              comment_pl=None, comment_en=None):
    """Create a date on each of `days` (dates) from `start_time` to `end_time` (times of day).

    Registration opens `registration_days_before` days before and closes
    `registration_hours_before` hours before each date.
    """
    begin_write()
    _check_lecturer(actor)
    if not meeting.can_manage(actor):
        raise not_meeting_lecturer()
    if not days or len(days) > 366:
        raise invalid("dates", "Give 1..366 dates.", "Podaj od 1 do 366 terminów.")
    check_new_dates(days, start_time, end_time)
    room = _room(room_id)
    comment = ld(comment_pl.strip(), (comment_en or "").strip() or None) if (comment_pl or "").strip() else None
    created = []
    for day in days:
        start, end = datetime.combine(day, start_time), datetime.combine(day, end_time)
        reg_end = start - timedelta(hours=registration_hours_before)
        reg_start = min(reg_end, start - timedelta(days=registration_days_before))
        _check_times(start, end, reg_start, reg_end, seats_limit, reserve_seats_limit)
        date = MeetingDate(meeting=meeting, start_time=start, end_time=end, registration_start_time=reg_start,
                           registration_end_time=reg_end, seats_limit=seats_limit,
                           reserve_seats_limit=reserve_seats_limit, room=room, comment=comment)
        db.session.add(date)
        created.append(date)
    db.session.flush()
    return created


def update_date(actor, date, *, start_time, end_time, registration_start_time, registration_end_time,
                seats_limit, reserve_seats_limit, room_id=None, comment_pl=None, comment_en=None):
    """Change a date; more seats promote people from the reserve list at once. Its people hear of
    a new time or room."""
    begin_write()
    _check_lecturer(actor)
    if not date.meeting.can_manage(actor):
        raise not_meeting_lecturer()
    date = _locked_date(date.id)
    if date.is_cancelled:
        raise invalid("cancelled", "The date is cancelled.", "Ten termin jest odwołany.")
    before = {"start": date.start_time, "end": date.end_time, "room": date.room_id,
              "room_label": date.room.label if date.room is not None else None}
    _check_times(start_time, end_time, registration_start_time, registration_end_time, seats_limit,
                 reserve_seats_limit)
    if seats_limit < _count(date.id, False) or reserve_seats_limit < _count(date.id, True):
        raise invalid("seats_limit", "More people already hold places than the new limits allow.",
                      "Zapisanych jest więcej osób, niż pozwalają nowe limity.")
    date.start_time, date.end_time = start_time, end_time
    date.registration_start_time, date.registration_end_time = registration_start_time, registration_end_time
    date.seats_limit, date.reserve_seats_limit = seats_limit, reserve_seats_limit
    date.room = _room(room_id)
    comment_pl, comment_en = (comment_pl or "").strip(), (comment_en or "").strip()
    date.comment = ld(comment_pl, comment_en or None) if comment_pl or comment_en else None
    db.session.flush()
    notices.date_changed(date, before, fill_seats(date))
    return date


def cancel_date(actor, date, reason=None):
    """Cancel a date: it stays, and so do its bookings, rejected and marked cancelled with the
    reason, in the lists of those who booked; each of them is told."""
    begin_write()
    _check_lecturer(actor)
    if not date.meeting.can_manage(actor):
        raise not_meeting_lecturer()
    date = _locked_date(date.id)
    if date.is_cancelled:
        raise invalid("cancelled", "The date is already cancelled.", "Ten termin jest już odwołany.")
    now = clock.now()
    if date.end_time <= now:
        raise invalid("cancelled", "The date is over; it cannot be cancelled.",
                      "Ten termin już się odbył; nie można go odwołać.")
    date.cancelled_at, date.cancel_reason = now, (reason or "").strip()[:500] or None
    affected = [p for p in date.participants if p.status != "rejected"]
    for entry in affected:
        entry.status, entry.is_reserve, entry.queue_number, entry.cancelled_at = "rejected", False, None, now
    db.session.flush()
    notices.cancelled(affected, date.cancel_reason)
    return date


# --- notes ----------------------------------------------------------------------------------

NOTE_TYPES = ("private", "public")


def _note_key(fac_id, term_id, user_id, method_name):
    if db.session.get(Faculty, fac_id or "") is None:
        raise not_found("fac_id", method_name, "Faculty")
    if db.session.get(Term, term_id or "") is None:
        raise not_found("term_id", method_name, "Term")
    user = db.session.get(User, int_id(user_id)) if int_id(user_id) is not None else None
    if user is None:
        raise not_found("user_id", method_name, "User")
    return fac_id, term_id, user.id


def find_note(actor, fac_id, term_id, user_id, method_name="services/meetings/get_note"):
    """The note `actor` wrote about a person in a faculty and term, or None."""
    _check_lecturer(actor)
    fac_id, term_id, user_id = _note_key(fac_id, term_id, user_id, method_name)
    return db.session.scalar(select(MeetingNote).filter_by(author_id=actor.id, faculty_id=fac_id,
                                                           term_id=term_id, user_id=user_id))


def put_note(actor, fac_id, term_id, user_id, note_type, content):
    """Create or change the private or public part of `actor`'s note about a person."""
    begin_write()
    note = find_note(actor, fac_id, term_id, user_id, "services/meetings/put_note")
    if note is None:
        note = MeetingNote(author_id=actor.id, faculty_id=fac_id, term_id=term_id, user_id=int(user_id),
                           creation_date=clock.now())
        db.session.add(note)
    content = (content or "").strip()[:10_000] or None
    setattr(note, f"{note_type}_note", content)
    if note.private_note is None and note.public_note is None and note.id is not None:
        db.session.delete(note)
    elif note.private_note is None and note.public_note is None:
        db.session.expunge(note)
        note = None
    db.session.flush()
    return note


def get_own_note(actor, note_id, method_name="services/meetings/note"):
    _check_lecturer(actor)
    note = db.session.get(MeetingNote, int_id(note_id)) if int_id(note_id) is not None else None
    if note is None or note.author_id != actor.id:
        param = "id" if method_name.endswith("/note") else "note_id"
        raise not_found(param, method_name, "Note")
    return note


def delete_note(actor, note_id, note_type):
    """Clear one part of `actor`'s note; the note goes when both parts are empty."""
    begin_write()
    note = get_own_note(actor, note_id, "services/meetings/delete_note")
    setattr(note, f"{note_type}_note", None)
    if note.private_note is None and note.public_note is None:
        db.session.delete(note)
    db.session.flush()


def notes_about(user_id, faculty_id=None, term_id=None, author=None, kind="public"):
    """Notes about a person with a public (or, by `author`, private) part."""
    stmt = select(MeetingNote).where(MeetingNote.user_id == user_id).order_by(MeetingNote.creation_date)
    if faculty_id:
        stmt = stmt.where(MeetingNote.faculty_id == faculty_id)
    if term_id:
        stmt = stmt.where(MeetingNote.term_id == term_id)
    if kind == "private":
        stmt = stmt.where(MeetingNote.author_id == author.id, MeetingNote.private_note.is_not(None))
    else:
        stmt = stmt.where(MeetingNote.public_note.is_not(None))
    return list(db.session.scalars(stmt))
