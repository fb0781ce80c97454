"""Factories for the people model: study programmes, students on them, staff positions and functions."""
import itertools
from datetime import date

from portal.extensions import db
from portal.langdict import ld
from portal.university.models import (EmploymentFunction, EmploymentGroup, EmploymentPosition, Position, Programme,
                                      StudentProgramme)

from .factories import FactoryBase, in_app_context

_seq = itertools.count(1)


class PeopleFactory(FactoryBase):
    @in_app_context
    def programme(self, faculty, id=None, level="first_cycle", name=None):
        id = id or f"P-{next(_seq)}"
        return self._save(Programme(id=id, name=name or ld(f"Kierunek {id}", f"Programme {id}"), faculty_id=faculty.id,
                                    level=level,
                                    level_of_studies=ld("studia pierwszego stopnia", "first-cycle studies"),
                                    mode_of_studies=ld("stacjonarne", "full-time"), duration=ld("3 lata", "3 years"),
                                    professional_status=ld("licencjat", "bachelor")))

    @in_app_context
    def enrol(self, user, programme, status="active", primary=True, admitted=date(2024, 10, 1)):
        return self._save(StudentProgramme(user_id=user.id, programme_id=programme.id, status=status,
                                           is_primary=primary, admission_date=admitted))

    @in_app_context
    def position(self, user, faculty, id="ADIUNKT", name=ld("adiunkt", "assistant professor")):
        group = db.session.get(EmploymentGroup, "NA") or EmploymentGroup(
            id="NA", name=ld("Nauczyciele akademiccy", "Academic teachers"), university_teachers=True)
        position = db.session.get(Position, id) or Position(id=id, name=name, employment_group=group)
        return self._save(EmploymentPosition(user_id=user.id, position=position, faculty_id=faculty.id))

    @in_app_context
    def function(self, user, faculty, function=ld("Prodziekan", "Vice-Dean")):
        return self._save(EmploymentFunction(user_id=user.id, function=function, faculty_id=faculty.id))


def people(make, app):
    """make.university() with the people model filled in: the student on a programme (and a
    cancelled second one), the lecturer with a position, a function, office hours and a phone."""
    from portal.auth.models import User
    u = make.university()
    p = PeopleFactory(app)
    u.programme = p.programme(u.faculty, "P-INF")
    u.other_programme = p.programme(u.faculty, "P-MAT")
    u.doctoral = p.programme(u.parent, "P-PHD", level="phd_school")
    u.enrolment = p.enrol(u.student, u.programme)
    u.cancelled = p.enrol(u.student, u.other_programme, status="cancelled", primary=False)
    p.position(u.lecturer, u.faculty)
    p.function(u.lecturer, u.faculty)
    with app.app_context():
        for who, values in ((u.lecturer, dict(office_hours=ld("wt. 10-12", "Tue 10-12"), phone_numbers=["+48 1"],
                                              homepage_url="https://example.edu.pl/~lect", middle_names="Jan",
                                              sex="M", library_card_id="P1")),
                            (u.student, dict(phone_numbers=["+48 2"], library_card_id="L1", sex="F"))):
            db.session.query(User).filter_by(id=who.id).update(values)
        db.session.commit()
    u.p = p
    return u
