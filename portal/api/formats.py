"""Output formats: json (default), jsonp with `callback`, xmlmap2."""
import json
import re
from xml.sax.saxutils import escape, quoteattr

from flask import Response

from .errors import param_invalid

CALLBACK_RE = re.compile(r"^[A-Za-z_$][0-9A-Za-z_$]*(\.[A-Za-z_$][0-9A-Za-z_$]*)*$")
FORMATS = ("json", "jsonp", "xmlmap2")


def check(fmt, callback):
    if fmt not in FORMATS:
        raise param_invalid("format", f"supported formats: {', '.join(FORMATS)}")
    if fmt == "jsonp" and not (callback and CALLBACK_RE.match(callback)):
        raise param_invalid("callback", "a JavaScript identifier is required with format=jsonp")


def _xml(value):
    if value is None:
        return "<null/>"
    if isinstance(value, bool):
        return "<boolean>%s</boolean>" % ("true" if value else "false")
    if isinstance(value, (int, float)):
        return f"<number>{value}</number>"
    if isinstance(value, str):
        return f"<string>{escape(value)}</string>"
    if isinstance(value, dict):
        items = "".join(f"<entry key={quoteattr(str(k))}>{_xml(v)}</entry>" for k, v in value.items())
        return f"<dict>{items}</dict>"
    if isinstance(value, (list, tuple)):
        return "<list>" + "".join(f"<item>{_xml(v)}</item>" for v in value) + "</list>"
    return f"<string>{escape(str(value))}</string>"


def render(data, status=200, fmt="json", callback=None):
    if fmt == "xmlmap2":
        body = '<?xml version="1.0" encoding="UTF-8"?>\n' + _xml(data)
        return Response(body, status=status, mimetype="text/xml")
    text = json.dumps(data, ensure_ascii=False, default=str)
    if fmt == "jsonp":
        return Response(f"{callback}({text});", status=status, mimetype="application/javascript")
    return Response(text, status=status, mimetype="application/json")
