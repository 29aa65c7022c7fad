"""The part rules: each reads a `Reading` and returns what it found.

One function per rule id of docs/coaching.md, registered in `PART_RULES`.
Precision first: when a rule cannot tell, it finds nothing. The words each rule
looks for are in bot/data/coaching/patterns.yml; the messages in rules.yml.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Span

from bot.coaching.readability import reading_grade
from bot.coaching.reading import Reading
from bot.coaching.words import jargon_terms, limit, names_file, patterns_file
from bot.statement import word_count


@dataclass(frozen=True)
class Hit:
    """What a rule found: the words it points at (if any) and values for its message."""

    span: Span | None = None
    values: dict[str, str] = field(default_factory=dict)


Rule = Callable[[Reading], list[Hit]]


def _first(spans: list[Span]) -> list[Hit]:
    return [Hit(spans[0])] if spans else []


def _all(spans: list[Span]) -> list[Hit]:
    return [Hit(span) for span in spans]


# --- responsibility ----------------------------------------------------------------


def blame(reading: Reading) -> list[Hit]:
    """Silent when the part accepts responsibility anywhere, and in any sentence that
    describes coercion (that is a circumstance, not blame)."""
    if reading.has("blame_accept"):
        return []
    coerced = {reading.sentence_of(s) for s in reading.spans("coercion", keep_ignored=True)}
    return _all([s for s in reading.spans("blame") if reading.sentence_of(s) not in coerced])


def justification(reading: Reading) -> list[Hit]:
    return _all(reading.spans("justification"))


def minimising(reading: Reading) -> list[Hit]:
    return _all(reading.spans("minimising"))


@lru_cache(maxsize=1)
def _offence_verbs() -> frozenset[str]:
    return frozenset(patterns_file()["lists"]["offence_verbs"])


_PASSIVE_HELPERS = frozenset({"was", "were", "got", "get", "been", "be", "is", "am"})


def _owned_acts(reading: Reading) -> list[Span]:
    """First-person acts, leaving out passives where the candidate is the one acted on
    ("I was hit by him")."""
    acts = []
    for span in reading.spans("ownership"):
        last = span[-1]
        passive = (
            last.lemma_ in _offence_verbs()
            and any(t.norm_ in _PASSIVE_HELPERS for t in span[:-1])
            and not last.lower_.endswith("ing")
        )
        after = reading.doc[span.end].norm_ if span.end < len(reading.doc) else ""
        if not passive and after != "by":
            acts.append(span)
    return acts


def ownership(reading: Reading) -> list[Hit]:
    return _first(_owned_acts(reading))


def no_ownership(reading: Reading) -> list[Hit]:
    """An agentless account ("the car got taken"), or no first person at all."""
    if _owned_acts(reading):
        return []
    agentless = reading.spans("agentless")
    if agentless:
        return _first(agentless)
    if not reading.has("first_person", keep_ignored=True):
        return [Hit()]
    return []


# --- how the candidate talks about themself ----------------------------------------


def negative_label(reading: Reading) -> list[Hit]:
    return _all(reading.spans("negative_label"))


def hopeless(reading: Reading) -> list[Hit]:
    return _all(reading.spans("hopeless"))


def over_apology(reading: Reading) -> list[Hit]:
    apologies = reading.spans("apology")
    if len(apologies) > limit("apologies_max"):
        return _first(apologies)
    return _first(reading.spans("exclamations", keep_ignored=True))


# --- what the part says -----------------------------------------------------------


def too_much_detail(reading: Reading) -> list[Hit]:
    """Over about 80 words, or two or more kinds of detail."""
    if word_count(reading.text) > limit("what_happened_max_words"):
        return [Hit()]
    kinds = [
        reading.spans(group)
        for group in ("detail_weapon", "detail_injury", "detail_amount", "detail_time")
    ]
    steps = reading.spans("detail_step")
    if len(steps) >= 3:
        kinds.append(steps)
    found = [spans for spans in kinds if spans]
    if len(found) > limit("details_max"):
        return [Hit(min((spans[0] for spans in found), key=lambda s: s.start))]
    return []


def vague_offence(reading: Reading) -> list[Hit]:
    """Neither the kind of offence nor the sentence."""
    said = ("offence_kind", "sentence_given", *_jargon_groups())
    if any(reading.has(group, keep_ignored=True) for group in said):
        return []
    return [Hit()]


@lru_cache(maxsize=1)
def _plan_cues() -> frozenset[str]:
    return frozenset(patterns_file()["lists"]["plan_cues"])


def _plans_ahead(reading: Reading, span: Span) -> bool:
    """A plan, not a change made: "I want to do a course"."""
    return any(t.norm_ in _plan_cues() for t in reading.clause_tokens_before(span))


def _changes(reading: Reading) -> list[Span]:
    """Change already made: "I finished a course", not "I want to do a course"."""
    return [s for s in reading.spans("change_shown") if not _plans_ahead(reading, s)]


def change_shown(reading: Reading) -> list[Hit]:
    return _first(_changes(reading))


def no_change(reading: Reading) -> list[Hit]:
    """Regret, with nothing about what has changed or been learned since."""
    regret = reading.spans("regret")
    if not regret or _changes(reading) or reading.has("insight"):
        return []
    return _first(regret)


def clear_goal(reading: Reading) -> list[Hit]:
    """A named role, sector or employer, with a skill or a reason."""
    if reading.has("skill_or_reason"):
        return _first(reading.spans("role"))
    return []


def no_future(reading: Reading) -> list[Hit]:
    if any(reading.has(g, keep_ignored=True) for g in ("role", "skill_or_reason", "plans")):
        return []
    return [Hit()]


# --- words -------------------------------------------------------------------------


def _jargon_groups() -> list[str]:
    return [f"jargon:{number}" for number in range(len(jargon_terms()))]


def jargon(reading: Reading) -> list[Hit]:
    """Shorthand from the closed list, unless the part also spells it out."""
    lowered = reading.text.lower()
    hits = []
    for term, group in zip(jargon_terms(), _jargon_groups(), strict=True):
        if any(spelled.lower() in lowered for spelled in term.spelled):
            continue
        hits += [Hit(s, {"term": s.text, "plain": term.plain}) for s in reading.spans(group)]
    return sorted(hits, key=lambda h: h.span.start if h.span is not None else 0)


def placeholder(reading: Reading) -> list[Hit]:
    return _all(reading.spans("placeholder", keep_ignored=True))


def hard_to_read(reading: Reading) -> list[Hit]:
    """A sentence over 25 words; or, on a part of 30 words or more, a reading grade
    above 9."""
    hits = [
        Hit(sentence)
        for sentence in reading.sentences
        if word_count(sentence.text) > limit("sentence_max_words")
    ]
    if hits:
        return hits
    long_enough = word_count(reading.text) >= limit("reading_grade_min_words")
    sentences = len(reading.sentences)
    if long_enough and reading_grade(reading.text, sentences) > limit("reading_grade_max"):
        return [Hit()]
    return []


# --- other people's details --------------------------------------------------------


@lru_cache(maxsize=1)
def _personal_regexes() -> dict[str, re.Pattern[str]]:
    return {kind: re.compile(r) for kind, r in names_file()["regexes"].items()}


@dataclass(frozen=True)
class _NameSigns:
    relations: frozenset[str]
    calling: frozenset[str]
    first_names: frozenset[str]
    own_cues: tuple[tuple[str, ...], ...]


@lru_cache(maxsize=1)
def _name_signs() -> _NameSigns:
    data = names_file()
    return _NameSigns(
        frozenset(data["relations"]),
        frozenset(data["calling"]),
        frozenset(data["first_names"]),
        tuple(tuple(cue) for cue in data["own_name_cues"]),
    )


def _names(reading: Reading, own_too: bool) -> list[Span]:
    """Capitalised words that are clearly someone's name: after "my mate", after "a
    lad called", or a common first name. The candidate's own ("I'm Sam") is left
    out for coaching, where it is theirs to give, and taken in with `own_too`."""
    signs = _name_signs()
    relations, calling, first_names = signs.relations, signs.calling, signs.first_names
    own_cues = signs.own_cues
    doc, names = reading.doc, []
    for token in doc:
        if not (token.is_alpha and token.is_title and len(token) > 1):
            continue
        before = [t.norm_ for t in doc[max(token.i - 3, 0) : token.i]]
        if any(tuple(before[-len(cue) :]) == cue for cue in own_cues):
            if own_too:
                names.append(doc[token.i : token.i + 1])
            continue
        previous = [n for n in before if n != ","]
        after_relation = bool(previous) and previous[-1] in relations
        after_calling = len(previous) >= 2 and previous[-1] in calling and previous[-2] in relations
        if after_relation or after_calling or token.lower_ in first_names:
            names.append(doc[token.i : token.i + 1])
    return names


def personal_spans(reading: Reading, own_too: bool = False) -> list[tuple[Span, str]]:
    """Other people's details (and with `own_too` the writer's own name), each
    with its kind: "name" or a regex's name in names.yml. One per place in the text."""
    found = [(span, "name") for span in _names(reading, own_too)]
    for kind, regex in _personal_regexes().items():
        for match in regex.finditer(reading.text):
            span = reading.doc.char_span(match.start(), match.end(), alignment_mode="expand")
            if span is not None and len(span):
                found.append((span, kind))
    found.sort(key=lambda item: (item[0].start, -item[0].end))
    kept: list[tuple[Span, str]] = []
    for span, kind in found:
        if not kept or span.start >= kept[-1][0].end:
            kept.append((span, kind))
    return kept


