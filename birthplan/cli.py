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
    plan content) unless BIRTHPLAN_DEBUG=1 is set. A reader that stops early
    (``birthplan status cases/ | head -1``) ends the command quietly with the
    status a shell gives a command ended by a closed pipe, 141 (128 + SIGPIPE).
    """

    def main(self, *args, **kwargs):
        stdout = sys.stdout
        try:
            return super().main(*args, **kwargs)
        except SystemExit as done:
            # Click ends `--help` or `--version` into a closed pipe with exit 1, after
            # swapping in a quiet stdout; end it the way the commands do.
            if done.code == 1 and sys.stdout is not stdout:
                raise SystemExit(CLOSED_PIPE_EXIT) from None
            raise

    def invoke(self, ctx):
        try:
            try:
                return super().invoke(ctx)
            finally:
                sys.stdout.flush()  # a closed pipe shows here at the latest, not at exit
        except BrokenPipeError:
            _quiet_closed_stdout()
            ctx.exit(CLOSED_PIPE_EXIT)
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


CLOSED_PIPE_EXIT = 128 + 13  # 128 + SIGPIPE: what `cmd | head` reports for cat, grep, git


def _quiet_closed_stdout() -> None:
    """Point stdout at /dev/null so Python's flush at exit does not complain again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real stdout (e.g. under a test runner): nothing to quiet
        pass


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
@click.option("--authority", required=True,
              type=click.Choice(["swansea", "sunderland"], case_sensitive=False),
              help="The template pack whose terms the starter plan uses.")
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@click.argument("path", type=click.Path(dir_okay=False))
def init(authority, force, path):
    """Write a commented starter plan to PATH that validates as written."""
    from birthplan.starter import write_starter

    written = write_starter(authority, Path(path), force=force)
    click.echo(f"wrote {written}: fill it in, then run: birthplan validate {written}")


@main.command()
@click.argument("path", type=click.Path(exists=False))
@click.option("--check", is_flag=True,
              help="Only list what would change; exit 1 if any plan needs upgrading.")
def upgrade(path, check):
    """Rewrite a version-1 PLAN (or every plan under a FOLDER) as schema version 2.

    Comments, order and quoting are kept; the file is replaced atomically and
    made owner-only. Recorded history is never changed: old versions still
    verify, render and compare with new ones.
    """
    from birthplan.upgrade import CURRENT, plans_in, upgrade_file

    if not Path(path).exists():
        raise click.UsageError(f"{path}: no such file or folder")
    plans = plans_in(path)
    if not plans:
        raise BirthplanError(f"{path}: no plans found (a plan has 'schema_version:' and 'plan:' lines).")
    needed = failed = 0
    for plan in plans:
        try:
            result = upgrade_file(plan, check=check)
        except BirthplanError as err:
            failed += 1
            click.echo(f"birthplan: {err}", err=True)
            continue
        if not result.needed:
            click.echo(f"{plan}: already schema version {CURRENT}")
            continue
        needed += 1
        verb = "would change" if check else "upgraded to schema version " + str(CURRENT)
        click.echo(f"{plan}: {verb}:")
        for change in result.changes:
            click.echo(f"  {change}")
    sys.exit(1 if failed or (check and needed) else 0)


def _date_option(ctx, param, value):
    """--date read by the same parser as the plan file (birthplan.values); an ISO date."""
    if value is None:
        return None
    from birthplan import values

    try:
        parsed = values.parse_date(value)
    except ValueError as why:
        raise click.BadParameter(f"not a real date: {why}.") from None
    if parsed is None:
        raise click.BadParameter(f"not a date: write it as {values.DATE_FORMS}.")
    return parsed.isoformat()


def _meeting_option(ctx, param, value):
    """--meeting read as the plan file reads plan > meeting > type: any case, spaces or underscores."""
    if value is None:
        return None
    from birthplan import history, values

    choices = history.meeting_types()
    meeting = values.parse_choice(value, choices)
    if meeting is None:
        raise click.BadParameter(f"not a meeting type: write one of {', '.join(choices)}.")
    return meeting


