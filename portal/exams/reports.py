"""Exam reports as exam pages name them: labels and pickers (the grades package is read lazily)."""
from ..langdict import ld


def _queries():
    from ..grades import queries  # lazily: the packages stay independent
    return queries


def label(report):
    """A LangDict naming a report as staff recognise it: "INF-ALG 2026Z · Zaliczenie (Ćwiczenia)"."""
    def one(lang):
        text = f"{report.edition.course_id} {report.edition.term_id} · {report.description.get(lang) or report.description.get('pl')}"
        if report.unit is not None:
            kind = report.unit.classtype.name
            text += f" ({kind.get(lang) or kind.get('pl')})"
        return text
    return ld(one("pl"), one("en"))


def labels(report_ids):
    """{id: LangDict} for these report ids; an id without a report keeps its number."""
    found = _queries().reports_by_id(report_ids)
    return {i: label(found[i]) if i in found else ld(f"protokół {i}", f"exam report {i}") for i in report_ids}


def condition_choices(course_ids):
    """(report id, LangDict) of the reports of these courses, newest term first."""
    return [(r.id, label(r)) for r in _queries().reports_of_courses(course_ids)]


def session_choices(course_ids):
    """("report id:session number", LangDict) for linking an exam to one sitting of a report."""
    out = []
    for r in _queries().reports_of_courses(course_ids):
        name = label(r)
        for s in r.sessions:
            out.append((f"{r.id}:{s.number}", ld(f"{name['pl']} · {s.description.get('pl')}",
                                                  f"{name['en']} · {s.description.get('en') or s.description.get('pl')}")))
    return out
