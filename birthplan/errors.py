"""Errors a user can act on. The CLI prints them without a traceback."""

from __future__ import annotations


class BirthplanError(Exception):
    """A problem the user can fix; ``str(err)`` is the whole message.

    Messages name files, lines and fields, never plan content, because plans
    hold health and safeguarding information that must not reach logs.
    """

    exit_code = 1


class UsageError(BirthplanError):
    """Bad command-line use: missing file, bad option (exit code 2)."""

    exit_code = 2


class PlanLoadError(BirthplanError):
    """The plan file could not be read as a plan (encoding, YAML, size, dates)."""

    def __init__(self, path, problems):
        self.path = str(path)
        # problems: list of birthplan.validate.Problem
        self.problems = list(problems)
        super().__init__("\n".join(p.format() for p in self.problems))
