"""Every reference resolves, derived from the registry: each method answers its default selector,
each field that references another method nests (`field[<default of the target>]`, bare
`field`, and through every reference on the way: `a[b[c[...]]]`), and a wrong subfield at any
depth is a 4xx field error naming the right method, never a 500.

Everything runs through the dispatcher on the demo university, as two callers: lecturer1
through an administrative consumer (`as_user_id`) and student1 with an access token. A new
method or reference is picked up from the registry by itself; a method whose required
parameters `PARAMS` cannot fill, or a reference no method leads to, fails the test until
it is covered here.
"""
from collections import deque
from datetime import date, timedelta

import pytest

from portal.api.registry import METHODS, RESOURCES
from portal.api.selectors import parse

from .api_client import ApiClient
from .usos_live import demo, demo_app  # noqa: F401  (fixtures)

FIELD_ERRORS = {"field_not_found", "field_invalid"}


def params_for(m, d):
    """Values of `m`'s required parameters on the demo data, or None when some has no value here."""
    today = date.today()
    autumn = today.year if today.month >= 10 else today.year - 1  # the academic year's first
    common = {
        "user_id": d.student1, "user_ids": f"{d.student1}|{d.lecturer1}", "student_id": d.student1,
        "term_id": d.term, "term_ids": f"{d.term}|{d.previous_term}", "course_id": "INF-ALG",
        "course_unit_id": d.unit_alg_cw, "unit_id": d.unit_alg_cw, "group_number": d.group_alg_cw,
        "fac_id": "WMI", "faculty_id": "WMI", "room_id": d.room, "grade_type_id": "PL",
        "grade_type_ids": "PL|ZAL", "order_key": d.grade_order_key, "examrep_type_id": "E",
        "examrep_id": d.report_alg, "examrep_session_number": 1, "exam_id": d.report_alg,
        "exam_session_number": 1, "number": 1, "type": "read", "name": "services/users/user",
        "lecturer_id": d.lecturer1, "list_id": d.attendance_list, "list_ids": d.attendance_list,
        "meeting_id": d.meeting, "meeting_ids": d.meeting, "meeting_date_id": d.meeting_date,
        "meeting_date_ids": d.meeting_date, "participant_id": d.participant, "participant_ids": d.participant,
        "note_type": "public", "start_date": today.isoformat(),
        "end_date": (today + timedelta(days=25)).isoformat(), "status": "active",
        "course_ids": "INF-ALG|MAT-AM1", "fac_ids": "WMI|WF", "group_ids": f"{d.unit_alg_cw},{d.group_alg_cw}",
        "programme_id": d.programme, "programme_ids": d.programme, "student_programme_id": d.student_programme,
        "student_programme_ids": d.student_programme, "position_id": d.position,
    }
    by_module = {"services/exams": {"exam_id": d.exam_alg, "group_number": 1, "slot_number": 1,
                                    "id": d.exam_alg, "ids": f"{d.exam_alg}|{d.exam_am}"}}
    by_method = {
        "services/exams/examination_session": {"id": d.session_winter},
        "services/exams/examination_sessions": {"ids": f"{d.session_winter}|{d.session_prep}"},
        "services/exams/condition": {"exam_id": d.exam_am, "examrep_id": d.condition_report},
        "services/examrep/exam": {"id": d.condition_report},  # a course unit's report
        "services/meetings/note": {"id": d.note},
        "services/meetings/substantiation": {"id": d.substantiation},
        "services/meetings/get_note": {"user_id": d.note_user},
        "services/users/employment_group": {"id": d.employment_group},
        "services/fac/search": {"query": "Wydział"},
        "services/progs/search": {"query": d.programme},
        "services/users/search2": {"query": "Nowak"},
        # the December of the demo's academic year: the Physics faculty's own day off is in it
        "services/calendar/search": {"faculty_id": "WF", "start_date": f"{autumn}-12-01", "end_date": f"{autumn}-12-31"},
    }
    values = {**common, **by_module.get(m.module, {}), **by_method.get(m.path, {})}
    out = {}
    for p in m.params:
        if p.required and p.name != "fields":
            if p.name not in values:
                return None
            out[p.name] = values[p.name]
    return out


def readable_methods():
    """Methods that return objects with selectable fields and change nothing."""
    return sorted((m for m in METHODS.values() if m.resource is not None and m.has_fields and not m.writes),
                  key=lambda m: m.path)


