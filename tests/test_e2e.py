"""End to end: the real Rasa server, the real action server and a real database.

One stack is started for the module (about a minute); each test holds its own
conversation over the REST channel and checks what was stored.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import uuid

import aiohttp
import pytest

from bot.config import PROJECT_ROOT
from bot.practice.bank import round_questions
from bot.rest_client import send
from bot.services import Stack
from bot.store.conversations import count_events

pytestmark = pytest.mark.e2e

WHAT_HAPPENED = "In 2018 I was convicted of theft from a shop and got a community order"
CIRCUMSTANCES = "I was using drugs every day and i was in a lot of debt"
FEELINGS_NOW = "I regret it. I have been clean for two years and I volunteer at a food bank"
ASPIRATIONS = "I want to work in a warehouse because I am reliable and I like hard work"


class Conversation:
    """One candidate talking to the assistant over REST."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.sender = uuid.uuid4().hex
        self.transcript: list[str] = []
        self.buttons: dict[str, str] = {}  # the last reply's buttons: title -> payload

    async def say(self, message: str) -> str:
        async with aiohttp.ClientSession() as http:
            replies = await send(http, self.stack.rasa_url, self.sender, message)
        assert replies, f"no reply to {message!r}"
        self.buttons = {b["title"]: b["payload"] for r in replies for b in r.get("buttons") or []}
        text = "\n".join(r.get("text", "") for r in replies)
        for forbidden in ("utter_", "action_", "{", "None"):
            assert forbidden not in text, f"bot text shows {forbidden!r}: {text}"
        self.transcript.append(f"> {message}\n{text}")
        return text

    async def press(self, title: str) -> str:
        """Press one of the last reply's buttons, as the chat page does: send its payload."""
        assert title in self.buttons, f"no button {title!r} in {list(self.buttons)}"
        return await self.say(self.buttons[title])

    def drafts_show(self) -> tuple[int, object]:
        result = subprocess.run(
            [str(PROJECT_ROOT / ".venv" / "bin" / "bot"), "drafts", "show", self.sender, "--json"],
            env={**os.environ, "DATABASE_URL": self.stack.database_url},
            capture_output=True,
            text=True,
            timeout=60,
        )
        return result.returncode, json.loads(result.stdout)


async def _answer(talk: Conversation, text: str) -> str:
    """Answer a part, hear the feedback, keep the part; return the next question."""
    feedback = await talk.say(text)
    assert "rewrite it, or keep it and move on?" in feedback
    return await talk.say("keep it")


async def _consent(talk: Conversation) -> None:
    reply = await talk.say("hello")
    assert "computer assistant" in reply
    assert "Can I save your answers?" in reply
    reply = await talk.say("yes")
    assert "four short parts" in reply
    assert "Part 1 of 4" in reply


async def test_a_full_conversation_is_saved(stack):
    talk = Conversation(stack)
    await _consent(talk)
    feedback = await talk.say(WHAT_HAPPENED)
    assert "What works well: You say plainly what you did" in feedback
    assert "Part 2 of 4" in await talk.say("keep it")
    assert "Part 3 of 4" in await _answer(talk, CIRCUMSTANCES)
    feedback = await talk.say(FEELINGS_NOW)
    assert "real signs of change" in feedback
    assert "Part 4 of 4" in await talk.say("/skip_part")  # the "Keep it" button
    reply = await _answer(talk, ASPIRATIONS)
    assert "Here is your statement" in reply
    assert WHAT_HAPPENED in reply and ASPIRATIONS in reply
    assert "words long" in reply and "about" in reply
    assert "The statement is 62 words" in reply  # the whole-statement rules, at the end
    assert "saved as a draft" in await talk.say("yes")

    code, draft = talk.drafts_show()
    assert code == 0
    assert draft["what_happened"] == WHAT_HAPPENED
    assert draft["circumstances"] == CIRCUMSTANCES
    assert draft["feelings_now"] == FEELINGS_NOW
    assert draft["aspirations"] == ASPIRATIONS
    assert draft["status"] == "draft"
    assert draft["version"] == 4
    assert {f["rule"] for f in draft["findings"]["what_happened"]} == {"ownership"}
    assert "change_shown" in {f["rule"] for f in draft["findings"]["feelings_now"]}


async def test_feedback_rewrite_and_no_more_tips(stack):
    talk = Conversation(stack)
    await _consent(talk)
    weak = "It wasn't my fault, my mates got me into it and I got ABH"
    feedback = await talk.say(weak)
    assert "Even better if:" in feedback and '"wasn\'t my fault"' in feedback
    assert "assault causing actual bodily harm" in feedback
    reply = await talk.say("rewrite it")
    assert "Part 1 of 4" in reply
    better = "In 2019 I hit a man in a fight and was convicted of assault. I got a fine."
    feedback = await talk.say(better)
    assert "What works well" in feedback and "Even better if" not in feedback
    reply = await talk.say("no more tips")
    assert "no more tips" in reply and "Part 2 of 4" in reply
    reply = await talk.say("My mates got me into it, it was the wrong place at the wrong time")
    assert "Part 3 of 4" in reply and "Even better" not in reply  # saved, no feedback
    _, draft = talk.drafts_show()
    assert draft["what_happened"] == better and draft["version"] == 3
    assert "blame" in {f["rule"] for f in draft["findings"]["circumstances"]}


