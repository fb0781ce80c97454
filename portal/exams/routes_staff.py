"""Examiner and coordinator pages: attendee lists (HTML and CSV), admission, draws audit."""
import csv
import io
import re

from flask import Response, abort, render_template
from flask_babel import gettext as _
from flask_login import login_required

from ..auth.models import User
from ..extensions import db
from ..langdict import pick
from . import queries, rounds, services as svc
from .routes import bp, me


def _attendee_exam(exam_id):
    exam = queries.load_exam(exam_id, *queries.attendee_options()) or abort(404)
    if not exam.can_see_attendees(me()):
        abort(403, _("Only examiners and the course coordinators see the attendees."))
    return exam


def visible_groups(exam, user):
    """Coordinators and administrators see every group; an examiner sees their own groups."""
    if user.is_admin or exam.is_coordinator(user):
        return list(exam.groups)
    return [g for g in exam.groups if g.is_examiner(user)]


@bp.route("/<int:exam_id>/attendees")
@login_required
def attendees(exam_id):
    """Attendee lists per group and slot; admission and the draws for those who manage it."""
    exam = _attendee_exam(exam_id)
    user = me()
    manager = exam.can_manage(user)
    admitted, unadmitted = svc.admission_lists(exam) if exam.conditions else ([], {})
    people = {u.id: u for u in db.session.scalars(db.select(User).where(User.id.in_(list(unadmitted))))} \
        if unadmitted else {}
    draws = rounds.draws_of(exam) if manager else []
    return render_template("exams/attendees.html", exam=exam, groups=visible_groups(exam, user), manager=manager,
                           admitted_count=len(admitted), unadmitted=[(people[u], r) for u, r in unadmitted.items()],
                           draws=draws, replay=rounds.replay)


@bp.route("/<int:exam_id>/attendees.csv")
@login_required
def attendees_csv(exam_id):
    """The attendee lists as CSV (UTF-8 with BOM, for spreadsheets)."""
    exam = _attendee_exam(exam_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["exam", "group", "slot", "slot_start", "slot_end", "room", "student_number",
                     "last_name", "first_name", "email"])
    for group in visible_groups(exam, me()):
        for slot in group.slots:
            for reg in sorted(slot.registrations, key=lambda r: (r.user.last_name, r.user.first_name)):
                u = reg.user
                writer.writerow([exam.code, group.number, slot.number, f"{slot.start:%Y-%m-%d %H:%M}",
                                 f"{slot.end:%Y-%m-%d %H:%M}", group.room.label if group.room else "",
                                 u.student_number or "", _safe(u.last_name), _safe(u.first_name), _safe(u.email or "")])
    name = "attendees-" + re.sub(r"[^A-Za-z0-9._-]", "_", exam.code) + ".csv"
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _safe(text):
    """Keep spreadsheet programs from running cells as formulas."""
    text = pick(text) if isinstance(text, dict) else str(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
