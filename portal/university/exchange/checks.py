"""Checks that span records and the database: duplicates, references, unique logins, cycles.

They run on the whole dataset before anything is written, and report every problem.
"""
from .files import Problem
from .state import final_login


def check_dataset(dataset, state):
    problems = []
    _duplicates(dataset, problems)
    known = _known_keys(dataset, state)

    def refer(row, field, kind, key, what):
        # A reference into a kind whose file had broken rows may name one of them: said already.
        if key is not None and key not in known[kind] and not dataset.is_broken(kind, key):
            problems.append(Problem(row.file, row.line, field, f"{what} {_show(key)} is neither in the files nor in the database"))

    for row in dataset.rows.get("faculties", []):
        refer(row, "parent", "faculties", row.record.parent, "faculty")
    for row in dataset.rows.get("rooms", []):
        refer(row, "building", "buildings", row.record.building, "building")
    for row in dataset.rows.get("people", []):
        refer(row, "faculty", "faculties", row.record.faculty, "faculty")
    for row in dataset.rows.get("programmes", []):
        refer(row, "faculty", "faculties", row.record.faculty, "faculty")
    for row in dataset.rows.get("student_programmes", []):
        refer(row, "person", "people", row.record.person, "person")
        refer(row, "programme", "programmes", row.record.programme, "programme")
    for row in dataset.rows.get("courses", []):
        refer(row, "faculty", "faculties", row.record.faculty, "faculty")
    for row in dataset.rows.get("editions", []):
        refer(row, "course", "courses", row.record.course, "course")
        refer(row, "term", "terms", row.record.term, "term")
        for i, person in enumerate(row.record.coordinators):
            refer(row, f"coordinators[{i}]", "people", person, "person")
    for row in dataset.rows.get("groups", []):
        r = row.record
        refer(row, "course", "editions", (r.course, r.term), "course edition")
        refer(row, "class_type", "class_types", r.class_type, "class type")
        if (r.course, r.term, r.class_type) in state.ambiguous_units:
            problems.append(Problem(row.file, row.line, "class_type", "the database has two units of this course edition and class type"))
        for field in ("lecturers", "participants"):
            for i, person in enumerate(getattr(r, field)):
                refer(row, f"{field}[{i}]", "people", person, "person")
    for row in dataset.rows.get("timetable", []):
        refer(row, "group", "groups", row.record.group_key(), "class group")
        refer(row, "room", "rooms", row.record.room_key(), "room")
    _people(dataset, state, problems)
    _faculty_cycles(dataset, state, problems)
    return problems


def _at(row):
    return f"on line {row.line}" if row.line else f"by {row.file}"


def _show(key):
    return "/".join(str(k) for k in key) if isinstance(key, tuple) else repr(key)


def _duplicates(dataset, problems):
    for kind, rows in dataset.rows.items():
        seen = {}
        for row in rows:
            key = row.record.key()
            if key in seen:
                problems.append(Problem(row.file, row.line, None, f"{_show(key)} is given twice (also {_at(seen[key])})"))
            else:
                seen[key] = row


def _known_keys(dataset, state):
    def keys(kind, stored):
        return set(stored) | {r.key() for r in dataset.records(kind)}
    known = {
        "faculties": keys("faculties", state.faculties),
        "terms": keys("terms", state.terms),
        "class_types": keys("class_types", state.class_types),
        "buildings": keys("buildings", state.buildings),
        "rooms": keys("rooms", state.rooms),
        "people": keys("people", state.people.by_key),
        "programmes": keys("programmes", state.programmes),
        "courses": keys("courses", state.courses),
        "editions": keys("editions", state.editions),
        "groups": keys("groups", state.groups),
    }
    return known


def _people(dataset, state, problems):
    """Each login and student number belongs to one person once the import is applied."""
    rows = dataset.rows.get("people", [])
    targets = {}
    for row in rows:
        stored = state.people.match(row.record)
        if stored is not None and stored.id in targets:
            first = targets[stored.id]
            problems.append(Problem(row.file, row.line, "id", f"describes the same stored person ({stored.login}) as the row {_at(first)}"))
        elif stored is not None:
            targets[stored.id] = row
    for field, stored_by, value_of in (
            ("login", state.people.by_login, lambda r: final_login(r, state.people.match(r))),
            ("student_number", state.people.by_number, lambda r: r.student_number)):
        claimed = {}
        for row in rows:
            value = value_of(row.record)
            if value is None:
                continue
            if value in claimed:
                problems.append(Problem(row.file, row.line, field, f"{value!r} is also given {_at(claimed[value])}"))
                continue
            claimed[value] = row
            holder = stored_by.get(value)
            target = state.people.match(row.record)
            if holder is not None and holder is not target and (holder.id not in targets or value_of(targets[holder.id].record) == value):
                problems.append(Problem(row.file, row.line, field, f"{value!r} belongs to another person ({_person_label(holder)})"))


def _person_label(user):
    return f"id {user.external_id}" if user.external_id else f"login {user.login}"


def _faculty_cycles(dataset, state, problems):
    parents = {fid: f.parent_id for fid, f in state.faculties.items()}
    rows = dataset.rows.get("faculties", [])
    for row in rows:
        if "parent" in row.record.model_fields_set or row.record.id not in parents:
            parents[row.record.id] = row.record.parent
    for row in rows:
        seen, node = set(), row.record.id
        while node is not None and node not in seen:
            seen.add(node)
            node = parents.get(node)
        if node == row.record.id:
            problems.append(Problem(row.file, row.line, "parent", "faculties would be their own parents (a cycle)"))
