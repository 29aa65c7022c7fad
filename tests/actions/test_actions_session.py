from actions.session import ActionGreet, ActionRecordConsent, ActionSessionStart
from bot.store import access, drafts
from bot.store.db import session_scope
from tests.conftest import make_tracker, responses, slot_events


async def test_new_conversation_loads_nothing_and_says_nothing(database_url, dispatcher, domain):
    events = await ActionSessionStart().run(dispatcher, make_tracker(), domain)
    assert [e["event"] for e in events] == ["session_started", "slot", "action"]
    assert slot_events(events) == {"invited": False}
    assert dispatcher.messages == []


async def test_a_session_start_says_whether_the_chat_came_from_an_invite(
    database_url, dispatcher, domain
):
    """The replies about who reads what depend on it (a practice chat has no caseworker)."""
    with session_scope() as session:
        _, invite = access.create_invite(session, "cw@example.org")
        _, practice = access.create_practice(session)
        invited, alone = invite.sender_id, practice.sender_id
    for sender, expected in ((invited, True), (alone, False)):
        events = await ActionSessionStart().run(dispatcher, make_tracker(sender), domain)
        assert slot_events(events)["invited"] is expected


async def test_explicit_session_start_always_gets_a_reply(database_url, dispatcher, domain):
    tracker = make_tracker(
        intent="session_start", events=[{"event": "user", "text": "/session_start"}]
    )
    await ActionSessionStart().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_session_start_new"]


async def test_returning_candidate_gets_their_draft_back(database_url, dispatcher, domain):
    with session_scope() as session:
        drafts.record_consent(session, "back")
        drafts.save_parts(session, "back", {"what_happened": "I stole a car.", "circumstances": ""})
    tracker = make_tracker(
        "back", intent="session_start", events=[{"event": "user", "text": "/session_start"}]
    )
    events = await ActionSessionStart().run(dispatcher, tracker, domain)
    assert slot_events(events) == {
        "invited": False,
        "consent": True,
        "what_happened": "I stole a car.",
    }
    assert responses(dispatcher) == ["utter_session_start_returning"]
    assert dispatcher.messages[0]["parts_done"] == 1


async def test_greet_someone_new(dispatcher, domain):
    await ActionGreet().run(dispatcher, make_tracker(intent="greet"), domain)
    assert responses(dispatcher) == ["utter_greet_new"]


async def test_greet_someone_returning_with_their_progress(dispatcher, domain):
    tracker = make_tracker(
        intent="greet", slots={"consent": True, "what_happened": "x y z", "circumstances": "a b c"}
    )
    await ActionGreet().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_welcome_back"]
    assert dispatcher.messages[0]["parts_done"] == 2


def _consent_events(value):
    return [
        {"event": "action", "name": "action_greet"},
        {"event": "slot", "name": "requested_slot", "value": "consent"},
        {"event": "user", "text": "yes"},
        {"event": "slot", "name": "consent", "value": value},
        {"event": "slot", "name": "requested_slot", "value": None},
    ]


async def test_yes_to_saving_creates_the_candidate(database_url, dispatcher, domain):
    tracker = make_tracker("c1", slots={"consent": True}, events=_consent_events(True))
    await ActionRecordConsent().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == [
        "utter_consent_given",
        "utter_explain_parts",
        "utter_offer_spent_check",
    ]
    with session_scope() as session:
        assert drafts.find_candidate(session, "c1") is not None


async def test_no_to_saving_creates_nothing(database_url, dispatcher, domain):
    tracker = make_tracker("c2", slots={"consent": False}, events=_consent_events(False))
    await ActionRecordConsent().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == [
        "utter_consent_declined",
        "utter_explain_parts",
        "utter_offer_spent_check",
    ]
    with session_scope() as session:
        assert drafts.find_candidate(session, "c2") is None


async def test_returning_candidate_is_not_asked_or_told_again(database_url, dispatcher, domain):
    tracker = make_tracker(
        "c3",
        slots={"consent": True, "what_happened": "I stole a car."},
        events=[{"event": "action", "name": "action_greet"}],
    )
    await ActionRecordConsent().run(dispatcher, tracker, domain)
    assert dispatcher.messages == []


async def test_automatic_session_start_after_a_break_says_nothing(database_url, dispatcher, domain):
    # Rasa runs action_session_start itself before the first message of a new session;
    # the previous session's last message may even have been "/session_start".
    tracker = make_tracker(
        intent="session_start",
        events=[
            {"event": "user", "text": "/session_start"},
            {"event": "action", "name": "action_session_start"},
            {"event": "action", "name": "action_listen"},
        ],
    )
    await ActionSessionStart().run(dispatcher, tracker, domain)
    assert dispatcher.messages == []


async def test_session_start_message_with_extraction_events_after_it(
    database_url, dispatcher, domain
):
    tracker = make_tracker(
        intent="session_start",
        events=[
            {"event": "action", "name": "action_listen"},
            {"event": "user", "text": "/session_start"},
            {"event": "user_featurization"},
        ],
    )
    await ActionSessionStart().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_session_start_new"]


async def test_no_more_tips_carries_over_into_a_new_session(database_url, dispatcher, domain):
    events = await ActionSessionStart().run(
        dispatcher, make_tracker(slots={"tips_off": True}), domain
    )
    assert slot_events(events) == {"invited": False, "tips_off": True}
    events = await ActionSessionStart().run(dispatcher, make_tracker(), domain)
    assert slot_events(events) == {"invited": False}
