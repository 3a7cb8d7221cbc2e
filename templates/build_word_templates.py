"""Build the Word templates (word/*.docx) of a template pack from its pack.yaml.

    python templates/build_word_templates.py                 # both shipped packs
    python templates/build_word_templates.py PACK_FOLDER ...  # your own pack

The templates are ordinary .docx files with docxtpl tags ({{ }}, {%p %},
{%tr %}) in paragraphs and table rows, real heading styles (Heading 1 and 2),
header rows that repeat on every page, the pack's logo (with alt text) in the
header, and "Page X of Y" in the footer. After building, an authority can
open them in Word and restyle them (Home > Styles > Modify), change the
logo, or move the header text, as long as each tag stays in one piece.
Re-running this script overwrites the Word templates: restyle either here
or in Word, not both. See docs/templates.md.

Also draws images/logo.png (for Word, which cannot show SVG) for the two
shipped packs; your own pack brings its own logo.png.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
ALERT_HEADING_PT = 13  # the delivery-suite sheet's alert headings
SHEET_MIN_PT = 10  # nothing on the delivery-suite sheet is smaller
SHEET_LINE_HEIGHT = 1.07  # the sheet's line height in ems, as its stylesheet sets it
LIBREOFFICE_SINGLE = {"Arial": 1.149, "Verdana": 1.164}  # one "single" line, in ems, as LibreOffice sets the font
AUDIENCES = ("professional", "delivery_suite", "parent")

# Sizes in points: (body, title, heading 1, heading 2, small print)
SIZES = {
    "professional": (11, 22, 14, 12, 8.5),
    "parent": (12, 24, 15, 13, 10),  # clear print: body 12 pt, header and footer 10 pt
    # read at 3 a.m.: nothing under 10 pt, alert headings (Heading 1) 13 pt
    "delivery_suite": (10, 14, 10.5, 10.5, 10),
}


def main(argv: list[str]) -> int:
    packs = [Path(a) for a in argv] or [HERE / "sunderland", HERE / "swansea"]
    for pack in packs:
        theme = yaml.safe_load((pack / "pack.yaml").read_text(encoding="utf-8"))
        drawer = LOGO_DRAWERS.get(theme["pack"]["name"])
        if drawer is not None:
            drawer(pack / theme["logo"]["png"])
        for audience in AUDIENCES:
            target = pack / "word" / f"{audience}.docx"
            target.parent.mkdir(parents=True, exist_ok=True)
            build(theme, pack, audience).save(target)
            print(f"wrote {target}")
    return 0


# Word checks the order of child elements against the OOXML schema and calls a
# file "unreadable" if it is wrong, so new elements go in their schema place.
_PPR_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                   "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
                   "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
                   "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
                   "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
                   "w:rPr", "w:sectPr", "w:pPrChange")
_TBLPR_AFTER_TBLW = ("w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout",
                     "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
_TBLPR_AFTER_LAYOUT = ("w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
_TBLPR_AFTER_CELLMAR = ("w:tblLook", "w:tblCaption", "w:tblDescription")


def _insert(parent, child, successors: tuple) -> None:
    for old in parent.findall(child.tag):
        parent.remove(old)
    parent.insert_element_before(child, *successors)


# -- the document --------------------------------------------------------------


def build(theme: dict, pack: Path, audience: str):
    colours = {k: RGBColor.from_string(v.lstrip("#").upper()) for k, v in theme["colours"].items()}
    font = theme["fonts"]["word"]
    body, title, h1, h2, small = SIZES[audience]
    doc = Document()
    _page(doc.sections[0], audience)
    # the parents' notes are body text too: never below the body size (clear print)
    _styles(doc, font, colours, body, title, h1, h2, small, note=body if audience == "parent" else None)
    _core_properties(doc, theme)
    if audience == "delivery_suite":
        _sheet_spacing(doc)
        return _sheet(doc, theme, pack, colours)
    _header(doc.sections[0], theme, pack, colours)
    _footer(doc.sections[0])

    first = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    first.style = doc.styles["Title"]
    first.text = "{{ doc.heading }}"
    _para(doc, "{{ doc.subtitle }}", "Subtitle")
    _para(doc, "{%p if doc.stamp.draft %}")
    _para(doc, "{{ doc.stamp.draft_banner }}", "Banner")
    _para(doc, "{%p endif %}")
    _para(doc, "{%p if doc.continued_banner %}")
    _para(doc, "{{ doc.continued_banner }}", "Banner")
    _para(doc, "{%p endif %}")
    _para(doc, "{%p if doc.stamp_on_top %}")
    _para(doc, "{{ doc.stamp.line }}", "Stamp")
    _para(doc, "{%p endif %}")
    _para(doc, "{{ doc.intro }}", "Intro")
    _sections_loop(doc, colours)
    return doc


# -- the delivery-suite sheet: one A4 page, like its PDF ------------------------------


def _sheet(doc, theme: dict, pack: Path, colours: dict):
    """The sheet as its PDF lays it out: the status at the top, who the sheet is about
    and the alerts across the page, each alert one box of bordered paragraphs kept
    together (keep with next), then the other sections in two columns."""
    _sheet_header(doc.sections[0], theme, pack)
    _sheet_footer(doc.sections[0])
    first = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    first.style = doc.styles["Title"]
    first.add_run("{{ doc.heading }}")
    case = first.add_run("    {{ doc.subtitle }}")  # on the title's line, as in the PDF's masthead
    case.font.size = Pt(SHEET_MIN_PT)
    case.bold = False
    _para(doc, "{%p if doc.stamp.status %}")
    _para(doc, "{{ doc.stamp.status }}", "Banner")
    _para(doc, "{%p elif doc.stamp.draft %}")
    _para(doc, "{{ doc.stamp.draft_banner }}", "Banner")
    _para(doc, "{%p endif %}")
    for condition, text in (("doc.stamp.newer", "{{ doc.stamp.newer }}"),
                            ("doc.continued_banner", "{{ doc.continued_banner }}")):
        _para(doc, f"{{%p if {condition} %}}")
        _para(doc, text, "Banner")
        _para(doc, "{%p endif %}")
    _para(doc, "{%p for section in doc.sections if section.wide %}")
    _para(doc, "{%p if section.alert %}")
    _sheet_section(doc, colours, boxed=True)
    _para(doc, "", "Table Gap")  # ends the box: the next alert gets its own border
    _para(doc, "{%p else %}")
    _sheet_section(doc, colours, boxed=False)
    _para(doc, "{%p endif %}")
    _para(doc, "{%p endfor %}")
    # the other sections flow in two columns, like the PDF
    _columns(doc.add_section(WD_SECTION.CONTINUOUS), 2)
    _para(doc, "{%p for section in doc.sections if not section.wide %}")
    _sheet_section(doc, colours, boxed=False)
    _para(doc, "{%p endfor %}")
    return doc


def _sheet_section(doc, colours, boxed: bool) -> None:
    """One section's heading and blocks; ``boxed``: inside the alert's border, every
    paragraph kept with the next so the box is never split across a page or column."""

    def para(text: str, style: str, runs: bool = False):
        paragraph = _para(doc, "" if runs else text, style)
        if runs:
            _line_runs(paragraph)
        if boxed:
            _box(paragraph, colours["text"], space=1)
            paragraph.paragraph_format.keep_with_next = True
            paragraph.paragraph_format.keep_together = True
            paragraph.paragraph_format.left_indent = Pt(0)
            paragraph.paragraph_format.space_before = Pt(0)  # outside the border: the gap does it
        return paragraph

    heading = para("", "Heading 1")
    if boxed:  # the icon the docs promise, as in the PDF; alert headings at 13 pt
        for text in ("⚠ ", "{{ section.heading }}"):
            run = heading.add_run(text)
            run.font.size = Pt(ALERT_HEADING_PT)
            run.font.color.rgb = colours["text"]
    else:
        heading.add_run("{{ section.heading }}")
    _para(doc, "{%p for block in section.blocks %}")
    _para(doc, '{%p if block.kind == "lines" and block.style == "subheading" %}')
    _para(doc, "{%p for line in block.lines %}")
    para("", "Heading 2", runs=True)
    _para(doc, "{%p endfor %}")
    for style, word_style in (("alert", "Alert Text"), ("note", "Note"), ("normal", "Sheet Line")):
        test = "else" if style == "normal" else f'elif block.kind == "lines" and block.style == "{style}"'
        _para(doc, f"{{%p {test} %}}")
        if style == "normal":
            _para(doc, '{%p if block.kind == "lines" %}')
        _para(doc, "{%p for line in block.lines %}")
        para("", word_style, runs=True)
        _para(doc, "{%p endfor %}")
        if style == "normal":
            _para(doc, '{%p elif block.kind == "fields" %}')
            _para(doc, "{%p for row in block.rows %}")
            row = para("", "Sheet Line")
            row.add_run("{{ row.label }}: ").bold = True
            row.add_run("{{ row.value }}")
            _para(doc, "{%p endfor %}")
            _para(doc, '{%p elif block.kind == "table" %}')
            _para(doc, "{%p for row in block.rows %}")
            para("{{ row|select|join(' · ') }}", "Sheet Line")
            _para(doc, "{%p endfor %}")
            _para(doc, '{%p elif block.kind == "bullets" %}')
            _para(doc, "{%p for item in block.items %}")
            para("{{ item }}", "List Bullet")
            _para(doc, "{%p endfor %}")
            _para(doc, '{%p elif block.style == "note" %}')
            para("{{ block.text }}", "Note")
            _para(doc, '{%p elif block.style == "alert" %}')
            para("{{ block.text }}", "Alert Text")
            _para(doc, "{%p else %}")
            para("{{ block.text }}", "Sheet Line")
            _para(doc, "{%p endif %}")
    _para(doc, "{%p endif %}")
    _para(doc, "{%p endfor %}")


def _sheet_spacing(doc) -> None:
    """Tighter than the other copies (one page), never smaller: sizes stay as set."""
    styles = doc.styles
    line = styles.add_style("Sheet Line", 1)  # one line of the sheet: "Label: value · Label: value"
    line.base_style = styles["Normal"]
    line.font.size = styles["Normal"].font.size
    line.paragraph_format.space_before = line.paragraph_format.space_after = Pt(0)
    for name, before, after in (("Title", 0, 0), ("Subtitle", 0, 3), ("Heading 1", 1.5, 0.5),
                                ("Heading 2", 1, 0), ("Alert Text", 0.5, 0.5), ("Note", 0, 1),
                                ("Banner", 0, 1), ("Lead", 0, 0), ("List Bullet", 0, 0),
                                ("Normal", 0, 1)):
        fmt = styles[name].paragraph_format
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    styles["Banner"].font.size = Pt(13)  # the status: as prominent as a DRAFT badge
    for style in styles:  # Word's built-in styles too, should someone restyle with them
        font = getattr(style, "font", None)
        if font is not None and font.size is not None and font.size.pt < SHEET_MIN_PT:
            font.size = Pt(SHEET_MIN_PT)
    # the PDF's 1.07 lines: LibreOffice's "single" is 1.149 em of Liberation Sans (Arial)
    # and 1.164 em of DejaVu Sans (Verdana), so a multiple of single per font
    # (headings and the status too, as in the PDF)
    single = LIBREOFFICE_SINGLE.get(doc.styles["Normal"].font.name, 1.149)
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Banner"):
        styles[name].paragraph_format.line_spacing = round(SHEET_LINE_HEIGHT / single, 3)
    gap = styles["Table Gap"]  # the thin paragraph that ends an alert's box
    gap.font.size = Pt(1)
    gap.paragraph_format.line_spacing = Pt(2)
    # the title's rule and the status box sit close to their text (the PDF's masthead is as tight)
    for name in ("Title", "Banner"):
        for edge in styles[name].element.pPr.iter(qn("w:top"), qn("w:bottom"), qn("w:left"), qn("w:right")):
            edge.set(qn("w:space"), "1")


def _line_runs(paragraph) -> None:
    """A line of runs: bold where the run is strong (a name, a number, a label)."""
    paragraph.add_run("{%r for run in line %}")
    paragraph.add_run("{%r if run.strong %}")
    paragraph.add_run("{{ run.text }}{{ run.after }}").bold = True
    paragraph.add_run("{%r else %}")
    paragraph.add_run("{{ run.text }}{{ run.after }}")
    paragraph.add_run("{%r endif %}")
    paragraph.add_run("{%r endfor %}")


def _sheet_header(section, theme: dict, pack: Path) -> None:
    """One line, in one language or two: the logo (small) and the protective marking
    (DRAFT is in the footer of every page and in the status at the top)."""
    paragraph = section.header.paragraphs[0]
    paragraph.style = "Header"
    _logo(paragraph, theme, pack, Mm(5))
    paragraph.add_run("  {{ doc.theme.classification }}").bold = True


def _sheet_footer(section) -> None:
    """One line, as in the PDF: DRAFT or the version, the fingerprint, the page."""
    stamp = section.footer.paragraphs[0]
    stamp.style = "Footer"
    stamp.add_run("{{ doc.stamp.running }} · ")
    _pages(stamp)


def _sections_loop(doc, colours) -> None:
    _para(doc, "{%p for section in doc.sections %}")
    _para(doc, "{%p if section.alert %}")
    alert = _para(doc, "{{ section.heading }}", "Heading 1")
    _box(alert, colours["text"])
    _para(doc, "{%p elif section.level == 1 %}")
    _para(doc, "{{ section.heading }}", "Heading 1")
    _para(doc, "{%p else %}")
    _para(doc, "{{ section.heading }}", "Heading 2")
    _para(doc, "{%p endif %}")
    _para(doc, "{%p for block in section.blocks %}")
    _para(doc, '{%p if block.kind == "fields" %}')
    _table(doc, colours, ("{{ block.header[0] }}", "{{ block.header[1] }}"),
           "{%tr for row in block.rows %}", ("{{ row.label }}", "{{ row.value }}"), (32, 68),
           label_column=True)
    _para(doc, "", "Table Gap")
    # a table has three columns, or fewer when the model left an empty one out
    # (birthplan.render.model.Table): one Word table per width, as docxtpl cannot
    # drop a column from a table
    for count, widths in ((3, (30, 38, 32)), (2, (36, 64)), (1, (100,))):
        _para(doc, f'{{%p elif block.kind == "table" and block.columns|length == {count} %}}')
        _table(doc, colours, tuple(f"{{{{ block.columns[{i}] }}}}" for i in range(count)),
               "{%tr for row in block.rows %}", tuple(f"{{{{ row[{i}] }}}}" for i in range(count)), widths)
        _para(doc, "", "Table Gap")
    _para(doc, '{%p elif block.kind == "bullets" %}')
    _para(doc, "{%p for item in block.items %}")
    _para(doc, "{{ item }}", "List Bullet")
    _para(doc, "{%p endfor %}")
    _para(doc, '{%p elif block.style == "alert" %}')
    _para(doc, "{{ block.text }}", "Alert Text")
    _para(doc, '{%p elif block.style == "note" %}')
    _para(doc, "{{ block.text }}", "Note")
    _para(doc, '{%p elif block.style == "lead" %}')
    _para(doc, "{{ block.text }}", "Lead")
    _para(doc, "{%p else %}")
    _para(doc, "{{ block.text }}", "Normal")
    _para(doc, "{%p endif %}")
    _para(doc, "{%p endfor %}")
    _para(doc, "{%p endfor %}")
    _para(doc, "{{ doc.theme.procedures }}", "Note")
    _para(doc, "{{ doc.theme.footer }}", "Note")
    _para(doc, "{{ doc.theme.disclaimer }}", "Note")


def _para(doc, text: str, style: str = "Normal"):
    paragraph = doc.add_paragraph(style=doc.styles[style])
    if text:
        paragraph.add_run(text)
    return paragraph


def _table(doc, colours, header: tuple, loop: str, cells: tuple, widths: tuple,
           label_column: bool = False) -> None:
    table = doc.add_table(rows=4, cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    _full_width(table)
    _fixed_layout(table)
    head = table.rows[0]
    _repeat_header(head)
    for cell, text in zip(head.cells, header):
        _cell_text(cell, text, "Table Heading")
        _shade(cell, colours["primary"])
    _cell_text(table.rows[1].cells[0], loop, "Table Text")
    for index, (cell, text) in enumerate(zip(table.rows[2].cells, cells)):
        _cell_text(cell, text, "Table Label" if label_column and index == 0 else "Table Text")
        if label_column and index == 0:
            _shade(cell, colours["panel"])
    _cell_text(table.rows[3].cells[0], "{%tr endfor %}", "Table Text")
    # each row whole on one page (a label never apart from its value)
    table.rows[2]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    total = 170
    for row in table.rows:
        for cell, share in zip(row.cells, widths):
            cell.width = Mm(total * share / 100)
    for grid_col, share in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        grid_col.set(qn("w:w"), str(int(Mm(total * share / 100).twips)))
    _cell_margins(table)


def _cell_margins(table) -> None:
    """Breathing room inside cells (Word's default is cramped)."""
    margins = OxmlElement("w:tblCellMar")
    for side, twips in (("top", 30), ("left", 90), ("bottom", 30), ("right", 90)):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(twips))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    _insert(table._tbl.tblPr, margins, _TBLPR_AFTER_CELLMAR)


