"""The domain's forms and their intents: adding an intent cannot silently change
what a form takes as an answer.

A form's free-text slots take the candidate's words unless the message's intent
is on the form's `not_intent` list. So every intent must be on each form's list
or on that form's allow-list below, with the reason it may be an answer; a new
intent on neither fails here until someone decides.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from bot.parts import TITLES

# Intents Rasa has of its own, which a list may name without the domain doing so.
RASA_INTENTS = {"back", "out_of_scope", "restart", "session_start"}

# Intents each form takes as an answer, and why.
ANSWERS = {
    "disclosure_form": {
        "answer": "what a part is",
        "affirm": "a short 'yes' is checked as an answer, so it gets a tip about the question",
        "greet": "a short 'hi' likewise gets a tip, not a new conversation",
        "start_statement": "'let's start' while a part is open is checked as an answer too",
    },
    "practice_form": {
        "answer": "what a practice answer is",
        "affirm": "'yes' may answer the employer ('would you be comfortable...?')",
        "deny": "'no' may answer the employer too",
        "greet": "a greeting to the employer is scored, and gets a tip if too short",
        "check_spent": "'do I have to tell you?' said to the employer is part of the "
        "practice, so it is scored as an answer",
    },
    "spent_form": {
        "answer": "a date, a place, a sentence, a length",
        "affirm": "'yes' answers 'were you under 18?' and 'another conviction?'",
        "deny": "'no' answers them too",
        "greet": "checked as an answer, so it gets a tip about the question",
    },
}


def _lists(domain: dict) -> dict[str, list[list[str]]]:
    """Every from_text mapping's not_intent list, by the form it belongs to."""
    found: dict[str, list[list[str]]] = defaultdict(list)
    for spec in domain["slots"].values():
        for mapping in spec.get("mappings") or []:
            if mapping.get("type") == "from_text" and "not_intent" in mapping:
                for condition in mapping.get("conditions") or []:
                    found[condition["active_loop"]].append(list(mapping["not_intent"]))
    return found


def _intents(domain: dict) -> set[str]:
    return {i if isinstance(i, str) else next(iter(i)) for i in domain["intents"]}


def test_each_form_keeps_one_list_of_what_is_not_an_answer(domain: dict) -> None:
    lists = _lists(domain)
    assert set(lists) == set(ANSWERS)
    for form, found in lists.items():
        assert all(set(one) == set(found[0]) for one in found), form


@pytest.mark.parametrize("form", sorted(ANSWERS))
def test_every_intent_is_either_not_an_answer_or_allowed_as_one(domain: dict, form: str) -> None:
    not_answers = set(_lists(domain)[form][0])
    allowed = set(ANSWERS[form])
    intents = _intents(domain)
    undecided = intents - not_answers - allowed
    assert undecided == set(), f"{form}: put each on its not_intent list or allow it here"
    assert not_answers & allowed == set()
    assert not_answers - intents <= RASA_INTENTS  # no list names an intent that is gone
    assert allowed <= intents


def test_a_button_that_names_a_part_uses_its_one_title(domain: dict) -> None:
    """A part has one name everywhere: the chat's buttons say bot.parts.TITLES."""
    named = 0
    for variants in domain["responses"].values():
        for variant in variants:
            for button in variant.get("buttons") or []:
                part = re.search(r'"part": "([a-z_]+)"', button["payload"])
                if part and button["payload"].startswith("/go_back"):
                    assert button["title"] == TITLES[part.group(1)], button
                    named += 1
    assert named >= len(TITLES)
