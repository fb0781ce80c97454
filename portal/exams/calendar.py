"""The student's registered exams as an iCalendar file."""
from zoneinfo import ZoneInfo

from flask import Response, current_app, request
from icalendar import Calendar, Event

from .. import clock
from ..langdict import pick


def build_calendar(registrations):
    cal = Calendar()
    cal.add("prodid", "-//Indeks//Exams//PL")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Indeks: egzaminy / exams")
    tz = ZoneInfo(current_app.config.get("PORTAL_TIMEZONE", clock.DEFAULT_TZ))
    stamp = clock.now().replace(tzinfo=tz)
    for reg in registrations:
        slot, group, exam = reg.slot, reg.slot.group, reg.exam
        event = Event()
        event.add("uid", f"exam-{exam.id}-slot-{slot.id}-user-{reg.user_id}@{request.host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", slot.start.replace(tzinfo=tz))
        event.add("dtend", slot.end.replace(tzinfo=tz))
        event.add("summary", f"{pick(exam.name)} ({exam.course_id})")
        if group.room is not None:
            event.add("location", group.room.label)
        event.add("description", f"{pick(exam.course.name)}, group {group.number}, slot {slot.number}")
        cal.add_component(event)
    return cal.to_ical()


def calendar_response(registrations):
    return Response(build_calendar(registrations), mimetype="text/calendar",
                    headers={"Content-Disposition": "attachment; filename=exams.ics"})
