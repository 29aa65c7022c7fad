"""The coaching engine: findings for one part or a whole statement.

    coach = Coach()                       # loads once (well under 2 s)
    coach.part("what_happened", text)     # -> [Finding, ...]
    coach.statement({"what_happened": ..., ...})

Findings follow docs/coaching.md: `rule`, `kind`, `section`, `start`/`end`
and `excerpt` when it points at text, and a plain-English `message`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

from spacy.tokens import Span

from bot.coaching.reading import Reader
from bot.coaching.rules import PART_RULES, Hit, expand, groups_used
from bot.coaching.words import limit, rule_texts, rules_file
from bot.parts import PARTS, TITLES
from bot.statement import word_count

STATEMENT = "statement"  # the section of whole-statement findings
ANSWER = "answer"  # the section of findings on a practice answer
# Groups a practice answer is also read for: which parts of the statement it covers.
COVERAGE_GROUPS = {
    "what_happened": ("offence_told", "jargon"),
    "circumstances": ("context",),
    "feelings_now": ("change_shown", "insight", "regret", "support"),
    "aspirations": ("role", "plans", "skill_or_reason"),
}
EXCERPT_IN_MESSAGE = 80  # characters of the excerpt quoted in a message


@dataclass(frozen=True)
class Finding:
    rule: str
    kind: str  # "strength" or "suggestion"
    section: str
    start: int | None
    end: int | None
    excerpt: str | None
    message: str

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def _quote(excerpt: str) -> str:
    """The excerpt as a message quotes it; a long one ends at a whole word."""
    excerpt = " ".join(excerpt.split())
    if len(excerpt) > EXCERPT_IN_MESSAGE:
        excerpt = excerpt[: EXCERPT_IN_MESSAGE - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return excerpt


def _whole_phrase(span: Span) -> Span:
    """The span with the little words that belong to it: a "my" or "the" just
    before it, and the word a trailing "my", "for" or "a" leads to ("cared for my"
    is "cared for my mum"), so a quote is never cut mid-phrase (rules.yml
    `excerpts`)."""
    words = rules_file()["excerpts"]
    doc, start, end = span.doc, span.start, span.end
    while start > 0 and doc[start - 1].lower_ in words["lead_in"]:
        start -= 1
    while end < len(doc) and doc[end - 1].lower_ in words["dangling"] and doc[end].is_alpha:
        end += 1
    return doc[start:end]


def _whole_words(span: Span) -> Span:
    """Widen a span to whole written words: "n't my fault" -> "wasn't my fault"."""
    doc, start, end = span.doc, span.start, span.end

    def joins(left: int, right: int) -> bool:  # two tokens written as one word
        return not doc[left].whitespace_ and not (
            doc[right].is_punct or doc[right].is_space or doc[left].is_space
        )

    while start > 0 and joins(start - 1, start) and not doc[start - 1].is_punct:
        start -= 1
    while end < len(doc) and joins(end - 1, end):
        end += 1
    while end - start > 1 and doc[end - 1].is_space:
        end -= 1
    while end - start > 1 and doc[start].is_space:
        start += 1
    return doc[start:end]


def _profiles() -> dict[str, set[str]]:
    """The pattern groups each kind of reading needs: a part's rules, or a practice
    answer's rules and the groups that tell which parts it covers."""
    profiles = {
        section: {
            group
            for rule, spec in rule_texts().items()
            if section in spec.sections
            for group in groups_used(rule)
        }
        for section in PARTS
    }
    profiles[ANSWER] = {
        *(g for rule in answer_rules() for g in groups_used(rule)),
        *(g for groups in rules_file()["answer_rule_needs"].values() for g in groups),
        *(g for groups in COVERAGE_GROUPS.values() for g in expand(groups)),
    }
    return profiles


