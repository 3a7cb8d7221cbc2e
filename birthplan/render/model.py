"""The format-neutral document: what one audience's copy says, in order.

The HTML/PDF and Word templates only lay this out; they never choose what to
show. Every block kind has a fixed shape so a Word template can lay it out
with plain docxtpl tags: ``fields`` (two columns: label, value), ``table``
(three columns, fewer when one is empty), ``paragraph`` and ``bullets``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from birthplan.render.i18n import Phrase

Text = Union[str, Phrase]  # plan content (str, shown as written) or fixed words (Phrase)


@dataclass
class Row:
    label: Text
    value: Text


@dataclass
class Fields:
    """Label / value rows, e.g. "Due date | 21 March 2027"."""

    header: tuple  # (Text, Text): the table's header row
    rows: list[Row]
    kind: str = "fields"


@dataclass
class Table:
    """Rows of cells under a header row: three columns, fewer when some are empty.

    A column after the first that no row has a value in (a reason withheld from
    this audience, say) is left out here, so every format drops it alike; what
    is withheld is decided before this, in ``birthplan.audience``.
    """

    columns: tuple  # (Text, Text, Text), or fewer
    rows: list[tuple]
    kind: str = "table"

    def __post_init__(self):
        if not self.rows:
            return
        shown = [0] + [i for i in range(1, len(self.columns))
                       if any(str(row[i] if row[i] is not None else "").strip() for row in self.rows)]
        if len(shown) < len(self.columns):
            self.columns = tuple(self.columns[i] for i in shown)
            self.rows = [tuple(row[i] for i in shown) for row in self.rows]


@dataclass
class Paragraph:
    text: Text
    style: str = "normal"  # normal, lead, note, quote, alert
    kind: str = "paragraph"


@dataclass
class Bullets:
    items: list
    kind: str = "bullets"


@dataclass
class Run:
    """A piece of a line, in bold when a reader must find it at a glance (a name, a number)."""

    text: Text
    strong: bool = False
    after: str = ""  # what follows it on the line: ": " after a label, " · " between pairs


@dataclass
class Lines:
    """Paragraphs made of runs: the delivery-suite sheet's dense lines, e.g.
    "**Due date:** 21 March 2027 · **NHS number:** 999 000 0018". A ``heading``
    line (style) is a small heading inside a section ("Out of hours")."""

    lines: list  # list[list[Run]]
    style: str = "normal"  # normal, subheading, note, alert
    kind: str = "lines"

    @property
    def rows(self) -> list:  # so Section.add leaves out an empty block
        return self.lines


@dataclass
class Section:
    id: str
    heading: Text
    blocks: list = field(default_factory=list)
    level: int = 1
    alert: bool = False  # shown boxed, and the heading itself carries the word ALERT
    wide: bool = False  # the sheet: laid across the page (identity, alerts); the rest in two columns

    def add(self, block) -> None:
        """Add a block unless it is empty (no rows, no items, no text)."""
        if isinstance(block, (Fields, Table, Lines)) and not block.rows:
            return
        if isinstance(block, Bullets) and not block.items:
            return
        if isinstance(block, Paragraph) and not str(block.text).strip():
            return
        self.blocks.append(block)

    @property
    def empty(self) -> bool:
        return not self.blocks


@dataclass
class Stamp:
    """What every page says about the version it shows."""

    line: Text  # e.g. "Version 3 · Review date 14 January 2027 · Fingerprint 1a2b3c4d5e"
    version: int | None
    review_date: Text | None
    fingerprint: str
    draft: bool
    draft_banner: Text | None
    # the one-line running footer of large print, where every word is 16 pt or more:
    # "Version 3 · 1a2b3c4d5e", or "DRAFT · 1a2b3c4d5e" for a draft
    short_line: Text = ""
    # the running footer's words: ``line``; ``short_line`` in large print; on the one-page
    # sheet "Version 3 · Fingerprint 1a2b3c4d5e" (its status at the top gives the dates),
    # so the footer stays one line in Welsh and English
    running: Text = ""
    status: Text | None = None  # the sheet's banner: "DRAFT: not agreed" or "Agreed version 3 · review ..."
    newer: Text | None = None  # when a newer version was agreed than the one shown


@dataclass
class Document:
    audience: str
    language: str  # en, cy or bilingual
    lang_tag: str  # en-GB / cy-GB: the document language
    title: str  # window title and file metadata (plain text, from the view only)
    heading: Text  # the big heading on page one
    subtitle: Text
    intro: Text
    stamp: Stamp
    sections: list[Section]
    large_print: bool = False
    stamp_on_top: bool = True  # the version line under the title (the parents' copy has it in the footer only)
    # the parents' copy keeps its running header and footer to the marking, DRAFT, the version
    # line and the page: the authority is on page one and the disclaimer at the end
    compact_running: bool = False
    continued_banner: Text | None = None  # the delivery-suite sheet did not fit one page
    words: dict = field(default_factory=dict)  # small fixed words the templates use
    theme: dict = field(default_factory=dict)  # authority name, numbers, wording

    def all_text(self) -> list[str]:
        """Every piece of text in the body, for the glossary and for tests."""
        out = [str(self.heading), str(self.subtitle), str(self.intro)]
        for section in self.sections:
            out.append(str(section.heading))
            for block in section.blocks:
                out.extend(str(t) for t in block_text(block))
        return out

    def facts(self) -> list[str]:
        """The values from the plan (not fixed words), for the same-facts test."""
        out: list[str] = []
        for section in self.sections:
            for block in section.blocks:
                if isinstance(block, Fields):
                    out.extend(str(row.value) for row in block.rows)
                elif isinstance(block, Table):
                    out.extend(str(cell) for row in block.rows for cell in row)
                elif isinstance(block, Paragraph):
                    out.append(str(block.text))
                elif isinstance(block, Bullets):
                    out.extend(str(item) for item in block.items)
                elif isinstance(block, Lines):
                    out.extend(str(run.text) for line in block.lines for run in line)
        return [fact for fact in out if fact.strip()]


def block_text(block) -> list[Text]:
    if isinstance(block, Fields):
        return [*block.header, *(t for row in block.rows for t in (row.label, row.value))]
    if isinstance(block, Table):
        return [*block.columns, *(cell for row in block.rows for cell in row)]
    if isinstance(block, Paragraph):
        return [block.text]
    if isinstance(block, Lines):
        return [run.text for line in block.lines for run in line]
    return list(block.items)
