"""services/calendar/search: the academic calendar of a faculty, from Indeks's own data: the days
off (the university's and the faculty's, portal.meetings.calendar) and the examination sessions
(their first and last exam, portal.exams), as calendar events."""
from datetime import datetime, time

from .. import clock
from ..extensions import db
from ..university.models import Faculty
from .errors import object_not_found, param_invalid
from .registry import F, P, attr, method, module, ref

module("services/calendar", "Calendar", "Events of the academic calendar: days off and examination sessions.",
       beta=True)

EVENT_TYPES = {"rector": "a day off of the whole university", "holidays": "a break of the whole university",
               "dean": "a day off of a faculty", "exam_session": "an examination session"}


class Event:
    """One calendar event (a day off or an examination session) as the API shows it."""

    def __init__(self, id, name, start, end, type, faculty):
        self.id, self.name, self.start, self.end, self.type, self.faculty = id, name, start, end, type, faculty

    @property
    def is_day_off(self):
        return self.type != "exam_session"


def _day_off_event(entry):
    if entry.faculty_id is not None:
        kind = "dean"
    else:
        kind = "rector" if entry.start_date == entry.end_date else "holidays"
    return Event(f"day-off-{entry.id}", entry.name, datetime.combine(entry.start_date, time.min),
                 datetime.combine(entry.end_date, time(23, 59, 59)), kind, entry.faculty)


def events(faculty, start, end):
    """The faculty's calendar events touching the dates [start, end], in time order."""
    from ..exams.models import VISIBLE_STATUSES, ExaminationSession
    from ..meetings.calendar import day_off_entries
    found = [_day_off_event(e) for e in day_off_entries(faculty, start, end)]
    chain = {f.id for f in faculty.with_parents()}
    for session in db.session.scalars(db.select(ExaminationSession).where(
            ExaminationSession.status.in_(VISIBLE_STATUSES), ExaminationSession.faculty_id.in_(chain))
            .order_by(ExaminationSession.id)):
        span = session.span()
        if span and span[0].date() <= end and span[1].date() >= start:
            found.append(Event(f"exam-session-{session.id}", session.name, *span, "exam_session", session.faculty))
    return sorted(found, key=lambda e: (e.start, e.id))


EVENT = {
    "id": attr("id", description="ID of the event."),
    "name": attr("name", description="A LangDict with the name of the event."),
    "start_date": F(lambda e, call: clock.fmt_datetime(e.start), description="A DateTime: when it starts."),
    "end_date": F(lambda e, call: clock.fmt_datetime(e.end), description="A DateTime: when it ends."),
    "type": attr("type", description="One of: " + "; ".join(f"{k} ({v})" for k, v in EVENT_TYPES.items()) + "."),
    "is_day_off": attr("is_day_off", description="True when there are no classes."),
    "faculty": ref(lambda e, call: e.faculty, "services/fac/faculty",
                   description="The faculty the event is of; null for the whole university."),
}


@method("services/calendar/search", fields=EVENT, result="list", default_fields="id|name|start_date|end_date|type",
        params=[P("faculty_id", required=True, type="id", description="ID of the faculty."),
                P("start_date", required=True, type="date", description="Events ending on this date or later."),
                P("end_date", required=True, type="date", description="Events starting on this date or earlier.")],
        consumer="required", token="optional", ssl=True, beta=True, errors=("object_not_found",),
        brief="Search for the events of a faculty's academic calendar.",
        returns="A list of calendar events, in time order.")
def search(call):
    start, end = call.params["start_date"], call.params["end_date"]
    if end < start:
        raise param_invalid("end_date", "the end date must not precede the start date")
    faculty = db.session.get(Faculty, call.params["faculty_id"])
    if faculty is None:
        raise object_not_found("faculty_id", call.method.path, "Faculty not found.")
    return events(faculty, start, end)
