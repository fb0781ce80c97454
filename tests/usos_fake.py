"""A USOS API installation in miniature for the sync's quick tests: canned answers of the
services/* methods a sync reads, served over real HTTP on a free port. Each call must carry an
OAuth 1.0a Authorization header from the consumer; `data` is the installation's state to edit."""
import copy
import threading

from flask import Flask, abort, jsonify, request
from werkzeug.serving import make_server

UNIVERSITY = {
    "terms": [{"id": "2026Z", "name": {"pl": "Zima", "en": "Winter"}, "start_date": "2026-10-01",
               "end_date": "2026-10-20", "finish_date": "2026-10-31", "order_key": 1, "is_active": True}],
    "classtypes": {"WYK": {"id": "WYK", "name": {"pl": "Wykład", "en": "Lecture"}},
                   "KON": {"id": "KON", "name": {"pl": "Konwersatorium", "en": "Discussion class"}}},
    "faculties": {"U": {"id": "U", "name": {"pl": "Uczelnia", "en": "University"}, "parent_id": None},
                  "U-H": {"id": "U-H", "name": {"pl": "Wydział Historii", "en": "Faculty of History"}, "parent_id": "U"}},
    "courses": {"H-1": {"id": "H-1", "name": {"pl": "Historia", "en": "History"}, "fac_id": "U-H", "lang_id": "pl",
                        "ects_credits_simplified": 4.5, "terms": [{"id": "2026Z"}]}},
    "editions": {("H-1", "2026Z"): {"coordinators": [{"id": "7"}], "course_units_ids": ["501"]}},
    "units": {"501": {"id": "501", "classtype_id": "KON", "class_groups": [
        {"number": 1, "lecturers": [{"id": "7"}], "participants": [{"id": "8"}, {"id": "9"}]},
        {"number": 2, "lecturers": [{"id": "7"}], "participants": []}]}},
    "users": {
        "7": {"id": "7", "first_name": "Jan", "last_name": "Nowak", "email": "jan@u.example", "student_number": None,
              "titles": {"before": "dr", "after": None}, "student_status": 0, "staff_status": 2, "student_programmes": []},
        "8": {"id": "8", "first_name": "Ewa", "last_name": "Lis", "email": None, "student_number": "1008",
              "titles": {"before": None, "after": None}, "student_status": 2, "staff_status": 0,
              "student_programmes": [{"programme": {"id": "H-S1"}, "status": "active", "admission_date": "2025-10-01",
                                      "is_primary": True}]},
        "9": {"id": "9", "first_name": "Olek", "last_name": "Kot", "email": "olek@u.example", "student_number": "1009",
              "titles": {"before": None, "after": None}, "student_status": 2, "staff_status": 0,
              "student_programmes": []}},
    "programmes": {"H-S1": {"id": "H-S1", "name": {"pl": "Historia", "en": "History"}, "faculty": {"id": "U-H"},
                            "level": "first_cycle", "level_of_studies": None, "mode_of_studies": {"pl": "stacjonarne", "en": "full-time"},
                            "duration": None, "professional_status": None}},
    "timetable": {"7": [{"start_time": "2026-10-05 10:15:00", "end_time": "2026-10-05 11:45:00", "unit_id": "501",
                         "group_number": 1, "building_id": "BH", "building_name": {"pl": "Gmach", "en": "Hall"},
                         "room_number": "101", "room_id": "31"},
                        {"start_time": "2026-10-12 10:15:00", "end_time": "2026-10-12 11:45:00", "unit_id": "501",
                         "group_number": 1, "building_id": "BH", "building_name": {"pl": "Gmach", "en": "Hall"},
                         "room_number": "101", "room_id": "31"}]},
    "rooms": {"31": {"id": "31", "capacity": 40}},
}


class FakeUsos:
    def __init__(self):
        self.data = copy.deepcopy(UNIVERSITY)
        self.calls = []
        app = Flask("usos")
        app.add_url_rule("/services/<path:method>", view_func=self._answer, methods=["GET", "POST"])
        self.httpd = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def _answer(self, method):
        auth = request.headers.get("Authorization", "")
        if 'oauth_consumer_key="sync-key"' not in auth or "oauth_signature=" not in auth:
            return jsonify(error="invalid_consumer", message="Invalid consumer key."), 401
        p, d = request.values, self.data
        self.calls.append(method)
        ids = lambda name: p[name].split("|")  # noqa: E731
        if method == "terms/terms_index":
            return jsonify(d["terms"])
        if method == "courses/classtypes_index":
            return jsonify(d["classtypes"])
        if method == "courses/search":
            return jsonify(items=[{"course_id": c, "match": c} for c in sorted(d["courses"])], next_page=False)
        if method == "courses/courses":
            return jsonify({c: d["courses"].get(c) for c in ids("course_ids")})
        if method == "courses/course_edition":
            return jsonify(d["editions"][(p["course_id"], p["term_id"])])
        if method == "courses/unit":
            return jsonify(d["units"][p["unit_id"]])
        if method == "users/users":
            return jsonify({u: d["users"].get(u) for u in ids("user_ids")})
        if method == "progs/programmes":
            return jsonify({x: d["programmes"].get(x) for x in ids("programme_ids")})
        if method == "fac/faculties":
            return jsonify({f: d["faculties"].get(f) for f in ids("fac_ids")})
        if method == "tt/staff":
            start = p["start"]
            return jsonify([a for a in d["timetable"].get(p["user_id"], []) if start <= a["start_time"][:10] < _plus7(start)])
        if method == "geo/room":
            return jsonify(d["rooms"][p["room_id"]])
        abort(404)

    def stop(self):
        self.httpd.shutdown()
        self.thread.join(10)


def _plus7(day):
    from datetime import date, timedelta
    return (date.fromisoformat(day) + timedelta(days=7)).isoformat()
