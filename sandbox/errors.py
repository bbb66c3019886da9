"""The API's error envelope: every failure the sandbox returns is an ApiError rendered as
`{"errorCode", "message", "refId"}` with the HTTP status the real service pairs with that code."""

from __future__ import annotations

import uuid

# errorCode -> (HTTP status, message), as the real service sends them.
ERRORS: dict[int, tuple[int, str]] = {
    1001: (401, "An Access Token is required."),
    1002: (401, "Your Access Token is invalid."),
    1003: (401, "Your Access Token has expired."),
    1004: (403, "You are not authorized to perform this action."),
    1006: (404, "Not Found"),
    1018: (400, "The value '{value}' was not valid for the parameter '{param}'."),
    4000: (500, "An unexpected error has occurred. Please retry your request."),
    4001: (503, "Smartsheet.com is currently offline for system maintenance. Please check back again shortly."),
    4002: (500, "Server timeout exceeded. Request has failed."),
    4003: (429, "Rate limit exceeded."),
    4004: (500, "An unexpected error has occurred. Please retry your request."),
}


class ApiError(Exception):
    """An API failure; `status` and `body()` are what the client sees."""

    def __init__(self, code: int, status: int | None = None, **fmt: object) -> None:
        default_status, template = ERRORS[code]
        self.code = code
        self.status = status or default_status
        self.message = template.format(**fmt) if fmt else template
        super().__init__(f"{self.status}/{code}: {self.message}")

    def body(self) -> dict:
        return {"errorCode": self.code, "message": self.message, "refId": uuid.uuid4().hex[:12]}


def bad_param(param: str, value: object) -> ApiError:
    return ApiError(1018, param=param, value=value)


def not_found() -> ApiError:
    return ApiError(1006)
