"""Kept pages (portal/pagecache.py): a page opened again with nothing changed costs the sign-in
check alone, and is never given once anything it shows has changed: a write by anyone, on any
app instance, or a moment it depends on passing."""
import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from portal import clock, pagecache
from portal.auth.models import User, UserSession
from portal.exams.models import Exam
from portal.extensions import db

from .conftest import AuthActions, make_test_app
from .factories_exams import ExamFactory
from .test_query_counts import counting


def signed_in(app, login):
    client = app.test_client()
    AuthActions(client).login(login)
    client.get("/")  # the "signed in" message is shown (and pages with a message are never kept)
    return client


def free_seats(page):
    return re.findall(r'data-testid="free">([^<]+)<', page)


def state(page):
    return re.search(r'data-testid="state">\s*([^<]+?)\s*<', page).group(1)


def version(app):
    with app.app_context():
        return db.session.scalar(select(pagecache.PageVersion.version))


@pytest.fixture
def ex(app, make):
    uni = make.university()
    return uni, ExamFactory(app).setup(uni, capacity=2, slots=2)  # one seat per slot in group 1


def test_a_page_opened_again_is_given_as_kept_for_the_sign_in_check_alone(app, ex):
    _uni, e = ex
    student = signed_in(app, "stud1")
    first = student.get(f"/exams/{e.exam.id}")
    with counting(app) as seen:
        again = student.get(f"/exams/{e.exam.id}")
    assert again.status_code == 200 and again.data == first.data
    assert len(seen) == 1 and "users" in seen[0] and "page_versions" in seen[0]


def test_a_seat_someone_else_takes_shows_at_once(app, ex):
    _uni, e = ex
    me, other = signed_in(app, "stud1"), signed_in(app, "stud2")
    page = f"/exams/{e.exam.id}"
    assert free_seats(me.get(page).get_data(as_text=True))[:2] == ["wolne 1 z 1", "wolne 1 z 1"]
    assert other.post(f"/exams/{e.exam.id}/slots/{e.slot1.id}", headers={"HX-Request": "true"}).status_code == 200
    assert free_seats(me.get(page).get_data(as_text=True))[:2] == ["wolne 0 z 1", "wolne 1 z 1"]


def test_a_change_made_through_another_app_instance_shows(app, db_url, ex):
    """Two hosts on one database: what one commits, the other's kept pages no longer give."""
    _uni, e = ex
    student = signed_in(app, "stud1")
    page = f"/exams/{e.exam.id}"
    assert "Egzamin" in student.get(page).get_data(as_text=True)
    other_host = make_test_app(db_url)
    with other_host.app_context():
        exam = db.session.get(Exam, e.exam.id)
        exam.name = {"pl": "Egzamin poprawkowy", "en": "Resit"}
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    assert "Egzamin poprawkowy" in student.get(page).get_data(as_text=True)


def test_registration_opening_by_the_clock_shows_without_any_write(app, make, monkeypatch):
    uni = make.university()
    opens = clock.now().replace(microsecond=0) + timedelta(seconds=10)
    e = ExamFactory(app).setup(uni, registration_start=opens)
    student = signed_in(app, "stud1")
    page = f"/exams/{e.exam.id}"
    assert state(student.get(page).get_data(as_text=True)) == "rejestracja jeszcze nieotwarta"
    assert state(student.get(page).get_data(as_text=True)) == "rejestracja jeszcze nieotwarta"  # kept
    before = version(app)
    later = opens + timedelta(seconds=1)  # well within PORTAL_PAGE_KEEP_SECONDS
    monkeypatch.setattr(clock, "now", lambda: later)
    assert state(student.get(page).get_data(as_text=True)) == "rejestracja otwarta"
    assert version(app) == before  # nothing was written: the moment alone ended the kept page


def test_a_micro_round_ending_ends_the_kept_page(app, make, monkeypatch):
    uni = make.university()
    start = clock.now().replace(microsecond=0) - timedelta(seconds=5)
    e = ExamFactory(app).setup(uni, registration_start=start, micro_round_length=20, micro_break_length=10)
    student = signed_in(app, "stud1")
    student.get(f"/exams/{e.exam.id}")
    with app.app_context():
        (page,) = app.extensions["indeks_kept_pages"].values()
    assert page.until == start + timedelta(seconds=20)  # the round's end, before any column's moment


def test_kept_pages_do_not_outlive_midnight_nor_the_configured_seconds(app, ex, monkeypatch):
    _uni, e = ex
    evening = datetime.combine(clock.now().date(), datetime.min.time()) + timedelta(hours=23, minutes=59, seconds=50)
    monkeypatch.setattr(clock, "now", lambda: evening)
    student = signed_in(app, "stud1")
    student.get("/")
    (page,) = app.extensions["indeks_kept_pages"].values()
    assert page.until == evening + timedelta(seconds=10)  # the next midnight, before 30 s have passed
    app.config["PORTAL_PAGE_KEEP_SECONDS"] = 5
    app.extensions["indeks_kept_pages"].clear()
    student.get("/")
    (page,) = app.extensions["indeks_kept_pages"].values()
    assert page.until == evening + timedelta(seconds=5)


