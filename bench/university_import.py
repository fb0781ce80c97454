"""How long `flask university import` takes for a university-sized set, and that a second
import of the same files changes nothing. Run by hand: `.venv/bin/python bench/university_import.py
[STUDENTS]` (default 20,000 students; about a hundred per course edition, 3 groups each, weekly meetings).
Uses a temporary SQLite database, or DATABASE_URL when set (it must be empty and migrated).
"""
import csv
import json
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def write_set(root, n_students):
    n_lecturers, n_courses = max(10, n_students // 40), max(10, n_students // 100)
    root.mkdir(parents=True, exist_ok=True)
    manifest = {"format": "indeks-university", "version": 1}
    (root / "manifest.json").write_text(json.dumps(manifest))

    def table(name, header, rows):
        with open(root / f"{name}.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(rows)
    table("faculties", ["id", "name_pl", "name_en", "parent"],
          [["U", "Uczelnia", "University", ""]] + [[f"F{i}", f"Wydział {i}", f"Faculty {i}", "U"] for i in range(10)])
    table("terms", ["id", "name_pl", "name_en", "start_date", "end_date"],
          [["2026Z", "Zima 2026/27", "Winter 2026/27", "2026-10-01", "2027-02-15"]])
    table("buildings", ["id", "name_pl", "name_en"], [["B", "Budynek", "Building"]])
    table("rooms", ["building", "number", "capacity"], [["B", str(r), "40"] for r in range(100)])
    people = [[f"L{i}", f"lect{i}", "Jan", f"Wykładowca{i}", f"l{i}@u.example", "", "dr", "", "lecturer", f"F{i % 10}"]
              for i in range(n_lecturers)]
    people += [[f"S{i}", f"s{i}", "Anna", f"Studentka{i}", f"s{i}@u.example", str(100000 + i), "", "", "student",
                f"F{i % 10}"] for i in range(n_students)]
    table("people", ["id", "login", "first_name", "last_name", "email", "student_number", "titles_before",
                     "titles_after", "roles", "faculty"], people)
    table("courses", ["id", "name_pl", "name_en", "faculty", "ects"],
          [[f"C{c}", f"Przedmiot {c}", f"Course {c}", f"F{c % 10}", "5"] for c in range(n_courses)])
    table("editions", ["course", "term", "coordinators"], [[f"C{c}", "2026Z", f"L{c % n_lecturers}"] for c in range(n_courses)])
    groups, meetings = [], []
    for c in range(n_courses):
        cohort = [f"S{(c * 37 + k) % n_students}" for k in range(100)]
        for number in (1, 2, 3):
            groups.append([f"C{c}", "2026Z", "CW", number, f"L{(c + number) % n_lecturers}",
                           "|".join(cohort[number - 1::3])])
            start = datetime(2026, 10, 1 + (c + number) % 5, 8 + 2 * number, 15)
            for week in range(15):
                when = start + timedelta(weeks=week)
                meetings.append([f"C{c}", "2026Z", "CW", number, when.isoformat(), (when + timedelta(minutes=90)).isoformat(),
                                 "B", str((c + number) % 100)])
    table("groups", ["course", "term", "class_type", "number", "lecturers", "participants"], groups)
    table("timetable", ["course", "term", "class_type", "group", "start", "end", "building", "room"], meetings)
    return {"people": len(people), "groups": len(groups), "meetings": len(meetings)}


def main():
    n_students = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    tmp = Path(tempfile.mkdtemp())
    sizes = write_set(tmp / "set", n_students)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    from flask_migrate import upgrade

    from portal import create_app
    from portal.university.exchange import import_directory
    app = create_app()
    with app.app_context():
        upgrade()
        print(f"set: {sizes['people']} people, {sizes['groups']} groups, {sizes['meetings']} timetable meetings")
        for label, dry in (("dry run (empty database)", True), ("import", False), ("import again", False)):
            started = time.perf_counter()
            report = import_directory(tmp / "set", dry_run=dry)
            seconds = time.perf_counter() - started
            print(f"{label:28} {seconds:7.1f} s   changes: {report.changes}")
        assert report.changes == 0, "a second import of the same files changed something"


if __name__ == "__main__":
    main()
