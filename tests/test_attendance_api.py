"""services/attendance: every method, its fields, nested selectors, errors and the scope."""
import pytest

from portal.attendance.models import AttendanceList
from portal.extensions import db

from .factories import at
from .factories_attendance import AttendanceFactory

SCOPE = ("staff_perspective",)


@pytest.fixture
def att(app):
    return AttendanceFactory(app)


def ok(r):
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def err(r, error, reason=None, status=400):
    body = r.get_json()
    assert r.status_code == status, body
    assert body["error"] == error, body
    if reason:
        assert body["reason"] == reason, body
    return body


def call(api, name, user, **params):
    return api.call("services/attendance/" + name, user=user, scopes=SCOPE, **params)


def test_every_method_needs_staff_perspective(api, uni, att):
    lst = att.list(uni.classes, uni.lecturer)
    for name, params in [("attendance", {"list_id": lst.id}), ("attendance_list", {"list_id": lst.id}),
                         ("attendance_lists", {"list_ids": lst.id}), ("user", {}),
                         ("group", {"course_unit_id": uni.classes_unit.id, "group_number": 1}),
                         ("change_list_mode", {"list_id": lst.id, "mode": "remote"}),
                         ("delete_list", {"list_id": lst.id}),
                         ("update_attendance", {"list_id": lst.id, "student_id": uni.student.id,
                                                "attendance_mode": "absence"}),
                         ("create_attendance_list", {"course_unit_id": uni.classes_unit.id, "group_number": 1,
                                                     "date": "2026-01-01 10:00:00", "mode": "remote"}),
                         ("create_from_tt", {"course_unit_id": uni.classes_unit.id, "group_number": 1,
                                             "default_mode": "remote"})]:
        r = api.call("services/attendance/" + name, user=uni.lecturer, scopes=("studies",), **params)
        body = err(r, "method_forbidden", "scope_missing", status=403)
        assert body["missing_scopes"] == ["staff_perspective"]
        r = api.call("services/attendance/" + name, **params)  # no token
        err(r, "method_forbidden", "user_missing", status=401)
    assert att.entries(lst.id) == {} and len(att.lists(uni.classes)) == 1


def test_create_attendance_list(api, uni, att, app):
    params = dict(course_unit_id=uni.classes_unit.id, group_number=1, date=f"{at(3, 10, 15):%Y-%m-%d %H:%M:%S}", mode="hybrid")
    body = ok(call(api, "create_attendance_list", uni.lecturer, **params))
    assert set(body) == {"list_id"}
    with app.app_context():
        lst = db.session.get(AttendanceList, int(body["list_id"]))
        assert (lst.group_id, lst.owner_id, str(lst.date), lst.mode) == (
            uni.classes.id, uni.lecturer.id, f"{at(3, 10, 15):%Y-%m-%d %H:%M:%S}", "hybrid")
    err(call(api, "create_attendance_list", uni.lecturer, **params), "object_invalid", "already_exists")
    body = err(call(api, "create_attendance_list", uni.other_lecturer, **dict(params, date=f"{at(10, 10, 15):%Y-%m-%d %H:%M}")),
               "object_not_found", "group_not_found")
    assert body["param_name"] == "course_unit_id"
    assert body["method_name"] == "services/attendance/create_attendance_list"
    err(call(api, "create_attendance_list", uni.student, **dict(params, date=f"{at(10, 10, 15):%Y-%m-%d %H:%M}")),
        "object_not_found", "group_not_found")
    err(call(api, "create_attendance_list", uni.lecturer, **dict(params, group_number=7)),
        "object_not_found", "group_not_found")
    err(call(api, "create_attendance_list", uni.lecturer, **dict(params, mode="online")), "param_invalid")
    err(call(api, "create_attendance_list", uni.lecturer, **dict(params, date="yesterday")), "param_invalid")
    # administrative staff may create lists for any group
    ok(call(api, "create_attendance_list", uni.admin, **dict(params, date=f"{at(10, 10, 15):%Y-%m-%d %H:%M}")))
    assert len(att.lists(uni.classes)) == 2


