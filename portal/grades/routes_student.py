"""Students' pages: my grades by term, latest grades, one course's grades, term average, history."""
from datetime import timedelta

from flask import abort, redirect, render_template, request, session as cookie, url_for
from flask_login import current_user, login_required

from .. import clock
from ..extensions import db
from ..university.models import CourseEdition
from . import queries, services
from .models import Grade
from .routes import bp
from ..ids import small_int

NEW_DAYS = 7


def _seen_before():
    """When the student last looked at their grades (grades changed later are "new")."""
    text = cookie.get("grades_seen_at")
    try:
        return services.datetime_from(text) if text else clock.now() - timedelta(days=NEW_DAYS)
    except ValueError:
        return clock.now() - timedelta(days=NEW_DAYS)


def _mark_seen():
    cookie["grades_seen_at"] = clock.fmt_datetime(clock.now())


def _reports_view(user_id, term_id):
    """[(edition, [(report, {number: grade}, final)])] of one term."""
    editions = {}
    for report in queries.student_reports(user_id, term_id=term_id):
        by_session = queries.grades_by_session(report, user_id)
        editions.setdefault(report.edition, []).append((report, by_session, queries.final_grade(report, user_id)))
    return sorted(editions.items(), key=lambda item: item[0].course_id)


@bp.route("/")
@login_required
def index():
    """The grades section: students to their grades, graders to their exam reports."""
    user = current_user
    if user.is_student and not user.is_staff:
        return redirect(url_for("grades.my_grades"))
    if user.is_staff and not user.is_student:
        return redirect(url_for("grades.reports"))
    if not user.is_student:
        abort(404)
    return render_template("grades/index.html")


@bp.route("/my")
@login_required
def my_grades():
    """My grades, one term at a time, with the term average and the latest changes."""
    terms = queries.terms_of_student(current_user.id)
    wanted = request.args.get("term")
    term = next((t for t in terms if t.id == wanted), None) or next((t for t in terms if t.is_active), None) \
        or (terms[0] if terms else None)
    if wanted and (term is None or term.id != wanted):
        abort(404)
    seen = _seen_before()
    latest = queries.latest_grades(current_user.id, NEW_DAYS)
    average, counted = queries.term_average(current_user.id, term.id) if term else (None, [])
    page = render_template("grades/my.html", terms=terms, term=term, editions=_reports_view(current_user.id, term.id)
                           if term else [], latest=latest, seen=seen, average=average, counted=counted)
    _mark_seen()
    return page


@bp.route("/my/latest")
@login_required
def my_latest():
    """Grades changed in the last days, newest first (new since my last visit marked)."""
    days = request.args.get("days", "30")
    days = small_int(days, 0, 3650) if small_int(days, 0, 3650) is not None else 30
    page = render_template("grades/my_latest.html", latest=queries.latest_grades(current_user.id, days),
                           seen=_seen_before(), days=days)
    _mark_seen()
    return page


@bp.route("/my/course/<int:edition_id>")
@login_required
def my_course(edition_id):
    """One course edition's grades across all its reports and sessions."""
    edition = db.session.get(CourseEdition, edition_id)
    if edition is None:
        abort(404)
    rows = [(r, queries.grades_by_session(r, current_user.id), queries.final_grade(r, current_user.id))
            for r in queries.student_reports(current_user.id) if r.edition_id == edition.id]
    if not rows:
        abort(404)
    return render_template("grades/my_course.html", edition=edition, rows=rows)


@bp.route("/my/grades/<int:grade_id>/history")
@login_required
def my_history(grade_id):
    """The changes of one of my grades (private comments are never shown here)."""
    grade = db.session.get(Grade, grade_id)
    if grade is None or grade.student_id != current_user.id:
        abort(404)
    template = "grades/_history_list.html" if request.htmx else "grades/history.html"
    return render_template(template, row=None, grade=grade, changes=services.history(grade),
                           report=grade.report, session=grade.session, graders=False)

