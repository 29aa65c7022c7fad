"""Every response the domain holds renders without Rasa logging the slots.

When a response's text or button payload holds a {...} that is not a slot, Rasa
logs the failure with every slot's value, statement parts included. The domain
doubles the braces of payload entities so that never happens; this renders every
response with a marker in every slot and searches what was logged.
"""

from __future__ import annotations

import logging
import re

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.log_utils import configure_structlog

from bot.commands import button_commands

MARKER = "MARKER-slot-value"
PLACEHOLDER = re.compile(r"(?<!{){([a-z_]+)}(?!})")


async def test_no_response_logs_a_slot_value(domain, capsys, caplog):
    configure_structlog(logging.DEBUG)  # as `rasa run` does, and more
    tracker = DialogueStateTracker("s", domain.slots)
    for slot in domain.slots:
        if slot.type_name == "text":
            tracker.update(SlotSet(slot.name, MARKER))
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    payloads = set()
    slots = {slot.name for slot in domain.slots}
    for name, variants in domain.responses.items():
        # The values an action passes along with the response (utter_message kwargs).
        texts = " ".join(str(v.get("text", "")) for v in variants)
        passed = {key: "x" for key in PLACEHOLDER.findall(texts) if key not in slots}
        response = await nlg.generate(name, tracker, "rest", **passed)
        payloads |= {b["payload"] for b in (response or {}).get("buttons") or []}
    logged = capsys.readouterr()
    assert MARKER not in logged.out + logged.err + caplog.text
    # What the page gets back is what the web app lets through as a command.
    assert {p for p in payloads if p.startswith("/")} <= button_commands()
    assert '/answer{"practice_job": "care"}' in payloads
