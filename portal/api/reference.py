"""Loading the objects the modules refer to (users, terms, editions, units, groups) by the IDs
a method was given, or answering object_not_found. Their methods are declared in portal/usos."""
from ..auth.models import User
from ..extensions import db
from ..university.models import ClassGroup, CourseEdition, CourseUnit, Term
from .errors import object_not_found
from ..ids import int_id


def load(model, key, param, method_name, what, integer=True):
    """The row `key` names (an integer id from text, or a string key), or object_not_found."""
    key = int_id(key) if integer else key
    row = db.session.get(model, key) if key is not None else None
    if row is None:
        raise object_not_found(param, method_name, f"{what} not found.")
    return row


def load_many(model, keys, integer=True, options=()):
    """{key as given: row or None} in one query, for the methods answering a dictionary."""
    wanted = {k: (int_id(k) if integer else k) for k in keys}
    ids = [v for v in wanted.values() if v is not None]
    found = {}
    if ids:
        pk = model.__mapper__.primary_key[0]
        found = {getattr(r, pk.key): r for r in db.session.scalars(db.select(model).where(pk.in_(ids))
                                                                   .options(*options)).unique()}
    return {k: found.get(v) for k, v in wanted.items()}


def get_user(user_id, param="user_id", method_name="services/users/user"):
    return load(User, user_id, param, method_name, "User")


def get_term(term_id, param="term_id", method_name="services/terms/term"):
    return load(Term, term_id, param, method_name, "Term", integer=False)


def get_edition(course_id, term_id, method_name="services/courses/course_edition"):
    edition = db.session.scalar(db.select(CourseEdition).filter_by(course_id=course_id, term_id=term_id))
    if edition is None:
        raise object_not_found("course_id", method_name, "Course edition not found.")
    return edition


def get_unit(unit_id, param="course_unit_id", method_name="services/courses/course_unit"):
    return load(CourseUnit, unit_id, param, method_name, "Course unit")


def get_group(unit_id, number, method_name="services/groups/group"):
    group = None
    if int_id(unit_id) is not None and int_id(number) is not None:
        group = db.session.scalar(db.select(ClassGroup).filter_by(unit_id=int_id(unit_id), number=int_id(number)))
    if group is None:
        raise object_not_found("course_unit_id", method_name, "Class group not found.")
    return group
