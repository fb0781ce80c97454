"""The rush path's cheap answers stay right: a refused click's answer is rendered once per what
it shows (portal.web.render_once), a click and a poll read the exam, the person's attendance
and seat in one statement (queries.load_click, queries.load_exam_briefly)."""
from sqlalchemy import event

from portal import database
from portal.auth.models import User
from portal.exams import manage
from portal.exams.models import Exam, ExamSlot
from portal.meetings.models import MeetingDate
from portal.extensions import db
from portal.web import render_once

from .factories_exams import ExamFactory
from .factories_grades import GradesFactory
from .factories_meetings import MeetingFactory
from .test_exams_live_seats import poller, slots

HX = {"HX-Request": "true"}


def signed_in(app, login, lang="en"):
    client = app.test_client()
    assert client.post("/login", data={"login": login, "password": "demo"}).status_code in (302, 303)
    client.post(f"/lang/{lang}")
    return client


def pick(client, ex, slot):
    return client.post(f"/exams/{ex.exam.id}/slots/{slot.id}", headers=HX)


def test_a_kept_refusal_follows_the_seats_the_language_and_whose_seat_it_is(app, make):
    uni = make.university()
    ex = ExamFactory(app).setup(uni, capacity=2, slots=2)  # one seat per slot in group 1
    winner, late = signed_in(app, "stud1"), signed_in(app, "stud2")
    assert pick(winner, ex, ex.slot1).status_code == 200
    first = pick(late, ex, ex.slot1)
    assert first.status_code == 409 and first.headers["HX-Reswap"] == "none"
    assert "This slot is full" in first.get_data(as_text=True) and ">0 of 1 free<" in first.get_data(as_text=True)
    # the same state asked for by the seat's owner: their own row, not the kept "Full"
    own = pick(winner, ex, ex.slot1).get_data(as_text=True)
    assert "Your slot" in own and "Full" not in own
    # the same refusal in Polish
    polish = pick(signed_in(app, "stud2", "pl"), ex, ex.slot1).get_data(as_text=True)
    assert "Ten termin jest już pełny" in polish and ">wolne 0 z 1<" in polish
    # the slot grows by a seat that someone takes: the refusal shows the new seats
    with app.app_context():
        db.session.get(ExamSlot, ex.slot1.id).capacity = 2
        db.session.commit()
    assert pick(signed_in(app, "stud3"), ex, ex.slot1).status_code == 200
    again = pick(late, ex, ex.slot1).get_data(as_text=True)
    assert ">0 of 2 free<" in again and ">0 of 1 free<" not in again


def test_a_click_on_a_full_slot_by_a_seat_holder_elsewhere_is_refused_as_full(app, make):
    uni = make.university()
    ex = ExamFactory(app).setup(uni, capacity=2, slots=2)
    holder = signed_in(app, "stud1")
    assert pick(holder, ex, ex.slot2).status_code == 200
    assert pick(signed_in(app, "stud2"), ex, ex.slot1).status_code == 200
    r = pick(holder, ex, ex.slot1)
    assert r.status_code == 409 and "This slot is full" in r.get_data(as_text=True)
    with app.app_context():
        seats = {s.id: s.taken for s in db.session.scalars(db.select(ExamSlot).where(
            ExamSlot.id.in_([ex.slot1.id, ex.slot2.id])))}
    assert seats == {ex.slot1.id: 1, ex.slot2.id: 1}  # the holder kept their seat in slot 2


def test_the_poll_of_an_exam_with_conditions_agrees_with_its_page(app, make, client, auth):
    uni = make.university()
    ex = ExamFactory(app).setup(uni, capacity=2, slots=2)
    report = GradesFactory(app).report(uni.edition, uni.classes_unit)
    with app.app_context():
        manage.set_condition(db.session.get(Exam, ex.exam.id), db.session.get(User, uni.coordinator.id), report.id)
        db.session.commit()
    auth.login("stud1")
    _url, _seconds, etag = poller(client.get(f"/exams/{ex.exam.id}").get_data(as_text=True))
    assert slots(client, ex.exam, etag).status_code == 304  # not admitted, on the page and in the poll
    with app.app_context():
        manage.remove_condition(db.session.get(Exam, ex.exam.id), db.session.get(User, uni.coordinator.id), report.id)
        db.session.commit()
    r = slots(client, ex.exam, etag)
    assert r.status_code == 200 and r.headers["ETag"] != etag
    assert slots(client, ex.exam, r.headers["ETag"]).status_code == 304


