"""Emails after a submit over HTTP: sent through the queue and the worker, read back from the emulator."""

from __future__ import annotations

import time
from typing import Any

import requests

from tests.stack import LocalStack


def emails_about(local_stack: LocalStack, referral_id: str, expected: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 30
    while True:
        data = requests.get(f"{local_stack.emulator}/moto-api/data.json", timeout=10).json()
        found = [m for m in data.get("ses", {}).get("Message", []) if referral_id in m["subject"]]
        if len(found) >= expected or time.monotonic() > deadline:
            return found
        time.sleep(0.3)


def test_submitting_emails_the_team_and_the_patient(
    local_stack: LocalStack, stage: dict[str, str], example: dict[str, Any]
) -> None:
    del example["documents"]  # submitted at once
    created = requests.post(f"{local_stack.api}/referrals", json=example, timeout=30)
    assert created.status_code == 201
    referral_id = created.json()["referral_id"]
    emails = {tuple(m["destinations"]["ToAddresses"]): m for m in emails_about(local_stack, referral_id, 2)}
    team, patient = (stage["TEAM_EMAILS"],), (example["patient"]["email"],)
    assert set(emails) == {team, patient}
    assert emails[team]["subject"] == f"Second-opinion referral {referral_id}"
    assert emails[team]["source"] == stage["SENDER_EMAIL"]
    assert f"/staff/referrals/{referral_id}" in emails[team]["body"]
    assert "53.3 % (severe disability)" in emails[team]["body"]
    assert "Okafor" not in emails[team]["body"]  # the dev stage is in minimal privacy mode
    assert emails[patient]["subject"].startswith("We received your request")
    time.sleep(1.5)  # a second delivery would have arrived by now
    assert len(emails_about(local_stack, referral_id, 3)) == 2


def test_an_urgent_referral_email_says_so(
    local_stack: LocalStack, stage: dict[str, str], example: dict[str, Any]
) -> None:
    del example["documents"]
    example["symptoms"]["saddle_numbness"] = True
    created = requests.post(f"{local_stack.api}/referrals", json=example, timeout=30)
    referral_id = created.json()["referral_id"]
    team = [
        m
        for m in emails_about(local_stack, referral_id, 2)
        if m["destinations"]["ToAddresses"] != [example["patient"]["email"]]
    ]
    assert [m["subject"] for m in team] == [f"[URGENT] Second-opinion referral {referral_id}"]
    assert "saddle numbness" in team[0]["body"]
