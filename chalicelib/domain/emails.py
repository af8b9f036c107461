"""The emails a submitted referral sends, rendered as plain text and HTML. Pure code.

Email is not a secure channel: in the default `minimal` privacy mode the team's email carries nothing
that identifies the patient (no name, birth date, contact details, address, insurance or free text),
only what the team needs to triage and a link to the full referral behind sign-in.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from enum import StrEnum

from chalicelib.domain.clinical import EMERGENCY_GUIDANCE, RedFlag
from chalicelib.domain.model import ReferralRecord
from chalicelib.domain.referral import DocumentKind, Outcome, PriorSurgery


class PrivacyMode(StrEnum):
    minimal = "minimal"
    full = "full"


@dataclass(frozen=True)
class Email:
    to: tuple[str, ...]
    subject: str
    text: str
    html: str


# A section is a heading and its lines; a line is (label, value), or ("", paragraph).
Line = tuple[str, str]
Section = tuple[str, list[Line]]

STUDY_NAMES = {
    DocumentKind.mri: "MRI",
    DocumentKind.ct: "CT scan",
    DocumentKind.xray: "X-rays",
    DocumentKind.emg_ncs: "EMG / nerve conduction study",
    DocumentKind.bone_scan: "bone scan",
    DocumentKind.bone_density: "bone density scan",
    DocumentKind.blood_test: "blood tests",
}
OUTCOMES = {
    Outcome.improved: "improved",
    Outcome.no_change: "no change",
    Outcome.worse: "worse",
    Outcome.improved_then_recurred: "improved, then recurred",
}
RED_FLAGS = {
    RedFlag.bladder_or_bowel_changes: "bladder or bowel changes",
    RedFlag.saddle_numbness: "saddle numbness",
    RedFlag.progressive_weakness: "progressive weakness",
    RedFlag.fever_or_chills: "fever or chills",
    RedFlag.sciatica_both_sides: "sciatica in both legs",
}


def _render(title: str, sections: list[Section], to: tuple[str, ...], subject: str) -> Email:
    text = [title, ""]
    markup = [f'<h1 style="font-size:18px">{html.escape(title)}</h1>']
    for heading, lines in sections:
        text += [heading.upper(), *[f"{label}: {value}" if label else value for label, value in lines], ""]
        markup.append(f'<h2 style="font-size:15px;margin-top:18px">{html.escape(heading)}</h2>')
        rows = [
            f'<tr><th align="left" valign="top">{html.escape(label)}</th><td>{html.escape(value)}</td></tr>'
            if label
            else f'<tr><td colspan="2">{html.escape(value)}</td></tr>'
            for label, value in lines
        ]
        markup.append(f'<table cellpadding="4">{"".join(rows)}</table>')
    body = "\n".join(markup)
    return Email(to=to, subject=subject, text="\n".join(text).rstrip() + "\n", html=f"<html><body>{body}</body></html>")


def _surgery(surgery: PriorSurgery) -> str:
    hardware = {True: "hardware implanted", False: "no hardware", None: "hardware not stated"}
    outcome = OUTCOMES[surgery.outcome] if surgery.outcome else "outcome not stated"
    procedure = surgery.procedure.value.replace("_", " ")
    levels = ", ".join(surgery.spinal_levels)
    return f"{surgery.date[:4]}: {procedure} at {levels}; {hardware[surgery.hardware_implanted]}; {outcome}"


def _studies(kinds: list[DocumentKind]) -> str:
    return ", ".join(STUDY_NAMES[kind] for kind in kinds) or "none"


def team_email(record: ReferralRecord, to: tuple[str, ...], privacy: PrivacyMode, staff_base_url: str) -> Email:
    summary, request = record.summary, record.request
    flags = ", ".join(RED_FLAGS[flag] for flag in summary.red_flags)
    submitted = record.submitted_at.strftime("%Y-%m-%d %H:%M UTC") if record.submitted_at else "not yet"
    oswestry = (
        f"{summary.oswestry_percent:g} % ({summary.oswestry_band.value.replace('_', ' ')} disability)"
        if summary.oswestry_percent is not None and summary.oswestry_band
        else "not answered"
    )
    phq2 = "not answered"
    if summary.phq2_score is not None:
        phq2 = f"{summary.phq2_score} of 6, " + ("positive screen (3 or more)" if summary.phq2_positive else "negative")
    sections: list[Section] = [
        (
            "Referral",
            [
                ("Reference", record.referral_id),
                ("Submitted", submitted),
                ("Urgent", f"YES: {flags}" if summary.urgent else "no red flags reported"),
            ],
        ),
        (
            "Function and health",
            [
                ("Oswestry Disability Index", oswestry),
                ("PHQ-2 (mood)", phq2),
                ("Opioid use", "yes" if summary.opioid_use else "no"),
                ("BMI", f"{summary.bmi:g}" if summary.bmi is not None else "not given"),
            ],
        ),
        (
            "Studies",
            [("Provided", _studies(summary.studies_provided)), ("Missing", _studies(summary.studies_missing))],
        ),
        ("Prior surgeries", [("", _surgery(surgery)) for surgery in request.prior_surgeries]),
    ]
    if privacy is PrivacyMode.full:
        patient = request.patient
        contact = [
            ("Name", f"{patient.first_name} {patient.last_name}"),
            ("Email", patient.email),
            ("Phone", patient.phone),
        ]
        if patient.preferred_contact:
            contact.append(("Prefers", patient.preferred_contact.value.replace("_", " ")))
        if request.goals:
            contact.append(("Goals", request.goals))
        sections.append(("Patient", contact))
    link = f"{staff_base_url}/staff/referrals/{record.referral_id}"
    sections.append(("Open the full referral", [("", f"{link} (staff sign-in required)")]))
    subject = f"{'[URGENT] ' if summary.urgent else ''}Second-opinion referral {record.referral_id}"
    return _render("New second-opinion referral", sections, to, subject)


def patient_email(record: ReferralRecord) -> Email:
    request, summary = record.request, record.summary
    contact = request.patient.preferred_contact
    how = {"phone": "by phone", "email": "by email", "text_message": "by text message"}.get(contact or "", "")
    sections: list[Section] = []
    if summary.urgent:
        sections.append(("Important", [("", EMERGENCY_GUIDANCE)]))
    sections.append(
        (
            "What happens next",
            [
                ("", "A member of our spine team reviews every request together with the reports you sent."),
                ("", f"We will contact you {how} within two business days about the next steps.".replace("  ", " ")),
            ],
        )
    )
    if summary.studies_missing:
        sections.append(
            (
                "Reports that would help",
                [
                    ("", "If you have had any of these, please keep the reports ready or send them to us:"),
                    ("", _studies(summary.studies_missing)),
                ],
            )
        )
    sections.append(
        (
            "Your reference number",
            [
                ("", f"{record.referral_id}: please have it ready when you contact us."),
                (
                    "",
                    "This email has no medical details on purpose: please do not reply with medical information.",
                ),
            ],
        )
    )
    subject = f"We received your request for a second opinion (reference {record.referral_id})"
    return _render("Thank you: we received your request", sections, (request.patient.email,), subject)
