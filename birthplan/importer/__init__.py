"""Form exports (CSV, XLSX, JSON) to YAML plans, one per response, through a mapping.

Steps, so that a bad response never costs the good ones and nothing is
half-written:

1. read the mapping (``mapping``) and the export (``exports``); every column must be
   mapped or ignored, and every mapped question must be in the export, before
   anything else happens;
2. turn each response into plan data, then into tidy YAML (birthplan.yamlwrite),
   and validate that text exactly as ``birthplan validate`` would;
3. report each response that fails by its row, its question and the reason;
4. write each valid plan atomically, named by its case reference. A plan file
   that already exists is never overwritten silently, and never at all when it
   has a recorded review history: the import is written beside it instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from birthplan import fields, values
from birthplan.importer.answers import AnswerError, Cell, normalise_words
from birthplan.atomic import make_private_dir, write_text_atomic
from birthplan.errors import BirthplanError, UsageError
from birthplan.history import history_dir
from birthplan.tree import nodes
from birthplan.load import load_plan, read_plan_text
from birthplan.importer.exports import Export, Response, read_export
from birthplan.importer.mapping import Group, Mapping, load_mapping
from birthplan.validate import validate_read
from birthplan.yamlwrite import dump_plan

FIXED = None  # the source of a value the mapping fixes, rather than a column


# -- one response to plan data ---------------------------------------------------------


@dataclass
class RowProblem:
    """Why one response could not become a plan: where, which question, and the reason."""

    where: str  # "row 3" / "response 2"
    columns: tuple  # the questions that fed the field (FIXED for a fixed value), maybe empty
    field: str  # plain-words field label, when there is one
    message: str

    def format(self) -> str:
        questions = [c for c in self.columns if c is not FIXED]
        if len(questions) == 1:
            head = f'{self.where}, question "{questions[0]}"'
        elif questions:
            head = f"{self.where}, questions " + ", ".join(f'"{q}"' for q in questions)
        elif FIXED in self.columns:
            head = f"{self.where}, {self.field} (a fixed value in the mapping)"
        else:
            head = f"{self.where}, {self.field}" if self.field else self.where
        field_note = f" [{self.field}]" if questions and self.field else ""
        return f"{head}{field_note}: {self.message}"


@dataclass
class Built:
    """A response as plan data, and which column fed each field (to explain problems)."""

    data: dict
    sources: dict = field(default_factory=dict)  # path -> column that answered it (or FIXED)
    blanks: dict = field(default_factory=dict)  # path -> column left blank, where its section exists
    declared: dict = field(default_factory=dict)  # path -> column, for questions outside any list
    problems: list = field(default_factory=list)  # (column, field label, why) for answers that did not convert


class _Leaf:
    __slots__ = ("value", "column")

    def __init__(self, value, column):
        self.value, self.column = value, column


class _Blank:
    __slots__ = ("column",)

    def __init__(self, column):
        self.column = column


class _Items:
    """A list being filled: fixed entries and single values first, then the numbered items."""

    def __init__(self):
        self.values: list[tuple] = []  # (value, column)
        self.groups: dict[tuple, dict] = {}


def build_plan_data(mapping: Mapping, response: Response) -> Built:
    built = Built({})
    tree: dict = {}
    for fixed in mapping.fixed:
        if not any(isinstance(step, Group) for step in fixed.target.steps):
            _put(tree, fixed.target.steps, _Leaf(fixed.value, FIXED), create=True)
    cells = {normalise_words(column): cell for column, cell in response.cells.items()}
    blanks = []
    for question in mapping.questions:
        if not any(isinstance(step, Group) for step in question.target.steps):
            built.declared[question.target.steps] = question.column
        try:
            value = question.convert(cells.get(normalise_words(question.column), Cell(None)))
        except AnswerError as err:
            built.problems.append((question.column, question.label, str(err)))
            continue
        if value is None:
            blanks.append(question)
        else:
            _put(tree, question.target.steps, _Leaf(value, question.column), create=True)
    # A fixed value inside a numbered item (contacts[1].role) joins only an item the form filled in.
    for fixed in mapping.fixed:
        if any(isinstance(step, Group) for step in fixed.target.steps):
            _put(tree, fixed.target.steps, _Leaf(fixed.value, FIXED), create=False)
    for question in blanks:
        _put(tree, question.target.steps, _Blank(question.column), create=False)
    built.data = _finish(tree, (), built) or {}
    return built


def _put(tree: dict, steps: tuple, leaf, *, create: bool) -> None:
    node = tree
    for position, step in enumerate(steps[:-1]):
        following = steps[position + 1]
        if isinstance(step, Group):
            item = node.groups.get(step.sort_key())
            if item is None:
                if not create:
                    return
                item = node.groups[step.sort_key()] = {}
            node = item
            continue
        child = node.get(step)
        if child is None:
            if not create:
                return
            child = node[step] = _Items() if isinstance(following, Group) else {}
        node = child
    last = steps[-1]
    existing = node.get(last)
    if isinstance(leaf, _Blank):
        if existing is None:
            node[last] = leaf
        return
    if isinstance(leaf.value, list):
        # A list gathers a fixed start, then values from several questions, then numbered items.
        items = existing if isinstance(existing, _Items) else _Items()
        items.values.extend((value, leaf.column) for value in leaf.value)
        node[last] = items
        return
    node[last] = leaf


def _finish(node, path: tuple, built: Built):
    if isinstance(node, _Leaf):
        built.sources[path] = node.column
        return node.value
    if isinstance(node, _Blank):
        built.blanks[path] = node.column
        return None
    if isinstance(node, _Items):
        out = []
        for value, column in node.values:
            built.sources[path + (len(out),)] = column
            out.append(value)
        for key in sorted(node.groups):
            item = _finish(node.groups[key], path + (len(out),), built)
            if item:
                out.append(item)
        return out
    out = {}
    for key, sub in node.items():
        value = _finish(sub, path + (key,), built)
        if value is not None and value != {}:
            out[key] = value
    return out


# -- checking a built plan -------------------------------------------------------------


@dataclass
class Checked:
    response: Response
    text: str | None = None  # the YAML to write, when the plan is valid
    data: dict | None = None
    warnings: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    lost_letters: list[RowProblem] = field(default_factory=list)  # warnings: the plan is still written

    @property
    def case_reference(self) -> str | None:
        return (self.data or {}).get("plan", {}).get("case_reference")


def check_response(mapping: Mapping, export: Export, response: Response,
                   header: list[str]) -> Checked:
    """Build, write to text and validate one response; explain each problem by its question."""
    where = export.where(response.row)
    checked = Checked(response)
    if response.problem:
        checked.problems.append(RowProblem(where, (), "", response.problem))
        return checked
    checked.lost_letters = _lost_letters(mapping, response, where)
    built = build_plan_data(mapping, response)
    # Every bad cell of the row at once: answers that did not convert are reported, and the
    # rest of the row is still built and checked, so a second mistake shows now, not next time.
    failed = set()
    for column, field_label, message in built.problems:
        checked.problems.append(RowProblem(where, (column,), field_label, message))
        failed.add(normalise_words(column))
    text = dump_plan(built.data, header=header)
    plan, load_problems = read_plan_text(text, f"{where}.yaml")
    report = validate_read(plan, load_problems, f"{where}.yaml")
    index = _LabelIndex(built)
    blank = {normalise_words(c) for c, cell in response.cells.items() if cell.is_blank()}
    for problem in report.errors:
        explained = index.explain(where, problem.field, problem.message)
        if failed:
            # A field left out because its answer did not convert is already explained above;
            # what is left to say is about the other questions that fed it.
            others = tuple(c for c in explained.columns
                           if c is FIXED or normalise_words(c) not in failed)
            if len(others) < len(explained.columns):
                if not others:
                    continue
                message = explained.message
                if all(c is not FIXED and normalise_words(c) in blank for c in others):
                    message = "was left blank, but the plan needs an answer here."
                explained = RowProblem(where, others, explained.field, message)
            elif not explained.columns:
                continue
        checked.problems.append(explained)
    checked.warnings = len(report.warnings)
    if not checked.problems and plan is not None:
        checked.text, checked.data = text, plan.data
    return checked


LOST_LETTERS = ("letters look lost: the answer has '?' (or the sign for an unreadable character) where a "
                "letter should be. The export was probably saved in a Windows encoding: save it as "
                "\"CSV UTF-8 (Comma delimited)\" (in Excel: Save As) and import again, or correct the plan "
                "by hand with the family.")


def _lost_letters(mapping: Mapping, response: Response, where: str) -> list[RowProblem]:
    """Every answer of the row where letters were probably turned into '?' on the way."""
    cells = {normalise_words(column): cell for column, cell in response.cells.items()}
    return [RowProblem(where, (question.column,), question.label, LOST_LETTERS)
            for question in mapping.questions
            if isinstance(value := cells.get(normalise_words(question.column), Cell(None)).value, str)
            and values.letters_lost(value)]


class _LabelIndex:
    """Finds the question behind a validation problem from the field it names."""

    def __init__(self, built: Built):
        self.built = built
        known = list(built.sources) + list(built.blanks) + list(built.declared) + [path for path, _ in nodes(built.data)]
        self.paths: dict[str, tuple] = {}
        for path in known:
            for length in range(len(path), 0, -1):
                self.paths.setdefault(fields.label(path[:length]), path[:length])

    def explain(self, where: str, field_label: str, message: str) -> RowProblem:
        path = self.paths.get(field_label)
        if path is None:
            return RowProblem(where, (), field_label, message)
        built = self.built
        if path in built.sources:
            return RowProblem(where, (built.sources[path],), field_label, message)
        if path in built.blanks:
            return RowProblem(where, (built.blanks[path],), field_label,
                              "was left blank, but the plan needs an answer here.")
        below = [column for table in (built.sources, built.blanks, built.declared)
                 for p, column in table.items() if p[:len(path)] == path]
        return RowProblem(where, tuple(dict.fromkeys(below)), field_label, message)


# -- writing ---------------------------------------------------------------------------


@dataclass
class ImportResult:
    total: int = 0
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)  # worth a look; the plans were written
    messages: list[str] = field(default_factory=list)  # what happened to each response, in order
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len({p.where for p in self.problems})

    @property
    def ok(self) -> bool:
        return not self.problems


def import_export(export_path: str | Path, mapping_path: str | Path, out_dir: str | Path = ".",
                  *, replace: bool = False, today: dt.date | None = None) -> ImportResult:
    """Import every response of a form export; see the module docstring for the rules."""
    today = today or dt.date.today()
    mapping = load_mapping(mapping_path)
    export = read_export(export_path, mapping.sheet)
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir}: is a file, not a folder")
    column_problems = mapping.column_problems(export.columns)
    if column_problems:
        raise BirthplanError(f"{export.path.name} does not fit the mapping {mapping.path.name}; "
                             "nothing was written:\n  " + "\n  ".join(column_problems))
    result = ImportResult(total=len(export.responses), notes=list(export.notes))
    checked = []
    for response in export.responses:
        header = [
            f"Co-produced birth plan imported on {today.isoformat()} from {export.path.name}, "
            f"{export.where(response.row)},",
            f"with the mapping '{mapping.name}'.",
            "Check every section with the family and the agencies, then record it with `birthplan review`.",
        ]
        checked.append(check_response(mapping, export, response, header))
    _refuse_shared_references(checked, export)
    for item in checked:
        result.problems.extend(item.problems)
        result.warnings.extend(item.lost_letters)
    make_private_dir(out_dir)
    for item in checked:
        if item.text is not None and not item.problems:
            _write(item, export, out_dir, replace, today, result)
    return result


def _refuse_shared_references(checked: list[Checked], export: Export) -> None:
    """Two responses for one case: the tool will not guess which is right, so neither is written."""
    by_reference: dict[str, list[Checked]] = {}
    for item in checked:
        if item.case_reference and not item.problems:
            by_reference.setdefault(item.case_reference.casefold(), []).append(item)
    for items in by_reference.values():
        if len(items) < 2:
            continue
        rows = ", ".join(export.where(i.response.row) for i in items)
        for item in items:
            item.problems.append(RowProblem(
                export.where(item.response.row), (), fields.label(("plan", "case_reference")),
                f"{rows} have the same case reference, so none of them was written; delete the "
                "response that is out of date (or correct its case reference) and import again."))


def _write(item: Checked, export: Export, out_dir: Path, replace: bool, today: dt.date,
           result: ImportResult) -> None:
    reference = item.case_reference
    where = export.where(item.response.row)
    target = out_dir / f"{reference}.yaml"
    warn = (f" ({item.warnings} warning(s): run birthplan validate {target})" if item.warnings else "")
    try:
        if not target.exists():
            try:
                write_text_atomic(target, item.text, overwrite=False)
            except FileExistsError:
                pass  # created meanwhile by someone else: treated as an existing plan below
            else:
                result.written.append(target)
                result.messages.append(f"{where}: wrote {target}{warn}")
                return
        if _same_plan(target, item.data):
            result.unchanged.append(target)
            result.messages.append(f"{where}: {target} already holds this response; left unchanged")
            return
        if history_dir(target).is_dir():
            reason = f"{target} has a recorded review history, so it was not changed"
        elif replace:
            write_text_atomic(target, item.text, overwrite=True)
            result.written.append(target)
            result.messages.append(f"{where}: replaced {target} (it had no recorded history){warn}")
            return
        else:
            reason = f"{target} already exists and was not changed (add --replace to replace a plan with no history)"
        beside = _write_beside(target, item.text, today)
        result.written.append(beside)
        result.messages.append(f"{where}: {reason}; wrote {beside} beside it. Compare the two and "
                               f"copy across what is new.{warn}")
    except OSError as err:
        raise BirthplanError(f"{target}: cannot be written ({err.strerror}); the plans listed above "
                             "were written in full, the rest were not.") from None


def _same_plan(path: Path, data: dict) -> bool:
    try:
        return load_plan(path).data == data
    except BirthplanError:
        return False


def _write_beside(target: Path, text: str, today: dt.date) -> Path:
    stem = target.name.removesuffix(".yaml")
    for attempt in range(1, 1000):
        suffix = "" if attempt == 1 else f"-{attempt}"
        candidate = target.with_name(f"{stem}.imported-{today.isoformat()}{suffix}.yaml")
        try:
            return write_text_atomic(candidate, text, overwrite=False)
        except FileExistsError:
            continue
    raise BirthplanError(f"{target}: too many imports beside it today; tidy the folder first.")
