"""A person's bookings as an iCalendar file (RFC 5545), times in the institution's zone."""
from icalendar import Calendar, Event

from .. import clock
from ..langdict import pick


def bookings_calendar(entries):
    cal = Calendar()
    cal.add("prodid", "-//Indeks//Consultations//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Indeks")
    zone = clock.tz()
    stamp = clock.now().replace(tzinfo=zone)
    for entry in entries:
        if entry.status == "rejected":
            continue
        date = entry.meeting_date
        meeting = date.meeting
        event = Event()
        event.add("uid", f"meeting-participant-{entry.id}@indeks")
        event.add("dtstamp", stamp)
        event.add("dtstart", date.start_time.replace(tzinfo=zone))
        event.add("dtend", date.end_time.replace(tzinfo=zone))
        event.add("summary", f"{pick(meeting.name)} ({meeting.lecturer.display_name})")
        if date.room is not None:
            event.add("location", date.room.label)
        notes = [pick(meeting.comment), pick(date.comment)]
        if entry.is_reserve:
            notes.append("reserve list / lista rezerwowa")
        event.add("status", "CONFIRMED" if entry.status == "accepted" and not entry.is_reserve else "TENTATIVE")
        description = "\n".join(n for n in notes if n)
        if description:
            event.add("description", description)
        cal.add_component(event)
    return cal.to_ical()