# ----------------------------------------------------------------- history --
# review, history, diff, sent, status, verify: the work is in birthplan.history.


@main.command()
@click.argument("plan", type=click.Path(dir_okay=False))
@click.option("--date", "review_date", callback=_date_option,
              help="The review meeting's date, if you want it checked: it must be the plan's "
                   "meeting date.  [default: plan > meeting > date]")
@click.option("--meeting", "meeting_type", callback=_meeting_option,
              help="The meeting type, if you want it checked: it must be the plan's.  "
                   "[default: plan > meeting > type]")
@click.option("--attendee", "attendees", multiple=True,
              help='"Name, role, agency" (agency optional), for a plan that does not list its '
                   "meeting's attendees.  [default: plan > meeting > attendees]")
@click.option("--summary", help="A few words on what the review agreed.")
@click.option("--entered-in-error", "in_error", type=int, metavar="N",
              help="Instead of recording a review: mark recorded version N as entered in error "
                   "(needs --reason).")
@click.option("--reason", help="With --entered-in-error: what was wrong.")
@click.option("--by", help="With --entered-in-error: who is making the correction.  "
                           "[default: your login name]")
def review(plan, review_date, meeting_type, attendees, summary, in_error, reason, by):
    """Record the plan as agreed at a joint review: the next version.

    The date, meeting type and attendees are the plan's own (plan > meeting).
    The plan is validated first: its warnings are printed (the review is still
    recorded); an invalid plan, or a review the record cannot hold (a future
    date, one that disagrees with the plan), records nothing. A version recorded by mistake is never deleted: mark it with
    --entered-in-error N --reason TEXT.
    """
    from birthplan import history

    if in_error is not None:
        if review_date or meeting_type or attendees or summary:
            raise click.UsageError("--entered-in-error corrects a recorded review; it takes only "
                                   "--reason and --by.")
        _needs_reason(reason, "--entered-in-error N")
        version = history.mark_entered_in_error(_existing_file(plan), in_error, reason, by)
        click.echo(f"{plan}: version {version.number} (review {version.review_date}) is marked "
                   f"entered in error by {version.entered_in_error.by}: "
                   f"{version.entered_in_error.reason}. Its files are kept, unchanged.")
        for line in _copies_in_error_lines(plan, version.number):
            click.echo(line)
        return
    if reason or by:
        raise click.UsageError("--reason and --by go with --entered-in-error N.")
    version = history.record_review(_existing_file(plan), review_date, meeting_type,
                                    attendees or None, summary, on_warnings=_print_problems)
    click.echo(f"{plan}: recorded version {version.number} (review {version.review_date}, "
               f"{version.meeting_words}, fingerprint {version.short_fingerprint}).")
    click.echo(f"Attendees ({len(version.attendees)}): "
               + "; ".join(person.words() for person in version.attendees))
    click.echo(f"Send the new version, then log it: birthplan sent {plan} --to RECIPIENT")


def _copies_in_error_lines(plan: str, number: int) -> list[str]:
    """After version ``number`` is marked entered in error: the version current now, and who
    holds a copy of ``number`` and what to send them (``status``'s own list and words)."""
    from birthplan import history

    (state,) = history.status(plan)
    current = state.current_version
    if current is None:
        lines = [f"No version is agreed now: record the review again with: birthplan review {plan}"]
        needed = "the plan once its review is recorded again"
    else:
        lines = [f"The current agreed version is now version {current} (review {state.review_date})."]
        needed = f"version {current}"
    held = [copy for copy in state.superseded if copy.entered_in_error and copy.version_held == number]
    if held:
        lines.append(f"Copies of version {number} were logged as sent; each needs {needed}:")
        lines += [f"  {copy.what_to_do(current)}" for copy in held]
    else:
        lines.append(f"No copy of version {number} was logged as sent.")
    lines.append(f"Copies of version {number} rendered earlier (file names with _v{number}) must "
                 f"not be sent: `birthplan render {plan}` names those in its out folder.")
    return lines


