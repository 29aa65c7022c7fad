"""Every coaching rule on texts that must raise it and hard texts that must not
(tests/coaching/coaching_cases.yml, which starts from the examples in docs/coaching.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.coaching import Coach
from bot.coaching.words import rules_file

CASES = yaml.safe_load((Path(__file__).parent / "coaching_cases.yml").read_text())


def _cases(expect: str) -> list:
    return [
        pytest.param(rule, spec["section"], text, id=f"{rule}-{n}")
        for rule, spec in CASES.items()
        for n, text in enumerate(spec[expect])
    ]


@pytest.fixture(scope="module")
def coach() -> Coach:
    return Coach()


def rules_found(coach: Coach, section: str, text: str) -> set[str]:
    return {f.rule for f in coach.part(section, text)}


@pytest.mark.parametrize(("rule", "section", "text"), _cases("raise"))
def test_rule_is_raised(coach: Coach, rule: str, section: str, text: str) -> None:
    assert rule in rules_found(coach, section, text)


@pytest.mark.parametrize(("rule", "section", "text"), _cases("not"))
def test_rule_is_not_raised(coach: Coach, rule: str, section: str, text: str) -> None:
    assert rule not in rules_found(coach, section, text)


def test_every_part_rule_has_five_cases_each_way() -> None:
    from bot.coaching.rules import PART_RULES

    for rule in PART_RULES:
        assert len(CASES[rule]["raise"]) >= 5, rule
        assert len(CASES[rule]["not"]) >= 5, rule


@pytest.mark.parametrize(("rule", "section", "text"), _cases("raise"))
def test_every_quote_is_a_whole_phrase(coach: Coach, rule: str, section: str, text: str) -> None:
    """No excerpt ends on a word that leads somewhere ("cared for my"), or cuts a word."""
    dangling = set(rules_file()["excerpts"]["dangling"])
    for finding in coach.part(section, text):
        if finding.excerpt:
            words = finding.excerpt.lower().split()
            assert words[-1] not in dangling, (finding.rule, finding.excerpt)
            assert text[finding.start : finding.end] == finding.excerpt
            before = text[finding.start - 1 : finding.start] if finding.start else " "
            after = text[finding.end : finding.end + 1] or " "
            excerpt = finding.excerpt
            cut_start = before.isalnum() and excerpt[0].isalnum()
            cut_end = after.isalnum() and excerpt[-1].isalnum()
            assert not cut_start and not cut_end, excerpt


def test_a_quote_takes_in_the_words_its_phrase_needs(coach: Coach) -> None:
    [found] = coach.part("feelings_now", "I cared for my mum when she was ill.")
    assert found.excerpt == "cared for my mum" and '("cared for my mum")' in found.message
    [blame] = coach.part("circumstances", "My manager was always picking on me, so I stole.")
    assert blame.excerpt == "My manager was always picking on me"
