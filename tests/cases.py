"""Bad requests, each with the field its error must name: shared by the unit and HTTP tests."""

from __future__ import annotations

from typing import Any

from tests.paths import DELETE

# (path to change, new value, field the error names)
BAD_FIELDS: list[tuple[str, Any, str]] = [
    ("patient.first_name", DELETE, "patient.first_name"),
    ("patient.last_name", "   ", "patient.last_name"),
    ("patient.first_name", "x" * 101, "patient.first_name"),
    ("patient.date_of_birth", DELETE, "patient.date_of_birth"),
    ("patient.date_of_birth", "12/04/1968", "patient.date_of_birth"),
    ("patient.date_of_birth", "2015-01-01", "patient.date_of_birth"),  # a child
    ("patient.date_of_birth", "1890-01-01", "patient.date_of_birth"),  # over 120
    ("patient.email", DELETE, "patient.email"),
    ("patient.email", "maria.okafor@", "patient.email"),
    ("patient.email", "not an email", "patient.email"),
    ("patient.phone", DELETE, "patient.phone"),
    ("patient.phone", "555", "patient.phone"),
    ("patient.phone", "call me", "patient.phone"),
    ("patient.sex", "f", "patient.sex"),
    ("patient.preferred_contact", "fax", "patient.preferred_contact"),
    ("patient.address.country", "USA", "patient.address.country"),
    ("patient.nickname", "Mo", "patient.nickname"),
    ("referring_physician.npi", "1234567890", "referring_physician.npi"),  # wrong check digit
    ("referring_physician.npi", "12345", "referring_physician.npi"),
    ("prior_surgeries", [], "prior_surgeries"),
    ("prior_surgeries", DELETE, "prior_surgeries"),
    ("prior_surgeries.0.procedure", "spinal_fusion", "prior_surgeries.0.procedure"),
    ("prior_surgeries.0.procedure", DELETE, "prior_surgeries.0.procedure"),
    ("prior_surgeries.1.spinal_levels", ["L4-L6"], "prior_surgeries.1.spinal_levels"),  # not adjacent
    ("prior_surgeries.1.spinal_levels", ["L5-L6"], "prior_surgeries.1.spinal_levels"),  # no L6
    ("prior_surgeries.1.spinal_levels", ["S1-S2"], "prior_surgeries.1.spinal_levels"),
    ("prior_surgeries.1.spinal_levels", ["L5-L4"], "prior_surgeries.1.spinal_levels"),  # upside down
    ("prior_surgeries.1.spinal_levels", ["L4-L5", "L4-L5"], "prior_surgeries.1.spinal_levels"),
    ("prior_surgeries.1.spinal_levels", [], "prior_surgeries.1.spinal_levels"),
    ("prior_surgeries.0.date", "2030-01", "prior_surgeries.0.date"),  # future
    ("prior_surgeries.0.date", "1967-05", "prior_surgeries.0.date"),  # before birth
    ("prior_surgeries.0.date", "2019-13", "prior_surgeries.0.date"),
    ("prior_surgeries.0.date", "June 2019", "prior_surgeries.0.date"),
    ("prior_surgeries.0.outcome", "better", "prior_surgeries.0.outcome"),
    ("prior_surgeries.0.hardware_implanted", "no", "prior_surgeries.0.hardware_implanted"),
    ("symptoms.back_pain", 11, "symptoms.back_pain"),
    ("symptoms.leg_pain", -1, "symptoms.leg_pain"),
    ("symptoms.back_pain", "7", "symptoms.back_pain"),
    ("symptoms.back_pain", DELETE, "symptoms.back_pain"),
    ("symptoms.leg_pain", DELETE, "symptoms.leg_pain"),
    ("symptoms.sciatica", "bilateral", "symptoms.sciatica"),
    ("symptoms.onset", "sudden", "symptoms.onset"),
    ("symptoms.saddle_numbness", "yes", "symptoms.saddle_numbness"),
    ("function.oswestry", [3, 2, 3], "function.oswestry"),
    ("function.oswestry.3", 6, "function.oswestry.3"),
    ("psychological.phq2", [2, 1, 0], "psychological.phq2"),
    ("psychological.phq2.0", 4, "psychological.phq2.0"),
    ("medications.0.name", "", "medications.0.name"),
    ("medical_history.height_cm", 20, "medical_history.height_cm"),
    ("goals", "x" * 2001, "goals"),
    ("documents.0.kind", "ultrasound", "documents.0.kind"),
    ("documents.0.content_type", "application/msword", "documents.0.content_type"),
    ("documents.1.size_bytes", 0, "documents.1.size_bytes"),
    ("documents.1.size_bytes", 600 * 1024 * 1024, "documents.1.size_bytes"),  # over the 500 MiB default
    ("documents.0.study_date", "2031-01-01", "documents.0.study_date"),
    ("documents.0.filename", DELETE, "documents.0.filename"),
    ("consent.privacy_notice_accepted", False, "consent.privacy_notice_accepted"),
    ("consent.privacy_notice_accepted", DELETE, "consent.privacy_notice_accepted"),
    ("consent", DELETE, "consent"),
]
