"""services/attendance: the ten methods, thin shells over the attendance queries and services."""
import functools

from ..api.registry import SCOPES, F, P, attr, datetime_attr, id_attr, method, module, ref, resource, scope
from ..errors import ServiceError
from . import queries, services
from .models import ATTENDANCE_MODES, LIST_MODES

module("services/attendance", "Attendance lists",
       "These API methods allow you to create and fill attendance lists.", beta=True)
if "staff_perspective" not in SCOPES:
    scope("staff_perspective", "Act as a staff member: see and change what the user's staff roles allow.")

AUTH = dict(consumer="required", token="required", scopes=("staff_perspective",), ssl=True, beta=True)

ATTENDANCE_LIST = resource("services/attendance/attendance_list", {
    "id": id_attr(description="ID of the attendance list"),
    "course_unit": ref(lambda lst, call: lst.group.unit, "services/courses/course_unit",
                       description="Course unit"),
    "group_number": F(lambda lst, call: lst.group.number, description="Group number"),
    "owner": ref(lambda lst, call: lst.owner, "services/users/user", description="Owner of the attendance list"),
    "date": datetime_attr("date", description="Datetime of meeting"),
    "mode": attr("mode", description="Mode of meetings: intramural, remote or hybrid"),
})

ENTRY = resource("services/attendance/attendance", {
    "student": ref(lambda row, call: row.student, "services/users/user",
                   description="Student who the entry concerns"),
    "attendance_mode": F(lambda row, call: row.mode,
                         description="intramural, remote, justified_absence, absence, or null when not set"),
    "comment": F(lambda row, call: row.comment, description="Comment, or null"),
})

LIST_ID = P("list_id", required=True, type="id", description="ID of attendance list")
UNIT_ID = P("course_unit_id", required=True, type="id", description="ID of course unit")
GROUP_NUMBER = P("group_number", required=True, type="int", description="Group number")
NOT_FOUND_LIST = ("object_not_found",)


def names_method(func):
    """Name the method in object_not_found errors, as the wire conventions ask."""
    @functools.wraps(func)
    def wrapper(call):
        try:
            return func(call)
        except ServiceError as err:
            if err.error == "object_not_found":
                err.extra.setdefault("method_name", call.method.path)
            raise
    return wrapper


@method("services/attendance/attendance", resource=ENTRY, result="list", default_fields="student|attendance_mode",
        params=[LIST_ID, P("student_ids", type="ids", description="Pipe-separated list of student IDs")],
        brief="Get information of attendance.", errors=NOT_FOUND_LIST, **AUTH)
@names_method
def attendance(call):
    lst = queries.get_list(call.user, call.params["list_id"])
    return queries.roster(lst, call.params["student_ids"])


@method("services/attendance/attendance_list", resource=ATTENDANCE_LIST, default_fields="id", params=[LIST_ID],
        brief="Get information of a single attendance list.", errors=NOT_FOUND_LIST, **AUTH)
@names_method
def attendance_list(call):
    return queries.get_list(call.user, call.params["list_id"])


@method("services/attendance/attendance_lists", resource=ATTENDANCE_LIST, result="dict", default_fields="id",
        params=[P("list_ids", required=True, type="ids", description="Pipe-separated list of attendance list IDs.")],
        brief="Get information of multiple attendance lists.", **AUTH)
def attendance_lists(call):
    return queries.lists_by_ids(call.user, call.params["list_ids"])


@method("services/attendance/change_list_mode", result="raw", writes=True,
        params=[LIST_ID, P("mode", required=True, type="choice", choices=LIST_MODES)],
        brief="Change mode of attendance list. This requires no set attendance for that list.",
        errors=("object_invalid", "object_not_found"), **AUTH)
@names_method
def change_list_mode(call):
    services.change_list_mode(call.user, call.params["list_id"], call.params["mode"])
    return {}


@method("services/attendance/create_attendance_list", result="raw", writes=True,
        params=[UNIT_ID, GROUP_NUMBER, P("date", required=True, type="datetime",
                                         description="Date and time of the meeting"),
                P("mode", required=True, type="choice", choices=LIST_MODES)],
        brief="Create a new attendance list.", errors=("object_invalid", "object_not_found"), **AUTH)
@names_method
def create_attendance_list(call):
    group = queries.find_group(call.params["course_unit_id"], call.params["group_number"])
    lst = services.create_list(call.user, group, call.params["date"], call.params["mode"])
    return {"list_id": str(lst.id)}


@method("services/attendance/create_from_tt", result="raw", writes=True,
        params=[UNIT_ID, GROUP_NUMBER, P("default_mode", required=True, type="choice", choices=LIST_MODES)],
        brief="Create new attendance lists from group meetings.",
        errors=("object_invalid", "object_not_found"), **AUTH)
@names_method
def create_from_tt(call):
    group = queries.find_group(call.params["course_unit_id"], call.params["group_number"])
    services.create_from_tt(call.user, group, call.params["default_mode"])
    return {}


@method("services/attendance/delete_list", result="raw", writes=True, params=[LIST_ID],
        brief="Delete attendance list. This requires no set attendance for that list.",
        errors=("object_invalid", "object_not_found"), **AUTH)
@names_method
def delete_list(call):
    services.delete_list(call.user, call.params["list_id"])
    return {}


@method("services/attendance/group", resource=ATTENDANCE_LIST, result="list", default_fields="id",
        params=[UNIT_ID, GROUP_NUMBER], brief="Get information of attendance lists for selected group.", **AUTH)
def group(call):
    found = queries.find_group(call.params["course_unit_id"], call.params["group_number"])
    if found is None or not queries.can_manage_group(found, call.user):
        return []  # the page lists no error here: others' groups simply have no lists for you
    return queries.lists_of_group(found)


@method("services/attendance/update_attendance", result="raw", writes=True,
        params=[LIST_ID, P("student_id", required=True, type="id", description="ID of student"),
                P("attendance_mode", required=True, type="choice", choices=ATTENDANCE_MODES),
                P("comment", description="Comment", max_length=2000)],
        brief="Update attendance entry.", errors=("object_invalid", "object_not_found"), **AUTH)
@names_method
def update_attendance(call):
    comment = call.params["comment"]
    services.set_attendance(call.user, call.params["list_id"], call.params["student_id"],
                            call.params["attendance_mode"], services.UNSET if comment is None else comment)
    return {}


@method("services/attendance/user", resource=ATTENDANCE_LIST, result="list", default_fields="id",
        brief="Get all attendance lists for user.", **AUTH)
def user(call):
    return queries.lists_of_user(call.user)
