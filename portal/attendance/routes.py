"""Attendance pages for lecturers: their groups, a group's lists, a list as a roster to tick."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import clock
from ..errors import ServiceError
from ..extensions import db
from ..pagecache import kept_page
from ..university.models import ClassGroup
from . import queries, services, summary
from .forms import CreateListForm, FromTimetableForm, ModeForm
from .models import AttendanceList, can_manage_group

bp = Blueprint("attendance", __name__, url_prefix="/attendance")


def managed_group_or_404(group_id):
    group = db.session.get(ClassGroup, group_id)
    if group is None or not can_manage_group(group, current_user):
        abort(404)
    return group


def managed_list_or_404(list_id, options=()):
    lst = db.session.get(AttendanceList, list_id, options=options)
    if lst is None or not lst.can_manage(current_user):
        abort(404)
    return lst


def _default_date(group):
    """The group's meeting today if there is one, else now to the quarter hour."""
    today = clock.today()
    for meeting in group.meetings:
        if meeting.start_time.date() == today:
            return meeting.start_time
    now = clock.now()
    return now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)


@bp.route("/")
@login_required
def index():
    """The groups whose attendance the person takes, and their own attendance as a student."""
    taught = queries.taught_groups(current_user) if current_user.is_staff else []
    attended = []
    if current_user.is_student:
        groups = queries.attended_groups(current_user)
        summaries = summary.student_summaries(groups, current_user)
        attended = [(g, summaries[g.id]) for g in groups]
    return render_template("attendance/index.html", taught=taught, attended=attended)


@bp.route("/groups/<int:group_id>")
@login_required
def group(group_id):
    """A group's attendance lists, with forms to create one or all of them from the timetable."""
    group = managed_group_or_404(group_id)
    form = CreateListForm(formdata=None, date=_default_date(group))
    return _group_page(group, form)


def _group_page(group, form, tt_form=None, status=200):
    lists = queries.lists_of_group(group)
    counts = summary.fill_counts(group)
    return render_template("attendance/group.html", group=group, lists=lists, counts=counts, form=form,
                           tt_form=tt_form or FromTimetableForm(prefix="tt", formdata=None),
                           n_students=len(queries.participant_ids(group))), status


@bp.route("/groups/<int:group_id>/lists", methods=["POST"])
@login_required
def create_list(group_id):
    """Create one list and open it."""
    group = managed_group_or_404(group_id)
    form = CreateListForm()
    if not form.validate_on_submit():
        return _group_page(group, form, status=400)
    try:
        lst = services.create_list(current_user, group, form.date.data, form.mode.data)
        db.session.commit()
    except ServiceError as err:
        db.session.rollback()
        form.date.errors = [*form.date.errors, str(err)]
        return _group_page(db.session.get(ClassGroup, group_id), form, status=409)
    flash(_("Attendance list created."), "success")
    return redirect(url_for(".roster", list_id=lst.id), code=303)


@bp.route("/groups/<int:group_id>/from-timetable", methods=["POST"])
@login_required
def create_from_tt(group_id):
    """Create a list for every meeting in the timetable that has none yet."""
    group = managed_group_or_404(group_id)
    form = FromTimetableForm(prefix="tt")
    if not form.validate_on_submit():
        abort(400)
    try:
        made = services.create_from_tt(current_user, group, form.mode.data)
        db.session.commit()
        flash(_("Lists created from the timetable: %(n)d.", n=made), "success")
    except ServiceError as err:
        db.session.rollback()
        flash(str(err), "error")
    return redirect(url_for(".group", group_id=group_id), code=303)


def _roster_context(lst, message=None):
    rows = queries.roster(lst)
    marked = sum(1 for r in rows if r.mode)
    return dict(lst=lst, rows=rows, marked=marked, message=message, filled=queries.has_entries(lst),
                mode_form=ModeForm(prefix="lm", formdata=None, mode=lst.mode))


@bp.route("/lists/<int:list_id>")
@login_required
@kept_page
def roster(list_id):
    """One meeting's list: every student with a button per kind of attendance."""
    lst = managed_list_or_404(list_id, queries.shown_list_options())
    return render_template("attendance/roster.html", **_roster_context(lst))


def _back_to(lst_id, student_id=None):
    anchor = f"#s-{student_id}" if student_id else ""
    return redirect(url_for(".roster", list_id=lst_id) + anchor, code=303)


def _row_answer(list_id, student_id, change):
    """Run `change` on one student's entry; answer the row (htmx) or go back to the roster."""
    managed_list_or_404(list_id)
    error, status = None, 200
    try:
        change()
        db.session.commit()
    except ServiceError as err:
        db.session.rollback()
        error, status = str(err), 409 if err.error == "object_invalid" else err.status
    lst = db.session.get(AttendanceList, list_id)
    if not request.htmx:
        if error:
            flash(error, "error")
        return _back_to(list_id, student_id)
    rows = queries.roster(lst)
    row = next((r for r in rows if r.student.id == student_id), None)
    if row is None:
        return render_template("errors/_message.html", message=error or _("Not found")), status
    return render_template("attendance/_row.html", lst=lst, row=row, error=error,
                           marked=sum(1 for r in rows if r.mode), total=len(rows), oob=True), status


@bp.route("/lists/<int:list_id>/students/<int:student_id>", methods=["POST"])
@login_required
def set_mode(list_id, student_id):
    """Set one student's attendance (an empty mode clears it)."""
    mode = request.form.get("mode") or None
    return _row_answer(list_id, student_id,
                       lambda: services.set_attendance(current_user, list_id, student_id, mode))


@bp.route("/lists/<int:list_id>/students/<int:student_id>/comment", methods=["POST"])
@login_required
def set_comment(list_id, student_id):
    """Save the comment on one student's entry."""
    comment = request.form.get("comment", "")
    return _row_answer(list_id, student_id,
                       lambda: services.set_comment(current_user, list_id, student_id, comment))


@bp.route("/lists/<int:list_id>/mark-rest", methods=["POST"])
@login_required
def mark_rest(list_id):
    """Mark everyone not yet marked as present; what is set already stays."""
    managed_list_or_404(list_id)
    made = services.mark_rest_present(current_user, list_id)
    db.session.commit()
    message = _("Marked as present: %(n)d.", n=made)
    lst = db.session.get(AttendanceList, list_id)
    if request.htmx:
        return render_template("attendance/_roster.html", **_roster_context(lst, message))
    flash(message, "success")
    return _back_to(list_id)


@bp.route("/lists/<int:list_id>/mode", methods=["POST"])
@login_required
def change_mode(list_id):
    """Change the list's mode while nobody is marked."""
    lst = managed_list_or_404(list_id)
    form = ModeForm(prefix="lm")
    if not form.validate_on_submit():
        abort(400)
    try:
        services.change_list_mode(current_user, lst.id, form.mode.data)
        db.session.commit()
        flash(_("Mode changed."), "success")
    except ServiceError as err:
        db.session.rollback()
        flash(str(err), "error")
    return _back_to(list_id)


@bp.route("/lists/<int:list_id>/delete", methods=["POST"])
@login_required
def delete_list(list_id):
    """Delete a list nobody is marked on."""
    lst = managed_list_or_404(list_id)
    group_id = lst.group_id
    try:
        services.delete_list(current_user, lst.id)
        db.session.commit()
    except ServiceError as err:
        db.session.rollback()
        flash(str(err), "error")
        return _back_to(list_id)
    flash(_("Attendance list deleted."), "success")
    return redirect(url_for(".group", group_id=group_id), code=303)

