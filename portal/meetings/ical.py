"""A person's consultation bookings as an iCalendar file."""
from flask_babel import gettext as _

from ..ical import ics_response
from ..langdict import pick


def bookings_response(entries):
    events = []
    for entry in entries:
        if entry.status == "rejected" and entry.cancelled_at is None:
            continue
        date = entry.meeting_date
        meeting = date.meeting
        notes = [pick(meeting.comment), pick(date.comment)]
        if entry.is_reserve:
            notes.append(_("On the reserve list, place %(n)s.", n=entry.reserve_position()))
        events.append({
            "uid": f"meeting-participant-{entry.id}@indeks",
            "start": date.start_time, "end": date.end_time,
            "summary": f"{pick(meeting.name)} ({meeting.lecturer.display_name})",
            "location": date.room.label if date.room is not None else None,
            "description": "\n".join(n for n in notes if n),
            "status": "CANCELLED" if entry.cancelled_at else
            "CONFIRMED" if entry.status == "accepted" and not entry.is_reserve else "TENTATIVE",
        })
    return ics_response(_("Indeks: consultations"), events, "consultations.ics")