def default_of(path, only_primary=False):
    """What a bare reference to `path` selects: its method's default (primary ones where only
    primary are allowed); for an object inline in another method's answer, its own default or
    all its primary fields."""
    res = RESOURCES[path]
    if res.owner:
        default = res.default if res.default and not only_primary else None
        return list(parse(default)) if default else [n for n, f in res.fields.items() if f.primary]
    names = list(parse(METHODS[path].default_fields or ""))
    if only_primary:
        names = [n for n in names if res.fields[n].primary]
    return names


def reference_paths(entries):
    """{(resource, field): [(entry method, [fields on the way]), ...]}: from each method we can
    call, a shortest way to every referencing field it leads to (shortest first), respecting
    "only primary" at every depth."""
    found = {}
    for m in entries:
        queue, seen = deque([(m.resource.method, m.only_primary, [])]), set()
        while queue:
            res_path, only_primary, way = queue.popleft()
            if (res_path, only_primary) in seen or len(way) > 8:
                continue
            seen.add((res_path, only_primary))
            for name, f in RESOURCES[res_path].fields.items():
                if f.ref is None or (only_primary and f.secondary):
                    continue
                ways = found.setdefault((res_path, name), [])
                if all(entry is not m for entry, _ in ways):
                    ways.append((m, way + [name]))
                queue.append((f.ref, f.only_primary, way + [name]))
    return {key: sorted(ways, key=lambda w: (len(w[1]), w[0].path)) for key, ways in found.items()}


def selector(way, leaf):
    """`a[b[c[leaf]]]` for way [a, b, c] (no brackets at the end when leaf is None)."""
    text = way[-1] + ("" if leaf is None else f"[{leaf}]")
    for name in reversed(way[:-1]):
        text = f"{name}[{text}]"
    return text


def objects(value, keys):
    """Every dict inside `value` (itself included) whose keys are exactly `keys`."""
    if isinstance(value, dict):
        if set(value) == keys:
            return [value]
        return [o for v in value.values() for o in objects(v, keys)]
    if isinstance(value, list):
        return [o for v in value for o in objects(v, keys)]
    return []


def shaped(value, keys):
    """None, one object with exactly `keys`, or lists / id-keyed dicts of such objects (nested,
    e.g. {term: [objects]}), where a null may stand for an object."""
    if value is None or (isinstance(value, dict) and set(value) == keys):
        return True
    items = value if isinstance(value, list) else value.values() if isinstance(value, dict) else None
    return items is not None and all(shaped(v, keys) for v in items)


@pytest.fixture(scope="module")
def callers(demo_app, demo):  # noqa: F811
    api = ApiClient(demo_app)
    return {
        "lecturer1 (administrative consumer)": lambda path, **p: api.call(path, admin=True,
                                                                          as_user_id=demo.lecturer1, **p),
        "student1": lambda path, **p: api.call(path, user=demo.student1, **p),
    }


@pytest.fixture(scope="module")
def rejection(demo_app, demo, callers):  # noqa: F811
    """The demo has no rejected sign-up: lecturer1 rejects one, with a reason, through the API."""
    from portal.meetings.models import Substantiation
    with demo_app.app_context():
        from portal.extensions import db
        reason = db.session.scalar(db.select(Substantiation.id).filter_by(faculty_id="WMI", type="rejection"))
    r = callers["lecturer1 (administrative consumer)"]("services/meetings/reject_participant",
                                                       participant_id=demo.participant, substantiation_id=reason)
    assert r.status_code == 200, r.get_json()


@pytest.fixture(scope="module")
def entries(demo):  # noqa: F811
    return [m for m in readable_methods() if params_for(m, demo) is not None]


def test_every_method_has_demo_parameters(demo):  # noqa: F811
    missing = [m.path for m in readable_methods() if params_for(m, demo) is None]
    assert missing == [], "add demo values for their required parameters to PARAMS: " + ", ".join(missing)


def test_every_method_answers_its_default_selector(demo, callers, entries):  # noqa: F811
    problems = []
    for m in entries:
        params = params_for(m, demo)
        if m.fields_required and not m.default_fields:
            params["fields"] = "|".join(n for n, f in m.resource.fields.items() if f.primary and f.ref is None)
        answers = {who: call(m.path, **params) for who, call in callers.items()}
        for who, r in answers.items():
            if r.status_code >= 500 or (r.status_code >= 400 and r.get_json().get("error") in FIELD_ERRORS):
                problems.append(f"{m.path} as {who}: {r.status_code} {r.get_data(as_text=True)[:300]}")
        if all(r.status_code != 200 for r in answers.values()):
            problems.append(f"{m.path}: no caller got 200: " + "; ".join(
                f"{who} {r.status_code} {r.get_data(as_text=True)[:200]}" for who, r in answers.items()))
    assert problems == []


