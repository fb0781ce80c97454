"""State changes of the OAuth provider: consumers and tokens."""
from ..extensions import db
from .models import Consumer, Token


def create_consumer(name, owner=None, administrative=False, url=None, email=None):
    consumer = Consumer(name=name, owner=owner, administrative=administrative, url=url, email=email)
    db.session.add(consumer)
    db.session.flush()
    return consumer


def issue_access_token(user, consumer, scopes=()):
    """An authorized access token, as if `user` had approved `consumer` for `scopes`."""
    token = Token(kind="access", consumer=consumer, user=user, scopes="|".join(scopes))
    db.session.add(token)
    db.session.flush()
    return token
