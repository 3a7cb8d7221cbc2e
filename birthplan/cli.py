"""The ``birthplan`` command. It only parses arguments and prints results;
the work lives in the library modules so a Python caller can do the same.

Heavy modules (WeasyPrint, docxtpl) are imported inside the commands that
use them, so ``birthplan validate`` starts quickly.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from birthplan.errors import BirthplanError


class _Group(click.Group):
    """Turns a BirthplanError into a clear message and its exit code.

    Unexpected exceptions are reported without a traceback (it could quote
    plan content) unless BIRTHPLAN_DEBUG=1 is set.
    """

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except BirthplanError as err:
            click.echo(f"birthplan: {err}", err=True)
            ctx.exit(err.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("birthplan: interrupted; nothing half-written was left.", err=True)
            ctx.exit(130)
        except Exception as err:  # pragma: no cover - a bug, reported safely
            if os.environ.get("BIRTHPLAN_DEBUG") == "1":
                raise
            click.echo(
                f"birthplan: internal error ({type(err).__name__}). "
                "Set BIRTHPLAN_DEBUG=1 to see the details (they may quote the plan).",
                err=True,
            )
            ctx.exit(3)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="birthplan")
def main():
    """Co-produced birth plans: validate, render, review and share."""


def _existing_file(path: str) -> Path:
    p = Path(path)
    if not p.is_file():
        raise click.UsageError(f"{path}: no such file")
    return p


# ---------------------------------------------------------------- validate --


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
