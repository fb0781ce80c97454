"""Booking rules of meeting dates: sign-up and sign-off, acceptance and rejection, the queue.

Every path that takes a place (sign_up, accept_participant, the staff sign-ups and the
promotion from the reserve list) first locks the meeting date's row (`lock`, FOR UPDATE on
PostgreSQL; the write transaction's BEGIN IMMEDIATE on SQLite) and only then counts, so two
requests can never both take the last seat. Unique constraints catch the rest (one entry per
person per date).
"""
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, case, func, select

from .. import clock
from ..auth.models import User
from ..database import begin_write, lock
from ..errors import ServiceError
from ..extensions import db
from ..langdict import ld
from . import notices
from .models import MeetingDate, Participant, Substantiation
from ..ids import int_id

SUBSCRIPTION_ERRORS = {
    "meeting_not_active": ("Meeting is not active.", "Spotkanie nie jest aktywne."),
    "no_user_permissions": ("User does not have permission to this meeting.",
                            "Nie masz uprawnień do tego spotkania."),
    "meeting_date_not_begun": ("Meeting date registration has not yet begun.",
                               "Zapisy na ten termin jeszcze się nie rozpoczęły."),
    "meeting_date_ended": ("Meeting date registration has already ended.",
                           "Zapisy na ten termin już się zakończyły."),
    "seats_limit_exceeded": ("There are no seats left on this meeting date.",
                             "Brak wolnych miejsc w tym terminie."),
    "user_already_subscribed": ("User has already subscribed to this meeting date.",
                                "Ta osoba jest już zapisana na ten termin."),
    "invalid_substantiation": ("Selected substantiation cannot be used.",
                               "Wybranego uzasadnienia nie można użyć."),
    "user_already_accepted": ("User has been already accepted to this meeting date.",
                              "Ta osoba jest już przyjęta na ten termin."),
    "user_already_rejected": ("User has been already rejected from this meeting date.",
                              "Ta osoba została już odrzucona."),
    "user_is_not_staff": ("User is not staff.", "Tylko pracownicy mogą to zrobić."),
    "meeting_date_has_started": ("Meeting date has already started.", "Ten termin już się rozpoczął."),
    "user_not_registered": ("User is not registered to meeting.", "Nie jesteś zapisany(-a) na ten termin."),
    "non_usos_person_email_subscribed": ("A person with this e-mail address has already subscribed.",
                                         "Osoba z tym adresem e-mail jest już zapisana."),
    "meeting_date_cancelled": ("The lecturer has cancelled this meeting date.",
                               "Prowadzący odwołał ten termin."),
}
# Reasons of ours that the USOS API does not know, answered as the nearest one it does.
API_REASONS = {"meeting_date_cancelled": "meeting_date_ended"}


def subscription_error(reason):
    en, pl = SUBSCRIPTION_ERRORS[reason]
    return ServiceError("meeting_subscription_exception", en, reason=API_REASONS.get(reason, reason),
                        user_message=ld(pl, en))


def staff_only():
    return ServiceError("method_forbidden", "This method can only be invoked by staff members.",
                        reason="staff_only", status=403,
                        user_message=ld("Tylko pracownicy mogą to zrobić.", "Only staff members can do this."))


def not_found(param, method_name, what="Object"):
    return ServiceError("object_not_found", f"{what} referenced by {param} was not found.",
                        status=400, param_name=param, method_name=method_name,
                        user_message=ld("Nie znaleziono.", "Not found."))


def not_meeting_lecturer():
    return ServiceError("object_forbidden", "Only the meeting's lecturer or an administrator may do this.",
                        reason="not_meeting_lecturer", status=403,
                        user_message=ld("Tylko prowadzący spotkanie może to zrobić.",
                                        "Only the meeting's lecturer can do this."))


def _int(value):
    return int_id(value)


def get_date(date_id, param="meeting_date_id", method_name="services/meetings/meeting_date"):
    date = db.session.get(MeetingDate, _int(date_id)) if _int(date_id) else None
    if date is None:
        raise not_found(param, method_name, "Meeting date")
    return date


def get_participant(participant_id, method_name="services/meetings/participant"):
    entry = db.session.get(Participant, _int(participant_id)) if _int(participant_id) else None
    if entry is None:
        raise not_found("participant_id", method_name, "Participant")
    return entry


