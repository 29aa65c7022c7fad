"""How a part changed between two versions, for the review page.

A part that kept most of its words is shown word by word, removed and added
words marked, each with the spaces and punctuation it had. A part rewritten
from scratch is shown as the old text and the new, whole: interleaving two
unrelated texts word by word ("ItAt wasn'tthe") is unreadable.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

# A word with the spaces after it: whitespace stays with the words it follows.
_WORD = re.compile(r"\S+\s*")
# Below this share of words kept (difflib's ratio: 2 * kept / all words), the
# part counts as rewritten and is shown whole.
MOSTLY_KEPT = 0.5


@dataclass(frozen=True)
class PartChange:
    rewritten: bool  # shown as two whole texts, old then new
    pieces: list[tuple[str, str]]  # (kind, text): "same", "removed" or "added"


def part_change(old: str, new: str) -> PartChange:
    """How `old` became `new`: word by word if most words stayed, else whole."""
    before, after = _WORD.findall((old or "").strip()), _WORD.findall((new or "").strip())
    matcher = _matcher(before, after)
    if before and after and matcher.ratio() < MOSTLY_KEPT:
        return PartChange(True, [("removed", old.strip()), ("added", new.strip())])
    return PartChange(False, _pieces(matcher, before, after))


def _matcher(before: list[str], after: list[str]) -> difflib.SequenceMatcher:
    """Words compared without their spaces, so a last word matches a middle one."""
    words = ([w.strip() for w in before], [w.strip() for w in after])
    return difflib.SequenceMatcher(a=words[0], b=words[1], autojunk=False)


def _pieces(
    matcher: difflib.SequenceMatcher, before: list[str], after: list[str]
) -> list[tuple[str, str]]:
    pieces: list[tuple[str, str]] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("same", "".join(after[b1:b2])))
            continue
        if op in ("delete", "replace"):
            removed = "".join(before[a1:a2])
            # Removed words never run into the added ones after them.
            if op == "replace" and not removed[-1:].isspace():
                removed += " "
            pieces.append(("removed", removed))
        if op in ("insert", "replace"):
            pieces.append(("added", "".join(after[b1:b2])))
    return [p for p in pieces if p[1]]
