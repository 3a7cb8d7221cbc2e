"""Where the schema and the template packs live.

From a wheel they are inside the package (``birthplan/_data``); from a source
checkout or an editable install they are at the top of the repository.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    installed = _PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / name


def schemas_dir() -> Path:
    return _data_dir("schemas")


def templates_dir() -> Path:
    return _data_dir("templates")


def schema_path() -> Path:
    return schemas_dir() / "birthplan.schema.json"


@lru_cache(maxsize=1)
def plan_schema() -> dict:
    import json

    return json.loads(schema_path().read_text(encoding="utf-8"))
