"""Characters no document format can hold: C0 controls except tab and newline,
DEL, C1 controls, non-characters and lone surrogates.

Shared by validation (which warns) and rendering (which removes them), so the
two never disagree about what is printable.
"""

from __future__ import annotations

import re

UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def has_unprintable(text: str) -> bool:
    return UNPRINTABLE.search(text) is not None
