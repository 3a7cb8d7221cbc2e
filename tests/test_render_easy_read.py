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
from birthplan.render.easy_read.words import SENTENCES, WISHES, EasyReadWords
from birthplan.render.packs import load_pack

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


@pytest.fixture(scope="module")
def word_pages(easy, soffice, tmp_path_factory):
    """{language: the Word copy as LibreOffice lays it out, as a PDF}: both converted once."""
    out = tmp_path_factory.mktemp("easy-read-office")
    paths = {language: one_file(easy[language], "parent", ".docx") for language in easy}
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{out}/profile",
                    "--convert-to", "pdf", "--outdir", str(out), *map(str, paths.values())],
                   check=True, capture_output=True, timeout=300)
    return {language: out / (path.stem + ".pdf") for language, path in paths.items()}


def test_libreoffice_opens_the_welsh_word_copy(word_pages):
    text = pdf_text(word_pages["cy"])
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
        wishes = view.get("wishes", {})
        expected += [wishes.get(name) or wishes.get("what_ifs", {}).get(name) for name in WISHES]
        expected = [v for v in expected if v]
        squashed = squash(text)
        missing = [v for v in expected if squash(v) not in squashed]
        assert not missing
        plan_type = view.get("legal_status", {}).get("plan_type")
        if plan_type:  # the legal position is said from its set values
            pack = load_pack(TEMPLATES / plan["plan"]["authority"])
            sentence = EasyReadWords(pack, "en").text(f"plan_type_{plan_type}")
            assert squash(sentence) in squashed


# -- the parents' wishes and their legal position ----------------------------------------------


def _readable_texts(result) -> dict[str, str]:
    """The words of the Easy Read copy in each format, white space removed (a PDF's line
    breaks, the HTML's tags and no-break spaces hide no word)."""
    page = one_file(result, "parent", ".html").read_text(encoding="utf-8")
    return {"html": squash(html.unescape(re.sub(r"<[^>]+>", " ", page))),
            "pdf": squash(pdf_text(one_file(result, "parent", ".pdf"))),
            "docx": squash(docx_text(one_file(result, "parent", ".docx")))}


def _document(data: dict, language: str = "en", pack: str = "sunderland"):
    """The Easy Read document built from the parents' view of ``data``, as render_plan builds it."""
    from birthplan.audience import view_for
    from birthplan.history import version_stamp
    from birthplan.render.easy_read import build_easy_read
    from birthplan.render.packs import load_pack

    source = EXAMPLES / f"{pack}-full.yaml"
    return build_easy_read(view_for(data, "parent"), load_pack(TEMPLATES / pack), version_stamp(source, data),
                           language)


def _example(pack: str = "sunderland") -> dict:
    from birthplan.load import load_plan

    return load_plan(EXAMPLES / f"{pack}-full.yaml").data


def _topic_text(document, topic_id: str) -> str:
    topic = next((t for t in document.topics if t.id == topic_id), None)
    return "" if topic is None else "\n".join(line.text for p in topic.points for line in p.lines)


def test_the_parents_own_birth_wishes_come_after_who_will_be_with_me_in_every_format(easy):
    page = one_file(easy["en"], "parent", ".html").read_text(encoding="utf-8")
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", page)
    assert headings.index("What I want for my birth") == headings.index("Who will be with me") + 1
    # a fixed sentence naming each wish, then the parents' own words, one sentence a line
    wishes = {"Pain relief, to help with pain:": "I would like gas and air first, and an epidural if I ask for one.",
              "Holding my baby skin to skin:": "Straight away please, with Daniel doing skin-to-skin if I can't.",
              "Feeding my baby:": "I want to try breastfeeding and would like help from the infant feeding team.",
              "Cutting the cord between me and my baby:": "Delayed cord clamping, and Daniel would like to cut the cord.",
              "Food and drink I need:": "I am vegetarian.",
              "If the hospital needs to start my labour:": "let my mum stay.",
              "If I need a caesarean, an operation to help my baby be born:": "I want Daniel with me in theatre.",
              "If my baby needs special care in hospital:": "to express milk."}
    for fmt, text in _readable_texts(easy["en"]).items():
        for sentence, words in wishes.items():
            assert squash(sentence) in text, (fmt, sentence)
            assert squash(words) in text, (fmt, words)
        # the example records no wish about students, positions or the placenta: nothing is said
        for absent in ("Students in the room", "Positions in labour", "The placenta"):
            assert squash(absent) not in text, (fmt, absent)
    points = re.findall(r'<li class="point">(.*?)</li>', page, re.S)
    feeding = next(p for p in points if "<strong>Feeding</strong> my baby:" in p)
    assert 'alt="A mother feeding her baby"' in feeding
    assert '<p class="plan-words">I want to try breastfeeding' in feeding  # their words, not bold


