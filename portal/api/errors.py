"""The services/* error envelope (CONVENTIONS.md, "Errors")."""
from ..langdict import ld


class ApiError(Exception):
    """An error answered as `{"error": ..., "message": ..., **extra}` with an HTTP status."""

    def __init__(self, error, message, status=400, user_message=None, field_messages=None, **extra):
        super().__init__(message)
        self.error, self.message, self.status = error, message, status
        self.extra = extra
        self.user_message = user_message
        self.field_messages = field_messages

    def body(self):
        body = {"message": self.message}
        if self.error:
            body["error"] = self.error
        body.update(self.extra)
        messages = {}
        if self.user_message:
            messages["generic_message"] = self.user_message
        if self.field_messages:
            messages["fields"] = self.field_messages
        if messages:
            body["user_messages"] = messages
        return body


REQUIRED = ld("To pole jest wymagane.", "This field is required.")
INVALID = ld("Nieprawidłowa wartość.", "Invalid value.")


def param_missing(name):
    return ApiError("param_missing", f"Required parameter {name} is missing.",
                    param_name=name, field_messages={name: REQUIRED})


def param_invalid(name, detail=None):
    message = f"Invalid value of the {name} parameter" + (f": {detail}" if detail else ".")
    return ApiError("param_invalid", message, param_name=name, field_messages={name: INVALID})


def param_forbidden(name, reason, message=None):
    return ApiError("param_forbidden", message or f"You may not use the {name} parameter.",
                    status=403, param_name=name, reason=reason)


def object_not_found(param_name, method_name, message=None, reason=None, user_message=None):
    extra = {"param_name": param_name, "method_name": method_name}
    if reason:
        extra["reason"] = reason
    return ApiError("object_not_found", message or f"Object referenced by {param_name} was not found.",
                    user_message=user_message, **extra)


def object_invalid(reason, message, user_message=None, **extra):
    return ApiError("object_invalid", message, reason=reason, user_message=user_message, **extra)


def object_forbidden(reason, message, user_message=None, **extra):
    return ApiError("object_forbidden", message, status=403, reason=reason,
                    user_message=user_message, **extra)


def method_forbidden(reason, message, status=403, **extra):
    return ApiError("method_forbidden", message, status=status, reason=reason, **extra)


def field_error(error, field_name, method_name, message, **extra):
    status = 403 if error == "field_forbidden" else 400
    return ApiError(error, message, status=status, field_name=field_name, method_name=method_name, **extra)


def oauth_failure(message, reason="invalid_oauth_request"):
    """Any OAuth failure: 401 (which clients read as "token expired"), `method_forbidden` with
    what went wrong as the reason (CONVENTIONS.md: 401 for missing or invalid credentials)."""
    return ApiError("method_forbidden", message, status=401, reason=reason)


def oauth_error(error):
    """The failure Authlib found (an OAuth1Error), its code as the reason: invalid_signature,
    invalid_nonce, duplicated_oauth_protocol_parameter, ..."""
    return oauth_failure(f"OAuth error: {error.error}. {error.description or ''}".strip(), error.error)