class Coach:
    """Reads parts and statements. Build one and reuse it: loading takes a moment."""

    def __init__(self) -> None:
        self.reader = Reader(_profiles())

    def part(self, section: str, text: str) -> list[Finding]:
        """Findings for one part, strengths first, then suggestions by importance."""
        if section not in PARTS:
            raise ValueError(f"unknown section {section!r}; expected one of {', '.join(PARTS)}")
        if not text.strip():
            return []
        reading = self.reader.read(text, section)
        findings = []
        for rule, check in PART_RULES.items():
            spec = rule_texts()[rule]
            if section in spec.sections:
                findings += [self._finding(rule, section, hit) for hit in check(reading)]
        return sort_findings(findings)

    def answer(self, text: str) -> tuple[list[Finding], list[str]]:
        """Findings on a practice answer, and the statement parts it covers."""
        if not text.strip():
            return [], []
        reading = self.reader.read(text, ANSWER)
        needs = rules_file()["answer_rule_needs"]
        findings = [
            self._finding(rule, ANSWER, hit)
            for rule in answer_rules()
            if all(reading.has(group) for group in needs.get(rule, ()))
            for hit in PART_RULES[rule](reading)
        ]
        covered = [
            part
            for part, groups in COVERAGE_GROUPS.items()
            if any(reading.has(g) for g in expand(groups))
        ]
        return sort_findings(findings), covered

    def statement(self, parts: Mapping[str, str]) -> list[Finding]:
        """The part rules on every part, then the whole-statement rules."""
        findings = []
        for section in PARTS:
            findings += self.part(section, parts.get(section) or "")
        return findings + statement_findings(parts)

    def _finding(self, rule: str, section: str, hit: Hit) -> Finding:
        spec = rule_texts()[rule]
        span = _whole_phrase(_whole_words(hit.span)) if hit.span is not None else None
        excerpt = span.text if span is not None else None
        values = {"excerpt": _quote(excerpt or ""), **hit.values}
        return Finding(
            rule=rule,
            kind=spec.kind,
            section=section,
            start=span.start_char if span is not None else None,
            end=span.end_char if span is not None else None,
            excerpt=excerpt,
            message=" ".join(spec.message.format(**values).split()),
        )


def answer_rules() -> list[str]:
    return list(rules_file()["answer_rules"])


def statement_findings(parts: Mapping[str, str]) -> list[Finding]:
    """missing_part, too_short and too_long, on the four parts together."""
    messages = rules_file()["statement"]

    def finding(rule: str, **values: object) -> Finding:
        text = " ".join(messages[rule]["message"].format(**values).split())
        return Finding(rule, "suggestion", STATEMENT, None, None, None, text)

    found = [
        finding("missing_part", title=TITLES[p]) for p in PARTS if not (parts.get(p) or "").strip()
    ]
    words = sum(word_count(parts.get(p) or "") for p in PARTS)
    if words < limit("statement_min_words"):
        found.append(finding("too_short", words=words))
    elif words > limit("statement_max_words"):
        found.append(finding("too_long", words=words))
    return found


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Strengths first, then suggestions, each most important first, then by place."""
    texts = rule_texts()

    def key(f: Finding) -> tuple[int, int, int]:
        return (f.kind != "strength", texts[f.rule].rank, f.start if f.start is not None else -1)

    return sorted(findings, key=key)


def feedback(findings: list[Finding]) -> tuple[Finding | None, list[Finding]]:
    """What the chat says after a part: at most one strength and a few suggestions,
    most important first, one per rule."""
    wanted = rules_file()["feedback"]
    strengths = [f for f in findings if f.kind == "strength"][: wanted["strengths"]]
    suggestions: list[Finding] = []
    for f in findings:
        same_rule = [s for s in suggestions if s.rule == f.rule]
        if f.kind == "suggestion" and (
            not same_rule
            or (f.rule in wanted["each_phrase"] and not any(_same_phrase(f, s) for s in same_rule))
        ):
            suggestions.append(f)
    return (strengths[0] if strengths else None), suggestions[: wanted["suggestions"]]


def _same_phrase(one: Finding, other: Finding) -> bool:
    """Two findings on overlapping words, or on the same words in two places."""
    if None in (one.start, one.end, other.start, other.end):
        return True
    overlap = one.start < other.end and other.start < one.end  # type: ignore[operator]
    return overlap or (one.excerpt or "").lower() == (other.excerpt or "").lower()


@lru_cache(maxsize=1)
def shared_coach() -> Coach:
    """One engine per process, loaded on first use."""
    return Coach()


def notes_shown(findings: list[dict[str, Any]]) -> list[Finding]:
    """What the chat said about a part, from the findings kept with it: its strength
    and its suggestions, as `feedback` chose them (the panel and the review page
    show these)."""
    strength, suggestions = feedback([Finding(**f) for f in findings])
    return ([strength] if strength else []) + suggestions
