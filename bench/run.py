"""`make bench`: Indeks under wrk beside a bare Flask app, on SQLite and PostgreSQL, seats checked.

    .venv/bin/python bench/run.py [--duration 5] [--rush-duration 10] [--students 1000] [--seats 30]
                                  [--reserve 10] [--workers 4] [--page-connections 64]
                                  [--skip-postgresql] [--postgresql-pages]

Everything runs on this machine in one go. For each database: seed the demo university and a
rush (bench/scenario.py), start Indeks and the bare Flask app (bench/bare.py) on the same
gunicorn settings (4 sync workers, backlog 4096), sign the people in, then let wrk
(bench/load.lua: each request with a signed-in person's cookie and CSRF token) measure
  - the bare app and services/apisrv/now, the pages a student or lecturer opens daily (on
    PostgreSQL only with --postgresql-pages): opened again and again by one person, as in a
    rush's reloads (answered from what each worker kept, portal/pagecache.py), then each
    rendered anew by a server that keeps nothing (PORTAL_PAGE_KEEP_SECONDS=0);
  - the exam rush: `--students` distinct students on as many connections keep clicking "pick"
    on one slot of `--seats` seats (the first seats, then refusals, as in a real rush);
  - the consultation rush: the same on a date of `--seats` seats + `--reserve` reserve places;
  - live seats: open exam pages polling the slot list, answered 304 while nothing changed;
and check the database afterwards: the slot holds exactly its seats, one seat per student,
the consultation queue numbered 1..n without gaps, every answer matching a row. On
PostgreSQL the rushes run once more split across two gunicorn "hosts" on the same database.
Every figure is printed with its ratio to the bare app measured in the same run, and with the
CPU the servers spent per answer (read from /proc: gunicorn's workers, and the PostgreSQL server's
processes), which does not depend on how much of the two cores wrk took.
"""
import argparse
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import floor  # noqa: E402
import harness  # noqa: E402
import scenario  # noqa: E402
from harness import HEADER, merge, run_wrk, show, start_wrk  # noqa: E402

GOALS = {"pages": 0.20, "now": 0.70, "refusal": 0.25, "p99_ms": 1000}
KEY = {"SECRET_KEY": "replaced by measure()"}  # so that create_app neither warns nor writes instance/secret_key


def check_exam(app, exam_id, slot_id, result, seats, students):
    from portal.exams.models import ExamRegistration, ExamSlot
    from portal.extensions import db
    with app.app_context():
        db.session.expire_all()
        slot = db.session.get(ExamSlot, slot_id)
        rows = db.session.scalar(db.select(db.func.count(ExamRegistration.id)).filter_by(exam_id=exam_id))
        doubles = db.session.scalar(db.select(db.func.count()).select_from(
            db.select(ExamRegistration.user_id).filter_by(exam_id=exam_id).group_by(ExamRegistration.user_id)
            .having(db.func.count() > 1).subquery()))
    want = min(seats, students)
    accepted, refused = result.count(200), result.count(409)
    ok = (slot.taken == rows == accepted == want and doubles == 0 and not result.failed
          and accepted + refused == result.requests)
    print(f"  check: slot taken {slot.taken}/{slot.capacity}, registrations {rows}, students with two seats "
          f"{doubles}, answers 200 (seat) {accepted}, 409 (refused) {refused}, errors {result.failed}: "
          f"{'OK' if ok else 'MISMATCH'}", flush=True)
    return ok


