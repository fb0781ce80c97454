"""`flask university import`: the example set, re-imports, updates, dry runs, and refusals."""
import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from portal.auth.models import User
from portal.extensions import db
from portal.university.models import (ClassGroup, Course, CourseEdition, Faculty, Term,
                                      TimetableMeeting)
from portal.university.programmes import Programme, StudentProgramme

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "university-example"


@pytest.fixture
def example(tmp_path):
    """A copy of docs/university-example to edit."""
    target = tmp_path / "example"
    shutil.copytree(EXAMPLE, target)
    return target


def run_import(runner, path, *options):
    return runner.invoke(args=["university", "import", str(path), *options])


def edit_csv(path, change):
    """Rewrite a CSV file: `change(rows)` edits the list of dicts in place (or returns a new one)."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        columns, rows = reader.fieldnames, list(reader)
    rows = change(rows) or rows
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0].keys()) if rows else columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def count(model):
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def person(login):
    return db.session.scalar(db.select(User).filter_by(login=login))


def group(course, classtype, number=1):
    return next(g for g in db.session.scalars(db.select(ClassGroup))
                if g.unit.edition.course_id == course and g.unit.classtype_id == classtype and g.number == number)


def test_example_imports_then_changes_nothing(runner, app):
    first = run_import(runner, EXAMPLE)
    assert first.exit_code == 0, first.output
    assert "people: 6 created, 0 changed, 0 unchanged" in first.output
    assert "timetable: 4 created, 0 changed, 0 unchanged" in first.output
    with app.app_context():
        nowak = person("jnowak")
        assert (nowak.external_id, nowak.first_name, nowak.titles_before, nowak.roles) == \
            ("10001", "Jan", "prof. dr hab.", ["lecturer"])
        assert person("s123458").roles == ["student", "lecturer"] and person("s123458").student_number == "123458"
        assert person("jnowak").password_hash == "!"  # no local password: SSO signs them in
        assert db.session.get(Faculty, "UP-WH-IH").parent.parent.id == "UP"
        assert db.session.get(Course, "H-MET").ects_credits == 4.5
        edition = db.session.scalar(db.select(CourseEdition).filter_by(course_id="H-STAR", term_id="2026Z"))
        assert [u.login for u in edition.coordinators] == ["jnowak"]
        konw = group("H-STAR", "KON")
        assert sorted(u.login for u in konw.lecturers) == ["akowal", "s123458"]
        assert sorted(u.login for u in konw.participants) == ["s123456", "s123457"]
        lecture = group("H-STAR", "WYK")
        assert [(m.start_time.isoformat(), m.room.label) for m in lecture.meetings] == \
            [("2026-10-05T10:15:00", "Collegium Historicum 101"), ("2026-10-12T10:15:00", "Collegium Historicum 101")]
        zofia = person("s123458")
        assert [(p.programme_id, p.status, p.is_primary) for p in zofia.student_programmes] == \
            [("H-DR", "active", True), ("H-S1", "graduated_diploma", False)]
        school = db.session.get(Programme, "H-DR")
        assert (school.level, school.is_doctoral, school.duration, school.professional_status) == \
            ("phd_school", True, {"pl": "4 lata", "en": "4 years"}, None)
        editions = {e.course_id: e for e in db.session.scalars(db.select(CourseEdition))}
        assert (editions["H-MET"].credits, editions["H-STAR"].ects_credits, editions["H-STAR"].credits) == (5, None, 6)
        users, meetings = count(User), count(TimetableMeeting)
    second = run_import(runner, EXAMPLE)
    assert second.exit_code == 0, second.output
    assert "Nothing to change." in second.output
    assert "people: 0 created, 0 changed, 6 unchanged" in second.output
    with app.app_context():
        assert (count(User), count(TimetableMeeting)) == (users, meetings)


def test_a_student_graduates_and_an_edition_gets_its_own_credits(runner, app, example):
    assert run_import(runner, example).exit_code == 0

    def graduate(rows):
        rows[0]["status"] = "graduated_before_diploma"
    edit_csv(example / "student_programmes.csv", graduate)
    edit_csv(example / "editions.csv", lambda rows: rows[0].update(ects="7.5"))
    result = run_import(runner, example, "--details")
    assert result.exit_code == 0, result.output
    assert "  ~ student_programmes 20001/H-S1: status 'active' -> 'graduated_before_diploma'" in result.output
    assert "  ~ editions H-STAR/2026Z: ects None -> Decimal('7.5')" in result.output
    with app.app_context():
        assert count(StudentProgramme) == 4
        assert person("s123456").student_status == 1  # no active programme left: a former student
        edition = db.session.scalar(db.select(CourseEdition).filter_by(course_id="H-STAR"))
        assert edition.credits == 7.5


def test_dry_run_reports_and_writes_nothing(runner, app):
    result = run_import(runner, EXAMPLE, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "courses: 2 created" in result.output
    assert "  + people 10001 (jnowak)" in result.output
    assert "Dry run: nothing written." in result.output
    with app.app_context():
        assert count(User) == 0 and count(Faculty) == 0 and count(TimetableMeeting) == 0


def test_reimport_updates_what_changed_and_never_duplicates(runner, app, example):
    assert run_import(runner, example).exit_code == 0

    def rename(rows):
        rows[0]["name_en"] = "Ancient History I"
        rows[1]["ects"] = "5"
    edit_csv(example / "courses.csv", rename)

    def marry(rows):
        rows[3].update(last_name="Wójcik-Nowak", login="mwojcik")  # id 20001 keeps its identity
    edit_csv(example / "people.csv", marry)

    def regroup(rows):
        rows[1]["participants"] = "20002|20003"
    edit_csv(example / "groups.csv", regroup)
    timetable = json.loads((example / "timetable.json").read_text(encoding="utf-8"))
    timetable[1]["room"] = "204"
    del timetable[0]
    (example / "timetable.json").write_text(json.dumps(timetable), encoding="utf-8")

    preview = run_import(runner, example, "--dry-run")
    assert preview.exit_code == 0, preview.output
    assert "courses: 0 created, 2 changed, 0 unchanged" in preview.output
    assert "name.en" not in preview.output and "  ~ courses H-STAR: name {" in preview.output
    assert "  ~ courses H-MET: ects Decimal('4.50') -> Decimal('5')" in preview.output
    assert "  ~ people 20001 (mwojcik): login 's123456' -> 'mwojcik'; last_name 'Wójcik' -> 'Wójcik-Nowak'" in preview.output
    assert "  ~ groups H-STAR/2026Z/KON/1: participants +1 -1" in preview.output
    assert "timetable: 0 created, 1 changed, 2 unchanged, 1 removed" in preview.output
    with app.app_context():
        assert person("mwojcik") is None

    applied = run_import(runner, example)
    assert applied.exit_code == 0, applied.output
    with app.app_context():
        assert count(User) == 6 and count(Course) == 2
        assert person("s123456") is None and person("mwojcik").external_id == "20001"
        assert db.session.get(Course, "H-STAR").name == {"pl": "Historia starożytna", "en": "Ancient History I"}
        assert sorted(u.login for u in group("H-STAR", "KON").participants) == ["s123457", "s123458"]
        assert [m.room.number for m in group("H-STAR", "WYK").meetings] == ["204"]
    assert "Nothing to change." in run_import(runner, example).output


def test_absent_column_keeps_and_empty_cell_clears(runner, app, example):
    assert run_import(runner, example).exit_code == 0

    def drop_email(rows):
        return [{k: v for k, v in row.items() if k != "email"} | {"titles_before": ""} for row in rows]
    edit_csv(example / "people.csv", drop_email)
    result = run_import(runner, example)
    assert result.exit_code == 0, result.output
    with app.app_context():
        nowak = person("jnowak")
        assert nowak.email == "jan.nowak@up.example.edu.pl"
        assert nowak.titles_before is None


def test_local_person_is_adopted_by_login(runner, app, make):
    make.user("jnowak", lecturer=True, first_name="J.", last_name="N.")
    result = run_import(runner, EXAMPLE)
    assert result.exit_code == 0, result.output
    assert "people: 5 created, 1 changed, 0 unchanged" in result.output
    with app.app_context():
        assert count(User) == 6
        nowak = person("jnowak")
        assert (nowak.external_id, nowak.first_name) == ("10001", "Jan")
        assert nowak.check_password("demo")  # a local password stays usable


def test_logins_can_swap_in_one_import(runner, app, example):
    assert run_import(runner, example).exit_code == 0

    def swap(rows):
        rows[0]["login"], rows[1]["login"] = rows[1]["login"], rows[0]["login"]
        rows[3]["student_number"], rows[4]["student_number"] = rows[4]["student_number"], rows[3]["student_number"]
    edit_csv(example / "people.csv", swap)
    result = run_import(runner, example)
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert person("akowal").external_id == "10001" and person("jnowak").external_id == "10002"
        assert db.session.scalar(db.select(User).filter_by(student_number="123457")).external_id == "20001"


def test_semicolon_csv_and_json_people(runner, app, example):
    text = (example / "rooms.csv").read_text(encoding="utf-8").replace(",", ";")
    (example / "rooms.csv").write_text(text, encoding="utf-8")
    result = run_import(runner, example)
    assert result.exit_code == 0, result.output
    assert "rooms: 2 created" in result.output


def problems_of(result):
    assert result.exit_code != 0
    assert "Nothing was imported" in result.output
    return [line for line in result.output.splitlines() if not line.startswith(("Error:", "Nothing"))]


def test_every_problem_is_reported_with_file_line_and_field(runner, app, example):
    def break_people(rows):
        rows[0]["email"] = "not-an-address"
        rows[1]["faculty"] = "NO-SUCH"
        rows[2]["login"] = "akowal"
        rows[4]["id"] = "20001"
        rows[5]["roles"] = "student|dean"
    edit_csv(example / "people.csv", break_people)

    def break_terms(rows):
        rows[0]["end_date"] = "2026-13-01"
    edit_csv(example / "terms.csv", break_terms)

    def break_groups(rows):
        rows[0]["participants"] = "20001|99999"
        rows[2]["class_type"] = "XYZ"
    edit_csv(example / "groups.csv", break_groups)
    timetable = json.loads((example / "timetable.json").read_text(encoding="utf-8"))
    timetable[2]["end"] = timetable[2]["start"]
    timetable[3]["colour"] = "red"
    (example / "timetable.json").write_text("[\n" + ",\n".join(json.dumps(m) for m in timetable) + "\n]\n", encoding="utf-8")
    result = run_import(runner, example)
    problems = problems_of(result)
    expected = [
        "people.csv:2: email: String should match pattern",
        "people.csv:7: roles[1]: Input should be 'student', 'lecturer' or 'admin' (got 'dean')",
        "terms.csv:2: end_date: Input should be a valid date",
        "timetable.json:4: end is not after start",
        "timetable.json:5: colour: Extra inputs are not permitted",
        "people.csv:3: faculty: faculty 'NO-SUCH' is neither in the files nor in the database",
        "groups.csv:2: participants[1]: person '99999' is neither in the files nor in the database",
        "groups.csv:3: participants[1]: person '20002' is neither in the files nor in the database",  # renamed above
        "student_programmes.csv:3: person: person '20002' is neither in the files nor in the database",
        "groups.csv:4: class_type: class type 'XYZ' is neither in the files nor in the database",
        "people.csv:6: '20001' is given twice (also on line 5)",
        "people.csv:4: login: 'akowal' is also given on line 3",
    ]
    for text in expected:
        assert any(p.startswith(text) for p in problems), (text, problems)
    assert len(problems) == len(expected), problems
    with app.app_context():
        assert count(User) == 0 and count(Term) == 0


def test_reference_to_a_person_in_the_database(runner, app, example, make):
    make.user("local", lecturer=True)
    edit_csv(example / "groups.csv", lambda rows: rows[0].update(lecturers="local"))
    result = run_import(runner, example)
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert [u.login for u in group("H-STAR", "WYK").lecturers] == ["local"]


def test_login_of_another_stored_person_is_refused(runner, app, example, make):
    make.user("akowal", external_id="OTHER-1")
    problems = problems_of(run_import(runner, example))
    assert problems == ["people.csv:3: login: 'akowal' belongs to another person (id OTHER-1)"]


def test_faculty_cycle_is_refused(runner, app, example):
    edit_csv(example / "faculties.csv", lambda rows: rows[0].update(parent="UP-WH-IH"))
    problems = problems_of(run_import(runner, example))
    assert problems[0] == "faculties.csv:2: parent: faculties would be their own parents (a cycle)"


@pytest.mark.parametrize("manifest, message", [
    (None, "manifest.json: missing: every import starts with a manifest"),
    ({"format": "indeks-university", "version": 2}, "manifest.json: version: 2 is not supported (this Indeks reads version 1)"),
    ({"format": "other", "version": 1}, "manifest.json: format: must be 'indeks-university'"),
    ({"format": "indeks-university", "version": 1, "files": {"students": "x.csv"}},
     "manifest.json: files.students: unknown kind"),
])
def test_manifest_problems(runner, app, example, manifest, message):
    if manifest is None:
        (example / "manifest.json").unlink()
    else:
        (example / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    problems = problems_of(run_import(runner, example))
    assert problems[0].startswith(message), problems


def test_unknown_csv_column_and_broken_json(runner, app, example):
    (example / "rooms.csv").write_text("building,number,seats\nBH,101,120\n", encoding="utf-8")
    (example / "timetable.json").write_text('[\n{"course": "H-STAR",\n', encoding="utf-8")
    problems = problems_of(run_import(runner, example))
    assert any(p.startswith("rooms.csv:1: seats: unknown column") for p in problems), problems
    assert any(p.startswith("timetable.json:3: not valid JSON") for p in problems), problems


def test_json_nested_past_the_decoders_depth_is_a_problem_not_a_crash(runner, app, example):
    (example / "timetable.json").write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    problems = problems_of(run_import(runner, example))
    assert any(p.startswith("timetable.json: not valid JSON") for p in problems), problems


def test_kinds_found_by_name_without_a_files_list(runner, app, tmp_path):
    (tmp_path / "manifest.json").write_text('{"format": "indeks-university", "version": 1}', encoding="utf-8")
    shutil.copy(EXAMPLE / "faculties.csv", tmp_path)
    result = run_import(runner, tmp_path)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "faculties: 3 created, 0 changed, 0 unchanged"