async def test_the_safety_check_answers_with_care_flags_and_keeps_no_words(stack):
    talk = Conversation(stack)
    await _consent(talk)
    await _answer(talk, WHAT_HAPPENED)
    crisis = "honestly I just want it all to stop"
    reply = await talk.say(crisis)
    assert "116 123" in reply and "NHS 111" in reply and "999" in reply
    assert "Part 3 of 4" not in reply  # coaching stops
    code, draft = talk.drafts_show()
    assert code == 0 and len(draft["safety_flags"]) == 1
    assert draft["circumstances"] == ""  # never saved as part text
    from bot.store.conversations import transcript

    said = [m["text"] for m in transcript(talk.sender, stack.tracker_store_url)]
    assert crisis not in said and any("not kept" in t for t in said)
    assert "Part 2 of 4" in await talk.say("/start_statement")  # carry on when ready


async def test_the_safety_check_runs_before_consent(stack):
    talk = Conversation(stack)
    await talk.say("hi")
    reply = await talk.say("everyone would be better off without me")
    assert "Samaritans" in reply
    code, _ = talk.drafts_show()
    assert code == 1  # no candidate record: consent was never given


async def test_a_short_answer_is_retried_then_offered_a_way_out(stack):
    talk = Conversation(stack)
    await _consent(talk)
    first = await talk.say("theft")
    assert "Tip:" in first
    second = await talk.say("idk")
    assert "skip it for now" in second
    assert "Tip:" not in second
    assert "No problem" in await talk.say("/skip_part")
    code, draft = talk.drafts_show()
    assert code == 0 and draft["what_happened"] == ""


async def test_stopping_and_coming_back_in_a_new_session_loses_nothing(stack):
    talk = Conversation(stack)
    await _consent(talk)
    await _answer(talk, WHAT_HAPPENED)
    reply = await talk.say("I need a break")
    assert "saved" in reply

    reply = await talk.say("/session_start")
    assert "Welcome back" in reply and "1 of the 4 parts" in reply
    reply = await talk.say("carry on")
    assert "Part 2 of 4" in reply
    await _answer(talk, CIRCUMSTANCES)
    _, draft = talk.drafts_show()
    assert draft["what_happened"] == WHAT_HAPPENED
    assert draft["circumstances"] == CIRCUMSTANCES


async def test_going_back_changes_one_part_and_keeps_the_rest(stack):
    talk = Conversation(stack)
    await _consent(talk)
    await _answer(talk, WHAT_HAPPENED)
    await _answer(talk, CIRCUMSTANCES)
    reply = await talk.say('/go_back{"part": "what_happened"}')
    assert WHAT_HAPPENED in reply and "Part 1 of 4" in reply
    changed = "In 2018 I was convicted of shoplifting and got a 12 month community order"
    reply = await _answer(talk, changed)
    assert "Part 3 of 4" in reply  # resumes at the next part still unanswered
    _, draft = talk.drafts_show()
    assert draft["what_happened"] == changed
    assert draft["circumstances"] == CIRCUMSTANCES


async def test_without_consent_nothing_is_saved(stack):
    talk = Conversation(stack)
    await talk.say("hi")
    assert "won't save anything" in await talk.say("no")
    await talk.say(WHAT_HAPPENED)
    code, draft = talk.drafts_show()
    assert code == 1 and draft is None
    assert count_events(talk.sender, stack.tracker_store_url) == 0  # not even the tracker


async def test_a_slash_before_words_never_skips_the_safety_check(stack):
    """Only exact button payloads pass as commands; "/" before words is text."""
    from bot.store import drafts, flags
    from bot.store.db import session_scope

    bypasses = (
        "/ I want to end my life",
        "/answer I want to kill myself",
        "/skip_part I want to end it all",
        "  /  I am going to hurt myself tonight",
    )
    for message in bypasses:
        talk = Conversation(stack)
        await _consent(talk)
        reply = await talk.say(message)
        assert "116 123" in reply, message
        with session_scope(stack.database_url) as db:
            assert len(flags.flags_for(db, talk.sender)) == 1
            assert drafts.latest_draft(db, talk.sender) is None  # not saved as part 1


