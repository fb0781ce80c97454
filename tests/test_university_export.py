"""`flask university export`: the same format back, and a round trip that reproduces the data.

The source is always a SQLite database with the demo university; the target is the backend
under test, so the PostgreSQL run (INDEKS_TEST_DB=postgresql) proves the move from SQLite.
"""
import filecmp
import json

import pytest

from portal import create_app
from portal.extensions import db


@pytest.fixture(scope="module")
def demo_export(tmp_path_factory):
    """The demo university exported from a SQLite database, in JSON and in CSV."""
    root = tmp_path_factory.mktemp("demo")
    source = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{root / 'source.sqlite3'}"})
    with source.app_context():
        db.create_all()
        from portal.demo import seed_demo
        seed_demo()
    runner = source.test_cli_runner()
    for fmt in ("json", "csv"):
        result = runner.invoke(args=["university", "export", "--format", fmt, str(root / fmt)])
        assert result.exit_code == 0, result.output
    with source.app_context():
        db.engine.dispose()
    return root


def same_files(left, right):
    """The two exports hold the same files with the same content (the manifest's date aside)."""
    names = sorted(p.name for p in left.iterdir())
    assert names == sorted(p.name for p in right.iterdir())
    for name in names:
        if name == "manifest.json":
            a, b = (json.loads((d / name).read_text()) for d in (left, right))
            a.pop("exported_at"), b.pop("exported_at")
            assert a == b
        else:
            assert filecmp.cmp(left / name, right / name, shallow=False), name


def test_export_lists_every_kind(demo_export):
    manifest = json.loads((demo_export / "json" / "manifest.json").read_text())
    assert manifest["format"] == "indeks-university" and manifest["version"] == 1
    assert list(manifest["files"]) == ["faculties", "terms", "class_types", "buildings", "rooms", "people",
                                       "programmes", "student_programmes", "courses", "editions", "groups",
                                       "timetable"]
    people = json.loads((demo_export / "json" / "people.json").read_text())
    assert len(people) == 316
    student1 = next(p for p in people if p["login"] == "student1")
    assert student1 == {"id": "student1", "login": "student1", "first_name": student1["first_name"],
                        "last_name": student1["last_name"], "email": "student1@indeks.example.edu.pl",
                        "student_number": "300001", "titles_before": None, "titles_after": None,
                        "roles": ["student"], "faculty": "WMI"}
    header = (demo_export / "csv" / "groups.csv").read_text().splitlines()[0]
    assert header == "course,term,class_type,number,lecturers,participants"


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_round_trip_into_an_empty_database(runner, app, tmp_path, demo_export, fmt):
    imported = runner.invoke(args=["university", "import", str(demo_export / fmt)])
    assert imported.exit_code == 0, imported.output
    assert "people: 316 created" in imported.output
    again = runner.invoke(args=["university", "import", str(demo_export / fmt)])
    assert "Nothing to change." in again.output, again.output
    exported = runner.invoke(args=["university", "export", "--format", fmt, str(tmp_path / "back")])
    assert exported.exit_code == 0, exported.output
    same_files(demo_export / fmt, tmp_path / "back")


def test_export_of_imported_people_keeps_their_ids(runner, app, tmp_path):
    from .test_university_import import EXAMPLE
    assert runner.invoke(args=["university", "import", str(EXAMPLE)]).exit_code == 0
    assert runner.invoke(args=["university", "export", "--format", "csv", str(tmp_path / "out")]).exit_code == 0
    lines = (tmp_path / "out" / "people.csv").read_text(encoding="utf-8").splitlines()
    assert lines[1] == "10001,jnowak,Jan,Nowak,jan.nowak@up.example.edu.pl,,prof. dr hab.,,lecturer,UP-WH-IH"
    groups = (tmp_path / "out" / "groups.csv").read_text(encoding="utf-8").splitlines()
    assert "H-STAR,2026Z,KON,1,10002|20003,20001|20002" in groups
