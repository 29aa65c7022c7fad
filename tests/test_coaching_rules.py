"""Every coaching rule on texts that must raise it and hard texts that must not
(tests/coaching_cases.yml, which starts from the examples in coaching.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.coaching import Coach

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
