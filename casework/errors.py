"""The one family of errors the routes turn into `{"error": {...}}` responses."""


class CaseworkError(Exception):
    """A request that cannot be carried out; nothing it did is kept."""

    status = 400
    code = "bad_request"

    def __init__(self, message, fields=None):
        super().__init__(message)
        self.message = message
        self.fields = fields

    def to_dict(self):
        body = {"code": self.code, "message": self.message}
        if self.fields:
            body["fields"] = self.fields
        return {"error": body}


class BadRequest(CaseworkError):
    status, code = 400, "bad_request"


class Unauthorized(CaseworkError):
    status, code = 401, "unauthorized"


class Forbidden(CaseworkError):
    status, code = 403, "forbidden"


class NotFound(CaseworkError):
    status, code = 404, "not_found"


class Conflict(CaseworkError):
    status, code = 409, "conflict"


class Invalid(CaseworkError):
    status, code = 422, "invalid"


class ProcessError(CaseworkError):
    """The deployed process failed on this request (a script or gateway error)."""

    status, code = 422, "process_error"