def test_the_law_and_my_baby_says_the_legal_position_in_plain_words_in_every_format(easy):
    page = one_file(easy["en"], "parent", ".html").read_text(encoding="utf-8")
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", page)
    assert headings.index("The law and my baby") == headings.index("If my baby cannot stay with me") + 1
    said = ["My baby has a child protection plan.", "It says how everyone will help keep my baby safe.",
            "The plan started on 30 November 2026.", "What the workers are worried about:",
            "Neglect: my baby may not get the care they need every day.", "Emotional abuse:",
            "The council is thinking about going to court about my baby.",
            "The council sent me a letter about this on 18 December 2026.", "This is called pre-proceedings.",
            "I can get a solicitor for free.", "Amira Hassan from Hassan & Webb Solicitors (fictional) is my solicitor.",
            "If there is a court case, I will go to the court building.", "Getting to court:",
            "Priya will book a taxi", "Help to take part in court:", "Rachel (advocate) will sit with Kay",
            # section 20: their choice, a solicitor first, never shown as agreed (no decision recorded)
            "The council wants my baby to live with foster carers, if I agree.", "This is called section 20.",
            "It is my choice. I do not have to agree.", "If I agree, I can change my mind later.",
            "I can ask a solicitor before I decide.", "I have talked to a solicitor about this.",
            "My answer is not written down yet.",
            "I have parental responsibility for my baby.",
            "My baby's father will have parental responsibility once he is on the birth certificate.",
            # and the words it uses are explained under "Words to know"
            "Parental responsibility", "The right to make big choices for a child",
            "Pre-proceedings", "The time before any court case.", "Child protection plan"]
    for fmt, text in _readable_texts(easy["en"]).items():
        for sentence in said:
            assert squash(sentence) in text, (fmt, sentence)
        # the legal planning meeting (7 January 2027) is for professionals only
        assert squash("7 January 2027") not in text, fmt
        assert squash("I agreed") not in text, fmt
    assert re.search(r'<a class="phone" href="tel:\+441632960733">01632\u00a0960733</a>', page)


def test_the_welsh_copy_has_the_wishes_and_the_law_in_welsh(easy):
    page = html.unescape(one_file(easy["cy"], "parent", ".html").read_text(encoding="utf-8"))
    for words in ("Beth rydw i eisiau ar gyfer y geni", "Lleddfu poen", "Dŵr a nwy ac aer i ddechrau.",
                  "Myfyrwyr", "Dim myfyrwyr, os gwelwch yn dda.", "Pigiad", "toriad Cesaraidd",
                  "Y gyfraith a fy mabi", "cynllun amddiffyn gofal a chymorth", "Cam-drin emosiynol",
                  "Does dim achos</strong> yn y llys am fy mabi.",
                  "cyfrifoldeb rhiant</strong> gen i dros fy mabi",
                  "Bydd cyfrifoldeb rhiant gan dad fy mabi pan fydd ei enw ar y dystysgrif geni."):
        assert words in page, words
    for english in ("What I want for my birth", "The law and my baby", "Pain relief", "solicitor"):
        assert english not in page, english
    # voluntary accommodation is not proposed in this plan: section 76 is not raised at all
    assert "Adran 76" not in page and "gofalwyr maeth" not in page


