"""The surgeon's team over HTTP against the local stack: sign-in, queue, referral, workflow, audit."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import requests

from tests import files
from tests.stack import LocalStack

CONTENTS = [files.pdf(182044), files.dicom(5242880)]


def submitted_referral(local_stack: LocalStack, example: dict[str, Any]) -> str:
    created = requests.post(f"{local_stack.api}/referrals", json=example, timeout=30).json()
    for upload, document, data in zip(created["uploads"], example["documents"], CONTENTS, strict=True):
        assert local_stack.upload(upload, document["filename"], document["content_type"], data) == 204
    referral_id = str(created["referral_id"])
    assert requests.post(f"{local_stack.api}/referrals/{referral_id}/submit", timeout=30).status_code == 200
    return referral_id


def staff_get(local_stack: LocalStack, path: str) -> requests.Response:
    return requests.get(f"{local_stack.api}{path}", headers=local_stack.staff, timeout=30)


def move(local_stack: LocalStack, referral_id: str, status: str, **extra: Any) -> requests.Response:
    return requests.patch(
        f"{local_stack.api}/staff/referrals/{referral_id}",
        json={"status": status, **extra},
        headers=local_stack.staff,
        timeout=30,
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/staff/referrals"), ("GET", "/staff/referrals/{id}"), ("PATCH", "/staff/referrals/{id}")],
)
def test_each_staff_route_needs_credentials(
    local_stack: LocalStack, example: dict[str, Any], method: str, path: str
) -> None:
    referral_id = submitted_referral(local_stack, example)
    url = local_stack.api + path.format(id=referral_id)
    body = {"status": "in_review"}
    assert requests.request(method, url, json=body, timeout=30).status_code == 401
    # A patient's referral id is no credential; neither is a made-up token (the authorizer says no: 403).
    for token in (referral_id, "guess"):
        refused = requests.request(method, url, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        assert refused.status_code == 403
    assert staff_get(local_stack, f"/staff/referrals/{referral_id}").json()["status"] == "submitted"


def test_the_team_lists_opens_and_downloads(local_stack: LocalStack, example: dict[str, Any]) -> None:
    referral_id = submitted_referral(local_stack, example)
    queue = staff_get(local_stack, "/staff/referrals?status=submitted&limit=100").json()
    assert referral_id in [referral["referral_id"] for referral in queue["referrals"]]

    opened = staff_get(local_stack, f"/staff/referrals/{referral_id}")
    assert opened.status_code == 200
    detail = opened.json()
    assert detail["request"]["patient"]["last_name"] == "Okafor"
    assert detail["summary"]["oswestry_band"] == "severe"
    assert set(detail["notifications"]) == {"team", "patient"}
    assert detail["allowed_moves"] == ["in_review", "closed"]
    for document, data in zip(detail["documents"], CONTENTS, strict=True):
        download = requests.get(document["download_url"], timeout=60)
        assert download.status_code == 200
        assert download.content == data
    assert staff_get(local_stack, f"/staff/referrals/{'a' * 24}").status_code == 404


PATHS = [
    ["in_review", "needs_more_info", "in_review", "consult_scheduled", "closed"],
    ["in_review", "surgery_not_recommended", "closed"],
    ["closed"],
]
FORBIDDEN = [("submitted", "consult_scheduled"), ("in_review", "submitted"), ("needs_more_info", "needs_more_info")]


@pytest.mark.parametrize("path", PATHS, ids=["->".join(p) for p in PATHS])
def test_every_allowed_move(local_stack: LocalStack, example: dict[str, Any], path: list[str]) -> None:
    referral_id = submitted_referral(local_stack, example)
    for status in path:
        answer = move(local_stack, referral_id, status, note=f"moving to {status}")
        assert answer.status_code == 200, answer.text
        assert answer.json()["status"] == status
    refused = move(local_stack, referral_id, "in_review")  # closed stays closed
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["field"] == "status"


@pytest.mark.parametrize(("origin", "target"), FORBIDDEN)
def test_forbidden_moves_name_the_allowed_ones(
    local_stack: LocalStack, example: dict[str, Any], origin: str, target: str
) -> None:
    referral_id = submitted_referral(local_stack, example)
    for status in {"submitted": [], "in_review": ["in_review"], "needs_more_info": ["in_review", "needs_more_info"]}[
        origin
    ]:
        assert move(local_stack, referral_id, status).status_code == 200
    refused = move(local_stack, referral_id, target)
    assert refused.status_code == 409
    [error] = refused.json()["errors"]
    allowed = staff_get(local_stack, f"/staff/referrals/{referral_id}").json()["allowed_moves"]
    assert error["field"] == "status"
    assert error["message"].endswith("allowed: " + ", ".join(allowed))


def test_two_concurrent_moves_leave_one_winner(local_stack: LocalStack, example: dict[str, Any]) -> None:
    referral_id = submitted_referral(local_stack, example)
    version = staff_get(local_stack, f"/staff/referrals/{referral_id}").json()["version"]
    answers: list[requests.Response] = []
    start = threading.Barrier(2)

    def editor(status: str) -> None:
        start.wait()
        answers.append(move(local_stack, referral_id, status, version=version))

    editors = [threading.Thread(target=editor, args=(status,)) for status in ("in_review", "closed")]
    for thread in editors:
        thread.start()
    for thread in editors:
        thread.join()
    assert sorted(answer.status_code for answer in answers) == [200, 409]
    winner = next(answer for answer in answers if answer.status_code == 200).json()["status"]
    detail = staff_get(local_stack, f"/staff/referrals/{referral_id}").json()
    assert (detail["status"], detail["version"]) == (winner, version + 1)
    assert [event["to_status"] for event in detail["history"] if event["action"] == "status_changed"] == [winner]


def test_the_history_records_each_read_and_move(local_stack: LocalStack, example: dict[str, Any]) -> None:
    referral_id = submitted_referral(local_stack, example)
    staff_get(local_stack, f"/staff/referrals/{referral_id}")
    assert move(local_stack, referral_id, "in_review", note="Reviewing the MRI").status_code == 200
    history = staff_get(local_stack, f"/staff/referrals/{referral_id}").json()["history"]
    assert [(e["actor"], e["action"], e["from_status"], e["to_status"]) for e in history] == [
        ("patient", "created", None, "awaiting_uploads"),
        ("patient", "submitted", "awaiting_uploads", "submitted"),
        ("dev-staff", "read", None, None),
        ("dev-staff", "status_changed", "submitted", "in_review"),
        ("dev-staff", "read", None, None),
    ]
    assert history[3]["note"] == "Reviewing the MRI"
    assert history == sorted(history, key=lambda event: event["at"])
