"""One problem found in a plan, located by file, line and field."""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    column: int | None
    field: str  # plain words, e.g. "Visitors > must not visit > item 2 > action if they arrive"
    message: str  # what was expected and what to do; never quotes free text from the plan
    severity: str = ERROR
    # For a reader other than the YAML's author (the workspace's form): what kind of problem
    # it is ("required", "empty", "type", "minItems", ... the schema keyword; "value" for a
    # value that cannot be read; "" for a reviewers' rule) and the field's path in the data
    # (keys and list positions). The message stays the command line's words.
    kind: str = ""
    path: tuple = ()

    def format(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f"{self.field}: " if self.field else ""
        return f"{where}: {self.severity}: {field}{self.message}"

    def as_dict(self) -> dict:
        """The JSON report's entry (``validate --json``): the located message."""
        found = asdict(self)
        found.pop("kind"), found.pop("path")
        return found
