"""A form's mapping: which plan field each question fills, and how answers convert.

A mapping file is written by an authority admin once per form (see
docs/import.md). It is checked against the plan schema as soon as it is read,
so a typing mistake in a field name, a choice no plan accepts, or a required
field no question fills is reported before any response is read.

Answers are converted one question at a time (``Question.convert``): the
question splits a multi-choice cell into a list, applies the mapping's
``values:`` and wraps free text with its audiences; turning one answer into a
plan value (UK dates, yes/no in English and Welsh, choices, phone and NHS
numbers given back their leading zeros) is ``birthplan.importer.answers``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from birthplan import fields
from birthplan.importer.answers import (  # also re-exported: tests and examples/forms import them from here
    NO_WORDS,
    YES_WORDS,
    AnswerError,
    Cell,
    FieldKind,
    convert_scalar,
    did_you_mean,
    normalise_words,
    to_choice,
    to_date,
    to_integer,
    to_nhs_number,
    to_phone,
    to_text,
    to_time,
    to_yes_no,
)
from birthplan.errors import BirthplanError, UsageError

MAPPING_VERSION = "1"
KINDS = ("text", "date", "time", "yes_no", "phone", "nhs_number", "integer", "choice")
DATE_ORDERS = ("day_first", "month_first")
_TOP_KEYS = ("mapping_version", "name", "description", "date_order", "list_separator", "sheet",
             "fixed", "ignore", "questions")
_QUESTION_KEYS = ("field", "kind", "values", "split", "share_with", "third_party")
_AUDIENCES = ("professional", "delivery_suite", "parent")
_SEGMENT = re.compile(r"([a-z_][a-z0-9_]*)(?:\[(\d*)\])?")
MAX_MAPPING_BYTES = 1024 * 1024


class MappingError(BirthplanError):
    """The mapping file cannot be used: every problem found, one per line."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("the mapping cannot be used:\n  " + "\n  ".join(self.problems))


