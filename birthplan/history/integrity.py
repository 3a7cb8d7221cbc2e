"""The tamper checks: every sign that a history folder was changed by hand.

``_verify_history`` recomputes the fingerprint chain and the sent log's
hash chain and names each file that was edited, deleted, renamed, reordered
or inserted. A snapshot left by an interrupted review is not tampering.
The public entry point is ``birthplan.history.verify``.
"""

from __future__ import annotations

from pathlib import Path

from birthplan.errors import BirthplanError
from birthplan.history.store import (CORRECTIONS_LOG, SENT_LOG, _as_int, _entry_hash, _metadata_name, _parse_json,
                                     _read_bytes, _read_records, _refuse_newer, _Scan, _scan,
                                     _sha256, _snapshot_name, fingerprint_of)


def _verify_history(directory: Path) -> list[str]:
    scan = _scan(directory)
    records, problems = _read_records(directory, scan)
    problems += _missing_files(scan)
    for number, meta in records.items():
        problems += _record_problems(directory, number, meta)
    problems += _order_problems(records)
    problems += _log_problems(directory, SENT_LOG, "sent log", records)
    problems += _log_problems(directory, CORRECTIONS_LOG, "corrections log", records)
    return problems


def _missing_files(scan: _Scan) -> list[str]:
    problems = []
    for number in range(1, scan.last + 1):
        if number in scan.metadata:
            if number not in scan.snapshots:
                problems.append(f"version {number}: its snapshot {_snapshot_name(number)} "
                                "was deleted")
        elif number in scan.snapshots:
            problems.append(f"version {number}: its metadata file {_metadata_name(number)} "
                            "was deleted")
        else:
            problems.append(f"version {number} was deleted (both of its files are missing)")
    for number in sorted(scan.snapshots):
        if number > scan.last + 1:
            problems.append(f"{_snapshot_name(number)}: a snapshot with no version record; it was "
                            "not left by an interrupted review (the versions before it are missing)")
    return problems


def _record_problems(directory: Path, number: int, meta: dict) -> list[str]:
    problems = []
    if meta["number"] != number:
        problems.append(f"{_metadata_name(number)} was recorded as version {meta['number']}: "
                        "the version files were renamed")
    snapshot_path = directory / _snapshot_name(number)
    if not snapshot_path.is_file():
        return problems  # reported by _missing_files
    snapshot = _read_bytes(snapshot_path)
    if _sha256(snapshot) != meta["snapshot_sha256"]:
        problems.append(f"version {number}: snapshot was changed after it was recorded")
    elif fingerprint_of(meta, snapshot) != meta["fingerprint"]:
        problems.append(f"version {number}: its metadata (meeting details or fingerprints) was "
                        "changed after it was recorded")
    return problems


def _order_problems(records: dict[int, dict]) -> list[str]:
    """Check each version names the one before it: finds reordered, inserted,
    replaced and deleted versions."""
    holder = {meta["fingerprint"]: number for number, meta in records.items()}
    links = {number: holder.get(meta["previous_fingerprint"]) for number, meta in records.items()}
    reordered = any(pred is not None and pred > number for number, pred in links.items())
    problems = []
    for number, meta in sorted(records.items()):
        previous = meta["previous_fingerprint"]
        expected = records[number - 1]["fingerprint"] if number - 1 in records else None
        if number == 1 and previous is None or previous == expected:
            continue
        if number > 1 and number - 1 not in records:
            continue  # the missing version is already reported
        problems.append(_link_problem(number, meta, links[number], reordered))
    return problems


def _link_problem(number: int, meta: dict, predecessor: int | None, reordered: bool) -> str:
    if reordered:
        was = f"it was recorded after version {predecessor}" if predecessor else \
            "it was recorded after a version that is not in the history"
        return f"version {number} is out of order ({was}): versions were reordered"
    if predecessor is not None and predecessor < number - 1:
        inserted = ", ".join(str(n) for n in range(predecessor + 1, number))
        return (f"version {inserted} was inserted: when version {number} was recorded it came "
                f"straight after version {predecessor}")
    if number == 1:
        return "version 1 was not the first version recorded: earlier versions were deleted"
    if meta["number"] > number:
        return (f"version {number}: versions before it were deleted (it was recorded as "
                f"version {meta['number']})")
    return (f"version {number - 1} was replaced after version {number} was recorded "
            f"(version {number} was recorded after a different version {number - 1})")


