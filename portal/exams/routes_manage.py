"""Staff pages: examination sessions, exams, groups and slots, opening, closing, batch registration.

Administrators manage everything; course coordinators manage the exams of their courses.
"""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from wtforms.fields.choices import SelectChoice

from ..auth.forms import EmptyForm, submitted
from ..auth.models import User
from .. import formatting
from ..errors import ServiceError
from ..extensions import db
from ..langdict import ld, pick
from ..web import seats_free
from ..university.models import CourseEdition, Faculty, GradeType, Room
from . import batch, manage, queries, reports
from .forms import STATUS_LABELS, BatchForm, ConditionForm, ExamForm, GroupForm, SessionForm, choices
from .models import ExamGroup, ExaminationSession
from .routes import bp, me
from .services import as_int, get_by_id


def _ld(pl, en):
    return ld(pl.strip(), (en or "").strip() or pl.strip()) if pl else None


def _managed_exam(exam_id):
    exam = queries.load_exam(exam_id, *queries.slot_list_options()) or abort(404)
    if not exam.can_manage(me()):
        abort(403, _("You may not manage this exam."))
    return exam


def _condition_form(exam):
    """The admission-condition form, its report picker listing the reports of the exam's course."""
    form = ConditionForm()
    form.examrep_id.choices = choices((i, pick(name)) for i, name in reports.condition_choices([exam.course_id]))
    return form


def _editions(user):
    query = db.select(CourseEdition).order_by(CourseEdition.term_id.desc(), CourseEdition.course_id)
    return [e for e in db.session.scalars(query) if user.is_admin or e.is_coordinator(user)]


@bp.route("/manage")
@login_required
def manage_index():
    """Sessions (administrators) and the exams I may manage."""
    user = me()
    if not user.is_staff:
        abort(403)
    sessions = db.session.scalars(db.select(ExaminationSession).order_by(ExaminationSession.id.desc())).all()
    exams = [e for s in sessions for e in s.exams if e.can_manage(user)]
    if not user.is_admin:
        sessions = [s for s in sessions if s.status not in ("archived",)]
    return render_template("exams/manage.html", sessions=sessions, exams=exams, is_admin=user.is_admin,
                           editions=_editions(user), status_labels=STATUS_LABELS)


