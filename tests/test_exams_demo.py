"""The demo data: signing in as student1, lecturer1 or admin shows exam registration with real data."""
from portal.exams.models import Exam
from portal.extensions import db


def test_demo_exams(runner, app, client, auth):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        exams = {e.code: e for e in db.session.scalars(db.select(Exam))}
        from portal import clock
        now = clock.now()
        states = {code: e.state(now) for code, e in exams.items() if e.session.status == "active"}
        assert set(states.values()) == {"open", "upcoming", "closed"}
        assert exams["MAT-AM1-E1"].conditions and exams["INF-ALG-E2"].uses_micro_rounds
        assert sum(s.taken for g in exams["INF-ALG-E1"].groups for s in g.slots) > 0
        alg, resit = exams["INF-ALG-E1"].id, exams["INF-ALG-E2"].id
        slot = exams["INF-ALG-E1"].groups[0].slots[0].id
    client.post("/lang/en")
    auth.login("student1")
    page = client.get("/exams/").get_data(as_text=True)
    assert "Algorithms and Data Structures" in page and "Databases" in page and "Mathematical Analysis I" in page
    page = client.get(f"/exams/{resit}").get_data(as_text=True)
    assert "Exam – resit" in page and 'id="slot-list"' in page
    r = client.post(f"/exams/{alg}/slots/{slot}", headers={"HX-Request": "true"})
    assert r.status_code == 200 and "You are registered" in r.get_data(as_text=True)
    auth.logout()
    auth.login("lecturer1")
    page = client.get(f"/exams/{alg}/attendees").get_data(as_text=True)
    assert "attendees-group-1" in page and "Nobody yet." not in page.split("attendees-group-2")[0]
    page = client.get(f"/exams/manage/exams/{alg}").get_data(as_text=True)
    assert "INF-ALG-E1" in page and "Algorithms and Data Structures" in page
    auth.logout()
    auth.login("admin")
    assert "Summer session" in client.get("/exams/manage").get_data(as_text=True)
