"""The sync's mapping, checks and idempotence against a USOS installation in miniature
(tests/usos_fake.py); the live test against a second Indeks is test_university_sync.py."""
import pytest
from sqlalchemy import select

from portal.auth.models import User
from portal.extensions import db
from portal.university.models import ClassGroup, Course, Faculty, Room, TimetableMeeting

from .usos_fake import FakeUsos


@pytest.fixture
def usos():
    fake = FakeUsos()
    yield fake
    fake.stop()


def sync(runner, usos, *options, key="sync-key"):
    return runner.invoke(args=["university", "sync", "--from", usos.url, "--consumer-key", key,
                               "--consumer-secret", "sync-secret", *options])


def test_sync_maps_the_installation_and_a_second_sync_changes_nothing(runner, app, usos):
    first = sync(runner, usos)
    assert first.exit_code == 0, first.output
    assert "people: 3 created" in first.output and "timetable: 2 created" in first.output
    with app.app_context():
        assert db.session.get(Faculty, "U-H").parent_id == "U"
        assert db.session.get(Course, "H-1").ects_credits == 4.5
        groups = {g.number: g for g in db.session.scalars(select(ClassGroup))}
        assert [u.login for u in groups[1].lecturers] == ["7"]
        assert sorted(u.student_number for u in groups[1].participants) == ["1008", "1009"]
        assert groups[2].participants == []
        nowak = db.session.scalar(select(User).filter_by(login="7"))
        assert (nowak.first_name, nowak.titles_before, nowak.roles, nowak.email) == ("Jan", "dr", ["lecturer"], "jan@u.example")
        assert [(m.start_time.isoformat(), m.room.label) for m in groups[1].meetings] == \
            [("2026-10-05T10:15:00", "Gmach 101"), ("2026-10-12T10:15:00", "Gmach 101")]
        assert db.session.scalar(select(Room)).capacity == 40
        ewa = db.session.scalar(select(User).filter_by(login="8"))
        assert [(sp.programme_id, sp.status, sp.admission_date.isoformat(), sp.programme.mode_of_studies["en"])
                for sp in ewa.student_programmes] == [("H-S1", "active", "2025-10-01", "full-time")]
    again = sync(runner, usos)
    assert again.exit_code == 0, again.output
    assert "Nothing to change." in again.output


def test_changes_at_the_source_arrive_and_hidden_emails_stay(runner, app, usos):
    assert sync(runner, usos).exit_code == 0
    with app.app_context():
        ewa = db.session.scalar(select(User).filter_by(login="8"))
        ewa.email = "ewa@local.example"  # known here; the installation does not show it
        db.session.commit()
    groups = usos.data["units"]["501"]["class_groups"]
    groups[1]["participants"], groups[0]["participants"] = [{"id": "9"}], [{"id": "8"}]
    usos.data["users"]["9"]["last_name"] = "Kot-Lis"
    del usos.data["timetable"]["7"][1]
    result = sync(runner, usos, "--details")
    assert result.exit_code == 0, result.output
    assert "  ~ groups H-1/2026Z/KON/1: participants +0 -1" in result.output
    assert "  ~ groups H-1/2026Z/KON/2: participants +1 -0" in result.output
    assert "  ~ people 9: last_name 'Kot' -> 'Kot-Lis'" in result.output
    with app.app_context():
        assert db.session.scalar(select(User).filter_by(login="8")).email == "ewa@local.example"
        assert db.session.scalar(select(db.func.count(TimetableMeeting.id))) == 1


def test_a_local_administrator_keeps_the_role(runner, app, usos, make):
    make.user("7", admin=True, first_name="Local", last_name="Admin")
    result = sync(runner, usos)
    assert result.exit_code == 0, result.output
    with app.app_context():
        person = db.session.scalar(select(User).filter_by(login="7"))
        assert (person.last_name, person.roles) == ("Nowak", ["lecturer", "admin"])
    assert "Nothing to change." in sync(runner, usos).output


def test_bad_data_at_the_source_is_named_and_nothing_is_written(runner, app, usos):
    usos.data["users"]["9"]["last_name"] = ""
    usos.data["courses"]["H-1"]["fac_id"] = "NOWHERE"
    usos.data["faculties"]["NOWHERE"] = None
    result = sync(runner, usos)
    assert result.exit_code != 0
    assert "services/users/users 9: last_name: String should have at least 1 character (got '')" in result.output
    assert "services/courses/courses H-1: faculty: faculty 'NOWHERE' is neither in the files nor in the database" in result.output
    with app.app_context():
        assert db.session.scalar(select(db.func.count(User.id))) == 0


def test_a_refusing_installation(runner, app, usos):
    result = sync(runner, usos, key="wrong")
    assert result.exit_code != 0
    assert "Nothing was synced: services/terms/terms_index: HTTP 401: Invalid consumer key." in result.output


def test_dry_run_writes_nothing(runner, app, usos):
    result = sync(runner, usos, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "  + groups H-1/2026Z/KON/2" in result.output
    with app.app_context():
        assert db.session.scalar(select(db.func.count(ClassGroup.id))) == 0