@bp.route("/manage/sessions/new", methods=["GET", "POST"])
@bp.route("/manage/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
def session_form(session_id=None):
    """Create or edit an examination session (administrators)."""
    if not manage.can_manage_sessions(me()):
        abort(403)
    session = get_by_id(ExaminationSession, session_id) or abort(404) if session_id else None
    form = SessionForm(obj=None)
    faculties = db.session.scalars(db.select(Faculty).order_by(Faculty.id))
    form.faculty_id.choices = choices((f.id, pick(f.name)) for f in faculties)
    if request.method == "GET" and session is not None:
        form.name_pl.data, form.name_en.data = session.name.get("pl"), session.name.get("en")
        desc = session.description or {}
        form.description_pl.data, form.description_en.data = desc.get("pl"), desc.get("en")
        form.status.data, form.faculty_id.data = session.status, session.faculty_id
    if form.validate_on_submit():
        try:
            saved = manage.save_session(session, me(), name=_ld(form.name_pl.data, form.name_en.data),
                                        description=_ld(form.description_pl.data or "", form.description_en.data),
                                        status=form.status.data, faculty_id=form.faculty_id.data)
            db.session.commit()
            flash(_("Examination session saved."), "success")
            return redirect(url_for("exams.manage_index", _anchor=f"session-{saved.id}"), code=303)
        except ServiceError as err:
            db.session.rollback()
            form.status.errors.append(str(err))
    return render_template("exams/session_form.html", form=form, session=session), 422 if form.errors else 200


def _exam_values(form):
    course_id, term_id = form.edition.data.split("|", 1)
    return dict(course_id=course_id, term_id=term_id, code=form.code.data.strip(),
                name=_ld(form.name_pl.data, form.name_en.data),
                description=_ld(form.description_pl.data or "", form.description_en.data),
                registration_start=form.registration_start.data, registration_end=form.registration_end.data,
                register_until=form.register_until.data, unregister_until=form.unregister_until.data,
                exchange_until=form.exchange_until.data, examiners_visible=form.examiners_visible.data,
                has_priorities=form.has_priorities.data, preferences_limit=form.preferences_limit.data,
                micro_round_length=form.micro_round_length.data, micro_break_length=form.micro_break_length.data,
                **_linked_report(form.examrep.data))


def _linked_report(value):
    """The exam form's report picker ("id:number" or "") as the exam's two columns."""
    if not value:
        return dict(examrep_id=None, examrep_session_number=None)
    report_id, number = value.split(":", 1)
    return dict(examrep_id=int(report_id), examrep_session_number=int(number))


def _report_picker(form, exam, editions):
    form.examrep.choices = choices([("", _("— none —"))] + [
        (value, pick(name)) for value, name in reports.session_choices({e.course_id for e in editions})])
    if exam is not None and exam.examrep_id is not None:
        current = f"{exam.examrep_id}:{exam.examrep_session_number or 1}"
        if current not in {c.value for c in form.examrep.choices}:  # linked outside the person's courses
            form.examrep.choices.append(SelectChoice(current, pick(reports.labels([exam.examrep_id])[exam.examrep_id])))
        if request.method == "GET":
            form.examrep.data = current


@bp.route("/manage/sessions/<int:session_id>/exams/new", methods=["GET", "POST"])
@bp.route("/manage/exams/<int:exam_id>/edit", methods=["GET", "POST"])
@login_required
def exam_form(session_id=None, exam_id=None):
    """Create or edit an exam: windows, priorities, micro-rounds, the linked exam report."""
    exam = _managed_exam(exam_id) if exam_id else None
    session = exam.session if exam else (get_by_id(ExaminationSession, session_id) or abort(404))
    if not me().is_staff:
        abort(403)
    form = ExamForm()
    editions = _editions(me())
    form.edition.choices = choices((f"{e.course_id}|{e.term_id}", f"{pick(e.course.name)} ({e.course_id}, {e.term_id})")
                                   for e in editions)
    if exam is None and not form.edition.choices:
        abort(403)
    if request.method == "GET" and exam is not None:
        form.process(obj=exam)
        form.edition.data = f"{exam.course_id}|{exam.term_id}"
        form.name_pl.data, form.name_en.data = exam.name.get("pl"), exam.name.get("en")
        desc = exam.description or {}
        form.description_pl.data, form.description_en.data = desc.get("pl"), desc.get("en")
    _report_picker(form, exam, editions)
    if form.validate_on_submit():
        try:
            values = _exam_values(form)
            saved = manage.save_exam(exam, me(), **values) if exam else \
                manage.save_exam(None, me(), session_id=session.id, **values)
            db.session.commit()
            flash(_("Exam saved."), "success")
            return redirect(url_for("exams.exam_admin", exam_id=saved.id), code=303)
        except ServiceError as err:
            db.session.rollback()
            form.code.errors.append(str(err))
    return render_template("exams/exam_form.html", form=form, exam=exam, session=session), \
        422 if form.errors else 200


@bp.route("/manage/exams/<int:exam_id>")
@login_required
def exam_admin(exam_id):
    """An exam's management page: groups, conditions, open/close, batch registration."""
    exam = _managed_exam(exam_id)
    return render_template("exams/exam_admin.html", exam=exam, form=EmptyForm(), condition_form=_condition_form(exam),
                           report_names=reports.labels([c.examrep_id for c in exam.conditions]),
                           status_labels=STATUS_LABELS)


@bp.route("/manage/exams/<int:exam_id>/<any(open, close):action>", methods=["POST"])
@login_required
def open_close(exam_id, action):
    """Open or close registration now."""
    exam = _managed_exam(exam_id)
    if not submitted():
        abort(400)
    (manage.open_registration if action == "open" else manage.close_registration)(exam, me())
    db.session.commit()
    flash(_("Registration opened.") if action == "open" else _("Registration closed."), "success")
    return redirect(url_for("exams.exam_admin", exam_id=exam.id), code=303)


@bp.route("/manage/exams/<int:exam_id>/conditions", methods=["POST"])
@login_required
def add_condition(exam_id):
    """Add (or change) an admission condition."""
    exam = _managed_exam(exam_id)
    form = _condition_form(exam)
    if form.validate_on_submit():
        grade = None
        if form.grade.data:
            grade = next((t.value_for(form.grade.data) for t in db.session.scalars(db.select(GradeType))
                          if t.value_for(form.grade.data) is not None), None)
            if grade is None:
                flash(_("Unknown grade."), "error")
                return redirect(url_for("exams.exam_admin", exam_id=exam.id), code=303)
        manage.set_condition(exam, me(), form.examrep_id.data, grade)
        db.session.commit()
        flash(_("Admission condition saved."), "success")
    else:
        flash(_("Choose an exam report."), "error")
    return redirect(url_for("exams.exam_admin", exam_id=exam.id), code=303)


@bp.route("/manage/exams/<int:exam_id>/conditions/<int:examrep_id>/delete", methods=["POST"])
@login_required
def delete_condition(exam_id, examrep_id):
    """Remove an admission condition."""
    exam = _managed_exam(exam_id)
    if not submitted():
        abort(400)
    manage.remove_condition(exam, me(), examrep_id)
    db.session.commit()
    return redirect(url_for("exams.exam_admin", exam_id=exam.id), code=303)


@bp.route("/manage/exams/<int:exam_id>/groups/new", methods=["GET", "POST"])
@bp.route("/manage/exams/<int:exam_id>/groups/<int:group_id>/edit", methods=["GET", "POST"])
@login_required
def group_form(exam_id, group_id=None):
    """Create or edit a group; its slots are laid out from the capacity and the number of slots."""
    exam = _managed_exam(exam_id)
    group = None
    if group_id is not None:
        group = get_by_id(ExamGroup, group_id)
        if group is None or group.exam_id != exam.id:
            abort(404)
    form = GroupForm()
    rooms = db.session.scalars(db.select(Room).order_by(Room.id))
    form.room_id.choices = choices([("", "—")] + [(str(r.id), r.label) for r in rooms])
    lecturers = db.session.scalars(db.select(User).where(User.is_lecturer).order_by(User.last_name, User.id)).all()
    form.examiners.choices = choices((u.id, f"{u.last_name} {u.first_name}") for u in lecturers)
    if request.method == "GET" and group is not None:
        form.process(obj=group)
        form.room_id.data = str(group.room_id or "")
        form.examiners.data = [u.id for u in group.examiners]
    elif request.method == "GET":
        form.number.data = max([g.number for g in exam.groups], default=0) + 1
    if form.validate_on_submit():
        room_id = as_int(form.room_id.data or "")
        room = db.session.get(Room, room_id) if room_id is not None else None
        try:
            manage.save_group(exam, group, me(), number=form.number.data, start=form.start.data, end=form.end.data,
                              capacity=form.capacity.data, number_of_slots=form.number_of_slots.data, room=room,
                              examiners=[db.session.get(User, i) for i in form.examiners.data])
            db.session.commit()
            flash(_("Group saved."), "success")
            return redirect(url_for("exams.exam_admin", exam_id=exam.id), code=303)
        except ServiceError as err:
            db.session.rollback()
            form.capacity.errors.append(str(err))
    return render_template("exams/group_form.html", form=form, exam=exam, group=group), 422 if form.errors else 200


@bp.route("/manage/exams/<int:exam_id>/groups/<int:group_id>/delete", methods=["POST"])
@login_required
def delete_group(exam_id, group_id):
    """Delete an empty group."""
    exam = _managed_exam(exam_id)
    group = get_by_id(ExamGroup, group_id)
    if group is None or group.exam_id != exam.id or not submitted():
        abort(404)
    try:
        manage.delete_group(exam, group, me())
        db.session.commit()
        flash(_("Group deleted."), "success")
    except ServiceError as err:
        db.session.rollback()
        flash(str(err), "error")
    return redirect(url_for("exams.exam_admin", exam_id=exam.id), code=303)


@bp.route("/manage/exams/<int:exam_id>/batch", methods=["GET", "POST"])
@login_required
def batch_register(exam_id):
    """Register students by pasting their student numbers; shows each one's outcome."""
    exam = _managed_exam(exam_id)
    form = BatchForm()

    def slot_choices():
        return choices((s.id, _("Group %(g)s, slot %(n)s (%(t)s): %(seats)s", g=g.number, n=s.number,
                                t=formatting.span(s.start, s.end), seats=seats_free(s.free, s.capacity)))
                       for g in exam.groups for s in g.slots)
    form.slot.choices = slot_choices()
    outcome = None
    if form.validate_on_submit():
        slot = next(s for g in exam.groups for s in g.slots if s.id == form.slot.data)
        outcome = batch.register_student_numbers(exam, slot, form.numbers.data, actor=me())
        db.session.commit()
        form.slot.choices = slot_choices()  # the seats just taken
    return render_template("exams/batch.html", form=form, exam=exam, outcome=outcome), 422 if form.errors else 200