def check_meeting(app, date_id, result, seats, reserve, people):
    from portal.extensions import db
    from portal.meetings.models import Participant
    with app.app_context():
        db.session.expire_all()
        rows = db.session.scalars(db.select(Participant).filter_by(meeting_date_id=date_id)).all()
    main = sum(1 for p in rows if not p.is_reserve and p.status == "accepted")
    on_reserve = sum(1 for p in rows if p.is_reserve)
    gap_free = sorted(p.queue_number for p in rows) == list(range(1, len(rows) + 1))
    one_each = len({p.user_id for p in rows}) == len(rows)
    want_main = min(seats, people)
    want_reserve = min(reserve, people - want_main)
    signed, refused = result.count(200), result.count(400)
    ok = (main == want_main and on_reserve == want_reserve and gap_free and one_each
          and signed == len(rows) and not result.failed and signed + refused == result.requests)
    print(f"  check: seats {main}/{seats}, reserve {on_reserve}/{reserve}, queue 1..{len(rows)} gap-free "
          f"{gap_free}, one entry per person {one_each}, answers 200 (signed up) {signed}, 400 (refused) "
          f"{refused}, errors {result.failed}: {'OK' if ok else 'MISMATCH'}", flush=True)
    return ok


def with_etags(app, people, path, tmp):
    """The people file again, each line with the ETag of `path` as that person sees it now (what
    their open page's poller would send)."""
    lines = []
    for line in Path(people).read_text().splitlines():
        cookie, token = line.split("\t")[:2]
        client = app.test_client()
        client.environ_base["HTTP_USER_AGENT"] = "indeks-bench"
        client.set_cookie(*cookie.split("=", 1))
        lines.append(f"{cookie}\t{token}\t{client.get(path, headers={'HX-Request': 'true'}).headers.get('ETag', '')}")
    out = Path(tmp) / "pollers.tsv"
    out.write_text("\n".join(lines) + "\n")
    return out


def measure(label, app, db_url, args, tmp, two_hosts, with_pages):
    """Every figure of one database; returns True when every check passed."""
    secret = secrets.token_hex(16)
    app.config["SECRET_KEY"] = secret
    scenario.seed_demo_once(app)
    rushes = 2 if two_hosts else 1
    rush = scenario.seed_rush(app, secrets.token_hex(3), students=args.students, seats=args.seats,
                              reserve=args.reserve, exam_rushes=rushes, meeting_rushes=rushes)
    pages = scenario.demo_pages(app)
    t0 = time.time()
    crowd = harness.people_file(app, rush.logins, tmp)
    single = {login: harness.people_file(app, [login], tmp) for login in {lg for lg, _ in pages.values()}}
    print(f"  {len(rush.logins) + len(single)} people signed in ({time.time() - t0:.0f} s)", flush=True)
    bare_app, portal = harness.bare(args.workers), harness.indeks(db_url, secret, args.workers)
    servers = [bare_app, portal]
    ok = True
    try:
        anonymous = harness.anonymous_file(tmp)
        pc, d = args.page_connections, args.duration
        for login, path in pages.values():  # every worker compiles its templates before measuring
            run_wrk("warm-up", portal, path, single[login], 8, 1, method="PAGE")
        print(HEADER)
        base = show(run_wrk("bare Flask: GET / (a JSON string)", bare_app, "/", anonymous, pc, d), pc)
        show(run_wrk("GET services/apisrv/now", portal, "/services/apisrv/now", anonymous, pc, d), pc,
             base, GOALS["now"])
        for name, (login, path) in (pages.items() if with_pages else ()):
            show(run_wrk(f"GET {name} ({login})", portal, path, single[login], pc, d, method="PAGE"), pc, base,
                 GOALS["pages"])
        if with_pages:  # the same pages each rendered for every request (nothing kept: a first view)
            rendering = harness.indeks(db_url, secret, args.workers, PORTAL_PAGE_KEEP_SECONDS="0")
            servers.append(rendering)
            for login, path in pages.values():
                run_wrk("warm-up", rendering, path, single[login], 8, 1, method="PAGE")
            for name, (login, path) in pages.items():
                show(run_wrk(f"  rendered: {name}", rendering, path, single[login], pc, d, method="PAGE"), pc, base)
            rendering.stop()
        n, rd = args.students, args.rush_duration
        base_rush = show(run_wrk("bare Flask: GET /", bare_app, "/", anonymous, n, rd), n)
        floor_server = harness.floor(db_url, secret, args.workers)
        servers.append(floor_server)
        least = show(run_wrk("floor: POST, signed in, one row (floor.py)", floor_server, "/click",
                             floor.seed_people(floor.create_app(secret, db_url), n, tmp), n, rd, method="POST"),
                     n, base_rush, GOALS["refusal"], GOALS["p99_ms"])
        ok &= least.count(409) == least.requests and not least.failed
        floor_server.stop()
        passed, refusals = rush_both(app, rush, 0, [portal], crowd, base_rush, args, "")
        ok &= passed
        if least.rate:
            picks, sign_ups = (r.rate / least.rate for r in refusals)
            print(f"  the rushes as a share of the floor's requests/s: pick {picks:.2f}, consultation sign-up "
                  f"{sign_ups:.2f}", flush=True)
        slots = f"/exams/{rush.exam_slots[0][0]}/slots"
        poll = show(run_wrk("live seats: poll slot list (304)", portal, slots, with_etags(app, crowd, slots, tmp),
                            n, rd), n, base_rush)
        ok &= poll.count(304) == poll.requests and not poll.failed
        # The same refused clicks, each decided anew (a server that keeps nothing: what every
        # student's first refusal costs; above, most clicks are a student's click again).
        deciding = harness.indeks(db_url, secret, args.workers, PORTAL_PAGE_KEEP_SECONDS="0")
        servers.append(deciding)
        ok &= refusals_anew(app, rush, deciding, crowd, base_rush, args)
        deciding.stop()
        if two_hosts:
            second = harness.indeks(db_url, secret, args.workers)
            servers.append(second)
            ok &= rush_both(app, rush, 1, [portal, second], crowd, base_rush, args, " (2 hosts)")[0]
    finally:
        for server in servers:
            server.stop()
            if server.errors().strip():
                print(f"  gunicorn on port {server.port} logged:\n{server.errors()[-3000:]}")
    return ok


