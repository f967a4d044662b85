"""/api/docs: Swagger UI (from npm, served by Hosting) renders GET /api/openapi.json in Chromium
under the site's Content-Security-Policy, with no violation and no inline script or style."""

from __future__ import annotations

from typing import Any

import pytest

from sessionbase.handlers.operations import OPERATIONS


def test_the_api_docs_render_every_operation_under_the_csp(chromium: Any) -> None:
    import os

    if not os.environ.get("FIRESTORE_EMULATOR_HOST"):
        pytest.skip("needs the emulator suite: run scripts/test.sh")
    from devtools.emulators import HOSTING

    context = chromium.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    reply = page.goto(f"{HOSTING}/api/docs")
    assert reply is not None
    assert reply.status == 200
    assert "script-src 'self';" in reply.headers["content-security-policy"]
    page.wait_for_selector(".opblock-summary", timeout=30_000)
    shown = page.locator(".opblock").count()
    assert shown == len(OPERATIONS) + 2  # and GET /api/health, GET /api/openapi.json
    assert "Sessionbase API" in page.locator(".info .title").inner_text()
    page.screenshot(path="test-results/api-docs.png")
    context.close()
    assert problems == []  # a CSP violation is reported as a console error
