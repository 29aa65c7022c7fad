"""The trainers' queue takes what the assistant did not handle well, and nothing private."""

from __future__ import annotations

from bot.training import intents
from bot.training.stories import Turn, turns_from
from bot.training.struggles import Step, grouped, queue, struggles
from tests.training_helpers import CONSENTED, asking_for, ran, replied, said, save_conversation


def test_a_fallback_is_queued_redacted_with_the_reply_beside_it():
    events = [
        *CONSENTED,
        said("can my mate Dave ring you on 07700 900123", "nlu_fallback", 0.3),
        ran("action_default_fallback"),
        replied("Sorry, I didn't understand that."),
    ]
    [struggle] = struggles(events)
    assert struggle.kind == "fallback"
    assert struggle.text == "can my mate [name] ring you on [phone]"
    assert struggle.reply == "Sorry, I didn't understand that."


def test_unsure_asked_again_and_not_what_i_meant_are_each_queued():
    events = [
        *CONSENTED,
        said("hiya whats occurring", "greet", 0.45, at=3),
        replied("Hello!"),
        said("who reads this", "faq", at=4, full_retrieval_intent_name="faq/who_sees"),
        replied("Your caseworker."),
        said("but who reads this", "faq", at=5, full_retrieval_intent_name="faq/who_sees"),
        replied("Your caseworker."),
        said("can I do it later", "stop", at=6),
        replied("OK, stopping."),
        said("that's not what I meant", "deny", at=7),
    ]
    kinds = {s.text: s.kind for s in struggles(events)}
    assert kinds == {
        "hiya whats occurring": "unsure",
        "but who reads this": "asked_again",
        "can I do it later": "not_what_i_meant",
    }


def test_two_different_questions_in_a_row_are_not_asked_again():
    events = [
        *CONSENTED,
        said("who reads this", "faq", at=4, full_retrieval_intent_name="faq/who_sees"),
        said("are you a bot", "faq", at=5, full_retrieval_intent_name="faq/is_bot"),
    ]
    assert struggles(events) == []


def test_nothing_is_taken_from_a_conversation_without_a_yes_to_saving():
    fallback = [said("PLANTED-no-consent", "nlu_fallback", 0.2), ran("action_default_fallback")]
    assert struggles(fallback) == []
    withdrawn = [*CONSENTED, *fallback, {"event": "reset_slots", "timestamp": 3.0}]
    assert struggles(withdrawn) == []


def test_a_statement_part_a_practice_answer_a_spent_answer_or_a_safety_message_never_is():
    private = [
        *asking_for("what_happened"),
        said("PLANTED-part I hit him", "nlu_fallback", 0.1),
        ran("action_default_fallback"),
        *asking_for("practice_answer", "practice_form"),
        said("PLANTED-practice", "answer", 0.2),
        *asking_for("spent_date", "spent_form"),
        said("PLANTED-spent in 2019", "answer", 0.2),
        *asking_for(None, None),
        said("/safety_concern", "safety_concern", 1.0),
        said("/start_statement", "start_statement", 0.3),
    ]
    assert struggles([*CONSENTED, *private]) == []
    # The same messages outside a form would be queued: the walk does see them.
    outside = [*CONSENTED, said("PLANTED-part I hit him", "nlu_fallback", 0.1)]
    assert [s.kind for s in struggles(outside)] == ["fallback"]


def test_the_same_wording_is_one_group_with_its_count_newest_first():
    found = [
        *struggles([*CONSENTED, said("What is a DBS?", "chitchat", 0.3, at=10)]),
        *struggles([*CONSENTED, said("what is a dbs", "chitchat", 0.4, at=30)]),
        *struggles([*CONSENTED, said("how long does it last", "ask_tips", 0.2, at=20)]),
    ]
    groups = grouped(found)
    assert [(g.text, g.count) for g in groups] == [
        ("what is a dbs", 2),
        ("how long does it last", 1),
    ]
    assert groups[0].newest.at == 30


def test_the_queue_reads_every_saved_conversation_from_the_tracker_store(tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    conversation_a = [*CONSENTED, said("what is a dbs", "chitchat", 0.3, at=10)]
    conversation_b = [*CONSENTED, said("What is a DBS?", "chitchat", 0.2, at=20)]
    private = [said("what is a dbs", "chitchat", 0.2, at=30)]  # no yes to saving
    for sender, events in (("a", conversation_a), ("b", conversation_b), ("c", private)):
        save_conversation(url, sender, events)
    [group] = queue(url)
    assert (group.text, group.count, group.newest.at) == ("What is a DBS?", 2, 20)
    assert queue(f"sqlite:///{tmp_path / 'empty.db'}") == []


def test_a_struggle_keeps_how_the_conversation_led_up_to_it_but_not_words_it_understood():
    events = [
        *CONSENTED,
        *asking_for("what_happened"),
        said("PLANTED-part I took a car", "answer", 0.9, at=2),
        *asking_for(None, None),
        said("PLANTED-understood give me a tip", "ask_tips", 0.96, at=3),
        ran("utter_tips"),
        ran("action_listen"),
        said(
            "hmm who is Kwame to read it",
            "faq",
            0.5,
            at=4,
            full_retrieval_intent_name="faq/who_sees",
        ),
        replied("Your caseworker."),
        said("blah blah", "nlu_fallback", 0.2, at=5),
        ran("action_default_fallback"),
    ]
    *_, last = struggles(events)
    # The statement part before them stops the lead-up; its words, and the words
    # the assistant understood, are not kept.
    assert last.lead_up == (
        Step(None, "ask_tips", "utter_tips"),
        Step("hmm who is [name] to read it", "faq/who_sees", None),
    )
    assert "PLANTED" not in repr(struggles(events))


def test_the_lead_up_stops_at_a_new_session():
    events = [
        *CONSENTED,
        said("give me a tip", "ask_tips", 0.96, at=3),
        {"event": "session_started", "timestamp": 3.5},
        said("blah blah", "nlu_fallback", 0.2, at=5),
    ]
    [struggle] = struggles(events)
    assert struggle.lead_up == ()


def test_a_story_from_a_conversation_writes_what_the_assistant_understood_in_project_words():
    events = [
        *CONSENTED,
        said("PLANTED-understood could someone help", "ask_person", 0.97, at=3),
        ran("utter_ask_person"),
        said("who reads this then", "faq", 0.5, at=4, full_retrieval_intent_name="faq/who_sees"),
        ran("utter_faq"),
        said("blah blah", "nlu_fallback", 0.2, at=5),
        ran("action_default_fallback"),
    ]
    *_, last = struggles(events)
    first, second, third = turns_from(last)
    assert first.intent == "ask_person" and first.reply == "utter_ask_person"
    assert first.text == intents.by_name("ask_person").examples[0]
    # Unsure, so already in the queue: its redacted words are the trainer's to read.
    assert (second.text, second.intent) == ("who reads this then", "faq/who_sees")
    assert third == Turn("blah blah", "", "")
