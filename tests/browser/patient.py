"""A patient filling in the form, finding each answer by its label or question as a person would."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Locator, Page

# The API turns away a form sent sooner than this after it was opened (chalicelib/http.py).
MIN_FILL = "00:04"

SADDLE_NUMBNESS = "Numbness between your legs or around your bottom (where you would sit on a saddle)?"
RED_FLAGS = (
    "New trouble controlling your bladder or bowels, or not being able to pass urine?",
    SADDLE_NUMBNESS,
    "Weakness in your legs that is getting worse, day by day?",
    "Fever or chills together with your back pain?",
)


def question(page: Page | Locator, legend: str) -> Locator:
    return page.get_by_role("group", name=legend, exact=True)


def answer(page: Page | Locator, legend: str, choice: str) -> None:
    question(page, legend).get_by_label(choice, exact=True).check()


def about_me(page: Page, phone: str = "+1 813 555 0147") -> None:
    page.get_by_label("First name").fill("Maria")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Date of birth").fill("1968-04-12")
    page.get_by_label("Email address").fill("maria.okafor@example.com")
    page.get_by_label("Phone number").fill(phone)


def first_surgery(page: Page) -> None:
    surgery = question(page, "Surgery 1")
    surgery.get_by_label("Type of surgery").select_option("microdiscectomy")
    surgery.get_by_label("Levels operated on").fill("L4-5")  # as operation reports often write it
    surgery.get_by_label("Month and year of surgery").fill("2019-06")


def pain(page: Page, back: int, leg: int) -> None:
    page.get_by_label("How bad is your back pain").fill(str(back))
    page.get_by_label("How bad is the pain in your legs").fill(str(leg))


def consent(page: Page) -> None:
    page.get_by_label("I have read the privacy notice").check()


def the_required_answers(page: Page) -> None:
    about_me(page)
    first_surgery(page)
    pain(page, back=6, leg=4)
    consent(page)


def add_document(page: Page, number: int, path: Path, kind: str, study_date: str) -> None:
    page.get_by_role("button", name="Add a scan or report").click()
    document = question(page, f"File {number}")
    document.get_by_label("Choose the file").set_input_files(path)
    document.get_by_label("What is it?").select_option(kind)
    document.get_by_label("Date of the scan or test").fill(study_date)


def like_the_contract_example(page: Page, pdf: Path, dicom: Path) -> None:
    """Every section, with the answers of tests/fixtures/referral.example.json."""
    about_me(page)
    page.get_by_label("Sex", exact=True).select_option(label="Female")
    answer(page, "How should we contact you?", "Phone call")
    page.get_by_label("Street address").fill("4100 W Kennedy Blvd")
    page.get_by_label("City", exact=True).fill("Tampa")
    page.get_by_label("State", exact=True).fill("FL")
    page.get_by_label("ZIP or postal code").fill("33609")
    page.get_by_label("Doctor's name").fill("Dr. Alan Reyes")
    page.get_by_label("Doctor's NPI number").fill("1234567893")
    page.get_by_label("Doctor's phone").fill("+1 813 555 0190")
    page.get_by_label("Insurance company").fill("Aetna")
    page.get_by_label("Member ID").fill("W123456789")

    first_surgery(page)
    first = question(page, "Surgery 1")
    answer(first, "Were screws, rods, cages or other implants put in?", "No")
    first.get_by_label("Surgeon").fill("Dr. P. Lindqvist")
    first.get_by_label("Hospital or clinic").fill("St. Joseph's Hospital")
    answer(first, "How did you feel after this surgery?", "Better at first, then the pain came back")
    page.get_by_role("button", name="Add another surgery").click()
    second = question(page, "Surgery 2")
    second.get_by_label("Type of surgery").select_option("fusion")
    second.get_by_label("Approach").fill("TLIF")
    second.get_by_label("Levels operated on").fill("l4-l5, L5/S1")
    second.get_by_label("Month and year of surgery").fill("2021-09")
    answer(second, "Were screws, rods, cages or other implants put in?", "Yes")
    answer(second, "How did you feel after this surgery?", "Worse")
    second.get_by_label("Any complications").fill("Wound infection treated with antibiotics")

    pain(page, back=7, leg=8)
    answer(page, "Does pain shoot down one or both legs (sciatica)?", "Yes, the left leg")
    answer(page, "Do you have numbness or tingling?", "Yes")
    page.get_by_label("Where do you feel numb or tingly?").fill("left calf, left foot")
    answer(page, "Do you have weakness in a leg or foot?", "Yes")
    answer(page, "How has your pain changed since the surgery?", "It is a new pain since the surgery")
    for red_flag in RED_FLAGS:
        answer(page, red_flag, "No")

    sections = [
        "1. Pain intensity",
        "2. Personal care (washing, dressing, etc.)",
        "3. Lifting",
        "4. Walking",
        "5. Sitting",
        "6. Standing",
        "7. Sleeping",
        "8. Sex life (if applicable)",
        "9. Social life",
        "10. Travelling",
    ]
    for section, score in zip(sections, [3, 2, 3, 4, 2, 3, 2, None, 3, 2], strict=True):
        if score is not None:  # the patient skips the question on sex life
            question(page, section).get_by_role("radio").nth(score).check()

    answer(page, "Little interest or pleasure in doing things", "More than half the days")
    answer(page, "Feeling down, depressed, or hopeless", "Several days")
    answer(page, "Does pain often wake you up or keep you from falling asleep?", "Yes")

    for number, (name, dose, frequency, opioid) in enumerate(
        [("oxycodone", "10 mg", "every 6 hours", True), ("gabapentin", "300 mg", "three times daily", False)], 1
    ):
        page.get_by_role("button", name="Add a medicine").click()
        medicine = question(page, f"Medicine {number}")
        medicine.get_by_label("Name").fill(name)
        medicine.get_by_label("Dose").fill(dose)
        medicine.get_by_label("How often").fill(frequency)
        medicine.get_by_label("This is an opioid").set_checked(opioid)

    page.get_by_label("Other health conditions").fill("type 2 diabetes\nhypertension")
    answer(page, "Do you smoke or vape nicotine?", "No")
    page.get_by_label("Height in centimetres").fill("165")
    page.get_by_label("Weight in kilograms").fill("88")
    page.get_by_label("What would you most like to be able to do again?").fill(
        "Walk my dog around the block again and get back to part-time work without daily painkillers."
    )

    add_document(page, 1, pdf, "mri", "2024-02-10")
    add_document(page, 2, dicom, "xray", "2024-01-22")

    consent(page)
    page.get_by_label("You may contact me").check()
    page.get_by_label("Type your full name as your signature").fill("Maria Okafor")


def send(page: Page) -> None:
    page.clock.fast_forward(MIN_FILL)
    page.get_by_role("button", name="Send my referral").click()