def _print_problems(problems) -> None:
    """Each problem as `validate` prints it (file:line:column: warning: ...), to stderr."""
    for problem in problems:
        click.echo(problem.format(), err=True)


def _needs_reason(reason: str | None, option: str) -> None:
    """The option hint for the library's "say why" (its own words suit the workspace too)."""
    if not " ".join((reason or "").split()):
        raise click.UsageError(f'{option} needs --reason "what was wrong" (it is kept with the '
                               "correction).")


@main.command("history")
@click.argument("plan", type=click.Path(dir_okay=False))
def history_command(plan):
    """List the recorded versions of PLAN, one line each, then the copies sent."""
    from birthplan import history

    entries = history.timeline(plan)
    if not entries:
        click.echo(f"{plan}: no review has been recorded yet.")
    for entry in entries:
        version = entry.version
        changed = entry.changed if entry.changed is not None else "cannot compare: run birthplan verify"
        people = len(version.attendees)
        line = (f"v{version.number}  {version.review_date}  {version.meeting_words}  "
                f"{people} attendee{'s' if people != 1 else ''}  {version.short_fingerprint}  {changed}")
        click.echo(line + (f"  ({version.summary})" if version.summary else ""))
        if version.entered_in_error:
            click.echo(f"    ENTERED IN ERROR: {_correction_words(version.entered_in_error)}")
    copies = history.sent_entries(plan)
    if copies:
        click.echo("Copies sent:")
    for copy in copies:
        by = f" by {copy.by}" if copy.by else ""
        click.echo(f"  #{copy.number}  v{copy.version} to {copy.recipient} on {copy.date}{by}")
        if copy.withdrawn:
            click.echo(f"      WITHDRAWN: {_correction_words(copy.withdrawn)}")
    state = history.working_state(plan)
    if state.is_draft and state.agreed is not None:
        click.echo(f"The plan has changed since version {state.agreed.number} (a draft): "
                   f"birthplan diff {plan} {state.agreed.number}")
    elif state.comments_changed:
        click.echo(_comments_changed(state.agreed.number))
    if history.verify(plan):
        click.echo(f"warning: the history fails verification: birthplan verify {plan}", err=True)


def _correction_words(correction) -> str:
    return f"{correction.reason} (by {correction.by}, recorded {correction.recorded_at})"


@main.command("diff")
@click.argument("plan", type=click.Path(dir_okay=False))
@click.argument("from_version", required=False)
@click.argument("to_version", required=False)
def diff_command(plan, from_version, to_version):
    """Show what changed between two versions of PLAN, field by field.

    FROM and TO are version numbers, or 'working' for the file as it is now.
    With neither, the last two agreed versions; while only one version is
    agreed (after the first review), that version to the file now. With only
    FROM, FROM to the file now.
    """
    from birthplan import history

    comparison = history.compare(plan, from_version, to_version)
    if not comparison.changes:
        click.echo(f"No changes from {comparison.old_name} to {comparison.new_name}.")
        return
    click.echo(f"Changes from {comparison.old_name} to {comparison.new_name}:")
    for change in comparison.changes:
        click.echo(f"  {change.describe()}")


@main.command("sent")
@click.argument("plan", type=click.Path(dir_okay=False))
@click.option("--to", "recipient", help='Who received it: their role, e.g. "Named midwife" or '
              '"Parents", or their full name as the plan gives it, e.g. "Ms Helen Marsh".')
@click.option("--version", "version", type=int, help="The version sent (default: the current one).")
@click.option("--date", "sent_date", callback=_date_option, help="When it was sent (default: today).")
@click.option("--by", help="Who sent it, or with --withdraw who is withdrawing the entry; "
                           "kept in the log.  [default: your login name]")
@click.option("--withdraw", type=int, metavar="N",
              help="Instead of logging a copy: withdraw sent-log entry N, logged in error "
                   "(needs --reason; `birthplan history` numbers the entries).")
