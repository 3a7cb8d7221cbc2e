"""Shared fixtures. Rendering is the slow part, so each example plan is
rendered once per test session and the render tests read the files.

Helpers here open generated files the way a person's software would:
every XML part of a .docx, the text and metadata of a PDF, the HTML source.
"""

from __future__ import annotations

import re
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXAMPLE_PLANS = ("sunderland-full", "swansea-full", "minimal")
ALL_FORMATS = ("docx", "pdf", "html")


def render_into(out_dir: Path, plan: Path, **options):
    """Render ``plan`` in every format; one copy per audience (English, standard print)
    unless the options ask for other languages or forms. (With no options at all,
    ``render_plan`` writes every form the plan's communication needs record:
    tests/test_render_needs.py proves that.)"""
    from birthplan.render import render_plan

    options.setdefault("formats", ALL_FORMATS)
    options.setdefault("language", "en")
    if not any(options.get(form) for form in ("standard_print", "large_print", "easy_read")):
        options["standard_print"] = True
    return render_plan(plan, out_dir=out_dir, **options)


def files_by(result, audience: str | None = None, suffix: str | None = None) -> list[Path]:
    """The files of a render for one audience (file names say it) and/or one format."""
    chosen = []
    for path in result.files:
        if audience and f"_{audience.replace('_', '-')}_" not in path.name:
            continue
        if suffix and path.suffix != suffix:
            continue
        chosen.append(path)
    return chosen


def one_file(result, audience: str, suffix: str) -> Path:
    found = files_by(result, audience, suffix)
    assert len(found) == 1, [p.name for p in result.files]
    return found[0]


# -- reading the files back ------------------------------------------------------


def docx_parts(path: Path) -> dict[str, str]:
    """Every XML part of a .docx (document, headers, footers, styles, docProps...)."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()
                if name.endswith(".xml") or name.endswith(".rels")}


def docx_text(path: Path) -> str:
    """The words of the body, headers and footers, a paragraph per line."""
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    lines = []
    for name, xml in docx_parts(path).items():
        if not re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name):
            continue
        root = etree.fromstring(xml.encode("utf-8"))
        for paragraph in root.iter(f"{w}p"):
            lines.append("".join(node.text or "" for node in paragraph.iter(f"{w}t")))
    return "\n".join(lines)


def pdf_text(path: Path, page: int | None = None) -> str:
    """The PDF's text in drawing order (-raw), which is reading order for WeasyPrint;
    the default order mixes the delivery-suite sheet's two columns."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", *pages, str(path), "-"], check=True,
                          capture_output=True).stdout.decode("utf-8")


def pdf_metadata_text(path: Path) -> str:
    """The document information dictionary and the XMP metadata, as text."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        info = " ".join(str(value) for value in pdf.docinfo.values())
        xmp = ""
        if "/Metadata" in pdf.Root:
            xmp = pdf.Root.Metadata.read_bytes().decode("utf-8", "replace")
        return info + "\n" + xmp


def without_paths(view: dict, paths: list[tuple]) -> dict:
    """A copy of ``view`` without the values at ``paths`` (list positions kept)."""
    import copy

    out = copy.deepcopy(view)
    for path in paths:
        parent = out
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = None
    return out


def squash(text: str) -> str:
    """Text with all white space removed: line breaks in a PDF do not hide a value."""
    return re.sub(r"\s+", "", text)


def plain_values(view, skip_keys=()) -> list[str]:
    """Free-text and name values of a view (dates and choices are shown in words)."""
    out = []

    def walk(value, key=""):
        if isinstance(value, dict):
            for k, v in value.items():
                if k not in skip_keys:
                    walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}|[a-z_]+|\d\d:\d\d", value):
            out.append(value)

    walk(view)
    return out


# -- one render of each example per session ---------------------------------------


@pytest.fixture(scope="session")
def example_renders(tmp_path_factory):
    """{example name: RenderResult} for every audience in every format."""
    results = {}
    for name in EXAMPLE_PLANS:
        out = tmp_path_factory.mktemp(f"render-{name}")
        results[name] = render_into(out, EXAMPLES / f"{name}.yaml")
    return results


@pytest.fixture(scope="session")
def welsh_renders(tmp_path_factory):
    """The Swansea example's copies in Welsh and in both languages."""
    results = {}
    for language in ("cy", "bilingual"):
        out = tmp_path_factory.mktemp(f"render-swansea-{language}")
        results[language] = render_into(out, EXAMPLES / "swansea-full.yaml", language=language)
    return results


