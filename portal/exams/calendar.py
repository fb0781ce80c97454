"""The student's registered exams as an iCalendar file."""
from flask_babel import gettext as _

from ..ical import ics_response
from ..langdict import pick


def exam_uid(exam_id, slot_id, user_id):
    """The calendar UID of a person's seat: the same in the .ics download and in the e-mails'
    invitations, whichever address the portal was reached by (as meetings' "@indeks")."""
    return f"exam-{exam_id}-slot-{slot_id}-user-{user_id}@indeks"


def calendar_response(registrations):
    events = []
    for reg in registrations:
        slot, group, exam = reg.slot, reg.slot.group, reg.exam
        events.append({
            "uid": exam_uid(exam.id, slot.id, reg.user_id),
            "start": slot.start, "end": slot.end,
            "summary": f"{pick(exam.name)} ({exam.course_id})",
            "location": group.room.label if group.room is not None else None,
            "description": _("%(course)s, group %(g)s, slot %(n)s", course=pick(exam.course.name), g=group.number,
                             n=slot.number),
        })
    return ics_response(_("Indeks: exams"), events, "exams.ics")
