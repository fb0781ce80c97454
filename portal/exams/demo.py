"""Demo data: an active winter session with exams in every state, one session in preparation.

student1 attends INF-ALG, INF-BD and MAT-AM1 and so sees an open exam (INF-ALG, first come,
first served), a resit with micro-rounds and ranked preferences (INF-ALG), an upcoming one
(INF-BD) and one with an admission condition (MAT-AM1); lecturer1 coordinates INF-ALG and
examines its groups.
"""
from datetime import datetime, timedelta

from .. import clock
from ..extensions import db
from ..langdict import ld
from . import manage
from .models import Exam, ExamCondition, ExaminationSession
from .registration import place


def _at(day, hour):
    return datetime(day.year, day.month, day.day, hour, 0)


def _edition(ctx, course_id):
    return next(e for e in ctx.editions if e.course_id == course_id and e.term is ctx.current_term)


def _students(edition):
    seen = {}
    for unit in edition.units:
        for group in unit.groups:
            for user in group.participants:
                seen.setdefault(user.id, user)
    return list(seen.values())


def _exam(ctx, session, course_id, code, pl, en, start, end, **kw):
    edition = _edition(ctx, course_id)
    exam = Exam(session=session, course_id=course_id, term_id=edition.term_id, code=code, name=ld(pl, en),
                description=ld("Egzamin pisemny, zabierz legitymację.", "Written exam; bring your student card."),
                registration_start=start, registration_end=end, examiners_visible=True,
                has_priorities=kw.pop("has_priorities", False), preferences_limit=kw.pop("preferences_limit", 1), **kw)
    db.session.add(exam)
    db.session.flush()
    return exam, edition


def _group(ctx, exam, number, day, hour, capacity, slots, examiners, room):
    return manage.save_group(exam, None, ctx.admin, number=number, start=_at(day, hour),
                             end=_at(day, hour) + timedelta(hours=2), capacity=capacity, number_of_slots=slots,
                             room=room, examiners=examiners)


def _register(ctx, exam, students, skip=()):
    """Seat the students through the same rule as a click (outside the window: it is demo data)."""
    slots = [s for g in exam.groups for s in g.slots]
    for i, student in enumerate(s for s in students if s not in skip):
        slot = slots[i % len(slots)]
        if slot.free:
            place(exam, student, slot, check_window=False)
        db.session.refresh(slot)


def _report_id(ctx, course_id, type_id):
    """The course's current-term exam report of this type, when the grades module made one."""
    try:
        from ..grades.models import ExamReport
    except ImportError:
        return None
    edition = _edition(ctx, course_id)
    return db.session.scalar(db.select(ExamReport.id).where(ExamReport.edition_id == edition.id,
                                                            ExamReport.type_id == type_id).order_by(ExamReport.id))


def _link(ctx, exam, session_number):
    """Link the exam to its course's exam report ("E"), whose session `session_number` grades it."""
    exam.examrep_id = _report_id(ctx, exam.course_id, "E")
    exam.examrep_session_number = session_number if exam.examrep_id else None


def seed_exams(ctx):
    now = clock.now().replace(second=0, microsecond=0)
    today = now.date()
    lect = {u.login: u for u in ctx.lecturers}
    aula = next((r for r in ctx.rooms if r.number == "Aula"), ctx.rooms[0])
    small = ctx.rooms[:4]
    student1, student2 = ctx.user("student1"), ctx.user("student2")

    winter = ExaminationSession(name=ld("Sesja zimowa", "Winter examination session"),
                                description=ld("Egzaminy semestru zimowego.", "Exams of the winter term."),
                                status="active", faculty=ctx.faculties["WMI"])
    summer = ExaminationSession(name=ld("Sesja letnia", "Summer session"),
                                description=ld("Jeszcze niewidoczna dla studentów.", "Not visible to students yet."),
                                status="in_preparation", faculty=ctx.faculties["WMI"])
    db.session.add_all([winter, summer])

    # Open, first come first served: INF-ALG, examined by lecturer1 (its coordinator).
    alg, alg_ed = _exam(ctx, winter, "INF-ALG", "INF-ALG-E1", "Egzamin – termin I", "Exam – first sitting",
                        now - timedelta(days=1), now + timedelta(days=6))
    _group(ctx, alg, 1, today + timedelta(days=10), 9, 30, 3, [lect["lecturer1"]], aula)
    _group(ctx, alg, 2, today + timedelta(days=10), 13, 20, 2, [lect["lecturer2"]], small[1])
    alg_students = _students(alg_ed)
    _register(ctx, alg, alg_students[2:30], skip=(student1, student2))

    # Micro-rounds with ranked preferences: the INF-ALG resit.
    resit, _ = _exam(ctx, winter, "INF-ALG", "INF-ALG-E2", "Egzamin – termin poprawkowy", "Exam – resit",
                     now - timedelta(hours=2), now + timedelta(days=8), micro_round_length=60,
                     micro_break_length=30, has_priorities=True, preferences_limit=3)
    _group(ctx, resit, 1, today + timedelta(days=20), 10, 12, 3, [lect["lecturer1"]], small[0])
    _group(ctx, resit, 2, today + timedelta(days=21), 10, 12, 2, [lect["lecturer1"], lect["lecturer2"]], small[2])

    # Upcoming: INF-BD opens in three days.
    bd, _ = _exam(ctx, winter, "INF-BD", "INF-BD-E1", "Egzamin", "Exam",
                  now + timedelta(days=3), now + timedelta(days=9))
    _group(ctx, bd, 1, today + timedelta(days=14), 9, 40, 2, [bd.edition().coordinators[0]], aula)

    # With an admission condition: MAT-AM1 needs a passing grade in its exam report.
    am, _ = _exam(ctx, winter, "MAT-AM1", "MAT-AM1-E1", "Egzamin", "Exam",
                  now - timedelta(days=2), now + timedelta(days=5))
    _group(ctx, am, 1, today + timedelta(days=12), 9, 40, 2, [am.edition().coordinators[0]], aula)
    # Admitted: who passed the classes' credit report ("Z"); the demo grades decide who did.
    credit = _report_id(ctx, "MAT-AM1", "Z")
    if credit is not None:
        db.session.add(ExamCondition(exam=am, examrep_id=credit))

    # Closed: INF-SO registration ended yesterday, with its students seated.
    so, so_ed = _exam(ctx, winter, "INF-SO", "INF-SO-E1", "Egzamin", "Exam",
                      now - timedelta(days=8), now - timedelta(days=1))
    _group(ctx, so, 1, today + timedelta(days=4), 12, 30, 2, [so.edition().coordinators[0]], small[3])
    _register(ctx, so, _students(so_ed)[:25])

    for exam, sitting in ((alg, 1), (resit, 2), (bd, 1), (am, 1), (so, 1)):
        _link(ctx, exam, sitting)

    # A session in preparation: only staff see it.
    prep, _ = _exam(ctx, summer, "INF-ALG", "INF-ALG-L1", "Egzamin (sesja letnia)", "Exam (summer session)",
                    None, None)
    _group(ctx, prep, 1, today + timedelta(days=120), 9, 30, 1, [lect["lecturer1"]], aula)
    db.session.flush()
