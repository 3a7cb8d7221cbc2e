"""Walking plan data: every value with its path of keys and list positions."""

from __future__ import annotations

from typing import Iterator


def nodes(value, path: tuple = ()) -> Iterator[tuple[tuple, object]]:
    """Every value under ``value`` with its path, parents before children."""
    yield path, value
    if isinstance(value, dict):
        for key, sub in value.items():
            yield from nodes(sub, path + (key,))
    elif isinstance(value, list):
        for position, sub in enumerate(value):
            yield from nodes(sub, path + (position,))
