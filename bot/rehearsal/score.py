"""Feedback on a practice answer: coaching findings, which parts of the statement it
covered, and whether it stayed brief; and the summary of a round."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bot.coaching import feedback, shared_coach
from bot.rehearsal.bank import bank
from bot.statement import word_count


@dataclass(frozen=True)
class AnswerFeedback:
    strength: str | None
    suggestions: list[str]
    covered: list[str]  # statement parts the answer touched on
    words: int
    brief: bool
    suggestion_rules: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """What the candidate hears, in order: praise, suggestions, coverage, length."""
        texts = bank()["feedback"]
        names = bank()["parts"]
        out = []
        if self.strength:
            out.append(f"What went well: {self.strength}")
        out += [f"Even better if: {s}" for s in self.suggestions]
        missing = [names[p] for p in names if p not in self.covered]
        if self.covered:
            out.append(texts["covered"].format(covered=_and([names[p] for p in self.covered])))
            if missing:
                out.append(texts["missing"].format(missing=_and(missing)))
        else:
            out.append(" ".join(texts["nothing_covered"].split()))
        out.append(texts["brief"] if self.brief else texts["long"].format(words=self.words))
        return out

    def to_note(self) -> dict:
        """What the round keeps of this answer for its summary (no answer text)."""
        return {
            "strength": self.strength,
            "suggestions": self.suggestion_rules,
            "covered": self.covered,
            "brief": self.brief,
        }


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def score_answer(text: str) -> AnswerFeedback:
    findings, covered = shared_coach().answer(text)
    strength, suggestions = feedback(findings)
    words = word_count(text)
    return AnswerFeedback(
        strength=strength.message if strength else None,
        suggestions=[s.message for s in suggestions[:2]],
        covered=covered,
        words=words,
        brief=words <= int(bank()["brief_words"]),
        suggestion_rules=[s.rule for s in suggestions],
    )


@dataclass(frozen=True)
class RoundSummary:
    answered: int
    strengths: list[str]  # at most three, most often shown first
    work_on: list[str]  # two or three things to work on

    def to_json(self) -> dict:
        return {"answered": self.answered, "strengths": self.strengths, "work_on": self.work_on}


def summarise(notes: list[dict]) -> RoundSummary:
    """The round's strengths, and the two or three things that came up most."""
    from bot.coaching.words import rule_texts

    strengths = Counter(n["strength"] for n in notes if n.get("strength"))
    rules = Counter(r for n in notes for r in n.get("suggestions", []))
    work_on = [rule_texts()[rule].work_on for rule, _ in rules.most_common(3)]
    names = bank()["parts"]
    if len(work_on) < 3 and notes:
        never = [names[p] for p in names if not any(p in n.get("covered", []) for n in notes)]
        if never:
            work_on.append(bank()["feedback"]["missing"].format(missing=_and(never)))
    if len(work_on) < 3 and any(not n.get("brief", True) for n in notes):
        work_on.append("Keep answers short: under a minute out loud.")
    return RoundSummary(len(notes), [s for s, _ in strengths.most_common(3)], work_on[:3])


def summary_text(summary: RoundSummary, asked: int) -> str:
    """The end-of-round summary as the candidate reads it."""
    texts = bank()["summary"]
    lines = [texts["answered"].format(answered=summary.answered, asked=asked)]
    if summary.strengths:
        lines += [texts["strengths"], *(f"• {s}" for s in summary.strengths)]
    else:
        lines.append(texts["no_strengths"])
    work_on = summary.work_on or [texts["keep_practising"]]
    lines += [texts["work_on"], *(f"• {w}" for w in work_on)]
    return "\n".join(lines)