def test_create_for_a_group_without_students(api, uni, make):
    empty = make.group(uni.classes_unit, 2, lecturers=[uni.lecturer])
    err(call(api, "create_attendance_list", uni.lecturer, course_unit_id=uni.classes_unit.id, group_number=2,
             date=f"{at(3, 10, 15):%Y-%m-%d %H:%M:%S}", mode="remote"), "object_invalid", "no_students")
    make.meeting(empty, at(1))
    err(call(api, "create_from_tt", uni.lecturer, course_unit_id=uni.classes_unit.id, group_number=2,
             default_mode="remote"), "object_invalid", "no_students")


def test_create_from_tt_skips_existing(api, uni, make, att):
    params = dict(course_unit_id=uni.classes_unit.id, group_number=1, default_mode="intramural")
    err(call(api, "create_from_tt", uni.lecturer, **params), "object_not_found", "meeting_not_found")
    meetings = [make.meeting(uni.classes, at(d, 12)) for d in (-14, -7, 0, 7)]
    existing = att.list(uni.classes, uni.lecturer, date=meetings[1].start_time, mode="remote")
    assert ok(call(api, "create_from_tt", uni.lecturer, **params)) == {}
    lists = att.lists(uni.classes)
    assert [lst.date for lst in lists] == [m.start_time for m in meetings]
    assert [lst.mode for lst in lists] == ["intramural", "remote", "intramural", "intramural"]
    assert existing.id in [lst.id for lst in lists]
    ok(call(api, "create_from_tt", uni.lecturer, **params))  # again: nothing new
    assert len(att.lists(uni.classes)) == 4
    err(call(api, "create_from_tt", uni.other_lecturer, **params), "object_not_found", "group_not_found")
    err(call(api, "create_from_tt", uni.lecturer, **dict(params, default_mode="x")), "param_invalid")


def test_attendance_list_fields(api, uni, att):
    lst = att.list(uni.classes, uni.lecturer, date=at(-1, 10, 15), mode="remote")
    assert ok(call(api, "attendance_list", uni.lecturer, list_id=lst.id)) == {"id": str(lst.id)}
    body = ok(call(api, "attendance_list", uni.lecturer, list_id=lst.id,
                   fields="id|course_unit|group_number|owner|date|mode"))
    assert body == {"id": str(lst.id),
                    "course_unit": {"id": str(uni.classes_unit.id), "course_id": "C-1", "term_id": uni.term.id,
                                    "classtype_id": "CW"},
                    "group_number": 1,
                    "owner": {"id": str(uni.lecturer.id), "first_name": uni.lecturer.first_name,
                              "last_name": uni.lecturer.last_name},
                    "date": lst.date.strftime("%Y-%m-%d %H:%M:%S"), "mode": "remote"}
    body = ok(call(api, "attendance_list", uni.lecturer, list_id=lst.id,
                   fields="course_unit[id|classtype_id]|owner[id|titles]"))
    assert body == {"course_unit": {"id": str(uni.classes_unit.id), "classtype_id": "CW"},
                    "owner": {"id": str(uni.lecturer.id), "titles": {"before": None, "after": None}}}
    err(call(api, "attendance_list", uni.lecturer, list_id=lst.id, fields="nope"), "field_not_found")
    err(call(api, "attendance_list", uni.lecturer, list_id=lst.id, fields="owner[nope]"), "field_not_found")
    for who, list_id in ((uni.lecturer, 99999), (uni.lecturer, "abc"), (uni.other_lecturer, lst.id),
                         (uni.student, lst.id)):
        body = err(call(api, "attendance_list", who, list_id=list_id), "object_not_found", "attendance_list_not_found")
        assert body["param_name"] == "list_id"
    ok(call(api, "attendance_list", uni.admin, list_id=lst.id))


