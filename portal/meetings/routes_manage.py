"""Lecturer pages: their meetings, creating and editing one, dates from a rule, editing dates, a week."""
from datetime import date as _date, datetime, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from .. import clock
from ..errors import ServiceError
from ..extensions import db
from ..langdict import pick
from ..university.models import ClassGroup, CourseEdition, CourseUnit, Faculty, Room, Term
from . import calendar, manage as ops, queries
from .blueprint import attempt, bp, flash_error, require_staff
from .forms import MEETING_STATES, CancelDateForm, DateForm, DatesRuleForm, MeetingForm
from .models import Meeting, MeetingDate, Participant


def _managed_meeting(meeting_id):
    m = db.session.get(Meeting, meeting_id)
    if m is None or not m.can_manage(current_user):
        abort(404)
    return m


def _managed_date(date_id):
    """A date the person runs, with its participants, their people and reasons (its list)."""
    participants = selectinload(MeetingDate.participants)
    d = db.session.scalar(select(MeetingDate).where(MeetingDate.id == date_id).options(
        joinedload(MeetingDate.meeting), participants.joinedload(Participant.user),
        participants.joinedload(Participant.substantiation), participants.joinedload(Participant.rejection_substantiation)))
    if d is None or not d.meeting.can_manage(current_user):
        abort(404)
    return d


def _room_choices():
    rooms = db.session.scalars(select(Room).order_by(Room.building_id, Room.number))
    return [("", "—")] + [(str(r.id), r.label) for r in rooms]


@bp.route("/manage")
@login_required
def manage():
    """My meetings (administrators: every meeting)."""
    require_staff()
    stmt = select(Meeting).order_by(Meeting.id).options(joinedload(Meeting.lecturer), selectinload(Meeting.dates))
    if not current_user.is_admin:
        stmt = stmt.where(Meeting.lecturer_id == current_user.id)
    return render_template("meetings/manage.html", meetings=list(db.session.scalars(stmt)), states=MEETING_STATES)


def _meeting_form(meeting=None):
    form = MeetingForm(obj=None)
    form.faculty_id.choices = [(f.id, pick(f.name)) for f in db.session.scalars(select(Faculty).order_by(Faculty.id))]
    form.term_id.choices = [("", "—")] + [(t.id, pick(t.name)) for t in db.session.scalars(
        select(Term).order_by(Term.order_key.desc()))]
    groups = db.session.scalars(select(ClassGroup).join(CourseUnit).join(CourseEdition).join(Term)
                                .where(Term.is_active.is_(True)).order_by(ClassGroup.id))
    mine = [g for g in groups if g.is_lecturer(current_user) or g.unit.edition.is_coordinator(current_user)
            or (meeting is not None and g in meeting.groups)]
    form.group_ids.choices = [(g.id, f"{g.unit.edition.course_id} {g.unit.classtype_id} {g.number}") for g in mine]
    if request.method == "GET":
        if meeting is None:
            form.faculty_id.data = current_user.faculty_id
            active = db.session.scalar(select(Term).where(Term.is_active.is_(True)).order_by(Term.order_key.desc()))
            form.term_id.data = active.id if active else ""
        else:
            form.name_pl.data, form.name_en.data = meeting.name.get("pl"), meeting.name.get("en")
            comment = meeting.comment or {}
            form.comment_pl.data, form.comment_en.data = comment.get("pl"), comment.get("en")
            form.faculty_id.data, form.term_id.data = meeting.faculty_id, meeting.term_id or ""
            form.open.data, form.state.data = meeting.open, meeting.state
            form.substantiation_mode.data, form.auto_accept.data = meeting.substantiation_mode, meeting.auto_accept
            form.group_ids.data = [g.id for g in meeting.groups]
    return form


