"""LangDict: user-visible names in Polish and English, stored as one JSON column."""
from flask_babel import get_locale
from sqlalchemy import JSON


LangDictType = JSON


def ld(pl, en=None):
    """Build a LangDict; English falls back to the Polish text."""
    return {"pl": pl, "en": en if en is not None else pl}


def pick(value, lang=None):
    """The text of a LangDict in the interface language, falling back to the other one."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if lang is None:
        try:
            lang = str(get_locale() or "pl")
        except (RuntimeError, AttributeError):
            lang = "pl"
    other = "en" if lang == "pl" else "pl"
    return value.get(lang) or value.get(other) or ""
