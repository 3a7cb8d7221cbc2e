"""The Easy Read Word template (word/easy_read.docx), built from a pack's pack.yaml.

Used by build_easy_read.py. Same page, header (logo, authority, security
marking, DRAFT) and footer (version stamp, Page X of Y) as the other Word
templates (build_word_templates.py), with Easy Read sizes: 18 pt text, nothing
below 16 pt. Each topic is a heading and a borderless two-column table: the
picture left, the words right, one point a row.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from build_word_templates import (_cell_margins, _core_properties, _footer, _full_width, _header, _page,
                                  _para, _styles)

# Sizes in points: body, title, heading 1, heading 2, small print (Easy Read: at least 16 everywhere)
BODY, TITLE, HEADING_1, HEADING_2, SMALL = 18, 28, 24, 20, 16
PICTURE_MM, WORDS_MM = 30, 140


def build_word_template(pack: Path):
    theme = yaml.safe_load((pack / "pack.yaml").read_text(encoding="utf-8"))
    colours = {k: RGBColor.from_string(v.lstrip("#").upper()) for k, v in theme["colours"].items()}
    font = theme["fonts"]["word"]
    doc = Document()
    _page(doc.sections[0], "parent")
    _styles(doc, font, colours, BODY, TITLE, HEADING_1, HEADING_2, SMALL)
    _nothing_below(doc, SMALL)
    doc.styles["Normal"].paragraph_format.space_after = Pt(8)
    doc.styles["Normal"].paragraph_format.line_spacing = 1.2
    _header(doc.sections[0], theme, pack, colours)
    _footer(doc.sections[0])
    _core_properties(doc, theme)

    first = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    first.style = doc.styles["Title"]
    first.text = "{{ doc.heading }}"
    _para(doc, "{%p if doc.stamp.draft %}")
    _para(doc, "{{ doc.stamp.draft_banner }}", "Banner")
    _para(doc, "{%p endif %}")
    _points_table(doc, "intro")
    _para(doc, "{%p for topic in topics %}")
    _para(doc, "{{ topic.heading }}", "Heading 1")
    _points_table(doc, "topic.points")
    _para(doc, "{%p endfor %}")
    _para(doc, "{{ doc.credit }}", "Note")
    _para(doc, "{{ doc.theme.disclaimer }}", "Note")
    return doc


def _points_table(doc, points: str) -> None:
    """Picture | words, one row a point; no borders, white space between rows."""
    table = doc.add_table(rows=3, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    _full_width(table)
    _cell_margins(table)
    loop, row, end = table.rows
    loop.cells[0].paragraphs[0].add_run(f"{{%tr for point in {points} %}}")
    picture = row.cells[0].paragraphs[0]
    picture.add_run("{{ point.picture }}")
    words = row.cells[1]
    words.paragraphs[0].add_run("{%p for line in point.lines %}")
    words.add_paragraph().add_run("{{r line }}")
    words.add_paragraph().add_run("{%p endfor %}")
    end.cells[0].paragraphs[0].add_run("{%tr endfor %}")
    for r in table.rows:
        _cant_split(r)
        for cell, width in zip(r.cells, (PICTURE_MM, WORDS_MM)):
            cell.width = Mm(width)
            _cell_padding(cell)
    for grid_col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), (PICTURE_MM, WORDS_MM)):
        grid_col.set(qn("w:w"), str(int(Mm(width).twips)))
    _para(doc, "", "Table Gap")


def _nothing_below(doc, points: float) -> None:
    """Easy Read: no text below 16 pt anywhere, in the defaults and in every style an editor may pick."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    for size in defaults.iter(qn("w:sz"), qn("w:szCs")) if defaults is not None else ():
        size.set(qn("w:val"), str(BODY * 2))
    for size in doc.styles.element.iter(qn("w:sz"), qn("w:szCs")):
        if int(size.get(qn("w:val"))) < points * 2:
            size.set(qn("w:val"), str(int(points * 2)))


def _cant_split(row) -> None:
    """A point is never split over two pages."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _cell_padding(cell) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    margins = OxmlElement("w:tcMar")
    for side, twips in (("top", 160), ("bottom", 160)):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(twips))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    tc_pr.append(margins)
