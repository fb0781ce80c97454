"""iCalendar files (RFC 5545) of a person's dates, times in the institution's zone.

Times carry TZID of the institution's zone, and the file holds that zone's VTIMEZONE
(RFC 5545, 3.6.5), so calendars that do not know the zone by name still place them right."""
from datetime import date

from flask import Response
from icalendar import Calendar, Event, vCalAddress

from . import clock


def build_calendar(name, events, method=None):
    """The iCalendar text of `events`: dicts with uid, start, end, summary and optionally
    location, description, status, sequence, organizer and attendee (e-mail addresses; an
    iTIP `method` such as REQUEST or CANCEL needs them), times naive institution-local."""
    cal = Calendar()
    cal.add("prodid", "-//Indeks//Indeks//PL")
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    zone = clock.tz()
    stamp = clock.now().replace(tzinfo=zone)
    for item in events:
        event = Event()
        event.add("uid", item["uid"])
        event.add("dtstamp", stamp)
        event.add("dtstart", item["start"].replace(tzinfo=zone))
        event.add("dtend", item["end"].replace(tzinfo=zone))
        event.add("summary", item["summary"])
        for key in ("location", "description", "status", "sequence"):
            if item.get(key) not in (None, ""):
                event.add(key, item[key])
        for key in ("organizer", "attendee"):
            if item.get(key):
                address = vCalAddress(f"mailto:{item[key]}")
                if key == "attendee":
                    address.params["ROLE"] = "REQ-PARTICIPANT"
                event.add(key, address)
        cal.add_component(event)
    # The zone's rules for the years the events are in (icalendar's default stops in 2038), and
    # without the English COMMENT icalendar puts in every VTIMEZONE.
    years = [item[key].year for item in events for key in ("start", "end")] or [clock.now().year]
    cal.add_missing_timezones(first_date=date(max(min(years) - 1, 1), 1, 1), last_date=date(min(max(years) + 2, 9999), 1, 1))
    for zone_part in cal.walk("VTIMEZONE"):
        zone_part.pop("COMMENT", None)
    return cal.to_ical()


def ics_response(name, events, filename):
    """An .ics download of `events` (see build_calendar)."""
    return Response(build_calendar(name, events), mimetype="text/calendar",
                    headers={"Content-Disposition": f"attachment; filename={filename}"})
