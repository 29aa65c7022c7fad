"""Word-level differences between two versions of a part, for the review page."""

from __future__ import annotations

import difflib
import re

_TOKEN = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(kind, text) pieces that turn `old` into `new`; kind is "same", "removed" or
    "added". Whitespace goes with the words around it, so the pieces read naturally."""
    before, after = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    pieces: list[tuple[str, str]] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("same", "".join(before[a1:a2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(("removed", "".join(before[a1:a2])))
        if op in ("insert", "replace"):
            pieces.append(("added", "".join(after[b1:b2])))
    return [p for p in pieces if p[1]]
