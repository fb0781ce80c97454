"""services/examrep2: exam reports, their sessions, grade types and the grades in them."""
from types import SimpleNamespace

from ..api.errors import object_not_found
from ..api.reference import get_group
from ..api.registry import F, P, attr, id_attr, module, ref, resource
from ..extensions import db
from ..university.models import GradeType, GradeValue
from . import access, queries, services
from .api_common import (declare, decimal_str, deferred_ref, fmt_dt, need_scope, opt,
                         parse_date, parse_date_modified, primary_only)
from .models import REPORT_TYPES

module("services/examrep2", "Exam reports",
       "Retrieving information about exam reports, exam sessions and course participants grades.")
M = "services/examrep2/"
GRADES = ("grades",)

GRADE_TYPE = resource(M + "grade_type", {
    "id": attr("id"),
    "name": attr("name"),
    "values": ref(lambda t, call: list(t.values), M + "grade_value", primary=False),
})
GRADE_VALUE = resource(M + "grade_value", {
    "grade_type": primary_only(ref(lambda v, call: v.grade_type, M + "grade_type")),
    "order_key": attr("order_key"),
    "symbol": attr("symbol"),
    "passes": attr("passes"),
    "decimal_value": F(lambda v, call: decimal_str(v.decimal_value)),
    "name": attr("name"),
})
REPORT_TYPE = resource(M + "examrep_type", {
    "id": attr("id"),
    "name": attr("name"),
    "grade_type": ref(lambda t, call: db.session.get(GradeType, t.grade_type_id), M + "grade_type"),
})


def _all_grades(s, call):
    need_scope(call, "grades", "all_grades", M + "examrep_session")
    return services.slots(s, access.visible_students(call.user, s.report))


def _issuer_grade(s, call):
    need_scope(call, "grades", "issuer_grade", M + "examrep_session")
    if not s.report.has_student(call.user.id):
        return None
    return services.slot(s, call.user)


SESSION = resource(M + "examrep_session", {
    "examrep_id": id_attr("report_id"),
    "number": attr("number"),
    "status": attr("status"),
    "description": attr("description"),
    "deadline": F(lambda s, call: fmt_dt(s.deadline)),
    "is_open": F(lambda s, call: s.is_open(services.clock.now())),
    "is_acquisition_date_required": attr("is_acquisition_date_required"),
    "all_grades": primary_only(ref(_all_grades, M + "student_grade", primary=False)),
    "issuer_grade": ref(_issuer_grade, M + "user_grade", primary=False),
    "read_access": ref(lambda s, call: access.accesses(call.user, s.report, access.READ),
                       M + "examrep_session_access", primary=False),
    "write_access": ref(lambda s, call: access.accesses(call.user, s.report, access.WRITE),
                        M + "examrep_session_access", primary=False),
})
EXAMREP = resource(M + "examrep", {
    "id": id_attr(),
    "description": attr("description"),
    "counts_into_average": attr("counts_into_average"),
    "grade_type": ref(lambda r, call: r.grade_type, M + "grade_type"),
    "is_general_report": attr("is_general"),
    "sessions": ref(lambda r, call: list(r.sessions), M + "examrep_session"),
    "edit_access": F(lambda r, call: bool(access.accesses(call.user, r, access.WRITE))),
    "course_edition": deferred_ref(ref(lambda r, call: r.edition, "services/courses/course_edition2",
                                       primary=False), "services/courses/course_edition2"),
    "course_unit": ref(lambda r, call: r.unit, "services/courses/course_unit", primary=False),
    "active_sessions": primary_only(ref(lambda r, call: [s for s in r.sessions if s.is_open(services.clock.now())],
                                        M + "examrep_session", primary=False)),
})
ACCESS = resource(M + "examrep_session_access", {
    "cause": attr("cause"),
    "groups": primary_only(ref(lambda a, call: list(a.groups), "services/groups/class_group")),
    "exam_groups": deferred_ref(F(lambda a, call: list(a.exam_groups), ref="services/exams/exam_group"),
                                "services/exams/exam_group"),
    "unassigned": attr("unassigned"),
})


def _grader(slot_, call):
    return slot_.grade.modified_by if slot_.grade else None


def _g(name, convert=lambda v: v):
    return F(lambda s, call: convert(getattr(s.grade, name)) if s.grade is not None else None)


def _private(slot_, call):
    if slot_.grade is None or not access.is_grader(call.user, slot_.report):
        return None
    return slot_.grade.private_comment


