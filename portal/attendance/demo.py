"""Demo attendance: lists for this term's meetings up to now, in each mode, mostly filled."""
from .. import clock
from ..extensions import db
from .models import AttendanceEntry, AttendanceList

COMMENTS = ["Spóźnienie 10 min", "Wyszedł wcześniej / left early", "Zwolnienie lekarskie", "Late 15 min"]


def seed(ctx):
    rng, now = ctx.rng, clock.now()
    made = []  # (list, group, filled share)
    for group in ctx.groups:
        if group.unit.edition.term is not ctx.current_term or not group.participants:
            continue
        past = [m for m in group.meetings if m.start_time <= now]
        group_mode = rng.choice(["intramural", "intramural", "intramural", "hybrid", "remote"])
        for i, meeting in enumerate(past):
            mode = group_mode if rng.random() > 0.15 else rng.choice(["intramural", "remote", "hybrid"])
            lst = AttendanceList(group_id=group.id, owner=group.lecturers[0], date=meeting.start_time,
                                 mode=mode, created_at=meeting.start_time)
            made.append((lst, group, 0.0 if i == len(past) - 1 and meeting.start_time.date() == ctx.today
                         else 0.5 if i == len(past) - 1 else 1.0))
    db.session.add_all([lst for lst, _g, _s in made])
    db.session.flush()
    keen = {}  # each student's own chance of coming, so that some fall below 80%
    rows = []
    for lst, group, share in made:
        for student in group.participants:
            if share < 1 and rng.random() >= share:
                continue
            p = keen.setdefault(student.id, rng.choice([0.97, 0.95, 0.9, 0.85, 0.75, 0.6]))
            if rng.random() < p:
                mode = {"intramural": "intramural", "remote": "remote"}.get(
                    lst.mode, "intramural" if rng.random() < 0.6 else "remote")
            else:
                mode = "justified_absence" if rng.random() < 0.3 else "absence"
            rows.append({"list_id": lst.id, "student_id": student.id, "mode": mode,
                         "comment": rng.choice(COMMENTS) if rng.random() < 0.02 else None,
                         "updated_at": lst.date, "updated_by_id": lst.owner_id or group.lecturers[0].id})
    if rows:
        db.session.execute(db.insert(AttendanceEntry), rows)
