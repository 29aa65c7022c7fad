"""The coaching engine as a whole: the finding format, whole-statement rules, the
chat's choice of feedback, the safety check, and robustness on any text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.coaching import Coach, feedback
from bot.coaching.rules import PART_RULES
from bot.coaching.safety import is_concern
from bot.parts import PARTS

STATEMENT_RULES = {"missing_part", "too_short", "too_long"}
ALL_RULES = set(PART_RULES) | STATEMENT_RULES

STRONG = {
    "what_happened": "In 2019 I was convicted of theft. I took money from my employer "
    "over six months and got a community order with unpaid work.",
    "circumstances": "At the time I was in debt and drinking most days. My dad had just "
    "died and I did not ask anyone for help.",
    "feelings_now": "I regret it and I understand the harm I did to people who trusted "
    "me. Since then I have been sober for three years, I finished a bookkeeping course "
    "and I volunteer at a food bank every week.",
    "aspirations": "I want to work in a warehouse or in logistics. I have a forklift "
    "licence, I am reliable and I like working in a team. I'm happy to answer any "
    "questions.",
}
WEAK = {
    "what_happened": "It wasn't my fault, my mates got me into it. It was only a bit of "
    "weed and I got ABH on top.",
    "circumstances": "I was in the wrong place at the wrong time.",
    "feelings_now": "I'm a criminal and no one will ever hire me.",
    "aspirations": "Dunno.",
}


@pytest.fixture(scope="module")
def coach() -> Coach:
    return Coach()


def test_a_strong_statement_gets_praise_and_no_invented_problems(coach: Coach) -> None:
    findings = coach.statement(STRONG)
    assert {f.rule for f in findings if f.kind == "strength"} == {
        "ownership",
        "change_shown",
        "clear_goal",
    }
    assert [f.rule for f in findings if f.kind == "suggestion"] == []


def test_a_weak_statement_gets_specific_suggestions(coach: Coach) -> None:
    rules = {f.rule for f in coach.statement(WEAK) if f.kind == "suggestion"}
    assert {"blame", "minimising", "jargon", "negative_label", "hopeless", "too_short"} <= rules
    assert not any(f.kind == "strength" for f in coach.statement(WEAK))


def test_findings_point_at_their_words(coach: Coach) -> None:
    text = STRONG["what_happened"] + " It wasn't my fault and I got GBH."
    for f in coach.part("what_happened", text):
        if f.start is not None:
            assert text[f.start : f.end] == f.excerpt
    blame = next(f for f in coach.part("what_happened", text) if f.rule == "blame")
    assert blame.excerpt == "wasn't my fault"
    assert blame.section == "what_happened" and blame.kind == "suggestion"
    assert "wasn't my fault" in blame.message


def test_rules_only_read_their_own_parts(coach: Coach) -> None:
    # no_future is about aspirations: the same words elsewhere do not raise it.
    assert "no_future" in {f.rule for f in coach.part("aspirations", "Dunno, whatever.")}
    for part in ("what_happened", "circumstances", "feelings_now"):
        assert "no_future" not in {f.rule for f in coach.part(part, "Dunno, whatever.")}


def test_statement_findings_have_the_statement_section_and_no_span(coach: Coach) -> None:
    findings = coach.statement({"what_happened": STRONG["what_happened"]})
    whole = [f for f in findings if f.rule in STATEMENT_RULES]
    assert {f.rule for f in whole} == {"missing_part", "too_short"}
    assert all(f.section == "statement" and f.start is None and f.excerpt is None for f in whole)
    assert len([f for f in whole if f.rule == "missing_part"]) == 3


def _words(n: int) -> str:
    return " ".join(["I"] + ["worked"] * (n - 1))


STATEMENT_CASES = [
    # (rule, parts, raised?)
    ("too_short", {p: _words(20) for p in PARTS}, True),
    ("too_short", {p: _words(24) for p in PARTS}, True),
    ("too_short", {"what_happened": _words(99)}, True),
    ("too_short", {}, True),
    ("too_short", {"what_happened": "", "aspirations": "Hello there."}, True),
    ("too_short", {p: _words(25) for p in PARTS}, False),
    ("too_short", STRONG, False),
    ("too_short", {p: _words(75) for p in PARTS}, False),
    ("too_short", {"feelings_now": _words(100)}, False),
    ("too_short", {p: _words(80) for p in PARTS}, False),
    ("too_long", {p: _words(76) for p in PARTS}, True),
    ("too_long", {"what_happened": _words(301)}, True),
    ("too_long", {p: _words(100) for p in PARTS}, True),
    ("too_long", {p: _words(90) for p in PARTS}, True),
    ("too_long", {"aspirations": _words(500)}, True),
    ("too_long", {p: _words(75) for p in PARTS}, False),
    ("too_long", STRONG, False),
    ("too_long", {p: _words(10) for p in PARTS}, False),
    ("too_long", {"what_happened": _words(300)}, False),
    ("too_long", {}, False),
    ("missing_part", {"what_happened": "x"}, True),
    ("missing_part", {p: "   \n\t " for p in PARTS}, True),
    ("missing_part", {**STRONG, "feelings_now": ""}, True),
    ("missing_part", {**STRONG, "aspirations": "  "}, True),
    ("missing_part", {}, True),
    ("missing_part", STRONG, False),
    ("missing_part", {p: "x" for p in PARTS}, False),
    ("missing_part", {p: _words(80) for p in PARTS}, False),
    ("missing_part", {**STRONG, "circumstances": "I was 19."}, False),
    ("missing_part", WEAK, False),
]


@pytest.mark.parametrize(("rule", "parts", "raised"), STATEMENT_CASES)
def test_whole_statement_rules(coach: Coach, rule: str, parts: dict, raised: bool) -> None:
    assert (rule in {f.rule for f in coach.statement(parts)}) is raised


def test_missing_part_names_the_part(coach: Coach) -> None:
    findings = coach.statement({**STRONG, "feelings_now": ""})
    missing = [f for f in findings if f.rule == "missing_part"]
    assert len(missing) == 1 and "How I feel about it now" in missing[0].message


def test_feedback_gives_one_strength_and_three_suggestions_most_important_first(
    coach: Coach,
) -> None:
    text = (
        "I stole a car. It wasn't my fault. He deserved it. "
        "It was only a bit of fun. I got ABH and TWOC and was on remand. "
        "Call me on 07700 900123."
    )
    strength, suggestions = feedback(coach.part("what_happened", text))
    assert strength is not None and strength.rule == "ownership"
    assert [s.rule for s in suggestions] == ["personal_data", "blame", "justification"]


def test_each_distinct_blaming_phrase_gets_its_own_note_and_one_phrase_gets_one(
    coach: Coach,
) -> None:
    text = "It wasn't really my fault and the police had it in for me. I got a fine."
    _, suggestions = feedback(coach.part("what_happened", text))
    assert [(s.rule, s.excerpt) for s in suggestions] == [
        ("blame", "wasn't really my fault"),
        ("blame", "the police had it in for me"),
    ]
    # The same phrase twice, or two patterns on the same words, is one note.
    _, once = feedback(coach.part("what_happened", "Not my fault. Not my fault. I got a fine."))
    assert [s.rule for s in once] == ["blame"]
    strength, suggestions = feedback(coach.part("what_happened", STRONG["what_happened"]))
    assert strength is not None and suggestions == []


def test_unknown_section_is_refused(coach: Coach) -> None:
    with pytest.raises(ValueError, match="unknown section"):
        coach.part("statement", "text")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    section=st.sampled_from(PARTS),
    text=st.one_of(
        st.text(),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=2000),
        st.text(alphabet="I'm a criminal it wasn't my fault ABH £5 !?\n\"“”‘’", max_size=400),
    ),
)
def test_any_text_gives_well_formed_findings(coach: Coach, section: str, text: str) -> None:
    for f in coach.part(section, text):
        assert f.rule in ALL_RULES and f.kind in ("strength", "suggestion")
        assert f.section == section and f.message
        assert not any(name in f.message for name in ("{excerpt}", "{term}", "{plain}"))
        if f.start is not None:
            assert 0 <= f.start < f.end <= len(text)
            assert text[f.start : f.end] == f.excerpt


@settings(max_examples=10, deadline=None)
@given(st.integers(min_value=1, max_value=60_000))
def test_huge_texts_do_not_crash(coach: Coach, size: int) -> None:
    text = ("I stole a car. " * (size // 15 + 1))[:size]
    for f in coach.statement({"what_happened": text, "feelings_now": text}):
        if f.start is not None:
            assert f.end <= len(text)


SAFETY_PLAIN = [
    "I want to kill myself",
    "I've been feeling suicidal",
    "I keep thinking about suicide",
    "I've been self-harming again",
    "I want to end my life",
    "I'm going to take an overdose tonight",
    "I am not safe at home",
    "He is going to hurt me when I get back",
    "I'm in crisis",
]
SAFETY_INDIRECT = [
    "Everyone would be better off without me",
    "I don't want to wake up tomorrow",
    "I can't go on like this",
    "I just want it all to stop",
    "What's the point of living anymore",
    "I don't want to be here anymore",
    "I have nothing to live for",
    "I wish I was never born",
    "I've got the pills ready",
    "I used to self-harm and now I have started again",
]
NOT_SAFETY = [
    "I hurt someone and I was convicted of assault",
    "The victim was hurt badly",
    "I stabbed him and he was hurt",
    "I used to self-harm when I was younger but I have been well for years",
    "My brother died by suicide in 2015 and I started drinking",
    "There's no point in going to an interview without preparing",
    "I was convicted of ABH after a fight",
    "He threatened my family so I carried drugs for him",
    "I want to kill it at this interview",
    "I ended things with my girlfriend",
]


@pytest.mark.parametrize("text", SAFETY_PLAIN + SAFETY_INDIRECT)
def test_safety_check_catches_plain_and_indirect_wordings(text: str) -> None:
    assert is_concern(text)


@pytest.mark.parametrize("text", NOT_SAFETY)
def test_safety_check_ignores_statement_text_about_harm(text: str) -> None:
    assert not is_concern(text)


def test_the_assistants_own_examples_get_no_suggestions(coach: Coach, domain: dict) -> None:
    """The example answers the chat shows (domain/tips.yml) must model what the coach asks for."""
    import re

    for part in PARTS:
        shown = domain["responses"][f"utter_example_{part}"][0]["text"]
        example = re.search(r'"(.*)"', shown, re.S).group(1)
        findings = coach.part(part, example)
        assert [f.rule for f in findings if f.kind == "suggestion"] == [], part
