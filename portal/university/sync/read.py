"""Read a USOS API installation's structure into the exchange format's records.

What is read, and from where (the installation's own services/* methods):
terms (terms/terms_index), class types (courses/classtypes_index), courses (courses/search,
courses/courses), editions (courses/course_edition), units and class groups with lecturers and
participants (courses/unit), people and their study programmes (users/users, progs/programmes),
faculties and their parents (fac/faculties),
the timetable of the groups (tt/staff, week by week for every lecturer) and its rooms (geo/room).
Everything is keyed on the installation's own identifiers: a second sync finds the same rows.
"""
from datetime import date, datetime, timedelta
from decimal import Decimal

USER_FIELDS = ("id|first_name|last_name|email|student_number|titles|student_status|staff_status|"
               "student_programmes[programme[id]|status|admission_date|is_primary]")
PROGRAMME_FIELDS = "id|name|faculty[id]|level|level_of_studies|mode_of_studies|duration|professional_status"
ACTIVITY_FIELDS = "start_time|end_time|unit_id|group_number|building_id|building_name|room_number|room_id"


def _names(langdict):
    langdict = langdict or {}
    return {"pl": langdict.get("pl") or None, "en": langdict.get("en") or None}


def _when(text):
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").isoformat()


class Reader:
    def __init__(self, client, echo=lambda text: None):
        self.client, self.echo = client, echo
        self.items = {}  # kind -> [(where, line, data)]

    def add(self, kind, where, data):
        self.items.setdefault(kind, []).append((where, None, data))

    def read(self, term_ids=(), all_terms=False, faculty=None):
        terms = self._terms(term_ids, all_terms)
        for type_id, classtype in sorted(self.client.call("courses/classtypes_index").items()):
            self.add("class_types", "services/courses/classtypes_index",
                     {"id": type_id, "name": _names(classtype.get("name"))})
        course_ids = [i["course_id"] for i in self.client.pages(
            "courses/search", fac_id=faculty, fac_deep="true" if faculty else None)]
        self.echo(f"{len(course_ids)} courses, {len(terms)} terms")
        courses = self.client.many("courses/courses", "course_ids", course_ids,
                                   fields="id|name|fac_id|lang_id|ects_credits_simplified|terms[id]")
        units, people = self._courses(courses, terms)
        programme_ids = self._people(people)
        programme_faculties = self._programmes(programme_ids)
        self._timetable(units, people, terms)
        self._faculties({c["fac_id"] for c in courses.values()} | programme_faculties)
        return self.items

    def _terms(self, term_ids, all_terms):
        chosen = {}
        for term in self.client.call("terms/terms_index"):
            if all_terms or term["id"] in term_ids or (not term_ids and term["is_active"]):
                chosen[term["id"]] = term
                self.add("terms", "services/terms/terms_index", {
                    "id": term["id"], "name": _names(term["name"]), "start_date": term["start_date"],
                    "end_date": term["end_date"], "finish_date": term.get("finish_date"),
                    "order_key": term.get("order_key"), "is_active": term["is_active"]})
        return chosen

    def _courses(self, courses, terms):
        """Courses, their editions in the chosen terms, units and groups; -> (units, people)."""
        units, people = {}, {"lecturers": set(), "participants": set(), "all": set()}
        wanted = []
        for course_id, course in sorted(courses.items()):
            ects = course.get("ects_credits_simplified")
            self.add("courses", f"services/courses/courses {course_id}", {
                "id": course_id, "name": _names(course["name"]), "faculty": course["fac_id"],
                "lang": course.get("lang_id"), "ects": None if ects is None else Decimal(str(ects))})
            wanted += [(course_id, t["id"]) for t in sorted(course.get("terms") or [], key=lambda t: t["id"])
                       if t["id"] in terms]
        editions = self.client.map(lambda ct: self.client.call(
            "courses/course_edition", course_id=ct[0], term_id=ct[1], fields="coordinators[id]|course_units_ids"), wanted)
        unit_of = {}
        for (course_id, term_id), edition in zip(wanted, editions):
            coordinators = [u["id"] for u in edition.get("coordinators") or []]
            people["lecturers"].update(coordinators)
            self.add("editions", f"services/courses/course_edition {course_id}/{term_id}",
                     {"course": course_id, "term": term_id, "coordinators": coordinators})
            unit_of.update({str(u): (course_id, term_id) for u in edition.get("course_units_ids") or []})
        unit_ids = list(unit_of)
        answers = self.client.map(lambda unit_id: self.client.call(
            "courses/unit", unit_id=unit_id, fields="id|classtype_id|class_groups[number|lecturers[id]|participants[id]]"),
            unit_ids)
        for unit_id, unit in zip(unit_ids, answers):
            course_id, term_id = unit_of[unit_id]
            units[unit_id] = (course_id, term_id, unit["classtype_id"])
            for group in unit.get("class_groups") or []:
                lecturers = [u["id"] for u in group.get("lecturers") or []]
                participants = [u["id"] for u in group.get("participants") or []]
                people["lecturers"].update(lecturers)
                people["participants"].update(participants)
                self.add("groups", f"services/courses/unit {unit_id}", {
                    "course": course_id, "term": term_id, "class_type": unit["classtype_id"],
                    "number": group["number"], "lecturers": lecturers, "participants": participants})
        people["all"] = people["lecturers"] | people["participants"]
        return units, people

    def _people(self, people):
        users = self.client.many("users/users", "user_ids", people["all"], fields=USER_FIELDS)
        seen = set()
        for user_id, user in sorted(users.items(), key=lambda kv: int(kv[0]) if kv[0].isdigit() else kv[0]):
            titles = user.get("titles") or {}
            roles = []
            if user.get("student_status") == 2 or user_id in people["participants"]:
                roles.append("student")
            if user.get("staff_status") == 2 or user_id in people["lecturers"]:
                roles.append("lecturer")
            data = {"id": user_id, "first_name": user["first_name"], "last_name": user["last_name"],
                    "student_number": user.get("student_number"), "titles_before": titles.get("before"),
                    "titles_after": titles.get("after"), "roles": roles}
            if user.get("email"):  # hidden e-mail addresses are left as they are, not cleared
                data["email"] = user["email"]
            self.add("people", f"services/users/users {user_id}", data)
            for sp in user.get("student_programmes") or []:
                programme_id = (sp.get("programme") or {}).get("id")
                if programme_id and (user_id, programme_id) not in seen:  # one row per person and programme
                    seen.add((user_id, programme_id))
                    self.add("student_programmes", f"services/users/users {user_id}", {
                        "person": user_id, "programme": programme_id, "status": sp.get("status"),
                        "admission_date": sp.get("admission_date"), "is_primary": sp.get("is_primary")})
        return {programme for _user, programme in seen}

    def _programmes(self, programme_ids):
        """Programme records; -> the faculties running them."""
        faculties = set()
        for programme_id, p in sorted(self.client.many("progs/programmes", "programme_ids", programme_ids,
                                                       fields=PROGRAMME_FIELDS).items()):
            faculty = (p.get("faculty") or {}).get("id")
            faculties.add(faculty)
            self.add("programmes", f"services/progs/programmes {programme_id}", {
                "id": programme_id, "name": _names(p["name"]), "faculty": faculty, "level": p.get("level"),
                **{f: _names(p[f]) if p.get(f) else None
                   for f in ("level_of_studies", "mode_of_studies", "duration", "professional_status")}})
        return faculties - {None}

    def _timetable(self, units, people, terms):
        if not terms:
            return
        first = min(date.fromisoformat(t["start_date"]) for t in terms.values())
        last = max(date.fromisoformat(t["end_date"]) for t in terms.values())
        weeks, day = [], first
        while day <= last:
            weeks.append(day)
            day += timedelta(days=7)
        asked = [(lecturer, week) for lecturer in sorted(people["lecturers"]) for week in weeks]
        answers = self.client.map(lambda lw: self.client.call(
            "tt/staff", user_id=lw[0], start=lw[1].isoformat(), days="7", fields=ACTIVITY_FIELDS), asked)
        seen, rooms = set(), {}
        for (lecturer, week), activities in zip(asked, answers):
            for a in activities:
                unit = units.get(str(a.get("unit_id")))
                key = (unit, a.get("group_number"), a["start_time"])
                if unit is None or key in seen:
                    continue  # another unit (not synced), or met already through another lecturer
                seen.add(key)
                meeting = {"course": unit[0], "term": unit[1], "class_type": unit[2], "group": a["group_number"],
                           "start": _when(a["start_time"]), "end": _when(a["end_time"])}
                if a.get("building_id") and a.get("room_number"):
                    meeting.update(building=a["building_id"], room=a["room_number"])
                    rooms.setdefault((a["building_id"], a["room_number"]), (a.get("room_id"), a.get("building_name")))
                self.add("timetable", f"services/tt/staff {lecturer} {week}", meeting)
        buildings = {}
        for (building, number), (room_id, building_name) in sorted(rooms.items()):
            buildings.setdefault(building, building_name)
            room = self.client.call("geo/room", room_id=room_id, fields="capacity") if room_id else {}
            self.add("rooms", f"services/geo/room {room_id}", {"building": building, "number": number,
                                                                "capacity": room.get("capacity")})
        for building, name in sorted(buildings.items()):
            self.add("buildings", "services/tt/staff", {"id": building, "name": _names(name)})

    def _faculties(self, wanted):
        known = {}
        while wanted - set(known):
            found = self.client.many("fac/faculties", "fac_ids", wanted - set(known), fields="id|name|parent_id")
            for fid in wanted - set(known):
                known[fid] = found.get(fid)
            wanted |= {f["parent_id"] for f in found.values() if f.get("parent_id")}
        for fid, faculty in sorted(known.items()):
            if faculty is not None:
                self.add("faculties", f"services/fac/faculties {fid}", {
                    "id": fid, "name": _names(faculty["name"]), "parent": faculty.get("parent_id")})
