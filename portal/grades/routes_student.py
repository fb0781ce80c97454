"""Students' pages: my grades by term, latest grades, one course's grades, term average, history."""
from datetime import timedelta

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import update
from sqlalchemy.exc import OperationalError

from .. import clock
from ..auth.models import User
from ..database import side_write
from ..extensions import db
from ..pagecache import kept_page
from ..university.models import CourseEdition
from . import queries, services
from .models import Grade
from .routes import bp
from ..ids import small_int

NEW_DAYS = 7


def _seen_before():
    """When the student last looked at their grades (grades changed later are "new")."""
    return current_user.grades_seen_at or clock.now() - timedelta(days=NEW_DAYS)


def _mark_seen(now, seen, latest):
    """Remember that the student saw their grades at `now` (read before the page was), when
    that changes what is "new": some grade is newer than `seen`. A small write of its own,
    beside the page's reads (on SQLite it gives up at once when the write lock is busy: the
    marks then stay until the next visit)."""
    if current_user.grades_seen_at is not None and not any(g.date_modified > seen for g in latest):
        return
    try:
        with side_write() as conn:
            conn.execute(update(User).where(User.id == current_user.id).values(grades_seen_at=now))
    except OperationalError:
        current_app.logger.info("grades_seen_at not updated (database busy); next visit")


def _reports_view(book, term_id):
    """[(edition, [(report, {number: grade}, final)])] of one term."""
    editions = {}
    for report in book.of(term_id=term_id):
        editions.setdefault(report.edition, []).append((report, book.by_session(report), book.final(report)))
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
@kept_page
def my_grades():
    """My grades, one term at a time, with the term average and the latest changes."""
    book = queries.GradeBook(current_user.id)
    terms = book.terms()
    wanted = request.args.get("term")
    term = next((t for t in terms if t.id == wanted), None) or next((t for t in terms if t.is_active), None) \
        or (terms[0] if terms else None)
    if wanted and (term is None or term.id != wanted):
        abort(404)
    now, seen = clock.now(), _seen_before()
    latest = queries.latest_grades(current_user.id, NEW_DAYS)
    average, counted = book.average(term.id) if term else (None, [])
    page = render_template("grades/my.html", terms=terms, term=term, editions=_reports_view(book, term.id)
                           if term else [], latest=latest, seen=seen, average=average, counted=counted)
    _mark_seen(now, seen, latest)
    return page


@bp.route("/my/latest")
@login_required
def my_latest():
    """Grades changed in the last days, newest first (new since my last visit marked)."""
    days = request.args.get("days", "30")
    days = small_int(days, 0, 3650) if small_int(days, 0, 3650) is not None else 30
    now, seen = clock.now(), _seen_before()
    latest = queries.latest_grades(current_user.id, days)
    page = render_template("grades/my_latest.html", latest=latest, seen=seen, days=days)
    _mark_seen(now, seen, latest)
    return page


@bp.route("/my/course/<int:edition_id>")
@login_required
def my_course(edition_id):
    """One course edition's grades across all its reports and sessions."""
    edition = db.session.get(CourseEdition, edition_id)
    if edition is None:
        abort(404)
    book = queries.GradeBook(current_user.id)
    rows = [(r, book.by_session(r), book.final(r)) for r in book.of(edition_id=edition.id)]
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

