"""A per-instance SECRET_KEY, made on first run, for deployments that do not set one.

Every gunicorn worker of a host imports the app at the same moment, so the file is created
atomically: written whole under a temporary name, then hard-linked to its final name, which
fails for all but the first; the others read the winner's key. Several hosts share no
instance folder: they must all be given the same SECRET_KEY (README, "Security").
"""
import os
import secrets
from pathlib import Path

FILENAME = "secret_key"


def instance_secret(folder):
    """The key stored in `folder`/secret_key (mode 600), created when missing."""
    folder = Path(folder)
    path = folder / FILENAME
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{FILENAME}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass  # another worker was first: use its key
        finally:
            temporary.unlink()
    key = path.read_text().strip()
    if len(key) < 32:
        raise RuntimeError(f"{path} holds no usable secret key; delete it to make a new one, or set SECRET_KEY.")
    return key


def ensure_secret_key(app):
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret(app.config["PORTAL_INSTANCE_PATH"])
        if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            app.logger.warning("SECRET_KEY is not set: using %s/%s. Every host serving this database "
                               "must use the same key: set SECRET_KEY on all of them.",
                               app.config["PORTAL_INSTANCE_PATH"], FILENAME)
