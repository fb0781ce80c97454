"""Graders' pages: my exam reports, a session's grid with per-row saving, CSV, print view."""
from datetime import date, datetime

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required

from ..errors import ServiceError
from ..extensions import db
from ..pagecache import kept_page
from . import access, csvio, grid as grid_mod, queries, services
from .forms import ApplyImportForm, GradeRowForm, ImportForm
from .models import STATUS_NAMES

bp = Blueprint("grades", __name__, url_prefix="/grades", static_folder="static",
               static_url_path="/static/grades")


def load(report_id, number, build=True):
    """The report and session, or 404; and the grid as the current person may see it, or 403."""
    report = queries.report_for_grid(report_id) if build else services.db.session.get(services.ExamReport, report_id)
    session = report.session(number) if report else None
    if session is None:
        abort(404)
    try:
        if not build:
            if not access.is_grader(current_user, report):
                services.check_read(None, report, -1)  # refuses: students use their own pages
            return report, session, None
        return report, session, grid_mod.build(current_user, report, session)
    except ServiceError as error:
        abort(403, description=str(error))


def load_row(report, session, student_id):
    """One student's row (without building the whole grid), or 404 when they are not reachable here."""
    student = services.db.session.get(services.User, student_id)
    if student is None or not access.can(current_user, report, student_id, access.READ) or not (
            report.has_student(student_id) or student_id in access.examiner_student_ids(current_user.id, report.id)):
        abort(404)
    row = grid_mod.row_for(current_user, report, session, student)
    row.group_label = grid_mod.label_of(report, student)
    return row


@bp.route("/reports")
@login_required
def reports():
    """The exam reports the signed-in person grades ("My exam reports")."""
    everything = request.args.get("all") == "1"
    found = queries.grader_reports(current_user, active_terms_only=not everything)
    return render_template("grades/reports.html", reports=found, everything=everything, now=services.clock.now())


@bp.route("/reports/<int:report_id>/sessions/<int:number>")
@login_required
@kept_page
def session_grid(report_id, number):
    """A session's students grouped by class group, each row editable in place."""
    report, session, grid = load(report_id, number)
    return render_template("grades/grid.html", grid=grid, report=report, session=session)


def _parse_date(text):
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ServiceError("param_invalid", "Bad date.", user_message=services.ld(
            "Data w formacie RRRR-MM-DD.", "A date as YYYY-MM-DD, please.")) from None


def _parse_stamp(text):
    """The date_modified the row was shown with: every save is checked against it."""
    if text is None:
        abort(400)
    text = text.strip()
    if not text:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        abort(400)


@bp.route("/reports/<int:report_id>/sessions/<int:number>/students/<int:student_id>", methods=["POST"])
@login_required
def save_row(report_id, number, student_id):
    """Save one student's grade, comment and date; a stale row comes back as a conflict."""
    form = GradeRowForm()
    report, session, _grid = load(report_id, number, build=False)
    row = load_row(report, session, student_id)
    state, message, status, attempted = "saved", None, 200, None
    if not form.validate():
        state, status = "error", 422
        message = "; ".join(e for errors in form.errors.values() for e in errors)
    else:
        try:
            services.update_grade(current_user, report.id, session.number, student_id, value=form.value.data or "",
                                  comment=form.comment.data or "", private_comment=form.private_comment.data or "",
                                  date_acquisition=_parse_date(form.date_acquisition.data),
                                  expected=_parse_stamp(form.date_modified.data))
            db.session.commit()
        except services.Conflict:
            db.session.rollback()
            state, status = "conflict", 409
            attempted = {k: getattr(form, k).data for k in ("value", "comment", "private_comment", "date_acquisition")}
        except ServiceError as error:
            db.session.rollback()
            state, status, message = "error", 422 if error.status == 400 else error.status, str(error)
            attempted = {k: getattr(form, k).data for k in ("value", "comment", "private_comment", "date_acquisition")}
    fresh = grid_mod.row_for(current_user, report, session, row.student)
    fresh.group_label = row.group_label
    if request.htmx:
        return render_template("grades/_row.html", row=fresh, report=report, session=session, state=state,
                               message=message, attempted=attempted), status
    if state == "saved":
        flash(_("Saved: %(name)s.", name=row.student.full_name), "success")
    elif state == "conflict":
        flash(_("%(name)s: someone else changed this grade meanwhile; it now reads %(value)s. Nothing was saved.",
                name=row.student.full_name, value=fresh.symbol or "—"), "error")
    else:
        flash(f"{row.student.full_name}: {message}", "error")
    return redirect(url_for(".session_grid", report_id=report.id, number=session.number) + f"#row-{student_id}", 303)


@bp.route("/reports/<int:report_id>/sessions/<int:number>/students/<int:student_id>/history")
@login_required
def row_history(report_id, number, student_id):
    """Every change of one grade (opens in place under the row)."""
    report, session, _grid = load(report_id, number, build=False)
    row = load_row(report, session, student_id)
    changes = services.history(row.grade)
    template = "grades/_history.html" if request.htmx else "grades/history.html"
    return render_template(template, row=row, changes=changes, report=report, session=session, graders=True)


@bp.route("/reports/<int:report_id>/sessions/<int:number>/export.csv")
@login_required
def export_csv(report_id, number):
    """The session's grades as CSV (with date_modified, for a safe re-import)."""
    report, session, grid = load(report_id, number)
    name = f"{report.edition.course_id}-{report.edition.term_id}-{report.id}-{session.number}.csv"
    return Response("\ufeff" + csvio.export(grid), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/reports/<int:report_id>/sessions/<int:number>/import", methods=["GET", "POST"])
@login_required
def import_csv(report_id, number):
    """Upload a CSV and see what it would change, rows changed since the export flagged."""
    report, session, grid = load(report_id, number)
    form = ImportForm()
    if form.validate_on_submit():
        try:
            content = csvio.decode(form.file.data.read(csvio.MAX_BYTES + 1))
            rows = csvio.preview(grid, content)
        except ServiceError as error:
            form.file.errors.append(str(error))
        else:
            return render_template("grades/import_preview.html", report=report, session=session, rows=rows,
                                   apply_form=ApplyImportForm(content=content))
    status = 422 if form.errors else 200
    return render_template("grades/import.html", report=report, session=session, form=form), status


@bp.route("/reports/<int:report_id>/sessions/<int:number>/import/apply", methods=["POST"])
@login_required
def apply_import(report_id, number):
    """Apply a previewed CSV: all its changes, or none when anything is refused."""
    report, session, grid = load(report_id, number)
    form = ApplyImportForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        rows = csvio.preview(grid, form.content.data or "")
        done = csvio.apply(current_user, grid, rows)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        flash(_("Nothing was imported: %(reason)s", reason=str(error)), "error")
        report, session, grid = load(report_id, number)
        rows = csvio.preview(grid, form.content.data or "")
        return render_template("grades/import_preview.html", report=report, session=session, rows=rows,
                               apply_form=form), 409
    flash(ngettext("Imported %(num)d change.", "Imported %(num)d changes.", done), "success")
    return redirect(url_for(".session_grid", report_id=report.id, number=session.number), 303)


@bp.route("/reports/<int:report_id>/sessions/<int:number>/print")
@login_required
def print_view(report_id, number):
    """The protocol for printing."""
    report, session, grid = load(report_id, number)
    return render_template("grades/print.html", grid=grid, report=report, session=session, status_names=STATUS_NAMES)


from . import routes_student  # noqa: E402,F401  (the students' pages on the same blueprint)