def _why(slot_, call):
    return None if services.is_editable(call.user, slot_) else services.why_cannot_edit(slot_.grade)


USER_REF = "services/users/user2"
STUDENT_GRADE = resource(M + "student_grade", {
    "grade_value": ref(lambda s, call: s.grade.value if s.grade else None, M + "grade_value"),
    "comment": _g("comment"),
    "private_comment": F(_private),
    "user": deferred_ref(ref(lambda s, call: s.student, USER_REF), USER_REF),
    "grader": deferred_ref(ref(_grader, USER_REF), USER_REF),
    "last_updated": _g("date_modified", fmt_dt),
    "is_editable": F(lambda s, call: services.is_editable(call.user, s)),
    "resignation": F(lambda s, call: bool(s.grade and s.grade.resignation)),
    "inactive_links": F(lambda s, call: bool(s.grade and s.grade.inactive_links)),
    "why_cannot_edit": F(_why),
    "date_acquisition": _g("date_acquisition", fmt_dt),  # a DateTime, as the reference says
    "examrep_session": primary_only(ref(lambda s, call: s.session, M + "examrep_session", primary=False)),
})
USER_GRADE = resource(M + "user_grade", {name: STUDENT_GRADE.fields[name] for name in
                                         ("grade_value", "comment", "user", "grader", "last_updated")})
CLASS_GROUP_GRADES = resource(M + "class_group", {
    "class_group": primary_only(ref(lambda d, call: d.class_group, "services/groups/class_group")),
    "grades": primary_only(ref(lambda d, call: d.grades, M + "student_grade")),
})

AUTH = dict(consumer="required", token="required", scopes=GRADES, ssl=True)
REPORT_DEFAULT = "id|description|is_general_report|sessions"
GRADE_DEFAULT = "grade_value|comment|private_comment|user"
SESSION_PARAMS = [P("examrep_id", required=True, type="id"), P("examrep_session_number", required=True, type="int")]


@declare(M + "class_group", resource=CLASS_GROUP_GRADES, fields_required=True, **AUTH,
         params=[P("examrep_id", required=True, type="id"), P("course_unit_id", required=True, type="id"),
                 P("group_number", required=True, type="int")],
         brief="Get class group and grades in given group for given exam report")
def class_group(call):
    report = services.get_report(call.params["examrep_id"])
    group = get_group(call.params["course_unit_id"], call.params["group_number"], call.method.path)
    if group not in report.groups():
        raise object_not_found("course_unit_id", call.method.path, "The group is not graded in this report.")
    students = [u for u in group.participants if access.can(call.user, report, u.id)]
    if not students:
        services.check_read(call.user, report, -1)
    return SimpleNamespace(class_group=group,
                           grades=[slot_ for s in report.sessions for slot_ in services.slots(s, students)])


@declare(M + "examinee", resource=EXAMREP, result="list", default_fields=REPORT_DEFAULT, only_primary=True,
         params=[P("user_id", required=True, type="id")], **AUTH,
         brief="Get exam reports that allows access token issuer to update grades of given student")
def examinee(call):
    student = services.get_student(call.params["user_id"], "user_id")
    return queries.examinee_reports(call.user, student)


@declare(M + "examrep", resource=EXAMREP, default_fields=REPORT_DEFAULT, consumer="optional", token="optional",
         params=[P("examrep_id", required=True, type="id")], brief="Get info about exam report")
def examrep(call):
    return services.get_report(call.params["examrep_id"])


@declare(M + "examrep_session", resource=SESSION, consumer="optional", token="optional", params=SESSION_PARAMS,
         default_fields="examrep_id|number|status|description|deadline|is_open",
         brief="Get info about exam report session.")
def examrep_session(call):
    return services.get_session(services.get_report(call.params["examrep_id"]),
                                call.params["examrep_session_number"])


@declare(M + "examrep_session_access", resource=ACCESS, result="list", **AUTH,
         default_fields="cause|groups|exam_groups|unassigned",
         params=SESSION_PARAMS + [P("type", required=True, type="choice", choices=("read", "write"))],
         brief="Get access token issuer to exam report")
def examrep_session_access(call):
    report = services.get_report(call.params["examrep_id"])
    services.get_session(report, call.params["examrep_session_number"])
    return access.accesses(call.user, report, call.params["type"])


@declare(M + "examrep_type", resource=REPORT_TYPE, default_fields="id|name", consumer="ignored",
         token="ignored", ssl=True, params=[P("examrep_type_id", required=True, type="id")],
         brief="Exam report type")
