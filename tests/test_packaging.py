"""The schema and template packs travel inside the wheel.

Builds a real wheel, installs it (without dependencies) into an empty folder
and runs it from another directory, so nothing can be found by accident in
the source tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    # Build from a copy so the test never writes into the checkout.
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".git", ".venv", "out", "*.history",
                                                                "__pycache__", ".pytest_cache"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(work / "dist"), str(source)], check=True)
    (wheel,) = (work / "dist").glob("birthplan-*.whl")
    target = work / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True)
    return wheel, target


def test_wheel_contains_schema_starters_and_packs(installed):
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "birthplan/_data/schemas/birthplan.schema.json" in names
    assert "birthplan/_data/schemas/starters/swansea.yaml" in names
    assert any(n.startswith("birthplan/_data/templates/swansea/") for n in names)
    assert any(n.startswith("birthplan/_data/templates/sunderland/") for n in names)


def test_installed_package_finds_its_schema_from_another_directory(installed, tmp_path):
    _, target = installed
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = ("import birthplan, birthplan.resources as r;"
            "print(birthplan.__file__); print(r.schema_path()); print(r.templates_dir())")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, check=True,
                         capture_output=True, text=True).stdout.splitlines()
    assert all(line.startswith(str(target)) for line in out), out
    assert Path(out[1]).is_file()
    result = subprocess.run([sys.executable, "-m", "birthplan.cli", "validate",
                             str(REPO / "examples" / "sunderland-full.yaml")],
                            cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout
