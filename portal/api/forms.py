"""Forms of the API pages."""
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, URL

from ..forms import Form


class ConsumerForm(Form):
    name = StringField(_l("Application name"), validators=[DataRequired(), Length(max=200)])
    url = StringField(_l("Web address (optional)"), validators=[Optional(), URL(require_tld=False), Length(max=500)])
    email = StringField(_l("Contact e-mail (optional)"), validators=[
        Optional(), Regexp(r"^[^@\s]+@[^@\s]+$", message=_l("Invalid e-mail address.")), Length(max=200)])
