"""The Easy Read parents' copy, read back from its files as its readers' software would.

Easy Read conventions (Mencap; Department of Health, "Making written
information easier to understand"): short sentences of fixed wording, at
least 16 pt, a picture with alt text beside every point, important words in
bold, no abbreviations, the jargon explained; in English and Welsh; HTML that
passes axe-core and reflows at 320 CSS px (tests/test_accessibility.py, with every
other HTML copy); tagged PDF; Word that opens.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from birthplan.render import PackError, render_plan
from birthplan.render.easy_read.words import SENTENCES

from .conftest import EXAMPLES, docx_parts, docx_text, one_file, pdf_text, render_into, squash
from .strategies import valid_plans

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
MAX_WORDS = 15
MIN_PT = 16


@pytest.fixture(scope="module")
def easy(easy_read_renders):
    """{language: render result} of the Easy Read copy: Sunderland in English, Swansea in Welsh."""
    return easy_read_renders


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?:])\s+", text.strip()) if s]


def _word_count(sentence: str) -> int:
    return len(re.sub(r"\{[a-z_]+\}", "X", sentence.replace("**", "")).split())


def _easy_files():
    for pack in ("sunderland", "swansea"):
        for path in sorted((TEMPLATES / pack / "easy_read").glob("[a-z][a-z].yaml")):
            yield path


# -- the fixed wording -------------------------------------------------------------


@pytest.mark.parametrize("path", list(_easy_files()), ids=lambda p: f"{p.parent.parent.name}-{p.name}")
def test_every_fixed_sentence_is_short_and_has_no_abbreviations(path):
    table = yaml.safe_load(path.read_text(encoding="utf-8"))
    texts = [*table["intro"], *(table["sentences"][key] for key in SENTENCES if key != "pictures_credit"),
             *(table["sentences"]["contact"].replace("{role}", role) for role in table["roles"].values()),
             *(s for sentences in table.get("meanings", {}).values() for s in sentences)]
    assert len(texts) > 60
    for text in texts:
        for sentence in _sentences(text):
            assert _word_count(sentence) <= MAX_WORDS, f"{path}: too long: {sentence!r}"
        plain = text.replace("**", "")
        assert not re.search(r"\b[A-Z]{2,}\b", re.sub(r"\{[a-z_]+\}", "", plain)), f"{path}: {text!r}"
        assert not re.search(r"\b(e\.g|i\.e|etc|approx|no\.)\b", plain, re.IGNORECASE), f"{path}: {text!r}"


def test_the_pictures_are_black_outlines_with_alt_text_in_every_language_of_the_pack():
    for pack in ("sunderland", "swansea"):
        languages = yaml.safe_load((TEMPLATES / pack / "pack.yaml").read_text())["pack"]["languages"]
        pictures = yaml.safe_load((TEMPLATES / pack / "easy_read" / "pictures.yaml").read_text())["pictures"]
        for key, entry in pictures.items():
            svg = (TEMPLATES / pack / entry["svg"]).read_text(encoding="utf-8")
            colours = set(re.findall(r"#[0-9a-fA-F]{3,6}\b", svg))
            assert colours <= {"#000", "#000000", "#fff", "#ffffff"}, (pack, key, colours)
            assert (TEMPLATES / pack / entry["png"]).read_bytes()[:4] == b"\x89PNG"
            for language in languages:
                assert entry["alt"][language].strip(), (pack, key, language)
        licence = (TEMPLATES / pack / "images" / "easy-read" / "LICENSE.txt").read_text(encoding="utf-8")
        assert "OpenMoji" in licence and "Attribution-ShareAlike 4.0" in licence


def test_the_program_does_not_need_openmoji_at_run_time():
    source = Path(__file__).resolve().parent.parent / "birthplan"
    assert not [p for p in source.rglob("*.py") if "openmoji" in p.read_text(encoding="utf-8")]


# -- what the copy says --------------------------------------------------------------


def test_the_english_copy_covers_what_a_parent_must_know(easy):
    html = one_file(easy["en"], "parent", ".html").read_text(encoding="utf-8")
    for words in ("Who will be with me", "When my labour starts", "Who must not come",
                  "After my baby is born", "If my baby cannot stay with me", "My appointments",
                  "Who can help me", "Words to know",
                  "Daniel Pryce", "Lee Carver", "staff will call the <strong>police</strong>",
                  "Time together", "Photos", "Memory box", "Antenatal check", "Priya Raman",
                  # the separation plan the parents may see: who tells them, when, contact after
                  "Who will tell me", "Priya Raman, with Rachel (advocate) there.", "When</strong> they will tell me",
                  "Seeing my baby", "Family time three times a week",
                  "01632\u00a0960101", "Emergency Duty Team", "phone <strong>999</strong>",
                  "Foster care", "A family who looks after a baby for a while."):
        assert words in html, words
    assert "OpenMoji" in html and "Creative Commons" in html  # the pictures' attribution
    assert "OFFICIAL-SENSITIVE" in html  # the marking on screen, not only on paper


def test_the_welsh_copy_has_the_same_points_in_welsh(easy):
    html = one_file(easy["cy"], "parent", ".html").read_text(encoding="utf-8")
    assert '<html lang="cy-GB">' in html
    for words in ("Pwy fydd gyda fi", "Pan fydd fy esgor yn dechrau", "Pwy na chaiff ddod",
                  "Fy apwyntiadau", "Pwy sy'n gallu fy helpu", "Rhodri Llŷr Bowen", "Jac Tomos",
                  "diogelwch", "Siân Gwynfor", "Geiriau i'w gwybod", "SWYDDOGOL-SENSITIF"):
        assert words.replace("'", "&#39;") in html or words in html, words
    assert "Who will be with me" not in html  # no English fixed words in the Welsh copy


def test_every_point_has_a_picture_with_alt_text_and_bold_key_words(easy):
    for language, result in easy.items():
        html = one_file(result, "parent", ".html").read_text(encoding="utf-8")
        points = re.findall(r'<li class="point">(.*?)</li>', html, re.S)
        assert len(points) > 20
        for point in points:
            picture = re.search(r'<img class="picture" src="data:image/svg\+xml;base64,[^"]+" '
                                r'alt="([^"]+)"', point)
            assert picture and picture.group(1).strip(), point[:200]
        assert html.count("<strong>") > len(points) / 2
        # a phone number never breaks across lines, and a tap calls it
        assert not re.search(r"07700 900|01632 960", html)
        assert re.search(r'<a class="phone" href="tel:\+441632960\d{3}">01632\u00a0960\d{3}</a>', html)


def test_the_parents_copy_is_built_from_their_view_only(easy):
    """The example's reason for keeping Lee Carver away comes from a third party (the police)."""
    result = easy["en"]
    texts = [pdf_text(one_file(result, "parent", ".pdf")), docx_text(one_file(result, "parent", ".docx")),
             one_file(result, "parent", ".html").read_text(encoding="utf-8")]
    for text in texts:
        assert "Lee Carver" in text
        assert "Northumbria" not in text and "threats made" not in text


