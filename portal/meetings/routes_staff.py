"""Per date: participants, accept / reject in place, staff sign-ups; notes; the days-off calendar."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from ..auth.forms import EmptyForm, submitted
from ..auth.models import User
from ..extensions import db
from ..langdict import pick
from ..security.redirects import safe_next
from ..university.models import Faculty, Term
from . import calendar, manage, queries, services
from .api import lecturer_actions
from .blueprint import attempt, bp, flash_error, require_staff
from .forms import DayOffForm, ExternalPersonForm, NoteForm, RejectForm, SpecificUserForm
from .models import DayOff, Participant
from .routes_manage import _managed_date


def _actions(entry):
    return lecturer_actions(entry, current_user)


def _choices(meeting, kind, optional=True):
    subs = [(s.id, pick(s.name)) for s in queries.meeting_substantiations(meeting, kind)]
    return ([(0, "—")] if optional else []) + subs


def _reject_form(meeting):
    form = RejectForm(prefix="reject")
    form.substantiation.choices = _choices(meeting, "rejection")
    return form


def _staff_forms(meeting):
    person, external = SpecificUserForm(prefix="user"), ExternalPersonForm(prefix="ext")
    person.substantiation.choices = external.substantiation.choices = _choices(meeting, "meeting")
    return person, external


def _participants_page(d, status=200):
    person, external = _staff_forms(d.meeting)
    return render_template("meetings/participants.html", date=d, entries=list(d.participants), actions_of=_actions,
                           reject_form=_reject_form(d.meeting), accept_form=EmptyForm(),
                           person_form=person, external_form=external), status


@bp.route("/manage/dates/<int:date_id>/participants")
@login_required
def participants(date_id):
    """Who signed up for a date, with their reasons; accept or reject them."""
    require_staff()
    return _participants_page(_managed_date(date_id))


def _row_answer(entry_id, date_id, err=None, done=None):
    d = _managed_date(date_id)
    if request.htmx:
        return render_template("meetings/_participant_rows.html", date=d, entries=list(d.participants),
                               actions_of=_actions,
                               reject_form=_reject_form(d.meeting), accept_form=EmptyForm(), error=err,
                               error_entry=entry_id, done=done), (err.status if err else 200)
    if err:
        flash_error(err)
    elif done:
        flash(done, "success")
    return redirect(url_for("meetings.participants", date_id=date_id), code=303)


def _entry_of_date(entry_id):
    entry = db.session.get(Participant, entry_id)
    if entry is None:
        abort(404)
    _managed_date(entry.meeting_date_id)
    return entry


@bp.route("/manage/participants/<int:entry_id>/accept", methods=["POST"])
@login_required
def accept(entry_id):
    """Accept a person (a reserve takes a free seat)."""
    require_staff()
    entry = _entry_of_date(entry_id)
    date_id = entry.meeting_date_id
    if not submitted():
        abort(400)
    _result, err = attempt(lambda: services.accept_participant(current_user, entry_id))
    return _row_answer(entry_id, date_id, err, None if err else _("Accepted."))


@bp.route("/manage/participants/<int:entry_id>/reject", methods=["POST"])
@login_required
def reject(entry_id):
    """Reject a person with a reason; their seat goes to the first reserve."""
    require_staff()
    entry = _entry_of_date(entry_id)
    date_id = entry.meeting_date_id
    form = _reject_form(entry.meeting_date.meeting)
    if not form.validate_on_submit():
        abort(400)
    sub_id = form.substantiation.data or None
    _result, err = attempt(lambda: services.reject_participant(current_user, entry_id, sub_id, form.message.data))
    return _row_answer(entry_id, date_id, err, None if err else _("Rejected."))


@bp.route("/manage/dates/<int:date_id>/add-person", methods=["POST"])
@login_required
def add_person(date_id):
    """Staff sign up a person of the university (login or student number)."""
    require_staff()
    d = _managed_date(date_id)
    form, _external = _staff_forms(d.meeting)
    if not form.validate_on_submit():
        return _participants_page(d, 422)
    key = form.person.data.strip()
    user = db.session.scalar(select(User).where(or_(User.login == key, User.student_number == key)))
    if user is None:
        flash(_("No person with this login or student number."), "error")
        return _participants_page(d, 422)
    _result, err = attempt(lambda: services.sign_up_specific_user(current_user, user.id, date_id, form.status.data,
                                                            form.substantiation.data or None, form.message.data))
    if err:
        flash_error(err)
        return _participants_page(_managed_date(date_id), err.status)
    flash(_("%(name)s signed up.", name=user.full_name), "success")
    return redirect(url_for("meetings.participants", date_id=date_id), code=303)


@bp.route("/manage/dates/<int:date_id>/add-external", methods=["POST"])
@login_required
def add_external(date_id):
    """Staff sign up someone from outside the university."""
    require_staff()
    d = _managed_date(date_id)
    _person, form = _staff_forms(d.meeting)
    if not form.validate_on_submit():
        return _participants_page(d, 422)
    _result, err = attempt(lambda: services.sign_up_non_usos_person(
        current_user, date_id, form.first_name.data, form.last_name.data, form.status.data, form.email.data,
        form.contact_data.data, form.substantiation.data or None, form.message.data))
    if err:
        flash_error(err)
        return _participants_page(_managed_date(date_id), err.status)
    flash(_("%(name)s signed up.", name=f"{form.first_name.data} {form.last_name.data}"), "success")
    return redirect(url_for("meetings.participants", date_id=date_id), code=303)


@bp.route("/manage/notes/<int:user_id>", methods=["GET", "POST"])
@login_required
def notes(user_id):
    """My public and private notes about a person, for a faculty and term."""
    require_staff()
    person = db.session.get(User, user_id)
    fac = db.session.get(Faculty, request.values.get("fac", "")) or current_user.faculty
    term = db.session.get(Term, request.values.get("term", "")) or db.session.scalar(
        select(Term).where(Term.is_active.is_(True)).order_by(Term.order_key.desc()))
    if person is None or fac is None or term is None:
        abort(404)
    form = NoteForm()
    if form.validate_on_submit():
        def save():
            manage.put_note(current_user, fac.id, term.id, person.id, "public", form.public_note.data)
            return manage.put_note(current_user, fac.id, term.id, person.id, "private", form.private_note.data)
        _result, err = attempt(save)
        if not err:
            flash(_("Notes saved."), "success")
            return redirect(url_for("meetings.notes", user_id=user_id, fac=fac.id, term=term.id,
                                    back=safe_next(request.values.get("back"), fallback="")), code=303)
        flash_error(err)
    own = manage.find_note(current_user, fac.id, term.id, person.id)
    if request.method == "GET" and own is not None:
        form.public_note.data, form.private_note.data = own.public_note, own.private_note
    others = [n for n in manage.notes_about(person.id, fac.id, term.id) if n.author_id != current_user.id]
    return render_template("meetings/notes.html", person=person, faculty=fac, term=term, form=form, others=others,
                           back=safe_next(request.values.get("back"), fallback=""))


@bp.route("/days-off", methods=["GET", "POST"])
@login_required
def days_off():
    """The academic calendar's days off that date rules skip; staff see it, administrators edit it."""
    require_staff()
    can_edit = DayOff.can_edit(current_user)
    if request.method == "POST" and not can_edit:
        abort(403, description=str(calendar.calendar_admins_only()))
    form = DayOffForm()
    form.faculty_id.choices = [("", _("whole university"))] + [
        (f.id, pick(f.name)) for f in db.session.scalars(select(Faculty).order_by(Faculty.id))]
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            _result, err = attempt(lambda: calendar.add_day_off(current_user, form.faculty_id.data or None,
                                                          form.start_date.data, form.end_date.data,
                                                          form.name_pl.data, form.name_en.data))
            if not err:
                flash(_("Day off added."), "success")
                return redirect(url_for("meetings.days_off"), code=303)
            flash_error(err)
            status = err.status
        else:
            status = 422
    return render_template("meetings/days_off.html", form=form, entries=calendar.upcoming_days_off(),
                           delete_form=EmptyForm(), can_edit=can_edit), status


@bp.route("/days-off/<int:day_off_id>/delete", methods=["POST"])
@login_required
def delete_day_off(day_off_id):
    """Remove a day off (administrators)."""
    if not DayOff.can_edit(current_user):
        abort(403, description=str(calendar.calendar_admins_only()))
    if not submitted():
        abort(400)
    _result, err = attempt(lambda: calendar.delete_day_off(current_user, day_off_id))
    if err:
        flash_error(err)
    return redirect(url_for("meetings.days_off"), code=303)
