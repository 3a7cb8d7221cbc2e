"""A real office program opens the Word copies: headless LibreOffice
converts them to PDF, and the words come through."""

from __future__ import annotations

import subprocess

from pypdf import PdfReader

from .conftest import one_file, pdf_text


def test_libreoffice_opens_the_generated_word_files(example_renders, soffice, tmp_path):
    sources = [one_file(example_renders["sunderland-full"], "parent", ".docx"),
               one_file(example_renders["swansea-full"], "delivery_suite", ".docx")]
    profile = (tmp_path / "profile").as_uri()  # its own profile: no clash with a running office
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, sources)],
        capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    parent = tmp_path / sources[0].with_suffix(".pdf").name
    ward = tmp_path / sources[1].with_suffix(".pdf").name
    assert len(PdfReader(parent).pages) >= 3
    text = " ".join(pdf_text(parent).split())
    for words in ("My birth plan", "What I want for the birth", "I want Daniel and my mum with me.",
                  "Page 1 of", "DRAFT: not yet agreed at a review"):
        assert words in text
    assert "{{" not in text and "{%" not in text
    ward_text = " ".join(pdf_text(ward).split())
    assert "ALERT: Must not visit" in ward_text and "Jac Tomos" in ward_text
