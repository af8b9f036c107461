"""The OpenAPI 3.1 document, generated from the pydantic models (pydantic emits JSON Schema 2020-12)."""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic.json_schema import models_json_schema

from chalicelib.domain.answers import ErrorAnswer, ReferralCreated, ReferralProgress
from chalicelib.domain.referral import Referral


def _json(schema: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": schema}}}}


@cache
def document() -> dict[str, Any]:
    _, schemas = models_json_schema(
        [(Referral, "validation"), (ReferralCreated, "serialization"), (ReferralProgress, "serialization"),
         (ErrorAnswer, "serialization")],
        ref_template="#/components/schemas/{model}",
    )  # fmt: skip
    error = "#/components/schemas/ErrorAnswer"
    referral_id = {"name": "referral_id", "in": "path", "required": True, "schema": {"type": "string"}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Spine second-opinion referrals", "version": "1.0.0"},
        "paths": {
            "/referrals": {
                "post": {
                    "summary": "Send a second-opinion referral; answers with upload forms for its documents",
                    "parameters": [
                        {
                            "name": "Idempotency-Key",
                            "in": "header",
                            "required": False,
                            "schema": {"type": "string"},
                            "description": "Repeat it on a retry to get the first answer instead of a second referral",
                        },
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Referral"}}},
                    },
                    "responses": {
                        "201": _json("#/components/schemas/ReferralCreated", "Stored"),
                        "400": _json(error, "Not JSON"),
                        "413": _json(error, "Body too large"),
                        "415": _json(error, "Not application/json"),
                        "422": _json(error, "Invalid fields, each named"),
                    },
                }
            },
            "/referrals/{referral_id}/submit": {
                "post": {
                    "summary": "Check every declared document arrived intact, then submit the referral",
                    "parameters": [referral_id],
                    "responses": {
                        "200": _json("#/components/schemas/ReferralProgress", "Submitted"),
                        "404": _json(error, "No such referral"),
                        "409": _json(error, "Documents missing or not as declared, each named"),
                    },
                }
            },
        },
        "components": {"schemas": schemas["$defs"]},
    }
