"""Forms of the grading pages."""
from flask_wtf.file import FileAllowed, FileField, FileRequired
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from ..forms import Form


class GradeRowForm(Form):
    """One student's row of the grid, saved on its own."""
    value = StringField(_l("Grade"), validators=[Optional(), Length(max=16)])
    comment = StringField(_l("Comment"), validators=[Optional(), Length(max=2000)])
    private_comment = StringField(_l("Private comment"), validators=[Optional(), Length(max=2000)])
    date_acquisition = StringField(_l("Date obtained"), validators=[Optional(), Length(max=10)])
    date_modified = HiddenField()


class ImportForm(Form):
    file = FileField(_l("CSV file"), validators=[FileRequired(), FileAllowed(["csv", "txt"], _l("A CSV file, please."))])


class ApplyImportForm(Form):
    """The previewed CSV, sent back to be applied."""
    content = TextAreaField()  # csvio refuses an oversize or malformed text with a message
