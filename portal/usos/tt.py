"""services/tt: the timetable of a student, a staff member or the user, from the class meetings."""
from .. import clock
from ..api.errors import param_invalid
from ..api.reference import get_user
from ..api.registry import F, P, attr, datetime_attr, id_attr, method, module
from ..langdict import pick
from ..university import queries
from .common import memo

module("services/tt", "Timetable", "Timetables of students, staff and class groups.")
M = "services/tt/"


def _name(m):
    course, classtype = m.group.unit.edition.course.name, m.group.unit.classtype.name
    return {lang: f"{pick(course, lang)} - {pick(classtype, lang)}" for lang in ("pl", "en")}


def _frequency(m, call):
    return memo(call, "frequencies", dict).get(m.group_id)


ACTIVITY = {
    "type": F(lambda m, call: "classgroup2", description="What the activity is: classgroup2, a meeting of a "
                                                        "class group (the only kind Indeks has)."),
    "start_time": datetime_attr("start_time", description="When it starts."),
    "end_time": datetime_attr("end_time", description="When it ends."),
    "name": F(lambda m, call: _name(m), description="A LangDict: the course and the class type."),
    "url": F(lambda m, call: None, description="A page about the activity: Indeks has none (null)."),
    "course_id": F(lambda m, call: m.group.unit.edition.course_id, description="ID of the course."),
    "course_name": F(lambda m, call: m.group.unit.edition.course.name, description="A LangDict: the course."),
    "classtype_id": F(lambda m, call: m.group.unit.classtype_id, description="ID of the class type."),
    "classtype_name": F(lambda m, call: m.group.unit.classtype.name, description="A LangDict: the class type."),
    "unit_id": F(lambda m, call: str(m.group.unit_id), description="ID of the course unit."),
    "group_number": F(lambda m, call: m.group.number, description="Number of the class group."),
    "lecturer_ids": F(lambda m, call: [str(u.id) for u in m.group.lecturers],
                      description="IDs of the group's lecturers."),
    "building_id": F(lambda m, call: m.room.building_id if m.room else None, description="ID of the building."),
    "building_name": F(lambda m, call: m.room.building.name if m.room else None,
                       description="A LangDict: the building, or null."),
    "room_number": F(lambda m, call: m.room.number if m.room else None, description="The room, or null."),
    "room_id": F(lambda m, call: str(m.room_id) if m.room_id is not None else None, description="ID of the room."),
    "frequency": F(_frequency, description="How often the group meets: weekly, biweekly, once or irregular "
                                           "(from the gaps between its meetings)."),
    "cgwm_id": id_attr(description="ID of this meeting of the class group."),
    "classgroup_profile_url": F(lambda m, call: None, description="A page about the group: Indeks has none."),
    "group_id": attr("group_id", primary=False, description="Internal ID of the class group."),
}
DEFAULT = "start_time|end_time|name"
WINDOW = [P("start", type="date", description="The first day (YYYY-MM-DD); today by default."),
          P("days", type="int", default="7", description="How many days, 1 to 7.")]
RETURNS = "A list of activities in the window, by start time, with the fields you select."


def window(call, user_id, roles):
    days = call.params["days"]
    if not 1 <= days <= 7:
        raise param_invalid("days", "between 1 and 7")
    meetings = queries.timetable(user_id, roles, call.params["start"] or clock.today(), days)
    memo(call, "frequencies", dict).update(queries.frequencies({m.group_id for m in meetings}))
    return meetings


@method(M + "student", fields=ACTIVITY, result="list", default_fields=DEFAULT, params=WINDOW, consumer="required",
        token="required", scopes=("studies",), errors=("param_invalid",), returns=RETURNS,
        brief="Get the timetable of the user as a student.",
        description="The meetings of the class groups the user of the access token attends.")
def student(call):
    return window(call, call.user.id, ("participant",))


@method(M + "staff", fields=dict(ACTIVITY), result="list", default_fields=DEFAULT, consumer="required",
        token="optional", params=[P("user_id", required=True, type="id", description="ID of the staff member."),
                                  *WINDOW],
        errors=("object_not_found", "param_invalid"), returns=RETURNS, brief="Get the timetable of a staff member.",
        description="The meetings of the class groups the staff member teaches.")
def staff(call):
    return window(call, get_user(call.params["user_id"], method_name=call.method.path).id, ("lecturer",))


@method(M + "user", fields=dict(ACTIVITY), result="list", default_fields=DEFAULT, params=WINDOW,
        consumer="required", token="required", scopes=("studies",), errors=("param_invalid",), returns=RETURNS,
        brief="Get the timetable of the user.",
        description="The meetings of the class groups the user of the access token attends or teaches.")
def user(call):
    return window(call, call.user.id, ("participant", "lecturer"))
