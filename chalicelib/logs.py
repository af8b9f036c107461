"""Structured JSON logs that carry ids and outcomes only, never patient data.

The standard library is enough here: Powertools' Logger costs ~60 ms of import at cold start.
"""

from __future__ import annotations

import json
import logging
import sys

_logger = logging.getLogger("referrals")


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"level": record.levelname, "event": record.getMessage(), **getattr(record, "ids", {})}
        if record.exc_info and record.exc_info[0] is not None:
            # The exception type only: messages of validation or AWS errors can echo user input.
            entry["error"] = record.exc_info[0].__name__
        return json.dumps(entry, default=str)


def _configure() -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(_JsonFormatter())
    _logger.addHandler(handler)
    _logger.setLevel(logging.INFO)
    _logger.propagate = False


_configure()


def info(event: str, **ids: object) -> None:
    """Log an event with identifiers and outcomes, e.g. info("referral.created", referral_id=...)."""
    _logger.info(event, extra={"ids": ids})


def error(event: str, **ids: object) -> None:
    """Log a failure with the exception's type (not its message, which may echo user input)."""
    _logger.error(event, extra={"ids": ids}, exc_info=True)