def _cell_text(cell, text: str, style: str) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    paragraph.add_run(text)


def _repeat_header(row) -> None:
    """w:tblHeader: Word repeats this row at the top of every page the table runs onto."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)


def _full_width(table) -> None:
    tbl_pr = table._tbl.tblPr
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), "5000")
    width.set(qn("w:type"), "pct")
    _insert(tbl_pr, width, _TBLPR_AFTER_TBLW)


def _fixed_layout(table) -> None:
    """w:tblLayout fixed: the columns keep their widths and a long word or e-mail address
    wraps inside its cell (Word and LibreOffice break it) instead of widening the table
    off the page, as CSS table-layout: fixed does for the HTML and PDF copies."""
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    _insert(table._tbl.tblPr, layout, _TBLPR_AFTER_LAYOUT)


def _shade(cell, colour: RGBColor) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), str(colour))
    tc_pr.append(shading)


def _box(paragraph, colour: RGBColor, space: int = 2) -> None:
    """A thick border round an alert heading: seen in black and white too (``space``: points
    between the border and the text)."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "18")
        edge.set(qn("w:space"), str(space))
        edge.set(qn("w:color"), str(colour))
        borders.append(edge)
    _insert(p_pr, borders, _PPR_AFTER_PBDR)


def _columns(section, count: int) -> None:
    sect_pr = section._sectPr
    cols = sect_pr.find(qn("w:cols"))
    if cols is None:
        cols = OxmlElement("w:cols")
        sect_pr.append(cols)
    cols.set(qn("w:num"), str(count))
    cols.set(qn("w:space"), str(int(Mm(5).twips)))


