"""The trained bot's response selectors answer questions and skip everything else.

Run against the trained model (`make rasa-unit` trains it first): what is
checked is what the Rasa server loads.
"""

from __future__ import annotations

import pytest
from rasa.core.agent import Agent

from bot.config import MODEL_PATH


@pytest.fixture(scope="module")
def agent() -> Agent:
    return Agent.load(str(MODEL_PATH))


async def test_a_question_still_gets_its_answer_chosen(agent):
    parsed = await agent.parse_message("who will see this")
    assert parsed["intent"]["name"] == "faq"
    chosen = parsed["response_selector"]["faq"]["response"]
    assert chosen["intent_response_key"] == "faq/who_sees"
    assert chosen["responses"], "the chosen answer has its texts"


async def test_small_talk_is_answered_by_its_own_selector_only(agent):
    parsed = await agent.parse_message("I feel nervous about this")
    assert parsed["intent"]["name"] == "chitchat"
    selected = parsed["response_selector"]
    assert selected["chitchat"]["response"]["intent_response_key"].startswith("chitchat/")
    assert "faq" not in selected


async def test_a_message_of_another_intent_is_not_run_through_either_selector(agent):
    parsed = await agent.parse_message("yes")
    assert parsed["intent"]["name"] == "affirm"
    assert not set(parsed.get("response_selector", {})) & {"faq", "chitchat"}