async def test_delete_removes_drafts_and_conversation_then_starts_fresh(stack):
    talk = Conversation(stack)
    await _consent(talk)
    await talk.say(WHAT_HAPPENED)
    assert "can't be undone" in await talk.say("delete my data")
    assert "deleted" in await talk.say("yes")

    code, draft = talk.drafts_show()
    assert code == 1 and draft is None
    deadline = time.monotonic() + 30
    while count_events(talk.sender, stack.tracker_store_url) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert count_events(talk.sender, stack.tracker_store_url) == 0

    reply = await talk.say("hello")
    assert "Can I save your answers?" in reply  # a fresh conversation, kept in memory only
    assert count_events(talk.sender, stack.tracker_store_url) == 0
    await talk.say("yes")
    assert count_events(talk.sender, stack.tracker_store_url) > 0  # saved again once agreed


async def test_questions_during_a_part_are_answered_and_never_saved(stack):
    talk = Conversation(stack)
    await _consent(talk)
    reply = await talk.say("what happens to my data")
    assert "delete it all" in reply
    assert "Part 1 of 4" in reply  # the question comes back
    reply = await talk.say("are you a real person")
    assert "not a person" in reply
    code, draft = talk.drafts_show()
    assert code == 1 and draft is None


def _shell(stack: Stack, sender: str, typed: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(PROJECT_ROOT / ".venv" / "bin" / "bot"),
            "shell",
            "--rasa-url", stack.rasa_url,
            "--conversation", sender,
        ],
        input="\n".join(typed) + "\n",
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "DATABASE_URL": stack.database_url},
    )  # fmt: skip


def test_the_shell_coaches_a_weak_statement_kindly_and_praises_a_strong_one(stack):
    typed = [
        "hello",
        "1",
        "It wasn't my fault, my mates got me into it and I got ABH",
        "keep",
        "I was in the wrong place at the wrong time",
        "keep",
        "I'm a criminal and no one will ever hire me, I'm sorry",
        "keep",
        "I want to work in a warehouse because I am reliable",
        "keep",
    ]
    out = _shell(stack, uuid.uuid4().hex, typed).stdout
    out = " ".join(out.split())  # the shell wraps long lines
    for said in ("wasn't my fault", "ABH", "actual bodily harm", "wrong place at the wrong time",
                 "I'm a criminal", "no one will ever hire"):  # fmt: skip
        assert said in out, said
    assert "Even better if" in out and "What works well" in out
    assert "offender" not in out.lower() and "ex-con" not in out.lower()
    strong = _shell(stack, uuid.uuid4().hex, ["hello", "1", WHAT_HAPPENED]).stdout
    strong = " ".join(strong.split())
    assert "What works well" in strong and "I have no suggestions for this part" in strong
    assert "Even better if" not in strong


def test_a_practice_round_in_the_terminal_shell(stack):
    typed = ["hello", "1", "I want to practise", "2", "1"] + [PRACTICE_ANSWER] * 5
    result = _shell(stack, uuid.uuid4().hex, typed)
    out = " ".join(result.stdout.split())
    assert result.returncode == 0, result.stderr
    assert "[2] Warehouse and logistics" in out and "The application form asks" in out
    start = out.split("Let's practise", 1)[1].split("What kind of job", 1)[0]
    assert "Tip:" not in start  # no tips before anything is said
    assert "Back to my statement" in out
    # Each answer is judged on what its question asks about; one asking about no
    # part of the statement (like references) gets what a good answer covers.
    asked = round_questions("warehouse", "application")
    assert out.count("Your answer covered") == 1 + sum(1 for q in asked if q.asks)
    assert out.count("A good answer covers") >= sum(1 for q in asked if not q.asks)
    assert "That's the end of this round" in out and "You answered 5 of 5 questions" in out


def test_a_statement_can_be_completed_in_the_terminal_shell(stack):
    sender = uuid.uuid4().hex
    typed = [
        "hello",
        "1",  # the first button: "Yes, save my answers"
        WHAT_HAPPENED,
        "2",  # "Keep it and move on"
        CIRCUMSTANCES,
        "keep",
        FEELINGS_NOW,
        "2",
        ASPIRATIONS,
        "2",
        "1",  # "I'm happy with it"
    ]
    result = _shell(stack, sender, typed)
    assert result.returncode == 0, result.stderr
    assert "[1] Yes, save my answers" in result.stdout
    assert "[2] Keep it and move on" in result.stdout
    assert "saved as a draft" in result.stdout
    talk = Conversation(stack)
    talk.sender = sender
    code, draft = talk.drafts_show()
    assert code == 0 and draft["aspirations"] == ASPIRATIONS