@click.option("--reason", help="With --withdraw: what was wrong.")
def sent_command(plan, recipient, version, sent_date, by, withdraw, reason):
    """Log that a copy of PLAN went to RECIPIENT (--to), or withdraw an entry logged in error.

    A copy counts for the named midwife's deadline (48 hours) when --to says "midwife" or
    gives the full name of the plan's community midwife (under contacts); for the
    parents' (3 working days) when it says "parents", "mother", "father", "mum" or "dad",
    or gives the full name of the mother or her partner (under people). Full names only
    ("Kayleigh Ashworth", "Ms Kayleigh Ashworth"; a first name alone is nobody), read
    from the plan of the version sent. Anyone else counts for neither deadline: sent
    says so when it logs the copy.
    """
    from birthplan import history

    if withdraw is not None:
        if recipient or version or sent_date:
            raise click.UsageError("--withdraw N corrects a logged copy; it takes only --reason "
                                   "and --by. To log the copy as it really went, run sent again.")
        _needs_reason(reason, "--withdraw N")
        entry = history.withdraw_sent(plan, withdraw, reason, by)
        click.echo(f"{plan}: sent-log entry {entry.number} (version {entry.version} to "
                   f"{entry.recipient} on {entry.date}) is withdrawn by {entry.withdrawn.by}: "
                   f"{entry.withdrawn.reason}. The entry is kept, marked withdrawn.")
        return
    if reason:
        raise click.UsageError("--reason goes with --withdraw N.")
    if not recipient:
        raise click.UsageError("say who the copy went to: --to \"Named midwife\"")
    entry = history.record_sent(plan, recipient, version=version, date=sent_date, by=by)
    click.echo(f"{plan}: logged version {entry.version} sent to {entry.recipient} on {entry.date}.")
    if history.counts_for(plan, entry) is None:
        click.echo(f"note: {history.not_recognised_note(entry.recipient)}.")
    current = history.current_version(history.list_versions(plan))
    if current is not None and entry.version < current.number:
        click.echo(f"warning: version {entry.version} is not the current version ({current.number}).",
                   err=True)


@main.command("status")
@click.argument("path", type=click.Path())
@click.option("--check", is_flag=True,
              help="Exit 1 when anything needs doing (or a history fails verification), "
                   "for scripts and scheduled jobs.")
def status_command(path, check):
    """For PLAN, or every plan under DIR: what needs doing first (copies to send,
    passed review and due dates), then the current version, due date, next
    review, who holds which copy, and copies that went late (noted: a fact for
    the record, not something to do).

    Exit code 1 when a history fails verification; with --check, also when
    anything needs doing.
    """
    from birthplan import history

    results = history.status(path)
    if not results:
        click.echo(f"{path}: no plans found.")
    for result in sorted(results, key=lambda r: not r.needs_attention):
        for line in _status_lines(result):
            click.echo(line)
    if check:
        waiting = sum(result.needs_attention for result in results)
        click.echo(f"{waiting} of {len(results)} plan(s) need something doing." if waiting
                   else f"Nothing needs doing ({len(results)} plan(s)).")
        sys.exit(1 if waiting else 0)
    sys.exit(1 if any(r.problems for r in results) else 0)


def _status_lines(result) -> list[str]:
    dates = f"due {result.due_date or 'not given'}, next review {result.next_review_date or 'not set'}"
    if result.current_version is None and result.in_error:
        numbers = ", ".join(map(str, result.in_error))
        lines = [f"{result.plan_path}: no agreed version (version{'s' if len(result.in_error) > 1 else ''} "
                 f"{numbers} {'was' if len(result.in_error) == 1 else 'were'} entered in error); {dates}"]
    elif result.current_version is None:
        lines = [f"{result.plan_path}: never reviewed; {dates}"]
    else:
        lines = [f"{result.plan_path}: version {result.current_version} "
                 f"(reviewed {result.review_date}); {dates}"]
    lines += [f"  NEEDS DOING: {action}" for action in result.actions]
    if result.current_version is not None:
        if result.is_draft:
            lines.append(f"  draft: the plan has changed since version {result.current_version}")
        elif result.comments_changed:
            lines.append(f"  {_comments_changed(result.current_version)}")
    if result.up_to_date:
        lines.append(f"  current copy: {', '.join(result.up_to_date)}")
    elif result.current_version is not None:
        lines.append(f"  version {result.current_version} has not been logged as sent to anyone")
    lines += [f"  noted: {note}" for note in result.notes]
    lines += [f"  correction: {note}" for note in result.corrections]
    lines += [f"  problem: {problem}" for problem in result.problems]
    return lines