@pytest.mark.parametrize("decision", [None, "not_asked", "agreed", "not_agreed", "withdrawn"])
def test_voluntary_accommodation_is_never_said_to_be_agreed_unless_the_plan_records_it(decision):
    data = _example()
    accommodation = data["legal_status"]["voluntary_accommodation"]
    accommodation.pop("decision", None)
    if decision:
        accommodation.update(decision=decision, decision_date="2027-01-14")
    text = _topic_text(_document(data), "law")
    assert ("I agreed." in text) == (decision == "agreed")
    assert "It is my choice. I do not have to agree." in text
    assert "I can ask a solicitor before I decide." in text
    assert ("This was on 14 January 2027." in text) == (decision in ("agreed", "not_agreed", "withdrawn"))
    if decision is None:
        assert "My answer is not written down yet." in text
    # not proposed and never asked: section 20 is not raised
    accommodation["proposed"] = False
    text = _topic_text(_document(data), "law")
    assert ("section 20" in text) == (decision in ("agreed", "not_agreed", "withdrawn"))


def test_each_court_stage_and_parental_responsibility_has_its_plain_sentence():
    data = _example()
    legal = data["legal_status"]
    legal.update(stage="interim_care_order_sought", parental_responsibility={"mother": True, "father": "none"})
    legal["court"]["first_hearing_date"] = "2027-03-29"
    del legal["parents_solicitor"]
    text = _topic_text(_document(data), "law")
    for sentence in ("The council will ask the court for an interim care order.",
                     "In court, a judge decides what is best for my baby.", "I can get a solicitor for free.",
                     "I can get help to find a solicitor.", "The first day in court is on 29 March 2027.",
                     "I will go to the court building.",
                     "My baby's father does not have parental responsibility.",
                     "He can ask a solicitor how to get it."):
        assert sentence in text, sentence
    assert "pre-proceedings" not in text and "letter" not in text  # the PLO letter belongs to pre-proceedings
    legal.update(plan_type="none", stage="none")
    for key in ("categories", "court", "voluntary_accommodation", "parental_responsibility", "plan_date"):
        legal.pop(key, None)
    text = _topic_text(_document(data), "law")
    assert text.splitlines() == ["My baby does not have a plan from children's services.",
                                 "There is no court case about my baby.", ]


def test_a_wish_or_legal_fact_withheld_from_the_parents_never_reaches_the_easy_read_copy():
    data = _example()
    data["wishes"]["dietary_needs"] = {"text": "Halal food only WITHHELDWISH.", "share_with": ["professional"]}
    data["wishes"]["what_ifs"]["caesarean"] = {"text": "Told by the midwife WITHHELDTOO.", "third_party": True}
    data["legal_status"]["court"]["other_help"] = {"text": "An intermediary WITHHELDCOURT.",
                                                   "share_with": ["professional", "delivery_suite"]}
    data["wishes"]["monitoring"] = {"text": "Listen in with a handheld device SHAREDWISH.", "share_with": ["parent"]}
    document = _document(data)
    text = "\n".join(document.all_text())
    for withheld in ("WITHHELDWISH", "WITHHELDTOO", "WITHHELDCOURT"):
        assert withheld not in text, withheld
    # and the fixed sentence naming a withheld wish is not left behind, empty
    for sentence in ("Food and drink I need:", "If I need a caesarean", "Help to take part in court:"):
        assert sentence not in text, sentence
    assert "Checking my baby's heartbeat in labour:" in text and "SHAREDWISH" in text


def test_every_wish_and_legal_value_the_schema_knows_has_its_easy_read_sentence_and_picture():
    """A wish or a legal value added to the schema cannot silently go missing from Easy Read."""
    import json

    from birthplan.render.easy_read.words import LAW_VALUES, PICTURES, WISHES

    schema = json.loads((TEMPLATES.parent / "schemas" / "birthplan.schema.json").read_text(encoding="utf-8"))
    wishes = schema["properties"]["wishes"]["properties"]
    known = set(wishes) - {"birth_partners", "what_ifs"} | set(wishes["what_ifs"]["properties"])
    assert known == set(WISHES)
    legal = schema["properties"]["legal_status"]["properties"]
    enums = {"plan_type": legal["plan_type"]["enum"], "category": legal["categories"]["items"]["enum"],
             "stage": legal["stage"]["enum"],
             "decision": legal["voluntary_accommodation"]["properties"]["decision"]["enum"],
             "father": legal["parental_responsibility"]["properties"]["father"]["enum"]}
    for field, values in enums.items():
        assert set(values) <= set(LAW_VALUES[field]), field
    assert {f"wish_{name}" for name in WISHES} <= set(PICTURES)
    for path in _easy_files():
        sentences = yaml.safe_load(path.read_text(encoding="utf-8"))["sentences"]
        missing = [f"{field}_{v}" for field, values in enums.items() for v in values
                   if f"{field}_{v}" not in sentences] + [f"wish_{w}" for w in WISHES if f"wish_{w}" not in sentences]
        assert not missing, (path, missing)




