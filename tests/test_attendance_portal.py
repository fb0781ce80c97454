"""Attendance pages: lecturers' groups, lists and roster (htmx and plain posts), summary, students."""
import re

import pytest

from .factories import at
from .factories_attendance import AttendanceFactory

HX = {"HX-Request": "true"}


@pytest.fixture
def att(app):
    return AttendanceFactory(app)


@pytest.fixture
def login(client, auth):
    """Sign in and read the pages in English."""
    def go(who):
        auth.login(who)
        client.post("/lang/en")
    return go


def test_lecturer_sees_own_groups_only(client, login, auth, uni, att):
    login("lect")
    r = client.get("/attendance/")
    assert r.status_code == 200
    assert f"/attendance/groups/{uni.classes.id}\"" in r.text and f"/attendance/groups/{uni.lecture.id}\"" not in r.text
    assert client.get(f"/attendance/groups/{uni.lecture.id}").status_code == 404
    assert client.get("/attendance/groups/99999").status_code == 404
    lst = att.list(uni.lecture, uni.coordinator)
    assert client.get(f"/attendance/lists/{lst.id}").status_code == 404
    assert client.post(f"/attendance/lists/{lst.id}/students/{uni.student.id}", data={"mode": "absence"}).status_code == 404
    assert att.entries(lst.id) == {}


def test_students_cannot_manage(client, login, auth, uni, att):
    lst = att.list(uni.classes, uni.lecturer)
    login("stud1")
    assert client.get(f"/attendance/groups/{uni.classes.id}").status_code == 404
    assert client.post(f"/attendance/groups/{uni.classes.id}/from-timetable", data={"tt-mode": "remote"}).status_code == 404
    assert client.post(f"/attendance/lists/{lst.id}/mark-rest").status_code == 404
    assert client.get(f"/attendance/groups/{uni.classes.id}/summary.csv").status_code == 404
    assert att.entries(lst.id) == {}


def test_create_lists(client, login, auth, uni, att, make):
    for d in (-7, 0):
        make.meeting(uni.classes, at(d, 12))
    login("lect")
    r = client.post(f"/attendance/groups/{uni.classes.id}/from-timetable", data={"tt-mode": "hybrid"})
    assert r.status_code == 303
    assert [x.mode for x in att.lists(uni.classes)] == ["hybrid", "hybrid"]
    r = client.post(f"/attendance/groups/{uni.classes.id}/lists", data={"date": f"{at(5, 8, 30):%Y-%m-%dT%H:%M}", "mode": "remote"})
    assert r.status_code == 303 and "/attendance/lists/" in r.headers["Location"]
    r = client.post(f"/attendance/groups/{uni.classes.id}/lists", data={"date": f"{at(5, 8, 30):%Y-%m-%dT%H:%M}", "mode": "remote"})
    assert r.status_code == 409 and "already exists" in r.text
    r = client.post(f"/attendance/groups/{uni.classes.id}/lists", data={"date": "not a date", "mode": "remote"})
    assert r.status_code == 400
    r = client.post(f"/attendance/groups/{uni.classes.id}/lists", data={"date": f"{at(6, 8, 30):%Y-%m-%dT%H:%M}", "mode": "bogus"})
    assert r.status_code == 400
    r = client.post(f"/attendance/groups/{uni.classes.id}/lists", data={"date": "1900-01-01T08:00", "mode": "remote"})
    assert r.status_code == 409 and "The date is outside the group" in r.text
    assert len(att.lists(uni.classes)) == 3
    page = client.get(f"/attendance/groups/{uni.classes.id}").text
    assert page.count("/attendance/lists/") == 3


def test_roster_toggles_with_htmx(client, login, auth, uni, att):
    lst = att.list(uni.classes, uni.lecturer, mode="intramural")
    s = uni.student
    login("lect")
    page = client.get(f"/attendance/lists/{lst.id}").text
    assert page.count('aria-pressed="false"') == 3 * len(uni.students)  # no "remote" on an in-person list
    assert f"b-{s.id}-remote" not in page and f"b-{s.id}-absence" in page
    r = client.post(f"/attendance/lists/{lst.id}/students/{s.id}", data={"mode": "intramural"}, headers=HX)
    assert r.status_code == 200 and r.text.lstrip().startswith("<li")
    assert f'id="b-{s.id}-intramural"' in r.text and 'aria-pressed="true"' in r.text
    assert 'hx-swap-oob="true">1 / 4' in r.text
    assert att.entries(lst.id) == {s.id: ("intramural", None)}
    r = client.post(f"/attendance/lists/{lst.id}/students/{s.id}", data={"mode": "remote"}, headers=HX)
    assert r.status_code == 409 and "not allowed" in r.text
    assert att.entries(lst.id) == {s.id: ("intramural", None)}
    r = client.post(f"/attendance/lists/{lst.id}/students/{s.id}/comment", data={"comment": " late "}, headers=HX)
    assert r.status_code == 200 and 'value="late"' in r.text
    r = client.post(f"/attendance/lists/{lst.id}/students/{s.id}", data={"mode": ""}, headers=HX)  # clear
    assert r.status_code == 200 and 'aria-pressed="true"' not in r.text
    assert att.entries(lst.id) == {s.id: (None, "late")}
    r = client.post(f"/attendance/lists/{lst.id}/students/{uni.outsider.id}", data={"mode": "absence"}, headers=HX)
    assert r.status_code == 409
    # without JavaScript: a plain post goes back to the roster
    r = client.post(f"/attendance/lists/{lst.id}/students/{s.id}", data={"mode": "absence"})
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/attendance/lists/{lst.id}#s-{s.id}")
    assert att.entries(lst.id)[s.id] == ("absence", "late")


