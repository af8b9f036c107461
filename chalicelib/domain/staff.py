"""What the surgeon's team sends: a status move, and the filters of its referral queue."""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field

from chalicelib.domain.base import Model
from chalicelib.domain.model import Status
from chalicelib.domain.referral import Contract, OptionalLongText


class StatusMove(Contract):
    status: Status
    note: OptionalLongText = None
    # The version the team member was looking at; a move from an older one is refused (409), not merged.
    version: Annotated[int, Field(ge=1)] | None = None


class QueueFilter(Model):
    # Query strings are text: "true" and "25" are read as what they say (not strict).
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    status: Status | None = None
    urgent: bool | None = None
    limit: Annotated[int, Field(ge=1, le=100)] = 25
    cursor: Annotated[str, Field(max_length=2000)] | None = None
