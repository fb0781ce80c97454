"""services/meetings: methods that change state (each answers an empty dict on success)."""
from flask import request

from ..api.registry import P, method
from . import services
from .api_read import require_staff
from .manage import NOTE_TYPES, delete_note as _delete_note, put_note as _put_note

WRITE = dict(consumer="required", token="required", scopes=(), writes=True, result="raw")
LANG = P("message_lang_code", type="choice", choices=("pl", "en"), default="pl",
         description="Language code for message about changing the order in the list")


def _lang(call):
    """The message_lang_code the caller gave, or None: then each person's own language."""
    return call.params["message_lang_code"] if request.values.get("message_lang_code") else None


STATUS = P("status", type="choice", choices=("accepted", "waiting"), default="accepted",
           description="user registration status")


@method("services/meetings/sign_up", **WRITE, brief="Sign up for specific meeting date",
        params=[P("meeting_date_id", required=True, type="id"), P("substantiation_id", required=True, type="id"),
                P("substantiation_message", max_length=2000)],
        errors=("meeting_subscription_exception",))
def sign_up(call):
    p = call.params
    services.sign_up(call.user, p["meeting_date_id"], p["substantiation_id"], p["substantiation_message"])
    return {}


@method("services/meetings/sign_off", **WRITE, brief="Sign off from specific meeting date",
        params=[P("meeting_date_id", required=True, type="id"), LANG],
        errors=("meeting_subscription_exception",))
def sign_off(call):
    services.sign_off(call.user, call.params["meeting_date_id"], _lang(call))
    return {}


@method("services/meetings/accept_participant", **WRITE, brief="Accept participant to specific meeting date",
        params=[P("participant_id", required=True, type="id"), LANG],
        errors=("meeting_subscription_exception",))
def accept_participant(call):
    services.accept_participant(call.user, call.params["participant_id"], _lang(call))
    return {}


@method("services/meetings/reject_participant", **WRITE, brief="Reject participant from specific meeting date",
        params=[P("participant_id", required=True, type="id"), P("substantiation_id", type="id"),
                P("substantiation_message", max_length=2000), LANG],
        errors=("meeting_subscription_exception",))
def reject_participant(call):
    p = call.params
    services.reject_participant(call.user, p["participant_id"], p["substantiation_id"], p["substantiation_message"],
                                _lang(call))
    return {}


@method("services/meetings/sign_up_specific_user", **WRITE,
        brief="Sign up specific user for specific meeting date",
        params=[P("user_id", required=True, type="id"), P("meeting_date_id", required=True, type="id"), STATUS,
                P("substantiation_id", type="id"), P("substantiation_message", max_length=2000)],
        errors=("meeting_subscription_exception", "method_forbidden"))
def sign_up_specific_user(call):
    p = call.params
    services.sign_up_specific_user(call.user, p["user_id"], p["meeting_date_id"], p["status"],
                                   p["substantiation_id"], p["substantiation_message"])
    return {}


@method("services/meetings/sign_up_non_usos_person", **WRITE,
        brief="Sign up non USOS person for specific meeting date",
        params=[P("meeting_date_id", required=True, type="id"), P("first_name", required=True, max_length=100),
                P("last_name", required=True, max_length=100), STATUS, P("email", max_length=200),
                P("contact_data", max_length=500), P("substantiation_id", type="id"),
                P("substantiation_message", max_length=2000)],
        errors=("meeting_subscription_exception", "method_forbidden"))
def sign_up_non_usos_person(call):
    p = call.params
    services.sign_up_non_usos_person(call.user, p["meeting_date_id"], p["first_name"], p["last_name"], p["status"],
                                     p["email"], p["contact_data"], p["substantiation_id"],
                                     p["substantiation_message"])
    return {}


NOTE_KEY = [P("fac_id", required=True, type="id"), P("term_id", required=True, type="id"),
            P("user_id", required=True, type="id"),
            P("note_type", required=True, type="choice", choices=NOTE_TYPES)]


@method("services/meetings/put_note", **WRITE, brief="Create or edit meeting note",
        params=[*NOTE_KEY, P("content", required=True, max_length=10_000)], errors=("method_forbidden",))
def put_note(call):
    require_staff(call)
    p = call.params
    _put_note(call.user, p["fac_id"], p["term_id"], p["user_id"], p["note_type"], p["content"])
    return {}


@method("services/meetings/delete_note", **WRITE, brief="Delete private or public note.",
        params=[P("note_id", required=True, type="id"),
                P("note_type", required=True, type="choice", choices=NOTE_TYPES)],
        errors=("method_forbidden",))
def delete_note(call):
    require_staff(call)
    _delete_note(call.user, call.params["note_id"], call.params["note_type"])
    return {}
