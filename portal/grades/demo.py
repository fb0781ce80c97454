"""Demo exam reports: sessions open, expired and closed, grades in various states, resits."""
from datetime import datetime, timedelta

from .. import clock
from ..extensions import db
from ..langdict import ld
from ..university.models import GradeType
from .models import STATUS_ACTIVE, STATUS_CLOSED, ExamReport, ExamSession, Grade, GradeChange

PL_WEIGHTS = [("2", 2), ("3", 4), ("3,5", 4), ("4", 5), ("4,5", 3), ("5", 3)]


def _pick(rng, weights):
    total = sum(w for _s, w in weights)
    x = rng.uniform(0, total)
    for symbol, w in weights:
        x -= w
        if x <= 0:
            return symbol
    return weights[-1][0]


def _report(edition, unit, type_id, grade_type, counts, pl, en):
    report = ExamReport(edition=edition, unit=unit, type_id=type_id, grade_type_id=grade_type,
                        counts_into_average=counts, description=ld(pl, en))
    db.session.add(report)
    return report


def _session(report, number, status, deadline, acquisition=False):
    names = {1: ld("Termin pierwszy", "First sitting"), 2: ld("Termin poprawkowy", "Resit")}
    session = ExamSession(report=report, number=number, status=status, deadline=deadline,
                          description=names.get(number, ld(f"Termin {number}", f"Session {number}")),
                          is_acquisition_date_required=acquisition)
    db.session.add(session)
    return session


def _grade(session, student, value, author, when, comment=None, private=None, acquired=None, previous=None):
    grade = Grade(session=session, student=student, value=value, comment=comment, private_comment=private,
                  date_acquisition=acquired, date_modified=when.replace(microsecond=0), modified_by=author)
    db.session.add(grade)
    if previous is not None:  # an earlier value, corrected later: the history shows both
        db.session.add(GradeChange(grade=grade, changed_at=(when - timedelta(days=2)).replace(microsecond=0),
                                   changed_by=author, new_value=previous))
        db.session.add(GradeChange(grade=grade, changed_at=when.replace(microsecond=0), changed_by=author,
                                   old_value=previous, new_value=value, new_comment=comment))
    else:
        db.session.add(GradeChange(grade=grade, changed_at=when.replace(microsecond=0), changed_by=author,
                                   new_value=value, new_comment=comment, new_private_comment=private,
                                   new_date_acquisition=acquired))
    return grade


def _students(edition):
    seen = {}
    for unit in edition.units:
        for group in unit.groups:
            for user in group.participants:
                seen.setdefault(user.id, user)
    return list(seen.values())


def seed(ctx):
    rng = ctx.rng
    now = clock.now()
    pl, zal = db.session.get(GradeType, "PL"), db.session.get(GradeType, "ZAL")
    student1 = ctx.user("student1")
    for edition in ctx.editions:
        current = edition.term is ctx.current_term
        coordinator = edition.coordinators[0]
        students = _students(edition)
        term_end = datetime.combine(edition.term.finish_date, datetime.min.time())
        exam = _report(edition, None, "E", "PL", True, "Egzamin", "Exam")
        if current:
            first_status = STATUS_CLOSED if edition.course_id == "MAT-AM1" else STATUS_ACTIVE
            first = _session(exam, 1, first_status, now + timedelta(days=20))
            resit = _session(exam, 2, STATUS_ACTIVE, now + timedelta(days=45), acquisition=True)
            graded = students if first_status == STATUS_CLOSED else students[: len(students) // 2]
        else:
            first = _session(exam, 1, STATUS_CLOSED, term_end - timedelta(days=10))
            resit = _session(exam, 2, STATUS_ACTIVE, term_end)  # expired: its deadline is in the past
            graded = students
        for index, student in enumerate(graded):
            symbol = _pick(rng, PL_WEIGHTS)
            if student is student1 and edition.course_id == "INF-ALG":
                symbol = "2"  # failed the first sitting; the resit below passes
            when = now - timedelta(days=rng.randint(1 if current else 60, 12 if current else 120), hours=rng.randint(0, 8))
            if student is student1 and edition.course_id == "INF-ALG":
                when = now - timedelta(days=8)  # long enough ago for the resit to have happened
            corrected = pl.value_for("3") if index % 11 == 3 and symbol == "3,5" else None
            _grade(first, student, pl.value_for(symbol), coordinator, when, previous=corrected,
                   comment="Kolokwium poprawione" if index % 9 == 4 else None,
                   private="Sprawdzić obecności" if index % 13 == 5 else None)
            if symbol == "2" and (not current or student is student1 or index % 2 == 0):
                when2 = when + timedelta(days=rng.randint(2, 6))
                if when2 < now:
                    _grade(resit, student, pl.value_for(rng.choice(["3", "3,5", "4"])), coordinator, when2,
                           acquired=when2.date())
        for unit in edition.units:
            if unit.classtype_id == "WYK":
                continue
            credit = _report(edition, unit, "Z", "ZAL", False, f"Zaliczenie {unit.classtype_id}",
                             f"Credit ({unit.classtype_id})")
            expired = current and edition.course_id == "INF-BD"
            deadline = (now - timedelta(days=1)) if expired else (now + timedelta(days=30) if current else term_end)
            session = _session(credit, 1, STATUS_ACTIVE if current else STATUS_CLOSED, deadline)
            for group in unit.groups:
                teacher = group.lecturers[0] if group.lecturers else coordinator
                share = 1.0 if not current or expired else 0.6
                for student in group.participants[: int(len(group.participants) * share)]:
                    value = zal.value_for("ZAL" if rng.random() < 0.88 else "NZAL")
                    when = now - timedelta(days=rng.randint(0 if current else 60, 10 if current else 120))
                    grade = _grade(session, student, value, teacher, when)
                    grade.resignation = rng.random() < 0.02
    db.session.flush()
