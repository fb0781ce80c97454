"""Output formats: json (default), jsonp with `callback`, xmlmap2."""
import json
import re
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from flask import Response

from .. import clock
from .errors import param_invalid

XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CALLBACK_RE = re.compile(r"^[A-Za-z_$][0-9A-Za-z_$]*(\.[A-Za-z_$][0-9A-Za-z_$]*)*$")
FORMATS = ("json", "jsonp", "xmlmap2")


def check(fmt, callback):
    if fmt not in FORMATS:
        raise param_invalid("format", f"supported formats: {', '.join(FORMATS)}")
    if fmt == "jsonp" and not (callback and len(callback) <= 200 and CALLBACK_RE.match(callback)):
        raise param_invalid("callback", "a JavaScript identifier is required with format=jsonp")


def _plain(value):
    """What json.dumps would make of a value it does not know."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (datetime, date)):
        return clock.fmt_datetime(value) if isinstance(value, datetime) else clock.fmt_date(value)
    return str(value)


def _xml(value, key=None, out=None):
    """xmlmap2: each JSON value an element named after its type; dict entries carry `key`."""
    attr = "" if key is None else " key=" + quoteattr(XML_INVALID.sub("", str(key)))
    if value is None:
        out.append(f"<null{attr}/>")
    elif isinstance(value, bool):
        out.append(f"<boolean{attr}>{'true' if value else 'false'}</boolean>")
    elif isinstance(value, (int, float)):
        out.append(f"<number{attr}>{json.dumps(value)}</number>")
    elif isinstance(value, str):
        out.append(f"<string{attr}>{escape(XML_INVALID.sub('', value))}</string>")
    elif isinstance(value, dict):
        out.append(f"<object{attr}>")
        for k, v in value.items():
            _xml(v, k, out)
        out.append("</object>")
    elif isinstance(value, (list, tuple)):
        out.append(f"<array{attr}>")
        for v in value:
            _xml(v, None, out)
        out.append("</array>")
    else:
        _xml(_plain(value), key, out)
    return out


def render(data, status=200, fmt="json", callback=None):
    if fmt == "xmlmap2":
        body = '<?xml version="1.0" encoding="UTF-8"?>\n' + "".join(_xml(data, out=[]))
        return Response(body, status=status, content_type="text/xml; charset=utf-8")
    text = json.dumps(data, ensure_ascii=False, default=_plain)
    if fmt == "jsonp":
        return Response(f"{callback}({text});", status=status,
                        content_type="application/javascript; charset=utf-8")
    return Response(text, status=status, content_type="application/json; charset=utf-8")
