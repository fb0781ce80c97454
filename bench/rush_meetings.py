"""Consultation rush: N people press "Sign up" for one meeting date of C seats (+R reserve) at once.

    .venv/bin/python bench/rush_meetings.py [--people 1000] [--seats 30] [--reserve 10] [--workers 4]

Starts its own gunicorn (like `make run`) on a temporary SQLite database, or on DATABASE_URL
when set (it then adds its rows there, under a fresh meeting, and leaves them). Every person
signs in through the portal first; then all of them POST the sign-up at once (one thread each,
released by a barrier) exactly as the htmx form does. The same number of requests to a trivial
endpoint (GET services/apisrv/now: no database, no template) in the same run gives the base for
the ratios. Afterwards the database is checked: exactly C seats and R reserve places taken (or
fewer people), a gap-free queue 1..n, and every answer matching its row.
"""
import argparse
import os
import secrets
import sys
import tempfile
from datetime import timedelta
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import bench_university, rush, sign_in_all, start_gunicorn  # noqa: E402  (shared rush machinery)


def seed(app, run_id, n_people, seats, reserve):
    """N people (students of one faculty), an open auto-accept meeting with one date whose
    registration is open now, and one substantiation."""
    from portal import clock
    from portal.auth.models import User
    from portal.extensions import db
    from portal.langdict import ld
    from portal.meetings.models import Meeting, MeetingDate, Substantiation
    with app.app_context():
        now = clock.now().replace(microsecond=0)
        fac, _term, _course, pw = bench_university(run_id, "M")
        people = [User(login=f"m{run_id}-{i}", password_hash=pw, first_name="Bench", last_name=f"P{i:05d}",
                       is_student=True, faculty_id="BENCH") for i in range(n_people)]
        lecturer = User(login=f"m{run_id}-lect", password_hash=pw, first_name="Bench", last_name="Lecturer",
                        is_lecturer=True, faculty_id="BENCH")
        sub = Substantiation(type="meeting", faculty=fac, name=ld("Rush", "Rush"))
        meeting = Meeting(name=ld("Rush", "Rush"), faculty=fac, lecturer=lecturer, open=True, state="active",
                          auto_accept=True)
        start = now + timedelta(days=2)
        date = MeetingDate(meeting=meeting, start_time=start, end_time=start + timedelta(hours=1),
                           registration_start_time=now - timedelta(minutes=5),
                           registration_end_time=start - timedelta(hours=1), seats_limit=seats,
                           reserve_seats_limit=reserve)
        db.session.add_all([fac, lecturer, *people, sub, meeting, date])
        db.session.commit()
        return date.id, sub.id, [p.login for p in people]


def classify(text):
    if "badge-ok" in text:
        return "accepted"
    if "badge-warn" in text:
        return "reserve"
    return "other"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--people", "-n", type=int, default=1000)
    ap.add_argument("--seats", "-c", type=int, default=30)
    ap.add_argument("--reserve", "-r", type=int, default=10)
    ap.add_argument("--workers", "-w", type=int, default=4)
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory(prefix="indeks-meetings-rush-")
    db_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp.name}/rush.sqlite3"
    secret, run_id = secrets.token_hex(16), secrets.token_hex(3)
    from portal import create_app
    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "SECRET_KEY": secret})
    date_id, sub_id, logins = seed(app, run_id, args.people, args.seats, args.reserve)
    backend = app.config["SQLALCHEMY_DATABASE_URI"].split(":", 1)[0]
    proc, url = start_gunicorn(db_url, secret, args.workers)
    try:
        sessions = sign_in_all(url, logins)
        print(f"Indeks consultation sign-up rush: {args.people} people, one meeting date of {args.seats} seats "
              f"+ {args.reserve} reserve, {args.workers} gunicorn workers, {backend}, {os.cpu_count()} CPUs")
        print(f"{'':<34} {'requests':>8} {'accepted':>9} {'reserve':>8} {'refused':>8} {'errors':>7} "
              f"{'p50 ms':>9} {'p99 ms':>9} {'req/s':>10}")
        base = report("trivial: GET services/apisrv/now", *rush(sessions, "GET", url + "/services/apisrv/now"))
        for s in sessions:  # the sign-up form's fields travel in the body
            s.sign_up_data = {"substantiation": str(sub_id)}
        results, wall = rush_post(sessions, f"{url}/meetings/dates/{date_id}/sign-up")
        signup = report("sign-up: POST /meetings/dates/…", results, wall)
        print(f"{'ratio sign-up / trivial':<34} {'':>8} {'':>9} {'':>8} {'':>8} {'':>7} "
              f"{signup[0] / base[0]:>9.1f} {signup[1] / base[1]:>9.1f} {signup[2] / base[2]:>10.2f}")
        return check(app, date_id, args, signup)
    finally:
        proc.terminate()
        proc.wait(10)
        tmp.cleanup()


def rush_post(sessions, url):
    """Like rush(), but every session POSTs its sign-up form and the answer's kind is kept."""
    return rush(sessions, "POST", url, data_of=lambda s: s.sign_up_data,
                inspect=lambda r: classify(r.text) if r.status_code == 200 else None)


def report(name, results, wall):
    import statistics
    times = sorted(r[1] for r in results)
    kinds = [r[2] if len(r) > 2 else ("accepted" if r[0] == 200 else None) for r in results]
    accepted, reserve = kinds.count("accepted"), kinds.count("reserve")
    refused = sum(1 for r in results if r[0] is not None and 400 <= r[0] < 500)
    errors = sum(1 for r in results if r[0] is None or r[0] >= 500 or (r[0] == 200 and len(r) > 2
                                                                        and r[2] == "other"))
    p50 = statistics.median(times) * 1000
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))] * 1000
    rate = len(results) / wall
    print(f"{name:<34} {len(results):>8} {accepted:>9} {reserve:>8} {refused:>8} {errors:>7} "
          f"{p50:>9.1f} {p99:>9.1f} {rate:>10.1f}")
    return p50, p99, rate, accepted, reserve, refused, errors


def check(app, date_id, args, signup):
    from portal.extensions import db
    from portal.meetings.models import Participant
    with app.app_context():
        rows = db.session.scalars(db.select(Participant).filter_by(meeting_date_id=date_id)).all()
    main = sum(1 for p in rows if not p.is_reserve and p.status == "accepted")
    reserve = sum(1 for p in rows if p.is_reserve)
    gap_free = sorted(p.queue_number for p in rows) == list(range(1, len(rows) + 1))
    want_main = min(args.seats, args.people)
    want_reserve = min(args.reserve, args.people - want_main)
    ok = (main == signup[3] == want_main and reserve == signup[4] == want_reserve and gap_free
          and signup[5] == args.people - want_main - want_reserve and signup[6] == 0)
    print(f"check: seats taken={main}/{args.seats}, reserve={reserve}/{args.reserve}, queue 1..{len(rows)} "
          f"gap-free={gap_free}, answers accepted/reserve/refused={signup[3]}/{signup[4]}/{signup[5]}: "
          f"{'OK' if ok else 'MISMATCH'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