# -- page, styles, header and footer ----------------------------------------------


def _page(section, audience: str) -> None:
    section.page_width, section.page_height = Mm(210), Mm(297)
    sheet = audience == "delivery_suite"
    # the parents' copy: the PDF's 16 mm, so large print's one-line footer fits in Welsh and English
    margin = {"delivery_suite": Mm(8), "parent": Mm(16)}.get(audience, Mm(20))
    section.left_margin = section.right_margin = margin
    section.top_margin = Mm(11) if sheet else Mm(22)
    section.bottom_margin = Mm(12) if sheet else Mm(20)
    # header and footer text 5 mm clear of the edges, where an office printer cannot reach
    section.header_distance = Mm(5.5) if sheet else Mm(6)
    section.footer_distance = Mm(5.5) if sheet else Mm(6)


def _font(style, name: str, size: float, colour: RGBColor | None = None, bold: bool | None = None) -> None:
    style.font.name = name
    style.font.size = Pt(size)
    style.font.italic = False  # no italics for emphasis (large-print and Easy Read guidance)
    if colour is not None:
        style.font.color.rgb = colour
    if bold is not None:
        style.font.bold = bold
    r_fonts = style.element.get_or_add_rPr().find(qn("w:rFonts"))
    if r_fonts is not None:  # drop theme fonts so the named font wins
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            r_fonts.attrib.pop(qn(attribute), None)
        r_fonts.set(qn("w:cs"), name)
        r_fonts.set(qn("w:eastAsia"), name)


