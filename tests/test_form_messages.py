"""WTForms' own messages on portal forms, in both languages (its Polish range message is wrong)."""
import pytest
from werkzeug.datastructures import MultiDict
from wtforms import IntegerField
from wtforms.validators import NumberRange

from portal.forms import Form


class Seats(Form):
    class Meta:
        csrf = False

    seats = IntegerField("Seats", validators=[NumberRange(1, 10000)])


@pytest.mark.parametrize("lang,message", [
    ("pl", "Liczba musi być z zakresu od 1 do 10000."),
    ("en", "Number must be between 1 and 10000."),
])
def test_a_number_out_of_range_is_told_in_the_language_of_the_page(app, lang, message):
    with app.test_request_context(f"/?lang={lang}", method="POST"):
        form = Seats(formdata=MultiDict({"seats": "-1"}))
        assert not form.validate()
        assert form.seats.errors == [message]
