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


@main.command()
@click.argument("plans", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for other programs.")
def validate(plans, output_format):
    """Check PLAN files against the schema and the reviewers' rules.

    Exit code 0 when every plan is valid, 1 when any has errors, 2 for usage errors.
    """
    from birthplan.validate import load_and_validate

    reports = [load_and_validate(path)[1] for path in plans]
    if output_format == "json":
        import json

        click.echo(json.dumps([r.as_dict() for r in reports], indent=2, ensure_ascii=False))
    else:
        for report in reports:
            for problem in report.errors + report.warnings:
                click.echo(problem.format())
            verdict = "valid" if report.ok else f"{len(report.errors)} error(s)"
            extra = f", {len(report.warnings)} warning(s)" if report.warnings else ""
            click.echo(f"{report.file}: {verdict}{extra}")
    sys.exit(0 if all(r.ok for r in reports) else 1)


@main.command()
@click.option("--markdown", is_flag=True, help="Write the schema as Markdown documentation.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of printing.")
def schema(markdown, output):
    """Print the plan schema (JSON), or its documentation with --markdown."""
    from birthplan import schema_doc
    from birthplan.atomic import write_text_atomic
    from birthplan.resources import schema_path

    text = schema_doc.markdown() if markdown else schema_path().read_text(encoding="utf-8")
    if output:
        write_text_atomic(output, text)
        click.echo(f"wrote {output}")
    else:
        click.echo(text, nl=False)


@main.command()
@click.option("--authority", required=True, type=click.Choice(["swansea", "sunderland"]),
              help="The template pack whose terms the starter plan uses.")
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@click.argument("path", type=click.Path(dir_okay=False))
def init(authority, force, path):
    """Write a commented starter plan to PATH that validates as written."""
    from birthplan.starter import write_starter

    written = write_starter(authority, Path(path), force=force)
    click.echo(f"wrote {written}: fill it in, then run: birthplan validate {written}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