def _locked_date(date_id):
    """The meeting date, its row locked until commit (and fresh from the database)."""
    stmt = lock(select(MeetingDate).where(MeetingDate.id == date_id)).execution_options(populate_existing=True)
    date = db.session.execute(stmt).scalar_one()
    db.session.expire(date, ["participants"])
    return date


def _count(date_id, reserve):
    return db.session.scalar(select(func.count(Participant.id)).where(
        Participant.meeting_date_id == date_id, Participant.status != "rejected",
        Participant.is_reserve.is_(reserve)))


def _queue(date_id):
    return list(db.session.scalars(select(Participant).where(
        Participant.meeting_date_id == date_id, Participant.status != "rejected",
        Participant.queue_number.is_not(None)).order_by(Participant.queue_number, Participant.id)))


def _renumber(date_id):
    """Queue numbers 1..n without gaps, keeping the order."""
    for number, entry in enumerate(_queue(date_id), start=1):
        if entry.queue_number != number:
            entry.queue_number = number
    db.session.flush()


def _fill_seats(date):
    """Move the first people of the reserve list, in queue order, onto the free seats."""
    free = date.seats_limit - _count(date.id, False)
    if free <= 0:
        return []
    promoted = list(db.session.scalars(select(Participant).where(
        Participant.meeting_date_id == date.id, Participant.status != "rejected",
        Participant.is_reserve.is_(True)).order_by(Participant.queue_number, Participant.id).limit(free)))
    for entry in promoted:
        entry.is_reserve = False
        entry.status = "accepted" if date.meeting.auto_accept else "waiting"
    db.session.flush()
    return promoted


def _counts(date_id):
    """(main list, reserve list) sizes, in one query."""
    return taken_places(date_id)[:2]


def taken_places(date_id, user_id=None):
    """(seats taken, reserve places taken, entries of `user_id` in any status), in one query."""
    return tuple(db.session.execute(_TAKEN, {"date": date_id, "user": user_id}).one())


# Built once (every sign-up click runs it; building it costs more than running it). With no
# user the third count is 0: `= NULL` matches nothing.
_ACTIVE = Participant.status != "rejected"
TAKEN_COUNTS = (  # over a date's participants; queries.bookable_date counts them beside the date
    func.count(case((and_(_ACTIVE, Participant.is_reserve.is_(False)), Participant.id))),
    func.count(case((and_(_ACTIVE, Participant.is_reserve.is_(True)), Participant.id))),
    func.count(case((Participant.user_id == bindparam("user"), Participant.id))))
_TAKEN = select(*TAKEN_COUNTS).where(Participant.meeting_date_id == bindparam("date"))


def _has_entry(date_id, user_id):
    return db.session.scalar(select(Participant.id).where(Participant.meeting_date_id == date_id,
                                                          Participant.user_id == user_id)) is not None


def _take_place(date, entry, main_status):
    """Put a new entry at the end of the queue: a seat while seats last, else a reserve place."""
    if date.is_cancelled:
        raise subscription_error("meeting_date_cancelled")
    main, reserve = _counts(date.id)
    if main < date.seats_limit:
        entry.is_reserve, entry.status = False, main_status
    elif reserve < date.reserve_seats_limit:
        entry.is_reserve, entry.status = True, "waiting"
    else:
        raise subscription_error("seats_limit_exceeded")
    entry.queue_number = main + reserve + 1
    entry.meeting_date_id = date.id
    entry.created_at = entry.created_at or clock.now()
    db.session.add(entry)
    db.session.flush()
    return entry


def _substantiation(meeting, substantiation_id, kind="meeting", required=False):
    if substantiation_id in (None, ""):
        if required:
            raise subscription_error("invalid_substantiation")
        return None
    sub = db.session.get(Substantiation, _int(substantiation_id)) if _int(substantiation_id) else None
    if not meeting.substantiation_allowed(sub, kind):
        raise subscription_error("invalid_substantiation")
    return sub


def _window_problem(date, now=None):
    now = now or clock.now()
    if date.meeting.state != "active":
        return "meeting_not_active"
    if date.is_cancelled:
        return "meeting_date_cancelled"
    if now < date.registration_start_time:
        return "meeting_date_not_begun"
    if now > date.registration_end_time or now >= date.start_time:
        return "meeting_date_ended"
    return None


