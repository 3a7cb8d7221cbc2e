"""The workspace's every-copy download, shared out between worker processes
(``birthplan.render.parts``), holds exactly the files one render of the plan
holds: the same names, the same words on the same pages. When a worker dies,
the download is rendered in the server's own process and still holds them."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from collections import Counter
from concurrent.futures.process import BrokenProcessPool

import pytest

from tests.conftest import EXAMPLES, docx_text, pdf_text


def _both_forms_plan(folder):
    """The Swansea example with the parents needing large print and Easy Read: Welsh,
    English or both, every form of the parents' copy at once."""
    text = (EXAMPLES / "swansea-full.yaml").read_text(encoding="utf-8")
    assert "formats: [large_print]" in text
    plan = folder / "both-forms.yaml"
    plan.write_text(text.replace("formats: [large_print]", "formats: [large_print, easy_read]"), encoding="utf-8")
    return plan


@pytest.mark.parametrize("example, language", [
    ("sunderland-full", "en"), ("minimal", "en"), ("both-forms", None), ("both-forms", "bilingual"),
    ("both-forms", "cy")])
def test_the_parts_of_a_render_write_each_of_its_files_once(tmp_path, example, language):
    from birthplan.render import planned_copies
    from birthplan.render.needs import Copy
    from birthplan.render.parts import render_parts

    plan = _both_forms_plan(tmp_path) if example == "both-forms" else EXAMPLES / f"{example}.yaml"
    formats = ("pdf", "docx", "html")
    whole = planned_copies(plan, language=language)
    written = Counter()
    for part in render_parts(plan, formats=formats, language=language):
        options = {key: value for key, value in part.items() if key != "formats"}
        copies = planned_copies(plan, **options)
        written.update((copy, fmt) for copy in copies for fmt in part["formats"])
        for sheet in (copy for copy in copies if copy.audience == "delivery_suite"):
            # the sheet prints the parents' copy's page numbers: laid out once, in the same part
            assert Copy("parent", sheet.language) in copies or Copy("parent", sheet.language) not in whole
    assert written == Counter((copy, fmt) for copy in whole for fmt in formats)
    if example == "both-forms" and language == "bilingual":  # Easy Read is one language at a time
        assert {Copy("parent", "cy", "easy_read"), Copy("parent", "en", "easy_read")} <= set(whole)


def _contents(zip_bytes: bytes, folder) -> list[tuple[str, str]]:
    """(file name, its words: the PDF's text page by page, the Word file's text), in ZIP order."""
    folder.mkdir()
    contents = []
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        for name in archive.namelist():
            path = folder / name
            path.write_bytes(archive.read(name))
            contents.append((name, pdf_text(path) if name.endswith(".pdf") else docx_text(path)))
    return contents


def test_the_download_from_the_workers_holds_the_files_of_one_render(tmp_path, monkeypatch):
    import datetime as dt

    from birthplan.history import rules
    from birthplan.workspace.documents import Renderer

    # The workers read the computer's date (a draft's Easy Read copy says whether its meeting has
    # passed), not the date this test session fixes: here too, for the same words.
    monkeypatch.setattr(rules, "today", dt.date.today)

    plan = tmp_path / "sunderland-full.yaml"  # the largest example: both parents' forms, a sheet pointing to them
    shutil.copy(EXAMPLES / plan.name, plan)
    renderer = Renderer(parallel=True)
    try:
        name, from_workers = renderer.every_copy(plan, "en")
        # A worker dies (out of memory, killed): the pool is broken, and the next download
        # is rendered here, by one render_plan call.
        with pytest.raises(BrokenProcessPool):
            renderer._pool.submit(os._exit, 1).result()
        same_name, rendered_here = renderer.every_copy(plan, "en")
        assert renderer._pool is None  # it did fall back (a later download starts new workers)
    finally:
        renderer.stop()
    assert name == same_name == "TFC-2027-0193_copies_en.zip"
    workers, here = _contents(from_workers, tmp_path / "workers"), _contents(rendered_here, tmp_path / "here")
    assert [file for file, _ in workers] == [file for file, _ in here] == sorted(
        f"TFC-2027-0193_{copy}_draft{form}.{fmt}" for copy, form in (
            ("professional", ""), ("delivery-suite", ""), ("parent", ""), ("parent", "_easy-read"))
        for fmt in ("pdf", "docx"))
    for (file, words), (_, same_words) in zip(workers, here):
        assert words == same_words, file
    sheet = dict(workers)["TFC-2027-0193_delivery-suite_draft.pdf"]
    assert "parents' copy, page" in sheet  # the page numbers came from the parents' copy's layout