def _comments_changed(number: int) -> str:
    return (f"comments changed since version {number} (only comments or layout: "
            f"still version {number}, not a draft)")


@main.command("verify")
@click.argument("plan", type=click.Path(dir_okay=False))
def verify_command(plan):
    """Check PLAN's history: exit 1 if any version or sent-log entry was
    changed, deleted, reordered or inserted."""
    from birthplan import history

    problems = history.verify(plan)
    for name in history.interrupted_leftovers(plan):
        click.echo(f"note: {name} was left by an interrupted review; the next review removes it.")
    if problems:
        for problem in problems:
            click.echo(f"{plan}: {problem}")
        click.echo(f"{plan}: the history FAILED verification ({len(problems)} problem(s)). "
                   "Restore the history folder from a backup; see docs/history.md.")
        sys.exit(1)
    versions = history.list_versions(plan)
    copies = history.sent_entries(plan)
    for version in versions:
        if version.entered_in_error:
            click.echo(f"correction: version {version.number} ({version.review_date}) was "
                       f"marked entered in error: {_correction_words(version.entered_in_error)}")
    for copy in copies:
        if copy.withdrawn:
            click.echo(f"correction: sent-log entry {copy.number} (version {copy.version} to "
                       f"{copy.recipient}, {copy.date}) was withdrawn: "
                       f"{_correction_words(copy.withdrawn)}")
    current = history.current_version(versions)
    latest = f"; current agreed version {current.number}, fingerprint {current.short_fingerprint}" \
        if current else ""
    corrections = sum(v.entered_in_error is not None for v in versions) + \
        sum(c.withdrawn is not None for c in copies)
    extra = f", {corrections} correction(s) (shown above, each verified)" if corrections else ""
    click.echo(f"{plan}: history verified: {len(versions)} version(s), "
               f"{len(copies)} sent-log entries{extra}{latest}.")


# ------------------------------------------------------------------- serve --


@main.command("serve")
@click.argument("target", required=False, default=".", type=click.Path(exists=True))
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="The port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on. Anything but 127.0.0.1 lets other computers reach it.")
def serve_command(target, port, host):
    """Open the co-production workspace for the plans under TARGET (a folder, or one plan).

    A form in plain words, generated from the schema, with a live preview of
    each audience's copy; reviews, documents and history from the same page.
    Prints the address to open, with a one-time access token.
    """
    from birthplan.workspace import serve

    serve(Path(target), host=host, port=port, echo=click.echo)


# ------------------------------------------------------------ import, calendar --


@main.command("import")
@click.argument("export", type=click.Path(dir_okay=False))
@click.option("--mapping", "-m", "mapping_path", required=True, type=click.Path(dir_okay=False),
              help="The mapping from the form's questions to plan fields (see docs/import.md).")