def _log_problems(directory: Path, name: str, log: str, records: dict[int, dict]) -> list[str]:
    """A hash-chained log (the sent log, the corrections log): every line as written, in order."""
    path = directory / name
    if not path.is_file():
        return []
    lines = _read_bytes(path).decode("utf-8", "replace").splitlines()
    entries = [_parse_json(line) for line in lines]
    logged = {_as_int(e.get("number"), 0) for e in entries if isinstance(e, dict)}
    problems, previous_hash, expected_number = [], None, 1
    earlier: dict[int, dict] = {}
    for line_number, entry in enumerate(entries, 1):
        where = f"{log} line {line_number}"
        if not isinstance(entry, dict) or "hash" not in entry:
            problems.append(f"{where}: damaged (not an entry birthplan wrote)")
            previous_hash = None
            expected_number += 1
            continue
        _refuse_newer(directory, entry, name)
        problems += _entry_problems(entry, where, log, previous_hash, expected_number, logged)
        if _entry_hash(entry) == entry["hash"]:  # an edited entry says nothing reliable
            problems += _target_problems(entry, where, log, records, earlier)
        previous_hash = entry["hash"]
        expected_number = _as_int(entry.get("number"), expected_number) + 1
        earlier[_as_int(entry.get("number"), 0)] = entry
    return problems


def _entry_problems(entry: dict, where: str, log: str, previous_hash, expected_number: int,
                    logged: set[int]) -> list[str]:
    number = _as_int(entry.get("number"), expected_number)
    if _entry_hash(entry) != entry["hash"]:
        # An edited entry says nothing reliable about its place or its version.
        return [f"{where}: {log} entry {number} was changed after it was recorded"]
    skipped = [n for n in range(expected_number, number) if n not in logged]
    if skipped:
        missing = ", ".join(str(n) for n in skipped)
        return [f"{where}: {log} entry {missing} was deleted"]
    if number != expected_number:
        return [f"{where}: {log} entry {number} is out of order (entries were "
                "reordered or copied)"]
    if entry.get("previous_hash") != previous_hash:
        return [f"{where}: the {log} entry before entry {number} was replaced or "
                f"inserted (entry {number} was recorded after a different one)"]
    return []


def _target_problems(entry: dict, where: str, log: str, records: dict[int, dict],
                     earlier: dict[int, dict]) -> list[str]:
    """What an entry points at must still be there: the version a copy was sent of (or
    a review marked in error), or the earlier copy a withdrawal withdraws."""
    number = _as_int(entry.get("number"), 0)
    if entry.get("kind") == "withdrawal":
        target = earlier.get(_as_int(entry.get("withdraws"), 0))
        if target is None or target.get("kind") is not None:
            return [f"{where}: {log} entry {number} withdraws entry {entry.get('withdraws')}, "
                    "which is not an earlier copy in the log"]
        return []
    version = entry.get("version")
    is_copy = entry.get("kind") is None
    if not isinstance(version, int) or version not in records:
        names = "records a copy of" if is_copy else "marks"
        return [f"{where}: {log} entry {number} {names} version {version}, "
                "which is not in the history (deleted?)"]
    if records[version]["fingerprint"] != entry.get("fingerprint"):
        named = "that was sent in" if is_copy else "marked in"
        return [f"{where}: version {version} is not the version {named} entry "
                f"{number} (its fingerprint differs): version {version} was replaced"]
    return []


def _refuse_if_damaged(plan_path: Path, directory: Path, consequence: str) -> None:
    """Never extend a history that fails verification: that would vouch for it."""
    problems = _verify_history(directory)
    if problems:
        listed = "\n".join(f"  {p}" for p in problems)
        raise BirthplanError(f"{directory}: the history fails verification, so {consequence}:\n"
                             f"{listed}\nRun `birthplan verify {plan_path}` and ask whoever "
                             "keeps the backups to restore the history folder.")
