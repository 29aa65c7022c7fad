"""Coaching in the conversation: what the assistant says after a part, and at the end.

The actions call these; the wording of each finding is in bot/data/coaching/rules.yml
and the sentences around it are responses in domain/statement.yml.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.coaching.engine import Finding, feedback, shared_coach, statement_findings
from bot.parts import PARTS


@dataclass(frozen=True)
class PartFeedback:
    findings: list[Finding]  # everything found, kept with the saved version
    strength: str | None  # "What works well", at most one
    suggestions: list[str]  # "Even better if", at most three, most important first

    def findings_json(self) -> list[dict]:
        return [f.to_json() for f in self.findings]


def part_feedback(part: str, text: str) -> PartFeedback:
    findings = shared_coach().part(part, text)
    strength, suggestions = feedback(findings)
    return PartFeedback(
        findings, strength.message if strength else None, [s.message for s in suggestions]
    )


def closing_suggestions(parts: Mapping[str, str | None]) -> list[str]:
    """Whole-statement suggestions (length, left-over template text) for the end.
    Missing parts are said separately, so they are not repeated here."""
    texts = {p: parts.get(p) or "" for p in PARTS}
    found = [f for f in statement_findings(texts) if f.rule != "missing_part"]
    for part in PARTS:
        found += [f for f in shared_coach().part(part, texts[part]) if f.rule == "placeholder"]
    _, suggestions = feedback(found)
    return [s.message for s in suggestions]


def bulleted(messages: list[str]) -> str:
    return "\n".join(f"• {message}" for message in messages)