# -- field paths -------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """A numbered list item: the questions "Birth partner 2 ..." share ``Group(2)``.

    ``number`` is None for ``[]``: each question then starts its own item,
    ordered after the numbered ones by its place in the mapping.
    """

    number: int | None
    order: int = 0

    def sort_key(self) -> tuple:
        return (0, self.number) if self.number is not None else (1, self.order)


@dataclass(frozen=True)
class Target:
    """A plan field named in a mapping, e.g. ``visitors.birth_partners[2].name``."""

    text: str
    steps: tuple  # field names (str) and list items (Group)

    @property
    def schema_path(self) -> tuple:
        """The path with every list item as position 0, for asking the schema."""
        return tuple(0 if isinstance(step, Group) else step for step in self.steps)

    def __str__(self) -> str:
        return self.text


def field_kind(schema_path: tuple) -> FieldKind | None:
    """The kind of value at ``schema_path``; None for a section or a list of records."""
    node = fields.node_at(schema_path)
    if node is None:
        return None
    if node.get("type") == "array":
        inner = _scalar_kind(fields.child(node, 0) or {})
        return replace(inner, is_list=True, unique=bool(node.get("uniqueItems"))) if inner else None
    return _scalar_kind(node)


def _scalar_kind(node: dict) -> FieldKind | None:
    node = fields.resolve(node)
    declared = node.get("type")
    if declared in ("object", "array"):
        return None
    if "anyOf" in node:
        return FieldKind("text", free_text=True)
    if "enum" in node:
        return FieldKind("choice", choices=tuple(node["enum"]))
    if declared == "boolean":
        return FieldKind("yes_no")
    if declared == "integer":
        return FieldKind("integer")
    return FieldKind(fields.value_kind(node) or "text")


def parse_target(text: str, order: int = 0) -> Target:
    """Read a field path; raise AnswerError (with a did-you-mean) if the plan has no such field."""
    steps: list = []
    path: tuple = ()
    segments = text.strip().split(".")
    for index, segment in enumerate(segments):
        match = _SEGMENT.fullmatch(segment)
        if not match:
            raise AnswerError(f"'{segment}' is not a field name (lower-case words joined by _, "
                              "with [1], [2]... after a list).")
        name, number = match.group(1), match.group(2)
        known = fields.property_names(path)
        if name not in known:
            where = fields.label(path) if path else "a plan"
            raise AnswerError(f"{text}: '{name}' is not a field in {where}.{did_you_mean(name, known)}"
                              f" Fields there: {', '.join(known) or 'none'}.")
        path += (name,)
        steps.append(name)
        node = fields.node_at(path) or {}
        is_array = node.get("type") == "array"
        if number is None:
            if is_array and field_kind(path) is None and index < len(segments) - 1:
                raise AnswerError(f"{text}: {fields.label(path)} is a list: write {name}[1] (the number "
                                  "groups the questions about one item, e.g. birth partner 1).")
            continue
        if not is_array:
            raise AnswerError(f"{text}: {fields.label(path)} is not a list, so it cannot take [{number}].")
        if field_kind(path) is None:  # a list of records: the number groups questions about one record
            if number == "0":
                raise AnswerError(f"{text}: list items are numbered from 1, as on the form.")
            # numbered items are the same item wherever they are named; each [] is a new one
            steps.append(Group(int(number), 0) if number else Group(None, order))
            path += (0,)
        elif number:
            raise AnswerError(f"{text}: {fields.label(path)} is a list of simple values: "
                              "write it with [] (or nothing), not a number.")
    return Target(text.strip(), tuple(steps))


# -- questions ---------------------------------------------------------------------


@dataclass
class Question:
    column: str  # the question (column heading) as written in the mapping
    target: Target
    kind: FieldKind
    values: dict = field(default_factory=dict)  # normalised answer -> plan value (None: no answer)
    answers: tuple = ()  # the form's answers as the mapping lists them, for messages
    split: str | None = None  # separator for several answers in one cell; "lines" for line breaks
    share_with: tuple | None = None
    third_party: bool = False
    line: int | None = None  # in the mapping file
    date_order: str = "day_first"

    def convert(self, cell: Cell):
        """The plan value for this answer, or None when it was left blank."""
        if cell.is_blank():
            return None
        if self.kind.is_list:
            items = [item for piece in self._pieces(cell) if (item := self._one(piece)) is not None]
            if self.kind.unique:
                items = list(dict.fromkeys(items))
            return items or None
        value = self._one(cell)
        if value is not None and self.kind.free_text and (self.share_with is not None or self.third_party):
            item = {"text": value}
            if self.share_with is not None:
                item["share_with"] = list(self.share_with)
            if self.third_party:
                item["third_party"] = True
            return item
        return value

    def _pieces(self, cell: Cell) -> list[Cell]:
        if isinstance(cell.value, list):  # JSON exports give multi-choice answers as lists
            return [Cell(item) for item in cell.value]
        if not self.split or not isinstance(cell.value, str):
            return [cell]
        text = to_text(cell.value)
        parts = text.split("\n") if self.split == "lines" else text.split(self.split)
        return [Cell(part.strip()) for part in parts if part.strip()]

    def _one(self, cell: Cell):
        if cell.is_blank():
            return None
        if self.values and not isinstance(cell.value, (list, dict)):
            key = normalise_words(to_text(cell.value, cell.number_format))
            if key in self.values:
                return self.values[key]
        if isinstance(cell.value, (list, dict)):
            raise AnswerError("several answers were given where the form expects one.")
        try:
            return convert_scalar(self.kind, cell, self.date_order)
        except AnswerError as err:
            if self.kind.kind != "choice":
                raise
            if self.answers:
                raise AnswerError("not one of the answers the mapping knows (" + "; ".join(self.answers)
                                  + "); if the form has a new answer, add it under 'values:' in the "
                                  "mapping.") from None
            raise AnswerError(f"{err} If the form words it differently, add its wording under "
                              "'values:' in the mapping.") from None

    @property
    def label(self) -> str:
        """The field in plain words, numbering list items as the form does ("item 2")."""
        parts = fields.label(self.target.schema_path).split(" > ")
        for position, step in enumerate(self.target.steps):
            if isinstance(step, Group) and position < len(parts):
                parts[position] = f"item {step.number}" if step.number is not None else "new item"
        return " > ".join(parts)


@dataclass
class FixedValue:
    """A value every plan from this form gets (the authority, the out-of-hours team)."""

    target: Target
    value: object  # already converted to what the schema wants
    line: int | None = None


@dataclass
class Mapping:
    path: Path
    name: str
    date_order: str
    list_separator: str
    sheet: str | None
    questions: list[Question]
    ignored: list[str]
    fixed: list[FixedValue]

    def question_for(self, column: str) -> Question | None:
        return self._by_column().get(normalise_words(column))

    def is_ignored(self, column: str) -> bool:
        return normalise_words(column) in {normalise_words(c) for c in self.ignored}

    def _by_column(self) -> dict:
        return {normalise_words(q.column): q for q in self.questions}

    def column_problems(self, columns: list[str]) -> list[str]:
        """Why this export's columns do not fit the mapping (empty when they do)."""
        problems = []
        seen: dict[str, int] = {}
        for position, column in enumerate(columns, start=1):
            key = normalise_words(column)
            if not key:
                problems.append(f"column {position} of the export has no heading; give it one, "
                                "or delete the column if it is empty.")
                continue
            if key in seen:
                problems.append(f'the export has the question "{column}" twice (columns {seen[key]} and '
                                f"{position}); rename one in the export and in the mapping.")
                continue
            seen[key] = position
            if self.question_for(column) is None and not self.is_ignored(column):
                problems.append(f'the export has a question the mapping does not mention: "{column}". '
                                "Map it under questions:, or list it under ignore: if it is not needed."
                                + _did_you_mean_column(column, [q.column for q in self.questions]))
        present = set(seen)
        for question in self.questions:
            if normalise_words(question.column) not in present:
                problems.append(f'{self.path}:{question.line}: question "{question.column}" is not in '
                                f"the export.{_did_you_mean_column(question.column, columns)}")
        return problems