def test_roster_rows_post_to_their_routes(client, login, uni, att):
    """Each row's two forms post to set_mode and set_comment of that student (the roster builds
    these URLs from one prefix), and each name labels its buttons and comment field."""
    lst = att.list(uni.classes, uni.lecturer, mode="intramural")
    login("lect")
    page = client.get(f"/attendance/lists/{lst.id}").text
    for s in uni.students:
        mode_url = f"/attendance/lists/{lst.id}/students/{s.id}"
        assert f'action="{mode_url}" hx-post="{mode_url}"' in page
        assert f'action="{mode_url}/comment" hx-post="{mode_url}/comment"' in page
        assert f'aria-label="Attendance of {s.last_name} {s.first_name}"' in page
        assert f'aria-label="Comment on {s.last_name} {s.first_name}"' in page
    assert len(re.findall(r'<li id="s-\d+"', page)) == len(uni.students)

def test_mark_rest_never_overwrites(client, login, auth, uni, att):
    lst = att.list(uni.classes, uni.lecturer, mode="remote")
    att.entry(lst, uni.students[0], mode="absence")
    att.entry(lst, uni.students[1], mode=None, comment="note")
    login("lect")
    r = client.post(f"/attendance/lists/{lst.id}/mark-rest", headers=HX)
    assert r.status_code == 200 and r.text.lstrip().startswith('<div id="roster"')
    assert "Marked as present: 3." in r.text
    entries = att.entries(lst.id)
    assert entries[uni.students[0].id] == ("absence", None)
    assert entries[uni.students[1].id] == ("remote", "note")
    assert {entries[s.id][0] for s in uni.students[2:]} == {"remote"}
    r = client.post(f"/attendance/lists/{lst.id}/mark-rest")
    assert r.status_code == 303
    assert att.entries(lst.id) == entries


def test_mode_change_and_delete_only_while_empty(client, login, auth, uni, att):
    lst = att.list(uni.classes, uni.lecturer, mode="intramural")
    login("lect")
    assert client.post(f"/attendance/lists/{lst.id}/mode", data={"lm-mode": "hybrid"}).status_code == 303
    assert att.lists(uni.classes)[0].mode == "hybrid"
    att.entry(lst, uni.student, mode="remote")
    client.post(f"/attendance/lists/{lst.id}/mode", data={"lm-mode": "intramural"})
    r = client.post(f"/attendance/lists/{lst.id}/delete", follow_redirects=True)
    assert "Attendance has already been set on this list." in r.text
    assert [(x.id, x.mode) for x in att.lists(uni.classes)] == [(lst.id, "hybrid")]
    other = att.list(uni.classes, uni.lecturer, date=at(-9))
    assert client.post(f"/attendance/lists/{other.id}/delete").status_code == 303
    assert [x.id for x in att.lists(uni.classes)] == [lst.id]


def test_summary_and_csv(client, login, auth, uni, att):
    s1, s2, s3 = uni.students[:3]
    lists = [att.list(uni.classes, uni.lecturer, date=at(-d), mode="hybrid") for d in (1, 8, 15, 22, 29)]
    for lst, mode in zip(lists, ["intramural", "remote", "intramural", "intramural", "intramural"]):
        att.entry(lst, s1, mode=mode)
    for lst, mode in zip(lists, ["intramural", "absence", "justified_absence", "absence", "intramural"]):
        att.entry(lst, s2, mode=mode)
    att.entry(lists[0], s3, mode="justified_absence")
    login("lect")
    r = client.get(f"/attendance/groups/{uni.classes.id}/summary")
    assert r.status_code == 200
    row1 = r.text.split(f'data-testid="sum-{s1.id}"')[1].split("</tr>")[0]
    row2_start = r.text.split(f'data-testid="sum-{s2.id}"')[0].rsplit("<tr", 1)[1]
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row1, re.S)]
    assert cells[1:] == ["100%", "4", "1", "0", "0"]  # the rate first, as the language writes it
    assert "att-below" in row2_start  # 2 of 4 counted meetings = 50%
    assert '<p data-testid="below-count">Students below 80%: 1</p>' in r.text
    r = client.get(f"/attendance/groups/{uni.classes.id}/summary?threshold=40")
    assert "class=\"att-below\"" not in r.text and "Students below 40%: 0" in r.text
    r = client.get(f"/attendance/groups/{uni.classes.id}/summary?threshold=abc")
    assert r.status_code == 200 and 'value="80"' in r.text
    r = client.get(f"/attendance/groups/{uni.classes.id}/summary.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv" and "attachment" in r.headers["Content-Disposition"]
    lines = r.data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("student_number,last_name")
    assert f"{s2.student_number},{s2.last_name},{s2.first_name},2,0,1,2,50.0" in lines
    assert f"{s3.student_number},{s3.last_name},{s3.first_name},0,0,1,0," in lines


def test_student_sees_own_attendance(client, login, auth, uni, att):
    lst = att.list(uni.classes, uni.lecturer)
    att.entry(lst, uni.students[0], mode="absence", comment="no show")
    att.entry(lst, uni.students[1], mode="intramural", comment="secret of another")
    login("stud1")
    r = client.get("/attendance/")
    assert f"/attendance/my/{uni.classes.id}" in r.text
    r = client.get(f"/attendance/my/{uni.classes.id}")
    assert r.status_code == 200 and "no show" in r.text and "secret of another" not in r.text
    auth.logout()
    login("outsider")
    assert client.get(f"/attendance/my/{uni.classes.id}").status_code == 404