def sign_up_problem(user, date, now=None, has_entry=None):
    """Why `user` may not sign up for `date` now (a reason of sign_up), or None."""
    if date.meeting.state != "active":
        return "meeting_not_active"
    if not date.meeting.can_attend(user):
        return "no_user_permissions"
    problem = _window_problem(date, now)
    if problem:
        return problem
    if has_entry if has_entry is not None else date.entry_of(user) is not None:
        return "user_already_subscribed"
    return None


def has_free_place(date):
    return (len(date.main_list()) < date.seats_limit
            or len(date.reserve_list()) < date.reserve_seats_limit)


@dataclass
class SignUpCheck:
    """What a sign-up's first read found: the refusal reason (or None), the places taken, and
    whether the person has an entry already."""
    problem: str
    seats_taken: int
    reserve_taken: int
    has_entry: bool


def sign_up_check(user, date, now=None, taken=None):
    """Why sign_up would refuse `user` now, judged from one count query without any lock (a
    rush is mostly these; the participants themselves are not loaded). sign_up repeats the
    decisive checks under the date's lock. `taken`: taken_places(date.id, user.id) when the
    caller has read it (queries.bookable_date)."""
    main, reserve, mine = taken if taken is not None else taken_places(date.id, user.id)
    free = main < date.seats_limit or reserve < date.reserve_seats_limit
    problem = sign_up_problem(user, date, now, has_entry=mine > 0) or (None if free else "seats_limit_exceeded")
    return SignUpCheck(problem, main, reserve, mine > 0)


def sign_up(user, date_id, substantiation_id, message=None):
    """The person signs up: a seat (accepted with auto-accept, else waiting for the lecturer),
    or a reserve place, or seats_limit_exceeded."""
    date = get_date(date_id, method_name="services/meetings/sign_up")
    # Refuse a full date before queueing for the write lock and the date's row lock (a rush
    # is mostly refusals); the decisive check is repeated under the lock.
    problem = sign_up_check(user, date).problem
    if problem:
        raise subscription_error(problem)
    sub = _substantiation(date.meeting, substantiation_id, required=True)
    begin_write()
    # Under the lock only what a concurrent request can change: the date itself (a lecturer's
    # edit also locks it), this person's entry, and the counts.
    date = _locked_date(date.id)
    problem = _window_problem(date)
    if problem:
        raise subscription_error(problem)
    if _has_entry(date.id, user.id):
        raise subscription_error("user_already_subscribed")
    entry = Participant(user_id=user.id, substantiation=sub, substantiation_message=_text(message))
    return _take_place(date, entry, "accepted" if date.meeting.auto_accept else "waiting")


def _text(value, limit=2000):
    value = (value or "").strip()
    return value[:limit] or None


def sign_off(user, date_id, lang=None):
    """The person leaves a date before it starts; the first reserve takes the freed seat (and is
    told, in `lang` when the caller gives one)."""
    begin_write()
    date = _locked_date(get_date(date_id, method_name="services/meetings/sign_off").id)
    entry = db.session.scalar(select(Participant).where(Participant.meeting_date_id == date.id,
                                                        Participant.user_id == user.id))
    if entry is None or entry.status == "rejected":
        raise subscription_error("user_not_registered")
    if clock.now() >= date.start_time:
        raise subscription_error("meeting_date_has_started")
    db.session.delete(entry)
    db.session.flush()
    _renumber(date.id)
    promoted = _fill_seats(date)
    notices.promoted(promoted, lang)
    return promoted


def _check_manager(actor, meeting, not_staff):
    if actor is None or not actor.is_staff:
        raise not_staff()
    if not meeting.can_manage(actor):
        raise not_meeting_lecturer()


def accept_participant(actor, participant_id, lang=None):
    """The lecturer accepts a waiting person (taking a seat if they are on the reserve list or
    were rejected before); the person is told (in `lang` when given)."""
    begin_write()
    entry = get_participant(participant_id, "services/meetings/accept_participant")
    _check_manager(actor, entry.meeting_date.meeting, lambda: subscription_error("user_is_not_staff"))
    date = _locked_date(entry.meeting_date_id)
    db.session.refresh(entry)
    if date.is_cancelled:
        raise subscription_error("meeting_date_cancelled")
    if entry.status == "accepted" and not entry.is_reserve:
        raise subscription_error("user_already_accepted")
    if entry.is_reserve or entry.status == "rejected":
        if _count(date.id, False) >= date.seats_limit:
            raise subscription_error("seats_limit_exceeded")
        if entry.status == "rejected":
            entry.queue_number = _count(date.id, False) + _count(date.id, True) + 1
    entry.status, entry.is_reserve = "accepted", False
    entry.rejection_substantiation = None
    entry.rejection_substantiation_message = None
    db.session.flush()
    _renumber(date.id)
    notices.accepted(entry, lang)
    return entry


