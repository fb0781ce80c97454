"""State changes of the OAuth provider: consumers, authorizations and tokens."""
import secrets

from ..errors import ServiceError
from ..extensions import db
from ..langdict import ld
from .models import Consumer, Token


def create_consumer(name, owner=None, administrative=False, url=None, email=None):
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise ServiceError("param_invalid", "An application needs a name of at most 200 characters.",
                           user_message=ld("Podaj nazwę aplikacji (najwyżej 200 znaków).",
                                           "Give the application a name (at most 200 characters)."),
                           param_name="name")
    consumer = Consumer(name=name, owner=owner, administrative=administrative, url=url or None,
                        email=email or (owner.email if owner is not None else None))
    db.session.add(consumer)
    db.session.flush()
    return consumer


def set_administrative(consumer, value, actor):
    """Only administrators decide which consumers may act for anyone (as_user_id)."""
    if not actor.is_admin:
        raise ServiceError("object_forbidden", "Only administrators mark consumers administrative.",
                           reason="admin_required", status=403,
                           user_message=ld("Tylko administrator może to zmienić.",
                                           "Only an administrator can change this."))
    consumer.administrative = bool(value)
    db.session.flush()
    return consumer


def can_see_consumer(consumer, user):
    return user.is_admin or consumer.owner_id == user.id


def issue_access_token(user, consumer, scopes=()):
    """An authorized access token, as if `user` had approved `consumer` for `scopes`."""
    token = Token(kind="access", consumer=consumer, user=user, scopes="|".join(scopes))
    db.session.add(token)
    db.session.flush()
    return token


def authorize_request_token(token, user):
    """The person approved the application: bind the request token to them; returns the verifier."""
    token.user_id = user.id
    token.verifier = "".join(secrets.choice("0123456789") for _ in range(8))
    db.session.flush()
    return token.verifier


def deny_request_token(token):
    db.session.delete(token)
    db.session.flush()


def covered_by_earlier_approval(token, user):
    """True when `user` already holds a live access token of this consumer with these scopes."""
    wanted = set(token.scope_list)
    for earlier in db.session.scalars(db.select(Token).filter_by(
            kind="access", consumer_id=token.consumer_id, user_id=user.id, revoked=False)):
        if wanted <= set(earlier.scope_list):
            return True
    return False


def authorized_applications(user):
    """[(consumer, scopes)] of the applications holding live access tokens for `user`."""
    rows = db.session.scalars(db.select(Token).filter_by(kind="access", user_id=user.id, revoked=False)
                              .order_by(Token.created))
    apps = {}
    for token in rows:
        scopes = apps.setdefault(token.consumer, set())
        scopes.update(token.scope_list)
    return sorted(((c, sorted(s)) for c, s in apps.items()), key=lambda item: item[0].name.lower())


def revoke_application(user, consumer_id):
    """Revoke every access token `user` gave the consumer; returns how many."""
    result = db.session.execute(db.update(Token).where(
        Token.kind == "access", Token.user_id == user.id, Token.consumer_id == consumer_id,
        Token.revoked.is_(False)).values(revoked=True))
    return result.rowcount


def revoke_token(token):
    token.revoked = True
    db.session.flush()
