"""HTTP at the edge: read the body, and answer every refusal as {"errors": [{"field", "message"}]}."""

from __future__ import annotations

import functools
import hmac
import json
import re
from collections.abc import Callable
from dataclasses import asdict
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError
from chalice.app import Request, Response

from chalicelib import logs
from chalicelib.domain.errors import (
    DocumentsNotReady,
    FieldError,
    IdempotencyKeyReused,
    InvalidRequest,
    MalformedRequest,
    ReferralError,
    ReferralNotFound,
    StatusConflict,
)

# Chalice would answer a wrong media type itself, in its own format; we check it below instead.
ANY_CONTENT_TYPE = ["*/*"]


class PayloadTooLarge(ReferralError):
    pass


class UnsupportedMediaType(ReferralError):
    pass


_STATUS: dict[type[ReferralError], int] = {
    MalformedRequest: 400,
    ReferralNotFound: 404,
    DocumentsNotReady: 409,
    StatusConflict: 409,
    PayloadTooLarge: 413,
    UnsupportedMediaType: 415,
    InvalidRequest: 422,
    IdempotencyKeyReused: 422,
}

_HEADERS = {"Content-Type": "application/json", "Cache-Control": "no-store"}


class JsonModel(Protocol):
    def model_dump_json(self) -> str: ...


def json_response(status: int, body: JsonModel | dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    text = json.dumps(body) if isinstance(body, dict) else body.model_dump_json()
    return Response(body=text, status_code=status, headers={**_HEADERS, **(headers or {})})


def _errors(status: int, errors: list[FieldError], headers: dict[str, str] | None = None) -> Response:
    return json_response(status, {"errors": [asdict(error) for error in errors]}, headers)


def answers(view: Callable[..., Response]) -> Callable[..., Response]:
    """Turn refusals into their 4xx answers and a failing AWS dependency into a retryable 503."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        try:
            return view(*args, **kwargs)
        except ReferralError as exc:
            return _errors(_STATUS[type(exc)], exc.errors)
        except (BotoCoreError, ClientError):
            logs.error("dependency.failed", view=view.__name__)
            message = "the service is briefly unavailable; please try again in a minute, nothing was lost"
            return _errors(503, [FieldError(field="service", message=message)], {"Retry-After": "30"})

    return wrapper


def json_body(request: Request, max_bytes: int) -> str:
    media_type = (request.headers.get("content-type") or "application/json").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise UnsupportedMediaType([FieldError(field="Content-Type", message="send the request as application/json")])
    raw = request.raw_body or b""
    raw = raw.encode() if isinstance(raw, str) else raw
    if len(raw) > max_bytes:
        message = f"the request is larger than {max_bytes // 1024} KiB; reports are uploaded separately"
        raise PayloadTooLarge([FieldError(field="body", message=message)])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedRequest([FieldError(field="body", message="is not UTF-8 text")]) from None


# The web form reports its honeypot field and how long it was open; API clients send neither.
HONEYPOT_HEADER = "x-form-honeypot"
ELAPSED_HEADER = "x-form-elapsed-ms"
MIN_FILL_MS = 3000


def turn_away_bots(request: Request) -> None:
    """Refuse what only a bot does: fill the hidden field, or send the whole form within seconds."""
    elapsed = request.headers.get(ELAPSED_HEADER)
    too_fast = elapsed is not None and (not elapsed.isdigit() or int(elapsed) < MIN_FILL_MS)
    if request.headers.get(HONEYPOT_HEADER) or too_fast:
        message = "this looks automated; please review the form and send it again"
        raise InvalidRequest([FieldError(field="form", message=message)])


_IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


def idempotency_key(request: Request) -> str | None:
    key = request.headers.get("idempotency-key")
    if key is not None and not _IDEMPOTENCY_KEY.match(key):
        message = "must be 1 to 255 visible ASCII characters, such as a UUID"
        raise InvalidRequest([FieldError(field="Idempotency-Key", message=message)])
    return key


def staff_member(request: Request) -> str:
    """Who is calling a /staff route, as the authorizer established it (Cognito claims, or the dev token)."""
    authorizer = (request.context or {}).get("authorizer") or {}
    claims = authorizer.get("claims") or {}
    member = claims.get("email") or claims.get("cognito:username") or authorizer.get("principalId")
    if not member:  # cannot happen behind an authorizer; refuse rather than audit an unknown reader
        raise PermissionError("no authenticated staff member")
    return str(member)


DEV_STAFF_MEMBER = "dev-staff"


def dev_staff_member(token: str, expected: str) -> str | None:
    """The development credential's staff member, if `token` is it (compared in constant time)."""
    presented = token.removeprefix("Bearer ").strip()
    if expected and hmac.compare_digest(presented.encode(), expected.encode()):
        return DEV_STAFF_MEMBER
    return None
