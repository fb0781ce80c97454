"""services/exams: the objects (resources) and the read methods; batch methods in api_admin.py."""
from flask import current_app

from ..api.errors import field_error, object_forbidden
from ..api.oauth import is_secure
from ..api.registry import F, P, attr, datetime_attr, id_attr, method, module, ref, resource
from ..extensions import db
from ..langdict import pick  # noqa: F401
from . import queries, services as svc
from .models import ExaminationSession

module("services/exams", "Exams", "Registration for course exams.",
       "This module contains methods that return information on exams, exams' registrations, "
       "exams' groups.", beta=True)


def trusted(call):
    return call.consumer is not None and call.consumer.administrative


def _trusted_only(call):
    """Attendee lists need an administrative consumer key, over SSL where SSL is required."""
    if not trusted(call):
        return "trusted_required"
    if current_app.config["PORTAL_REQUIRE_SSL"] and not is_secure():
        return "secure_required"
    return None


ATTENDEES_FORBIDDEN = {"coordinator_only": "Only the coordinator has access to all exam attendees.",
                       "examiner_only": "Only an examiner or the coordinator has access to attendees."}


def _attendees_guard(group_of):
    """object_forbidden unless the person is an examiner of the group or a coordinator; an
    administrative consumer acting for nobody in particular is the institution itself."""
    def guard(obj, call):
        reason = group_of(obj).attendees_refusal(call.user) if call.user is not None else None
        return None if reason is None else object_forbidden(reason, ATTENDEES_FORBIDDEN[reason])
    return guard


def _secret_list(name, compute):
    """A list of students, for administrative consumers and the exam's staff."""
    def guard(exam, call):
        if call.user is not None and not exam.can_see_attendees(call.user):
            return field_error("field_forbidden", name, "services/exams/exam",
                               f"Field {name} is for the exam's examiners and coordinators.", reason="examiner_only")
        return None
    return F(lambda exam, call: compute(exam), primary=False, forbidden=_trusted_only, guard=guard)


def _examiners(group, call):
    user = call.user
    if group.exam.examiners_visible or trusted(call) or (user is not None and group.exam.can_see_attendees(user)):
        return list(group.examiners)
    return None


def _grades_model(name):
    from ..grades import models  # lazily: the packages stay independent
    return getattr(models, name)


def _examrep_session(exam, call):
    if exam.examrep_id is None:
        return None
    report = db.session.get(_grades_model("ExamReport"), exam.examrep_id)
    if report is None:
        return None
    return report.session(exam.examrep_session_number or 1)


def _grade_value(cond, call):
    v = cond.grade_value
    if v is None:
        return None
    return {"symbol": v.symbol, "passes": v.passes, "name": v.name, "order_key": v.order_key,
            "decimal_value": None if v.decimal_value is None else str(v.decimal_value)}


CONDITION = resource("services/exams/condition", {
    "examrep": ref(lambda c, call: db.session.get(_grades_model("ExamReport"), c.examrep_id),
                   "services/examrep/exam", only_primary=True),
    "grade_value": F(_grade_value),
})

SLOT = resource("services/exams/slot", {
    "number": attr("number"),
    "capacity": attr("capacity"),
    "attendees_count": F(lambda s, call: len(s.registrations)),
    "attendees": F(lambda s, call: [str(r.user_id) for r in s.registrations], forbidden=_trusted_only,
                   guard=_attendees_guard(lambda s: s.group)),
    "start": datetime_attr("start"),
    "end": datetime_attr("end"),
})

