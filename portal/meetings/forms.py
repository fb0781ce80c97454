"""Forms of the meetings pages."""
from flask_babel import lazy_gettext as _l, lazy_pgettext
from wtforms import (BooleanField, DateField, EmailField, IntegerField, SelectField, SelectMultipleField,
                     StringField, TextAreaField, TimeField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..forms import Form
from .calendar import FREQUENCIES

# Polish adjectives agree with "spotkanie" (neuter): a context of their own.
MEETING_STATES = {"active": lazy_pgettext("meeting", "active"), "in_preparation": lazy_pgettext("meeting", "in preparation"),
                  "closed": lazy_pgettext("meeting", "closed"), "archived": lazy_pgettext("meeting", "archived")}


def options(pairs):
    """Static choices as SelectChoice (tuples are deprecated in WTForms)."""
    return [SelectChoice(value, label) for value, label in pairs]


class SignUpForm(Form):
    substantiation = SelectField(_l("Reason"), coerce=int, validators=[InputRequired()])
    message = TextAreaField(_l("Message to the lecturer"), validators=[Optional(), Length(max=2000)])


class RejectForm(Form):
    substantiation = SelectField(_l("Reason for rejection"), coerce=int, validators=[Optional()])
    message = StringField(_l("Message"), validators=[Optional(), Length(max=2000)])


class CancelDateForm(Form):
    reason = StringField(_l("Reason (sent to those booked)"), validators=[Optional(), Length(max=500)])


def state_choices():
    return [(state, label) for state, label in MEETING_STATES.items()]


class MeetingForm(Form):
    name_pl = StringField(_l("Name (Polish)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=200)])
    comment_pl = TextAreaField(_l("Comment (Polish)"), validators=[Optional(), Length(max=2000)])
    comment_en = TextAreaField(_l("Comment (English)"), validators=[Optional(), Length(max=2000)])
    faculty_id = SelectField(_l("Faculty"), validators=[DataRequired()])
    term_id = SelectField(_l("Term"), validators=[Optional()])
    open = BooleanField(_l("Open to everyone (otherwise only to the chosen groups)"), default=True)
    group_ids = SelectMultipleField(_l("Groups"), coerce=int, validators=[Optional()])
    state = SelectField(_l("State"), choices=options(state_choices()), default="active")
    substantiation_mode = SelectField(_l("Reasons to choose from"), default="this_faculty_and_parents", choices=options([
        ("this_faculty_and_parents", _l("this faculty and its parents")),
        ("this_faculty_only", _l("this faculty only"))]))
    auto_accept = BooleanField(_l("Accept sign-ups automatically"), default=True)


def frequency_choices():
    labels = {"daily": _l("every day"), "weekly": _l("every week"), "week_days": _l("working days"),
              "weekends": _l("weekends"), "biweekly_odd": _l("every two weeks (odd weeks)"),
              "biweekly_even": _l("every two weeks (even weeks)"), "monthly": _l("every month")}
    return [(f, labels[f]) for f in FREQUENCIES]


WEEK_DAYS = [("", "—"), ("1", _l("Monday")), ("2", _l("Tuesday")), ("3", _l("Wednesday")), ("4", _l("Thursday")),
             ("5", _l("Friday")), ("6", _l("Saturday")), ("7", _l("Sunday"))]


class DatesRuleForm(Form):
    start_date = DateField(_l("From"), validators=[InputRequired()])
    end_date = DateField(_l("Until"), validators=[InputRequired()])
    number = IntegerField(_l("Number of dates"), default=10, validators=[InputRequired(), NumberRange(1, 366)])
    frequency = SelectField(_l("Frequency"), choices=options(frequency_choices()), default="weekly")
    week_day = SelectField(_l("Day of the week"), choices=options(WEEK_DAYS), default="")
    start_even = BooleanField(_l("Start from an even week"))
    use_calendar = BooleanField(_l("Skip days off of the academic calendar"), default=True)
    start_time = TimeField(_l("Starts at"), validators=[InputRequired()])
    end_time = TimeField(_l("Ends at"), validators=[InputRequired()])
    seats_limit = IntegerField(_l("Seats"), default=5, validators=[InputRequired(), NumberRange(1, 10000)])
    reserve_seats_limit = IntegerField(_l("Reserve seats"), default=2,
                                       validators=[InputRequired(), NumberRange(0, 10000)])
    registration_days_before = IntegerField(_l("Registration opens (days before)"), default=7,
                                            validators=[InputRequired(), NumberRange(0, 365)])
    registration_hours_before = IntegerField(_l("Registration closes (hours before)"), default=1,
                                             validators=[InputRequired(), NumberRange(0, 24 * 30)])
    room_id = SelectField(_l("Room"), validators=[Optional()], default="")
    comment_pl = StringField(_l("Comment (Polish)"), validators=[Optional(), Length(max=500)])
    comment_en = StringField(_l("Comment (English)"), validators=[Optional(), Length(max=500)])


class DateForm(Form):
    day = DateField(_l("Day"), validators=[InputRequired()])
    start_time = TimeField(_l("Starts at"), validators=[InputRequired()])
    end_time = TimeField(_l("Ends at"), validators=[InputRequired()])
    registration_start = DateField(_l("Registration opens on"), validators=[InputRequired()])
    registration_start_time = TimeField(_l("at"), validators=[InputRequired()])
    registration_end = DateField(_l("Registration closes on"), validators=[InputRequired()])
    registration_end_time = TimeField(_l("at"), validators=[InputRequired()])
    seats_limit = IntegerField(_l("Seats"), validators=[InputRequired(), NumberRange(1, 10000)])
    reserve_seats_limit = IntegerField(_l("Reserve seats"), validators=[InputRequired(), NumberRange(0, 10000)])
    room_id = SelectField(_l("Room"), validators=[Optional()], default="")
    comment_pl = StringField(_l("Comment (Polish)"), validators=[Optional(), Length(max=500)])
    comment_en = StringField(_l("Comment (English)"), validators=[Optional(), Length(max=500)])


class NoteForm(Form):
    public_note = TextAreaField(_l("Public note (other staff and the student see it)"),
                                validators=[Optional(), Length(max=10000)])
    private_note = TextAreaField(_l("Private note (only you see it)"), validators=[Optional(), Length(max=10000)])


def status_choices():
    return [("accepted", _l("accepted")), ("waiting", _l("waiting for acceptance"))]


class SpecificUserForm(Form):
    person = StringField(_l("Login or student number"), validators=[DataRequired(), Length(max=64)])
    status = SelectField(_l("Status"), choices=options(status_choices()), default="accepted")
    substantiation = SelectField(_l("Reason"), coerce=int, validators=[Optional()])
    message = StringField(_l("Message"), validators=[Optional(), Length(max=2000)])


class ExternalPersonForm(Form):
    first_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=100)])
    last_name = StringField(_l("Last name"), validators=[DataRequired(), Length(max=100)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Length(max=200)])
    contact_data = StringField(_l("Other contact"), validators=[Optional(), Length(max=500)])
    status = SelectField(_l("Status"), choices=options(status_choices()), default="accepted")
    substantiation = SelectField(_l("Reason"), coerce=int, validators=[Optional()])
    message = StringField(_l("Message"), validators=[Optional(), Length(max=2000)])


class DayOffForm(Form):
    name_pl = StringField(_l("Name (Polish)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=200)])
    start_date = DateField(_l("From"), validators=[InputRequired()])
    end_date = DateField(_l("Until"), validators=[InputRequired()])
    faculty_id = SelectField(_l("Faculty"), default="")
