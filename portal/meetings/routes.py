"""Student pages: available meetings, a date with sign-up / sign-off, my bookings, iCalendar."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required

from .. import clock
from ..auth.forms import EmptyForm
from ..errors import ServiceError
from ..langdict import ld, pick
from ..database import reads_first
from . import queries, services
from .blueprint import attempt, bp, load
from .forms import SignUpForm


def init_app(app):
    from ..web import register_nav
    from . import routes_manage, routes_staff  # noqa: F401  (their views)
    from .demo import seed
    from ..demo import register_seed
    app.register_blueprint(bp)
    register_nav(app, "meetings.index", _l("Consultations"), lambda u: True,
                 _l("Book a consultation date with a lecturer; see your bookings."),
                 staff_description=_l("Every consultation open now, as students see them."))
    register_nav(app, "meetings.manage", _l("My consultations"), lambda u: u.is_staff,
                 _l("Publish consultation dates, accept or reject participants, notes."))
    register_seed(app, 60, seed)


def _sign_up_form(date):
    form = SignUpForm()
    form.substantiation.choices = [(s.id, pick(s.name)) for s in queries.meeting_substantiations(date.meeting)]
    return form


def booking_context(date, form=None, error=None, done=None):
    entry = date.entry_of(current_user)
    problem = services.sign_up_problem(current_user, date) if entry is None else None
    if problem is None and entry is None and not services.has_free_place(date):
        problem = "seats_limit_exceeded"
    return dict(date=date, entry=entry, problem=problem, form=form or _sign_up_form(date), error=error,
                done=done, can_sign_off=entry is not None and entry.status != "rejected"
                and clock.now() < date.start_time, reasons=services.SUBSCRIPTION_ERRORS, off_form=EmptyForm())


@bp.route("/")
@login_required
def index():
    """Meetings available to me, with their upcoming dates."""
    meetings = queries.available_meetings(current_user)
    upcoming = {m.id: queries.meeting_dates(current_user, m, upcoming=True) for m in meetings}
    return render_template("meetings/index.html", meetings=meetings, upcoming=upcoming)


@bp.route("/meeting/<int:meeting_id>")
@login_required
def meeting(meeting_id):
    """One meeting and its upcoming dates."""
    m = load(queries.get_meeting, meeting_id)
    return render_template("meetings/meeting.html", meeting=m,
                           dates=queries.meeting_dates(current_user, m, upcoming=True))


@bp.route("/dates/<int:date_id>")
@login_required
def date(date_id):
    """A date: seats, reserve places, my status and the sign-up form."""
    d = load(queries.visible_date, date_id)
    return render_template("meetings/date.html", **booking_context(d))


def _booking_answer(date_id, error=None, done=None, form=None):
    d = load(queries.visible_date, date_id)
    status = error.status if error else 200
    if request.htmx:
        return render_template("meetings/_booking.html", **booking_context(d, form, error, done)), status
    if error:
        return render_template("meetings/date.html", **booking_context(d, form, error)), status
    flash(done, "success")
    return redirect(url_for("meetings.date", date_id=date_id), code=303)


@bp.route("/dates/<int:date_id>/sign-up", methods=["POST"])
@login_required
@reads_first
def sign_up(date_id):
    """Sign up with a reason and a message."""
    d = load(queries.visible_date, date_id)
    form = _sign_up_form(d)
    if not form.validate_on_submit():
        return _invalid(date_id, form)
    entry, err = attempt(lambda: services.sign_up(current_user, date_id, form.substantiation.data,
                                                  form.message.data))
    if err:
        return _booking_answer(date_id, error=err, form=form)
    done = _("You are on the reserve list.") if entry.is_reserve else (
        _("You are signed up.") if entry.status == "accepted" else _("You are signed up; the lecturer will decide."))
    return _booking_answer(date_id, done=done)


def _invalid(date_id, form):
    err = ServiceError("param_invalid", "Invalid form.", status=422,
                       user_message=ld("Formularz jest niepoprawny lub wygasł; spróbuj ponownie.",
                                       "The form is invalid or has expired; please try again."))
    return _booking_answer(date_id, error=err, form=form)


@bp.route("/dates/<int:date_id>/sign-off", methods=["POST"])
@login_required
def sign_off(date_id):
    """Give up my place; the first reserve moves up."""
    load(queries.visible_date, date_id)
    if not EmptyForm().validate_on_submit():
        return _invalid(date_id, None)
    _result, err = attempt(lambda: services.sign_off(current_user, date_id))
    return _booking_answer(date_id, error=err, done=None if err else _("You have signed off."))


@bp.route("/my")
@login_required
def my_bookings():
    """My bookings (the cart): status and place in the queue."""
    past = request.args.get("past") == "1"
    return render_template("meetings/my.html", entries=queries.cart(current_user, include_past=past), past=past)


@bp.route("/my.ics")
@login_required
def my_calendar():
    """My bookings as an iCalendar file."""
    from .ical import bookings_response
    return bookings_response(queries.cart(current_user, include_past=True))
