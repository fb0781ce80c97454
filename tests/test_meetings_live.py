"""Real simultaneous HTTP requests through a 4-worker gunicorn: never more people than places on any
path (sign-up, staff sign-ups, accept), a gap-free queue, promotion in queue order after sign-offs."""
from concurrent.futures import ThreadPoolExecutor

import pytest

from portal.extensions import db
from portal.meetings.models import MeetingDate, Participant

from .factories_meetings import MeetingFactory

pytestmark = pytest.mark.live


def state(app, date_id):
    with app.app_context():
        entries = db.session.scalars(db.select(Participant).filter_by(meeting_date_id=date_id)
                                     .order_by(Participant.queue_number)).all()
        return [(p.user_id, p.external_email, p.status, p.is_reserve, p.queue_number) for p in entries]


def together(calls):
    """Run the calls at once; their HTTP statuses."""
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(lambda f: f().status_code, calls))


def test_rush_on_one_date_then_sign_offs(app, make, live_server):
    mf = MeetingFactory(app)
    uni = make.university(n_students=14)
    sub = mf.substantiation(uni.faculty)
    meeting = mf.meeting(uni.coordinator, uni.faculty)
    date = mf.date(meeting, seats=4, reserve=3)
    srv = live_server(workers=4)
    students = [srv.session(s.login) for s in uni.students]
    admin = srv.session("admin")
    calls = [lambda s=s: s.post(f"{srv.url}/meetings/dates/{date.id}/sign-up", data={"substantiation": sub.id},
                                headers={"HX-Request": "true"}) for s in students]
    calls += [lambda i=i: admin.post(f"{srv.url}/meetings/manage/dates/{date.id}/add-external",
                                     data={"ext-first_name": "Gość", "ext-last_name": str(i),
                                           "ext-email": f"guest{i}@example.com", "ext-status": "accepted",
                                           "ext-substantiation": "0"}, allow_redirects=False)
              for i in range(4)]
    statuses = together(calls)
    assert all(s < 500 for s in statuses), statuses
    rows = state(app, date.id)
    main = [r for r in rows if not r[3]]
    reserve = [r for r in rows if r[3]]
    assert len(main) == 4 and len(reserve) == 3
    assert all(r[2] == "accepted" for r in main) and all(r[2] == "waiting" for r in reserve)
    assert [r[4] for r in rows] == list(range(1, 8))
    assert max(r[4] for r in main) < min(r[4] for r in reserve)  # seats went first, in queue order
    refused = len(calls) - 7
    assert sorted(statuses).count(400) == refused and statuses.count(200) + statuses.count(303) == 7

    # three seat holders who are students sign off at once: the three reserves move up in order
    by_id = {u.id: s for u, s in zip(uni.students, students)}
    leaving = [r[0] for r in main if r[0] is not None][:3]
    while len(leaving) < 3:  # externals hold the seats: staff reject them instead (also frees seats)
        leaving.append(None)
    reserve_order = [(r[0], r[1]) for r in reserve]
    calls = [lambda uid=uid: by_id[uid].post(f"{srv.url}/meetings/dates/{date.id}/sign-off",
                                             headers={"HX-Request": "true"}) for uid in leaving if uid]
    ext_ids = []
    if None in leaving:
        with app.app_context():
            ext_ids = [p.id for p in db.session.scalars(db.select(Participant).filter_by(
                meeting_date_id=date.id, user_id=None, is_reserve=False))][:leaving.count(None)]
        calls += [lambda pid=pid: admin.post(f"{srv.url}/meetings/manage/participants/{pid}/reject",
                                             data={"reject-substantiation": "0"}, headers={"HX-Request": "true"})
                  for pid in ext_ids]
    statuses = together(calls)
    assert statuses == [200] * 3, statuses
    rows = [r for r in state(app, date.id) if r[2] != "rejected"]
    assert len(rows) == 4 and not any(r[3] for r in rows)
    assert [r[4] for r in rows] == [1, 2, 3, 4]
    assert [(r[0], r[1]) for r in rows][-3:] == reserve_order  # promoted in queue order
    assert "Traceback" not in srv.errors()


def test_accepts_at_once_never_exceed_seats(app, make, live_server):
    mf = MeetingFactory(app)
    uni = make.university(n_students=6)
    meeting = mf.meeting(uni.coordinator, uni.faculty, auto_accept=False)
    date = mf.date(meeting, seats=2, reserve=0)
    entries = [mf.entry(date, s, status="rejected") for s in uni.students]
    srv = live_server(workers=4)
    lecturer, admin = srv.session("coord"), srv.session("admin")
    calls = [lambda e=e, who=(lecturer if i % 2 else admin): who.post(
        f"{srv.url}/meetings/manage/participants/{e.id}/accept", headers={"HX-Request": "true"})
        for i, e in enumerate(entries)]
    statuses = together(calls)
    assert sorted(statuses) == [200, 200, 400, 400, 400, 400], statuses
    rows = [r for r in state(app, date.id) if r[2] == "accepted"]
    assert len(rows) == 2 and [r[4] for r in rows] == [1, 2]
    with app.app_context():
        assert db.session.get(MeetingDate, date.id).seats_limit == 2
    assert "Traceback" not in srv.errors()