@click.option("--out", "out_dir", default=".", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the plans (created if missing).")
@click.option("--replace", is_flag=True,
              help="Replace an existing plan that has no recorded history (one with a history is never replaced).")
def import_command(export, mapping_path, out_dir, replace):
    """Turn a form EXPORT (CSV, XLSX or JSON) into one plan per response.

    Each plan is named by its case reference. A response that cannot become a
    valid plan is reported by row, question and reason; the others are still
    written. Exit code 1 if any response failed.
    """
    from birthplan.importer import import_export

    result = import_export(_existing_file(export), _existing_file(mapping_path), Path(out_dir),
                           replace=replace)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    for message in result.messages:
        click.echo(message)
    for problem in result.problems:
        click.echo(problem.format(), err=True)
    for warning in result.warnings:
        click.echo(f"warning: {warning.format()}", err=True)
    imported = result.total - result.failed
    summary = f"{Path(export).name}: imported {imported} of {result.total} response(s)"
    if result.failed:
        summary += f"; {result.failed} could not be imported (see above) and nothing was written for them"
    click.echo(summary + ".")
    sys.exit(1 if result.failed else 0)


@main.command("calendar")
@click.argument("plan", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="The .ics file to write (default: <case reference>_appointments.ics beside PLAN).")
def calendar_command(plan, output):
    """Write the parents' appointments from PLAN as a calendar file (.ics) for their phone.

    Only what the parents' copy shows is included. Writing over an earlier
    export updates its events: send the new file and the phone updates them.
    """
    from birthplan.calendar import write_calendar

    result = write_calendar(_existing_file(plan), output)
    extra = []
    if result.changed:
        extra.append(f"{result.changed} changed")
    if result.cancelled:
        extra.append(f"{result.cancelled} cancelled")
    details = f" ({', '.join(extra)})" if extra else ""
    click.echo(f"wrote {result.path}: {result.events} appointment(s){details}, "
               "each with a reminder the day before.")


# ------------------------------------------------------------------ render --
# The work is in birthplan.render (render_plan), which a batch can call too.


@main.command("render")
@click.argument("plan", type=click.Path(exists=True))
@click.option("--audience", "audience_choices", multiple=True,
              type=click.Choice(["professional", "delivery_suite", "parent", "all"]),
              help="Which copy to write; repeat it for several.  [default: all]")
@click.option("--format", "format_choices", multiple=True,
              type=click.Choice(["docx", "pdf", "html", "all"]),
              help="Which file type to write; repeat it for several.  [default: docx and pdf]")
@click.option("--language", default=None, type=click.Choice(["en", "cy", "bilingual"]),
              help="Every copy in English, Welsh, or both (Welsh first); the pack must have them.  "
                   "[default: English, and the parents' copies in Welsh too when the plan says "
                   "they prefer Welsh]")
@click.option("--standard-print", is_flag=True,
              help="Write the parents' standard copy (with --large-print/--easy-read: exactly "
                   "the forms given).")
@click.option("--large-print", is_flag=True,
              help="Write the parents' copy in large print (18 pt, sans-serif).")
@click.option("--easy-read", is_flag=True,
              help="Write the parents' Easy Read copy (short sentences, pictures, 18 pt).  "
                   "[default for the three form options: the standard copy and every form the "
                   "plan's communication needs record]")
@click.option("--templates", type=click.Path(file_okay=False),
              help="A template pack folder.  [default: the pack named by plan.authority]")
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False),
              help="The folder to write the files to.")
@click.option("--jobs", "-j", type=click.IntRange(min=1),
              help="For a folder: plans rendered at once.  [default: every core]")
@click.option("--force", is_flag=True, help="For a folder: render plans even when nothing has changed.")
@click.option("--version", "version", type=click.IntRange(min=1),
              help="Render this agreed version from the plan's history (e.g. the copy a midwife "
                   "holds) instead of the file as it is now.")
