"""Factories for meetings: substantiations, meetings, dates (registration open by default), entries."""
from datetime import timedelta
from types import SimpleNamespace

from portal import clock
from portal.extensions import db
from portal.langdict import ld
from portal.meetings.models import DayOff, Meeting, MeetingDate, Participant, Substantiation

from .factories import FactoryBase, in_app_context


class MeetingFactory(FactoryBase):
    @in_app_context
    def substantiation(self, faculty, kind="meeting", name="Konsultacje"):
        fac_id = faculty if isinstance(faculty, str) else faculty.id
        return self._save(Substantiation(type=kind, faculty_id=fac_id, name=ld(name, name + " (en)"),
                                         message=ld("Wiadomość", "Message")))

    @in_app_context
    def meeting(self, lecturer, faculty, term=None, open=True, state="active", auto_accept=True,
                mode="this_faculty_and_parents", groups=(), name="Konsultacje"):
        m = Meeting(name=ld(name, "Office hours"), comment=ld("Pokój 12", "Room 12"),
                    faculty_id=faculty if isinstance(faculty, str) else faculty.id,
                    term_id=getattr(term, "id", term), lecturer_id=lecturer.id, open=open, state=state,
                    substantiation_mode=mode, auto_accept=auto_accept)
        m.groups = [db.session.merge(g) for g in groups]
        return self._save(m)

    @in_app_context
    def date(self, meeting, days=3, hour=10, seats=2, reserve=1, reg_from=-1, reg_to=None, room=None):
        """A date `days` from now; registration from `reg_from` days (relative to now) until
        `reg_to` days (default: one hour before the date)."""
        now = clock.now().replace(microsecond=0)
        start = (now + timedelta(days=days)).replace(hour=hour, minute=0, second=0)
        reg_end = start - timedelta(hours=1) if reg_to is None else now + timedelta(days=reg_to)
        return self._save(MeetingDate(meeting_id=meeting.id, start_time=start, end_time=start + timedelta(hours=1),
                                      registration_start_time=now + timedelta(days=reg_from),
                                      registration_end_time=reg_end, seats_limit=seats,
                                      reserve_seats_limit=reserve, room_id=getattr(room, "id", None),
                                      comment=ld("Termin", "Date")))

    @in_app_context
    def entry(self, date, user, status="accepted", reserve=False, queue=None, substantiation=None):
        q = queue or (db.session.scalar(db.select(db.func.count(Participant.id)).where(
            Participant.meeting_date_id == date.id, Participant.status != "rejected")) + 1)
        return self._save(Participant(meeting_date_id=date.id, user_id=user.id, status=status, is_reserve=reserve,
                                      queue_number=None if status == "rejected" else q,
                                      substantiation_id=getattr(substantiation, "id", None),
                                      created_at=clock.now()))

    @in_app_context
    def day_off(self, start, end=None, faculty=None, name="Święto"):
        return self._save(DayOff(start_date=start, end_date=end or start, name=ld(name),
                                 faculty_id=getattr(faculty, "id", faculty)))

    def setup(self, make, **meeting_kw):
        """A university (see Factory.university) with a meeting of the coordinator in the
        faculty, one open date (2 seats, 1 reserve) and substantiations."""
        uni = make.university()
        sub = self.substantiation(uni.faculty)
        parent_sub = self.substantiation(uni.parent, name="Uczelnia")
        rejection = self.substantiation(uni.faculty, kind="rejection", name="Brak czasu")
        other_fac = make.faculty("OTH")
        foreign_sub = self.substantiation(other_fac, name="Obca")
        meeting = self.meeting(uni.coordinator, uni.faculty, uni.term, **meeting_kw)
        date = self.date(meeting)
        return SimpleNamespace(**vars(uni), sub=sub, parent_sub=parent_sub, rejection=rejection,
                               foreign_sub=foreign_sub, other_faculty=other_fac, meeting=meeting, date=date)
