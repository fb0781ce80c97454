"""The meetings blueprint and what its views share."""
from flask import Blueprint, abort, flash
from flask_login import current_user

from ..errors import ServiceError
from ..extensions import db
from ..database import set_write_intent

bp = Blueprint("meetings", __name__, url_prefix="/meetings")


def attempt(action):
    """Run a service and commit; on a refusal roll back and return the error instead."""
    try:
        result = action()
        db.session.commit()
        return result, None
    except ServiceError as err:
        db.session.rollback()
        return None, err
    finally:
        # Rendering the answer only reads: no write lock for it (see portal.database).
        set_write_intent(False)


def load(loader, *args):
    """An object the person may see, or 404."""
    try:
        return loader(current_user._get_current_object(), *args)  # not the proxy: its every attribute is a lookup
    except ServiceError:
        abort(404)


def require_staff():
    if not current_user.is_staff:
        abort(403)


def flash_error(err):
    flash(str(err), "error")
