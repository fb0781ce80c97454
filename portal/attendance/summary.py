"""Attendance summed up: per student of a group, and one student's own record."""
import csv
import io
from dataclasses import dataclass, field

from ..auth.models import User
from ..extensions import db
from .models import AttendanceEntry, AttendanceList
from .queries import participant_ids

DEFAULT_THRESHOLD = 80


def parse_threshold(raw):
    """A percentage 0-100 from the query string; anything else is the default."""
    try:
        value = int(str(raw).strip().rstrip("%"))
    except (TypeError, ValueError):
        return DEFAULT_THRESHOLD
    return value if 0 <= value <= 100 else DEFAULT_THRESHOLD


@dataclass
class StudentSummary:
    student: User
    counts: dict = field(default_factory=lambda: {"intramural": 0, "remote": 0,
                                                  "justified_absence": 0, "absence": 0})

    @property
    def present(self):
        return self.counts["intramural"]

    @property
    def remote(self):
        return self.counts["remote"]

    @property
    def justified(self):
        return self.counts["justified_absence"]

    @property
    def absent(self):
        return self.counts["absence"]

    @property
    def rate(self):
        """Share of the marked meetings attended, in percent; justified absences do not count
        against the student (they leave the denominator). None while nothing is marked."""
        counted = self.present + self.remote + self.absent
        return None if counted == 0 else round(100 * (self.present + self.remote) / counted, 1)

    def below(self, threshold):
        return self.rate is not None and self.rate < threshold


def group_summary(group):
    """(number of lists, [StudentSummary]) for every participant and anyone with entries."""
    n_lists = db.session.scalar(db.select(db.func.count(AttendanceList.id))
                                .where(AttendanceList.group_id == group.id))
    rows = db.session.execute(
        db.select(AttendanceEntry.student_id, AttendanceEntry.mode, db.func.count(AttendanceEntry.id))
        .join(AttendanceList).where(AttendanceList.group_id == group.id, AttendanceEntry.mode.is_not(None))
        .group_by(AttendanceEntry.student_id, AttendanceEntry.mode)).all()
    ids = participant_ids(group) | {r[0] for r in rows}
    people = db.session.scalars(db.select(User).where(User.id.in_(ids))
                                .order_by(User.last_name, User.first_name, User.id)) if ids else []
    summaries = {p.id: StudentSummary(p) for p in people}
    for sid, mode, count in rows:
        if mode in summaries[sid].counts:
            summaries[sid].counts[mode] = count
    return n_lists, list(summaries.values())


def summary_csv(group, summaries):
    """The summary as CSV text (a leading quote keeps spreadsheet formulas out)."""
    def cell(value):
        text = "" if value is None else str(value)
        return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["student_number", "last_name", "first_name", "present", "remote",
                     "justified_absence", "absence", "rate_percent"])
    for s in summaries:
        writer.writerow([cell(s.student.student_number), cell(s.student.last_name), cell(s.student.first_name),
                         s.present, s.remote, s.justified, s.absent, "" if s.rate is None else s.rate])
    return out.getvalue()


def student_record(group, student):
    """[(list, mode or None, comment)] of one student in one group, by date."""
    entries = {e.list_id: e for e in db.session.scalars(
        db.select(AttendanceEntry).join(AttendanceList)
        .where(AttendanceList.group_id == group.id, AttendanceEntry.student_id == student.id))}
    lists = db.session.scalars(db.select(AttendanceList).where(AttendanceList.group_id == group.id)
                               .order_by(AttendanceList.date))
    return [(lst, entries[lst.id].mode if lst.id in entries else None,
             entries[lst.id].comment if lst.id in entries else None) for lst in lists]


def student_summary(group, student):
    return student_summaries([group], student)[group.id]


def student_summaries(groups, student):
    """{group id: StudentSummary} of one student in many groups, in one query."""
    found = {g.id: StudentSummary(student) for g in groups}
    if found:
        for group_id, mode, n in db.session.execute(
                db.select(AttendanceList.group_id, AttendanceEntry.mode, db.func.count(AttendanceEntry.id))
                .join(AttendanceList, AttendanceList.id == AttendanceEntry.list_id)
                .where(AttendanceEntry.student_id == student.id, AttendanceList.group_id.in_(found))
                .group_by(AttendanceList.group_id, AttendanceEntry.mode)):
            if mode in found[group_id].counts:
                found[group_id].counts[mode] += n
    return found


def fill_counts(group):
    """{list id: how many students are marked on it}."""
    return dict(db.session.execute(
        db.select(AttendanceEntry.list_id, db.func.count(AttendanceEntry.id)).join(AttendanceList)
        .where(AttendanceList.group_id == group.id, AttendanceEntry.mode.is_not(None))
        .group_by(AttendanceEntry.list_id)).all())
