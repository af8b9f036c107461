"""The clinical summary computed at intake: what the surgeon's team looks at first. Pure code."""

from __future__ import annotations

from enum import StrEnum

from chalicelib.domain.base import Model
from chalicelib.domain.referral import DocumentKind, Referral, Sciatica

# The studies the clinic asks for to decide whether a surgical problem still exists.
REQUESTED_STUDIES = (
    DocumentKind.mri,
    DocumentKind.ct,
    DocumentKind.xray,
    DocumentKind.emg_ncs,
    DocumentKind.bone_scan,
    DocumentKind.bone_density,
    DocumentKind.blood_test,
)

# Generic names, so a patient who lists "oxycodone" without ticking "opioid" is still counted.
OPIOIDS = (
    "buprenorphine", "codeine", "fentanyl", "hydrocodone", "hydromorphone", "meperidine", "methadone",
    "morphine", "oxycodone", "oxymorphone", "tapentadol", "tramadol",
    "percocet", "vicodin", "norco", "dilaudid", "oxycontin", "suboxone",
)  # fmt: skip

EMERGENCY_GUIDANCE = (
    "Some of your answers can be signs of a problem that needs care right away, such as pressure on the "
    "nerves at the base of the spine or an infection. Please go to the nearest emergency department or "
    "call 911 now. Do not wait for our reply."
)


class OswestryBand(StrEnum):
    """Fairbank's interpretation bands for the Oswestry Disability Index."""

    minimal = "minimal"  # 0-20 %
    moderate = "moderate"  # 21-40 %
    severe = "severe"  # 41-60 %
    crippling = "crippling"  # 61-80 %
    bed_bound = "bed_bound"  # 81-100 %


class RedFlag(StrEnum):
    bladder_or_bowel_changes = "bladder_or_bowel_changes"
    saddle_numbness = "saddle_numbness"
    progressive_weakness = "progressive_weakness"
    fever_or_chills = "fever_or_chills"
    sciatica_both_sides = "sciatica_both_sides"


class ClinicalSummary(Model):
    urgent: bool
    red_flags: list[RedFlag]
    oswestry_percent: float | None
    oswestry_band: OswestryBand | None
    opioid_use: bool
    phq2_score: int | None
    phq2_positive: bool
    bmi: float | None
    studies_provided: list[DocumentKind]
    studies_missing: list[DocumentKind]


def oswestry_percent(items: list[int | None]) -> float | None:
    answered = [item for item in items if item is not None]
    if not answered:
        return None
    return round(sum(answered) / (5 * len(answered)) * 100, 1)


def oswestry_band(percent: float) -> OswestryBand:
    for upper, band in ((20, OswestryBand.minimal), (40, OswestryBand.moderate), (60, OswestryBand.severe)):
        if percent <= upper:
            return band
    return OswestryBand.crippling if percent <= 80 else OswestryBand.bed_bound


def red_flags(referral: Referral) -> list[RedFlag]:
    symptoms = referral.symptoms
    flags: list[RedFlag] = [
        flag for flag in RedFlag if flag is not RedFlag.sciatica_both_sides and getattr(symptoms, flag.value)
    ]
    if symptoms.sciatica is Sciatica.both:
        flags.append(RedFlag.sciatica_both_sides)
    return flags


def uses_opioids(referral: Referral) -> bool:
    return any(
        medication.opioid or any(name in medication.name.lower() for name in OPIOIDS)
        for medication in referral.medications
    )


def bmi(referral: Referral) -> float | None:
    history = referral.medical_history
    if history is None or history.height_cm is None or history.weight_kg is None:
        return None
    return round(history.weight_kg / (history.height_cm / 100) ** 2, 1)


def summarize(referral: Referral) -> ClinicalSummary:
    flags = red_flags(referral)
    percent = oswestry_percent(referral.function.oswestry) if referral.function else None
    phq2 = referral.psychological.phq2 if referral.psychological else None
    provided = {document.kind for document in referral.documents}
    return ClinicalSummary(
        urgent=bool(flags),
        red_flags=flags,
        oswestry_percent=percent,
        oswestry_band=oswestry_band(percent) if percent is not None else None,
        opioid_use=uses_opioids(referral),
        phq2_score=sum(phq2) if phq2 else None,
        phq2_positive=bool(phq2) and sum(phq2 or ()) >= 3,
        bmi=bmi(referral),
        studies_provided=[kind for kind in REQUESTED_STUDIES if kind in provided],
        studies_missing=[kind for kind in REQUESTED_STUDIES if kind not in provided],
    )