# -- sizes -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "cy"])
def test_every_glyph_of_the_pdf_is_at_least_16_point(easy, language):
    import pymupdf

    path = one_file(easy[language], "parent", ".pdf")
    sizes = []
    with pymupdf.open(path) as pdf:
        for page in pdf:
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    sizes += [span["size"] for span in line["spans"] if span["text"].strip()]
    assert sizes and min(sizes) >= MIN_PT - 0.05, min(sizes)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_every_text_in_the_word_copy_is_at_least_16_point(easy, language):
    from docx import Document

    path = one_file(easy[language], "parent", ".docx")
    document = Document(str(path))

    def size_of(style):
        while style is not None:
            if style.font.size is not None:
                return style.font.size.pt
            style = style.base_style
        return None

    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs += cell.paragraphs
    section = document.sections[0]
    paragraphs += section.header.paragraphs + section.footer.paragraphs
    checked = 0
    for paragraph in paragraphs:
        if not paragraph.text.strip():
            continue
        size = size_of(paragraph.style)
        assert size is not None and size >= MIN_PT, (paragraph.style.name, size, paragraph.text[:40])
        checked += 1
    assert checked > 50
    for name, xml in docx_parts(path).items():
        if re.fullmatch(r"word/(document|header\d*|footer\d*|styles)\.xml", name):
            sizes = [int(v) for v in re.findall(r'<w:sz w:val="(\d+)"', xml)]
            assert min(sizes, default=MIN_PT * 2) >= MIN_PT * 2, name


# -- structure: PDF tags, Word pictures, office round trip, browser --------------------------


