"""What the USOS module declarations share: per-call memos, paging, search, URLs."""
from flask import request, url_for

from ..api.errors import param_invalid
from ..api.registry import P
from ..extensions import db

LANG = P("lang", type="choice", choices=("pl", "en"), default="pl",
         description="Language of sorting and matching: pl or en.")


def memo(call, key, compute):
    """A value computed once per call, shared by every object the call projects (no N+1)."""
    cache = call.__dict__.setdefault("_memo", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def absolute(endpoint, **values):
    return request.url_root.rstrip("/") + url_for(endpoint, **values)


def paging(call, most=20):
    """(start, num) of a search, checked: num 1..most, start from 0."""
    num, start = call.params["num"], call.params["start"]
    if not 1 <= num <= most:
        raise param_invalid("num", f"between 1 and {most}")
    if not 0 <= start <= 10_000:
        raise param_invalid("start", "between 0 and 10000")
    return start, num


PAGING = [P("num", type="int", default="6", description="How many items to return (1 to 20)."),
          P("start", type="int", default="0", description="How many items to skip (for paging).")]
NAME_QUERY = [P("query", required=True, description="Words of the name (or ID); every word must match."), LANG,
              *PAGING]


class Answer:
    """A method's answer made of parts (items and next_page, groups and terms): an object, since
    a dictionary would be projected as objects keyed by their IDs."""

    def __init__(self, **parts):
        self.__dict__.update(parts)


def page(rows, start, num):
    """An Answer with `items` (this page of an already sorted list) and `next_page`."""
    return Answer(items=rows[start:start + num], next_page=len(rows) > start + num)


def search_named(call, rows):
    """The page of `rows` (objects with an id and a LangDict name) whose name in `lang`, or id,
    holds every word of `query`, by that name: (an Answer of (row, name) items, the words)."""
    from ..langdict import pick
    words, lang = query_words(call), call.params["lang"]
    start, num = paging(call)
    found = [(r, pick(r.name, lang)) for r in rows if matches(pick(r.name, lang) + " " + r.id, words)]
    found.sort(key=lambda f: (f[1].lower(), f[0].id))
    return page(found, start, num), words


def matches(text, words):
    """Every word of the query occurs in the text (case-insensitive)."""
    text = (text or "").lower()
    return all(w in text for w in words)


def query_words(call, name="query", required=True):
    raw = (call.params.get(name) or "").strip()
    if required and not raw:
        raise param_invalid(name, "type at least one character")
    if len(raw) > 100:
        raise param_invalid(name, "at most 100 characters")
    return raw.lower().split()


def highlight(text, words):
    """The matched text with each query word in <b>…</b>, HTML-escaped (what `match` holds)."""
    from markupsafe import escape
    out, folded, i = [], text.lower(), 0
    spans = sorted({(folded.find(w), len(w)) for w in words if w and folded.find(w) >= 0})
    for pos, length in spans:
        if pos < i:
            continue
        out.append(str(escape(text[i:pos])))
        out.append("<b>" + str(escape(text[pos:pos + length])) + "</b>")
        i = pos + length
    out.append(str(escape(text[i:])))
    return "".join(out)


def project_default(call, resource_path, value):
    """`value` projected through a resource's default fields (parts of an answer the method's
    own `fields` do not select, e.g. the terms of services/groups/user)."""
    from ..api import selectors
    tree = selectors.compile_selector(resource_path, selectors.default_selector(resource_path), call=call)
    return selectors.project_many(resource_path, value, tree, call)


def conducted_course_ids(call):
    """IDs of the courses with an edition in an active term (one query per call)."""
    from ..university.models import CourseEdition, Term
    return memo(call, "conducted", lambda: set(db.session.scalars(
        db.select(CourseEdition.course_id).join(Term).where(Term.is_active))))
