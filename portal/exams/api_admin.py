"""services/exams: administrative lists, the search, and the batch (un)registrations."""
import calendar
from datetime import date

from ..api.errors import param_invalid
from ..api.registry import P, method
from ..errors import ServiceError
from ..extensions import db
from ..langdict import ld
from ..university.models import Faculty
from . import batch, queries, services as svc
from .api import EXAM, EXAM_DEFAULT, SESSION, SESSION_DEFAULT
from .models import SESSION_STATUSES, Exam, ExaminationSession, ExamRegistration

ADMIN = dict(consumer="required", token="ignored", ssl=True, administrative=True, beta=True)


def _sessions(*where):
    return queries.sessions(*where)


@method("services/exams/active_examination_sessions", resource=SESSION, default_fields=SESSION_DEFAULT,
        result="list", brief="Get list of active examination sessions.", **ADMIN)
def active_sessions(call):
    return _sessions(ExaminationSession.status == "active")


@method("services/exams/faculty_examination_sessions", resource=SESSION, default_fields=SESSION_DEFAULT,
        result="list", params=[P("faculty_id", required=True, type="id"), P("status", required=True, type="list")],
        brief="Get list of examination sessions of a faculty.", **ADMIN)
def faculty_sessions(call):
    statuses = call.params["status"]
    bad = [s for s in statuses if s not in SESSION_STATUSES]
    if bad or not statuses:
        raise param_invalid("status", "one or more of: " + ", ".join(SESSION_STATUSES))
    if db.session.get(Faculty, call.params["faculty_id"]) is None:
        raise svc.not_found("Faculty", "faculty_id", call.method.path)
    return _sessions(ExaminationSession.faculty_id == call.params["faculty_id"],
                     ExaminationSession.status.in_(statuses))


@method("services/exams/administrator", resource=SESSION, default_fields=SESSION_DEFAULT, result="raw",
        consumer="required", token="required", scopes=("staff_perspective",), ssl=True, beta=True,
        brief="Get information on a exams administrated by user.")
def administrator(call):
    """Administrators manage the sessions of their faculty and the faculties under it."""
    user = call.user
    out = {}
    if not user.is_admin:
        return out
    for session in _sessions():
        chain = [f.id for f in session.faculty.with_parents()]
        if user.faculty_id is None or user.faculty_id in chain:
            out.setdefault(session.faculty_id, []).append(call.project(session))
    return out


@method("services/exams/user", resource=SESSION, default_fields=SESSION_DEFAULT, result="list",
        consumer="required", token="required", ssl=True, administrative=True, beta=True,
        brief="Get information on a exams assigned to user.")
def user_sessions(call):
    """Sessions of the exams the user examines, coordinates or is registered for."""
    user = call.user
    mine = db.select(ExamRegistration.exam_id).where(ExamRegistration.user_id == user.id)
    return queries.sessions(ExaminationSession.id.in_(db.select(Exam.session_id).where(
        db.or_(Exam.id.in_(mine), queries.examined_or_coordinated(user)))))


def _add_month(d):
    """The same day a month later (the month's last day when shorter); past year 9999, the last date."""
    if d.year == date.max.year and d.month == 12:
        return date.max
    year, month = (d.year + 1, 1) if d.month == 12 else (d.year, d.month + 1)
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _params_invalid(reason, message, pl, en):
    return ServiceError("params_invalid", message, reason=reason, user_message=ld(pl, en))


@method("services/exams/search_exams_registrations", resource=EXAM, default_fields=EXAM_DEFAULT, result="list",
        params=[P("start_date", required=True, type="date"), P("end_date", required=True, type="date"),
                P("faculty_id", default=""), P("user_related", default="false", type="bool")],
        consumer="required", token="optional", ssl=True, beta=True,
        errors=("object_not_found", "params_invalid"), brief="Search for exam registrations.")
def search(call):
    start, end = call.params["start_date"], call.params["end_date"]
    if end < start:
        raise _params_invalid("session_not_found", "end_date must follow start_date.",
                              "Data końcowa musi następować po początkowej.",
                              "The end date must follow the start date.")
    if end > _add_month(start):
        raise _params_invalid("too_long_date_range", "The date range must not be longer than one month.",
                              "Zakres dat nie może być dłuższy niż miesiąc.",
                              "The date range must not exceed one month.")
    fac_id = call.params["faculty_id"]
    if fac_id and db.session.get(Faculty, fac_id) is None:
        raise svc.not_found("Faculty", "faculty_id", call.method.path)
    query = db.select(Exam).join(ExaminationSession).where(
        ExaminationSession.status.in_(("active", "active_reg_only")), Exam.registration_start.is_not(None),
        db.func.date(Exam.registration_start) <= end,
        db.or_(Exam.registration_end.is_(None), db.func.date(Exam.registration_end) >= start)).order_by(Exam.id)
    exams = queries.listed(db.session.scalars(query.options(*queries.listed_exam_options())).all())
    if fac_id:
        exams = [e for e in exams if fac_id in [f.id for f in e.session.faculty.with_parents()]
                 or e.course.fac_id == fac_id]
    if call.params["user_related"]:
        user = call.user
        if user is None:
            return []
        mine = {e.id for e in queries.student_exams(user)}  # the attended courses' exams and those registered for
        exams = [e for e in exams if e.id in mine or e.can_see_attendees(user)]
    return exams


def _exam(call):
    return svc.get_exam(call.params["exam_id"], "exam_id", call.method.path)


@method("services/exams/batch_register_exam", result="raw", writes=True,
        params=[P("exam_id", required=True, type="id"), P("values", required=True, type="json")],
        errors=("object_not_found",), brief="Register multiple users at one request.", **ADMIN)
def batch_register_exam(call):
    return batch.batch_register(_exam(call), call.params["values"])


@method("services/exams/batch_unregister_exam", result="raw", writes=True,
        params=[P("exam_id", required=True, type="id"), P("values", required=True, type="json")],
        errors=("object_not_found",), brief="Unregister multiple users at one request.", **ADMIN)
def batch_unregister_exam(call):
    return batch.batch_unregister(_exam(call), call.params["values"])


@method("services/exams/batch_registration", result="raw", writes=True,
        params=[P("exam_id", required=True, type="id"), P("unregister", required=True, type="json"),
                P("register", required=True, type="json")],
        errors=("object_not_found",), brief="Unregister and register multiple users at one request.", **ADMIN)
def batch_registration(call):
    return batch.batch_registration(_exam(call), call.params["unregister"], call.params["register"])


from . import api_docs  # noqa: E402  (descriptions for services/apiref)

api_docs.apply()
