"""Playwright driving Debian's Chromium, headless, against the local stack that `make run` starts."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.resources import files
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, ViewportSize, sync_playwright

from local.stage import ROOT
from tests.stack import LocalStack

CHROMIUM = "/usr/bin/chromium"  # Debian's package (the Makefile installs it): nothing is downloaded
ARTIFACTS = ROOT / "test-artifacts"
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 360, "height": 740}
# axe-core, as the axe-playwright-python package bundles it.
AXE = (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        yield chromium
        chromium.close()


@pytest.fixture
def viewport() -> ViewportSize:
    return DESKTOP


@pytest.fixture
def page(browser: Browser, local_stack: LocalStack, viewport: ViewportSize) -> Iterator[Page]:
    """The form, freshly opened. Its clock is Playwright's, so a test can let the minimum fill time pass."""
    context = browser.new_context(viewport=viewport)
    form = context.new_page()
    problems: list[str] = []
    form.on("pageerror", lambda error: problems.append(f"script error: {error}"))

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            problems.append(f"blocked by the page's CSP: {message.text}")

    form.on("console", on_console)
    form.clock.install()
    form.goto(f"{local_stack.api}/")
    yield form
    context.close()
    assert not problems


def serious_accessibility_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now."""
    page.evaluate(AXE)
    results: dict[str, Any] = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {"rule": violation["id"], "help": violation["help"], "nodes": [node["target"] for node in violation["nodes"]]}
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