def test_attendance_lists_group_and_user(api, uni, att):
    mine = att.list(uni.classes, uni.lecturer, date=at(-2))
    mine2 = att.list(uni.classes, uni.lecturer, date=at(-9))
    theirs = att.list(uni.lecture, uni.coordinator)
    body = ok(call(api, "attendance_lists", uni.lecturer, list_ids=f"{mine.id}|{theirs.id}|424242",
                   fields="id|mode|owner[id]"))
    assert body == {str(mine.id): {"id": str(mine.id), "mode": "intramural", "owner": {"id": str(uni.lecturer.id)}},
                    str(theirs.id): None, "424242": None}
    params = dict(course_unit_id=uni.classes_unit.id, group_number=1)
    assert ok(call(api, "group", uni.lecturer, **params)) == [{"id": str(mine2.id)}, {"id": str(mine.id)}]
    body = ok(call(api, "group", uni.lecturer, fields="group_number|course_unit[id]", **params))
    assert body[0] == {"group_number": 1, "course_unit": {"id": str(uni.classes_unit.id)}}
    assert ok(call(api, "group", uni.other_lecturer, **params)) == []
    assert ok(call(api, "group", uni.lecturer, course_unit_id=uni.classes_unit.id, group_number=9)) == []
    assert ok(call(api, "user", uni.lecturer)) == [{"id": str(mine2.id)}, {"id": str(mine.id)}]
    assert ok(call(api, "user", uni.coordinator, fields="id|date")) == [
        {"id": str(theirs.id), "date": theirs.date.strftime("%Y-%m-%d %H:%M:%S")}]
    assert ok(call(api, "user", uni.student)) == []


def test_update_attendance_and_attendance(api, uni, att):
    lst = att.list(uni.classes, uni.lecturer, mode="intramural")
    s1, s2 = uni.students[0], uni.students[1]
    assert ok(call(api, "update_attendance", uni.lecturer, list_id=lst.id, student_id=s1.id,
                   attendance_mode="intramural", comment="late 10 min")) == {}
    ok(call(api, "update_attendance", uni.lecturer, list_id=lst.id, student_id=s2.id, attendance_mode="absence"))
    # without a comment the old one stays; a new mode replaces the old one
    ok(call(api, "update_attendance", uni.lecturer, list_id=lst.id, student_id=s1.id,
            attendance_mode="justified_absence"))
    assert att.entries(lst.id) == {s1.id: ("justified_absence", "late 10 min"), s2.id: ("absence", None)}
    body = ok(call(api, "attendance", uni.lecturer, list_id=lst.id))
    assert len(body) == len(uni.students) and all(set(e) == {"student", "attendance_mode"} for e in body)
    by_id = {e["student"]["id"]: e for e in body}
    assert by_id[str(s1.id)] == {"student": {"id": str(s1.id), "first_name": s1.first_name,
                                             "last_name": s1.last_name}, "attendance_mode": "justified_absence"}
    assert by_id[str(uni.students[2].id)]["attendance_mode"] is None
    body = ok(call(api, "attendance", uni.lecturer, list_id=lst.id, student_ids=f"{s1.id}|{s2.id}|nobody",
                   fields="student[id|student_number]|attendance_mode|comment"))
    assert sorted(body, key=lambda e: e["student"]["id"]) == sorted([
        {"student": {"id": str(s1.id), "student_number": s1.student_number},
         "attendance_mode": "justified_absence", "comment": "late 10 min"},
        {"student": {"id": str(s2.id), "student_number": s2.student_number},
         "attendance_mode": "absence", "comment": None}], key=lambda e: e["student"]["id"])
    err(call(api, "attendance", uni.other_lecturer, list_id=lst.id), "object_not_found", "attendance_list_not_found")
    err(call(api, "attendance", uni.lecturer, list_id=777), "object_not_found", "attendance_list_not_found")


