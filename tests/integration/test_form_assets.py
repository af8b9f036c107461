"""The form's page and files, as the app serves them: allow-listed, typed, and under a strict CSP."""

from __future__ import annotations

import pytest
from chalice.test import Client


def test_the_page_carries_its_policy_and_the_stages_file_limit(client: Client) -> None:
    page = client.http.get("/")
    assert page.status_code == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self'" in policy
    assert "form-action 'none'" in policy
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    text = page.body.decode()
    assert 'data-max-upload-mib="500"' in text
    assert 'src="assets/form.js"' in text
    assert 'href="assets/form.css"' in text
    assert "://" not in text  # nothing is loaded from elsewhere


@pytest.mark.parametrize(
    ("name", "content_type"), [("form.js", "text/javascript; charset=utf-8"), ("form.css", "text/css; charset=utf-8")]
)
def test_the_pages_files_are_served_with_their_types(client: Client, name: str, content_type: str) -> None:
    answer = client.http.get(f"/assets/{name}")
    assert (answer.status_code, answer.headers["Content-Type"]) == (200, content_type)
    assert len(answer.body) > 1000


@pytest.mark.parametrize("name", ["form.html", "__init__.py", "app.py", "..%2F..%2Fapp.py"])
def test_nothing_else_is_served(client: Client, name: str) -> None:
    answer = client.http.get(f"/assets/{name}")
    assert answer.status_code == 404
    assert answer.json_body["errors"][0]["field"] == "name"
