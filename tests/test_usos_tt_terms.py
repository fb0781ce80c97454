"""services/tt (timetables), services/terms and services/fac."""
from datetime import date, timedelta

import pytest
from usos_api.models import Term as UsosTerm

from portal import clock

from .factories import at
from .factories_people import people

MCP_FIELDS = ("type|start_time|end_time|name|url|course_id|course_name|classtype_name|building_name|room_number|"
              "room_id|lecturer_ids|group_number|frequency")


@pytest.fixture
def uni(make, app):
    u = people(make, app)
    u.lecture_meetings = [make.meeting(u.lecture, start=at(days=d, hour=8), room=u.room) for d in (0, 7, 14)]
    u.class_meetings = [make.meeting(u.classes, start=at(days=d, hour=12)) for d in (1, 8, 22)]
    return u


def ok(r):
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_student_timetable_window(api, uni):
    body = ok(api.call("services/tt/student", user=uni.student, start=clock.today().isoformat(), days=7,
                       fields=MCP_FIELDS))
    assert [a["start_time"] for a in body] == [at(0, 8).strftime("%Y-%m-%d %H:%M:%S"),
                                               at(1, 12).strftime("%Y-%m-%d %H:%M:%S")]
    lecture, classes = body
    assert lecture == {
        "type": "classgroup2", "start_time": lecture["start_time"],
        "end_time": at(0, 9, 30).strftime("%Y-%m-%d %H:%M:%S"),
        "name": {"pl": "Przedmiot C-1 - Wykład", "en": "Course C-1 - Lecture"}, "url": None, "course_id": "C-1",
        "course_name": {"pl": "Przedmiot C-1", "en": "Course C-1"},
        "classtype_name": {"pl": "Wykład", "en": "Lecture"},
        "building_name": {"pl": "Budynek T", "en": "Building T"}, "room_number": "101", "room_id": str(uni.room.id),
        "lecturer_ids": [str(uni.coordinator.id)], "group_number": 1, "frequency": "weekly"}
    assert classes["room_id"] is None and classes["building_name"] is None and classes["frequency"] == "irregular"
    assert ok(api.call("services/tt/student", user=uni.student)) == [
        {"start_time": a["start_time"], "end_time": a["end_time"], "name": a["name"]}
        for a in body]  # by default: from today, for 7 days
    later = ok(api.call("services/tt/student", user=uni.student, start=(clock.today() + timedelta(days=7)).isoformat(),
                        days=1, fields="cgwm_id|unit_id|classtype_id"))
    assert later == [{"cgwm_id": str(uni.lecture_meetings[1].id), "unit_id": str(uni.lecture_unit.id),
                      "classtype_id": "WYK"}]
    assert ok(api.call("services/tt/student", user=uni.outsider)) == []


def test_timetable_errors(api, uni):
    for bad in (dict(days=0), dict(days=8), dict(days="x"), dict(start="2026-13-01")):
        r = api.call("services/tt/student", user=uni.student, **bad)
        assert r.status_code == 400 and r.get_json()["error"] == "param_invalid", bad
    r = api.call("services/tt/student")
    assert r.status_code == 401 and r.get_json()["reason"] == "user_missing"
    r = api.call("services/tt/student", user=uni.student, fields="nope")
    assert r.status_code == 400 and r.get_json()["error"] == "field_not_found"
    r = api.call("services/tt/staff", user_id="999999")
    assert r.status_code == 400 and r.get_json()["error"] == "object_not_found"


def test_staff_and_user_timetables(api, uni, make):
    taught = ok(api.call("services/tt/staff", user_id=uni.coordinator.id, days=7, fields="course_id|start_time"))
    assert taught == [{"course_id": "C-1", "start_time": at(0, 8).strftime("%Y-%m-%d %H:%M:%S")}]
    assert ok(api.call("services/tt/staff", user_id=uni.student.id)) == []
    both = make.user("both", student=True, lecturer=True)
    make.meeting(make.group(uni.classes_unit, 2, lecturers=[both]), start=at(days=2, hour=14))
    make.meeting(make.group(uni.lecture_unit, 2, participants=[both]), start=at(days=3, hour=16))
    mine = ok(api.call("services/tt/user", user=both, fields="group_number|start_time"))
    assert [a["start_time"][11:16] for a in mine] == ["14:00", "16:00"]
    assert [a["start_time"][11:16] for a in ok(api.call("services/tt/student", user=both))] == ["16:00"]


