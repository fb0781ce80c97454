"""services/grades: a person's grades (exam_id is the id of an exam report), grade types; and the
older services/examrep/exam and exam_session, answered from the same data as services/examrep2."""
import re

from ..api.errors import field_error, object_not_found, param_invalid
from ..api.reference import get_edition
from ..api.registry import F, P, attr, id_attr, module, ref, resource
from ..extensions import db
from ..university.models import GradeType, Term
from . import access, queries, services
from .api_common import declare, decimal_str, fmt_dt, primary_only
from .api_examrep2 import UPDATE_PARAMS, update_from_call

module("services/grades", "Grades", "These methods allow you to access information about user's grades.")
M = "services/grades/"
TYPE_ID = re.compile(r"^[\w.-]+$", re.ASCII)
DEFAULT = "value_symbol|passes|value_description|exam_id|exam_session_number"



def _value(name):
    return F(lambda g, call: getattr(g.value, name) if g.value is not None else None)


def _private(g, call):
    if not (call.consumer is not None and call.consumer.administrative):
        raise field_error("field_forbidden", "private_comment", M + "grade",
                          "Access to private comment needs an administrative consumer key.",
                          reason="trusted_required")
    return g.private_comment if access.is_grader(call.user, g.report) else None


GRADE = resource(M + "grade", {
    "value_symbol": _value("symbol"),
    "passes": _value("passes"),
    "value_description": _value("name"),
    "exam_id": F(lambda g, call: str(g.session.report_id)),
    "exam_session_number": F(lambda g, call: g.session.number),
    "counts_into_average": F(lambda g, call: g.report.counts_into_average),
    "comment": attr("comment"),
    "private_comment": F(_private),
    "grade_type_id": F(lambda g, call: g.report.grade_type_id),
    "date_modified": F(lambda g, call: fmt_dt(g.date_modified)),
    "date_acquisition": F(lambda g, call: fmt_dt(g.date_acquisition)),  # a DateTime, as the reference says
    "modification_author": id_attr("modified_by_id"),
    "course_edition": primary_only(ref(lambda g, call: g.report.edition, "services/courses/course_edition",
                                        primary=False)),
    "unit": primary_only(ref(lambda g, call: g.report.unit, "services/courses/unit", primary=False)),
    "exam_report": primary_only(ref(lambda g, call: g.report, "services/examrep/exam", primary=False)),
    "user": ref(lambda g, call: g.student, "services/users/user", primary=False),
})

GRADE_TYPE = resource(M + "grade_type", {
    "id": attr("id"),
    "name": attr("name"),
    "is_current": F(lambda t, call: True),
    "values": F(lambda t, call: [{"symbol": v.symbol, "passes": v.passes, "decimal_value": decimal_str(v.decimal_value),
                                  "name": v.name, "order_key": v.order_key} for v in t.values]),
})

AUTH = dict(consumer="required", token="required", scopes=("grades",))


def _target(call):
    user_id = call.params.get("user_id")
    return call.user if user_id is None else services.get_student(user_id, "user_id")


def exam_dict(call, report, user_id, book=None):
    by_session = book.by_session(report) if book is not None else queries.grades_by_session(report, user_id)
    return {str(n): call.project(g) for n, g in by_session.items()}


@declare(M + "exam", resource=GRADE, result="raw", default_fields=DEFAULT, only_primary=True, **AUTH,
         params=[P("exam_id", required=True, type="id"), P("user_id", type="id")],
         errors=("object_forbidden", "object_not_found"), brief="Get user's grades of given exam.")
def exam(call):
    report = services.get_report(call.params["exam_id"], "exam_id")
    target = _target(call)
    services.check_read(call.user, report, target.id)
    return exam_dict(call, report, target.id)


@declare(M + "grade", resource=GRADE, default_fields=DEFAULT, **AUTH,
         params=[P("exam_id", required=True, type="id"), P("exam_session_number", required=True, type="int"),
                 P("user_id", type="id")],
         errors=("object_forbidden", "object_not_found"), brief="Get grade of given user and exam session.")
def grade(call):
    report = services.get_report(call.params["exam_id"], "exam_id")
    session = services.get_session(report, call.params["exam_session_number"], "exam_session_number")
    target = _target(call)
    services.check_read(call.user, report, target.id)
    found = services.grade_of(session, target.id)
    if found is None or not found.given:
        raise object_not_found("exam_session_number", call.method.path, "Referenced grade does not exist.",
                               reason="grade_not_found")
    return found


