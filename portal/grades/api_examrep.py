"""services/examrep: the older exam-reports module, over the same reports and rules as examrep2."""
from types import SimpleNamespace

from ..api.reference import get_edition
from ..api.registry import P, module, ref, resource
from . import queries, services
from .api_common import declare
from .api_examrep2 import EXAMREP, SESSION
from .api_grades import EDITION_PARAMS

module("services/examrep", "Exam reports (old)", "Exam reports, as the older module describes them.")
OLD_EXAM = resource("services/examrep/exam", dict(EXAMREP.fields))
OLD_SESSION = resource("services/examrep/exam_session", dict(SESSION.fields))


@declare("services/examrep/exam", resource=OLD_EXAM, default_fields="id|description|is_general_report|sessions",
         consumer="optional", token="optional", params=[P("id", required=True, type="id")],
         brief="Exam report (older module; same data as services/examrep2/examrep).")
def old_exam(call):
    return services.get_report(call.params["id"], "id")


@declare("services/examrep/exam_session", resource=OLD_SESSION, consumer="optional", token="optional",
         default_fields="examrep_id|number|status|description|deadline|is_open",
         params=[P("exam_id", required=True, type="id"), P("number", required=True, type="int")],
         brief="Exam report session (older module; same data as services/examrep2/examrep_session).")
def old_exam_session(call):
    return services.get_session(services.get_report(call.params["exam_id"], "exam_id"), call.params["number"], "number")


@declare("services/examrep/user2", resource=OLD_EXAM, result="raw", default_fields="id|description|sessions",
         consumer="required", token="required", scopes=("grades",),
         params=[P("term_ids", type="ids", description="Pipe-separated IDs of terms; every term by default.")],
         brief="Get the user's exam reports (older module).",
         returns="A dictionary: term ID -> {course ID -> a list of the exam reports of that course edition which "
                 "grade the user, with the fields you select}; a term without reports (or unknown) maps to {}.")
def old_user_reports(call):
    wanted = call.params["term_ids"]
    out = {t: {} for t in wanted or ()}
    for report in queries.GradeBook(call.user.id).reports:
        term = report.edition.term_id
        if wanted is None or term in out:
            out.setdefault(term, {}).setdefault(report.edition.course_id, []).append(report)
    return {t: {c: call.project(reports) for c, reports in courses.items()} for t, courses in out.items()}


OLD_EDITION = resource("services/examrep/course_edition", {
    "course_exam": ref(lambda e, call: e.course_exam, "services/examrep/exam",
                       description="The exam report of the course edition (its first general report), or null."),
    "course_units_exams": ref(lambda e, call: e.course_units_exams, "services/examrep/exam",
                              description="A dictionary: course unit ID -> the unit's (first) exam report."),
})


@declare("services/examrep/course_edition", resource=OLD_EDITION, default_fields="course_exam|course_units_exams",
         consumer="optional", token="optional", deprecated=True, params=EDITION_PARAMS, errors=("object_not_found",),
         brief="Get exams and grades related to given course edition",
         description="Exam reports of a course edition (older module). Grades in them follow the rules of "
                     "services/examrep2: coordinators and lecturers of the edition see them.")
def old_course_edition(call):
    edition = get_edition(call.params["course_id"], call.params["term_id"], call.method.path)
    general, units = _split(queries.reports_of_editions([edition.id]))
    return SimpleNamespace(course_exam=general[0] if general else None,
                           course_units_exams={unit: reports[0] for unit, reports in units.items()})


def _split(reports):
    """(general reports, {course unit ID: its reports}) of one edition's reports, in order."""
    general, units = [], {}
    for report in reports:
        if report.is_general:
            general.append(report)
        else:
            units.setdefault(str(report.unit_id), []).append(report)
    return general, units


OLD_EDITION2 = resource("services/examrep/course_edition2", {
    "course_exams": ref(lambda e, call: e.course_exams, "services/examrep/exam",
                        description="The general exam reports of the course edition (a list, possibly empty)."),
    "course_units_exams": ref(lambda e, call: e.course_units_exams, "services/examrep/exam",
                              description="A dictionary: course unit ID -> the list of that unit's exam reports."),
})


@declare("services/examrep/course_edition2", resource=OLD_EDITION2, default_fields="course_exams|course_units_exams",
         consumer="optional", token="optional", params=EDITION_PARAMS, errors=("object_not_found",),
         brief="Get exams and grades related to given course edition",
         description="Every exam report of a course edition (older module; where course_edition gives the first "
                     "report of the course and of each unit, this gives all of them). Grades in them follow the "
                     "rules of services/examrep2: coordinators and lecturers of the edition see them.")
def old_course_edition2(call):
    edition = get_edition(call.params["course_id"], call.params["term_id"], call.method.path)
    general, units = _split(queries.reports_of_editions([edition.id]))
    return SimpleNamespace(course_exams=general, course_units_exams=units)


@declare("services/examrep/user", resource=OLD_EXAM, result="raw", default_fields="id|description|sessions",
         consumer="required", token="required", scopes=("grades",), deprecated=True,
         params=[P("term_ids", required=True, type="ids", description="Pipe-separated IDs of terms.")],
         brief="Get the user's exam reports (older module, grouped by course unit).",
         returns="A dictionary: term ID -> {course ID -> {\"course\" (the general reports) or a course unit ID -> "
                 "the list of those exam reports which grade the user, with the fields you select}}; a term "
                 "without reports (or unknown) maps to {}. services/examrep/user2 gives the same reports as one "
                 "list per course.")
def old_user_reports_by_unit(call):
    out = {t: {} for t in call.params["term_ids"]}
    for report in queries.GradeBook(call.user.id).reports:
        courses = out.get(report.edition.term_id)
        if courses is not None:
            key = "course" if report.is_general else str(report.unit_id)
            courses.setdefault(report.edition.course_id, {}).setdefault(key, []).append(report)
    return {t: {c: {k: call.project(reports) for k, reports in groups.items()} for c, groups in courses.items()}
            for t, courses in out.items()}
