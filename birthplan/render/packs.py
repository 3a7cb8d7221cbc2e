"""Load and check a template pack: the folder an authority edits to restyle
its documents without touching Python.

A pack holds ``pack.yaml`` (colours, fonts, wording, phone numbers, nation),
``strings/<language>.yaml`` (every fixed word), ``glossary/<language>.yaml``,
``html/document.html`` + ``html/sheet.html`` + ``html/style.css`` (the HTML
and PDF copies) and ``word/<audience>.docx`` (docxtpl templates). Everything
is checked when the
pack is loaded, so a broken pack fails before any file is written, with a
message naming the file and the key to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from birthplan.errors import BirthplanError, UsageError
from birthplan.render.contrast import contrast_ratio
from birthplan.values import parse_phone

AUDIENCES = ("professional", "delivery_suite", "parent")
LANGUAGES = ("en", "cy")
PACK_FILE = "pack.yaml"
# libyaml reads a pack's YAML eight times faster than the pure-Python reader, with the same
# result: loading the Sunderland pack fell from 29 ms to 4 ms, paid by every render.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
HTML_TEMPLATE = "html/document.html"
SHEET_TEMPLATE = "html/sheet.html"  # the delivery-suite sheet's sections, included by document.html
CSS_FILE = "html/style.css"
WCAG_AA_TEXT = 4.5
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_FONT_STACK = re.compile(r"[A-Za-z0-9 ,'\"-]+")
# Text colour / background pairs the stylesheet uses; each must meet WCAG 2.2 AA.
CONTRAST_PAIRS = (
    ("text", "background"),
    ("muted", "background"),
    ("heading", "background"),
    ("on_primary", "primary"),
    ("text", "panel"),
    ("text", "alert_background"),
    ("muted", "alert_background"),
    ("muted", "panel"),
)
REQUIRED_COLOURS = ("primary", "on_primary", "accent", "text", "muted", "heading",
                    "background", "panel", "alert_background", "rule")
REQUIRED_WORDING = ("header", "footer", "disclaimer", "procedures", "service")


class PackError(BirthplanError):
    """A template pack is missing a file or a setting, or a template failed."""


class LanguageNotInPack(PackError, UsageError):
    """A copy was asked for in a language the pack has no words for: the request is
    what to change (exit 2), not the pack."""


@dataclass(frozen=True)
class Pack:
    """A loaded, checked template pack."""

    root: Path
    name: str
    nation: str
    languages: tuple[str, ...]
    authority: dict
    colours: dict
    fonts: dict
    wording: dict  # language -> {header, footer, disclaimer, ...}
    logo: dict  # {svg, png, alt: {language: text}}
    strings: dict = field(default_factory=dict)  # language -> table
    glossary: dict = field(default_factory=dict)  # language -> list of entries

    def path(self, relative: str) -> Path:
        return self.root / relative

    def word_template(self, audience: str) -> Path:
        return self.root / "word" / f"{audience}.docx"

    def require_language(self, language: str) -> None:
        wanted = ("cy", "en") if language == "bilingual" else (language,)
        missing = [lang for lang in wanted if lang not in self.languages]
        if missing:
            named = " or ".join(f"{_LANGUAGE_NAMES[m]} ({m})" for m in missing)
            raise LanguageNotInPack(f"the {self.name} pack has no {named} words; its languages "
                                    f"are: {', '.join(self.languages)}.")


_LANGUAGE_NAMES = {"en": "English", "cy": "Welsh"}


def load_pack(root: Path | str) -> Pack:
    """Read and check the pack in ``root``; raise PackError naming what is wrong."""
    root = Path(root).resolve()
    if not root.is_dir():
        raise PackError(f"{root}: no such template pack folder.")
    theme = _read_yaml(root / PACK_FILE, dict)
    where = root / PACK_FILE
    info = _section(theme, "pack", where)
    name = _text(info, "name", where, "pack")
    nation = _text(info, "nation", where, "pack")
    if nation not in ("england", "wales"):
        raise PackError(f"{where}: pack > nation must be england or wales.")
    languages = tuple(info.get("languages") or ())
    if not languages or any(lang not in LANGUAGES for lang in languages) or "en" not in languages:
        raise PackError(f"{where}: pack > languages must list en, and may add cy.")
    authority = _section(theme, "authority", where)
    for key in ("name", "switchboard", "out_of_hours"):
        _text(authority, key, where, "authority")
    for key in ("switchboard", "out_of_hours"):  # checked and shown like a plan's numbers
        try:
            authority[key] = parse_phone(authority[key]).display
        except ValueError as why:
            raise PackError(f"{where}: authority > {key}: the number {why}.") from None
    colours = _colours(_section(theme, "colours", where), where)
    fonts = _fonts(_section(theme, "fonts", where), where)
    wording = _wording(_section(theme, "wording", where), languages, where)
    logo = _logo(_section(theme, "logo", where), root, languages, where)
    for relative in (HTML_TEMPLATE, SHEET_TEMPLATE, CSS_FILE, *(f"word/{a}.docx" for a in AUDIENCES)):
        if not (root / relative).is_file():
            raise PackError(f"{root / relative}: this file is missing from the template pack.")
    from birthplan.render.selfcontained import check_stylesheet, check_templates

    # Nothing loads from outside the pack: checked here, on the pack's side, never on plan words.
    check_templates(root / "html", root / HTML_TEMPLATE)
    for stylesheet in sorted((root / "html").glob("*.css")):  # style.css, easy_read.css
        check_stylesheet(stylesheet, root)
    from birthplan.render.i18n import check_strings
    from birthplan.render.glossary import check_glossary

    strings, glossary = {}, {}
    for lang in languages:
        strings_path = root / "strings" / f"{lang}.yaml"
        strings[lang] = check_strings(_read_yaml(strings_path, dict), strings_path, lang)
        glossary_path = root / "glossary" / f"{lang}.yaml"
        glossary[lang] = check_glossary(_read_yaml(glossary_path, list), glossary_path)
    return Pack(root, name, nation, languages, authority, colours, fonts, wording, logo,
                strings, glossary)


def _read_yaml(path: Path, kind: type):
    if not path.is_file():
        raise PackError(f"{path}: this file is missing from the template pack.")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except UnicodeDecodeError:
        raise PackError(f"{path}: not UTF-8 text; save it as UTF-8.") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f" (line {mark.line + 1})" if mark else ""
        raise PackError(f"{path}: not valid YAML{line}: check the indentation and quoting.") from None
    if not isinstance(data, kind):
        what = "a mapping of settings" if kind is dict else "a list of entries"
        raise PackError(f"{path}: should hold {what}.")
    return data


def _section(data: dict, key: str, where: Path) -> dict:
    value = data.get(key)
    if not isinstance(value, dict):
        raise PackError(f"{where}: the '{key}:' section is missing.")
    return value


def _text(data: dict, key: str, where: Path, section: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise PackError(f"{where}: {section} > {key} is missing or empty.")
    return value


def _colours(colours: dict, where: Path) -> dict:
    for key in REQUIRED_COLOURS:
        value = colours.get(key)
        if not isinstance(value, str) or not _COLOUR.fullmatch(value):
            raise PackError(f"{where}: colours > {key} must be a colour like \"#1a1a1a\".")
    for text, background in CONTRAST_PAIRS:
        ratio = contrast_ratio(colours[text], colours[background])
        if ratio < WCAG_AA_TEXT:
            raise PackError(
                f"{where}: colours > {text} on {background} has a contrast of {ratio:.2f}:1; "
                f"WCAG 2.2 AA needs at least {WCAG_AA_TEXT}:1 for text. Darken or lighten one of them.")
    return dict(colours)


def _fonts(fonts: dict, where: Path) -> dict:
    for key in ("word", "css"):
        value = fonts.get(key)
        if not isinstance(value, str) or not _FONT_STACK.fullmatch(value):
            raise PackError(f"{where}: fonts > {key} must be font names (letters, digits, "
                            "spaces, commas and quotes only).")
    return dict(fonts)


def _wording(wording: dict, languages: tuple, where: Path) -> dict:
    for lang in languages:
        table = wording.get(lang)
        if not isinstance(table, dict):
            raise PackError(f"{where}: wording > {lang} is missing.")
        for key in REQUIRED_WORDING:
            _text(table, key, where, f"wording > {lang}")
    return {lang: dict(wording[lang]) for lang in languages}


def _logo(logo: dict, root: Path, languages: tuple, where: Path) -> dict:
    for key in ("svg", "png"):
        relative = _text(logo, key, where, "logo")
        target = (root / relative).resolve()
        if not target.is_relative_to(root):
            raise PackError(f"{where}: logo > {key} must be a file inside the pack.")
        if not target.is_file():
            raise PackError(f"{target}: this file is missing from the template pack.")
    alt = logo.get("alt")
    if not isinstance(alt, dict) or any(not isinstance(alt.get(lang), str) or not alt[lang].strip()
                                        for lang in languages):
        raise PackError(f"{where}: logo > alt needs a text alternative for each language "
                        f"({', '.join(languages)}): screen readers read it out.")
    return dict(logo)
