"""services/calendar/search lists a faculty's examination sessions beside its days off: each
visible session of the faculty or its parents, from its first exam to its last."""
from datetime import timedelta

from portal import clock


from .factories_exams import ExamFactory


def search(api, uni, start, end, faculty=None):
    return api.call("services/calendar/search", user=uni.student, faculty_id=faculty or uni.faculty.id,
                    start_date=start.isoformat(), end_date=end.isoformat(),
                    fields="id|name|start_date|end_date|type|is_day_off|faculty")


def test_examination_sessions_span_their_exams(app, api, uni):
    factory = ExamFactory(app)
    ex = factory.setup(uni)  # group 1 on day 7, group 2 on day 8
    hidden = factory.session(uni.faculty.id, status="in_preparation")  # staff only: not in the calendar
    factory.group(factory.exam(hidden, uni.course.id, uni.term.id), day=9)
    d = clock.today()  # the institution's day, as the factories' (not the machine's: they differ near midnight)
    r = search(api, uni, d, d + timedelta(days=30))
    assert r.status_code == 200, r.get_json()
    assert r.get_json() == [{"id": f"exam_session:{ex.session.id}", "name": {"pl": "Sesja zimowa", "en": "Winter session"},
                             "start_date": str(d + timedelta(days=7)), "end_date": str(d + timedelta(days=8)),
                             "type": "exam_session", "is_day_off": False,
                             "faculty": {"id": uni.faculty.id, "name": {"pl": "Wydział FAC", "en": "Faculty FAC"}}}]
    # the window touches the session's last day; a window after it has none
    assert len(search(api, uni, d + timedelta(days=8), d + timedelta(days=8)).get_json()) == 1
    assert search(api, uni, d + timedelta(days=9), d + timedelta(days=20)).get_json() == []
    # a child faculty sees its parent's sessions, the parent not its child's
    assert search(api, uni, d, d + timedelta(days=30), faculty=uni.parent.id).get_json() == []
