"""Grading burst: G graders save grades in one exam report session at the same moment.

    .venv/bin/python bench/grading_burst.py [--graders 20] [--students 400] [--workers 4]

Starts its own gunicorn on a temporary SQLite database (or DATABASE_URL, where it adds its rows
under a fresh course id). A course unit has G class groups, each taught by its own lecturer,
with the students spread over them. Round 1: every grader saves the grades of their group's
students, one row after another, all graders at once (the htmx row POST of the grid).
Round 2: every grader saves the same student's grade at the same moment, all from the same
date_modified: exactly one may win, the rest must get the conflict (409). A trivial endpoint
gives the base for the ratios. Afterwards the database is checked: one grade and one history
row per accepted first save, and exactly one change for the contested grade.
"""
import argparse
import os
import secrets
import statistics
import sys
import tempfile
import threading
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import bench_university, release_together, sign_in, start_gunicorn, timed  # noqa: E402


def seed(app, run_id, n_graders, n_students):
    from portal import clock
    from portal.auth.models import User
    from portal.extensions import db
    from portal.grades.models import ExamReport, ExamSession
    from portal.langdict import ld
    from portal.university.models import ClassGroup, CourseEdition, CourseUnit
    with app.app_context():
        now = clock.now()
        fac, term, course, pw = bench_university(run_id, "G")
        graders = [User(login=f"g{run_id}-l{i}", password_hash=pw, first_name="Bench", last_name=f"L{i:03d}",
                        is_lecturer=True) for i in range(n_graders)]
        students = [User(login=f"g{run_id}-s{i}", password_hash=pw, first_name="Bench", last_name=f"S{i:05d}",
                         is_student=True) for i in range(n_students)]
        edition = CourseEdition(course=course, term=term)
        unit = CourseUnit(edition=edition, classtype_id="CW")
        groups = [ClassGroup(unit=unit, number=i + 1, lecturers=[g], participants=students[i::n_graders])
                  for i, g in enumerate(graders)]
        # the contested student sits in every group, so every grader may write their grade
        contested = User(login=f"g{run_id}-x", password_hash=pw, first_name="Bench", last_name="X", is_student=True)
        for group in groups:
            group.participants.append(contested)
        report = ExamReport(edition=edition, unit=unit, grade_type_id="PL", description=ld("Bench", "Bench"))
        session = ExamSession(report=report, number=1, status="active", description=ld("1", "1"),
                              deadline=now + timedelta(days=1))
        db.session.add_all([fac, term, course, edition, unit, *graders, *students, contested, *groups, report, session])
        db.session.commit()
        plan = {g.login: [s.id for s in students[i::n_graders]] for i, g in enumerate(graders)}
        return report.id, contested.id, plan


def burst(jobs):
    """jobs: one list of (session, method, url, data) per thread, all released together."""
    results = []
    lock = threading.Lock()

    def run(steps):
        for session, method, url, data in steps:
            outcome = timed(session, method, url, data)
            with lock:
                results.append(outcome)

    wall = release_together([lambda steps=steps: run(steps) for steps in jobs])
    return results, wall


def line(name, results, wall):
    times = sorted(t for _s, t in results)
    counts = {k: sum(1 for s, _t in results if s == k) for k in (200, 409)}
    errors = sum(1 for s, _t in results if s is None or s >= 500)
    p50, p95 = statistics.median(times) * 1000, times[int(len(times) * 0.95)] * 1000
    print(f"{name:<36} {len(results):>8} {counts[200]:>6} {counts[409]:>6} {errors:>7} {p50:>8.1f} {p95:>8.1f} "
          f"{len(results) / wall:>8.1f}")
    return p50, counts, errors


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--graders", "-g", type=int, default=20)
    ap.add_argument("--students", "-n", type=int, default=400)
    ap.add_argument("--workers", "-w", type=int, default=4)
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory(prefix="indeks-grading-")
    db_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp.name}/grading.sqlite3"
    secret, run_id = secrets.token_hex(16), secrets.token_hex(3)
    from portal import create_app
    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "SECRET_KEY": secret})
    report_id, contested, plan = seed(app, run_id, args.graders, args.students)
    proc, url = start_gunicorn(db_url, secret, args.workers)
    try:
        sessions = {login: sign_in(url, login) for login in plan}
        row = f"{url}/grades/reports/{report_id}/sessions/1/students/"
        print(f"Indeks grading burst: {args.graders} graders, {args.students} students, {args.workers} workers, "
              f"{db_url.split(':', 1)[0]}, {os.cpu_count()} CPUs")
        print(f"{'':<36} {'requests':>8} {'200':>6} {'409':>6} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8}")
        base = line("trivial: GET services/apisrv/now", *burst(
            [[(s, "GET", url + "/services/apisrv/now", None)] * len(plan[login]) for login, s in sessions.items()]))
        saves = line("save own rows: POST …/students/<id>", *burst(
            [[(s, "POST", row + str(sid), {"value": "4", "date_modified": ""}) for sid in plan[login]]
             for login, s in sessions.items()]))
        fight = line("same grade, all graders at once", *burst(
            [[(s, "POST", row + str(contested), {"value": "5", "date_modified": ""})] for s in sessions.values()]))
        print(f"ratio save / trivial (p50): {saves[0] / base[0]:.1f}")
        from portal.extensions import db
        from portal.grades.models import Grade, GradeChange
        with app.app_context():
            grades = db.session.scalar(db.select(db.func.count(Grade.id)).where(Grade.student_id != contested,
                                                                                Grade.session.has(report_id=report_id)))
            changes = db.session.scalar(db.select(db.func.count(GradeChange.id)).join(Grade).where(
                Grade.session.has(report_id=report_id)))
        ok = (saves[1][200] == grades == args.students and fight[1][200] == 1 and fight[1][409] == args.graders - 1
              and changes == args.students + 1 and not (base[2] or saves[2] or fight[2]))
        print(f"check: grades={grades}, history rows={changes}, contested winners={fight[1][200]}: "
              f"{'OK' if ok else 'MISMATCH'}")
        return 0 if ok else 1
    finally:
        proc.terminate()
        proc.wait(10)
        tmp.cleanup()


if __name__ == "__main__":
    sys.exit(main())