def test_a_flashed_message_is_shown_instead_of_a_kept_page(app, ex):
    _uni, e = ex
    me, other = signed_in(app, "stud1"), signed_in(app, "stud2")
    page = f"/exams/{e.exam.id}"
    other.post(f"/exams/{e.exam.id}/slots/{e.slot1.id}", headers={"HX-Request": "true"})
    me.get(page)
    me.get(page)  # kept
    before = version(app)
    refused = me.post(f"/exams/{e.exam.id}/slots/{e.slot1.id}")  # a plain form: full, said on the page
    assert refused.status_code == 303 and version(app) == before  # a refusal writes nothing
    assert "flash-error" in me.get(page).get_data(as_text=True)


def test_the_language_and_the_person_are_part_of_what_is_kept(app, ex):
    _uni, e = ex
    me, other = signed_in(app, "stud1"), signed_in(app, "stud2")
    page = f"/exams/{e.exam.id}"
    mine, theirs = me.get(page).get_data(as_text=True), other.get(page).get_data(as_text=True)
    assert 'data-testid="who">First' in mine and mine != theirs  # each sees their own name and token
    assert me.post("/lang/en", data={"next": page}).status_code == 303
    assert state(me.get(page).get_data(as_text=True)) == "registration open"
    assert state(other.get(page).get_data(as_text=True)) == "rejestracja otwarta"


def test_a_sign_in_ended_elsewhere_gets_no_kept_page(app, ex):
    _uni, e = ex
    student = signed_in(app, "stud1")
    page = f"/exams/{e.exam.id}"
    student.get(page)
    with app.app_context():
        user = db.session.scalar(select(User).filter_by(login="stud1"))
        db.session.execute(UserSession.__table__.delete().where(UserSession.user_id == user.id))
        db.session.commit()
    r = student.get(page)
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_sign_in_bookkeeping_and_rolled_back_writes_keep_the_version(app, ex):
    _uni, e = ex
    before = version(app)
    signed_in(app, "stud2")  # a sign-in (user_sessions) and its page views
    assert version(app) == before
    with app.app_context():
        db.session.execute(update(Exam).where(Exam.id == e.exam.id).values(code="X-1"))
        db.session.rollback()
        db.session.execute(select(Exam.code))  # a read, on the connection that wrote and rolled back
        db.session.commit()
    assert version(app) == before
    with app.app_context():
        db.session.execute(update(Exam).where(Exam.id == e.exam.id).values(code="X-2"))
        db.session.commit()
    assert version(app) == before + 1


def test_htmx_requests_and_a_zero_setting_are_never_kept(app, ex):
    _uni, e = ex
    student = signed_in(app, "stud1")
    student.get(f"/exams/{e.exam.id}", headers={"HX-Request": "true"})
    assert not app.extensions.get("indeks_kept_pages")
    app.config["PORTAL_PAGE_KEEP_SECONDS"] = 0
    student.get(f"/exams/{e.exam.id}")
    with counting(app) as seen:
        student.get(f"/exams/{e.exam.id}")
    assert len(seen) > 1 and not app.extensions.get("indeks_kept_pages")


def test_a_worker_keeps_at_most_its_budget_of_bytes(app, ex, monkeypatch):
    _uni, e = ex
    student = signed_in(app, "stud1")
    student.get(f"/exams/{e.exam.id}")
    size = app.extensions["indeks_kept_pages"].bytes
    assert size > 1000
    monkeypatch.setattr(pagecache, "KEPT_BYTES", size + 100)
    student.get("/exams/")  # does not fit beside the exam's page: the worker starts anew
    kept = app.extensions["indeks_kept_pages"]
    assert len(kept) == 1 and kept.bytes == len(next(iter(kept.values())).body) != size


@pytest.mark.parametrize("page", ["/meetings/", "/meetings/dates/{date}"])
def test_a_consultation_page_is_kept_until_its_sign_up_closes(app, make, page):
    from portal.meetings.models import MeetingDate

    from .factories_meetings import MeetingFactory
    m = MeetingFactory(app).setup(make)
    closes = clock.now().replace(microsecond=0) + timedelta(seconds=10)
    with app.app_context():
        db.session.get(MeetingDate, m.date.id).registration_end_time = closes
        db.session.commit()
    student = signed_in(app, "stud1")
    assert student.get(page.format(date=m.date.id)).status_code == 200
    (kept,) = app.extensions["indeks_kept_pages"].values()
    assert kept.until == closes



# --- kept refusals: a full slot clicked again ------------------------------------------------

def full_slot(app, ex):
    """Slot 1 (one seat) taken by stud2; stud1 signed in, the exam's page open."""
    _uni, e = ex
    other = signed_in(app, "stud2")
    assert other.post(f"/exams/{e.exam.id}/slots/{e.slot1.id}", headers={"HX-Request": "true"}).status_code == 200
    me = signed_in(app, "stud1")
    me.get(f"/exams/{e.exam.id}")
    return e, me, other, f"/exams/{e.exam.id}/slots/{e.slot1.id}"