def rush_both(app, rush, index, hosts, crowd, base, args, suffix):
    """The exam and the consultation rush, split over `hosts` (each gets a share of the people);
    (every check passed, the two results)."""
    n, d = args.students, args.rush_duration
    exam_id, slot_id = rush.exam_slots[index]
    shares = split(crowd, len(hosts))
    meter = harness.CpuMeter(hosts)
    result = meter.note(merge("rush: POST pick, slot full" + suffix, [
        start_wrk("exam", f"{h.url}/exams/{exam_id}/slots/{slot_id}", share, n // len(hosts), d, "POST")
        for h, share in zip(hosts, shares)]))
    drain(hosts)
    picks = show(result, n, base, GOALS["refusal"], GOALS["p99_ms"])
    ok = check_exam(app, exam_id, slot_id, result, rush.seats, n)
    date_id = rush.meeting_dates[index]
    body = f"substantiation={rush.substantiation_id}"
    meter = harness.CpuMeter(hosts)
    result = meter.note(merge("rush: POST consultation sign-up" + suffix, [
        start_wrk("meeting", f"{h.url}/meetings/dates/{date_id}/sign-up", share, n // len(hosts), d, "POST", body)
        for h, share in zip(hosts, shares)]))
    drain(hosts)
    sign_ups = show(result, n, base, GOALS["refusal"], GOALS["p99_ms"])
    return ok & check_meeting(app, date_id, result, rush.seats, rush.reserve, n), (picks, sign_ups)


def refusals_anew(app, rush, host, crowd, base, args):
    """Clicks on the full slot and date once more, on `host` (which keeps no answer): every one
    refused, and the seats as they were."""
    n, d = args.students, args.rush_duration
    (exam_id, slot_id), date_id = rush.exam_slots[0], rush.meeting_dates[0]
    ok = True
    for label, path, body, refused in (
            ("  decided anew: pick, slot full", f"/exams/{exam_id}/slots/{slot_id}", None, 409),
            ("  decided anew: consultation sign-up", f"/meetings/dates/{date_id}/sign-up",
             f"substantiation={rush.substantiation_id}", 400)):
        result = show(run_wrk(label, host, path, crowd, n, d, method="POST", body=body or ""), n, base,
                      GOALS["refusal"], GOALS["p99_ms"])
        ok &= result.count(refused) == result.requests and not result.failed
    from portal.exams.models import ExamSlot
    from portal.extensions import db
    with app.app_context():
        db.session.expire_all()
        ok &= db.session.get(ExamSlot, slot_id).taken == min(rush.seats, n)
    print(f"  check: every click refused, slot still {min(rush.seats, n)} taken: {'OK' if ok else 'MISMATCH'}",
          flush=True)
    return ok


def drain(hosts):
    for host in hosts:
        host.drain()


def split(path, parts):
    if parts == 1:
        return [path]
    lines = Path(path).read_text().splitlines()
    out = []
    for i in range(parts):
        p = Path(f"{path}.{i}")
        p.write_text("\n".join(lines[i::parts]) + "\n")
        out.append(p)
    return out


def postgresql_url():
    """DATABASE_URL when it names PostgreSQL, else a throwaway server of the tests' kind."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql")):
        return url, None
    from tests.pg import PostgresServer
    server = PostgresServer().start()
    return server.url(), server


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--duration", "-d", type=int, default=5, help="seconds per wrk run of a page")
    ap.add_argument("--rush-duration", type=int, default=10,
                    help="seconds per rush (wrk counts finished requests only: the longer, the less that matters)")
    ap.add_argument("--students", "-n", type=int, default=1000)
    ap.add_argument("--seats", type=int, default=30)
    ap.add_argument("--reserve", type=int, default=10)
    ap.add_argument("--workers", "-w", type=int, default=4)
    ap.add_argument("--page-connections", type=int, default=64)
    ap.add_argument("--skip-postgresql", action="store_true")
    ap.add_argument("--postgresql-pages", action="store_true", help="measure the pages on PostgreSQL too")
    args = ap.parse_args()
    from portal import create_app
    started = time.time()
    print(f"Indeks benchmark: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start; "
          f"gunicorn {args.workers} sync workers per server; wrk {harness.WRK_THREADS} threads, {args.duration} s "
          f"per page, {args.rush_duration} s per rush. 'vs bare' = requests/s over the bare Flask app's in the "
          f"same run, at the same number of connections; 'CPU µs' = what gunicorn's workers spent per answer "
          f"(+ the PostgreSQL server's), wrk's own share of the cores left out.", flush=True)
    ok = True
    with tempfile.TemporaryDirectory(prefix="indeks-bench-") as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        print("\nSQLite (WAL), the default", flush=True)
        ok &= measure("sqlite", create_app({"SQLALCHEMY_DATABASE_URI": url, **KEY}), url, args, tmp,
                      two_hosts=False, with_pages=True)
        if not args.skip_postgresql:
            url, server = postgresql_url()
            if server is not None:  # its CPU is shown beside gunicorn's
                harness.DATABASE_PID = int(Path(server.data, "postmaster.pid").read_text().split()[0])
            print("\nPostgreSQL (a throwaway server on this machine, fsync off as in the tests): the rushes, then "
                  "the same split across two gunicorn hosts", flush=True)
            try:
                app = create_app({"SQLALCHEMY_DATABASE_URI": url, **KEY})
                ok &= measure("postgresql", app, app.config["SQLALCHEMY_DATABASE_URI"], args, tmp, two_hosts=True,
                              with_pages=args.postgresql_pages)
                with app.app_context():
                    from portal.extensions import db
                    db.engine.dispose()
            finally:
                if server is not None:
                    server.stop()
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end; {time.time() - started:.0f} s in all; "
          f"database checks {'all OK' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
