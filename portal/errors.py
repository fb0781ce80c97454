"""Errors of the business rules, raised by services and answered by both faces.

The JSON API turns a ServiceError into its envelope (`error`, `reason`, extra keys,
`user_messages`); a portal view shows `str(err)` (the person's language) as a flash or
form message with `err.status`.
"""
from .langdict import pick


class ServiceError(Exception):
    def __init__(self, error, message, reason=None, status=400, user_message=None, **extra):
        """`error`: the API code (e.g. "object_invalid"); `message`: for developers (English);
        `user_message`: a LangDict for people; `extra`: more keys of the envelope."""
        super().__init__(message)
        self.error, self.message, self.reason, self.status = error, message, reason, status
        self.user_message = user_message
        self.extra = extra

    def __str__(self):
        return pick(self.user_message) if self.user_message else self.message

    def to_api(self):
        from .api.errors import ApiError
        extra = dict(self.extra)
        if self.reason is not None:
            extra["reason"] = self.reason
        return ApiError(self.error, self.message, status=self.status, user_message=self.user_message, **extra)
