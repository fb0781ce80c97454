"""`flask university sync`: a second Indeks (live gunicorn, the demo university) is the USOS API
installation; after a sync the target holds the same faculties, courses, groups, people and
timetable, and a second sync changes nothing."""
import pytest
from sqlalchemy import select

from portal import create_app
from portal.auth.models import User
from portal.extensions import db
from portal.university.models import ClassGroup, Course, Faculty, TimetableMeeting
from portal.university.programmes import Programme, StudentProgramme

from .conftest import LiveServer


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """A live Indeks with the demo university, and an administrative consumer there."""
    url = f"sqlite:///{tmp_path_factory.mktemp('usos') / 'source.sqlite3'}"
    source_app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with source_app.app_context():
        db.create_all()
        from portal.demo import seed_demo
        seed_demo()
    created = source_app.test_cli_runner().invoke(args=["consumer", "create", "Indeks sync", "--admin"])
    key, secret = created.output.split()
    server = LiveServer(url, workers=2)
    yield source_app, server, key, secret
    server.stop()
    with source_app.app_context():
        db.engine.dispose()


def snapshot():
    """What must be the same on both sides, in the format's own keys."""
    def person(u):
        return (u.first_name, u.last_name, u.student_number, u.titles_before, tuple(u.roles))
    groups = set()
    for g in db.session.scalars(select(ClassGroup)):
        e = g.unit.edition
        groups.add((e.course_id, e.term_id, g.unit.classtype_id, g.number,
                    frozenset(person(u) for u in g.lecturers), frozenset(person(u) for u in g.participants),
                    tuple(person(u) for u in e.coordinators),
                    tuple((m.start_time, m.end_time, m.room.building_id if m.room else None,
                           m.room.number if m.room else None) for m in g.meetings)))
    in_groups = {u.id for g in db.session.scalars(select(ClassGroup)) for u in [*g.lecturers, *g.participants]}
    people_in_groups = {person(u) for g in db.session.scalars(select(ClassGroup)) for u in [*g.lecturers, *g.participants]}
    return {
        "faculties": {(f.id, f.name["pl"], f.name["en"], f.parent_id) for f in db.session.scalars(select(Faculty))},
        "courses": {(c.id, c.name["pl"], c.name["en"], c.fac_id, c.ects_credits) for c in db.session.scalars(select(Course))},
        "groups": groups,
        "people": people_in_groups,
        # the programmes of the people a sync brings: those who teach or attend a group
        "programmes": {(p.id, p.name["en"], p.faculty_id, p.level, p.duration["en"] if p.duration else None)
                       for p in db.session.scalars(select(Programme)) if p.id in {
                           sp.programme_id for sp in db.session.scalars(select(StudentProgramme)) if sp.user_id in in_groups}},
        "student_programmes": {(sp.user.first_name, sp.user.last_name, sp.user.student_number, sp.programme_id,
                                sp.status, sp.admission_date, sp.is_primary)
                               for sp in db.session.scalars(select(StudentProgramme)) if sp.user_id in in_groups},
        "people_count": len(in_groups),
        "meetings": db.session.scalar(select(db.func.count(TimetableMeeting.id))),
    }


def sync(runner, server, key, secret, *options):
    return runner.invoke(args=["university", "sync", "--from", server.url + "/", "--consumer-key", key,
                               "--consumer-secret", secret, *options])


@pytest.mark.live
def test_sync_copies_the_university_and_then_changes_nothing(source, app, runner):
    source_app, server, key, secret = source
    with source_app.app_context():
        expected = snapshot()
    preview = sync(runner, server, key, secret, "--all-terms", "--dry-run")
    assert preview.exit_code == 0, preview.output
    assert "groups: 66 created, 0 changed, 0 unchanged" in preview.output
    assert "Dry run: nothing written." in preview.output
    with app.app_context():
        assert db.session.scalar(select(db.func.count(ClassGroup.id))) == 0
    first = sync(runner, server, key, secret, "--all-terms")
    assert first.exit_code == 0, first.output
    assert f"people: {expected['people_count']} created" in first.output  # everyone teaching or attending
    with app.app_context():
        assert snapshot() == expected
        lecturer = db.session.scalar(select(User).filter_by(first_name=db.session.scalar(
            select(User.first_name).where(User.is_lecturer)), is_lecturer=True))
        assert lecturer.external_id is None and lecturer.login.isdigit()  # keyed by the source's user id
    second = sync(runner, server, key, secret, "--all-terms")
    assert second.exit_code == 0, second.output
    assert "Nothing to change." in second.output, second.output
    assert server.errors() == ""


@pytest.mark.live
def test_sync_keeps_a_local_administrator(source, app, runner, make):
    source_app, server, key, secret = source
    with source_app.app_context():
        teacher = db.session.scalar(select(User).filter_by(login="lecturer1"))
        teacher_id, teacher_name = str(teacher.id), teacher.last_name
    make.user(teacher_id, admin=True, first_name="Local", last_name="Admin")  # made here, before any sync
    result = sync(runner, server, key, secret, "--term", "no-such-term")  # structure only, no editions
    assert result.exit_code == 0, result.output
    assert "courses: 12 created" in result.output and "groups:" not in result.output
    result = sync(runner, server, key, secret)  # the active term
    assert result.exit_code == 0, result.output
    with app.app_context():
        person = db.session.scalar(select(User).filter_by(login=teacher_id))
        assert (person.last_name, person.is_admin, person.is_lecturer) == (teacher_name, True, True)


@pytest.mark.live
def test_sync_from_a_refusing_installation_writes_nothing(source, app, runner):
    _source_app, server, _key, _secret = source
    refused = sync(runner, server, "bad-key", "bad-secret")
    assert refused.exit_code != 0
    print(refused.output)
    assert "Nothing was synced: services/" in refused.output
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Course.id))) == 0