def render_command(plan, audience_choices, format_choices, language, standard_print, large_print, easy_read,
                   templates, out_dir, jobs, force, version):
    """Write PLAN's copies for each audience as Word and PDF files (HTML with --format).

    PLAN may be a folder: every plan under it is rendered (recognised by its
    content), in parallel, skipping plans unchanged since their last render.

    With no --language and no form option, the parents' copy is written in
    every form the plan's communication needs record (Welsh, large print,
    Easy Read) as well as the standard copy.

    An invalid plan writes nothing and lists its errors (exit code 1). File
    names carry the case reference, audience, version, language and form,
    never a name.
    """
    from birthplan.render import AUDIENCES, DEFAULT_FORMATS, FORMATS, render_plan

    # Repeated options add up ("--format pdf --format docx" writes both), in the library's order.
    audiences = _chosen(audience_choices, AUDIENCES, AUDIENCES)
    formats = _chosen(format_choices, FORMATS, DEFAULT_FORMATS)
    options = {"audiences": audiences, "formats": formats, "language": language,
               "standard_print": standard_print, "large_print": large_print, "easy_read": easy_read,
               "templates": templates, "out_dir": out_dir}
    if Path(plan).is_dir():
        if version is not None:
            raise click.UsageError("--version renders one plan's agreed version: give a plan file, not a folder.")
        sys.exit(_render_folder(Path(plan), options, jobs, force))
    result = render_plan(plan, version=version, **options)
    for path in result.files:
        click.echo(f"wrote {path}")
    sys.stdout.flush()  # the file list, then the notices, even when both go to one log
    for notice in result.notices:
        click.echo(notice, err=True)


def _chosen(choices: tuple, every: tuple, default: tuple) -> tuple:
    """The values a repeatable option named, in ``every``'s order; "all" is every one."""
    if not choices:
        return default
    if "all" in choices:
        return every
    return tuple(value for value in every if value in choices)


def _render_folder(folder: Path, options: dict, jobs, force) -> int:
    from birthplan import batch, render

    out_dir = Path(options["out_dir"])
    plans = batch.find_plans(folder, exclude=[out_dir])
    if not plans:
        raise BirthplanError(f"{folder}: no plans found (a plan has 'schema_version:' and 'plan:' lines).")

    def pack_dir_for(plan_path: Path):
        from birthplan.load import read_plan

        try:
            plan, _ = read_plan(plan_path)
            return render.pack_folder(options["templates"], plan.data) if plan else None
        except BirthplanError:
            return None  # the render reports it

    interactive = sys.stderr.isatty()
    outcomes = []
    if interactive:
        bar = click.progressbar(length=len(plans), label="Rendering", file=sys.stderr, show_pos=True)
        bar.__enter__()
    else:
        bar = None
        click.echo(f"Rendering {len(plans)} plan(s)")

    def on_done(outcome):
        outcomes.append(outcome)
        if bar is not None:
            bar.update(1)
        else:
            click.echo(f"[{len(outcomes)}/{len(plans)}] {outcome.status}: {outcome.plan}")

    try:
        results = batch.render_many(plans, render.render_plan, options, out_dir=out_dir,
                                    pack_dir_for=pack_dir_for, jobs=jobs, force=force,
                                    on_done=on_done, warm_up=render.warm_up,
                                    preload=("birthplan.render", "weasyprint", "docxtpl"))
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    for line in _summary_lines(results):
        click.echo(line)
    return 1 if any(o.status == batch.FAILED for o in results) else 0


def _summary_lines(results) -> list[str]:
    from birthplan.batch import FAILED, RENDERED, SKIPPED

    counts = {status: sum(o.status == status for o in results) for status in (RENDERED, SKIPPED, FAILED)}
    rows = [("plan", "result", "detail")]
    for outcome in results:
        if outcome.status == RENDERED:
            detail = f"{len(outcome.files)} file(s)"
            if outcome.notices:
                detail += f", {len(outcome.notices)} notice(s)"
        elif outcome.status == SKIPPED:
            detail = "unchanged since its last render (--force renders it again)"
        else:
            detail = outcome.error
        rows.append((str(outcome.plan), outcome.status, detail))
    width = [max(len(row[i]) for row in rows) for i in range(2)]
    lines = ["", f"{counts[RENDERED]} rendered, {counts[SKIPPED]} skipped as unchanged, {counts[FAILED]} failed"]
    lines += [f"{plan.ljust(width[0])}  {status.ljust(width[1])}  {detail}" for plan, status, detail in rows]
    notices = [(o.plan, n) for o in results for n in o.notices]
    if notices:
        lines += ["", "Notices:"] + [f"  {plan}: {notice}" for plan, notice in notices]
    return lines


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
