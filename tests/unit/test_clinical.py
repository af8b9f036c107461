"""The clinical summary computed at intake."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.domain.clinical import OswestryBand, RedFlag, oswestry_band, oswestry_percent, summarize
from tests.paths import changed
from tests.unit.test_referral import validate


def test_summary_of_the_example(example: dict[str, Any]) -> None:
    summary = summarize(validate(example))
    assert summary.oswestry_percent == 53.3  # 24 points over 9 answered sections: 24 / 45
    assert summary.oswestry_band is OswestryBand.severe
    assert summary.urgent is False
    assert summary.red_flags == []
    assert summary.opioid_use is True
    assert (summary.phq2_score, summary.phq2_positive) == (3, True)
    assert summary.bmi == 32.3  # 88 kg, 1.65 m
    assert summary.studies_provided == ["mri", "xray"]
    assert summary.studies_missing == ["ct", "emg_ncs", "bone_scan", "bone_density", "blood_test"]


@pytest.mark.parametrize(
    ("items", "percent"),
    [
        ([0] * 10, 0.0),
        ([5] * 10, 100.0),
        ([1, 2, 3, 4, 5, 0, 1, 2, 3, 4], 50.0),
        ([None] * 9 + [4], 80.0),
        ([None] * 10, None),
    ],
)
def test_oswestry_percent_counts_answered_sections_only(items: list[int | None], percent: float | None) -> None:
    assert oswestry_percent(items) == percent


@pytest.mark.parametrize(
    ("percent", "band"),
    [
        (0, OswestryBand.minimal),
        (20, OswestryBand.minimal),
        (20.1, OswestryBand.moderate),
        (40, OswestryBand.moderate),
        (41, OswestryBand.severe),
        (60, OswestryBand.severe),
        (61, OswestryBand.crippling),
        (80, OswestryBand.crippling),
        (81, OswestryBand.bed_bound),
        (100, OswestryBand.bed_bound),
    ],
)
def test_oswestry_bands(percent: float, band: OswestryBand) -> None:
    assert oswestry_band(percent) is band


@pytest.mark.parametrize(
    ("path", "value", "flag"),
    [
        ("symptoms.bladder_or_bowel_changes", True, RedFlag.bladder_or_bowel_changes),
        ("symptoms.saddle_numbness", True, RedFlag.saddle_numbness),
        ("symptoms.progressive_weakness", True, RedFlag.progressive_weakness),
        ("symptoms.fever_or_chills", True, RedFlag.fever_or_chills),
        ("symptoms.sciatica", "both", RedFlag.sciatica_both_sides),
    ],
)
def test_each_red_flag_makes_the_referral_urgent(example: dict[str, Any], path: str, value: Any, flag: RedFlag) -> None:
    summary = summarize(validate(changed(example, path, value)))
    assert summary.urgent is True
    assert summary.red_flags == [flag]


def test_opioids_are_recognized_by_name_even_when_not_ticked(example: dict[str, Any]) -> None:
    changed(example, "medications", [{"name": "Tramadol ER", "opioid": False}, {"name": "ibuprofen"}])
    assert summarize(validate(example)).opioid_use is True
    changed(example, "medications", [{"name": "gabapentin"}, {"name": "ibuprofen", "opioid": False}])
    assert summarize(validate(example)).opioid_use is False


def test_missing_parts_give_empty_figures(example: dict[str, Any]) -> None:
    for part in ("function", "psychological", "medical_history", "documents"):
        del example[part]
    summary = summarize(validate(example))
    assert (summary.oswestry_percent, summary.oswestry_band, summary.phq2_score, summary.bmi) == (None,) * 4
    assert summary.phq2_positive is False
    assert summary.studies_provided == []
    assert len(summary.studies_missing) == 7


def test_phq2_below_three_is_not_flagged(example: dict[str, Any]) -> None:
    assert summarize(validate(changed(example, "psychological.phq2", [1, 1]))).phq2_positive is False