@pytest.fixture(scope="session")
def large_print_render(tmp_path_factory):
    out = tmp_path_factory.mktemp("render-large-print")
    return render_into(out, EXAMPLES / "sunderland-full.yaml", audiences=("parent",), large_print=True)


@pytest.fixture(scope="session")
def bilingual_large_print_render(tmp_path_factory):
    """The Swansea parents' copy in large print, Welsh and English: the longest running lines."""
    out = tmp_path_factory.mktemp("render-bilingual-large-print")
    return render_into(out, EXAMPLES / "swansea-full.yaml", audiences=("parent",), large_print=True,
                       language="bilingual")


@pytest.fixture(scope="session")
def easy_read_renders(tmp_path_factory):
    """{language: render} of the Easy Read parents' copy in every format: the Sunderland
    example in English, the Swansea example in Welsh."""
    return {
        "en": render_into(tmp_path_factory.mktemp("render-easy-read-en"), EXAMPLES / "sunderland-full.yaml",
                          audiences=("parent",), easy_read=True),
        "cy": render_into(tmp_path_factory.mktemp("render-easy-read-cy"), EXAMPLES / "swansea-full.yaml",
                          audiences=("parent",), easy_read=True, language="cy"),
    }


@pytest.fixture(scope="session")
def soffice():
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        # .ci/setup installs LibreOffice, so in CI a missing office program is a set-up failure.
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing: .ci/setup should have installed it")
        pytest.skip("LibreOffice (soffice) is not installed: the office round-trip test needs it")
    return path


@pytest.fixture(scope="session")
def playwright_driver():
    """Playwright's driver, once per run (only one sync driver may run in a process)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the [test] extra installs it
        pytest.fail("playwright is not installed: run .ci/setup")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_driver):
    """Debian's headless Chromium through Playwright (see tests/browser.py)."""
    from tests.browser import launch

    chromium = launch(playwright_driver)
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def fresh_browser(playwright_driver):
    """A Chromium of the module's own, for a long interactive session: in full runs the
    shared browser, after every document page had been checked, twice left the workspace's
    keyboard session waiting on the browser for ever (each copy passed on its own)."""
    from tests.browser import launch

    chromium = launch(playwright_driver)
    yield chromium
    chromium.close()


# -- the date ----------------------------------------------------------------------------
# The fictional plans are set in 2027, and the history refuses a review or a copy dated in
# the future (birthplan.history.rules). Every test runs on this day unless it says otherwise;
# a subprocess test gets it through tests/history_crash_helper.py.
TODAY = "2027-04-15"


@pytest.fixture(scope="session", autouse=True)
def _fixed_today():
    import datetime as dt

    from birthplan.history import rules

    with pytest.MonkeyPatch.context() as patch:  # session-wide: module fixtures record reviews too
        patch.setattr(rules, "today", lambda: dt.date.fromisoformat(TODAY))
        yield


def meeting_on(text: str, day: str) -> str:
    """A plan's text with its meeting (plan > meeting > date) on ``day`` (ISO) and its next
    review four weeks later: what a social worker does before recording a review."""
    import datetime as dt

    next_review = (dt.date.fromisoformat(day) + dt.timedelta(days=28)).isoformat()
    text, found = re.subn(r"(\n  meeting:\n    date: )\S+", rf"\g<1>{day}", text, count=1)
    assert found, "the plan's meeting date is not written as a block"
    return re.sub(r"(\n  next_review_date: )\S+", rf"\g<1>{next_review}", text, count=1)