def _pages(easy, request, language: str, fmt: str) -> list:
    """The pages of the Easy Read PDF, or of the Word copy as LibreOffice lays it out."""
    import pymupdf

    path = (one_file(easy[language], "parent", ".pdf") if fmt == "pdf"
            else request.getfixturevalue("word_pages")[language])
    with pymupdf.open(path) as pdf:
        return [{"text": squash(page.get_text()).replace("\u200b", ""),
                 "words": [(pymupdf.Rect(w[:4]), w[4].replace("\u200b", "")) for w in page.get_text("words")],
                 "pictures": [d["rect"] for d in page.get_drawings()]
                 + [pymupdf.Rect(i["bbox"]) for i in page.get_image_info()]}
                for page in pdf]


def _example_document(language: str):
    return (_document(_example(), "en", "sunderland") if language == "en"
            else _document(_example("swansea"), "cy", "swansea"))


def _picture_beside(page, first_line: str) -> bool:
    """Whether the page has a picture left of (and level with) the start of ``first_line``."""
    wanted = first_line.replace("\u00a0", " ").split()[:3]
    words = page["words"]
    for at in range(len(words) - len(wanted) + 1):
        if [w for _, w in words[at:at + len(wanted)]] == wanted:
            line = words[at][0]
            if any(p.x1 <= line.x0 + 1 and p.y0 < line.y1 + 12 and p.y1 > line.y0 - 12 and p.width < 120
                   for p in page["pictures"]):
                return True
    return False


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("language", ["en", "cy"])
def test_no_point_is_split_over_two_pages_nor_parted_from_its_picture(easy, request, language, fmt):
    """A picture with half its words on one page and the rest on the next was seen (WeasyPrint
    can break a flex row despite break-inside: avoid), and a "Words to know" entry ("EDT")
    at the foot of a page with its meaning and picture over the page: every point, the words
    to know included, has all its words on one page, its picture beside the first line."""
    document = _example_document(language)
    pages = _pages(easy, request, language, fmt)
    points = [document.intro, *(point for topic in document.topics for point in topic.points)]
    assert len(points) > 40
    assert any(topic.id == "words" and len(topic.points) > 5 for topic in document.topics)
    for point in points:
        words = squash("".join(line.text for line in point.lines))
        holding = [page for page in pages if words in page["text"]]
        assert holding, (fmt, point.lines[0].text)
        assert any(_picture_beside(page, point.lines[0].text) for page in holding), (fmt, point.lines[0].text)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_last_page_holds_more_than_the_picture_credit(easy, request, language, fmt):
    """The Sunderland example's last page held only the pictures' credit and the disclaimer:
    the credit follows the last point, on its page or with it on the next."""
    document = _example_document(language)
    last = _pages(easy, request, language, fmt)[-1]["text"]
    assert squash(document.credit) in last
    assert squash("".join(line.text for line in document.topics[-1].points[-1].lines)) in last


def _partners(data: dict, *relationships: str) -> dict:
    names = ("Liam Armstrong", "Owen Griffiths", "Ffion Rees")
    data["visitors"]["birth_partners"] = [{"name": name, "relationship": relationship}
                                          for name, relationship in zip(names, relationships)]
    return data


@pytest.mark.parametrize("pack, language, said", [
    ("sunderland", "en", "Who {name} is: {relationship}"),
    ("swansea", "cy", "Pwy yw {name}: {relationship}"),
])
def test_a_birth_partners_relationship_reads_right_whatever_words_the_plan_holds(easy, pack, language, said):
    """ "Liam Armstrong is partner." was seen: a bare noun ("partner") and a phrase ("my sister",
    "baby's father") both read right after the same fixed words."""
    relationships = ("partner", "my sister", "baby's father")
    lines = _topic_text(_document(_partners(_example(pack), *relationships), language, pack),
                        "with_me").splitlines()
    for name, relationship in zip(("Liam Armstrong", "Owen Griffiths", "Ffion Rees"), relationships):
        assert said.format(name=name, relationship=relationship) in lines
    assert not [line for line in lines if " is partner" in line or " is baby's" in line]
    # and in every file of the example
    name = "Daniel Pryce" if language == "en" else "Rhodri Llŷr Bowen"
    for fmt, text in _readable_texts(easy[language]).items():
        assert squash(said.format(name=name, relationship="baby's father")) in text, fmt
        assert squash(f"{name} is baby's father") not in text, fmt


