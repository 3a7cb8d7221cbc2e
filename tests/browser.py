"""A real browser for the tests: Debian's Chromium driven by Playwright, and axe-core.

Playwright's own browser download cannot be reached from these machines, so the
tests point Playwright at the system ``chromium`` (``.ci/setup`` installs it).
Under CI a missing browser fails the test instead of skipping it: the checks it
makes (WCAG 2.2 AA by axe-core, reflow at 320 CSS px) are part of the product.

Use the ``browser`` fixture from ``tests/conftest.py`` and these helpers::

    def test_page_is_accessible(browser, tmp_path):
        page = open_page(browser, path_or_url, width=320)
        assert axe_violations(page) == []
        assert horizontal_overflow(page) == 0
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

AXE_SCRIPT = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
CHROMIUM_NAMES = ("chromium", "chromium-browser")

# The rule sets the issues ask for: WCAG 2.0/2.1/2.2 A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]


def chromium_path() -> str:
    """The system Chromium, or a failure (CI) / skip (a developer without it)."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("Chromium is missing: .ci/setup should have installed Debian's chromium package")
    pytest.skip("Chromium is not installed (apt-get install chromium, or run .ci/setup)")


def launch(playwright):
    """A headless Chromium that reaches nothing outside this machine."""
    return playwright.chromium.launch(
        executable_path=chromium_path(),
        headless=True,
        # --no-sandbox: the tests run as root in CI, where Chromium's sandbox refuses to start.
        args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    )


def open_page(browser, target, width: int = 1280, height: int = 900, context_options=None):
    """A new page of ``width`` CSS pixels showing ``target`` (a file path or a URL)."""
    # bypass_csp: the copies forbid every script in their Content-Security-Policy; axe-core is
    # the harness's own tool, injected by Playwright, and must still run.
    options = {"bypass_csp": True, **(context_options or {})}
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    page = context.new_page()
    url = Path(target).resolve().as_uri() if isinstance(target, Path) or "://" not in str(target) else target
    page.goto(url)
    return page


def axe_violations(page, tags=AXE_TAGS) -> list[dict]:
    """axe-core's violations on the page as it is now: rule id, impact, help, the nodes' targets."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_SCRIPT.read_text(encoding="utf-8"))
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        list(tags),
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [", ".join(map(str, n["target"])) for n in v["nodes"]][:5]}
        for v in results["violations"]
    ]


def describe(violations: list[dict]) -> str:
    """axe's findings, readable in a failing assertion."""
    return json.dumps(violations, indent=1)


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page scrolls sideways (0 means it reflows: WCAG 1.4.10)."""
    return page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - document.documentElement.clientWidth"
    )