GROUP = resource("services/exams/group", {
    "exam_id": id_attr("exam_id"),
    "number": attr("number"),
    "exam_start": datetime_attr("start"),
    "exam_end": datetime_attr("end"),
    "capacity": attr("capacity"),
    "number_of_slots": attr("number_of_slots"),
    "slots": ref(lambda g, call: list(g.slots), "services/exams/slot"),
    "examiners": ref(_examiners, "services/users/user"),
    "room": ref(lambda g, call: g.room, "services/geo/room", only_primary=True),
    "is_examiner": F(lambda g, call: g.is_examiner(call.user)),
    "register_until": F(lambda g, call: datetime_attr("register_until").get(g.exam, call)),
    "unregister_until": F(lambda g, call: datetime_attr("unregister_until").get(g.exam, call)),
    "registration_start": F(lambda g, call: datetime_attr("registration_start").get(g.exam, call)),
})

EXAM_GROUP = resource("services/exams/exam_group", {
    "exam_id": id_attr("exam_id"),
    "number": attr("number"),
    "exam_start": datetime_attr("start"),
    "exam_end": datetime_attr("end"),
    "attendees": ref(lambda g, call: svc.group_attendees(g), "services/users/user2", forbidden=_trusted_only,
                     guard=_attendees_guard(lambda g: g)),
})

EXAM = resource("services/exams/exam", {
    "id": id_attr(),
    "examination_session_id": id_attr("session_id"),
    "term": ref(lambda e, call: e.term, "services/terms/term"),
    "course": ref(lambda e, call: e.course, "services/courses/course", only_primary=True),
    "registration_start": datetime_attr("registration_start"),
    "registration_end": datetime_attr("registration_end"),
    "examiners_visible": attr("examiners_visible"),
    "name": attr("name"),
    "description": attr("description"),
    "groups": ref(lambda e, call: list(e.groups), "services/exams/group"),
    "code": attr("code"),
    "has_priorities": attr("has_priorities"),
    "preferences_limit": attr("preferences_limit"),
    "micro_round_length": attr("micro_round_length"),
    "micro_break_length": attr("micro_break_length"),
    "register_until": datetime_attr("register_until"),
    "unregister_until": datetime_attr("unregister_until"),
    "exchange_until": datetime_attr("exchange_until"),
    "examrep_session": ref(_examrep_session, "services/examrep/exam_session", only_primary=True),
    "students_count": F(lambda e, call: len(svc.edition_student_ids(e))),
    "admission_conditions": ref(lambda e, call: {str(c.examrep_id): c for c in e.conditions},
                                "services/exams/condition", primary=False),
    "admitted_students": _secret_list("admitted_students",
                                      lambda e: [str(u) for u in svc.admission_lists(e)[0]]),
    "unadmitted_students": _secret_list("unadmitted_students", lambda e: {
        str(u): [str(r) for r in reps] for u, reps in svc.admission_lists(e)[1].items()}),
})

SESSION = resource("services/exams/examination_session", {
    "id": id_attr(),
    "name": attr("name"),
    "description": attr("description"),
    "status": attr("status"),
    "exams": ref(lambda s, call: list(s.exams), "services/exams/exam", only_primary=True),
    "faculty": F(lambda s, call: {"id": s.faculty.id, "name": s.faculty.name}),
})

EXAM_DEFAULT = ("id|examination_session_id|term|course|registration_start|registration_end|"
                "examiners_visible|groups|code|has_priorities|preferences_limit")
SESSION_DEFAULT = "id|status|exams|faculty"
PUBLIC = dict(consumer="optional", token="optional", beta=True)


@method("services/exams/exam", resource=EXAM, default_fields=EXAM_DEFAULT, params=[P("id", required=True, type="id")],
        errors=("object_not_found",), brief="Get information on a given exam.", **PUBLIC)
def exam_method(call):
    return svc.visible_exam(call.params["id"], call.user, trusted(call), "id", call.method.path)


@method("services/exams/exams", resource=EXAM, default_fields=EXAM_DEFAULT, result="dict",
        params=[P("ids", required=True, type="ids")], consumer="optional", token="ignored", ssl=True, beta=True,
        brief="Get information on given exams.")
