"""The base of every portal form: Flask-WTF's, reading each field only from where a browser sends it.

Flask-WTF fills a form from `request.files` and `request.form` merged, and from a JSON body
when the request has one. A browser posts a text field in the form body and a file only to a
file field, but anyone can send otherwise: a file under a text field's name reached that
field's validators as a FileStorage (`len()` of it: a 500), and JSON values may be lists or
objects where a field expects text. Here a file counts only for a FileField, and a JSON body
fills nothing (the form then answers "this field is required", as an empty post does).

WTForms' own messages come from its catalogues, through Flask-WTF; where one is wrong in
Polish, CORRECTED says it right.
"""
from flask import request
from flask_babel import get_locale
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import CombinedMultiDict, MultiDict


# WTForms' Polish "z zakresu 1 i 10000" is not Polish ("od 1 do 10000").
CORRECTED = {"pl": {"Number must be between %(min)s and %(max)s.": "Liczba musi być z zakresu od %(min)s do %(max)s."}}


class _Corrected:
    """WTForms' translations, with CORRECTED's messages in their place."""

    def __init__(self, translations):
        self.translations = translations

    def gettext(self, message):
        locale = get_locale()
        fixed = CORRECTED.get(locale.language if locale else None, {}).get(message)
        return fixed if fixed is not None else self.translations.gettext(message)

    def ngettext(self, singular, plural, n):
        return self.translations.ngettext(singular, plural, n)


class Form(FlaskForm):
    class Meta:
        def get_translations(self, form):
            translations = FlaskForm.Meta.get_translations(self, form)
            return _Corrected(translations) if translations is not None else None

        def wrap_formdata(self, form, formdata):
            data = FlaskForm.Meta.wrap_formdata(self, form, formdata)
            if data is None or data is formdata:
                return data  # not submitted, or formdata given by the caller
            if request.is_json:
                return None
            if isinstance(data, CombinedMultiDict):
                wanted = {f.name for f in form._fields.values() if isinstance(f, FileField)}
                files = MultiDict([(k, v) for k, v in request.files.items(multi=True) if k in wanted])
                return CombinedMultiDict((files, request.form))
            return data
