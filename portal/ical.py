"""iCalendar files (RFC 5545) of a person's dates, times in the institution's zone.

Times carry TZID of the institution's zone, and the file holds that zone's VTIMEZONE
(RFC 5545, 3.6.5), so calendars that do not know the zone by name still place them right."""
from flask import Response
from icalendar import Calendar, Event

from . import clock


def ics_response(name, events, filename):
    """An .ics download of `events`: dicts with uid, start, end, summary and optionally
    location, description and status (naive institution-local datetimes)."""
    cal = Calendar()
    cal.add("prodid", "-//Indeks//Indeks//PL")
    cal.add("version", "2.0")
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
        for key in ("location", "description", "status"):
            if item.get(key):
                event.add(key, item[key])
        cal.add_component(event)
    cal.add_missing_timezones()
    return Response(cal.to_ical(), mimetype="text/calendar",
                    headers={"Content-Disposition": f"attachment; filename={filename}"})