def examrep_type(call):
    found = REPORT_TYPES.get(call.params["examrep_type_id"])
    if found is None:
        raise object_not_found("examrep_type_id", call.method.path, "Exam report type not found.")
    return found


def get_grade_type(type_id, param, method_name):
    found = db.session.get(GradeType, type_id)
    if found is None:
        raise object_not_found(param, method_name, "Grade type not found.")
    return found


@declare(M + "grade_type", resource=GRADE_TYPE, default_fields="id|name", consumer="ignored", token="ignored",
         ssl=True, params=[P("grade_type_id", required=True, type="id")], brief="Get info about grade type.")
def grade_type(call):
    return get_grade_type(call.params["grade_type_id"], "grade_type_id", call.method.path)


@declare(M + "grade_value", resource=GRADE_VALUE, default_fields="order_key|symbol|name", consumer="ignored",
         token="ignored", ssl=True, params=[P("grade_type_id", required=True, type="id"),
                                            P("order_key", required=True, type="int")],
         brief="Get information about grade value")
def grade_value(call):
    get_grade_type(call.params["grade_type_id"], "grade_type_id", call.method.path)
    found = db.session.scalar(db.select(GradeValue).filter_by(grade_type_id=call.params["grade_type_id"],
                                                               order_key=call.params["order_key"]))
    if found is None:
        raise object_not_found("order_key", call.method.path, "Grade value not found.")
    return found


@declare(M + "grader", resource=EXAMREP, result="list", default_fields=REPORT_DEFAULT, **AUTH,
         params=[P("only_writable", type="bool", default="false"), P("active_terms_only", type="bool", default="true")],
         brief="Get exam reports that access token issuer has access")
def grader(call):
    return queries.grader_reports(call.user, call.params["only_writable"], call.params["active_terms_only"])


@declare(M + "student_grade", resource=STUDENT_GRADE, default_fields=GRADE_DEFAULT, **AUTH,
         params=SESSION_PARAMS + [P("student_id", required=True, type="id")],
         brief="Get information about single user's grade")
def student_grade(call):
    report = services.get_report(call.params["examrep_id"])
    session = services.get_session(report, call.params["examrep_session_number"])
    student = services.get_student(call.params["student_id"])
    services.check_read(call.user, report, student.id)
    return services.slot(session, student)


@declare(M + "student_grades", resource=STUDENT_GRADE, result="list", default_fields=GRADE_DEFAULT, **AUTH,
         params=[P("examrep_id", required=True, type="id"), P("student_id", required=True, type="id")],
         brief="Get information about all user's grade from single exam report")
def student_grades(call):
    report = services.get_report(call.params["examrep_id"])
    student = services.get_student(call.params["student_id"])
    services.check_read(call.user, report, student.id)
    return [services.slot(s, student) for s in report.sessions]


UPDATE_PARAMS = [P("value_symbol"), P("comment"), P("private_comment"), P("date_modified"), P("date_acquisition")]


def update_from_call(call, report_id, number, params_map):
    p = call.params
    services.update_grade(
        call.user, report_id, number, p["student_id"], value=opt(p["value_symbol"], services.UNSET),
        comment=opt(p["comment"], services.UNSET), private_comment=opt(p["private_comment"], services.UNSET),
        date_acquisition=parse_date(p["date_acquisition"]), expected=parse_date_modified(p["date_modified"]),
        params=params_map)
    return {}


@declare(M + "update_student_grade", result="raw", consumer="required", token="required", scopes=("grades_write",),
         writes=True, beta=True, params=[P("student_id", required=True, type="id")] + SESSION_PARAMS + UPDATE_PARAMS,
         errors=("object_forbidden", "object_invalid"), brief="Update user's grade.")
def update_student_grade(call):
    return update_from_call(call, call.params["examrep_id"], call.params["examrep_session_number"],
                            services.PARAMS)


@declare(M + "user_grade", resource=USER_GRADE, default_fields="grade_value|comment|last_updated", **AUTH,
         params=SESSION_PARAMS, brief="Get information about access token user's grade")
def user_grade(call):
    report = services.get_report(call.params["examrep_id"])
    session = services.get_session(report, call.params["examrep_session_number"])
    slot_ = services.slot(session, call.user)
    if slot_.grade is None and not report.has_student(call.user.id):
        services.check_read(None, report, call.user.id)
    return slot_
