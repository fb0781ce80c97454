"""Helpers shared by the grades API declarations."""
import functools

from .. import clock
from ..api.errors import field_error, param_invalid
from ..api.registry import method
from ..errors import ServiceError


def deferred_ref(field, path):
    """A field whose referenced method may be declared by another module (resolved by wire)."""
    return field


def declare(path, **options):
    """`method(...)`, with object_not_found errors naming the method, as the envelope wants."""
    def decorate(func):
        @functools.wraps(func)
        def run(call):
            try:
                return func(call)
            except ServiceError as error:
                if error.error == "object_not_found":
                    error.extra.setdefault("method_name", path)
                raise
        method(path, **options)(run)
        return func
    return decorate


def need_scope(call, scope, field_name, method_name):
    if call.user is None or not call.has_scope(scope):
        raise field_error("field_forbidden", field_name, method_name,
                          f"Field {field_name} needs an access token with the {scope} scope.",
                          reason="scope_missing")


def parse_date_modified(raw, name="date_modified"):
    """UNSET when absent, None for "" (expect no grade), else the datetime."""
    from datetime import datetime
    from .services import UNSET
    if raw is None:
        return UNSET
    if raw.strip() == "":
        return None
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f"):
        try:
            return datetime.strptime(raw.strip(), fmt).replace(microsecond=0)
        except ValueError:
            continue
    raise param_invalid(name, "a date and time YYYY-MM-DD HH:MM:SS is required")


def parse_date(raw, name="date_acquisition"):
    from datetime import datetime
    from .services import UNSET
    if raw is None:
        return UNSET
    if raw.strip() == "":
        return None
    for fmt in ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return datetime.strptime(raw.strip(), fmt).date()
        except ValueError:
            continue
    raise param_invalid(name, "a date YYYY-MM-DD is required")


def opt(raw, unset):
    return unset if raw is None else raw


def decimal_str(value):
    return None if value is None else f"{value:.1f}"


fmt_dt = clock.fmt_datetime
fmt_d = clock.fmt_date


def primary_only(field):
    """Mark a reference whose nested selector may name primary fields only."""
    field.only_primary = True
    return field