MEETINGS = {"en": ("We will talk about this plan at a meeting on {date}.",
                   "We talked about this plan at a meeting on {date}.", "It is not agreed yet.",
                   "This plan has not been agreed at a meeting yet."),
            "cy": ("Byddwn ni'n siarad am y cynllun hwn mewn cyfarfod ar {date}.",
                   "Gwnaethon ni siarad am y cynllun hwn mewn cyfarfod ar {date}.",
                   "Dydy e ddim wedi cael ei gytuno eto.",
                   "Dydy'r cynllun hwn ddim wedi cael ei gytuno mewn cyfarfod eto.")}


@pytest.mark.parametrize("pack, language, date", [("sunderland", "en", "14 January 2027"),
                                                  ("swansea", "cy", "3 Chwefror 2027")])
def test_a_drafts_meeting_is_in_the_future_only_until_its_day(easy, monkeypatch, pack, language, date):
    """A draft said "We will talk about this plan at a meeting on 24 November 2026" after that day.
    Once it has passed, the copy says the plan is not agreed yet, once."""
    import dataclasses
    import datetime as dt

    from birthplan.audience import view_for
    from birthplan.history import rules, version_stamp
    from birthplan.render.easy_read import build_easy_read
    from birthplan.render.packs import load_pack

    data = _example(pack)
    meeting = dt.date.fromisoformat(str(data["plan"]["meeting"]["date"]))
    future, past, not_agreed, never_agreed = (s.format(date=date) for s in MEETINGS[language])
    for today, said, unsaid in ((meeting, future, past), (meeting + dt.timedelta(days=1), past, future)):
        monkeypatch.setattr(rules, "today", lambda today=today: today)
        lines = _topic_text(_document(data, language, pack), "about").splitlines()
        assert said in lines and unsaid not in lines, today
        assert never_agreed in lines and not_agreed not in lines  # said once, by the version point
    # a redraft after version 1, its meeting passed: "It is not agreed yet." after the meeting
    stamp = dataclasses.replace(version_stamp(EXAMPLES / f"{pack}-full.yaml", data), version=1)
    document = build_easy_read(view_for(data, "parent"), load_pack(TEMPLATES / pack), stamp, language)
    lines = _topic_text(document, "about").splitlines()
    assert lines[lines.index(past) + 1] == not_agreed and never_agreed not in lines
    # the example is a draft, rendered after its meeting (tests' today: 15 April 2027)
    for fmt, text in _readable_texts(easy[language]).items():
        assert squash(past) in text and squash(future) not in text, fmt


def test_a_term_inside_a_longer_term_is_explained_once_in_welsh():
    """ "Cyn achos llys" (pre-proceedings) also listed "Achos llys" (proceedings) under Words to know."""
    data = _example("swansea")
    data["legal_status"].update(stage="pre_proceedings", plo_letter_date="2026-12-18")
    document = _document(data, "cy", "swansea")
    law = _topic_text(document, "law")
    assert "Cyn achos llys" in law and "achos llys" not in law.replace("Cyn achos llys", "")
    terms = [point.lines[0].text for topic in document.topics if topic.id == "words" for point in topic.points]
    assert "Cyn achos llys" in terms and "Achos llys" not in terms