def test_the_pdf_is_tagged_with_alt_text_on_every_picture(easy):
    import pikepdf

    path = one_file(easy["cy"], "parent", ".pdf")
    html = one_file(easy["cy"], "parent", ".html").read_text(encoding="utf-8")
    pictures = html.count('<img class="picture"')
    figures = []
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "cy-GB" and pdf.Root.MarkInfo.Marked

        def walk(node):
            if isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure":
                    figures.append(str(node.get("/Alt", "")))
                kids = node.get("/K")
                for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
                    walk(kid)

        walk(pdf.Root.StructTreeRoot)
    assert len(figures) >= pictures and all(alt.strip() for alt in figures)


def test_the_pdf_draws_every_picture(easy):
    """The PDF's HTML gets break opportunities in long words; an embedded picture is not a word."""
    import pymupdf

    from birthplan.audience import view_for
    from birthplan.history import version_stamp
    from birthplan.load import load_plan
    from birthplan.render.easy_read import build_easy_read, render_easy_read_html
    from birthplan.render.packs import load_pack

    source = EXAMPLES / "sunderland-full.yaml"
    data = load_plan(source).data
    pack = load_pack(TEMPLATES / "sunderland")
    document = build_easy_read(view_for(data, "parent"), pack, version_stamp(source, data), "en")
    printed = render_easy_read_html(document, pack, for_print=True)
    sources = re.findall(r'src="([^"]*)"', printed)
    assert len(sources) > 20 and not [s for s in sources if "\u200b" in s]
    # and on the pages: each outline picture is many strokes
    with pymupdf.open(one_file(easy["en"], "parent", ".pdf")) as pdf:
        strokes = sum(len(page.get_drawings()) for page in pdf)
    assert strokes > 8 * len(sources), strokes


def test_the_word_copy_gives_every_picture_its_alt_text(easy):
    path = one_file(easy["en"], "parent", ".docx")
    body = docx_parts(path)["word/document.xml"]
    descriptions = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', body)
    assert len(descriptions) > 20 and all(d.strip() for d in descriptions)
    assert "A telephone" in descriptions
    text = docx_text(path)
    assert "Daniel Pryce" in text and "OpenMoji" in text
    assert re.search(r"<w:b/>.{0,200}Daniel Pryce", body, re.S)  # important words bold
    with zipfile.ZipFile(path) as archive:
        assert sum(name.startswith("word/media/") for name in archive.namelist()) > 10


def test_libreoffice_opens_the_welsh_word_copy(easy, soffice, tmp_path):
    path = one_file(easy["cy"], "parent", ".docx")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    converted = tmp_path / (path.stem + ".pdf")
    text = pdf_text(converted)
    assert "Pwy fydd gyda fi" in text and "Rhodri" in text
    assert re.search(r"Tudalen 1 o \d+", text)


# -- the pack -------------------------------------------------------------------------------


def test_a_pack_missing_a_picture_fails_before_anything_is_written(tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(TEMPLATES / "sunderland", pack)
    (pack / "images" / "easy-read" / "phone.png").unlink()
    out = tmp_path / "out"
    with pytest.raises(PackError, match=r"phone\.png: this file is missing.*pictures > phone > png"):
        render_plan(EXAMPLES / "minimal.yaml", templates=pack, easy_read=True, out_dir=out)
    assert not out.exists() or not list(out.iterdir())


# -- any plan ------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          derandomize=True)
@given(valid_plans())
def test_any_valid_plan_gets_an_easy_read_copy_holding_its_key_facts(plan):
    """Names, appointments and phone numbers the parents may see reach the Easy Read copy
    (HTML: the words do not depend on the format), and only those."""
    from birthplan.audience import view_for

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.yaml"
        path.write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), encoding="utf-8")
        result = render_plan(path, audiences=("parent",), formats=("html",), language="en",
                             easy_read=True, out_dir=Path(tmp) / "out")
        (html_path,) = result.files
        assert html_path.name.endswith("_easy-read.html")
        text = html.unescape(re.sub(r"<[^>]+>", "", html_path.read_text(encoding="utf-8")))
        view = view_for(plan, "parent")
        visitors = view.get("visitors", {})
        people = visitors.get("birth_partners", []) + visitors.get("must_not_visit", [])
        expected = [p.get("name") for p in people]
        expected += [a.get("what") for a in view.get("appointments", [])]
        expected += [c.get("name") for c in view.get("contacts", [])]
        expected = [v for v in expected if v]
        squashed = squash(text)
        missing = [v for v in expected if squash(v) not in squashed]
        assert not missing
