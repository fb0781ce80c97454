"""Factories for exam registration: sessions, exams with windows, groups with slots."""
import itertools
from datetime import timedelta
from types import SimpleNamespace

from portal import clock
from portal.auth.models import User
from portal.exams import manage
from portal.exams.models import Exam, ExamGroup, ExaminationSession
from portal.extensions import db
from portal.langdict import ld

from .factories import FactoryBase, at, in_app_context

_seq = itertools.count(1)


class ExamFactory(FactoryBase):
    @in_app_context
    def session(self, faculty_id, status="active", name=None):
        return self._save(ExaminationSession(name=name or ld("Sesja zimowa", "Winter session"),
                                             description=ld("Opis", "Description"), status=status,
                                             faculty_id=faculty_id))

    @in_app_context
    def exam(self, session, course_id, term_id, opened=True, **kw):
        now = clock.now()
        n = next(_seq)
        values = dict(code=f"EX-{n}", name=ld(f"Egzamin {n}", f"Exam {n}"), description=ld("Opis", "Description"),
                      registration_start=now - timedelta(days=1) if opened else now + timedelta(days=2),
                      registration_end=now + timedelta(days=5) if opened else now + timedelta(days=7),
                      examiners_visible=True, has_priorities=False, preferences_limit=1)
        values.update(kw)
        return self._save(Exam(session_id=session.id, course_id=course_id, term_id=term_id, **values))

    @in_app_context
    def group(self, exam, number=1, capacity=4, slots=2, examiners=(), room=None, day=7, hour=9, minutes=120):
        exam = db.session.get(Exam, exam.id)
        admin = db.session.scalar(db.select(User).filter_by(is_admin=True)) or User(
            login=f"factory-admin-{next(_seq)}", first_name="A", last_name="A", is_admin=True)
        start = at(day, hour)
        group = manage.save_group(exam, None, admin, number=number, start=start,
                                  end=start + timedelta(minutes=minutes), capacity=capacity,
                                  number_of_slots=slots, room=room,
                                  examiners=[db.session.get(User, u.id) for u in examiners])
        db.session.commit()
        group = db.session.get(ExamGroup, group.id)
        _ = [s.number for s in group.slots]
        return group

    @in_app_context
    def setup(self, uni, capacity=4, slots=2, **exam_kw):
        """An active session with one open exam of uni's course: group 1 examined by the
        classes lecturer (capacity spread over `slots`), group 2 by the other lecturer."""
        session = self.session(uni.faculty.id)
        exam = self.exam(session, uni.course.id, uni.term.id, **exam_kw)
        g1 = self.group(exam, 1, capacity=capacity, slots=slots, examiners=[uni.lecturer], room=uni.room)
        g2 = self.group(exam, 2, capacity=2, slots=1, examiners=[uni.other_lecturer], day=8)
        return SimpleNamespace(session=session, exam=exam, g1=g1, g2=g2, slot1=g1.slots[0],
                               slot2=g1.slots[1] if slots > 1 else None, g2slot=g2.slots[0])
