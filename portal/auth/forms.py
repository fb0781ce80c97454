"""Sign-in form; what bare POST buttons need (a CSRF token, a check that one came)."""
from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from ..forms import Form


class LoginForm(Form):
    login = StringField(_l("Login"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Remember me"))


class EmptyForm(Form):
    """Gives bare POST buttons a CSRF token."""


SUBMIT_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})  # Flask-WTF's "submitted"


def submitted():
    """`submitted()`, without building a form when the app-wide CSRF
    check (CSRFProtect, before every view) has accepted this request's token already: a
    rush's refusal should not pay for checking its token twice."""
    if request.method in SUBMIT_METHODS and g.get("csrf_valid"):
        return True
    return EmptyForm().validate_on_submit()


class Buttons:
    """What a template needs of an EmptyForm for its bare POST buttons: `hidden_tag()`, the
    same hidden CSRF field (none with CSRF off), built once per page instead of once per
    button (a slot list has a form in every row)."""

    def hidden_tag(self, *fields):
        if not current_app.config.get("WTF_CSRF_ENABLED", True):
            return Markup("")
        tag = g.get("_indeks_csrf_tag")
        if tag is None:
            tag = g._indeks_csrf_tag = Markup(
                f'<input id="csrf_token" name="csrf_token" type="hidden" value="{escape(generate_csrf())}">')
        return tag


BUTTONS = Buttons()