def test_terms(api, uni, make, client):
    old = make.term("2019Z", start=date(2019, 10, 1), end=date(2020, 2, 15), active=False)
    body = client.get("/services/terms/terms", query_string={"term_ids": f"{old.id}|NOPE"}).get_json()
    assert body["NOPE"] is None and body[old.id]["is_active"] is False
    UsosTerm.model_validate(body[old.id])
    index = client.get("/services/terms/terms_index", query_string={"active_only": "true"}).get_json()
    assert [t["id"] for t in index] == [uni.term.id]
    assert {t["id"] for t in client.get("/services/terms/terms_index").get_json()} == {uni.term.id, old.id}
    found = client.get("/services/terms/search", query_string={"query": "2019", "fields": "id"}).get_json()
    assert found == [{"id": "2019Z"}]
    found = client.get("/services/terms/search", query_string={
        "min_finish_date": (clock.today() + timedelta(days=1)).isoformat(), "fields": "id"}).get_json()
    assert found == [{"id": uni.term.id}]
    found = client.get("/services/terms/search", query_string={
        "max_start_date": old.start_date.isoformat(), "fields": "id"}).get_json()
    assert found == [{"id": "2019Z"}]
    r = client.get("/services/terms/search", query_string={"max_start_date": "yesterday"})
    assert r.status_code == 400 and r.get_json()["param_name"] == "max_start_date"


def test_faculties(client, uni):
    body = client.get("/services/fac/faculties", query_string={"fac_ids": "FAC|PAR|NOPE",
                                                               "fields": "id|parent_id"}).get_json()
    assert body == {"FAC": {"id": "FAC", "parent_id": "PAR"}, "PAR": {"id": "PAR", "parent_id": None}, "NOPE": None}
    found = client.get("/services/fac/search", query_string={"query": "wydział f", "lang": "pl", "fields": "id|name",
                                                             "num": 20, "start": 0}).get_json()
    assert found == {"items": [{"id": "FAC", "name": {"pl": "Wydział FAC", "en": "Faculty FAC"}}], "next_page": False}
    found = client.get("/services/fac/search", query_string={"query": "faculty", "lang": "en", "num": 1}).get_json()
    assert [f["id"] for f in found["items"]] == ["FAC"] and found["next_page"] is True
    r = client.get("/services/fac/search", query_string={"query": " "})
    assert r.status_code == 400 and r.get_json()["param_name"] == "query"


def test_calendar_days_off_of_a_faculty(api, uni, app):
    from portal.extensions import db
    from portal.langdict import ld
    from portal.meetings.models import DayOff
    with app.app_context():
        db.session.add_all([DayOff(start_date=date(2030, 12, 23), end_date=date(2031, 1, 1), name=ld("Ferie", "Break")),
                            DayOff(start_date=date(2030, 12, 10), end_date=date(2030, 12, 10), faculty_id="PAR",
                                   name=ld("Dzień rektorski", "Rector's day")),
                            DayOff(start_date=date(2030, 12, 11), end_date=date(2030, 12, 11), faculty_id="OTHER",
                                   name=ld("Inny", "Other")),
                            ])
        from portal.university.models import Faculty
        db.session.add(Faculty(id="OTHER", name=ld("Inny", "Other")))
        db.session.commit()
    fields = "id|name|start_date|end_date|type|is_day_off|faculty"
    body = ok(api.call("services/calendar/search", user=uni.student, http="GET", faculty_id="FAC",
                       start_date="2030-12-01", end_date="2030-12-31", fields=fields))
    assert [(e["name"]["en"], e["start_date"], e["end_date"], e["faculty"]) for e in body] == [
        ("Rector's day", "2030-12-10", "2030-12-10", {"id": "PAR", "name": {"pl": "Wydział PAR", "en": "Faculty PAR"}}),
        ("Break", "2030-12-23", "2031-01-01", None)]  # the parent's and the university's, not another faculty's
    assert all(e["type"] == "holidays" and e["is_day_off"] is True for e in body)
    for bad in (dict(start_date="2030-12-01", end_date="2031-01-15"), dict(start_date="2030-12-02", end_date="2030-12-01")):
        r = api.call("services/calendar/search", faculty_id="FAC", **bad)
        assert r.status_code == 400 and r.get_json()["param_name"] == "end_date", bad
    r = api.call("services/calendar/search", faculty_id="NOPE", start_date="2030-12-01", end_date="2030-12-02")
    assert r.status_code == 400 and r.get_json()["error"] == "object_not_found"
