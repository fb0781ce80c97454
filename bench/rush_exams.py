"""Registration rush: N students click "pick this slot" for one slot of C seats at the same moment.

    .venv/bin/python bench/rush_exams.py [--students 1000] [--seats 30] [--workers 4]

Starts its own gunicorn (like `make run`) on a temporary SQLite database, or on DATABASE_URL
when set (it then adds its rows there, under a fresh course id, and leaves them). Every
student signs in through the portal first; then all of them POST the registration at once
(one thread each, released by a barrier) exactly as the htmx button does. The same number of
requests to a trivial endpoint (GET services/apisrv/now: no database, no template) in the same
run gives the base for the ratios. Afterwards the database is checked: the slot holds exactly
its capacity and every "registered" answer has its registration row.
"""
import argparse
import os
import secrets
import statistics
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import bench_university, rush, sign_in_all, start_gunicorn  # noqa: E402


def seed(app, run_id, n_students, seats):
    """A course with N students and an open exam whose only group has one slot of `seats`."""
    from portal import clock
    from portal.auth.models import User
    from portal.exams import manage
    from portal.exams.models import Exam, ExaminationSession
    from portal.extensions import db
    from portal.langdict import ld
    from portal.university.models import ClassGroup, CourseEdition, CourseUnit
    with app.app_context():
        now = clock.now()
        fac, term, course, pw = bench_university(run_id, "B")
        students = [User(login=f"b{run_id}-{i}", password_hash=pw, first_name="Bench", last_name=f"S{i:05d}",
                         is_student=True) for i in range(n_students)]
        admin = User(login=f"b{run_id}-admin", password_hash=pw, first_name="Bench", last_name="Admin", is_admin=True)
        edition = CourseEdition(course=course, term=term)
        unit = CourseUnit(edition=edition, classtype_id="WYK")
        db.session.add_all([fac, term, course, edition, unit, admin, *students,
                            ClassGroup(unit=unit, number=1, participants=students)])
        session = ExaminationSession(name=ld("Bench", "Bench"), status="active", faculty=fac)
        exam = Exam(session=session, course=course, term=term, code=f"B-{run_id}", name=ld("Rush", "Rush"),
                    registration_start=now - timedelta(minutes=5), registration_end=now + timedelta(hours=2))
        db.session.add_all([session, exam])
        db.session.flush()
        start = now.replace(microsecond=0) + timedelta(days=7)
        group = manage.save_group(exam, None, admin, number=1, start=start, end=start + timedelta(hours=2),
                                  capacity=seats, number_of_slots=1)
        db.session.commit()
        return exam.id, group.slots[0].id, [s.login for s in students]


def summary(name, results, wall, accepted=(200,)):
    times = sorted(t for _s, t in results)
    ok = sum(1 for s, _t in results if s in accepted)
    refused = sum(1 for s, _t in results if s is not None and 400 <= s < 500)
    errors = sum(1 for s, _t in results if s is None or s >= 500)
    p50 = statistics.median(times) * 1000
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))] * 1000
    rate = len(results) / wall
    print(f"{name:<34} {len(results):>8} {ok:>9} {refused:>8} {errors:>7} {p50:>9.1f} {p99:>9.1f} {rate:>10.1f}")
    return p50, p99, rate, ok, refused, errors


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--students", "-n", type=int, default=1000)
    ap.add_argument("--seats", "-c", type=int, default=30)
    ap.add_argument("--workers", "-w", type=int, default=4)
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory(prefix="indeks-rush-")
    db_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp.name}/rush.sqlite3"
    secret, run_id = secrets.token_hex(16), secrets.token_hex(3)
    from portal import create_app
    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "SECRET_KEY": secret})
    exam_id, slot_id, logins = seed(app, run_id, args.students, args.seats)
    backend = app.config["SQLALCHEMY_DATABASE_URI"].split(":", 1)[0]
    proc, url = start_gunicorn(db_url, secret, args.workers)
    try:
        sessions = sign_in_all(url, logins)
        print(f"Indeks exam registration rush: {args.students} students, one slot of {args.seats} seats, "
              f"{args.workers} gunicorn workers, {backend}, {os.cpu_count()} CPUs")
        print(f"{'':<34} {'requests':>8} {'accepted':>9} {'refused':>8} {'errors':>7} {'p50 ms':>9} "
              f"{'p99 ms':>9} {'req/s':>10}")
        base = summary("trivial: GET services/apisrv/now", *rush(sessions, "GET", url + "/services/apisrv/now"))
        reg = summary("register: POST /exams/…/slots/…",
                      *rush(sessions, "POST", f"{url}/exams/{exam_id}/slots/{slot_id}"))
        print(f"{'ratio register / trivial':<34} {'':>8} {'':>9} {'':>8} {'':>7} {reg[0] / base[0]:>9.1f} "
              f"{reg[1] / base[1]:>9.1f} {reg[2] / base[2]:>10.2f}")
        from portal.exams.models import ExamRegistration, ExamSlot
        from portal.extensions import db
        with app.app_context():
            taken = db.session.get(ExamSlot, slot_id).taken
            rows = db.session.scalar(db.select(db.func.count(ExamRegistration.id)).filter_by(exam_id=exam_id))
        verdict = "OK" if taken == rows == reg[3] == min(args.seats, args.students) and reg[5] == 0 else "MISMATCH"
        print(f"check: slot taken={taken}, registrations={rows}, accepted answers={reg[3]}, "
              f"capacity={args.seats}: {verdict}")
        return 0 if verdict == "OK" else 1
    finally:
        proc.terminate()
        proc.wait(10)
        tmp.cleanup()


if __name__ == "__main__":
    sys.exit(main())
