"""The request contract: what a careful intake coordinator accepts and refuses."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from pydantic import ValidationError

from chalicelib.domain.errors import InvalidRequest, MalformedRequest, from_validation_error
from chalicelib.domain.referral import IntakeRules, Referral
from tests.cases import BAD_FIELDS
from tests.paths import changed

TODAY = dt.date(2026, 11, 24)


def validate(request: dict[str, Any] | str) -> Referral:
    body = request if isinstance(request, str) else json.dumps(request)
    return Referral.model_validate_json(body, context=IntakeRules(TODAY, max_upload_bytes=500 * 1024 * 1024))


def error_fields(request: dict[str, Any] | str) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        validate(request)
    return [error.field for error in from_validation_error(caught.value).errors]


def test_the_contract_example_is_valid(example: dict[str, Any]) -> None:
    referral = validate(example)
    assert referral.patient.phone == "+18135550147"  # normalized to E.164
    assert referral.prior_surgeries[1].spinal_levels == ["L4-L5", "L5-S1"]
    assert [document.kind for document in referral.documents] == ["mri", "xray"]


@pytest.mark.parametrize(("path", "value", "field"), BAD_FIELDS, ids=[f"{c[0]}={c[1]!r:.20}" for c in BAD_FIELDS])
def test_each_bad_field_is_named(example: dict[str, Any], path: str, value: Any, field: str) -> None:
    assert error_fields(changed(example, path, value)) == [field]


def test_every_offending_field_is_named_at_once(example: dict[str, Any]) -> None:
    changed(example, "patient.email", "nope")
    changed(example, "prior_surgeries.1.spinal_levels", ["L4-L6"])
    changed(example, "symptoms.back_pain", 12)
    assert sorted(error_fields(example)) == ["patient.email", "prior_surgeries.1.spinal_levels", "symptoms.back_pain"]


def test_friendly_inputs_are_normalized(example: dict[str, Any]) -> None:
    changed(example, "patient.first_name", "  Maria ")
    changed(example, "patient.phone", "(813) 555-0147")
    changed(example, "patient.email", "Maria.Okafor@Example.COM")
    changed(example, "prior_surgeries.0.spinal_levels", ["l4-l5", "C7-T1"])
    changed(example, "prior_surgeries.0.surgeon", "")  # an empty optional box means "not given"
    changed(example, "documents.0.filename", "C:\\Users\\maria\\lumbar-mri-report.pdf")
    referral = validate(example)
    assert referral.patient.first_name == "Maria"
    assert referral.patient.phone == "+18135550147"
    assert referral.patient.email == "Maria.Okafor@example.com"
    assert referral.prior_surgeries[0].spinal_levels == ["L4-L5", "C7-T1"]
    assert referral.prior_surgeries[0].surgeon is None
    assert referral.documents[0].filename == "lumbar-mri-report.pdf"


def test_every_real_segment_is_accepted_and_only_those(example: dict[str, Any]) -> None:
    changed(example, "prior_surgeries.0.spinal_levels", ["C1-C2", "C7-T1", "T12-L1"])
    changed(example, "prior_surgeries.1.spinal_levels", ["L5-S1"])
    validate(example)
    assert error_fields(changed(example, "prior_surgeries.1.spinal_levels", ["T12-T13"])) == [
        "prior_surgeries.1.spinal_levels"
    ]


def test_a_surgery_in_the_birth_month_or_this_month_is_accepted(example: dict[str, Any]) -> None:
    changed(example, "prior_surgeries.0.date", "1968-04")  # born 1968-04-12
    changed(example, "prior_surgeries.1.date", TODAY.strftime("%Y-%m"))
    validate(example)


def test_lists_are_capped(example: dict[str, Any]) -> None:
    changed(example, "documents", [example["documents"][0]] * 21)
    assert error_fields(example) == ["documents"]


def test_only_the_required_parts_are_needed(example: dict[str, Any]) -> None:
    minimal: dict[str, Any] = {
        "patient": {
            key: example["patient"][key] for key in ("first_name", "last_name", "date_of_birth", "email", "phone")
        },
        "prior_surgeries": [{"procedure": "laminectomy", "spinal_levels": ["L3-L4"], "date": "2020"}],
        "symptoms": {"back_pain": 5, "leg_pain": 2},
        "consent": {"privacy_notice_accepted": True},
    }
    assert error_fields(minimal) == ["prior_surgeries.0.date"]  # a year alone is too vague
    minimal["prior_surgeries"][0]["date"] = "2020-03"
    assert validate(minimal).documents == []


def test_malformed_json_and_wrong_shapes_are_told_apart() -> None:
    with pytest.raises(ValidationError) as caught:
        validate('{"patient": ')
    assert isinstance(from_validation_error(caught.value), MalformedRequest)
    with pytest.raises(ValidationError) as caught:
        validate("[1, 2]")
    refusal = from_validation_error(caught.value)
    assert isinstance(refusal, InvalidRequest)
    assert [error.field for error in refusal.errors] == ["body"]
