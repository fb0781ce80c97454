"""Integer IDs from text: one rule for every module, parameters and URLs alike.

`str.isdigit()` accepts "²" (int() then fails) and Arabic-Indic digits, and an ID beyond
PostgreSQL's integer range makes the query itself fail: both would be 500s.
"""
from werkzeug.routing import IntegerConverter

MAX_DB_INT = 2**31 - 1


class IdConverter(IntegerConverter):
    """The `int` of every route (`<int:exam_id>`): a number beyond what an ID column holds
    names no page (404), instead of reaching the database (PostgreSQL: "integer out of range";
    SQLite: too large for its integers)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_DB_INT, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def int_id(value):
    """The integer an ID string names, or None when it cannot name a row."""
    if value is None:
        return None
    text = str(value)
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    number = int(text)
    return number if number <= MAX_DB_INT else None


def small_int(value, lo=None, hi=None):
    """A plain (possibly negative) integer within [lo, hi], or None."""
    text = str(value).strip() if value is not None else ""
    digits = text[1:] if text.startswith("-") else text
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 10:
        return None
    number = int(text)
    if (lo is not None and number < lo) or (hi is not None and number > hi):
        return None
    return number