def personal_data(reading: Reading) -> list[Hit]:
    return _all([span for span, _ in personal_spans(reading)])


_DETAIL = ("detail_weapon", "detail_injury", "detail_amount", "detail_time", "detail_step")
# The pattern groups each rule reads ("jargon" stands for every jargon term).
GROUPS_USED: dict[str, tuple[str, ...]] = {
    "ownership": ("ownership",),
    "change_shown": ("change_shown",),
    "clear_goal": ("role", "skill_or_reason"),
    "personal_data": (),
    "placeholder": ("placeholder",),
    "blame": ("blame", "blame_accept", "coercion"),
    "justification": ("justification",),
    "minimising": ("minimising",),
    "no_ownership": ("ownership", "agentless", "first_person"),
    "negative_label": ("negative_label",),
    "hopeless": ("hopeless",),
    "too_much_detail": _DETAIL,
    "vague_offence": ("offence_kind", "sentence_given", "jargon"),
    "no_change": ("regret", "change_shown", "insight"),
    "no_future": ("role", "skill_or_reason", "plans"),
    "over_apology": ("apology", "exclamations"),
    "jargon": ("jargon",),
    "hard_to_read": (),
}


def expand(groups: tuple[str, ...]) -> list[str]:
    """Group names, with "jargon" standing for every jargon term's group."""
    named = [g for g in groups if g != "jargon"]
    return named + (_jargon_groups() if "jargon" in groups else [])


def groups_used(rule: str) -> list[str]:
    return expand(GROUPS_USED[rule])


# Every part rule, by its id in docs/coaching.md.
PART_RULES: dict[str, Rule] = {
    "ownership": ownership,
    "change_shown": change_shown,
    "clear_goal": clear_goal,
    "personal_data": personal_data,
    "placeholder": placeholder,
    "blame": blame,
    "justification": justification,
    "minimising": minimising,
    "no_ownership": no_ownership,
    "negative_label": negative_label,
    "hopeless": hopeless,
    "too_much_detail": too_much_detail,
    "vague_offence": vague_offence,
    "no_change": no_change,
    "no_future": no_future,
    "over_apology": over_apology,
    "jargon": jargon,
    "hard_to_read": hard_to_read,
}
