"""services/apisrv/*: the installation itself: its clock, its identity, the calling consumer."""
from flask import current_app, request

from .. import clock
from ..langdict import ld
from .registry import F, METHODS, SCOPES, attr, datetime_attr, method, module

module("services/apisrv", "API server", "Information on this API installation.")

VERSION = "1.0.0"


@method("services/apisrv/now", result="raw", consumer="ignored", token="ignored",
        brief="The server's current time.",
        returns='The current date and time with microseconds, e.g. "2026-06-04 05:26:17.217315".')
def now(call):
    return clock.now().isoformat(sep=" ", timespec="microseconds")


def _langdict(value):
    return dict(value) if isinstance(value, dict) else ld(value, value)


INSTALLATION = {
    "base_url": F(lambda i, call: request.url_root),
    "version": F(lambda i, call: VERSION),
    "machine_version": F(lambda i, call: VERSION),
    "institution_name": F(lambda i, call: _langdict(current_app.config["PORTAL_INSTITUTION_NAME"])),
    "contact_emails": F(lambda i, call: list(current_app.config["PORTAL_CONTACT_EMAILS"])),
}


@method("services/apisrv/installation", fields=INSTALLATION, consumer="ignored", token="ignored",
        default_fields="base_url|version|institution_name|contact_emails",
        brief="Information on this installation.")
def installation(call):
    return object()  # the fields read the configuration, not an object


CONSUMER_INFO = {
    "name": attr("name"),
    "url": attr("url"),
    "email": attr("email"),
    "date_registered": datetime_attr("date_registered"),
    "administrative_methods": F(lambda c, call: sorted(m.path for m in METHODS.values() if m.administrative)
                                if c.administrative else []),
    "token_scopes": F(lambda c, call: sorted(SCOPES)),
}


@method("services/apisrv/consumer", fields=CONSUMER_INFO, consumer="required", token="ignored",
        default_fields="name|url|email|date_registered",
        brief="Information on the consumer key you are using.")
def consumer(call):
    return call.consumer
