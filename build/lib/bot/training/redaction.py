"""Candidates' messages with every personal detail replaced, before a trainer reads them.

A trainer improves the assistant from messages it did not understand, and must
never learn who wrote them: the consent wording promises names and numbers are
removed. Names, emails, phone numbers, postcodes, street addresses, birth dates
and titled names are found as the coaching engine finds other people's details
(bot.coaching.rules.personal_spans), here with the writer's own name too ("I'm
Sam"). Dates, National Insurance numbers and long numbers are added from
bot/data/training/redaction.yml. Each is replaced by its kind ("[name]",
"[phone]"), so the message still reads as a sentence a trainer can label.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml

from bot.coaching.engine import shared_coach
from bot.coaching.rules import personal_spans
from bot.config import PROJECT_ROOT

REDACTION_FILE = PROJECT_ROOT / "bot" / "data" / "training" / "redaction.yml"


@lru_cache(maxsize=1)
def _redaction() -> dict[str, Any]:
    data = yaml.safe_load(REDACTION_FILE.read_text())
    data["compiled"] = [
        (kind, re.compile(pattern))
        for kind, patterns in data["regexes"].items()
        for pattern in patterns
    ]
    return data


def redact(text: str) -> str:
    """`text` with each personal detail replaced by its kind, e.g. "[name]"."""
    data = _redaction()
    reading = shared_coach().reader.read(text, "safety")
    found = [
        (span.start_char, span.end_char, kind)
        for span, kind in personal_spans(reading, own_too=True)
    ]
    for kind, regex in data["compiled"]:
        found += [(m.start(), m.end(), kind) for m in regex.finditer(reading.text)]
    found.sort(key=lambda f: (f[0], -f[1]))
    pieces, at = [], 0
    for start, end, kind in found:
        if start < at:  # overlaps a detail already replaced: that one grows
            at = max(at, end)
            continue
        pieces += [reading.text[at:start], data["placeholders"][kind]]
        at = end
    pieces.append(reading.text[at:])
    return "".join(pieces)
