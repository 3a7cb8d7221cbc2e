"""The Easy Read document: topics of points, each point a picture and short lines.

Easy Read lays out one point a row: a picture on the left, a few short
sentences on the right, the most important words in bold. The model holds
exactly that, so the HTML/PDF and Word templates only lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Run:
    """A piece of a sentence: fixed words or the plan's words, bold or not."""

    text: str
    bold: bool = False


@dataclass
class Line:
    """One line of a point: usually one sentence."""

    runs: list[Run]
    plan_words: bool = False  # the plan's own words, as written (not the pack's fixed sentences)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Picture:
    key: str  # the point it stands for, as named in easy_read/pictures.yaml
    svg: Path
    png: Path
    alt: str


@dataclass
class Point:
    picture: Picture
    lines: list[Line]


@dataclass
class Topic:
    id: str
    heading: str
    points: list[Point] = field(default_factory=list)


@dataclass
class EasyReadDocument:
    audience: str  # always "parent"
    language: str  # en or cy
    lang_tag: str
    title: str  # window title and file properties: the copy and the case, never a name
    heading: str
    intro: Point
    topics: list[Topic]
    stamp: object  # birthplan.render.model.Stamp
    theme: dict  # authority, wording, logo alt (as the other copies)
    words: dict  # small fixed words: page, of
    credit: str  # the pictures' attribution, printed in the document
    form: str = "easy_read"
    large_print: bool = False  # Easy Read is already large; the Word styles say so

    @property
    def parts(self) -> list[Topic]:
        """The introduction (a topic with no heading) and then every topic, for the templates."""
        return [Topic("intro", "", [self.intro]), *self.topics]

    def lines(self) -> list[Line]:
        points = [self.intro, *(point for topic in self.topics for point in topic.points)]
        return [line for point in points for line in point.lines]

    def all_text(self) -> list[str]:
        """Every piece of text of the body, for the glossary and the tests."""
        return [self.heading, *(t.heading for t in self.topics), *(line.text for line in self.lines())]

    def pictures(self) -> list[Picture]:
        """Every picture in reading order (the Word copy gives each its alt text in this order)."""
        return [self.intro.picture, *(point.picture for topic in self.topics for point in topic.points)]
