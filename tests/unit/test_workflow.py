"""The team's review workflow: every move, allowed or not."""

from __future__ import annotations

import pytest

from chalicelib.domain.model import Status, allowed_moves

S = Status
ALLOWED = {
    (S.submitted, S.in_review),
    (S.in_review, S.needs_more_info),
    (S.in_review, S.consult_scheduled),
    (S.in_review, S.surgery_not_recommended),
    (S.needs_more_info, S.in_review),
    *((status, S.closed) for status in S if status is not S.closed),
}


@pytest.mark.parametrize(("origin", "target"), [(a, b) for a in S for b in S], ids=lambda s: s.value)
def test_every_move(origin: Status, target: Status) -> None:
    assert (target in allowed_moves(origin)) == ((origin, target) in ALLOWED)


def test_a_closed_referral_stays_closed() -> None:
    assert allowed_moves(S.closed) == []