def reject_participant(actor, participant_id, substantiation_id=None, message=None, lang=None):
    """The lecturer rejects a person; a seat they held goes to the first reserve. Both are told
    (in `lang` when given)."""
    begin_write()
    entry = get_participant(participant_id, "services/meetings/reject_participant")
    meeting = entry.meeting_date.meeting
    _check_manager(actor, meeting, lambda: subscription_error("user_is_not_staff"))
    date = _locked_date(entry.meeting_date_id)
    db.session.refresh(entry)
    if entry.status == "rejected":
        raise subscription_error("user_already_rejected")
    sub = _substantiation(meeting, substantiation_id, kind="rejection")
    entry.status, entry.is_reserve, entry.queue_number = "rejected", False, None
    entry.rejection_substantiation = sub
    entry.rejection_substantiation_message = _text(message)
    db.session.flush()
    _renumber(date.id)
    notices.rejected(entry, _fill_seats(date), lang)
    return entry


def sign_up_specific_user(actor, user_id, date_id, status="accepted", substantiation_id=None, message=None):
    """Staff sign up a person of the university, whatever the registration window."""
    begin_write()
    if actor is None or not actor.is_staff:
        raise staff_only()
    date = get_date(date_id, method_name="services/meetings/sign_up_specific_user")
    _check_manager(actor, date.meeting, staff_only)
    user = db.session.get(User, _int(user_id)) if _int(user_id) else None
    if user is None:
        raise not_found("user_id", "services/meetings/sign_up_specific_user", "User")
    date = _locked_date(date.id)
    if _has_entry(date.id, user.id):
        raise subscription_error("user_already_subscribed")
    sub = _substantiation(date.meeting, substantiation_id)
    entry = Participant(user_id=user.id, substantiation=sub, substantiation_message=_text(message))
    _take_place(date, entry, status)
    notices.booked(entry, actor)
    return entry


def sign_up_non_usos_person(actor, date_id, first_name, last_name, status="accepted", email=None,
                            contact_data=None, substantiation_id=None, message=None):
    """Staff sign up someone from outside the university (name, e-mail, contact)."""
    begin_write()
    if actor is None or not actor.is_staff:
        raise staff_only()
    date = get_date(date_id, method_name="services/meetings/sign_up_non_usos_person")
    _check_manager(actor, date.meeting, staff_only)
    first, last = (first_name or "").strip(), (last_name or "").strip()
    for name, value in (("first_name", first), ("last_name", last)):
        if not value or len(value) > 100:
            raise ServiceError("param_invalid", f"Invalid value of the {name} parameter.", param_name=name,
                               user_message=ld("Podaj imię i nazwisko (do 100 znaków).",
                                               "Give a first and last name (up to 100 characters)."))
    email = (email or "").strip().lower() or None
    if email is not None and (len(email) > 200 or "@" not in email or " " in email):
        raise ServiceError("param_invalid", "Invalid value of the email parameter.", param_name="email",
                           user_message=ld("Nieprawidłowy adres e-mail.", "Invalid e-mail address."))
    date = _locked_date(date.id)
    if email and db.session.scalar(select(Participant.id).where(
            Participant.meeting_date_id == date.id, Participant.external_email == email)):
        raise subscription_error("non_usos_person_email_subscribed")
    sub = _substantiation(date.meeting, substantiation_id)
    entry = Participant(external_first_name=first, external_last_name=last, external_email=email,
                        external_contact=_text(contact_data, 500), substantiation=sub,
                        substantiation_message=_text(message))
    _take_place(date, entry, status)
    notices.booked(entry, actor)
    return entry


def fill_seats(date):
    """After the seats limit grew: promote reserves (the caller holds the write transaction)."""
    return _fill_seats(_locked_date(date.id))