@pytest.mark.parametrize("pack, language, future, past", [
    ("sunderland", "en",
     ["There will be a meeting about going home on 10 March 2027.",
      "We will look at this plan again on 11 February 2027."],
     ["We planned a meeting about going home on 10 March 2027.",
      "We planned to look at this plan again on 11 February 2027."]),
    ("swansea", "cy",
     ["Bydd cyfarfod am fynd adref ar {meeting}.", "Byddwn ni'n edrych ar y cynllun hwn eto ar 3 Mawrth 2027."],
     ["Roedden ni wedi trefnu cyfarfod am fynd adref ar {meeting}.",
      "Roedden ni wedi trefnu edrych ar y cynllun hwn eto ar 3 Mawrth 2027."]),
])
def test_the_next_review_and_the_going_home_meeting_are_in_the_future_only_until_their_day(
        monkeypatch, pack, language, future, past):
    """The same false future tense: "We will look at this plan again on 11 February 2027" in April."""
    import datetime as dt

    from birthplan.history import rules

    data = _example(pack)
    data["discharge"]["planning_meeting_date"] = "2027-03-10"
    meeting = "10 March 2027" if language == "en" else "10 Mawrth 2027"
    future, past = ([s.format(meeting=meeting) for s in said] for said in (future, past))
    for today, said, unsaid in ((dt.date(2027, 1, 1), future, past), (dt.date(2027, 4, 15), past, future)):
        monkeypatch.setattr(rules, "today", lambda today=today: today)
        document = _document(data, language, pack)
        text = _topic_text(document, "after_birth") + "\n" + _topic_text(document, "about")
        for sentence in said:
            assert sentence in text, (today, sentence)
        for sentence in unsaid:
            assert sentence not in text, (today, sentence)


INTRO = {"en": {"agreed": ["We made this plan together at a meeting."],
                "draft": ["We are making this plan together.", "It is not agreed yet."],
                "redraft": ["We are changing this plan together.", "The changes are not agreed yet."]},
         "cy": {"agreed": ["Gwnaethon ni'r cynllun hwn gyda'n gilydd mewn cyfarfod."],
                "draft": ["Rydyn ni'n gwneud y cynllun hwn gyda'n gilydd.", "Dydy e ddim wedi cael ei gytuno eto."],
                "redraft": ["Rydyn ni'n newid y cynllun hwn gyda'n gilydd.",
                            "Dydy'r newidiadau ddim wedi cael eu cytuno eto."]}}


def _intro_says(text: str, language: str, state: str) -> None:
    """The introduction (before the first topic, "Who will be with me") says the words of
    ``state`` (agreed, draft, redraft) and none of the others'."""
    first_topic = squash({"en": "Who will be with me", "cy": "Pwy fydd gyda fi"}[language])
    if first_topic in text:  # a whole copy; the document model's intro alone is all intro
        text = text.split(first_topic)[0]
    for other, sentences in INTRO[language].items():
        for sentence in sentences:
            assert (squash(sentence) in text) == (other == state), (state, sentence)


def test_a_drafts_introduction_never_says_the_plan_was_made_at_a_meeting(easy, tmp_path):
    """The intro said "We made this plan together at a meeting" on a draft no meeting had agreed."""
    from birthplan.history import record_review

    for language in ("en", "cy"):  # both examples are drafts, never agreed
        _intro_says(squash(pdf_text(one_file(easy[language], "parent", ".pdf"))), language, "draft")
    plan = tmp_path / "plan.yaml"
    plan.write_text((EXAMPLES / "sunderland-full.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    record_review(plan)
    agreed = render_into(tmp_path / "agreed", plan, formats=("pdf",), audiences=("parent",), easy_read=True)
    _intro_says(squash(pdf_text(one_file(agreed, "parent", ".pdf"))), "en", "agreed")
    # changed after version 1 and not agreed again: the changes are what is not agreed
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "caesarean: I want Daniel with me in theatre.", "caesarean: I want Daniel and my mum with me."),
        encoding="utf-8")
    redraft = render_into(tmp_path / "redraft", plan, formats=("html",), audiences=("parent",), easy_read=True)
    page = html.unescape(re.sub(r"<[^>]+>", " ", one_file(redraft, "parent", ".html").read_text(encoding="utf-8")))
    _intro_says(squash(page), "en", "redraft")
    # the Welsh words for a redraft (the Welsh example as if version 1 had been agreed)
    import dataclasses

    from birthplan.audience import view_for
    from birthplan.history import version_stamp
    from birthplan.render.easy_read import build_easy_read

    data = _example("swansea")
    stamp = dataclasses.replace(version_stamp(EXAMPLES / "swansea-full.yaml", data), version=1)
    document = build_easy_read(view_for(data, "parent"), load_pack(TEMPLATES / "swansea"), stamp, "cy")
    _intro_says(squash("\n".join(line.text for line in document.intro.lines)), "cy", "redraft")
