"""services/meetings: methods that read."""
from datetime import date as _date

from ..api.errors import param_invalid
from ..api.registry import P, attr, datetime_attr, id_attr, method, resource
from . import queries
from .api import (DATE_DEFAULT, MEETING, MEETING_DATE, MEETING_DEFAULT, NOTE, PARTICIPANT, SUBSTANTIATION,
                  SUBSTANTIATION_DEFAULT)
from .calendar import FREQUENCIES, generate_dates
from .manage import NOTE_TYPES, find_note, get_own_note
from .services import not_meeting_lecturer, staff_only
from ..ids import small_int

AUTH = dict(consumer="required", token="required", scopes=())


def require_staff(call):
    """Staff members, or an administrative consumer."""
    if not ((call.user is not None and call.user.is_staff) or (call.consumer and call.consumer.administrative)):
        raise staff_only()


# --- meetings --------------------------------------------------------------------------------

@method("services/meetings/meeting", resource=MEETING, default_fields=MEETING_DEFAULT, **AUTH,
        params=[P("meeting_id", required=True, type="id")], brief="Get information about a single meeting.")
def meeting(call):
    return queries.get_meeting(call.user, call.params["meeting_id"])


@method("services/meetings/meetings", resource=MEETING, result="dict", default_fields=MEETING_DEFAULT, **AUTH,
        params=[P("meeting_ids", required=True, type="ids")], brief="Get information about a multiple meetings.")
def meetings(call):
    return queries.meetings_by_ids(call.user, call.params["meeting_ids"])


@method("services/meetings/available_meetings", resource=MEETING, result="list", default_fields=MEETING_DEFAULT,
        **AUTH, brief="Get all meetings available for user.")
def available_meetings(call):
    return queries.available_meetings(call.user)


@method("services/meetings/lecturer", resource=MEETING, result="list", default_fields=MEETING_DEFAULT, **AUTH,
        params=[P("user_id", type="id")], errors=("object_invalid",), brief="Search for meetings for lecturer")
def lecturer(call):
    return queries.lecturer_meetings(call.user, call.params["user_id"] or call.user.id)


@method("services/meetings/course_meetings", resource=MEETING, result="list", default_fields=MEETING_DEFAULT,
        **AUTH, params=[P("course_id", required=True, type="id")], errors=("object_invalid",),
        brief="Search for specific course meetings for student")
def course_meetings(call):
    return queries.course_meetings(call.user, call.params["course_id"])


def _unit_resource():
    from ..usos.courses import UNIT
    return UNIT


@method("services/meetings/courses_with_meetings", resource=_unit_resource(), result="list", default_fields="id",
        only_primary=True, **AUTH, brief="Search for student course units with meetings")
def courses_with_meetings(call):
    return queries.courses_with_meetings(call.user)


# --- meeting dates ---------------------------------------------------------------------------

def _dates_method(path, brief, **extra):
    return method(path, resource=MEETING_DATE, result="list", default_fields=DATE_DEFAULT, **AUTH,
                  brief=brief, **extra)


@method("services/meetings/meeting_date", resource=MEETING_DATE, default_fields=DATE_DEFAULT, **AUTH,
        params=[P("meeting_date_id", required=True, type="id")], brief="Get information about single meeting date")
def meeting_date(call):
    return queries.visible_date(call.user, call.params["meeting_date_id"])


@method("services/meetings/meeting_dates", resource=MEETING_DATE, result="dict", default_fields=DATE_DEFAULT,
        **AUTH, params=[P("meeting_date_ids", required=True, type="ids")],
        brief="Get information about multiple meeting dates")
def meeting_dates(call):
    return queries.dates_by_ids(call.user, call.params["meeting_date_ids"])


@_dates_method("services/meetings/meeting_all_dates", "Search for all meeting dates for specific meeting.",
               params=[P("meeting_id", required=True, type="id")])
def meeting_all_dates(call):
    return queries.meeting_dates(call.user, queries.get_meeting(call.user, call.params["meeting_id"],
                                                                method_name=call.method.path))


@_dates_method("services/meetings/search_meeting_dates", "Search for dates fot specific meeting for student",
               params=[P("meeting_id", required=True, type="id")])
def search_meeting_dates(call):
    meeting = queries.get_meeting(call.user, call.params["meeting_id"], method_name=call.method.path)
    return queries.meeting_dates(call.user, meeting, upcoming=True)


@_dates_method("services/meetings/lecturer_meeting_dates",
               "Search for meeting dates of specified meeting conducted by user.",
               params=[P("meeting_id", required=True, type="id")], errors=("method_forbidden",))
def lecturer_meeting_dates(call):
    """The dates of a meeting the person conducts (or, administrators, any): another
    lecturer's meeting is searched for nothing, as the reference page says "conducted by user"."""
    require_staff(call)
    meeting = queries.get_meeting(call.user, call.params["meeting_id"], method_name=call.method.path)
    return queries.meeting_dates(call.user, meeting) if meeting.can_manage(call.user) else []


@_dates_method("services/meetings/open_meeting_dates", "Search for open meeting dates for specific lecturer",
               params=[P("lecturer_id", required=True, type="id")], errors=("object_not_found",))
def open_meeting_dates(call):
    return queries.open_meeting_dates(call.user, call.params["lecturer_id"])


