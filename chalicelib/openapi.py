"""The OpenAPI 3.1 document, generated from the pydantic models (pydantic emits JSON Schema 2020-12)."""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from chalicelib.domain.answers import (
    ErrorAnswer,
    ReferralCreated,
    ReferralDetail,
    ReferralPage,
    ReferralProgress,
    StatusChanged,
)
from chalicelib.domain.referral import Referral
from chalicelib.domain.staff import QueueFilter, StatusMove

ERRORS = "ErrorAnswer"


def _ref(model: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{model}"}


def _json(model: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(model)}}}


def _operation(summary: str, answers: dict[str, tuple[str, str]], **more: Any) -> dict[str, Any]:
    return {"summary": summary, "responses": {code: _json(*answer) for code, answer in answers.items()}, **more}


def _body(model: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": _ref(model)}}}


@cache
def document() -> dict[str, Any]:
    requests: list[type[BaseModel]] = [Referral, StatusMove, QueueFilter]
    answers: list[type[BaseModel]] = [
        ReferralCreated, ReferralProgress, ReferralPage, ReferralDetail, StatusChanged, ErrorAnswer,
    ]  # fmt: skip
    modes: list[tuple[type[BaseModel], JsonSchemaMode]] = [(model, "validation") for model in requests]
    _, schemas = models_json_schema(
        modes + [(model, "serialization") for model in answers], ref_template="#/components/schemas/{model}"
    )
    referral_id = {"name": "referral_id", "in": "path", "required": True, "schema": {"type": "string"}}
    idempotency_key = {
        "name": "Idempotency-Key",
        "in": "header",
        "schema": {"type": "string"},
        "description": "Repeat it on a retry to get the first answer instead of a second referral",
    }
    queue_filters = [
        {"name": name, "in": "query", "schema": schema, "required": False}
        for name, schema in schemas["$defs"].pop("QueueFilter")["properties"].items()
    ]
    staff: dict[str, Any] = {"security": [{"staff": []}]}
    unauthorized = {"401": (ERRORS, "No credentials (answered by the gateway)")}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Spine second-opinion referrals", "version": "1.0.0"},
        "paths": {
            "/referrals": {
                "post": _operation(
                    "Send a second-opinion referral; answers with upload forms for its documents",
                    {
                        "201": ("ReferralCreated", "Stored"),
                        "400": (ERRORS, "Not JSON"),
                        "413": (ERRORS, "Body too large"),
                        "415": (ERRORS, "Not application/json"),
                        "422": (ERRORS, "Invalid fields, each named"),
                    },
                    parameters=[idempotency_key],
                    requestBody=_body("Referral"),
                )
            },
            "/referrals/{referral_id}/submit": {
                "post": _operation(
                    "Check every declared document arrived intact, then submit the referral",
                    {
                        "200": ("ReferralProgress", "Submitted"),
                        "404": (ERRORS, "No such referral"),
                        "409": (ERRORS, "Documents missing or not as declared, each named"),
                    },
                    parameters=[referral_id],
                )
            },
            "/staff/referrals": {
                "get": _operation(
                    "The team's queue of submitted referrals, newest first",
                    {"200": ("ReferralPage", "A page"), "422": (ERRORS, "Bad filters"), **unauthorized},
                    parameters=queue_filters,
                    **staff,
                )
            },
            "/staff/referrals/{referral_id}": {
                "get": _operation(
                    "The whole referral, with download links and history (the read is recorded)",
                    {"200": ("ReferralDetail", "The referral"), "404": (ERRORS, "No such referral"), **unauthorized},
                    parameters=[referral_id],
                    **staff,
                ),
                "patch": _operation(
                    "Move the referral along the review workflow",
                    {
                        "200": ("StatusChanged", "Moved"),
                        "409": (ERRORS, "Not an allowed move, or the referral changed meanwhile"),
                        "422": (ERRORS, "Invalid fields"),
                        **unauthorized,
                    },
                    parameters=[referral_id],
                    requestBody=_body("StatusMove"),
                    **staff,
                ),
            },
        },
        "components": {
            "schemas": schemas["$defs"],
            "securitySchemes": {
                "staff": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A Cognito ID token in AWS; the development token under make run",
                }
            },
        },
    }
