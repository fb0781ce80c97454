"""Student pages: available meetings, a date with sign-up / sign-off, my bookings, iCalendar."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required

from .. import clock
from ..auth.forms import BUTTONS, submitted
from ..errors import ServiceError
from ..langdict import ld, pick
from ..database import reads_first
from ..pagecache import kept_page, kept_refusal
from ..web import render_once
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


def booking_context(date, form=None, error=None, done=None, check=None):
    """What the booking part shows; `check` (services.sign_up_check) when it was just made."""
    check = check or services.sign_up_check(current_user, date)
    # The participants are loaded only for someone who has an entry (their status and place).
    entry = date.entry_of(current_user) if check.has_entry else None
    problem = None if entry else check.problem
    if entry is None and problem is None and form is None:
        form = _sign_up_form(date)  # only when it is shown: a refusal's answer needs no reasons list
    return dict(date=date, entry=entry, problem=problem, form=form, error=error, done=done,
                taken=(check.seats_taken, check.reserve_taken),
                can_sign_off=entry is not None and entry.status != "rejected" and clock.now() < date.start_time,
                reasons=services.SUBSCRIPTION_ERRORS, off_form=BUTTONS)


@bp.route("/")
@login_required
@kept_page
def index():
    """Meetings available to me, with their upcoming dates."""
    meetings = queries.available_meetings(current_user)
    upcoming = queries.upcoming_dates(meetings)
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
@kept_page
def date(date_id):
    """A date: seats, reserve places, my status and the sign-up form."""
    d = load(queries.visible_date, date_id)
    return render_template("meetings/date.html", **booking_context(d))


def _booking_answer(date_id, error=None, done=None, form=None, date=None, check=None):
    """The booking part again (htmx) or the date's page; `date` (and `check`) when nothing
    changed since they were read."""
    d = date or load(queries.visible_date, date_id)
    status = error.status if error else 200
    if request.htmx:
        if error and check and check.problem and not check.has_entry:
            # A refusal of someone with no entry shows only the places and why (no form, no
            # token): the same answer for everyone refused in a rush, rendered once.
            key = (d.id, d.seats_limit, d.reserve_seats_limit, check.seats_taken, check.reserve_taken,
                   check.problem, str(error))
            body = render_once(key, "meetings/_booking.html", lambda: booking_context(d, form, error, done, check))
            return body, status
        return render_template("meetings/_booking.html", **booking_context(d, form, error, done, check)), status
    if error:
        return render_template("meetings/date.html", **booking_context(d, form, error, check=check)), status
    flash(done, "success")
    return redirect(url_for("meetings.date", date_id=date_id), code=303)


@bp.route("/dates/<int:date_id>/sign-up", methods=["POST"])
@login_required
@kept_refusal
@reads_first
def sign_up(date_id):
    """Sign up with a reason and a message."""
    d, taken = load(queries.bookable_date, date_id)
    check = services.sign_up_check(current_user._get_current_object(), d, taken=taken)
    if check.problem:
        # Full (or closed, or signed up already) by what was just read: in a rush most clicks
        # end here, before the reasons list is built and without the write lock.
        return _booking_answer(date_id, error=services.subscription_error(check.problem), date=d, check=check)
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
    if not submitted():
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
