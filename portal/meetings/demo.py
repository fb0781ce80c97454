"""Demo consultations: several lecturers' meetings, open and for groups, auto-accepted and not,
some dates full with a reserve list; substantiations per faculty; days off; a few notes."""
from datetime import date, datetime, time, timedelta

from .. import clock
from ..extensions import db
from ..langdict import ld
from .models import DayOff, Meeting, MeetingDate, MeetingNote, Participant, Substantiation

SUBSTANTIATIONS = [
    ("UNI", "meeting", "Konsultacje ogólne", "General consultation"),
    ("UNI", "rejection", "Brak wolnego czasu", "No time available"),
    ("WMI", "meeting", "Pytania do wykładu", "Questions about the lecture"),
    ("WMI", "meeting", "Poprawa kolokwium", "Test retake"),
    ("WMI", "meeting", "Praca dyplomowa", "Thesis"),
    ("WMI", "rejection", "Sprawę można załatwić mailowo", "This can be handled by e-mail"),
    ("WF", "meeting", "Sprawozdanie z laboratorium", "Laboratory report"),
    ("WF", "rejection", "Proszę przyjść na zajęcia", "Please come to the class"),
]


def _dt(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute))


def _date(meeting, day, hour, seats, reserve, room=None):
    start = _dt(day, hour)
    d = MeetingDate(meeting=meeting, start_time=start, end_time=start + timedelta(minutes=90),
                    registration_start_time=_dt(day - timedelta(days=14), 8),
                    registration_end_time=start - timedelta(hours=2), seats_limit=seats,
                    reserve_seats_limit=reserve, room=room)
    db.session.add(d)
    return d


def _fill(d, people, subs, auto_accept, rng, reserve_count=0):
    """Sign `people` up in order: seats, then reserve places."""
    now = clock.now()
    for number, person in enumerate(people, start=1):
        reserve = number > d.seats_limit
        status = "waiting" if reserve or not auto_accept else "accepted"
        db.session.add(Participant(meeting_date=d, user_id=person.id, status=status, is_reserve=reserve,
                                   queue_number=number, substantiation=rng.choice(subs),
                                   substantiation_message=rng.choice([None, "Proszę o konsultację.",
                                                                      "Chciałbym omówić zadanie 3."]),
                                   created_at=now - timedelta(hours=len(people) - number)))


def seed(ctx):
    rng, today = ctx.rng, ctx.today
    subs = {}
    for fac, kind, pl, en in SUBSTANTIATIONS:
        s = Substantiation(faculty_id=fac, type=kind, name=ld(pl, en),
                           message=ld("Opisz krótko sprawę.", "Describe the matter briefly.") if kind == "meeting" else None)
        db.session.add(s)
        subs.setdefault((fac, kind), []).append(s)
    wmi_subs = subs[("WMI", "meeting")] + subs[("UNI", "meeting")]
    wf_subs = subs[("WF", "meeting")] + subs[("UNI", "meeting")]

    year = today.year if today.month >= 10 else today.year - 1
    for start, end, pl, en, fac in ((date(year, 11, 11), None, "Święto Niepodległości", "Independence Day", None),
                                    (date(year, 12, 22), date(year + 1, 1, 6), "Przerwa świąteczna",
                                     "Winter break", None),
                                    (date(year + 1, 5, 1), date(year + 1, 5, 3), "Majówka", "May break", None),
                                    (date(year, 12, 4), None, "Dzień Wydziału Fizyki", "Physics Faculty Day", "WF")):
        db.session.add(DayOff(start_date=start, end_date=end or start, name=ld(pl, en), faculty_id=fac))

    term = ctx.current_term
    lecturer1 = ctx.user("lecturer1")
    students = ctx.students
    rooms = ctx.rooms
    student1 = ctx.user("student1")
    others = [s for s in students[2:60]]

    open_meeting = Meeting(name=ld("Konsultacje — Algorytmy i struktury danych", "Office hours — Algorithms"),
                           comment=ld("Pokój 2.10, proszę o punktualność.", "Room 2.10, please be on time."),
                           faculty_id="WMI", term=term, lecturer=lecturer1, open=True, state="active",
                           substantiation_mode="this_faculty_and_parents", auto_accept=True)
    db.session.add(open_meeting)
    first = today + timedelta(days=1)
    full = _date(open_meeting, first, 12, seats=3, reserve=2, room=rooms[3])
    _fill(full, others[:4], wmi_subs, True, rng)          # 3 seats taken, one on the reserve list
    for week in range(0, 4):
        d = _date(open_meeting, first + timedelta(days=2 + 7 * week), 14, seats=4, reserve=2, room=rooms[3])
        if week == 0:
            _fill(d, others[4:6], wmi_subs, True, rng)
    past = _date(open_meeting, today - timedelta(days=6), 12, seats=3, reserve=1, room=rooms[3])
    _fill(past, [student1, *others[6:8]], wmi_subs, True, rng)

    my_group = next((g for g in ctx.groups if g.unit.edition.term_id == term.id and g.is_lecturer(lecturer1)
                     and g.unit.classtype_id != "WYK" and g.has_participant(student1)), None)
    if my_group is not None:
        group_meeting = Meeting(name=ld("Konsultacje dla grupy ćwiczeniowej", "Office hours for my classes group"),
                                faculty_id="WMI", term=term, lecturer=lecturer1, open=False, groups=[my_group],
                                state="active", substantiation_mode="this_faculty_only", auto_accept=False)
        db.session.add(group_meeting)
        members = [s for s in my_group.participants if s.id != student1.id]
        d = _date(group_meeting, first + timedelta(days=1), 10, seats=2, reserve=2, room=rooms[1])
        _fill(d, members[:3], subs[("WMI", "meeting")], False, rng)   # two waiting, one on the reserve list
        _date(group_meeting, first + timedelta(days=8), 10, seats=2, reserve=2, room=rooms[1])
    db.session.add(Meeting(name=ld("Konsultacje w sesji egzaminacyjnej", "Exam-session office hours"),
                           faculty_id="WMI", term=term, lecturer=lecturer1, open=True, state="in_preparation",
                           auto_accept=True))

    for index, lecturer in enumerate([*ctx.lecturers[1:6], ctx.lecturers[12]], start=2):
        wf = lecturer.faculty_id == "WF"
        auto = index % 2 == 0
        m = Meeting(name=ld(f"Konsultacje — {lecturer.last_name}", f"Office hours — {lecturer.last_name}"),
                    faculty_id=lecturer.faculty_id, term=term, lecturer=lecturer, open=True, state="active",
                    substantiation_mode="this_faculty_and_parents", auto_accept=auto)
        db.session.add(m)
        for week in range(3):
            d = _date(m, first + timedelta(days=(index % 5) + 7 * week), 9 + index, seats=3, reserve=1,
                      room=rooms[index % len(rooms)])
            if week == 0:
                taken = rng.sample(others, 4 if index % 3 == 0 else 2)
                _fill(d, taken, wf_subs if wf else wmi_subs, auto, rng)

    db.session.flush()
    db.session.add(MeetingNote(author=lecturer1, faculty_id="WMI", term=term, user=others[0],
                               public_note="Pracuje systematycznie.", private_note="Zaproponować temat pracy.",
                               creation_date=clock.now() - timedelta(days=3)))
