"""Any valid plan renders, for every audience and format, and passes the same
content checks as the examples: tagged PDF with its language and page stamps,
Word headings and header rows, and the same facts in Word and PDF."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pikepdf
import yaml
from docx import Document
from hypothesis import HealthCheck, given, settings

from birthplan.audience import AUDIENCES, view_for
from birthplan.render import render_plan
from birthplan.render.sheet import left_to_other_copies

from .conftest import docx_text, one_file, pdf_text, plain_values, squash, without_paths
from .strategies import valid_plans

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RIGHT_TO_LEFT = re.compile(r"[\u0590-\u08ff]")  # text extraction may reorder these letters


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          derandomize=True)  # the same plans every run: a CI failure can be reproduced
@given(valid_plans())
def test_any_valid_plan_renders_everywhere_with_the_same_facts(plan):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.yaml"
        path.write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), encoding="utf-8")
        result = render_plan(path, formats=("docx", "pdf", "html"), language="en", standard_print=True,
                             out_dir=Path(tmp) / "out")
        assert len(result.files) == 9
        for audience in AUDIENCES:
            pdf_path = one_file(result, audience, ".pdf")
            docx_path = one_file(result, audience, ".docx")
            with pikepdf.open(pdf_path) as pdf:
                assert "/StructTreeRoot" in pdf.Root and str(pdf.Root.Lang) == "en-GB"
                pages = len(pdf.pages)
            first_page = " ".join(pdf_text(pdf_path, page=1).split())
            assert f"Page 1 of {pages}" in first_page
            if audience == "delivery_suite":  # an ordinary plan's sheet is one page (issue 11)
                assert pages == 1, first_page
            document = Document(docx_path)
            assert "Heading 1" in {p.style.name for p in document.paragraphs}
            assert all(t.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None for t in document.tables)
            html = one_file(result, audience, ".html").read_text(encoding="utf-8")
            assert '<html lang="en-GB"' in html

            view = view_for(plan, audience)
            if audience == "delivery_suite":  # one page: some details are left to the other copies
                view = without_paths(view, left_to_other_copies(view))
            values = [v for v in plain_values(view, skip_keys=() if audience == "professional" else ("id",))
                      if not _RIGHT_TO_LEFT.search(v)]
            in_docx = squash(docx_text(docx_path))
            in_pdf = squash(pdf_text(pdf_path))
            missing_from_pdf = [v for v in values if squash(v) not in in_pdf]
            missing_from_docx = [v for v in values if squash(v) not in in_docx]
            assert not missing_from_pdf, (audience, missing_from_pdf)
            assert not missing_from_docx, (audience, missing_from_docx)