def _did_you_mean_column(column: str, candidates: list[str]) -> str:
    by_key = {normalise_words(c): c for c in candidates}
    key = normalise_words(column)
    match = difflib.get_close_matches(key, list(by_key), n=1, cutoff=0.6)
    # a question reworded by adding to it ("Due date" -> "Due date (estimated)") is a likely match too
    match = match or [k for k in by_key if k and key and (k.startswith(key) or key.startswith(k))][:1]
    return f' Did you mean "{by_key[match[0]]}"?' if match else ""


# -- reading a mapping file ------------------------------------------------------------


def load_mapping(path: str | Path) -> Mapping:
    """Read and check a mapping file; raise MappingError listing every problem."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: no such mapping file")
    raw = path.read_bytes()
    if len(raw) > MAX_MAPPING_BYTES:
        raise MappingError([f"{path}: the file is too large to be a mapping."])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MappingError([f"{path}: the file is not UTF-8 text; save it as UTF-8."]) from None
    reader = _MappingReader(path)
    data = reader.read(text)
    problems = reader.problems
    if not isinstance(data, dict):
        raise MappingError(problems or [f"{path}: a mapping must be a set of fields (questions:, fixed:, ...)."])
    return _Builder(path, data, reader.lines, problems).build()


class _MappingReader:
    """YAML to plain data with every scalar kept as the string written (so Yes stays "Yes")."""

    def __init__(self, path: Path):
        self.path = path
        self.lines: dict[tuple, int] = {}
        self.problems: list[str] = []

    def read(self, text: str):
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as err:
            mark = err.problem_mark or err.context_mark
            where = f"{self.path}:{mark.line + 1}" if mark else str(self.path)
            raise MappingError([f"{where}: YAML syntax: {err.problem or err.context}."]) from None
        if root is None:
            raise MappingError([f"{self.path}: the mapping is empty."])
        return self._build(root, ())

    def _build(self, node, path: tuple):
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            if node.style is None and node.value in ("", "~", "null", "Null", "NULL"):
                return None
            return node.value
        if isinstance(node, yaml.SequenceNode):
            return [self._build(item, path + (i,)) for i, item in enumerate(node.value)]
        result: dict = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            line = key_node.start_mark.line + 1
            if key is None or key == "<<":
                self.problems.append(f"{self.path}:{line}: keys must be plain text.")
                continue
            if key in result:
                self.problems.append(f"{self.path}:{line}: '{key}' appears twice here (lines "
                                     f"{self.lines[path + (key,)]} and {line}); keep one.")
                continue
            self.lines[path + (key,)] = line
            result[key] = self._build(value_node, path + (key,))
        return result


class _Builder:
    """Checks a mapping's data against the schema and builds the Mapping."""

    def __init__(self, path: Path, data: dict, lines: dict, problems: list[str]):
        self.path = path
        self.data = data
        self.lines = lines
        self.problems = problems
        self.attempted: list[tuple] = []  # fixed values named, even if their value was wrong

    def fail(self, where: tuple, message: str) -> None:
        line = self.lines.get(where)
        self.problems.append(f"{self.path}:{line}: {message}" if line else f"{self.path}: {message}")

    def build(self) -> Mapping:
        data = self.data
        for key in data:
            if key not in _TOP_KEYS:
                self.fail((key,), f"unknown setting '{key}'.{did_you_mean(key, _TOP_KEYS)} "
                          f"Settings: {', '.join(_TOP_KEYS)}.")
        version = data.get("mapping_version")
        if version != MAPPING_VERSION:
            self.fail(("mapping_version",), f"write 'mapping_version: {MAPPING_VERSION}' at the top "
                      "(the version of the mapping format this file follows).")
        date_order = data.get("date_order") or "day_first"
        if date_order not in DATE_ORDERS:
            self.fail(("date_order",), f"date_order must be one of: {', '.join(DATE_ORDERS)}.")
            date_order = "day_first"
        separator = data.get("list_separator") or ";"
        if not isinstance(separator, str):
            self.fail(("list_separator",), "list_separator must be text, e.g. ';'.")
            separator = ";"
        questions = self._questions(data.get("questions"), date_order, separator)
        ignored = self._ignored(data.get("ignore"))
        fixed = self._fixed(data.get("fixed"), date_order)
        self._check_overlaps(questions, fixed)
        self._check_required(questions, fixed)
        mapping_name = data.get("name")
        if self.problems:
            raise MappingError(self.problems)
        return Mapping(self.path, mapping_name if isinstance(mapping_name, str) else self.path.stem,
                       date_order, separator, data.get("sheet") if isinstance(data.get("sheet"), str) else None,
                       questions, ignored, fixed)

    def _questions(self, entries, date_order: str, separator: str) -> list[Question]:
        if not isinstance(entries, dict) or not entries:
            self.fail(("questions",), "add 'questions:', mapping each form question to a plan field.")
            return []
        questions = []
        columns: dict[str, str] = {}
        for order, (column, spec) in enumerate(entries.items()):
            where = ("questions", column)
            key = normalise_words(column)
            if key in columns:
                self.fail(where, f'question "{column}" is listed twice (also as "{columns[key]}").')
                continue
            columns[key] = column
            question = self._question(column, spec, where, order, date_order, separator)
            if question is not None:
                questions.append(question)
        return questions

    def _question(self, column, spec, where, order, date_order, separator) -> Question | None:
        if isinstance(spec, str):
            spec = {"field": spec}
        if not isinstance(spec, dict) or not isinstance(spec.get("field"), str):
            self.fail(where, f'question "{column}": give the plan field, e.g. "{column}": people.mother.name, '
                      "or a set of options with field:.")
            return None
        for option in spec:
            if option not in _QUESTION_KEYS:
                self.fail(where + (option,), f'question "{column}": unknown option \'{option}\'.'
                          f"{did_you_mean(option, _QUESTION_KEYS)} Options: {', '.join(_QUESTION_KEYS)}.")
        try:
            target = parse_target(spec["field"], order)
        except AnswerError as err:
            self.fail(where, f'question "{column}": {err}')
            return None
        kind = field_kind(target.schema_path)
        if kind is None:
            self.fail(where, f'question "{column}": {target} is a section or a list of records, not one '
                      f"field; map the question to one of its fields: "
                      f"{', '.join(fields.property_names(target.schema_path + _item_suffix(target)))}.")
            return None
        kind = self._declared_kind(column, spec.get("kind"), kind, where)
        question = Question(column, target, kind, line=self.lines.get(where), date_order=date_order)
        question.split = self._split(column, spec, kind, separator, where)
        question.values = self._values(column, spec.get("values"), kind, where + ("values",), date_order)
        if isinstance(spec.get("values"), dict):
            question.answers = tuple(spec["values"])
        self._audience_options(question, spec, where)
        return question

    def _declared_kind(self, column, declared, kind: FieldKind, where) -> FieldKind:
        if declared is None or declared == kind.kind:
            return kind
        if declared not in KINDS:
            self.fail(where + ("kind",), f'question "{column}": unknown kind \'{declared}\'. '
                      f"Kinds: {', '.join(KINDS)}.{did_you_mean(str(declared), KINDS)}")
            return kind
        text_like = ("text", "phone", "nhs_number")
        if kind.kind in text_like and declared in text_like and not kind.is_list:
            return replace(kind, kind=declared)
        self.fail(where + ("kind",), f'question "{column}": the field takes {kind.kind.replace("_", "/")} '
                  f"answers, so kind: {declared} cannot be used here.")
        return kind

    def _split(self, column, spec, kind: FieldKind, separator, where) -> str | None:
        split = spec.get("split")
        if split is not None and not kind.is_list:
            self.fail(where + ("split",), f'question "{column}": split is only for a list field '
                      "(one answer holding several items).")
            return None
        if split is None and kind.is_list and kind.kind == "choice":
            return separator  # a multi-choice question: the form joins the ticks with the separator
        return split

    def _values(self, column, values, kind: FieldKind, where, date_order) -> dict:
        if values is None:
            return {}
        if not isinstance(values, dict):
            self.fail(where, f'question "{column}": values must map each answer on the form to a plan value.')
            return {}
        out = {}
        for answer, target_value in values.items():
            if target_value is None or target_value == "":
                out[normalise_words(answer)] = None  # the form's "not applicable": treated as no answer
                continue
            try:
                out[normalise_words(answer)] = convert_scalar(kind, Cell(target_value), date_order)
            except AnswerError as err:
                self.fail(where + (answer,), f'question "{column}", answer "{answer}": {err}')
        return out

    def _audience_options(self, question: Question, spec: dict, where) -> None:
        if "share_with" not in spec and "third_party" not in spec:
            return
        if not question.kind.free_text:
            self.fail(where, f'question "{question.column}": share_with and third_party apply only to '
                      "free-text fields.")
            return
        share_with = spec.get("share_with")
        if share_with is not None:
            if isinstance(share_with, str):
                share_with = [share_with]
            wrong = [a for a in share_with if a not in _AUDIENCES] if isinstance(share_with, list) else [share_with]
            if wrong:
                self.fail(where + ("share_with",), f'question "{question.column}": share_with takes '
                          f"{', '.join(_AUDIENCES)}.")
            else:
                question.share_with = tuple(share_with)
        if "third_party" in spec:
            try:
                question.third_party = to_yes_no(spec["third_party"])
            except AnswerError:
                self.fail(where + ("third_party",), f'question "{question.column}": third_party is true or false.')

    def _ignored(self, entries) -> list[str]:
        if entries is None:
            return []
        if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
            self.fail(("ignore",), "ignore: must be a list of form questions (column headings).")
            return []
        return entries

    def _fixed(self, entries, date_order: str) -> list[FixedValue]:
        if entries is None:
            return []
        if not isinstance(entries, dict):
            self.fail(("fixed",), "fixed: must map plan fields to the value every imported plan gets.")
            return []
        out: list[FixedValue] = []
        for order, (text, value) in enumerate(entries.items()):
            where = ("fixed", text)
            try:
                target = parse_target(text, order)
            except AnswerError as err:
                self.fail(where, f"fixed value: {err}")
                continue
            self.attempted.append(target.steps)  # reported once, not again as "nothing fills"
            if any(isinstance(step, Group) and step.number is None for step in target.steps):
                self.fail(where, f"fixed value {target}: use a numbered item ([1]) so it joins the "
                          "questions about that item.")
                continue
            out.extend(self._fixed_values(target, value, where, date_order))
        return out

    def _fixed_values(self, target: Target, value, where, date_order) -> list[FixedValue]:
        """A fixed section is split into one fixed value per field; lists are kept whole."""
        line = self.lines.get(where)
        if isinstance(value, dict) and field_kind(target.schema_path) is None \
                and (fields.node_at(target.schema_path) or {}).get("type") == "object":
            out = []
            for key, sub in value.items():
                try:
                    sub_target = parse_target(f"{target.text}.{key}")
                except AnswerError as err:
                    self.fail(where + (key,), f"fixed value: {err}")
                    continue
                out.extend(self._fixed_values(Target(sub_target.text, target.steps + (key,)), sub,
                                              where + (key,), date_order))
            return out
        try:
            converted = self._fixed_data(value, target.schema_path, target.text, date_order)
        except AnswerError as err:
            self.fail(where, f"fixed value {target}: {err}")
            return []
        return [FixedValue(target, converted, line)]

    def _fixed_data(self, value, schema_path: tuple, text: str, date_order: str):
        """A fixed value (maybe a list of records) converted field by field, as answers are."""
        kind = field_kind(schema_path)
        node = fields.node_at(schema_path) or {}
        if kind is not None and kind.is_list:
            items = value if isinstance(value, list) else [value]
            return [convert_scalar(replace(kind, is_list=False), Cell(item), date_order) for item in items]
        if kind is not None:
            if isinstance(value, (list, dict)):
                raise AnswerError("expected one value here.")
            return convert_scalar(kind, Cell(value), date_order)
        if node.get("type") == "array":
            if not isinstance(value, list):
                raise AnswerError("expected a list (lines starting with '-'), or [] for an empty list.")
            return [self._fixed_data(item, schema_path + (0,), f"{text}[{i + 1}]", date_order)
                    for i, item in enumerate(value)]
        if not isinstance(value, dict):
            raise AnswerError("expected a set of fields (name: value lines).")
        known = fields.property_names(schema_path)
        out = {}
        for key, sub in value.items():
            if key not in known:
                raise AnswerError(f"'{key}' is not a field of {fields.label(schema_path)}."
                                  f"{did_you_mean(key, known)} Fields there: {', '.join(known)}.")
            if sub is not None:
                out[key] = self._fixed_data(sub, schema_path + (key,), f"{text}.{key}", date_order)
        return out

    def _check_overlaps(self, questions: list[Question], fixed: list[FixedValue]) -> None:
        """Two sources for one field would make the tool guess which one wins: refuse."""
        owners: dict[tuple, str] = {}
        for source, target, is_list in (
            [(f'question "{q.column}"', q.target, q.kind.is_list) for q in questions]
            + [(f"fixed value {f.target}", f.target, _is_list_value(f)) for f in fixed]
        ):
            if is_list:
                continue  # several questions (and a fixed start) may add to one list
            key = target.steps
            if key in owners:
                self.fail(("questions",), f"{source} and {owners[key]} both fill {target}; keep one.")
            owners[key] = source
        fixed_scalars = {f.target.steps: f for f in fixed if not _is_list_value(f)}
        for question in questions:
            for length in range(1, len(question.target.steps)):
                if question.target.steps[:length] in fixed_scalars:
                    self.fail(("questions", question.column), f'question "{question.column}" fills a field '
                              f"inside the fixed value {fixed_scalars[question.target.steps[:length]].target}.")

    def _check_required(self, questions: list[Question], fixed: list[FixedValue]) -> None:
        """Every field the schema requires must have a question or a fixed value."""
        covered = [q.target.steps for q in questions] + [f.target.steps for f in fixed] + self.attempted
        for steps in _uncovered_required(covered):
            shown = _steps_text(steps)
            self.fail(("questions",), f"nothing fills {shown} ({fields.label(_schema_path(steps))}), which "
                      "every plan needs: map a question to it, or give it under fixed:.")


