"""Turning raw parameter strings into typed values, per the method's declaration."""
import json
import re
from datetime import date, datetime

from .. import ids
from .errors import param_invalid, param_missing


ID_RE = re.compile(r"^[!-{}~]{1,32}$")  # printable ASCII without spaces and "|"
INT_RE = re.compile(r"^-?[0-9]{1,19}$")


def _id(name, value):
    if not ID_RE.match(value):
        raise param_invalid(name, "an ID is a non-empty string of at most 32 printable ASCII characters")
    return value


def convert(p, raw):
    t = p.type
    if t == "str":
        return raw
    if t == "id":
        return _id(p.name, raw)
    if t == "ids":
        values = [v for v in raw.split("|")] if raw != "" else []
        return [_id(p.name, v) for v in values]
    if t == "list":
        return [v for v in raw.split("|") if v != ""] if raw else []
    if t == "int":
        if not INT_RE.match(raw):
            raise param_invalid(p.name, "an integer is required")
        value = int(raw)
        if abs(value) > ids.MAX_DB_INT:  # numbers, offsets, days: all within a database integer
            raise param_invalid(p.name, f"out of range (at most {ids.MAX_DB_INT} either way)")
        return value
    if t == "bool":
        # clients written in Python send str(True) ("True"): either case is read, as USOS does
        if raw.lower() not in ("true", "false"):
            raise param_invalid(p.name, "true or false is required")
        return raw.lower() == "true"
    if t == "date":
        try:
            return date.fromisoformat(raw) if len(raw) == 10 else _bad()
        except ValueError:
            raise param_invalid(p.name, "a date YYYY-MM-DD is required") from None
    if t == "datetime":
        for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):  # a meeting has a time: a bare date is refused
            try:
                return datetime.strptime(raw, fmt)
            except ValueError:
                continue
        raise param_invalid(p.name, "a date and time YYYY-MM-DD HH:MM:SS is required")
    if t == "json":
        try:
            return json.loads(raw)
        except (ValueError, RecursionError):  # RecursionError: nested deeper than the decoder goes
            raise param_invalid(p.name, "valid JSON is required") from None
    if t == "choice":
        if raw not in p.choices:
            raise param_invalid(p.name, "one of: " + ", ".join(p.choices))
        return raw
    raise ValueError(f"unknown parameter type {t}")


def _bad():
    raise ValueError


def parse(method, raw_params):
    """Typed values of the method's parameters; absent optional ones get their default."""
    values = {}
    for p in method.params:
        raw = raw_params.get(p.name)
        if raw is not None and ("\ufffd" in raw or "\x00" in raw):
            raise param_invalid(p.name, "the value is not valid UTF-8 text")
        if raw is not None and len(raw) > p.max_length:
            raise param_invalid(p.name, f"longer than {p.max_length} characters")
        # "" is a value only as a string, or as the empty list where a list may be left out
        no_value = raw == "" and p.type != "str" and (p.required or p.type not in ("list", "ids"))
        if raw is None or no_value:
            if p.required:
                raise param_missing(p.name)
            default = p.default
            values[p.name] = convert(p, default) if isinstance(default, str) and p.type != "str" \
                and p.name != "fields" else default
            continue
        values[p.name] = convert(p, raw)
    return values