def test_every_reference_resolves_nested_at_every_depth(demo, callers, entries, rejection):  # noqa: F811
    paths = reference_paths(entries)
    referencing = {(r.method, n) for r in RESOURCES.values() for n, f in r.fields.items() if f.ref}
    unreached = sorted(f"{r}.{n}" for r, n in referencing - set(paths))
    assert unreached == [], "no method we call leads to these references; add an entry to PARAMS"

    problems, filled = [], set()
    for (res_path, name), ways in sorted(paths.items()):
        # the ways in turn, until one holds an object to look into (each is checked as it goes)
        for m, way in ways:
            problems += _check_way(callers, demo, m, way, res_path, name, filled)
            if (res_path, name) in filled:
                break
    assert problems == []
    empty = sorted(f"{r}.{n}" for r, n in set(paths) - filled)
    assert empty == [], ("these references never held an object on the demo data, so their nesting is "
                         "untested: " + ", ".join(empty))


def _check_way(callers, demo, m, way, res_path, name, filled):  # noqa: F811
    """Ask `m` for way[...[name[<default>]]] and way[...[name]] as each caller; check the shapes."""
    f = RESOURCES[res_path].fields[name]
    leaf = default_of(f.ref, f.only_primary)
    problems = []
    for sub, keys in (("|".join(leaf), set(leaf)), (None, None if f.bare_id else set(leaf))):
        fields = selector(way, sub)
        for who, call in callers.items():
            r = call(m.path, fields=fields, **params_for(m, demo))
            where = f"{m.path} fields={fields} as {who}"
            body = r.get_json()
            if r.status_code != 200:
                if r.status_code >= 500 or body.get("error") in FIELD_ERRORS | {"param_invalid"}:
                    problems.append(f"{where}: {r.status_code} {body}")
                continue
            for parent in _walk(body, way):
                value = parent[name]
                if keys is None:
                    ok = value is None or isinstance(value, (str, list))
                else:
                    ok = shaped(value, keys)
                    if objects(value, keys):
                        filled.add((res_path, name))
                if not ok:
                    problems.append(f"{where}: {name} is {str(value)[:200]}")
                    break
    return problems


def _walk(body, way):
    """The objects holding the last field of `way`, found level by level."""
    level = objects(body, {way[0]})
    for name in way[1:]:
        level = [o for parent in level for o in objects(parent[list(parent)[0]], {name})]
    return level


def test_field_errors_at_any_depth_name_the_right_method(demo, callers, entries):  # noqa: F811
    """Unknown subfield, brackets on a plain field, a secondary field where only primary ones are
    allowed: at the depth of each reference, a 400 naming the field and the referenced method."""
    call = callers["lecturer1 (administrative consumer)"]
    problems = []
    for (res_path, name), ways in sorted(reference_paths(entries).items()):
        m, way = ways[0]
        f = RESOURCES[res_path].fields[name]
        target = RESOURCES[f.ref]
        probes = [("field_not_found", "no_such_field")]
        plain = next((n for n, g in target.fields.items() if g.ref is None and g.forbidden is None
                      and (g.primary or not f.only_primary)), None)
        if plain:
            probes.append(("field_invalid", f"{plain}[id]"))
        secondary = next((n for n, g in target.fields.items() if g.secondary), None)
        if f.only_primary and secondary:
            probes.append(("field_invalid", secondary))
        for error, sub in probes:
            fields = selector(way, sub)
            r = call(m.path, fields=fields, **params_for(m, demo))
            body = r.get_json()
            # an object inline in another method's answer is that method's to name
            expected = {"error": error, "field_name": sub.split("[")[0], "method_name": target.owner or f.ref}
            if r.status_code != 400 or {k: body.get(k) for k in expected} != expected:
                problems.append(f"{m.path} fields={fields}: {r.status_code} {body}")
    assert problems == []


def test_methods_that_take_only_primary_fields_refuse_a_secondary_one(demo, callers, entries):  # noqa: F811
    call = callers["lecturer1 (administrative consumer)"]
    problems, checked = [], 0
    for m in entries:
        secondary = next((n for n, f in m.resource.fields.items() if f.secondary), None)
        if not m.only_primary or secondary is None:
            continue
        checked += 1
        r = call(m.path, fields=secondary, **params_for(m, demo))
        body = r.get_json()
        if r.status_code != 400 or (body.get("error"), body.get("field_name"), body.get("method_name")) != (
                "field_invalid", secondary, m.path):
            problems.append(f"{m.path} fields={secondary}: {r.status_code} {body}")
    assert problems == [] and checked >= 5
