"""What students are told about their grades (through portal.notifications).

One message per student per save: the grid saves one row, a CSV import or an API call saves
each student once, and changes of the same grade that follow before the message went out (a
grader correcting a typo) become that one message, which waits NOTIFY_GRADE_DELAY seconds
for them. Private comments and acquisition dates are never a reason to write.
"""
from flask import current_app

from ..notifications import link, notify


def _symbol(report, value_id):
    value = next((v for v in report.grade_type.values if v.id == value_id), None) if value_id else None
    return value.symbol if value is not None else None


def _unchanged(context):
    return context["old"] == context["new"] and context["old_comment"] == context["comment"]


def grade_changed(actor, session, student, grade, old, new):
    """`old` and `new`: the grade's value_id and comment before and after the save."""
    if old["value_id"] == new["value_id"] and old["comment"] == new["comment"]:
        return
    report = session.report
    context = {"course": report.edition.course.name, "report": report.description, "session": session.description,
               "old": _symbol(report, old["value_id"]), "new": _symbol(report, new["value_id"]),
               "old_comment": old["comment"], "comment": new["comment"], "grader": actor.display_name}
    notify(student, "grade_changed", context, link("grades.my_history", grade_id=grade.id),
           coalesce_key=f"grade:{session.id}:{student.id}", keep=("old", "old_comment"), drop_if=_unchanged,
           delay=current_app.config["NOTIFY_GRADE_DELAY"])