def _spacing(style, before: float, after: float, keep_with_next: bool = False) -> None:
    fmt = style.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
    if keep_with_next:
        fmt.keep_with_next = True


def _styles(doc, font: str, colours: dict, body: float, title: float, h1: float, h2: float,
            small: float, note: float | None = None) -> None:
    styles = doc.styles
    _font(styles["Normal"], font, body, colours["text"])
    _spacing(styles["Normal"], 0, body * 0.5)
    _font(styles["Title"], font, title, colours["heading"], bold=True)
    _spacing(styles["Title"], 0, 4)
    _title_rule(styles["Title"], colours["accent"])
    _font(styles["Subtitle"], font, body + 1, colours["text"], bold=True)
    _spacing(styles["Subtitle"], 0, 4)
    _font(styles["Heading 1"], font, h1, colours["heading"], bold=True)
    _spacing(styles["Heading 1"], h1 * 0.9, 3, keep_with_next=True)
    _font(styles["Heading 2"], font, h2, colours["heading"], bold=True)
    _spacing(styles["Heading 2"], h2 * 0.6, 2, keep_with_next=True)
    _font(styles["List Bullet"], font, body, colours["text"])
    _font(styles["Header"], font, small, colours["muted"])
    _font(styles["Footer"], font, small, colours["muted"])
    for name, size, colour, bold in (
        ("Intro", body, colours["text"], False),
        ("Stamp", small + 0.5, colours["muted"], False),
        ("Note", note or max(small + 0.5, body - 1), colours["muted"], False),
        ("Lead", body, colours["text"], True),
        ("Alert Text", body, colours["text"], True),
        ("Banner", body + 1, colours["text"], True),
        ("Table Text", body, colours["text"], False),
        ("Table Label", body, colours["text"], True),
        ("Table Heading", body, colours["on_primary"], True),
        ("Table Gap", 2, colours["text"], False),
    ):
        style = styles.add_style(name, 1)
        style.base_style = styles["Normal"]
        _font(style, font, size, colour, bold)
        _spacing(style, 0, 0 if name.startswith("Table") else body * 0.5)
    _banner_box(styles["Banner"], colours["text"])
    styles["Table Heading"].paragraph_format.keep_with_next = True
    styles["Lead"].paragraph_format.keep_with_next = True  # an intro line goes with what it introduces


