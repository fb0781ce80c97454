"""Calling services as requests call them, for rule tests that need a precise interleaving."""
from contextlib import contextmanager

from portal.auth.models import User
from portal.database import _write_intent, set_write_intent
from portal.extensions import db
from portal.grades import services as grades


@contextmanager
def request_scope(app):
    """One request's work: an app context (and so a database session) of its own, starting as
    a request that has not written yet; committed at the end, rolled back on an error. It may
    run inside another request's scope: that one's state is restored afterwards."""
    outer = _write_intent.get()
    set_write_intent(False)
    try:
        with app.app_context():
            try:
                yield db.session
                db.session.commit()
            except BaseException:
                db.session.rollback()
                raise
    finally:
        set_write_intent(outer)


def write_grade(app, actor, report, student, symbol, number=1, **fields):
    """Enter a grade through the grading service (so its history rows exist); returns its id."""
    with request_scope(app):
        grade = grades.update_grade(db.session.get(User, actor.id), report.id, number, student.id,
                                    value=symbol, **fields)
        return grade.id
