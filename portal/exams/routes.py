"""Student pages: my exams, an exam's groups and slots, pick / switch / leave, iCalendar."""
from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from .. import clock, formatting
from ..auth.forms import BUTTONS, EmptyForm, submitted
from ..database import begin_write, in_write_transaction, reads_first, set_write_intent
from ..errors import ServiceError
from ..extensions import db
from ..pagecache import kept_page, kept_refusal
from ..web import render_once
from . import live, queries, reports, rounds, services as svc
from .calendar import calendar_response
from .models import VISIBLE_STATUSES, Exam
from .registration import UNREAD, clashes, leave, place

bp = Blueprint("exams", __name__, url_prefix="/exams")


def me():
    return current_user._get_current_object()


def load_exam(exam_id, *options):
    """The exam, if the person may see it: its course's students, registered ones, and staff.

    `options` load what the caller shows (queries.slot_list_options() for the slot list); a
    click loads only the exam and its session."""
    return visible(queries.load_exam(exam_id, joinedload(Exam.session), *options) or abort(404))


def visible(exam, attends=None, registration=UNREAD):
    """The exam, or 404 when the person may not see it (`attends`, `registration`: whether the
    person attends its course and their seat, when the caller has read them already)."""
    user = me()
    if exam.session.status in VISIBLE_STATUSES and user.is_student and (
            (svc.attends_course(exam, user.id) if attends is None else attends)
            or (svc.registration_of(exam, user.id) if registration is UNREAD else registration)):
        return exam
    if exam.can_see_attendees(user):
        return exam
    abort(404)


def windows(exam, now):
    return dict(can_register=exam.registration_open(now), can_leave=exam.unregistration_open(now),
                can_switch=exam.exchange_open(now))


def slot_context(exam, message=None, kind="info"):
    """What the slot list shows: seats, my seat, my pending request, admission, windows
    (`exam` loaded with queries.slot_list_options())."""
    user, now = me(), clock.now()
    registration = svc.registration_of(exam, user.id)
    pending = rounds.pending_requests(exam, user) if exam.uses_micro_rounds else []
    not_admitted = svc.failed_conditions(exam, user.id) if exam.conditions and registration is None else []
    open_now = windows(exam, now)
    poll = live.poll_seconds(exam, pending, open_now["can_register"], open_now["can_switch"])
    return dict(exam=exam, registration=registration, pending=pending, not_admitted=not_admitted, now=now,
                report_names=reports.labels(not_admitted) if not_admitted else {},
                message=message, kind=kind, form=BUTTONS, **open_now,
                slots_by_id={s.id: s for g in exam.groups for s in g.slots},
                show_examiners=exam.examiners_visible or exam.can_see_attendees(user),
                poll=poll, etag=live.slot_list_etag(exam, user, now) if poll else None)


def respond(exam, message, kind, status=200):
    """The slot list again (htmx), or back to the exam page with the message (plain form).

    The change is committed (or rolled back) by now: reading for the answer needs no write
    lock, so on SQLite other students' registrations go on while this page renders."""
    set_write_intent(False)
    if request.htmx:
        exam = queries.load_exam(exam.id, *queries.slot_list_options())
        return render_template("exams/_slots.html", **slot_context(exam, message, kind)), status
    flash(message, "error" if kind == "error" else "success")
    return redirect(url_for("exams.exam_page", exam_id=exam.id), code=303)


def refuse_in_place(exam, slot, err):
    """A refused click on a slot that is full (or already mine): in a rush almost every click
    ends here, so htmx gets only what changed (the message and that slot's row, swapped out
    of band) instead of the whole list again."""
    if not request.htmx:
        return respond(exam, str(err), "error", err.status)
    registration = err.registration if hasattr(err, "registration") else svc.registration_of(exam, me().id)
    if slot.free and not (registration and registration.slot_id == slot.id):
        return respond(exam, str(err), "error", err.status)  # the row would offer a button: the whole list
    # The row then shows "Full" or "Your slot", never a button (no token, no window): the
    # answer depends only on what the key holds, and is the same for every refused student.
    mine = registration is not None and registration.slot_id == slot.id
    message = str(err)
    key = (slot.id, slot.number, slot.group.number, slot.start, slot.end, slot.taken, slot.capacity, mine, message)
    body = render_once(key, "exams/_refusal.html", lambda: dict(
        exam=exam, slot=slot, group=slot.group, registration=registration, message=message, kind="error",
        form=BUTTONS, not_admitted=[], can_register=False, can_leave=False, can_switch=False))
    return body, err.status, {"HX-Reswap": "none"}


@bp.route("/")
@login_required
@kept_page
def index():
    """My exams: the exams of the courses I attend, and those I examine or coordinate."""
    user, now = me(), clock.now()
    waiting = rounds.settle_waiting(user, now) if user.is_student else {}  # a draw due: its seat is listed
    exams = queries.student_exams(user) if user.is_student else []
    mine = {r.exam_id: r for r in queries.registrations_of(user)}
    staff = queries.staff_exams(user) if user.is_staff else []
    return render_template("exams/index.html", exams=exams, mine=mine, waiting=waiting, staff_exams=staff, now=now)


@bp.route("/<int:exam_id>")
@login_required
@kept_page
def exam_page(exam_id):
    """An exam: its groups, times, rooms, examiners and slots with free seats."""
    exam = _settle(load_exam(exam_id, *queries.slot_list_options()))
    return render_template("exams/exam.html", **slot_context(exam))


