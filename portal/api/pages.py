"""Portal pages: a person's API applications (register, see key and secret), the applications
they authorized (revoke), for administrators every application (mark administrative); and the
public page for developers that leads to them."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..auth.forms import EmptyForm, submitted
from ..errors import ServiceError
from ..extensions import db
from ..security.redirects import safe_next
from . import services
from .forms import ConsumerForm
from .models import Consumer

bp = Blueprint("apps", __name__, url_prefix="/api")
developers_bp = Blueprint("developers", __name__)


@developers_bp.route("/developers")
def developers():
    """For developers (public): the API's address, how to register an application and get a token."""
    return render_template("api/developers.html")


def _page(form=None, status=200):
    mine = db.session.scalars(db.select(Consumer).filter_by(owner_id=current_user.id).order_by(Consumer.name))
    everyone = db.session.scalars(db.select(Consumer).order_by(Consumer.name)) if current_user.is_admin else []
    return render_template("api/apps.html", form=form or ConsumerForm(), mine=list(mine),
                           everyone=list(everyone), authorized=services.authorized_applications(current_user),
                           button=EmptyForm()), status


@bp.route("/apps")
@login_required
def index():
    """Your API applications and the applications you authorized."""
    return _page()


@bp.route("/apps", methods=["POST"])
@login_required
def create():
    """Register an application (a consumer key) and show its key and secret."""
    form = ConsumerForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    try:
        consumer = services.create_consumer(form.name.data, owner=current_user, url=form.url.data,
                                            email=form.email.data)
    except ServiceError as err:
        db.session.rollback()
        form.name.errors.append(str(err))
        return _page(form, 422)
    db.session.commit()
    flash(_("The application is registered. Keep its secret safe."), "success")
    return redirect(url_for("apps.show", consumer_id=consumer.id), code=303)


def _visible(consumer_id):
    consumer = db.session.get(Consumer, consumer_id)
    if consumer is None or not services.can_see_consumer(consumer, current_user):
        abort(404)
    return consumer


@bp.route("/apps/<int:consumer_id>")
@login_required
def show(consumer_id):
    """One application: its consumer key and secret (owner and administrators only)."""
    return render_template("api/app.html", consumer=_visible(consumer_id), button=EmptyForm())


@bp.route("/apps/<int:consumer_id>/administrative", methods=["POST"])
@login_required
def administrative(consumer_id):
    """Mark an application administrative (or not): administrators only."""
    if not current_user.is_admin:
        abort(403)
    consumer = _visible(consumer_id)
    if not submitted():
        abort(400)
    services.set_administrative(consumer, request.form.get("value") == "true", current_user)
    db.session.commit()
    if request.htmx:
        return render_template("api/_consumer_row.html", consumer=consumer, button=EmptyForm())
    flash(_("Saved."), "success")
    return redirect(safe_next(request.referrer, fallback=url_for("apps.index")), code=303)


@bp.route("/authorized/<int:consumer_id>/revoke", methods=["POST"])
@login_required
def revoke(consumer_id):
    """Withdraw an application's access to your account (all its tokens)."""
    if not submitted():
        abort(400)
    count = services.revoke_application(current_user, consumer_id)
    db.session.commit()
    if request.htmx:
        return ""
    if count:
        flash(_("Access revoked."), "success")
    return redirect(url_for("apps.index"), code=303)
