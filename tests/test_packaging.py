"""The schema and template packs travel inside the wheel.

Builds a real wheel, installs it with pip into a fresh virtual environment
and runs the installed command from another directory, so nothing can be
found by accident in the source tree. The environment borrows the test
environment's third-party packages through a .pth file, so no download is
needed; birthplan itself comes only from the wheel.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    # Build from a copy so the test never writes into the checkout.
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".git", ".venv", "out", "*.history",
                                                                "__pycache__", ".pytest_cache"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(work / "dist"), str(source)], check=True)
    (built,) = (work / "dist").glob("birthplan-*.whl")
    return built


@pytest.fixture(scope="module")
def fresh_env(tmp_path_factory, wheel) -> Path:
    env = tmp_path_factory.mktemp("venv")
    venv.create(env, with_pip=False)
    python = env / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    # Only a site directory's .pth files are read, so the test environment's own
    # (editable) birthplan stays invisible: just its dependencies come through.
    Path(site, "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "-q", str(wheel)], check=True)
    return env


def test_wheel_contains_schema_starters_and_packs(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "birthplan/_data/schemas/birthplan.schema.json" in names
    assert "birthplan/_data/schemas/starters/swansea.yaml" in names
    for pack in ("swansea", "sunderland"):
        assert f"birthplan/_data/templates/{pack}/pack.yaml" in names
        assert f"birthplan/_data/templates/{pack}/word/parent.docx" in names


def test_installed_command_works_from_another_directory(fresh_env, tmp_path):
    python, command = fresh_env / "bin" / "python", fresh_env / "bin" / "birthplan"
    where = subprocess.run(
        [str(python), "-c", "import birthplan, birthplan.resources as r;"
                            "print(birthplan.__file__); print(r.schema_path()); print(r.templates_dir())"],
        cwd=tmp_path, check=True, capture_output=True, text=True).stdout.splitlines()
    assert all(line.startswith(str(fresh_env)) for line in where), where
    assert Path(where[1]).is_file() and (Path(where[2]) / "swansea" / "pack.yaml").is_file()

    plan = tmp_path / "plan.yaml"
    shutil.copy(REPO / "examples" / "swansea-full.yaml", plan)
    checked = subprocess.run([str(command), "validate", "plan.yaml"], cwd=tmp_path, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    started = subprocess.run([str(command), "init", "--authority", "sunderland", "new.yaml"], cwd=tmp_path,
                             capture_output=True, text=True)
    assert started.returncode == 0, started.stderr
    rendered = subprocess.run([str(command), "render", "plan.yaml", "--format", "html", "--out", "out"],
                              cwd=tmp_path, capture_output=True, text=True)
    assert rendered.returncode == 0, rendered.stderr
    # the parents prefer Welsh and need large print: those copies are written too
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "SWA-2027-0042_delivery-suite_draft.html", "SWA-2027-0042_parent_draft.html",
        "SWA-2027-0042_parent_draft_cy.html", "SWA-2027-0042_parent_draft_cy_large-print.html",
        "SWA-2027-0042_parent_draft_large-print.html", "SWA-2027-0042_professional_draft.html"]
