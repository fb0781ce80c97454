"""Forms of the attendance pages."""
from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from ..forms import Form

LIST_MODE_CHOICES = [SelectChoice("intramural", _l("In person")), SelectChoice("remote", _l("Remote")),
                     SelectChoice("hybrid", _l("Hybrid"))]


class CreateListForm(Form):
    date = DateTimeLocalField(_l("Date and time of the meeting"), format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                              validators=[DataRequired()])
    mode = SelectField(_l("Mode"), choices=LIST_MODE_CHOICES, default="intramural")


class FromTimetableForm(Form):
    mode = SelectField(_l("Mode of the meetings"), choices=LIST_MODE_CHOICES, default="intramural")


class ModeForm(Form):
    mode = SelectField(_l("Mode"), choices=LIST_MODE_CHOICES)
