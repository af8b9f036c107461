"""Shared fixtures: the public contract's example request, copied from shared/contract."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

pytest_plugins = ["tests.stack"]

EXAMPLE = json.loads((Path(__file__).parent / "fixtures" / "referral.example.json").read_text())


@pytest.fixture
def example() -> dict[str, Any]:
    """A complete, valid referral (a fresh copy each time: tests change it)."""
    return copy.deepcopy(EXAMPLE)
