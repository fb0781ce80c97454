"""Academic terms: winter (Z) from October to February, summer (L) from February to September."""
from datetime import date

from ..langdict import ld


def term_bounds(year, kind):
    """Dates of the winter term starting in `year`, or the summer term of the year `year`/`year+1`."""
    if kind == "Z":
        return date(year, 10, 1), date(year + 1, 2, 15), date(year + 1, 2, 28)
    return date(year + 1, 2, 16), date(year + 1, 6, 30), date(year + 1, 9, 30)


def term_id(year, kind):
    return f"{year}{kind}"


def term_name(year, kind):
    if kind == "Z":
        return ld(f"Semestr zimowy {year}/{str(year + 1)[-2:]}", f"Winter term {year}/{str(year + 1)[-2:]}")
    return ld(f"Semestr letni {year}/{str(year + 1)[-2:]}", f"Summer term {year}/{str(year + 1)[-2:]}")


def current_and_previous(today):
    """(year, kind) of the term `today` falls in, and of the one before it."""
    year = today.year if today.month >= 10 else today.year - 1
    start_l = term_bounds(year, "L")[0]
    if today >= start_l:
        return (year, "L"), (year, "Z")
    return (year, "Z"), (year - 1, "L")


def order_key(year, kind):
    return year * 2 + (1 if kind == "L" else 0)