@bp.route("/manage/new", methods=["GET", "POST"])
@bp.route("/manage/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit_meeting(meeting_id=None):
    """Create a meeting, or change one."""
    require_staff()
    meeting = _managed_meeting(meeting_id) if meeting_id else None
    form = _meeting_form(meeting)
    if form.validate_on_submit():
        data = {k: getattr(form, k).data for k in ("name_pl", "name_en", "comment_pl", "comment_en", "faculty_id",
                                                   "term_id", "open", "state", "substantiation_mode", "auto_accept")}
        saved, err = attempt(lambda: ops.save_meeting(current_user, meeting, group_ids=form.group_ids.data or [],
                                                         **data))
        if not err:
            flash(_("Meeting saved."), "success")
            return redirect(url_for("meetings.manage_meeting", meeting_id=saved.id), code=303)
        flash_error(err)
    status = 422 if request.method == "POST" else 200
    return render_template("meetings/meeting_form.html", form=form, meeting=meeting), status


def _rule_form():
    form = DatesRuleForm()
    form.room_id.choices = _room_choices()
    if request.method == "GET":
        form.start_date.data = clock.today() + timedelta(days=1)
        form.end_date.data = clock.today() + timedelta(days=90)
        form.start_time.data = datetime.strptime("12:00", "%H:%M").time()
        form.end_time.data = datetime.strptime("13:30", "%H:%M").time()
    return form


@bp.route("/manage/<int:meeting_id>", methods=["GET", "POST"])
@login_required
def manage_meeting(meeting_id):
    """A meeting's dates, and new dates from a rule: preview first, then create the chosen ones."""
    require_staff()
    meeting = _managed_meeting(meeting_id)
    form, preview, status = _rule_form(), None, 200
    if request.method == "POST":
        if form.validate_on_submit():
            f = form
            try:
                preview = calendar.generate_dates(f.start_date.data, f.end_date.data, f.number.data, f.frequency.data,
                                                  int(f.week_day.data) if f.week_day.data else None,
                                                  f.use_calendar.data, meeting.faculty_id, f.start_even.data)
                ops.check_new_dates(preview, f.start_time.data, f.end_time.data)
            except ServiceError as err:
                db.session.rollback()
                flash_error(err)
                preview, status = None, 422
            if preview is not None and request.form.get("action") == "create":
                chosen = set(request.form.getlist("day"))
                days = [d for d in preview if d.isoformat() in chosen]
                created, err = attempt(lambda: ops.add_dates(
                    current_user, meeting, days, f.start_time.data, f.end_time.data, f.seats_limit.data,
                    f.reserve_seats_limit.data, f.registration_days_before.data, f.registration_hours_before.data,
                    f.room_id.data or None, f.comment_pl.data, f.comment_en.data))
                if not err:
                    flash(ngettext("%(num)d date created.", "%(num)d dates created.", len(created)), "success")
                    return redirect(url_for("meetings.manage_meeting", meeting_id=meeting.id), code=303)
                flash_error(err)
                status = err.status
        else:
            status = 422
    return render_template("meetings/manage_meeting.html", meeting=meeting, form=form, preview=preview,
                           dates=queries.meeting_dates(current_user, meeting, include_cancelled=True),
                           cancel_form=CancelDateForm()), status


@bp.route("/manage/dates/<int:date_id>/edit", methods=["GET", "POST"])
@login_required
def edit_date(date_id):
    """Change a date's times, limits, room or comment."""
    require_staff()
    d = _managed_date(date_id)
    form = DateForm()
    form.room_id.choices = _room_choices()
    if request.method == "GET":
        form.day.data, form.start_time.data, form.end_time.data = d.start_time.date(), d.start_time.time(), \
            d.end_time.time()
        form.registration_start.data = d.registration_start_time.date()
        form.registration_start_time.data = d.registration_start_time.time()
        form.registration_end.data = d.registration_end_time.date()
        form.registration_end_time.data = d.registration_end_time.time()
        form.seats_limit.data, form.reserve_seats_limit.data = d.seats_limit, d.reserve_seats_limit
        form.room_id.data = str(d.room_id or "")
        form.comment_pl.data, form.comment_en.data = (d.comment or {}).get("pl"), (d.comment or {}).get("en")
    elif form.validate_on_submit():
        join = datetime.combine
        _result, err = attempt(lambda: ops.update_date(
            current_user, d, start_time=join(form.day.data, form.start_time.data),
            end_time=join(form.day.data, form.end_time.data),
            registration_start_time=join(form.registration_start.data, form.registration_start_time.data),
            registration_end_time=join(form.registration_end.data, form.registration_end_time.data),
            seats_limit=form.seats_limit.data, reserve_seats_limit=form.reserve_seats_limit.data,
            room_id=form.room_id.data or None, comment_pl=form.comment_pl.data, comment_en=form.comment_en.data))
        if not err:
            flash(_("Date saved."), "success")
            return redirect(url_for("meetings.manage_meeting", meeting_id=d.meeting_id), code=303)
        flash_error(err)
    status = 422 if request.method == "POST" else 200
    return render_template("meetings/date_form.html", form=form, date=d), status


@bp.route("/manage/dates/<int:date_id>/cancel", methods=["POST"])
@login_required
def cancel_date(date_id):
    """Cancel a date with a reason: its bookings stay, marked cancelled, and each person is told."""
    require_staff()
    d = _managed_date(date_id)
    meeting_id = d.meeting_id
    form = CancelDateForm()
    if not form.validate_on_submit():
        abort(400)
    _result, err = attempt(lambda: ops.cancel_date(current_user, d, form.reason.data))
    if err:
        flash_error(err)
    else:
        flash(_("Date cancelled; the people booked are told."), "success")
    return redirect(url_for("meetings.manage_meeting", meeting_id=meeting_id), code=303)


@bp.route("/manage/calendar")
@login_required
def week():
    """My dates in one week."""
    require_staff()
    try:
        start = _date.fromisoformat(request.args.get("start", ""))
    except ValueError:
        start = clock.today()
    start = start - timedelta(days=start.weekday())
    dates = queries.user_calendar(current_user, current_user.id, start, 7)
    days = [(start + timedelta(days=i), [d for d in dates if d.start_time.date() == start + timedelta(days=i)])
            for i in range(7)]
    return render_template("meetings/week.html", days=days, start=start, prev=start - timedelta(days=7),
                           next=start + timedelta(days=7))
