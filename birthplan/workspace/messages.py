"""Validation problems and schema hints in the form's words.

``birthplan validate`` speaks to whoever writes the YAML: "'at_birth' is required but
missing: add 'at_birth:' at the start of a line, not indented." In the form there are no
lines to add, so a problem whose advice is about writing the file (a field missing or
empty, a value of the wrong kind, too few items) is worded here from what the problem is
(``Problem.kind``, the schema keyword) and where (``Problem.path``), in the interface's
language, with the form's own labels. The checks stay in ``birthplan.validate``: the
same problems, other words. Any other problem (a reviewers' rule, a value that cannot be
read) keeps validate's words, which suit a form too; they are English, and marked so.

The schema's descriptions are written in Markdown for ``docs/schema.md``: a hint shows
them as HTML, a value in backticks as the words its choice has in the form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from birthplan.problems import Problem
from birthplan.workspace.form import Labels, Schema, enum_of, kind_of


@dataclass(frozen=True)
class FormProblem:
    field: str  # where, in the form's labels: "Plan > meeting > meeting date"
    message: str  # what to do, in the form
    lang: str  # the language the message is in ("en" when it is validate's own words)
    field_lang: str  # the language ``field`` is in


# The problems whose command-line advice is about the YAML itself.
_FORM_WORDED = {"required", "empty", "minItems", "type", "anyOf", "enum", "format", "minLength",
                "additionalProperties", "const"}


def for_the_form(problem: Problem, schema: Schema, labels: Labels, ui) -> FormProblem:
    """``problem`` as the form says it (see the module's docstring)."""
    path = tuple(problem.path)
    field, field_lang = (where(path, schema, labels), labels.language) if path else (problem.field, "en")
    if problem.kind in _FORM_WORDED and path:
        message = _form_words(problem, path, schema, labels, ui)
        if message:
            return FormProblem(field, message, ui.language, field_lang)
    return FormProblem(field, problem.message, "en", field_lang)


def where(path: tuple, schema: Schema, labels: Labels) -> str:
    """A field's place in the form's labels, as ``fields.label`` words it in the file's."""
    parts = []
    for depth, key in enumerate(path, start=1):
        if isinstance(key, int):
            parts.append(labels.item(key + 1))
            continue
        words = labels.field(path[:depth], schema.node_at(path[:depth]))
        parts.append(words if not parts or len(words) < 2 or words[1].isupper() else words[0].lower() + words[1:])
    return " > ".join(parts)


def change_words(change, schema: Schema, labels: Labels) -> tuple[str, str]:
    """A ``diff.Change`` as ``birthplan diff`` words it, split into where (in the form's
    labels, a list item by its own name as the diff gives it) and what (the diff's words)."""
    from birthplan.diff import ItemKey

    path = change.path[:-1] if change.path and isinstance(change.path[-1], ItemKey) else change.path
    place = where(tuple(part.index if isinstance(part, ItemKey) else part for part in path), schema, labels)
    parts = place.split(" > ")
    if len(parts) == len(path):
        place = " > ".join(part.display if isinstance(part, ItemKey) else words for part, words in zip(path, parts))
    described = change.describe()
    return place, described[len(change.label) + 2:] if described.startswith(change.label + ": ") else described


def _form_words(problem: Problem, path: tuple, schema: Schema, labels: Labels, ui) -> str | None:
    node = schema.node_at(path)
    kind = kind_of(schema, node) if node else "text"
    label = labels.field(path, node) if node else ""
    what = _in_sentence(label)
    if problem.kind in ("required", "empty"):
        if kind in ("list", "strings"):
            return ui("form.add_one", what=label)
        if kind == "object":  # what it needs: "Fill in Meeting date and Meeting type."
            needed = [labels.field(path + (key,), schema.node_at(path + (key,))) for key in node.get("required", ())]
            return ui("form.fill_in", what=_listed(needed or [label], ui))
        if kind in ("radios", "select", "boolean", "checkboxes"):
            return ui("form.choose", what=what)
        return ui("form.enter", what=what)
    if problem.kind == "minItems":
        return ui("form.add_one", what=label)
    if problem.kind == "format" and kind == "date":
        return ui("form.real_date", example=ui("date_hint"))
    if problem.kind == "enum":
        return ui("form.choose", what=what)
    if problem.kind in ("minLength", "anyOf") and problem.message.startswith("must not be empty"):
        return ui("form.write_or_remove" if isinstance(path[-1], int) else "form.write", what=what)
    if problem.kind in ("type", "anyOf", "const"):
        return ui("form.again", what=what)
    if problem.kind == "additionalProperties":
        return ui("form.unknown_field")
    return None


def _listed(words: list[str], ui) -> str:
    """ "A", "A and B", "A, B and C" (Welsh "a", or "ac" before a vowel)."""
    if len(words) < 2:
        return "".join(words)
    joiner = ui("and")
    if ui.language == "cy" and words[-1][:1].lower() in "aeiouwyâêîôûŵŷ":
        joiner = "ac"
    return f"{', '.join(words[:-1])} {joiner} {words[-1]}"


def _in_sentence(label: str) -> str:
    """"Meeting date" -> "meeting date" inside a sentence; "NHS number", "GP" kept."""
    return label if len(label) < 2 or label[1].isupper() else label[0].lower() + label[1:]


# -- hints ------------------------------------------------------------------------------

_CODE = re.compile(r"`([^`]+)`")
_STRONG = re.compile(r"\*\*(.+?)\*\*")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")


def hint_html(description: str, path: tuple, schema: Schema, labels: Labels) -> Markup:
    """A schema description (Markdown) as safe HTML for a form hint. A sentence that lists
    a choice field's values ("`wales` or `england`.") is left out: the radios show the
    choices in the form's words. A date's own example in the file's forms is left out too
    (the date input has its own); `true`/`false` read Yes/No, as the form's radios do.
    Other code stays code, **strong** and *emphasis* become tags, and all is escaped."""
    node = schema.node_at(path)
    kind = kind_of(schema, node) if node else "text"
    choice_node = schema.resolve(node.get("items")) if kind == "checkboxes" else node
    choices = {str(value) for value in (enum_of(schema, choice_node) or ())} if node else set()
    sentences = re.split(r"(?<=[.)])\s+(?=[A-Z`*(])", description.strip())
    text = " ".join(sentence for sentence in sentences if not (choices and _only_lists_choices(sentence)))
    if kind == "date":
        text = re.sub(r",?\s*e\.g\.\s[^.]*?\d{4}[^.]*\.$", ".", text)
    text = str(escape(text))

    def code(match: re.Match) -> str:
        value = match.group(1)
        if value in choices:  # "`english` or `welsh`" -> "English or Welsh", as the radios say
            return str(escape(labels.choice(path, value)))
        return _code(value)

    text = _CODE.sub(code, text)
    text = _STRONG.sub(r"<strong>\1</strong>", text)
    text = _EMPHASIS.sub(r"<em>\1</em>", text)
    return Markup(text)


def _only_lists_choices(sentence: str) -> bool:
    """ "`wales` or `england`." and the like: nothing but the values (and asides on them)."""
    if not _CODE.search(sentence):
        return False
    rest = re.sub(r"\([^)]*\)", "", _CODE.sub("", sentence))
    return not re.sub(r"\b(or|and)\b|[\W_]", "", rest)


def _code(value: str) -> str:
    return {"true": "Yes", "false": "No"}.get(value) or f"<code>{value}</code>"  # already escaped
