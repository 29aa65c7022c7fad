"""The intents a trainer chooses from: every one described, answers shown as answers."""

from __future__ import annotations

import yaml

from bot.training.intents import INTENTS_FILE, by_name, catalogue, domain_intents


def test_every_intent_of_the_domain_is_described_or_left_out_for_a_written_reason():
    listed = yaml.safe_load(INTENTS_FILE.read_text())
    described, left_out = set(listed["descriptions"]), set(listed["not_offered"])
    assert not described & left_out
    assert set(domain_intents()) == described | left_out


def test_each_choice_has_a_description_and_examples_the_assistant_already_knows():
    for intent in catalogue():
        assert intent.description, intent.name
        assert 1 <= len(intent.examples) <= 3, intent.name
        for example in intent.examples:
            assert "](" not in example and "]{" not in example, example


def test_questions_are_offered_one_by_one_with_the_answer_they_get():
    who_sees = by_name("faq/who_sees")
    assert who_sees is not None
    assert who_sees.description.startswith("Answered: “Only you, your caseworker")
    assert by_name("faq") is None and by_name("answer") is None
    assert by_name("chitchat/thanks") is not None
    assert by_name("safety_concern") is None
