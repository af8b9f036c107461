"""The patient's form in a real browser against the local stack: fill, upload, submit, and what goes wrong."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Request, Route, ViewportSize, expect

from chalicelib.config import Settings
from chalicelib.domain.referral import IntakeRules, Referral
from tests import files
from tests.browser import patient
from tests.browser.conftest import DESKTOP, PHONE, screenshot, serious_accessibility_violations
from tests.stack import LocalStack

REFERENCE = re.compile(r"^[a-z2-7]{24}$")


def _stored(local_stack: LocalStack, stage: dict[str, str], referral_id: str) -> dict[str, Any]:
    table = local_stack.table(stage["TABLE_NAME"])
    return dict(table.get_item(Key={"PK": f"REFERRAL#{referral_id}", "SK": "META"})["Item"])


def _reference(page: Page) -> str:
    reference = page.locator("#reference-number")
    expect(reference).to_have_text(REFERENCE, timeout=30_000)
    return reference.inner_text()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_patient_fills_the_whole_form_and_sends_a_pdf_and_a_dicom_file(
    page: Page,
    viewport: ViewportSize,
    local_stack: LocalStack,
    stage: dict[str, str],
    example: dict[str, Any],
    tmp_path: Path,
) -> None:
    size = "phone" if viewport == PHONE else "desktop"
    contents = {"lumbar-mri-report.pdf": files.pdf(182044), "flexion-extension.dcm": files.dicom(5242880)}
    for name, data in contents.items():
        (tmp_path / name).write_bytes(data)

    patient.like_the_contract_example(page, tmp_path / "lumbar-mri-report.pdf", tmp_path / "flexion-extension.dcm")
    # Nothing sticks out sideways: the whole form fits the screen's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    screenshot(page, f"form-filled-{size}")
    patient.send(page)

    referral_id = _reference(page)
    expect(page.get_by_role("heading", name="Thank you. We have your referral.")).to_be_focused()
    expect(page.locator("#confirmation-guidance")).to_be_hidden()  # no red flags: not urgent
    screenshot(page, f"confirmation-{size}")
    assert serious_accessibility_violations(page) == []

    stored = _stored(local_stack, stage, referral_id)
    assert stored["status"] == "submitted"
    assert [document["status"] for document in stored["documents"]] == ["received", "received"]
    # What the form sent is the contract's example request, field for field, as the API keeps it.
    rules = IntakeRules(dt.datetime.now(dt.UTC).date(), Settings.from_env(stage).max_upload_bytes)
    expected = Referral.model_validate_json(json.dumps(example), context=rules).model_dump_json()
    assert json.loads(stored["request"]) == json.loads(expected)
    s3 = local_stack.s3()
    for index, data in enumerate(contents.values()):
        assert s3.get_object(Bucket=stage["BUCKET_NAME"], Key=f"referrals/{referral_id}/{index}")["Body"].read() == data


def test_the_empty_form_and_its_errors_pass_the_accessibility_check(page: Page) -> None:
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Send my referral").click()
    expect(page.get_by_label("First name")).to_be_focused()
    patient.answer(page, patient.SADDLE_NUMBNESS, "Yes")
    assert serious_accessibility_violations(page) == []


def test_client_checks_mirror_the_api_and_send_nothing(page: Page, tmp_path: Path) -> None:
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url) if request.method == "POST" else None)
    page.get_by_role("button", name="Send my referral").click()
    first_name = page.get_by_label("First name")
    expect(first_name).to_be_focused()
    expect(first_name).to_have_attribute("aria-invalid", "true")
    expect(first_name).to_have_accessible_description(re.compile("Please fill this in"))
    expect(page.get_by_label("How bad is your back pain")).to_have_accessible_description(
        re.compile("Please move the slider")
    )
    expect(page.get_by_label("I have read the privacy notice")).to_have_accessible_description(
        re.compile("Please tick this box")
    )

    patient.the_required_answers(page)
    page.get_by_label("Date of birth").fill("2015-03-01")  # a child
    surgery = patient.question(page, "Surgery 1")
    surgery.get_by_label("Levels operated on").fill("L4-L6")
    surgery.get_by_label("Month and year of surgery").fill(f"{dt.date.today().year + 1}-01")
    (tmp_path / "notes.txt").write_text("not a scan")
    patient.add_document(page, 1, tmp_path / "notes.txt", "other", "2024-01-01")
    patient.send(page)

    date_of_birth = page.get_by_label("Date of birth")
    expect(date_of_birth).to_be_focused()
    expect(date_of_birth).to_have_accessible_description(re.compile("age must be 18 to 120"))
    expect(surgery.get_by_label("Levels operated on")).to_have_accessible_description(
        re.compile("'L4-L6' is not a spinal segment")
    )
    expect(surgery.get_by_label("Month and year of surgery")).to_have_accessible_description(
        re.compile("in the future")
    )
    expect(page.get_by_label("Choose the file")).to_have_accessible_description(re.compile("can't be sent"))
    expect(page.get_by_role("alert").filter(has_text="Please check the 4 answers marked below.")).to_be_visible()
    assert sent == []


def test_the_servers_refusals_appear_next_to_their_fields(page: Page) -> None:
    patient.the_required_answers(page)
    page.get_by_label("Phone number").fill("+1 123 456 7890")  # no such area code: only the API knows
    page.get_by_label("Doctor's name").fill("Dr. Alan Reyes")
    page.get_by_label("Doctor's NPI number").fill("1234567890")  # ten digits, but a wrong check digit

    # Sent at once, the form looks automated to the API: its answer is shown above the form.
    page.get_by_role("button", name="Send my referral").click()
    summary = page.locator("#form-errors")
    expect(summary).to_have_text(re.compile("this looks automated", re.IGNORECASE))
    expect(summary).to_be_focused()

    patient.send(page)
    phone = page.get_by_label("Phone number")
    expect(phone).to_have_accessible_description(re.compile("Phone number is not a valid phone number"))
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(phone).to_be_focused()
    npi = page.get_by_label("Doctor's NPI number")
    expect(npi).to_have_accessible_description(re.compile("check digit does not match"))
    expect(summary).to_have_text("Please check the 2 answers marked below.")
    screenshot(page, "server-errors-desktop")
    assert serious_accessibility_violations(page) == []

    phone.fill("+1 813 555 0147")
    npi.fill("1234567893")
    patient.send(page)
    assert REFERENCE.match(_reference(page))


def test_red_flag_answers_show_emergency_guidance_at_once(
    page: Page, local_stack: LocalStack, stage: dict[str, str]
) -> None:
    guidance = page.get_by_role("alert").filter(has_text="Please get medical help now")
    expect(guidance).to_be_hidden()
    saddle = patient.question(page, patient.SADDLE_NUMBNESS)
    saddle.get_by_label("Yes", exact=True).focus()
    page.keyboard.press("Space")
    expect(guidance).to_be_visible()
    expect(guidance).to_contain_text("Go to the nearest emergency department or call 911 now.")
    saddle.get_by_label("No", exact=True).check()
    expect(guidance).to_be_hidden()
    patient.answer(page, "Does pain shoot down one or both legs (sciatica)?", "Yes, both legs")
    expect(guidance).to_be_visible()

    # Sent anyway, the referral is urgent and the confirmation repeats the API's guidance.
    patient.the_required_answers(page)
    patient.send(page)
    referral_id = _reference(page)
    expect(page.locator("#confirmation-guidance")).to_contain_text("call 911 now")
    assert json.loads(_stored(local_stack, stage, referral_id)["summary"])["urgent"] is True


def test_a_failed_upload_is_retried(page: Page, local_stack: LocalStack, stage: dict[str, str], tmp_path: Path) -> None:
    failed: list[str] = []

    def drop_the_first_upload(route: Route, request: Request) -> None:
        if request.method == "POST" and not failed:
            failed.append(request.url)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(f"{local_stack.emulator}/**", drop_the_first_upload)
    data = files.pdf(300_000)
    (tmp_path / "ct-report.pdf").write_bytes(data)
    patient.the_required_answers(page)
    patient.add_document(page, 1, tmp_path / "ct-report.pdf", "ct", "2024-03-05")
    patient.send(page)

    retry = page.get_by_role("button", name="Try this file again")
    expect(retry).to_be_visible(timeout=30_000)
    expect(page.get_by_text("This file did not upload")).to_be_visible()
    assert len(failed) == 1
    screenshot(page, "upload-failed-desktop")
    retry.click()

    referral_id = _reference(page)
    stored = _stored(local_stack, stage, referral_id)
    assert (stored["status"], [d["status"] for d in stored["documents"]]) == ("submitted", ["received"])
    body = local_stack.s3().get_object(Bucket=stage["BUCKET_NAME"], Key=f"referrals/{referral_id}/0")["Body"].read()
    assert body == data


def test_the_keyboard_alone_works_the_sliders_and_the_lists(page: Page) -> None:
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the form")).to_be_focused()
    back_pain = page.get_by_label("How bad is your back pain")
    back_pain.focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator("output[for='symptoms.back_pain']")).to_have_text("6 out of 10")

    page.get_by_role("button", name="Add a medicine").focus()
    page.keyboard.press("Enter")
    expect(patient.question(page, "Medicine 1").get_by_label("Name")).to_be_focused()
    page.keyboard.type("tramadol")
    page.get_by_role("button", name="Remove medicine 1").focus()
    page.keyboard.press("Enter")
    expect(patient.question(page, "Medicine 1")).to_have_count(0)
    expect(page.get_by_role("button", name="Add a medicine")).to_be_focused()
