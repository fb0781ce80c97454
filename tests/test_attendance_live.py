"""Two lecturers ticking the same roster at once, over a real multi-worker server."""
from concurrent.futures import ThreadPoolExecutor

import pytest

from .factories import at
from .factories_attendance import AttendanceFactory, start  # noqa: F401  (fixture)

HX = {"HX-Request": "true"}


@pytest.mark.live
def test_simultaneous_marking_is_safe(app, make, start):
    uni = make.university(n_students=12)
    group = make.group(uni.classes_unit, 2, lecturers=[uni.lecturer, uni.other_lecturer], participants=uni.students)
    att = AttendanceFactory(app)
    lst = att.list(group, uni.lecturer, mode="hybrid")
    rest = att.list(group, uni.lecturer, mode="intramural", date=lst.date.replace(hour=14))
    srv = start(4)
    a, b = srv.session("lect"), srv.session("otherlect")
    ids = [s.id for s in uni.students]

    def post(session, path, data=None):
        return session.post(srv.url + path, data=data or {}, headers=HX, allow_redirects=False)

    # 1. both lecturers make the first write of every entry at the same moment
    jobs = [(a, f"/attendance/lists/{lst.id}/students/{sid}", {"mode": "intramural"}) for sid in ids] + \
           [(b, f"/attendance/lists/{lst.id}/students/{sid}", {"mode": "remote"}) for sid in ids]
    jobs = [j for pair in zip(jobs[:len(ids)], jobs[len(ids):]) for j in pair]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda j: post(*j), jobs))
    assert [r.status_code for r in answers] == [200] * len(jobs), [r.text[:200] for r in answers if r.status_code != 200]
    entries = att.entries(lst.id)
    assert sorted(entries) == sorted(ids)  # one entry each, none lost, no duplicates
    assert all(mode in ("intramural", "remote") for mode, _c in entries.values())

    # 2. "mark the rest present" racing with absences set by the other lecturer
    absent = ids[::2]
    jobs = [(a, f"/attendance/lists/{rest.id}/mark-rest", None)] + \
           [(b, f"/attendance/lists/{rest.id}/students/{sid}", {"mode": "absence"}) for sid in absent]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda j: post(*j), jobs))
    assert [r.status_code for r in answers] == [200] * len(jobs)
    entries = att.entries(rest.id)
    # whichever came first, an absence is never overwritten by "the rest present"
    assert {sid: m for sid, (m, _c) in entries.items()} == {
        sid: ("absence" if sid in absent else "intramural") for sid in ids}

    # 3. the same list created twice at once: one wins, the other is told it exists
    data = {"date": f"{at(9, 10):%Y-%m-%dT%H:%M}", "mode": "remote"}
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda s: post(s, f"/attendance/groups/{group.id}/lists", data), [a, b, a, b]))
    assert sorted(r.status_code for r in answers) == [303, 409, 409, 409]
    assert len(att.lists(group)) == 3
