"""Feedback on a practice answer: coaching findings, which parts of the statement it
covered, and whether it stayed brief; and the summary of a round."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bot.coaching import feedback, shared_coach
from bot.practice.bank import bank
from bot.statement import word_count


@dataclass(frozen=True)
class AnswerFeedback:
    strength: str | None
    suggestions: list[str]
    covered: list[str]  # statement parts the answer touched on
    words: int
    brief: bool
    suggestion_rules: list[str] = field(default_factory=list)
    asked: tuple[str, ...] = ()  # the parts the question is about
    covers: str = ""  # what a good answer to the question covers, in words
    strength_rule: str | None = None

    def lines(self) -> list[str]:
        """What the candidate hears, in order: praise, suggestions, how the answer
        met what the question is about, length."""
        texts = bank()["feedback"]
        names = bank()["parts"]
        out = []
        if self.strength:
            out.append(f"What went well: {self.strength}")
        out += [f"Even better if: {s}" for s in self.suggestions]
        met = [p for p in self.asked if p in self.covered]
        missing = [p for p in self.asked if p not in self.covered]
        if met:
            out.append(texts["covered"].format(covered=_and([names[p] for p in met])))
            if missing:
                out.append(texts["missing"].format(missing=_and([names[p] for p in missing])))
        elif self.asked:
            out.append(texts["off_question"].format(asked=_and([names[p] for p in self.asked])))
        if self.covers and (missing or not self.asked):
            out.append(texts["good_answer"].format(covers=self.covers))
        # Short is praised only in an answer with nothing to put right: a brief
        # "it's not a big deal" is not a good answer.
        if not self.brief:
            out.append(texts["long"].format(words=self.words))
        elif not self.suggestions:
            out.append(texts["brief"])
        return out

    def to_note(self) -> dict:
        """What the round keeps of this answer for its summary (no answer text)."""
        return {
            "strength": self.strength_rule,
            "suggestions": sorted(set(self.suggestion_rules)),
            "covered": [p for p in self.covered if p in self.asked],
            "asked": list(self.asked),
            "brief": self.brief,
        }


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def score_answer(text: str, asked: tuple[str, ...] = (), covers: str = "") -> AnswerFeedback:
    """Feedback on an answer to a question about the parts `asked`, whose good
    answer covers `covers`: the answer is judged on those parts only."""
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
        asked=asked,
        covers=covers,
        strength_rule=strength.rule if strength else None,
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

    texts = rule_texts()
    # Each strength once, by its rule (a strength's message quotes the answer).
    strengths = Counter(n["strength"] for n in notes if n.get("strength") in texts)
    rules = Counter(r for n in notes for r in n.get("suggestions", []))
    work_on = [texts[rule].work_on for rule, _ in rules.most_common(3)]
    names = bank()["parts"]
    if len(work_on) < 3 and notes:
        asked = {p for n in notes for p in n.get("asked", names)}
        never = [
            names[p]
            for p in names
            if p in asked and not any(p in n.get("covered", []) for n in notes)
        ]
        if never:
            work_on.append(bank()["feedback"]["missing"].format(missing=_and(never)))
    if len(work_on) < 3 and any(not n.get("brief", True) for n in notes):
        work_on.append("Keep answers short: under a minute out loud.")
    went_well = [texts[rule].went_well for rule, _ in strengths.most_common(3)]
    return RoundSummary(len(notes), went_well, work_on[:3])


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
