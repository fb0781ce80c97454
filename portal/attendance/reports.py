"""Attendance summed up: a group's summary (page and CSV) and a student's own record."""
from flask import Response, abort, render_template, request
from flask_login import current_user, login_required

from ..extensions import db
from ..university.models import ClassGroup
from . import summary
from .routes import bp, managed_group_or_404


@bp.route("/groups/<int:group_id>/summary")
@login_required
def group_summary(group_id):
    """Per student: present, remote, justified and absent counts and the rate; low rates stand out."""
    group = managed_group_or_404(group_id)
    threshold = summary.parse_threshold(request.args.get("threshold", summary.DEFAULT_THRESHOLD))
    n_lists, rows = summary.group_summary(group)
    return render_template("attendance/summary.html", group=group, rows=rows, n_lists=n_lists,
                           threshold=threshold, n_below=sum(1 for r in rows if r.below(threshold)))


@bp.route("/groups/<int:group_id>/summary.csv")
@login_required
def group_summary_csv(group_id):
    """The summary as a CSV file."""
    group = managed_group_or_404(group_id)
    _n, rows = summary.group_summary(group)
    unit = group.unit
    name = f"attendance-{unit.edition.course_id}-{unit.edition.term_id}-{unit.classtype_id}-{group.number}.csv"
    return Response("\ufeff" + summary.summary_csv(group, rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/my/<int:group_id>")
@login_required
def my_group(group_id):
    """A student's own attendance in one of their groups."""
    group = db.session.get(ClassGroup, group_id)
    if group is None or not group.has_participant(current_user):
        abort(404)
    record = summary.student_record(group, current_user)
    return render_template("attendance/my_group.html", group=group, record=record,
                           summary=summary.student_summary(group, current_user))
