"""The second-opinion request as the patient sends it: the public contract, validated.

Pure code: no I/O. Rules that depend on the day or the stage (no future dates, upload size)
come in through `IntakeRules`, passed to pydantic as the validation context.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise
from typing import Annotated

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from chalicelib.domain.base import Model

MAX_DOCUMENTS = 20


@dataclass
class IntakeRules:
    """What validation needs to know besides the request itself."""

    today: dt.date
    max_upload_bytes: int
    phone_region: str = "US"
    # Set while validating `patient`, read by the date checks that follow it (fields validate in order).
    birth_date: dt.date | None = None


def _rules(info: ValidationInfo) -> IntakeRules:
    if not isinstance(info.context, IntakeRules):
        raise TypeError("validate with context=IntakeRules(...)")
    return info.context


# --- Enumerations -----------------------------------------------------------------------------


class Sex(StrEnum):
    female = "female"
    male = "male"
    intersex = "intersex"
    prefer_not_to_say = "prefer_not_to_say"


class PreferredContact(StrEnum):
    phone = "phone"
    email = "email"
    text_message = "text_message"


class Procedure(StrEnum):
    discectomy = "discectomy"
    microdiscectomy = "microdiscectomy"
    laminectomy = "laminectomy"
    laminotomy = "laminotomy"
    foraminotomy = "foraminotomy"
    fusion = "fusion"
    disc_replacement = "disc_replacement"
    kyphoplasty = "kyphoplasty"
    vertebroplasty = "vertebroplasty"
    hardware_removal = "hardware_removal"
    spinal_cord_stimulator = "spinal_cord_stimulator"
    other = "other"


class Outcome(StrEnum):
    improved = "improved"
    no_change = "no_change"
    worse = "worse"
    improved_then_recurred = "improved_then_recurred"


class Sciatica(StrEnum):
    none = "none"
    left = "left"
    right = "right"
    both = "both"


class Onset(StrEnum):
    never_resolved = "never_resolved"
    recurred = "recurred"
    new_since_surgery = "new_since_surgery"


class DocumentKind(StrEnum):
    mri = "mri"
    ct = "ct"
    xray = "xray"
    emg_ncs = "emg_ncs"
    bone_scan = "bone_scan"
    bone_density = "bone_density"
    blood_test = "blood_test"
    operative_report = "operative_report"
    other = "other"


class ContentType(StrEnum):
    pdf = "application/pdf"
    jpeg = "image/jpeg"
    png = "image/png"
    dicom = "application/dicom"
    zip = "application/zip"


# --- Field types --------------------------------------------------------------------------------


def _blank_to_none(value: object) -> object:
    # Forms send "" for an optional box left empty; that means "not given", not an error.
    return None if isinstance(value, str) and not value.strip() else value


Name = Annotated[str, StringConstraints(min_length=1, max_length=100)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
OptionalShortText = Annotated[ShortText | None, BeforeValidator(_blank_to_none)]
OptionalLongText = Annotated[LongText | None, BeforeValidator(_blank_to_none)]


def _email(value: str) -> str:
    # Imported on first use: email_validator (and dnspython) add ~40 ms to every cold start.
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError(f"is not a valid email address: {exc}") from None


def _phone(value: str, info: ValidationInfo) -> str:
    import phonenumbers  # on first use, as above (~40 ms)

    try:
        number = phonenumbers.parse(value, _rules(info).phone_region)
    except phonenumbers.NumberParseException:
        raise ValueError("is not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("is not a valid phone number; include the area code")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


Email = Annotated[
    str,
    StringConstraints(max_length=254),
    AfterValidator(_email),
    WithJsonSchema({"type": "string", "format": "email", "maxLength": 254}),
]
Phone = Annotated[
    str,
    StringConstraints(max_length=40),
    AfterValidator(_phone),
    WithJsonSchema({"type": "string", "maxLength": 40, "description": "Any common format; stored as E.164."}),
]


def _npi(value: str) -> str:
    # The NPI check digit is a Luhn digit computed over the prefix 80840 plus the first nine digits.
    if not re.fullmatch(r"\d{10}", value):
        raise ValueError("an NPI has 10 digits")
    total = 0
    for position, char in enumerate(reversed("80840" + value[:9])):
        digit = int(char) * (2 if position % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    if (10 - total % 10) % 10 != int(value[9]):
        raise ValueError("is not a valid NPI (check digit does not match)")
    return value


Npi = Annotated[str, AfterValidator(_npi), WithJsonSchema({"type": "string", "pattern": r"^\d{10}$"})]

VERTEBRAE = [f"C{n}" for n in range(1, 8)] + [f"T{n}" for n in range(1, 13)] + [f"L{n}" for n in range(1, 6)] + ["S1"]
SEGMENTS = frozenset(f"{upper}-{lower}" for upper, lower in pairwise(VERTEBRAE))


def _segments(levels: list[str]) -> list[str]:
    normalized = [level.upper().replace(" ", "") for level in levels]
    for level in normalized:
        if level not in SEGMENTS:
            raise ValueError(f"{level!r} is not a spinal segment; use adjacent levels such as L4-L5 or L5-S1")
    if len(set(normalized)) != len(normalized):
        raise ValueError("lists a level twice")
    return normalized


SpinalLevels = Annotated[
    list[Annotated[str, StringConstraints(max_length=10)]],
    Field(min_length=1, max_length=10),
    AfterValidator(_segments),
    WithJsonSchema(
        {"type": "array", "minItems": 1, "maxItems": 10, "items": {"type": "string", "enum": sorted(SEGMENTS)}}
    ),
]


def _surgery_date(value: str, info: ValidationInfo) -> str:
    # A month is often all a patient remembers, so YYYY-MM is as good as a full date.
    rules = _rules(info)
    try:
        if re.fullmatch(r"\d{4}-\d{2}", value):
            first = dt.date.fromisoformat(value + "-01")
            last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            first = last = dt.date.fromisoformat(value)
        else:
            raise ValueError
    except ValueError:
        raise ValueError("use YYYY-MM or YYYY-MM-DD") from None
    if first > rules.today:
        raise ValueError("is in the future")
    if rules.birth_date and last < rules.birth_date:
        raise ValueError("is before the date of birth")
    return value


SurgeryDate = Annotated[
    str,
    AfterValidator(_surgery_date),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}(-\d{2})?$", "description": "YYYY-MM or YYYY-MM-DD"}),
]


def _past_date(value: dt.date, info: ValidationInfo) -> dt.date:
    if value > _rules(info).today:
        raise ValueError("is in the future")
    return value


PastDate = Annotated[dt.date, AfterValidator(_past_date)]
Pain = Annotated[int, Field(ge=0, le=10)]


# --- The request --------------------------------------------------------------------------------


class Contract(Model):
    # Strict: "7" is not a pain score and 1 is not true; JSON dates are still read from strings.
    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)


class Address(Contract):
    line1: ShortText
    line2: OptionalShortText = None
    city: Name
    state: OptionalShortText = None
    postal_code: Annotated[str, StringConstraints(min_length=2, max_length=12)]
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$", to_upper=True)] = "US"


class Patient(Contract):
    first_name: Name
    last_name: Name
    date_of_birth: dt.date
    sex: Sex | None = None
    email: Email
    phone: Phone
    preferred_contact: PreferredContact | None = None
    address: Address | None = None

    @field_validator("date_of_birth")
    @classmethod
    def _adult(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        rules = _rules(info)
        today = rules.today
        age = today.year - value.year - ((today.month, today.day) < (value.month, value.day))
        if not 18 <= age <= 120:
            raise ValueError("this service is for adults: age must be 18 to 120")
        rules.birth_date = value
        return value


class ReferringPhysician(Contract):
    name: Name
    npi: Npi | None = None
    phone: Phone | None = None
    email: Email | None = None


class Insurance(Contract):
    carrier: ShortText
    member_id: OptionalShortText = None
    group_number: OptionalShortText = None


class PriorSurgery(Contract):
    procedure: Procedure
    approach: OptionalShortText = None
    spinal_levels: SpinalLevels
    date: SurgeryDate
    hardware_implanted: bool | None = None
    surgeon: OptionalShortText = None
    facility: OptionalShortText = None
    outcome: Outcome | None = None
    complications: OptionalLongText = None


class Symptoms(Contract):
    back_pain: Pain
    leg_pain: Pain
    sciatica: Sciatica | None = None
    numbness: bool | None = None
    numbness_locations: Annotated[list[ShortText], Field(max_length=10)] = []
    weakness: bool | None = None
    onset: Onset | None = None
    bladder_or_bowel_changes: bool = False
    saddle_numbness: bool = False
    progressive_weakness: bool = False
    fever_or_chills: bool = False


class Function(Contract):
    # Oswestry Disability Index v2.1a: ten sections scored 0..5; an unanswered one is null.
    oswestry: Annotated[list[Annotated[int, Field(ge=0, le=5)] | None], Field(min_length=10, max_length=10)]


class Psychological(Contract):
    phq2: Annotated[list[Annotated[int, Field(ge=0, le=3)]], Field(min_length=2, max_length=2)] | None = None
    sleep_disturbance: bool | None = None


class Medication(Contract):
    name: ShortText
    dose: OptionalShortText = None
    frequency: OptionalShortText = None
    opioid: bool | None = None


class MedicalHistory(Contract):
    conditions: Annotated[list[ShortText], Field(max_length=30)] = []
    allergies: Annotated[list[ShortText], Field(max_length=30)] = []
    smoker: bool | None = None
    height_cm: Annotated[float, Field(ge=100, le=250)] | None = None
    weight_kg: Annotated[float, Field(ge=25, le=350)] | None = None


def _basename(value: str) -> str:
    # Browsers on some systems send a full path; the folder names are nobody's business.
    return re.split(r"[\\/]", value)[-1]


class Document(Contract):
    kind: DocumentKind
    study_date: PastDate | None = None
    filename: Annotated[str, StringConstraints(min_length=1, max_length=255), AfterValidator(_basename)]
    content_type: ContentType
    size_bytes: Annotated[int, Field(ge=1)]

    @field_validator("size_bytes")
    @classmethod
    def _within_limit(cls, value: int, info: ValidationInfo) -> int:
        limit = _rules(info).max_upload_bytes
        if value > limit:
            raise ValueError(f"is larger than the {limit // (1024 * 1024)} MiB limit per file")
        return value


class Consent(Contract):
    privacy_notice_accepted: bool
    contact_permission: bool | None = None
    signature_name: OptionalShortText = None

    @field_validator("privacy_notice_accepted")
    @classmethod
    def _accepted(cls, value: bool) -> bool:
        if not value:
            raise ValueError("the privacy notice must be accepted to send a referral")
        return value


class Referral(Contract):
    """A second-opinion request for a patient whose back surgery did not solve the problem."""

    patient: Patient
    referring_physician: ReferringPhysician | None = None
    insurance: Insurance | None = None
    prior_surgeries: Annotated[list[PriorSurgery], Field(min_length=1, max_length=20)]
    symptoms: Symptoms
    function: Function | None = None
    psychological: Psychological | None = None
    medications: Annotated[list[Medication], Field(max_length=30)] = []
    medical_history: MedicalHistory | None = None
    goals: OptionalLongText = None
    documents: Annotated[list[Document], Field(max_length=MAX_DOCUMENTS)] = []
    consent: Consent