async def test_the_spent_check_with_drag_through_then_the_statement(stack):
    talk = Conversation(stack)
    await _consent(talk)
    assert "tell an employer at all" in talk.transcript[-1]
    reply = await talk.say("/check_spent")
    assert "England or Wales" in reply and "Sorry" not in reply
    assert "When were you convicted" in await talk.say("England")
    assert "under 18" in await talk.say("25/01/2017")
    assert "What did you get?" in await talk.say("no")
    assert "How long" in await talk.say("Conditional discharge")
    assert "another conviction" in await talk.say("2 years")
    assert "other conviction" in await talk.say("yes")
    assert "under 18" in await talk.say("10 December 2018")
    await talk.say("no, I was an adult")
    assert "How long" in await talk.say("community order")
    assert "another conviction" in await talk.say("12 months")
    result = await talk.say("no")
    assert result.count("since 10 December 2019") == 2
    assert "drag-through" in result and "not legal advice" in result
    assert "statement now?" in result
    assert "Part 1 of 4" in await talk.say("/start_statement")


async def test_the_spent_check_can_be_skipped_for_the_statement(stack):
    talk = Conversation(stack)
    reply = await talk.say("do I have to tell employers about my conviction")
    assert "spent" in reply and "England or Wales" in reply
    assert "When were you convicted" in await talk.say("Wales")
    assert "I couldn't read that as a date" in await talk.say("a long time ago")
    reply = await talk.say("skip")
    assert "Can I save your answers?" in reply


PRACTICE_ANSWER = (
    "In 2018 I was convicted of theft and got a community order. At the time I was in "
    "debt. Since then I have been clean for two years, and I want to work in a "
    "warehouse because I am reliable."
)


async def test_a_full_practice_round_with_an_employer(stack):
    talk = Conversation(stack)
    await _consent(talk)
    await _answer(talk, WHAT_HAPPENED)
    reply = await talk.say("can we do a mock interview")
    assert "I'll play a fair employer" in reply and "What kind of job" in reply
    assert "Where does the employer ask" in await talk.press("Construction")
    reply = await talk.press("A face-to-face interview")
    assert 'Employer: "Thanks for coming in.' in reply
    answers = 0
    while "That's the end of this round" not in reply:
        reply = await talk.say(PRACTICE_ANSWER)
        answers += 1
        assert "What went well:" in reply and "Your answer covered" in reply
        assert answers <= 6, "a round asks the opening question and 3 to 5 more"
    assert answers >= 4
    assert f"You answered {answers} of {answers} questions." in reply
    assert "saved this summary" in reply
    code, draft = talk.drafts_show()
    assert code == 0 and draft["what_happened"] == WHAT_HAPPENED and draft["version"] == 1
    (practice,) = draft["practice_rounds"]
    assert practice["job"] == "construction" and practice["setting"] == "interview"
    assert practice["summary"]["answered"] == answers
    assert PRACTICE_ANSWER not in json.dumps(draft["practice_rounds"])
    assert "Part 2 of 4" in await talk.say("/start_statement")  # back to the statement


async def test_practice_retry_and_leaving_part_way(stack):
    talk = Conversation(stack)
    await _consent(talk)
    await _answer(talk, WHAT_HAPPENED)
    await talk.say("/practise")
    await talk.say("care")
    opening = await talk.say("after a DBS check")
    assert "DBS certificate" in opening
    first = await talk.say("It wasn't my fault, I got ABH.")
    assert "Even better if" in first and "actual bodily harm" in first
    assert "DBS certificate" in await talk.say("/go_back")  # the same question again
    await talk.say(PRACTICE_ANSWER)
    reply = await talk.say("stop")
    assert "stopped practising" in reply and "just as you left it" in reply
    assert "Part 2 of 4" in await talk.say("/start_statement")
    code, draft = talk.drafts_show()
    assert code == 0 and draft["what_happened"] == WHAT_HAPPENED
    assert draft["practice_rounds"] == []  # a round left part way keeps no summary


async def test_the_words_say_who_reads_what_for_an_invite_and_for_practice(stack):
    """An invited candidate hears of their caseworker and the organisation's admins;
    a practice chat (no invite) never mentions a caseworker."""
    from bot.store import access
    from bot.store.db import session_scope

    with session_scope(stack.database_url) as db:
        _, key = access.create_invite(db, "cw@example.org")
        invited_sender = key.sender_id
    invited = Conversation(stack)
    invited.sender = invited_sender
    asked = await invited.say("hello")
    assert "caseworker can read them" in asked and "administrators" in asked
    assert "not your words" in asked and "nothing you type is kept" in asked
    assert "the people who train me may read that message" in asked

    practice = Conversation(stack)
    said = [await practice.say("hello")]
    assert "just for you" in said[0] and "30 days" in said[0]
    assert "names and numbers taken out" in said[0]
    for message in ("who will see this?", "can I talk to a real person", "are you a bot?"):
        said.append(await practice.say(message))
    said.append(await practice.say("I want to end my life"))
    assert "116 123" in said[-1]
    assert not [s for s in said if "caseworker" in s.lower()]
