"""Factories for exam reports, sessions and grades."""
from datetime import timedelta

from portal import clock
from portal.extensions import db
from portal.grades.models import ExamReport, ExamSession, Grade
from portal.langdict import ld
from portal.university.models import GradeType

from .factories import FactoryBase, in_app_context


class GradesFactory(FactoryBase):
    @in_app_context
    def report(self, edition, unit=None, grade_type="PL", counts=True, type_id="ZO", sessions=1, **session_kw):
        report = ExamReport(edition_id=edition.id, unit_id=unit.id if unit is not None else None,
                            grade_type_id=grade_type, type_id=type_id, counts_into_average=counts,
                            description=ld("Protokół", "Report"))
        self._save(report)
        for number in range(1, sessions + 1):
            self.session(report, number, **session_kw)
        return db.session.get(ExamReport, report.id)

    @in_app_context
    def session(self, report, number=1, status="active", deadline_days=30, acquisition_required=False):
        deadline = None if deadline_days is None else clock.now() + timedelta(days=deadline_days)
        return self._save(ExamSession(report_id=report.id, number=number, status=status,
                                      description=ld(f"Termin {number}", f"Session {number}"),
                                      deadline=deadline, is_acquisition_date_required=acquisition_required))

    @in_app_context
    def grade(self, report, student, symbol="4", number=1, by=None, comment=None, private_comment=None,
              modified=None, **kw):
        session = db.session.scalar(db.select(ExamSession).filter_by(report_id=report.id, number=number))
        value = db.session.get(GradeType, report.grade_type_id).value_for(symbol) if symbol else None
        stamp = modified or clock.now().replace(microsecond=0) - timedelta(hours=1)
        return self._save(Grade(session_id=session.id, student_id=student.id, value_id=value.id if value else None,
                                comment=comment, private_comment=private_comment, date_modified=stamp,
                                modified_by_id=by.id if by else None, **kw))
