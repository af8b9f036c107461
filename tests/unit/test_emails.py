"""The emails: what the team and the patient read, and what email must never carry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from chalicelib.domain.emails import Email, PrivacyMode, patient_email, team_email
from chalicelib.domain.model import ReferralRecord
from tests.paths import changed
from tests.unit.test_referral import validate

TEAM = ("spine-team@clinic.example",)
STAFF = "https://referrals.clinic.example"


def submitted(request: dict[str, Any]) -> ReferralRecord:
    now = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)
    return ReferralRecord.new(validate(request), now).submitted(now)


def both_parts(email: Email) -> list[str]:
    return [email.text, email.html]


def identifying(example: dict[str, Any]) -> list[str]:
    patient = example["patient"]
    return [
        patient["first_name"], patient["last_name"], patient["email"], "813", "0147",
        patient["date_of_birth"], "1968", patient["address"]["line1"], patient["address"]["city"],
        patient["address"]["postal_code"], example["insurance"]["member_id"], example["insurance"]["carrier"],
        example["goals"][:20], "Lindqvist", "St. Joseph", "Wound infection", "left calf", "oxycodone",
        example["referring_physician"]["name"], example["consent"]["signature_name"],
    ]  # fmt: skip


def test_the_minimal_team_email_identifies_nobody(example: dict[str, Any]) -> None:
    email = team_email(submitted(example), TEAM, PrivacyMode.minimal, STAFF)
    for part in [email.subject, *both_parts(email)]:
        for secret in identifying(example):
            assert secret not in part, secret


def test_the_team_email_has_what_triage_needs(example: dict[str, Any]) -> None:
    record = submitted(example)
    email = team_email(record, TEAM, PrivacyMode.minimal, STAFF)
    assert email.to == TEAM
    assert email.subject == f"Second-opinion referral {record.referral_id}"
    for part in both_parts(email):
        for fact in (
            record.referral_id, "2026-11-24 09:30 UTC", "no red flags", "53.3 % (severe disability)",
            "3 of 6, positive screen", "Opioid use", "32.3", "MRI, X-rays", "CT scan, EMG / nerve conduction study",
            "2019: microdiscectomy at L4-L5; no hardware; improved, then recurred",
            "2021: fusion at L4-L5, L5-S1; hardware implanted; worse",
            f"{STAFF}/staff/referrals/{record.referral_id}",
        ):  # fmt: skip
            assert fact in part, fact


def test_red_flags_make_the_subject_urgent(example: dict[str, Any]) -> None:
    changed(example, "symptoms.bladder_or_bowel_changes", True)
    email = team_email(submitted(changed(example, "symptoms.sciatica", "both")), TEAM, PrivacyMode.minimal, STAFF)
    assert email.subject.startswith("[URGENT] ")
    assert "YES: bladder or bowel changes, sciatica in both legs" in email.text


def test_full_mode_adds_name_contact_and_goals_escaped(example: dict[str, Any]) -> None:
    changed(example, "goals", 'Walk again <script>alert("x")</script> & "work"')
    changed(example, "patient.last_name", "O'Kafor <b>")
    email = team_email(submitted(example), TEAM, PrivacyMode.full, STAFF)
    assert "Maria O'Kafor <b>" in email.text
    assert "maria.okafor@example.com" in email.text
    assert "+18135550147" in email.text
    assert 'Walk again <script>alert("x")</script> & "work"' in email.text
    assert "<script>" not in email.html
    assert "<b>" not in email.html
    assert "Walk again &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;work&quot;" in email.html
    assert "O&#x27;Kafor &lt;b&gt;" in email.html


def test_the_patient_is_acknowledged_without_clinical_details(example: dict[str, Any]) -> None:
    record = submitted(example)
    email = patient_email(record)
    assert email.to == ("maria.okafor@example.com",)
    assert record.referral_id in email.subject
    for part in both_parts(email):
        assert record.referral_id in part
        assert "within two business days" in part
        assert "CT scan, EMG / nerve conduction study, bone scan, bone density scan, blood tests" in part
        for clinical in ("Oswestry", "53.3", "PHQ", "opioid", "oxycodone", "fusion", "L4-L5", "BMI", "emergency"):
            assert clinical not in part, clinical


def test_an_urgent_patient_is_told_to_seek_emergency_care(example: dict[str, Any]) -> None:
    email = patient_email(submitted(changed(example, "symptoms.saddle_numbness", True)))
    assert "emergency department or call 911 now" in email.text
    assert email.text.index("IMPORTANT") < email.text.index("WHAT HAPPENS NEXT")


@pytest.mark.parametrize("kinds", [[], ["mri", "ct", "xray", "emg_ncs", "bone_scan", "bone_density", "blood_test"]])
def test_with_every_study_provided_no_reports_are_asked_for(example: dict[str, Any], kinds: list[str]) -> None:
    document = example["documents"][0]
    changed(example, "documents", [{**document, "kind": kind} for kind in kinds])
    text = patient_email(submitted(example)).text
    assert ("REPORTS THAT WOULD HELP" in text) == (not kinds)
