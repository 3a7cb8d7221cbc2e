"""Run the ``birthplan`` command with every durable file step slowed and logged.

Used by tests/test_history.py to SIGKILL a real ``birthplan review`` at a
chosen moment. Each call to os.fsync, os.link, os.replace, os.rename and
os.unlink (the steps of every atomic write and of clearing leftovers) appends
"before NAME" and "after NAME" lines to $BIRTHPLAN_CRASH_LOG and sleeps
$BIRTHPLAN_CRASH_PAUSE seconds, so the test can wait for step k and kill the
process there or just after it. Nothing in birthplan itself knows about this.
"""

from __future__ import annotations

import os
import sys
import time

LOG = os.environ["BIRTHPLAN_CRASH_LOG"]
PAUSE = float(os.environ.get("BIRTHPLAN_CRASH_PAUSE", "0"))


def _checkpoint(name: str) -> None:
    with open(LOG, "a", encoding="utf-8") as handle:
        handle.write(name + "\n")
    time.sleep(PAUSE)


def _slowed(name: str, real):
    def step(*args, **kwargs):
        _checkpoint(f"before {name}")
        result = real(*args, **kwargs)
        _checkpoint(f"after {name}")
        return result

    return step


for _name in ("fsync", "link", "replace", "rename", "unlink"):
    setattr(os, _name, _slowed(_name, getattr(os, _name)))

from birthplan.cli import main  # noqa: E402  (after the patching, on purpose)

if os.environ.get("BIRTHPLAN_TEST_TODAY"):  # the fictional plans are set in 2027
    import datetime as _dt

    from birthplan.history import rules as _rules

    _rules.today = lambda: _dt.date.fromisoformat(os.environ["BIRTHPLAN_TEST_TODAY"])

sys.exit(main())
