"""What can go wrong with a request, named per field: {"field": "patient.email", "message": "..."}."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class ReferralError(Exception):
    """A request the service turns away; each subclass maps to one HTTP status."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(", ".join(error.field for error in errors))
        self.errors = errors


class MalformedRequest(ReferralError):
    """The body is not JSON at all."""


class InvalidRequest(ReferralError):
    """JSON, but not a valid referral."""


class IdempotencyKeyReused(ReferralError):
    """The Idempotency-Key already belongs to a different request."""


class ReferralNotFound(ReferralError):
    pass


class DocumentsNotReady(ReferralError):
    """Submit found documents missing or not matching what was declared."""


class StatusConflict(ReferralError):
    """A move the workflow does not allow, or one based on a version that is no longer current."""


_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a known field",
}


def field_errors(exc: ValidationError) -> list[FieldError]:
    return [
        FieldError(
            field=".".join(str(part) for part in error["loc"]) or "body",
            message=_MESSAGES.get(error["type"], error["msg"].removeprefix("Value error, ")),
        )
        for error in exc.errors(include_url=False, include_input=False)
    ]


def from_validation_error(exc: ValidationError) -> ReferralError:
    errors = field_errors(exc)
    if any(error["type"] == "json_invalid" for error in exc.errors(include_url=False, include_input=False)):
        return MalformedRequest(errors)
    return InvalidRequest(errors)
