"""Forms of the notifications pages."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import Form
from .kinds import KINDS


class SettingsForm(Form):
    lang = SelectField(_l("Language of my messages"), validators=[Optional()])
    email = SelectMultipleField(_l("Also send me an e-mail when"), validators=[Optional()],
                                widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lang.choices = [SelectChoice("", _l("the language I use in Indeks")), SelectChoice("pl", "polski"),
                             SelectChoice("en", "English")]
        self.email.choices = [SelectChoice(k.name, k.label) for k in KINDS.values()]