def _title_rule(style, colour: RGBColor) -> None:
    p_pr = style.element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "24"), ("w:space", "4"), ("w:color", str(colour))):
        bottom.set(qn(key), value)
    borders.append(bottom)
    _insert(p_pr, borders, _PPR_AFTER_PBDR)


def _banner_box(style, colour: RGBColor) -> None:
    p_pr = style.element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        for key, value in (("w:val", "single"), ("w:sz", "16"), ("w:space", "3"), ("w:color", str(colour))):
            edge.set(qn(key), value)
        borders.append(edge)
    _insert(p_pr, borders, _PPR_AFTER_PBDR)


def _logo(paragraph, theme: dict, pack: Path, height) -> None:
    """The pack's logo as a run, named Logo so the renderer gives it alt text in the
    copy's language."""
    run = paragraph.add_run()
    run.add_picture(str(pack / theme["logo"]["png"]), height=height)
    doc_pr = run._r.xpath(".//wp:docPr")[0]
    doc_pr.set("name", "Logo")
    doc_pr.set("descr", theme["logo"]["alt"]["en"])


def _header(section, theme: dict, pack: Path, colours: dict) -> None:
    header = section.header
    # large print: one line, the security marking only (16 pt leaves no room for more;
    # the footer line says DRAFT)
    header.paragraphs[0].style = "Header"
    header.paragraphs[0].add_run("{%p if doc.large_print %}")
    short = header.add_paragraph(style="Header")
    short.add_run("{{ doc.theme.classification }}").bold = True
    header.add_paragraph("{%p else %}", style="Header")
    paragraph = header.add_paragraph(style="Header")
    _logo(paragraph, theme, pack, Mm(9))
    paragraph.add_run("  {{ doc.theme.header }}")
    classification = header.add_paragraph(style="Header")
    classification.add_run("{{ doc.theme.classification }}").bold = True
    header.add_paragraph("{%p if doc.stamp.draft %}", style="Header")
    draft = header.add_paragraph(style="Header")
    draft.add_run("{{ doc.stamp.draft_banner }}").bold = True
    header.add_paragraph("{%p endif %}", style="Header")
    header.add_paragraph("{%p endif %}", style="Header")