def test_a_kept_consultation_refusal_follows_the_places_the_language_and_the_entry(app, make):
    mf = MeetingFactory(app)
    uni = make.university()
    sub = {"substantiation": str(mf.substantiation(uni.faculty).id)}
    date = mf.date(mf.meeting(uni.coordinator, uni.faculty), seats=1, reserve=1)
    mf.entry(date, uni.students[1])
    mf.entry(date, uni.students[2], status="waiting", reserve=True)
    url = f"/meetings/dates/{date.id}/sign-up"
    late = signed_in(app, "stud1")
    r = late.post(url, data=sub, headers=HX)
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "There are no seats left on this meeting date." in body
    assert "seats: 0 of 1 free" in body
    polish = signed_in(app, "stud1", "pl").post(url, data=sub, headers=HX).get_data(as_text=True)
    assert "wolne 0 z 1" in polish and "There are no seats left" not in polish
    # someone with an entry is answered with their own status, not the kept refusal
    holder = signed_in(app, "stud2").post(url, data=sub, headers=HX).get_data(as_text=True)
    assert "Your status:" in holder and "There are no seats left" not in holder
    with app.app_context():
        db.session.get(MeetingDate, date.id).seats_limit = 2
        db.session.commit()
    mf.entry(date, uni.students[3])
    again = late.post(url, data=sub, headers=HX).get_data(as_text=True)
    assert "seats: 0 of 2 free" in again and "seats: 0 of 1 free" not in again


def test_a_seat_is_taken_in_the_only_write_transaction_and_answered_from_a_read_one(app, make):
    uni = make.university()
    ex = ExamFactory(app).setup(uni, capacity=2, slots=2)
    client = signed_in(app, "stud1")
    with app.app_context():
        engine = db.engine
    begun = []  # per transaction of the click: whether it takes the write lock (BEGIN IMMEDIATE on SQLite)

    def began(conn):
        begun.append(database.write_intent())

    event.listen(engine, "begin", began)
    try:
        assert pick(client, ex, ex.slot1).status_code == 200
    finally:
        event.remove(engine, "begin", began)
    assert begun == [False, True, False]  # the checks, the seat, then the clash check and the answer


def test_render_once_keeps_an_answer_per_key_and_language_unless_templates_reload(app):
    template = "exams/_slot_message.html"
    with app.test_request_context("/"):
        first = render_once(("k",), template, lambda: dict(message="One", kind="error"))
        assert render_once(("k",), template, lambda: dict(message="Two", kind="error")) == first
        assert "Two" in render_once(("other",), template, lambda: dict(message="Two", kind="error"))
        app.jinja_env.auto_reload = True
        assert "Two" in render_once(("k",), template, lambda: dict(message="Two", kind="error"))


def test_the_language_comes_from_the_address_then_the_browser(client):
    """portal.i18n.select_locale reads ?lang= only when the query string names it."""
    assert "<h1>Sign in</h1>" in client.get("/login?x=1&lang=en").get_data(as_text=True)
    assert "<h1>Sign in</h1>" in client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "<h1>Sign in</h1>" not in client.get("/login?x=1").get_data(as_text=True)  # Polish by default


def test_a_refusal_reads_outside_the_write_transaction_and_a_seat_is_taken_inside_one(app, make):
    """SQLite: the refusal never asks for the write lock, the seat's UPDATE runs after BEGIN
    IMMEDIATE. PostgreSQL: the refusal's and the seats poll's reads run in autocommit (no BEGIN,
    no ROLLBACK round trips), the seat's UPDATE inside a transaction; a pooled connection is back in transactions
    for the next request that is not a `reads_first` click."""
    uni = make.university()
    ex = ExamFactory(app).setup(uni, capacity=2, slots=2)  # one seat per slot in group 1
    winner, late = signed_in(app, "stud1"), signed_in(app, "stud2")
    seen = []

    def watch(conn, cursor, statement, parameters, context, executemany):
        driver = conn.connection.driver_connection
        seen.append((statement.split()[0].upper() + " " + (statement.split()[1].upper() if len(statement.split()) > 1 else ""),
                     getattr(driver, "autocommit", None)))

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", watch)
        sqlite = db.engine.dialect.name == "sqlite"
    try:
        assert pick(winner, ex, ex.slot1).status_code == 200
        taken = list(seen)
        seen.clear()
        assert pick(late, ex, ex.slot1).status_code == 409
        refused = list(seen)
        seen.clear()
        assert late.get(f"/exams/{ex.exam.id}").status_code == 200
        page = list(seen)
        seen.clear()
        assert late.get(f"/exams/{ex.exam.id}/slots", headers=HX).status_code == 200
        polled = list(seen)
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", watch)
    updates = [autocommit for statement, autocommit in taken if statement.startswith("UPDATE EXAM_SLOTS")]
    assert len(updates) == 1
    if sqlite:
        assert ("BEGIN IMMEDIATE", None) in taken[:taken.index(next(s for s in taken if s[0].startswith("UPDATE EXAM_SLOTS")))]
        assert not any(statement == "BEGIN IMMEDIATE" for statement, _ in refused)
    else:
        assert updates == [False]  # the seat is taken inside a transaction
        assert refused and all(autocommit is True for _, autocommit in refused)
        assert polled and all(autocommit is True for _, autocommit in polled)  # the seats poll too
        assert page and all(autocommit is False for _, autocommit in page)  # a page reads in a transaction