def test_a_refused_click_sent_again_is_answered_as_kept(app, ex):
    e, me, _other, click = full_slot(app, ex)
    first = me.post(click, headers={"HX-Request": "true"})
    assert first.status_code == 409 and first.headers["HX-Reswap"] == "none"
    with counting(app) as seen:
        again = me.post(click, headers={"HX-Request": "true"})
    assert (again.status_code, again.headers.get("HX-Reswap"), again.data) == (409, "none", first.data)
    assert len(seen) == 1 and "page_versions" in seen[0]
    kept = [p for p in app.extensions["indeks_kept_pages"].values() if p.status == 409]
    assert [p.headers for p in kept] == [(("HX-Reswap", "none"),)]  # the view's own; the rest added on the way out
    assert again.headers["Content-Type"] == first.headers["Content-Type"] == "text/html; charset=utf-8"
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"]


def test_a_seat_given_up_is_taken_by_the_next_click_not_refused_as_kept(app, ex):
    e, me, other, click = full_slot(app, ex)
    assert me.post(click, headers={"HX-Request": "true"}).status_code == 409
    assert me.post(click, headers={"HX-Request": "true"}).status_code == 409  # kept
    assert other.post(f"/exams/{e.exam.id}/leave", headers={"HX-Request": "true"}).status_code == 200
    taken = me.post(click, headers={"HX-Request": "true"})
    assert taken.status_code == 200 and "HX-Reswap" not in taken.headers
    from portal.exams.models import ExamRegistration
    with app.app_context():
        holder = db.session.scalar(select(ExamRegistration.user_id).where(ExamRegistration.slot_id == e.slot1.id))
        assert holder == db.session.scalar(select(User.id).filter_by(login="stud1"))


def test_a_kept_refusal_still_wants_the_csrf_token(app, ex):
    _e, me, _other, click = full_slot(app, ex)
    assert me.post(click, headers={"HX-Request": "true"}).status_code == 409
    forged = me.post(click, headers={"HX-Request": "true"}, csrf=False)
    assert forged.status_code == 400 and "HX-Reswap" not in forged.headers


def test_a_refusal_is_kept_for_its_person_and_until_registration_closes(app, make, monkeypatch):
    uni = make.university()
    closes = clock.now().replace(microsecond=0) + timedelta(seconds=10)
    e = ExamFactory(app).setup(uni, capacity=2, slots=2, registration_end=closes)
    _e, me, _other, click = full_slot(app, (uni, e))
    third = signed_in(app, "stud3")
    assert me.post(click, headers={"HX-Request": "true"}).status_code == 409
    (kept,) = [p for p in app.extensions["indeks_kept_pages"].values() if p.status == 409]
    assert kept.until == closes
    with counting(app) as seen:
        assert third.post(click, headers={"HX-Request": "true"}).status_code == 409
    assert len(seen) > 1  # another person's click is theirs to refuse
    monkeypatch.setattr(clock, "now", lambda: closes + timedelta(seconds=1))
    with counting(app) as seen:
        late = me.post(click, headers={"HX-Request": "true"})
    assert late.status_code == 409 and len(seen) > 1  # decided again once the window closed


def test_a_refused_consultation_sign_up_is_kept_until_a_place_frees(app, make):
    from .factories_meetings import MeetingFactory
    m = MeetingFactory(app).setup(make)  # 2 seats, 1 reserve place
    sign_up, form, hx = f"/meetings/dates/{m.date.id}/sign-up", {"substantiation": m.sub.id}, {"HX-Request": "true"}
    first = signed_in(app, "stud1")
    for login in ("stud1", "stud2", "stud3"):
        client = first if login == "stud1" else signed_in(app, login)
        assert client.post(sign_up, data=form, headers=hx).status_code == 200
    late = signed_in(app, "stud4")
    refused = late.post(sign_up, data=form, headers=hx)
    assert refused.status_code == 400 and "Brak wolnych miejsc" in refused.get_data(as_text=True)
    with counting(app) as seen:
        again = late.post(sign_up, data=form, headers=hx)
    assert (again.status_code, again.data, len(seen)) == (400, refused.data, 1)
    assert first.post(f"/meetings/dates/{m.date.id}/sign-off", headers=hx).status_code == 200
    taken = late.post(sign_up, data=form, headers=hx)
    assert taken.status_code == 200 and "lista rezerwowa, miejsce 1" in taken.get_data(as_text=True)


def test_a_form_sent_again_with_other_fields_is_decided_anew(app, make):
    from .factories_meetings import MeetingFactory
    m = MeetingFactory(app).setup(make)
    sign_up, hx = f"/meetings/dates/{m.date.id}/sign-up", {"HX-Request": "true"}
    student = signed_in(app, "stud1")
    wrong = student.post(sign_up, data={"substantiation": m.foreign_sub.id}, headers=hx)
    assert wrong.status_code == 422  # not one of the form's reasons (kept: a refusal)
    assert student.post(sign_up, data={"substantiation": m.foreign_sub.id}, headers=hx).data == wrong.data
    right = student.post(sign_up, data={"substantiation": m.sub.id}, headers=hx)
    assert right.status_code == 200 and "Zapisano Cię." in right.get_data(as_text=True)
