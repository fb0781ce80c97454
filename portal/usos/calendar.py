"""services/calendar: the academic calendar's days off (holidays and breaks) of a faculty."""
from datetime import timedelta

from ..api.errors import param_invalid
from ..api.reference import load
from ..api.registry import F, P, attr, date_attr, id_attr, method, module, ref
from ..meetings.calendar import entries_off
from ..university.models import Faculty

module("services/calendar", "Academic calendar", "Days off of the academic calendar.")
M = "services/calendar/"
MOST_DAYS = 31

EVENT = {
    "id": id_attr(description="ID of the calendar event."),
    "name": attr("name", description="A LangDict with its name, e.g. Christmas break."),
    "start_date": date_attr("start_date", description="Its first day."),
    "end_date": date_attr("end_date", description="Its last day."),
    "type": F(lambda d, call: "holidays", description="What it is: holidays (the only kind Indeks keeps: a "
                                                     "holiday or break)."),
    "is_day_off": F(lambda d, call: True, description="Whether there are no classes: true for every day off."),
    "faculty": ref(lambda d, call: d.faculty, "services/fac/faculty", primary=False,
                   description="The faculty it is of, or null when it is the whole university's."),
}


@method(M + "search", fields=EVENT, result="list", default_fields="id|name|start_date|end_date",
        consumer="required", token="optional", errors=("object_not_found", "param_invalid"),
        params=[P("faculty_id", required=True, type="id", description="ID of the faculty: its own days off, its "
                                                                      "parents' and the whole university's."),
                P("start_date", required=True, type="date", description="The first day of the window."),
                P("end_date", required=True, type="date", description="The last day of the window, at most "
                                                                      f"{MOST_DAYS} days after start_date.")],
        brief="Search for calendar events.", returns="A list of the events overlapping the window, by start date.")
def search(call):
    start, end = call.params["start_date"], call.params["end_date"]
    if end < start or end - start > timedelta(days=MOST_DAYS):
        raise param_invalid("end_date", f"from start_date to at most {MOST_DAYS} days after it")
    faculty = load(Faculty, call.params["faculty_id"], "faculty_id", call.method.path, "Faculty", integer=False)
    return entries_off(faculty, start, end)