def edition_grades(call, edition, user_id, deprecated=False, book=None):
    """course_grades / course_units_grades of one edition (course_edition and course_edition2)."""
    general, units = [], {}
    book = book or queries.GradeBook(user_id)
    for report in book.of(edition_id=edition.id):
        item = exam_dict(call, report, user_id, book)
        if report.is_general:
            general.append(item)
        else:
            units.setdefault(str(report.unit_id), []).append(item)
    if deprecated:
        return {"course_grades": general[0] if general else None,
                "course_units_grades": {k: v[0] for k, v in units.items()}}
    return {"course_grades": general, "course_units_grades": units}


EDITION_PARAMS = [P("course_id", required=True, type="id"), P("term_id", required=True, type="id")]


@declare(M + "course_edition2", resource=GRADE, result="raw", default_fields=DEFAULT, only_primary=True,
         params=EDITION_PARAMS, **AUTH, brief="Get grade of user on given course_edition")
def course_edition2(call):
    edition = get_edition(call.params["course_id"], call.params["term_id"], call.method.path)
    return edition_grades(call, edition, call.user.id)


@declare(M + "course_edition", resource=GRADE, result="raw", default_fields=DEFAULT, only_primary=True,
         params=EDITION_PARAMS, deprecated=M + "course_edition2", **AUTH,
         brief="Get grade of user on given course_edition")
def course_edition(call):
    edition = get_edition(call.params["course_id"], call.params["term_id"], call.method.path)
    return edition_grades(call, edition, call.user.id, deprecated=True)


TERMS_PARAMS = [P("term_ids", required=True, type="ids"), P("course_ids", type="ids", default="")]


def terms_result(call, deprecated):
    term_ids = call.params["term_ids"]
    known = set(db.session.scalars(db.select(Term.id).where(Term.id.in_(term_ids)))) if term_ids else set()
    editions = queries.student_editions(call.user.id, term_ids=known, course_ids=call.params["course_ids"] or None)
    book = queries.GradeBook(call.user.id)
    return {t: ({c: edition_grades(call, e, call.user.id, deprecated, book) for c, e in editions.get(t, {}).items()}
                if t in known else None) for t in term_ids}


@declare(M + "terms2", resource=GRADE, result="raw", default_fields=DEFAULT, only_primary=True,
         params=TERMS_PARAMS, **AUTH, brief="Get grades of a user on given terms")
def terms2(call):
    return terms_result(call, deprecated=False)


@declare(M + "terms", resource=GRADE, result="raw", default_fields=DEFAULT, only_primary=True,
         params=TERMS_PARAMS, deprecated=M + "terms2", **AUTH,
         brief="Get grades of a user on given terms")
def terms(call):
    return terms_result(call, deprecated=True)


@declare(M + "latest", resource=GRADE, result="list", default_fields=DEFAULT, **AUTH,
         params=[P("days", type="int", default="7")], brief="Get user's latest grades")
def latest(call):
    days = call.params["days"]
    if days < 0 or days > 36500:
        raise param_invalid("days", "between 0 and 36500")
    return queries.latest_grades(call.user.id, days)


@declare(M + "grade_type", resource=GRADE_TYPE, default_fields="id|name|is_current", consumer="ignored",
         token="ignored", params=[P("grade_type_id", required=True, type="id")], errors=("object_not_found",),
         brief="Get info about grade type.")
def grade_type(call):
    found = db.session.get(GradeType, call.params["grade_type_id"])
    if found is None:
        raise object_not_found("id", call.method.path, "Grade type not found.")
    return found


@declare(M + "grade_type_index", resource=GRADE_TYPE, result="list", default_fields="id|name|is_current",
         consumer="ignored", token="ignored", brief="Get info about all grade types.")
def grade_type_index(call):
    return list(db.session.scalars(db.select(GradeType).order_by(GradeType.id)))


@declare(M + "grade_types", resource=GRADE_TYPE, result="dict", default_fields="id|name|is_current",
         consumer="ignored", token="ignored", params=[P("grade_type_ids", required=True, type="ids")],
         brief="Get info about multiple grade types.")
def grade_types(call):
    ids = call.params["grade_type_ids"]
    if any(not TYPE_ID.match(i) for i in ids):
        raise param_invalid("grade_type_ids", "grade type IDs are letters, digits, '_', '-' and '.'")
    found = {t.id: t for t in db.session.scalars(db.select(GradeType).where(GradeType.id.in_(ids)))}
    return {i: found.get(i) for i in ids}


@declare(M + "update_grade", result="raw", consumer="required", token="required", administrative=True,
         writes=True, beta=True, errors=("object_forbidden", "object_invalid"), brief="Update user's grade.",
         params=[P("student_id", required=True, type="id"), P("exam_id", required=True, type="id"),
                 P("exam_session_number", required=True, type="int")] + UPDATE_PARAMS)
def update_grade(call):
    return update_from_call(call, call.params["exam_id"], call.params["exam_session_number"],
                            {"report": "exam_id", "session": "exam_session_number", "student": "student_id"})
