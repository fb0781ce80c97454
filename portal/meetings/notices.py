"""What people are told about their consultation bookings (through portal.notifications).

Each function is called once from the service that made the change, inside its transaction;
a person's own action (signing up, signing off) tells them nothing, but a seat it frees tells
whoever moves up. The iCalendar UID of a booking is the one of the "My bookings" download.
"""
from flask import has_request_context
from flask_babel import get_locale

from ..notifications import iso, link, notify


def _facts(entry):
    date = entry.meeting_date
    return {"meeting": date.meeting.name, "lecturer": date.meeting.lecturer.display_name,
            "start": iso(date.start_time), "end": iso(date.end_time),
            "room": date.room.label if date.room is not None else None}


def _place(entry):
    return {"status": entry.status, "reserve_place": entry.reserve_position() if entry.is_reserve else None}


def _ical(entry, method):
    date, meeting = entry.meeting_date, entry.meeting_date.meeting
    lecturer = meeting.lecturer.display_name
    return {"uid": f"meeting-participant-{entry.id}@indeks", "method": method,
            "start": iso(date.start_time), "end": iso(date.end_time),
            "summary": {lang: f"{text} ({lecturer})" for lang, text in meeting.name.items()},
            "description": date.comment or meeting.comment,
            "location": date.room.label if date.room is not None else None,
            "status": "CONFIRMED" if entry.status == "accepted" and not entry.is_reserve else "TENTATIVE"}


def _tell(entry, kind, method, lang=None, **facts):
    if entry.user_id is not None:
        notify(entry.user, kind, {**_facts(entry), **facts}, link("meetings.date", date_id=entry.meeting_date_id),
               lang=lang, ical=_ical(entry, method))
    elif entry.external_email:
        # Someone from outside has no settings: the language the staff member works in.
        lang = lang or (str(get_locale()) if has_request_context() else None)
        notify(entry.external_email, kind, {**_facts(entry), **facts}, lang=lang, ical=_ical(entry, method))


def promoted(entries, lang=None):
    """They moved up from the reserve list onto a seat."""
    for entry in entries:
        _tell(entry, "meeting_promoted", "REQUEST", lang, **_place(entry))


def accepted(entry, lang=None):
    _tell(entry, "meeting_accepted", "REQUEST", lang)


def rejected(entry, moved_up=(), lang=None):
    """The lecturer rejected `entry`; `moved_up` took the seat it held."""
    sub = entry.rejection_substantiation
    _tell(entry, "meeting_rejected", "CANCEL", lang, reason=sub.name if sub else None,
          reason_note=sub.message if sub else None, message=entry.rejection_substantiation_message)
    promoted(moved_up, lang)


def booked(entry, actor, lang=None):
    """Staff signed the person up (a member, or someone from outside at the address given)."""
    _tell(entry, "meeting_booked", "REQUEST", lang, actor=actor.display_name, **_place(entry))


def cancelled(entries, reason):
    for entry in entries:
        _tell(entry, "meeting_cancelled", "CANCEL", reason=reason)


def date_changed(date, before, moved_up):
    """The lecturer edited a date: its people hear of a new time or room, those who got a seat
    from more seats hear that instead."""
    up = {e.id for e in moved_up}
    changed = (before["start"], before["end"], before["room"]) != (date.start_time, date.end_time, date.room_id)
    if changed:
        old = {"old_start": iso(before["start"]), "old_end": iso(before["end"]), "old_room": before["room_label"]}
        for entry in date.participants:
            if entry.status != "rejected" and entry.id not in up:
                _tell(entry, "meeting_moved", "REQUEST", **old)
    promoted(moved_up)
