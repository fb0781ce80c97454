"""Descriptions of the services/exams fields and results, as services/apiref shows them."""
from ..api.registry import METHODS, RESOURCES

FIELDS = {
    "services/exams/exam": {
        "id": "ID of an Exam.",
        "examination_session_id": "ID of the Examination session object.",
        "term": "Academic Term during which the Course Edition is conducted.",
        "course": "The course (only primary fields are allowed).",
        "registration_start": "A DateTime string (or null): when the registration for this exam starts.",
        "registration_end": "A DateTime string (or null): when the registration for this exam ends.",
        "examiners_visible": "Boolean: is the list of examiners visible (if false, null is returned instead).",
        "name": "A LangDict with the name of the exam.",
        "description": "A LangDict with an additional description of the exam.",
        "groups": "List of exam groups.",
        "code": "Unique code of the exam.",
        "has_priorities": "Boolean: true if students' preferences have priorities.",
        "preferences_limit": "Maximal number of preferences a student can make in this exam.",
        "micro_round_length": "Micro-round length in seconds (null: first come, first served).",
        "micro_break_length": "Micro-break length in seconds.",
        "register_until": "A DateTime string (or null): until when registering is allowed.",
        "unregister_until": "A DateTime string (or null): until when unregistering is allowed.",
        "exchange_until": "A DateTime string (or null): until when switching slots is allowed.",
        "examrep_session": "The exam report session grading this exam (only primary fields are allowed).",
        "students_count": "Number of students of the course edition.",
        "admission_conditions": "Dictionary mapping exam report IDs to admission conditions.",
        "admitted_students": "IDs of users admitted to registration. Consumer key with administrative access "
                             "is required (and SSL where required); acting for a person, only for the exam's "
                             "examiners and coordinators.",
        "unadmitted_students": "Dictionary mapping IDs of users to the exam report IDs whose conditions they fail. "
                               "Consumer key with administrative access is required (and SSL where required); "
                               "acting for a person, only for the exam's examiners and coordinators.",
    },
    "services/exams/group": {
        "exam_id": "ID of an Exam.",
        "number": "Number of this group within the Exam.",
        "exam_start": "A DateTime string: when the examination starts.",
        "exam_end": "A DateTime string: when the examination ends.",
        "capacity": "The maximum number of attendees, evenly distributed between the group's slots.",
        "number_of_slots": "The number of slots the group is divided into.",
        "slots": "List of slots.",
        "examiners": "List of the group's examiners (null when the exam hides them).",
        "room": "Room where the exam takes place (only primary fields are allowed).",
        "is_examiner": "Boolean: is the access token's user an examiner of this group.",
        "register_until": "A DateTime string (or null): until when registering is allowed.",
        "unregister_until": "A DateTime string (or null): until when unregistering is allowed.",
        "registration_start": "A DateTime string (or null): when the registration starts.",
    },
    "services/exams/exam_group": {
        "exam_id": "ID of an Exam.",
        "number": "Number of this group within the Exam.",
        "exam_start": "A DateTime string: when the examination starts.",
        "exam_end": "A DateTime string: when the examination ends.",
        "attendees": "List of the group's attendees. Consumer key with administrative access is required "
                     "(field_forbidden otherwise); acting for a person, only the group's examiners and the "
                     "coordinators (object_forbidden otherwise). Null when a default selector includes it "
                     "for someone who may not see it.",
    },
    "services/exams/slot": {
        "number": "Number of the slot.",
        "capacity": "Maximal number of attendees of this slot.",
        "attendees_count": "Number of attendees.",
        "attendees": "List of user IDs. Consumer key with administrative access is required "
                     "(field_forbidden otherwise); acting for a person, only the group's examiners and the "
                     "coordinators (object_forbidden otherwise). Null when a default selector includes it "
                     "for someone who may not see it.",
        "start": "Time of start.",
        "end": "Time of end.",
    },
    "services/exams/examination_session": {
        "id": "Examination session ID.",
        "name": "A LangDict with the name of the examination session.",
        "description": "A LangDict with an additional description.",
        "status": "in_preparation, active_reg_only, active, closed or archived.",
        "exams": "Exams of the session (only primary fields are allowed).",
        "faculty": "Dictionary with the faculty's id and name.",
    },
    "services/exams/condition": {
        "examrep": "The exam report (only primary fields are allowed).",
        "grade_value": "Null (any passing grade is required) or the lowest grade required: symbol, passes, "
                       "decimal_value, name, order_key.",
    },
}

RETURNS = {
    "services/exams/batch_register_exam": "Dictionary like `values`, with each user ID mapped to success, "
                                          "w_already_registered, e_already_registered or e_not_permitted.",
    "services/exams/batch_unregister_exam": "Dictionary mapping user IDs to success or w_already_not_registered.",
    "services/exams/batch_registration": "Dictionary with `unregister` (as batch_unregister_exam returns) and "
                                         "`register` (as batch_register_exam returns).",
    "services/exams/administrator": "Dictionary mapping faculty IDs to lists of examination sessions.",
    "services/exams/examination_sessions": "Dictionary mapping the IDs to examination sessions (or null).",
    "services/exams/exams": "Dictionary mapping the IDs to exams (or null).",
}

PARAMS = {
    "id": "ID of the object.",
    "ids": "Pipe-separated list of IDs.",
    "exam_id": "ID of an exam.",
    "examrep_id": "ID of an exam report.",
    "group_number": "Number of an exam group.",
    "slot_number": "Number of a slot.",
    "faculty_id": "ID of a faculty.",
    "status": "Pipe-separated list of statuses (in_preparation, active_reg_only, active, closed, archived).",
    "start_date": "Registrations that end after this date are returned (YYYY-MM-DD).",
    "end_date": "Registrations that start before this date are returned; at most one month after start_date.",
    "user_related": "Only registrations related to the user (true/false).",
    "values": "JSON dictionary of group numbers to dictionaries mapping slot numbers to lists of user IDs.",
    "unregister": "JSON dictionary of group numbers to dictionaries mapping slot numbers to lists of user IDs "
                  "to unregister (done first).",
    "register": "JSON dictionary of group numbers to dictionaries mapping slot numbers to lists of user IDs "
                "to register.",
}


def apply():
    for path, method in METHODS.items():
        if path.startswith("services/exams/"):
            for p in method.params:
                if not p.description and p.name in PARAMS:
                    p.description = PARAMS[p.name]
    for path, fields in FIELDS.items():
        for name, text in fields.items():
            RESOURCES[path].fields[name].description = text
    for path, text in RETURNS.items():
        METHODS[path].returns = text
