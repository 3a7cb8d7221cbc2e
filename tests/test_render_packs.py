"""Template packs: any pack renders with --templates; a broken pack fails
before anything is written, with a message naming the file; the PDF step
can load only the pack's own files; the Word-template generator works."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from docx import Document

from birthplan.render import PackError, render_plan
from birthplan.render.fetcher import RefusedURL, inside_pack, pack_fetcher
from birthplan.render.packs import load_pack
from birthplan.resources import templates_dir

from .conftest import EXAMPLES, docx_text, one_file, pdf_text

PLAN = EXAMPLES / "minimal.yaml"


@pytest.fixture
def pack(tmp_path) -> Path:
    """A copy of the Sunderland pack to edit."""
    folder = tmp_path / "our-pack"
    shutil.copytree(templates_dir() / "sunderland", folder)
    return folder


def _edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _render(pack: Path, out: Path, **options):
    options.setdefault("formats", ("docx", "pdf", "html"))
    return render_plan(PLAN, templates=pack, out_dir=out, **options)


def test_shipped_packs_load_and_say_they_are_not_official_forms():
    for name, nation, languages in (("sunderland", "england", ("en",)), ("swansea", "wales", ("en", "cy"))):
        loaded = load_pack(templates_dir() / name)
        assert (loaded.nation, loaded.languages) == (nation, languages)
        for lang in languages:
            assert "not an official council form" in loaded.wording[lang]["disclaimer"].lower() \
                or "nid yw'n ffurflen swyddogol" in loaded.wording[lang]["disclaimer"].lower()
        assert loaded.authority["switchboard"].startswith("01632 960")
        assert loaded.authority["out_of_hours"].startswith("01632 960")


def test_an_authoritys_own_pack_renders_with_its_own_words(pack, tmp_path):
    _edit_yaml(pack / "pack.yaml", lambda d: d["wording"]["en"].update(header="Northby Council test header"))
    _edit_yaml(pack / "strings" / "en.yaml", lambda d: d["titles"].update(parent="Our birth plan"))
    result = _render(pack, tmp_path / "out", audiences=("parent", "professional"))
    # the header line runs on every page of the staff's PDF (the parents' PDF keeps its
    # running lines short: the marking, DRAFT and the version) and in every Word header
    assert "Northby Council test header" in pdf_text(one_file(result, "professional", ".pdf"))
    assert "Northby Council test header" in docx_text(one_file(result, "parent", ".docx"))
    assert Document(one_file(result, "parent", ".docx")).core_properties.title.startswith("Our birth plan")


def test_an_undefined_variable_in_the_html_template_names_the_file(pack, tmp_path):
    html = pack / "html" / "document.html"
    html.write_text(html.read_text(encoding="utf-8").replace("{{ doc.intro }}", "{{ doc.intro_text }}"),
                    encoding="utf-8")
    with pytest.raises(PackError, match=r"html/document\.html.*not defined"):
        _render(pack, tmp_path / "out")
    assert not (tmp_path / "out").exists()  # nothing written


def test_an_undefined_variable_in_a_word_template_names_the_file(pack, tmp_path):
    path = pack / "word" / "parent.docx"
    document = Document(path)
    document.add_paragraph("{{ doc.mothers_favourite_colour }}")
    document.save(path)
    with pytest.raises(PackError, match=r"word/parent\.docx.*not defined"):
        _render(pack, tmp_path / "out", audiences=("parent",), formats=("docx",))


@pytest.mark.parametrize("missing", ["word/delivery_suite.docx", "html/style.css", "strings/en.yaml",
                                     "glossary/en.yaml", "images/logo.png"])
def test_a_missing_file_is_named(pack, tmp_path, missing):
    (pack / missing).unlink()
    with pytest.raises(PackError, match=missing.replace(".", r"\.") + ": this file is missing"):
        _render(pack, tmp_path / "out")


def test_a_missing_string_is_named_with_its_file_and_key(pack, tmp_path):
    _edit_yaml(pack / "strings" / "en.yaml", lambda d: d["headings"].pop("parent_wishes"))
    with pytest.raises(PackError, match=r"strings/en\.yaml: headings > parent_wishes is missing"):
        _render(pack, tmp_path / "out")


def test_an_included_template_that_is_missing_is_named(pack, tmp_path):
    html = pack / "html" / "document.html"
    html.write_text(html.read_text(encoding="utf-8").replace("<main>", "{% include 'extra.html' %}<main>"),
                    encoding="utf-8")
    with pytest.raises(PackError, match=r"html/extra\.html: this file is missing"):
        _render(pack, tmp_path / "out")


def test_colours_below_wcag_aa_contrast_are_refused(pack, tmp_path):
    _edit_yaml(pack / "pack.yaml", lambda d: d["colours"].update(muted="#b0b0b0"))
    with pytest.raises(PackError, match=r"pack\.yaml: colours > muted on background has a contrast of 2\.\d\d:1"):
        _render(pack, tmp_path / "out")


def test_a_word_image_without_alt_text_is_refused(pack, tmp_path):
    path = pack / "word" / "professional.docx"
    document = Document(path)
    document.add_paragraph().add_run().add_picture(str(pack / "images" / "logo.png"))
    document.save(path)
    with pytest.raises(PackError, match=r"word/professional\.docx: the image .* has no alt text"):
        _render(pack, tmp_path / "out", audiences=("professional",), formats=("docx",))


def test_sunderland_has_no_welsh_so_asking_for_it_fails_clearly(tmp_path):
    with pytest.raises(PackError, match=r"has no Welsh \(cy\) words"):
        render_plan(PLAN, language="cy", out_dir=tmp_path)


# -- nothing but the pack's own files ------------------------------------------------


@pytest.mark.parametrize("url", ["https://example.org/logo.png", "http://127.0.0.1/x.css",
                                 "//example.org/font.woff", "file:///etc/passwd"])
def test_a_stylesheet_may_not_reach_outside_the_pack(pack, tmp_path, url):
    css = pack / "html" / "style.css"
    css.write_text(css.read_text(encoding="utf-8") + f"\nbody {{ background: url({url}); }}\n", encoding="utf-8")
    with pytest.raises(PackError, match="is not allowed: a pack may only use its own files"):
        _render(pack, tmp_path / "out")


def test_a_relative_path_out_of_the_pack_is_refused(pack, tmp_path):
    secret = tmp_path / "secret.png"
    shutil.copy(pack / "images" / "logo.png", secret)
    css = pack / "html" / "style.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nbody { background: url(../../secret.png); }\n",
                   encoding="utf-8")
    with pytest.raises(PackError, match="this file is missing from the template pack"):
        _render(pack, tmp_path / "out")


def test_the_pack_may_embed_its_own_files(pack, tmp_path):
    css = pack / "html" / "style.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.masthead { background-image: url(../images/logo.svg); }\n",
                   encoding="utf-8")
    result = _render(pack, tmp_path / "out", audiences=("parent",))
    html = one_file(result, "parent", ".html").read_text(encoding="utf-8")
    assert 'url("data:image/svg+xml;base64,' in html


def test_the_pdf_fetcher_refuses_the_network_and_files_outside_the_pack(pack, tmp_path):
    fetcher = pack_fetcher(pack)
    inside = (pack / "images" / "logo.svg").as_uri()
    assert fetcher.fetch(inside).read().startswith(b"<svg")
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("private", encoding="utf-8")
    for url in ("https://example.org/", "http://localhost/", "ftp://example.org/x", outside.as_uri(),
                (pack / "images" / ".." / ".." / "elsewhere.txt").as_uri(), "file://server/share/x.png"):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    assert inside_pack(outside.as_uri(), pack) is None
    link = pack / "images" / "link.txt"
    link.symlink_to(outside)
    with pytest.raises(RefusedURL):  # a link inside the pack to a file outside it
        fetcher.fetch(link.as_uri())


@pytest.mark.parametrize("tag, refused", [
    ('<img src="https://example.org/tracker.png" alt="x">', 'src="https://example.org/tracker.png"'),
    ("<img src='/etc/hosts' alt='x'>", 'src="/etc/hosts"'),
    ('<img src="{{ doc.intro }}" alt="x">', 'src="{{ doc.intro }}"'),
    ('<a href=https://example.org/>x</a>', 'href="https://example.org/"'),
    ('<form action="https://example.org/"></form>', 'action="https://example.org/"'),
    ('<link rel="stylesheet" href="style2.css">', "<link>"),
    ('<script>fetch("x")</script>', "<script>"),
    ('<meta http-equiv="refresh" content="0;url=https://example.org/">', "<meta>"),
    ('<p style="background: url(https://example.org/x.png)">x</p>', "url(https://example.org/x.png)"),
    ("<style>@import 'other.css';</style>", "@import"),
])
def test_a_reference_outside_the_page_in_the_html_template_is_refused_when_the_pack_loads(
        pack, tmp_path, tag, refused):
    html = pack / "html" / "document.html"
    html.write_text(html.read_text(encoding="utf-8").replace("<main>", tag + "\n<main>"), encoding="utf-8")
    with pytest.raises(PackError, match=r"html/document\.html:\d+: ") as raised:
        load_pack(pack)
    assert refused in str(raised.value) and "is not allowed" in str(raised.value)
    with pytest.raises(PackError):  # so nothing is rendered either
        _render(pack, tmp_path / "out", formats=("html",))
    assert not (tmp_path / "out").exists()


def test_an_included_template_is_checked_too_and_comments_are_not(pack):
    html = pack / "html"
    (html / "extra.html").write_text('{# an image needs src="..." with data: #}\n<img src="x.png" alt="">',
                                     encoding="utf-8")
    with pytest.raises(PackError, match=r"extra\.html:2: src=\"x\.png\" is not allowed"):
        load_pack(pack)
    (html / "extra.html").write_text('{# an image needs src="..." #}<a href="#top">Top</a>', encoding="utf-8")
    load_pack(pack)


def test_the_html_copy_tells_a_browser_to_load_nothing(example_renders):
    from .conftest import one_file as one

    page = one(example_renders["minimal"], "parent", ".html").read_text(encoding="utf-8")
    head = page[:page.index("<title>")]
    assert "Content-Security-Policy" in head and "default-src 'none'" in head


def test_the_pdf_step_stops_if_anything_slips_past_to_the_fetcher(pack):
    from birthplan.render.pdf import lay_out

    page = ('<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>'
            '<img src="https://example.org/tracker.png" alt="x"></body></html>')
    with pytest.raises(PackError, match=r"refused to load https://example\.org/tracker\.png"):
        lay_out(page, load_pack(pack))


# -- the Word template generator -------------------------------------------------------


def test_the_committed_generator_builds_word_templates_that_render(pack, tmp_path):
    for audience in ("professional", "delivery_suite", "parent"):
        (pack / "word" / f"{audience}.docx").unlink()
    script = templates_dir() / "build_word_templates.py"
    done = subprocess.run([sys.executable, str(script), str(pack)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    result = _render(pack, tmp_path / "out", formats=("docx",))
    for audience in ("professional", "delivery_suite", "parent"):
        document = Document(one_file(result, audience, ".docx"))
        assert document.paragraphs[0].style.name == "Title"
        assert "{{" not in docx_text(one_file(result, audience, ".docx"))


def test_the_content_policy_leaves_the_copy_whole_and_accessible_in_a_browser(example_renders, browser):
    from tests.browser import axe_violations, open_page

    from .conftest import one_file as one

    page = open_page(browser, one(example_renders["minimal"], "parent", ".html"))
    assert page.evaluate("() => document.querySelector('img.logo').naturalWidth") > 0  # data: logo shown
    # axe-core still runs under the policy; landmarks ("region") are issue 12's to finish
    assert {v["id"] for v in axe_violations(page)} <= {"region"}