def _footer(section) -> None:
    footer = section.footer
    footer.paragraphs[0].style = "Footer"
    footer.paragraphs[0].add_run("{%p if doc.large_print %}")
    # large print: one line, "Version 3 · 1a2b3c4d5e · Page 2 of 9" or "DRAFT · 1a2b3c4d5e · ..."
    short = footer.add_paragraph(style="Footer")
    short.add_run("{{ doc.stamp.short_line }} · ")
    _pages(short, bold=False)
    footer.add_paragraph("{%p else %}", style="Footer")
    stamp = footer.add_paragraph(style="Footer")
    stamp.add_run("{{ doc.stamp.line }}")
    _pages(footer.add_paragraph(style="Footer"))
    footer.add_paragraph("{{ doc.theme.disclaimer }}", style="Footer")
    footer.add_paragraph("{%p endif %}", style="Footer")


def _pages(paragraph, bold: bool = True) -> None:
    """Page X of Y, with fields Word and LibreOffice fill in."""
    paragraph.add_run("{{ doc.words.page }} ").bold = bold
    _field(paragraph, "PAGE", bold)
    paragraph.add_run(" {{ doc.words.of }} ").bold = bold
    _field(paragraph, "NUMPAGES", bold)


def _field(paragraph, instruction: str, bold: bool = True) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in."""
    run = paragraph.add_run()
    run.bold = bold
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, separate, shown, end):
        run._r.append(element)


def _core_properties(doc, theme: dict) -> None:
    props = doc.core_properties
    props.author = theme["authority"]["name"]
    props.last_modified_by = theme["authority"]["name"]
    props.title = ""  # set per copy by the renderer, from the audience's view
    props.comments = "Template pack: not an official council form."
    props.keywords = ""
    props.subject = ""


# -- logos for the shipped packs (Word cannot show the SVG) ------------------------


def _draw_sunderland(target: Path) -> None:
    from PIL import Image, ImageDraw

    scale = 4
    image = Image.new("RGBA", (96 * scale, 96 * scale), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    purple, magenta = (0x4A, 0x25, 0x74, 255), (0xC8, 0x00, 0x6F, 255)
    draw.rounded_rectangle((0, 0, 96 * scale - 1, 96 * scale - 1), radius=14 * scale, fill=(255, 255, 255, 255))
    for (cx, cy, r), colour in (((30, 30, 11), purple), ((66, 30, 11), magenta), ((48, 58, 8), purple)):
        draw.ellipse(((cx - r) * scale, (cy - r) * scale, (cx + r) * scale, (cy + r) * scale), fill=colour)
    draw.polygon([(14 * scale, 84 * scale), (24 * scale, 64 * scale), (40 * scale, 62 * scale),
                  (48 * scale, 70 * scale), (56 * scale, 62 * scale), (72 * scale, 64 * scale),
                  (82 * scale, 84 * scale)], fill=purple)
    image.save(target)


def _draw_swansea(target: Path) -> None:
    from PIL import Image, ImageDraw

    scale = 4
    image = Image.new("RGBA", (96 * scale, 96 * scale), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    sea, sand = (0x00, 0x5A, 0x70, 255), (0xF2, 0xA9, 0x00, 255)
    draw.rounded_rectangle((0, 0, 96 * scale - 1, 96 * scale - 1), radius=14 * scale, fill=(255, 255, 255, 255))
    draw.ellipse((34 * scale, 14 * scale, 62 * scale, 42 * scale), fill=sand)
    for top in (50, 64, 78):
        points = [(x * scale, (top + (4 if (x // 12) % 2 else -4)) * scale) for x in range(8, 92, 12)]
        draw.line(points, fill=sea, width=6 * scale, joint="curve")
    image.save(target)


LOGO_DRAWERS = {"sunderland": _draw_sunderland, "swansea": _draw_swansea}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
