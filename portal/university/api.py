"""services/courses/search: the course listing a USOS sync reads (as USOS installations serve it).

Like USOS's own, it pages through the courses of a faculty (with its sub-units when fac_deep)
and, when `name` is given, only those whose name or ID holds every word of it.
"""
from ..api.errors import object_not_found, param_invalid
from ..api.registry import P, method
from ..extensions import db
from ..langdict import pick
from .models import Course, Faculty

MOST = 100


def _faculty_ids(root, deep):
    if not deep:
        return {root}
    children = {}
    for fid, parent in db.session.execute(db.select(Faculty.id, Faculty.parent_id)):
        children.setdefault(parent, []).append(fid)
    found, todo = set(), [root]
    while todo:
        fid = todo.pop()
        if fid not in found:
            found.add(fid)
            todo += children.get(fid, [])
    return found


@method("services/courses/search", result="raw", consumer="ignored", token="ignored",
        params=[P("name", default="", description="Words of the course's name or ID; every word must match. "
                                                  "Empty: every course (of the faculty, when given)."),
                P("fac_id", type="id", description="Only courses run by this faculty."),
                P("fac_deep", type="bool", default="false", description="With fac_id: its sub-units' courses too."),
                P("lang", type="choice", choices=("pl", "en"), default="pl", description="Language of `match`."),
                P("start", type="int", default="0", description="How many results to skip."),
                P("num", type="int", default="20", description=f"How many results to return, 1 to {MOST}.")],
        errors=("object_not_found", "param_invalid"), brief="Search for courses.",
        returns="A dictionary: items (course_id and match, the course's name, by ID) and next_page.")
def search_courses(call):
    p = call.params
    if not 1 <= p["num"] <= MOST:
        raise param_invalid("num", f"between 1 and {MOST}")
    if p["start"] < 0:
        raise param_invalid("start", "zero or more")
    query = db.select(Course).order_by(Course.id)
    if p["fac_id"] is not None:
        if db.session.get(Faculty, p["fac_id"]) is None:
            raise object_not_found("fac_id", call.method.path, "Faculty not found.")
        query = query.where(Course.fac_id.in_(_faculty_ids(p["fac_id"], p["fac_deep"])))
    words = [w.lower() for w in p["name"].split()]
    found = [c for c in db.session.scalars(query)
             if all(w in f"{pick(c.name, p['lang'])} {c.id}".lower() for w in words)]
    chunk = found[p["start"]:p["start"] + p["num"]]
    return {"items": [{"course_id": c.id, "match": pick(c.name, p["lang"])} for c in chunk],
            "next_page": p["start"] + p["num"] < len(found)}
