"""The base of every portal form: Flask-WTF's, reading each field only from where a browser sends it.

Flask-WTF fills a form from `request.files` and `request.form` merged, and from a JSON body
when the request has one. A browser posts a text field in the form body and a file only to a
file field, but anyone can send otherwise: a file under a text field's name reached that
field's validators as a FileStorage (`len()` of it: a 500), and JSON values may be lists or
objects where a field expects text. Here a file counts only for a FileField, and a JSON body
fills nothing (the form then answers "this field is required", as an empty post does).
"""
from flask import request
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import CombinedMultiDict, MultiDict


class Form(FlaskForm):
    class Meta:
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
