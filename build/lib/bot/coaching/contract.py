"""The `bot coach` contract (issue: coaching engine, CLI): text or JSON in, findings out.

    bot coach --section what_happened --json   < part.txt
    bot coach --statement --json               < {"what_happened": ..., ...}

Both print {"findings": [...]} and exit 0; bad input exits 2 with one line.
"""

from __future__ import annotations

import json
from typing import Any

from bot.coaching.engine import Coach, Finding
from bot.parts import PARTS, TITLES

MAX_INPUT_BYTES = 100_000  # far more than any statement


class CoachInputError(ValueError):
    """Input the contract cannot take; the message is one line for the user."""


def decode(raw: bytes) -> str:
    if len(raw) > MAX_INPUT_BYTES:
        raise CoachInputError(f"input larger than {MAX_INPUT_BYTES} bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CoachInputError("input is not UTF-8 text") from None


def read_statement(text: str) -> dict[str, str]:
    """The four parts from the JSON object on stdin; missing parts count as empty."""
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as error:
        raise CoachInputError(
            f"not valid JSON (line {error.lineno}, column {error.colno})"
        ) from None
    except RecursionError:
        raise CoachInputError("JSON nested too deeply") from None
    if not isinstance(data, dict):
        raise CoachInputError("expected a JSON object with the four parts")
    unknown = sorted(set(data) - set(PARTS))
    if unknown:
        raise CoachInputError(f"unknown part {unknown[0]!r}; the parts are {', '.join(PARTS)}")
    parts = {}
    for part in PARTS:
        value = data.get(part, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise CoachInputError(f"{part}: expected text, got {type(value).__name__}")
        parts[part] = value
    return parts


def findings_json(findings: list[Finding]) -> str:
    return json.dumps({"findings": [f.to_json() for f in findings]}, ensure_ascii=False)


def findings_text(findings: list[Finding]) -> str:
    """For a trainer at a terminal: one block per finding."""
    if not findings:
        return "No findings."
    lines = []
    for f in findings:
        where = TITLES.get(f.section, "Whole statement")
        label = "What works well" if f.kind == "strength" else "Even better if"
        lines.append(f"[{f.rule}] {label} ({where})")
        if f.excerpt is not None:
            lines.append(f'  at {f.start}-{f.end}: "{f.excerpt}"')
        lines.append(f"  {f.message}")
    return "\n".join(lines)


def run(coach: Coach, raw: bytes, section: str | None) -> list[Finding]:
    """Findings for the input: one part (`section`) or the whole statement (None)."""
    text = decode(raw)
    if section is not None:
        return coach.part(section, text)
    return coach.statement(read_statement(text))
