"""Staff batch operations: many students registered or unregistered in one request.

They go through `registration.place` / `registration.leave`, so capacity, one seat per exam,
course attendance and admission conditions hold exactly as for a student's own click. Staff
act outside the students' registration windows (that is what they are for). Each student is
decided in a savepoint of their own: one refusal never undoes the others.
"""
from dataclasses import dataclass, field

from ..auth.models import User
from ..errors import ServiceError
from ..extensions import db
from ..langdict import ld
from . import notices, reports
from .registration import leave, place
from .services import as_int, get_group, get_slot, registration_of


def _invalid(param, detail):
    return ServiceError("param_invalid", f"Invalid value of the {param} parameter: {detail}",
                        user_message=ld("Nieprawidłowa wartość.", "Invalid value."), param_name=param)


def parse_values(exam, values, param="values"):
    """Check `{group number: {slot number: [user ids]}}` and resolve it to [(slot, [ids])]."""
    if not isinstance(values, dict):
        raise _invalid(param, "a JSON dictionary of group numbers is required")
    plan = []
    for group_number, slots in values.items():
        if not isinstance(slots, dict):
            raise _invalid(param, f"group {group_number}: a dictionary of slot numbers is required")
        group = get_group(exam, group_number, param)
        for slot_number, user_ids in slots.items():
            if not isinstance(user_ids, list) or not all(
                    isinstance(u, (int, str)) and as_int(u) is not None for u in user_ids):
                raise _invalid(param, f"group {group_number}, slot {slot_number}: a list of user IDs is required")
            slot = get_slot(group, slot_number, param)
            plan.append((group_number, slot_number, slot, [str(as_int(u)) for u in user_ids]))
    return plan


def _user(user_id):
    return db.session.get(User, as_int(user_id))


STATUS_OF_REASON = {"already_registered": "w_already_registered", "registered_elsewhere": "e_already_registered"}


def _register(exam, slot, user, actor=None):
    """(USOS status, the refusal or None) of registering one student; `actor`, the staff member
    doing it, is named in the student's message (the batch methods act for an application)."""
    try:
        with db.session.begin_nested():
            place(exam, user, slot, check_window=False, allow_switch=False)
        notices.seat_given(exam, slot, user, actor)
        return "success", None
    except ServiceError as err:
        return STATUS_OF_REASON.get(err.reason, "e_not_permitted"), err


def register_one(exam, slot, user):
    """One student's outcome: success, w_already_registered, e_already_registered, e_not_permitted."""
    return "e_not_permitted" if user is None else _register(exam, slot, user)[0]


def unregister_one(exam, slot, user):
    """success or w_already_not_registered."""
    if user is None:
        return "w_already_not_registered"
    try:
        with db.session.begin_nested():
            leave(exam, user, check_window=False, slot=slot)
        notices.seat_taken(exam, slot, user)
        return "success"
    except ServiceError:
        return "w_already_not_registered"


def batch_register(exam, values, param="values"):
    result = {}
    for group_number, slot_number, slot, user_ids in parse_values(exam, values, param):
        out = result.setdefault(str(group_number), {}).setdefault(str(slot_number), {})
        for user_id in dict.fromkeys(user_ids):  # listed twice: the outcome of doing it once
            out[user_id] = register_one(exam, slot, _user(user_id))
    return result


def batch_unregister(exam, values, param="values"):
    result = {}
    for _group, _slot, slot, user_ids in parse_values(exam, values, param):
        for user_id in user_ids:
            if user_id not in result:  # listed twice: the outcome of doing it once
                result[user_id] = unregister_one(exam, slot, _user(user_id))
    return result


def batch_registration(exam, unregister, register):
    """First the unregistrations, then the registrations; both checked before anything changes."""
    parse_values(exam, unregister, "unregister")
    parse_values(exam, register, "register")
    return {"unregister": batch_unregister(exam, unregister, "unregister"),
            "register": batch_register(exam, register, "register")}


@dataclass
class Outcome:
    """What happened to one pasted student number, with what staff need to act on a refusal:
    `reason` (slot_full, not_attending, not_admitted, already_registered, registered_elsewhere,
    unknown_student, or another rule's reason), the reports missing for admission (LangDicts) and the seat
    the student already holds."""
    number: str
    user: object
    status: str
    reason: str = None
    message: str = ""
    missing_reports: list = field(default_factory=list)
    held: object = None


def register_student_numbers(exam, slot, text, actor):
    """The portal's paste box (`actor` pasting): an Outcome per distinct student number, in the
    order pasted."""
    numbers = [n for n in text.replace(",", " ").replace(";", " ").split() if n]
    outcome = []
    for number in dict.fromkeys(numbers):
        user = db.session.scalar(db.select(User).filter_by(student_number=number[:32]))
        if user is None:
            outcome.append(Outcome(number, None, "unknown_student", "unknown_student"))
            continue
        status, err = _register(exam, slot, user, actor)
        item = Outcome(number, user, status, err.reason if err else None, str(err) if err else "")
        if item.reason == "not_admitted":
            item.missing_reports = list(reports.labels([int(i) for i in err.extra.get("examrep_ids", [])]).values())
        if item.reason == "registered_elsewhere":
            item.held = registration_of(exam, user.id)
        outcome.append(item)
    return outcome
