"""Routes and event handlers only: each translates HTTP or SQS to a service call (chalicelib/services.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice.app import (
    AuthRequest,
    AuthResponse,
    Chalice,
    ChaliceAuthorizer,
    CognitoUserPoolAuthorizer,
    Request,
    Response,
)

from chalicelib import http, web
from chalicelib.config import get_settings
from chalicelib.lazy import lazy_import

if TYPE_CHECKING:
    from chalice.app import SQSEvent

    from chalicelib import openapi, services
else:
    # Loaded on each function's first event, not at import: pydantic's schemas, boto3's clients and
    # the domain are work a cold start should only do for the events that need them.
    openapi = lazy_import("chalicelib.openapi")
    services = lazy_import("chalicelib.services")

app = Chalice(app_name="spine-referrals")


def _request() -> Request:
    assert app.current_request is not None  # Chalice sets it for every route
    return app.current_request


# The team signs in with Cognito in AWS. Without a user pool (make run), a development token guards the
# same routes: `chalice local` runs custom authorizers but lets Cognito-protected routes through.
staff_auth: CognitoUserPoolAuthorizer | ChaliceAuthorizer
if get_settings().staff_user_pool_arn:
    staff_auth = CognitoUserPoolAuthorizer("StaffUserPool", provider_arns=[get_settings().staff_user_pool_arn])
else:

    @app.authorizer()
    def staff_token(auth_request: AuthRequest) -> AuthResponse:
        member = http.dev_staff_member(auth_request.token, get_settings().staff_dev_token)
        return AuthResponse(routes=["*"] if member else [], principal_id=member or "nobody")

    staff_auth = staff_token


@app.route("/referrals", methods=["POST"], content_types=http.ANY_CONTENT_TYPE)
@http.answers
def create_referral() -> Response:
    request = _request()
    http.turn_away_bots(request)
    body = http.json_body(request, get_settings().max_body_bytes)
    created = services.create_referral(services.intake(), body, http.idempotency_key(request))
    return http.json_response(201, created)


@app.route("/referrals/{referral_id}/submit", methods=["POST"], content_types=http.ANY_CONTENT_TYPE)
@http.answers
def submit_referral(referral_id: str) -> Response:
    return http.json_response(200, services.submit_referral(services.intake(), referral_id))


@app.route("/staff/referrals", methods=["GET"], authorizer=staff_auth)
@http.answers
def list_referrals() -> Response:
    query = dict(_request().query_params or {})
    return http.json_response(200, services.list_referrals(services.intake(), query))


@app.route("/staff/referrals/{referral_id}", methods=["GET"], authorizer=staff_auth)
@http.answers
def open_referral(referral_id: str) -> Response:
    member = http.staff_member(_request())
    return http.json_response(200, services.open_referral(services.intake(), referral_id, member))


@app.route(
    "/staff/referrals/{referral_id}", methods=["PATCH"], authorizer=staff_auth, content_types=http.ANY_CONTENT_TYPE
)
@http.answers
def move_referral(referral_id: str) -> Response:
    request = _request()
    body = http.json_body(request, get_settings().max_body_bytes)
    changed = services.move_referral(services.intake(), referral_id, body, http.staff_member(request))
    return http.json_response(200, changed)


# The patient's form (chalicelib/web/): its page, and its style sheet and script by name (an allow-list).
@app.route("/", methods=["GET"])
def form_page() -> Response:
    return web.page(get_settings())


@app.route("/assets/{name}", methods=["GET"])
def form_asset(name: str) -> Response:
    return web.asset(name, get_settings())


@app.route("/openapi.json", methods=["GET"])
def openapi_document() -> Response:
    return http.json_response(200, openapi.document())


@app.on_sqs_message(queue=get_settings().uploads_queue, batch_size=10)
def record_uploads(event: SQSEvent) -> None:
    services.record_uploads(services.intake(), (record.body for record in event))


# One message at a time, so that a failing email retries only its own referral's message.
@app.on_sqs_message(queue=get_settings().notifications_queue, batch_size=1)
def send_notifications(event: SQSEvent) -> None:
    for record in event:
        receive_count = int(record.to_dict()["attributes"]["ApproximateReceiveCount"])
        services.send_notifications(services.intake(), record.body, record.receipt_handle, receive_count)