@bp.route("/<int:exam_id>/slots")
@login_required
@reads_first
def slot_list(exam_id):
    """The slot list alone, for an open page's poller: 304 while its ETag still holds."""
    exam, attends = queries.load_exam_briefly(exam_id, me().id) or abort(404)
    exam = _settle(visible(exam, attends))
    if not request.htmx:
        return redirect(url_for("exams.exam_page", exam_id=exam.id))
    etag = live.slot_list_etag(exam, me(), clock.now())
    if request.if_none_match.contains_weak(etag):
        response = make_response("", 304)
    else:
        exam = queries.load_exam(exam.id, *queries.slot_list_options())
        response = make_response(render_template("exams/_slots.html", **slot_context(exam)))
    response.set_etag(etag, weak=True)
    response.headers["Cache-Control"] = "no-cache, private"
    return response


def _settle(exam):
    """Run the draws of ended micro-rounds; the exam as it is afterwards."""
    if rounds.has_due_rounds(exam, clock.now()):
        begin_write()
        rounds.settle(exam)
        db.session.commit()
        return queries.load_exam(exam.id, *queries.slot_list_options())
    return exam


def _check_form():
    if not submitted():
        abort(400, _("The form has expired; reload the page and try again."))


@bp.route("/<int:exam_id>/slots/<int:slot_id>", methods=["POST"])
@login_required
@kept_refusal
@reads_first
def pick(exam_id, slot_id):
    """Take a seat in a slot, or switch to it (a request for the draw in micro-round exams)."""
    _check_form()
    slot, attends, registration = queries.load_click(slot_id, me().id) or abort(404)
    if slot.group.exam_id != exam_id:
        abort(404)
    exam = visible(slot.group.exam, attends, registration)
    try:
        if exam.uses_micro_rounds:
            request_ = rounds.submit_request(exam, me(), [slot.id])
            message = _("Request recorded: seats of this micro-round are drawn at %(time)s.",
                        time=formatting.time(request_.round_end, "Hms"))
        else:
            outcome, _reg = place(exam, me(), slot, current=registration)
            message = _("You are registered for slot %(n)s of group %(g)s.", n=slot.number, g=slot.group.number) \
                if outcome == "registered" else _("You switched to slot %(n)s of group %(g)s.",
                                                   n=slot.number, g=slot.group.number)
        db.session.commit()
    except ServiceError as err:
        if err.reason in ("slot_full", "already_registered") and not in_write_transaction():
            return refuse_in_place(exam, slot, err)  # refused from the read snapshot: nothing to undo
        db.session.rollback()
        return respond(exam, str(err), "error", err.status)
    set_write_intent(False)  # committed: the clash check and the answer only read, without the write lock
    clash = clashes(exam, slot, me())
    if clash:
        names = ", ".join(f"{r.exam.course_id} ({formatting.span(r.slot.start, r.slot.end)})" for r in clash)
        message += " " + _("Warning: this clashes with your other exam: %(names)s.", names=names)
    return respond(exam, message, "warning" if clash else "success")


@bp.route("/<int:exam_id>/preferences", methods=["POST"])
@login_required
@reads_first
def preferences(exam_id):
    """Ranked slot preferences for the micro-round draw."""
    _check_form()
    exam = load_exam(exam_id)
    wanted = [v for k, v in sorted(request.form.items()) if k.startswith("pref") and v]
    try:
        req = rounds.submit_request(exam, me(), wanted)
        db.session.commit()
    except ServiceError as err:
        db.session.rollback()
        return respond(exam, str(err), "error", err.status)
    return respond(exam, _("Preferences recorded: seats of this micro-round are drawn at %(time)s.",
                           time=formatting.time(req.round_end, "Hms")), "success")


@bp.route("/<int:exam_id>/withdraw", methods=["POST"])
@login_required
@reads_first
def withdraw(exam_id):
    """Withdraw a request still waiting for its draw."""
    _check_form()
    exam = load_exam(exam_id)
    rounds.withdraw_request(exam, me())
    db.session.commit()
    return respond(exam, _("Your request was withdrawn."), "success")


@bp.route("/<int:exam_id>/leave")
@login_required
def leave_confirm(exam_id):
    """Ask before giving the seat away: in a full exam someone else takes it at once."""
    exam = load_exam(exam_id)
    registration = svc.registration_of(exam, me().id)
    if registration is None:
        return redirect(url_for("exams.exam_page", exam_id=exam.id))
    return render_template("exams/leave.html", exam=exam, registration=registration, form=EmptyForm(),
                           can_leave=exam.unregistration_open(clock.now()))


@bp.route("/<int:exam_id>/leave", methods=["POST"])
@login_required
@reads_first
def leave_exam(exam_id):
    """Give back my seat."""
    _check_form()
    exam = load_exam(exam_id)
    try:
        leave(exam, me())
        db.session.commit()
    except ServiceError as err:
        db.session.rollback()
        return respond(exam, str(err), "error", err.status)
    return respond(exam, _("You left the exam; your seat is free for others."), "success")


@bp.route("/calendar.ics")
@login_required
def calendar():
    """My registered exams as an iCalendar file."""
    return calendar_response(queries.registrations_of(me()))
