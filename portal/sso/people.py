"""Who an SSO sign-in is: the one rule matching a provider's identity to a person.

The provider vouches for a login (and perhaps a student number); the person must already be
here, brought by an import or a sync, unless the operator lets SSO create people
(PORTAL_SSO_CREATE_PEOPLE). Matching is by login first, then by student number, so a
university whose CAS names students by their index number needs no login column at all.
"""
from dataclasses import dataclass

from flask import current_app
from sqlalchemy.exc import IntegrityError

from ..auth.models import User
from ..database import write_transaction
from ..errors import ServiceError
from ..extensions import db


@dataclass
class Identity:
    provider: str                 # "cas" or "oidc"
    login: str | None
    student_number: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    # What single logout names the sign-in by (portal/sso/logout.py): the CAS service ticket or
    # the OpenID Connect sid, the OpenID subject (sub), and its issuer.
    sso_session: str | None = None
    sso_subject: str | None = None
    sso_issuer: str | None = None


def _refused(identity):
    shown = identity.login or identity.student_number or "?"
    return ServiceError(
        "unknown_person", f"Nobody with login or student number {shown!r} is known here.", status=403,
        user_message={
            "pl": f"Uczelnia potwierdziła, że to Ty ({shown}), ale Indeks nie ma Twoich danych. "
                  "Skontaktuj się z dziekanatem.",
            "en": f"The university confirmed who you are ({shown}), but Indeks has no record of you. "
                  "Please contact the dean's office.",
        })


def no_identity():
    return ServiceError("no_identity", "The provider named no login or student number.", status=403,
                        user_message={"pl": "Logowanie uczelniane nie podało loginu ani numeru albumu.",
                                      "en": "The university's sign-in gave neither a login nor a student number."})


def find_person(identity):
    user = None
    if identity.login:
        user = db.session.scalar(db.select(User).filter_by(login=identity.login))
    if user is None and identity.student_number:
        user = db.session.scalar(db.select(User).filter_by(student_number=identity.student_number))
    return user


def person_for(identity):
    """The person `identity` signs in as; made when the operator allows it; else ServiceError."""
    if not (identity.login or identity.student_number):
        raise no_identity()
    user = find_person(identity)
    if user is not None:
        return user
    if not current_app.config["PORTAL_SSO_CREATE_PEOPLE"] or not identity.login:
        raise _refused(identity)
    try:
        with write_transaction():
            user = find_person(identity)  # someone may have signed in as them meanwhile
            if user is None:
                user = User(login=identity.login[:64], first_name=(identity.first_name or identity.login)[:100],
                            last_name=(identity.last_name or "-")[:100], email=(identity.email or None),
                            student_number=identity.student_number)
                db.session.add(user)
    except IntegrityError:  # the same first sign-in in two tabs at once, on PostgreSQL
        user = find_person(identity)
        if user is None:
            raise
    return user