@_dates_method("services/meetings/user_calendar", "Search lecturer's meeting dates",
               params=[P("lecturer_id", required=True, type="id"), P("start", default=""),
                       P("days", type="int", default="7")])
def user_calendar(call):
    start = None
    if call.params["start"]:
        try:
            start = _date.fromisoformat(call.params["start"])
        except ValueError:
            raise param_invalid("start", "a date YYYY-MM-DD is required") from None
    days = call.params["days"]
    if not 1 <= days <= 366:
        raise param_invalid("days", "1..366")
    return queries.user_calendar(call.user, call.params["lecturer_id"], start, days)


@method("services/meetings/generate_meeting_dates", result="raw", **AUTH,
        params=[P("start_date", required=True, type="date"), P("end_date", required=True, type="date"),
                P("number", required=True, type="int"),
                P("frequency", required=True, type="choice", choices=FREQUENCIES),
                P("use_calendar", type="bool", default="false"), P("week_day", default=""),
                P("fac_id", default=""), P("start_even", type="bool", default="false")],
        brief="Generate meeting dates", returns="List of dates.")
def generate_meeting_dates(call):
    p = call.params
    week_day = None
    if p["week_day"]:
        if small_int(p["week_day"], 1, 7) is None:
            raise param_invalid("week_day", "1 (Monday) .. 7 (Sunday)")
        week_day = int(p["week_day"])
    days = generate_dates(p["start_date"], p["end_date"], p["number"], p["frequency"], week_day,
                          p["use_calendar"], p["fac_id"] or None, p["start_even"])
    return [d.isoformat() for d in days]


# --- participants ----------------------------------------------------------------------------

@method("services/meetings/participant", resource=PARTICIPANT, default_fields="id", **AUTH,
        params=[P("participant_id", required=True, type="id")], brief="Get information about meeting participant.")
def participant(call):
    return queries.visible_participant(call.user, call.params["participant_id"])


@method("services/meetings/participants", resource=PARTICIPANT, result="dict", default_fields="id", **AUTH,
        params=[P("participant_ids", required=True, type="ids")],
        brief="Get information about multiple meeting participants.")
def participants(call):
    return queries.participants_by_ids(call.user, call.params["participant_ids"])


@method("services/meetings/cart", resource=PARTICIPANT, result="list", default_fields="id", **AUTH,
        brief="Get user meetings cart")
def cart(call):
    return queries.cart(call.user)


@method("services/meetings/meeting_date_participants", resource=PARTICIPANT, result="list", default_fields="id",
        **AUTH, params=[P("meeting_date_id", required=True, type="id")], errors=("method_forbidden",),
        brief="Get meeting date participants.")
def meeting_date_participants(call):
    require_staff(call)
    date = queries.visible_date(call.user, call.params["meeting_date_id"], method_name=call.method.path)
    if not (date.meeting.can_manage(call.user) or (call.consumer and call.consumer.administrative)):
        raise not_meeting_lecturer()
    return list(date.participants)


# --- substantiations and notes ----------------------------------------------------------------

@method("services/meetings/substantiation", resource=SUBSTANTIATION, default_fields=SUBSTANTIATION_DEFAULT,
        consumer="required", token="optional", params=[P("id", required=True, type="id")],
        brief="Get substantiation object")
def substantiation(call):
    return queries.get_substantiation(call.params["id"])


def _subs_method(path, kind, brief):
    @method(path, resource=SUBSTANTIATION, result="list", default_fields=SUBSTANTIATION_DEFAULT,
            consumer="required", token="optional", brief=brief,
            params=[P("fac_id", required=True, type="id"), P("with_parents", type="bool", default="true")])
    def subs(call):
        return queries.substantiations(call.params["fac_id"], kind, call.params["with_parents"], call.method.path)
    return subs


_subs_method("services/meetings/get_meeting_substantiations", "meeting", "Get meeting substantiations")
_subs_method("services/meetings/get_rejection_substantiations", "rejection",
             "Get meeting rejection substantiations")


@method("services/meetings/note", resource=NOTE, default_fields="id|creation_date|private_note|public_note",
        **AUTH, params=[P("id", required=True, type="id")], errors=("method_forbidden",),
        brief="Get meeting note instance.")
def note(call):
    require_staff(call)
    return get_own_note(call.user, call.params["id"])


NOTE_CONTENT = resource("services/meetings/get_note", {
    "id": id_attr(),
    "creation_date": datetime_attr("creation_date"),
    "content": attr("content"),
})


class NoteView:
    """One part (private or public) of a note, as get_note answers it."""

    def __init__(self, note, note_type):
        self.id, self.creation_date = note.id, note.creation_date
        self.content = getattr(note, f"{note_type}_note")


@method("services/meetings/get_note", resource=NOTE_CONTENT, default_fields="id|creation_date|content", **AUTH,
        params=[P("fac_id", required=True, type="id"), P("term_id", required=True, type="id"),
                P("user_id", required=True, type="id"),
                P("note_type", required=True, type="choice", choices=NOTE_TYPES)],
        errors=("method_forbidden",), brief="Get meeting note.")
def get_note(call):
    require_staff(call)
    p = call.params
    found = find_note(call.user, p["fac_id"], p["term_id"], p["user_id"])
    if found is None or getattr(found, f"{p['note_type']}_note") is None:
        return None
    return NoteView(found, p["note_type"])
