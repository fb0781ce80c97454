"""The student's registered exams as an iCalendar file."""
from flask import request
from flask_babel import gettext as _

from ..ical import ics_response
from ..langdict import pick


def calendar_response(registrations):
    events = []
    for reg in registrations:
        slot, group, exam = reg.slot, reg.slot.group, reg.exam
        events.append({
            "uid": f"exam-{exam.id}-slot-{slot.id}-user-{reg.user_id}@{request.host}",
            "start": slot.start, "end": slot.end,
            "summary": f"{pick(exam.name)} ({exam.course_id})",
            "location": group.room.label if group.room is not None else None,
            "description": _("%(course)s, group %(g)s, slot %(n)s", course=pick(exam.course.name), g=group.number,
                             n=slot.number),
        })
    return ics_response(_("Indeks: exams"), events, "exams.ics")