def exams_method(call):
    return {exam_id: exam if exam is not None and svc.can_view_session(exam.session, None, trusted(call)) else None
            for exam_id, exam in queries.exams_by_ids(call.params["ids"]).items()}


@method("services/exams/condition", resource=CONDITION, default_fields="examrep|grade_value",
        params=[P("exam_id", required=True, type="id"), P("examrep_id", required=True, type="id")],
        errors=("object_not_found",), brief="Get information on a admission condition.", **PUBLIC)
def condition_method(call):
    exam = svc.visible_exam(call.params["exam_id"], call.user, trusted(call), "exam_id", call.method.path)
    cond = next((c for c in exam.conditions if str(c.examrep_id) == call.params["examrep_id"]), None)
    if cond is None:
        raise svc.not_found("Condition", "examrep_id", call.method.path)
    return cond


def _group(call):
    exam = svc.visible_exam(call.params["exam_id"], call.user, trusted(call), "exam_id", call.method.path)
    return svc.get_group(exam, call.params["group_number"], "group_number", call.method.path)


GROUP_PARAMS = [P("exam_id", required=True, type="id"), P("group_number", required=True, type="id")]
GROUP_ERRORS = (("object_forbidden", "access to the list of attendees is forbidden; reasons: coordinator_only "
                                     "(only the coordinator sees all attendees), examiner_only (only an examiner "
                                     "or the coordinator sees attendees)"), "object_not_found")


@method("services/exams/group", resource=GROUP, params=GROUP_PARAMS, errors=GROUP_ERRORS,
        default_fields="exam_id|number|exam_start|exam_end|capacity|number_of_slots|slots|examiners",
        brief="Get information on a given exam group.", **PUBLIC)
def group_method(call):
    return _group(call)


@method("services/exams/exam_group", resource=EXAM_GROUP, params=GROUP_PARAMS, errors=GROUP_ERRORS,
        default_fields="exam_id|number|exam_start|exam_end", brief="Get information on a given exam group.",
        **PUBLIC)
def exam_group_method(call):
    return _group(call)


@method("services/exams/slot", resource=SLOT, default_fields="number|capacity|attendees_count|attendees",
        params=GROUP_PARAMS + [P("slot_number", required=True, type="id")], errors=GROUP_ERRORS,
        brief="Get information on a given slot.", **PUBLIC)
def slot_method(call):
    return svc.get_slot(_group(call), call.params["slot_number"], "slot_number", call.method.path)


@method("services/exams/examination_session", resource=SESSION, default_fields=SESSION_DEFAULT,
        params=[P("id", required=True, type="id")], errors=("object_not_found",),
        brief="Get information on a given examination session.", **PUBLIC)
def session_method(call):
    session = svc.get_session(call.params["id"], "id", call.method.path)
    return svc.check_session_visible(session, call.user, trusted(call), "id", call.method.path)


@method("services/exams/examination_sessions", resource=SESSION, default_fields=SESSION_DEFAULT, result="dict",
        params=[P("ids", required=True, type="ids")], brief="Get information on given examination sessions.",
        **PUBLIC)
def sessions_method(call):
    keys = [svc.as_int(i) for i in call.params["ids"] if svc.as_int(i) is not None]
    found = {s.id: s for s in queries.sessions(ExaminationSession.id.in_(keys))} if keys else {}
    return {i: (s if s is not None and svc.can_view_session(s, call.user, trusted(call)) else None)
            for i, s in ((i, found.get(svc.as_int(i))) for i in call.params["ids"])}


@method("services/exams/student_exams", resource=EXAM, default_fields=EXAM_DEFAULT, result="list",
        only_primary=True, consumer="required", token="required", scopes=("studies",), ssl=True, beta=True,
        brief="Get list of student exams.")
def student_exams_method(call):
    return queries.listed(queries.student_exams(call.user, options=queries.listed_exam_options()))


from . import api_admin  # noqa: E402,F401  (the administrative and search methods)
