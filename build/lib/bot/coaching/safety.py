"""The safety check: does a message say the candidate may be at risk now?

It runs on every message before the conversation sees it (bot.rest_client), so it
works the same in the website, the terminal chat and the tests. The words are in
bot/data/safety.yml. A mention set in the distant past ("I used to self-harm,
years ago") does not count, unless the sentence says it is happening again now.
"""

from __future__ import annotations

from bot.coaching.engine import shared_coach

# What the conversation receives instead of the message: the text itself is never
# passed on, so it cannot be saved as part of a statement.
SAFETY_PAYLOAD = "/safety_concern"


def is_concern(text: str) -> bool:
    reading = shared_coach().reader.read(text, "safety")
    past = {reading.sentence_of(s) for s in reading.spans("safety_past", keep_ignored=True)}
    now = {reading.sentence_of(s) for s in reading.spans("safety_now", keep_ignored=True)}
    for mention in reading.spans("safety", keep_ignored=True):
        sentence = reading.sentence_of(mention)
        if sentence in now or sentence not in past:
            return True
    return False
