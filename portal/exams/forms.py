"""Forms of exam registration: staff editing and the batch paste box."""
from flask_babel import lazy_gettext as _l, lazy_pgettext
from wtforms import (BooleanField, DateTimeLocalField, IntegerField, SelectField, SelectMultipleField,
                     StringField, TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..forms import Form
from .models import SESSION_STATUSES

DT = "%Y-%m-%dT%H:%M"


def choices(pairs):
    """SelectField choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


# Polish adjectives agree with their noun: "sesja" is feminine, hence a context of its own.
STATUS_LABELS = {"in_preparation": lazy_pgettext("exam session", "in preparation"),
                 "active_reg_only": lazy_pgettext("exam session", "active (registration only)"),
                 "active": lazy_pgettext("exam session", "active"), "closed": lazy_pgettext("exam session", "closed"),
                 "archived": lazy_pgettext("exam session", "archived")}


class SessionForm(Form):
    name_pl = StringField(_l("Name (Polish)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=200)])
    description_pl = TextAreaField(_l("Description (Polish)"), validators=[Optional(), Length(max=2000)])
    description_en = TextAreaField(_l("Description (English)"), validators=[Optional(), Length(max=2000)])
    status = SelectField(_l("Status"), choices=[SelectChoice(s, STATUS_LABELS[s]) for s in SESSION_STATUSES])
    faculty_id = SelectField(_l("Faculty"), choices=[])


class ExamForm(Form):
    edition = SelectField(_l("Course and term"), choices=[])
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=64)])
    name_pl = StringField(_l("Name (Polish)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=200)])
    description_pl = TextAreaField(_l("Description (Polish)"), validators=[Optional(), Length(max=2000)])
    description_en = TextAreaField(_l("Description (English)"), validators=[Optional(), Length(max=2000)])
    registration_start = DateTimeLocalField(_l("Registration starts"), format=DT, validators=[Optional()])
    registration_end = DateTimeLocalField(_l("Registration ends"), format=DT, validators=[Optional()])
    register_until = DateTimeLocalField(_l("Registering allowed until"), format=DT, validators=[Optional()])
    unregister_until = DateTimeLocalField(_l("Leaving allowed until"), format=DT, validators=[Optional()])
    exchange_until = DateTimeLocalField(_l("Switching allowed until"), format=DT, validators=[Optional()])
    examiners_visible = BooleanField(_l("Examiners visible to students"), default=True)
    has_priorities = BooleanField(_l("Students rank their preferences"))
    preferences_limit = IntegerField(_l("Preferences limit"), default=1,
                                     validators=[InputRequired(), NumberRange(min=1, max=20)])
    micro_round_length = IntegerField(_l("Micro-round length (seconds, empty: first come, first served)"),
                                      validators=[Optional(), NumberRange(min=1, max=86400)])
    micro_break_length = IntegerField(_l("Micro-break length (seconds)"),
                                      validators=[Optional(), NumberRange(min=0, max=86400)])
    # "report id:session number", or "" for none; choices from the editions the person manages.
    examrep = SelectField(_l("Linked exam report and session"), choices=[], default="")


class ConditionForm(Form):
    examrep_id = SelectField(_l("Exam report"), choices=[], coerce=int, validators=[InputRequired()])
    grade = StringField(_l("Minimum grade (empty: any passing grade)"), validators=[Optional(), Length(max=16)])


class GroupForm(Form):
    number = IntegerField(_l("Number"), validators=[InputRequired(), NumberRange(min=1, max=999)])
    start = DateTimeLocalField(_l("Starts"), format=DT, validators=[InputRequired()])
    end = DateTimeLocalField(_l("Ends"), format=DT, validators=[InputRequired()])
    room_id = SelectField(_l("Room"), choices=[], validate_choice=False)
    capacity = IntegerField(_l("Capacity"), validators=[InputRequired(), NumberRange(min=1, max=5000)])
    number_of_slots = IntegerField(_l("Number of slots"), default=1,
                                   validators=[InputRequired(), NumberRange(min=1, max=200)])
    examiners = SelectMultipleField(_l("Examiners"), choices=[], coerce=int)


class BatchForm(Form):
    slot = SelectField(_l("Slot"), choices=[], coerce=int)
    numbers = TextAreaField(_l("Student numbers (one per line, or separated by spaces or commas)"),
                            validators=[DataRequired(), Length(max=20000)])
