"""`flask university copy-database`: every table of a SQLite portal in use into an empty database
of the backend under test (PostgreSQL in the PostgreSQL run), ids, passwords and grades included."""
from sqlalchemy import func, select

from portal import create_app
from portal.auth.models import User
from portal.extensions import db
from portal.university.models import Faculty

from .conftest import BACKEND


def _counts():
    return {t.name: db.session.execute(select(func.count()).select_from(t)).scalar() for t in db.metadata.sorted_tables}


def test_copy_everything_into_an_empty_database(tmp_path, pg_server):
    source = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'source.sqlite3'}"})
    with source.app_context():
        db.create_all()
        from portal.demo import seed_demo
        seed_demo()
        before = _counts()
        faculties = sorted((f.id, f.parent_id) for f in db.session.scalars(select(Faculty)))
        last_user = db.session.scalar(select(func.max(User.id)))
    target_url = pg_server.create_database("indeks_copy") if BACKEND == "postgresql" else \
        f"sqlite:///{tmp_path / 'target.sqlite3'}"
    target = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": target_url})
    with target.app_context():
        db.create_all()
        db.engine.dispose()
    result = source.test_cli_runner().invoke(args=["university", "copy-database", "--to", target_url])
    assert result.exit_code == 0, result.output
    assert "grade_grades: " in result.output and result.output.endswith("Copied.\n")
    with target.app_context():
        assert _counts() == before
        assert before["grade_grades"] > 0 and before["attendance_entries"] > 0
        assert faculties == sorted((f.id, f.parent_id) for f in db.session.scalars(select(Faculty)))
        student = db.session.scalar(select(User).filter_by(login="student1"))
        assert student.check_password("demo")
        newcomer = User(login="after-the-move", first_name="A", last_name="B")
        db.session.add(newcomer)
        db.session.commit()  # the id sequence continues after the copied rows
        assert newcomer.id == last_user + 1
        db.session.remove()
        db.engine.dispose()
    again = source.test_cli_runner().invoke(args=["university", "copy-database", "--to", target_url])
    assert again.exit_code != 0 and "the target is not empty" in again.output
    with source.app_context():
        db.session.remove()
        db.engine.dispose()


def test_copy_refuses_a_target_without_the_schema(app, runner, tmp_path):
    result = runner.invoke(args=["university", "copy-database", "--to", f"sqlite:///{tmp_path / 'blank.sqlite3'}"])
    assert result.exit_code != 0
    assert "Nothing was copied: the target has no table" in result.output