def _item_suffix(target: Target) -> tuple:
    node = fields.node_at(target.schema_path) or {}
    return (0,) if node.get("type") == "array" else ()


def _is_list_value(fixed: FixedValue) -> bool:
    return isinstance(fixed.value, list)


def _schema_path(steps: tuple) -> tuple:
    return tuple(0 if isinstance(step, Group) else step for step in steps)


def _steps_text(steps: tuple) -> str:
    text = ""
    for step in steps:
        if isinstance(step, Group):
            text += f"[{step.number}]" if step.number is not None else "[]"
        else:
            text += ("." if text else "") + step
    return text


def _uncovered_required(covered: list[tuple]) -> list[tuple]:
    """Required fields that no question or fixed value fills, in every section that will exist.

    A section exists in a plan when something fills a field in it; a numbered
    list item (``contacts[2]``) is checked on its own, so each item must be
    completable from the mapping.
    """
    missing: list[tuple] = []

    def fills(prefix: tuple) -> bool:
        return any(steps[:len(prefix)] == prefix for steps in covered)

    def walk(prefix: tuple) -> None:
        node = fields.node_at(_schema_path(prefix)) or {}
        required = set(node.get("required", ()))
        for key in fields.property_names(_schema_path(prefix)):
            sub = prefix + (key,)
            if not fills(sub):
                if key in required:
                    missing.append(sub)
                continue
            sub_node = fields.node_at(_schema_path(sub)) or {}
            if sub_node.get("type") == "object":
                walk(sub)
            elif sub_node.get("type") == "array" and field_kind(_schema_path(sub)) is None:
                groups = {steps[len(sub)] for steps in covered
                          if steps[:len(sub)] == sub and len(steps) > len(sub)}
                for group in groups:
                    walk(sub + (group,))

    walk(())
    return missing