def test_update_attendance_errors(api, uni, att):
    remote = att.list(uni.classes, uni.lecturer, date=at(-1), mode="remote")
    room = att.list(uni.classes, uni.lecturer, date=at(-2), mode="intramural")
    hybrid = att.list(uni.classes, uni.lecturer, date=at(-3), mode="hybrid")
    s = uni.student.id
    upd = lambda lst, mode, **kw: call(api, "update_attendance", kw.pop("user", uni.lecturer), list_id=lst.id,
                                       student_id=kw.pop("student", s), attendance_mode=mode)
    err(upd(remote, "intramural"), "object_invalid", "intramural_attendance_not_allowed")
    err(upd(room, "remote"), "object_invalid", "remote_attendance_not_allowed")
    err(upd(room, "intramural", student=uni.outsider.id), "object_invalid", "student_not_in_group")
    err(upd(room, "intramural", student="999999"), "object_invalid", "student_not_in_group")
    err(upd(room, "present"), "param_invalid")
    err(upd(room, "absence", user=uni.other_lecturer), "object_not_found", "attendance_list_not_found")
    assert att.entries(remote.id) == att.entries(room.id) == {}
    ok(upd(remote, "remote"))
    ok(upd(room, "intramural"))
    ok(upd(hybrid, "remote"))
    ok(upd(hybrid, "intramural", student=uni.students[1].id))
    assert att.entries(hybrid.id) == {s: ("remote", None), uni.students[1].id: ("intramural", None)}
    err(call(api, "update_attendance", uni.lecturer, list_id=room.id, student_id=s), "param_missing")


def test_change_list_mode_and_delete(api, uni, att):
    lst = att.list(uni.classes, uni.lecturer, mode="intramural")
    assert ok(call(api, "change_list_mode", uni.lecturer, list_id=lst.id, mode="remote")) == {}
    assert att.lists(uni.classes)[0].mode == "remote"
    err(call(api, "change_list_mode", uni.lecturer, list_id=lst.id, mode="both"), "param_invalid")
    err(call(api, "change_list_mode", uni.other_lecturer, list_id=lst.id, mode="hybrid"),
        "object_not_found", "attendance_list_not_found")
    att.entry(lst, uni.student, mode="remote")
    err(call(api, "change_list_mode", uni.lecturer, list_id=lst.id, mode="hybrid"), "object_invalid", "has_entries")
    err(call(api, "delete_list", uni.lecturer, list_id=lst.id), "object_invalid", "has_entries")
    assert att.lists(uni.classes)[0].mode == "remote"
    empty = att.list(uni.classes, uni.lecturer, date=at(-8))
    att.entry(empty, uni.student, mode=None, comment="only a note")  # a comment is not attendance
    err(call(api, "delete_list", uni.other_lecturer, list_id=empty.id), "object_not_found",
        "attendance_list_not_found")
    assert ok(call(api, "delete_list", uni.lecturer, list_id=empty.id)) == {}
    assert [x.id for x in att.lists(uni.classes)] == [lst.id]
    assert att.entries(empty.id) == {}
    err(call(api, "delete_list", uni.lecturer, list_id=empty.id), "object_not_found", "attendance_list_not_found")


def test_a_deleted_lists_id_is_never_given_again(api, uni, att):
    """SQLite handed the id of a deleted newest row to the next one (AUTOINCREMENT now): a
    client still holding the old id must get object_not_found, not another list."""
    params = dict(course_unit_id=uni.classes_unit.id, group_number=1, mode="remote")
    first = ok(call(api, "create_attendance_list", uni.lecturer, date=f"{at(16, 10, 15):%Y-%m-%d %H:%M:%S}", **params))["list_id"]
    assert ok(call(api, "delete_list", uni.lecturer, list_id=first)) == {}
    second = ok(call(api, "create_attendance_list", uni.lecturer, date=f"{at(7, 10, 15):%Y-%m-%d %H:%M:%S}", **params))["list_id"]
    assert int(second) > int(first)
    err(call(api, "attendance_list", uni.lecturer, list_id=first), "object_not_found")


@pytest.mark.parametrize("date", ["2026-12-15", "2026-12-15 25:00:00", "garbage"])
def test_a_list_needs_a_date_and_a_time(api, uni, att, date):
    body = err(call(api, "create_attendance_list", uni.lecturer, course_unit_id=uni.classes_unit.id, group_number=1,
                    date=date, mode="remote"), "param_invalid")
    assert body["param_name"] == "date"
    assert att.lists(uni.classes) == []
