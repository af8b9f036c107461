"""The team's queue: paginated from an index, filtered, and never a scan."""

from __future__ import annotations

import json
from typing import Any

import pytest
from chalice.test import Client

from tests.integration.conftest import STAFF, AwsCalls, post, request
from tests.paths import changed


def submitted_referrals(
    client: Client, example: dict[str, Any], count: int, urgent: frozenset[int] = frozenset()
) -> list[str]:
    del example["documents"]  # submitted at once
    ids = []
    for n in range(count):
        body = changed(json.loads(json.dumps(example)), "symptoms.fever_or_chills", n in urgent)
        ids.append(post(client, "/referrals", body).body["referral_id"])
    return ids


def listing(client: Client, query: str = "") -> Any:
    return request(client, "GET", f"/staff/referrals{query}", headers=STAFF)


def test_the_queue_pages_newest_first(client: Client, example: dict[str, Any]) -> None:
    ids = submitted_referrals(client, example, 5)
    seen, cursor, pages = [], "", 0
    while True:
        page = listing(client, f"?status=submitted&limit=2{cursor}")
        assert page.status == 200
        seen += [referral["referral_id"] for referral in page.body["referrals"]]
        pages += 1
        if not page.body["next_cursor"]:
            break
        cursor = f"&cursor={page.body['next_cursor']}"
    assert seen == list(reversed(ids))
    assert pages == 3


def test_without_a_status_every_submitted_referral_is_listed(client: Client, example: dict[str, Any]) -> None:
    ids = submitted_referrals(client, example, 3)
    assert request(client, "PATCH", f"/staff/referrals/{ids[0]}", b'{"status": "in_review"}', STAFF).status == 200
    everything = listing(client).body["referrals"]
    assert [(r["referral_id"], r["status"]) for r in everything] == [
        (ids[2], "submitted"), (ids[1], "submitted"), (ids[0], "in_review"),
    ]  # fmt: skip
    assert [r["referral_id"] for r in listing(client, "?status=in_review").body["referrals"]] == [ids[0]]


def test_the_urgent_filter_still_fills_pages(client: Client, example: dict[str, Any]) -> None:
    ids = submitted_referrals(client, example, 6, urgent=frozenset({0, 2, 4}))
    first = listing(client, "?urgent=true&limit=2")
    assert [r["referral_id"] for r in first.body["referrals"]] == [ids[4], ids[2]]
    rest = listing(client, f"?urgent=true&limit=2&cursor={first.body['next_cursor']}")
    assert [r["referral_id"] for r in rest.body["referrals"]] == [ids[0]]
    assert all(r["urgent"] for r in first.body["referrals"] + rest.body["referrals"])
    assert "patient" not in json.dumps(first.body)  # the queue shows no one's name


def test_listing_queries_an_index_and_never_scans(client: Client, aws_calls: AwsCalls, example: dict[str, Any]) -> None:
    submitted_referrals(client, example, 3, urgent=frozenset({1}))
    aws_calls.counts.clear()
    for query in ("", "?status=submitted", "?urgent=true&limit=1", "?urgent=false"):
        assert listing(client, query).status == 200
    assert set(aws_calls.of("dynamodb")) == {"dynamodb.Query"}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?status=lost", "status"),
        ("?urgent=maybe", "urgent"),
        ("?limit=0", "limit"),
        ("?limit=500", "limit"),
        ("?cursor=not-a-cursor", "cursor"),
        ("?sort=name", "sort"),
    ],
)
def test_bad_queue_filters_are_named(client: Client, query: str, field: str) -> None:
    answer = listing(client, query)
    assert (answer.status, answer.error_fields) == (422, [field])


def test_a_cursor_of_another_filter_is_refused(client: Client, example: dict[str, Any]) -> None:
    submitted_referrals(client, example, 3)
    cursor = listing(client, "?limit=1").body["next_cursor"]
    answer = listing(client, f"?status=submitted&cursor={cursor}")
    assert (answer.status, answer.error_fields) == (422, ["cursor"])


# Without credentials API Gateway and chalice local answer 401; a custom authorizer's "no" is a 403.
@pytest.mark.parametrize(("headers", "status"), [({}, 401), ({"Authorization": "Bearer wrong"}, 403)])
def test_the_queue_needs_staff_credentials(client: Client, headers: dict[str, str], status: int) -> None:
    assert request(client, "GET", "/staff/referrals", headers=headers).status == status
