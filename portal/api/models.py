"""OAuth 1.0a consumers, tokens and used nonces: in the database, shared by every worker."""
import hmac
import secrets

from .. import clock
from ..extensions import db


def new_key(n=20):
    return secrets.token_urlsafe(n)[:n]


class Consumer(db.Model):
    __tablename__ = "oauth_consumers"

    id = db.Column(db.Integer, primary_key=True)
    key = db.Column(db.String(64), unique=True, nullable=False, default=new_key)
    secret = db.Column(db.String(64), nullable=False, default=lambda: new_key(40))
    name = db.Column(db.String(200), nullable=False)
    url = db.Column(db.String(500))
    email = db.Column(db.String(200))
    owner_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    administrative = db.Column(db.Boolean, nullable=False, default=False)
    date_registered = db.Column(db.DateTime, nullable=False, default=clock.now)
    owner = db.relationship("User")

    # Authlib's ClientMixin
    def get_client_secret(self):
        return self.secret

    def get_rsa_public_key(self):
        return None

    def get_default_redirect_uri(self):
        return None


class Token(db.Model):
    """A request token (temporary credential) or an access token."""
    __tablename__ = "oauth_tokens"

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(8), nullable=False)  # "request" or "access"
    token = db.Column(db.String(64), unique=True, nullable=False, default=new_key)
    secret = db.Column(db.String(64), nullable=False, default=lambda: new_key(40))
    consumer_id = db.Column(db.Integer, db.ForeignKey("oauth_consumers.id", ondelete="CASCADE"),
                            nullable=False)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"))
    scopes = db.Column(db.String(500), nullable=False, default="")
    callback = db.Column(db.String(1000))
    verifier = db.Column(db.String(32))
    revoked = db.Column(db.Boolean, nullable=False, default=False)
    created = db.Column(db.DateTime, nullable=False, default=clock.now)
    consumer = db.relationship("Consumer")
    user = db.relationship("User")

    @property
    def scope_list(self):
        return [s for s in self.scopes.split("|") if s]

    # Authlib's TokenCredentialMixin
    def get_oauth_token(self):
        return self.token

    def get_oauth_token_secret(self):
        return self.secret

    # Authlib's TemporaryCredentialMixin (request tokens)
    def get_client_id(self):
        return self.consumer.key

    def get_redirect_uri(self):
        return self.callback

    def get_user_id(self):
        return self.user_id

    def check_verifier(self, verifier):
        return bool(self.verifier) and hmac.compare_digest(self.verifier.encode(), str(verifier).encode())


class Nonce(db.Model):
    """A nonce seen within the timestamp window; a second use is a replay."""
    __tablename__ = "oauth_nonces"
    __table_args__ = (db.UniqueConstraint("consumer_key", "token", "nonce", "timestamp"),)

    id = db.Column(db.Integer, primary_key=True)
    consumer_key = db.Column(db.String(64), nullable=False)
    token = db.Column(db.String(64), nullable=False, default="")
    nonce = db.Column(db.String(100), nullable=False)
    timestamp = db.Column(db.BigInteger, nullable=False, index=True)
