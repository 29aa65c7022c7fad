"""Talking to the Rasa server's REST channel (POST /webhooks/rest/webhook).

Every candidate message passes through `send`, from the website and from the
terminal chat, so this is where the safety check runs: a message that says the
candidate may be at risk reaches the conversation as the `/safety_concern` intent
instead of its words, so it is answered with care and never saved as a statement.
Only exact button payloads pass as commands (bot.commands); anything else is text.
"""

from __future__ import annotations

import aiohttp

from bot.coaching.safety import SAFETY_PAYLOAD, is_concern
from bot.commands import as_text, is_command

WEBHOOK = "/webhooks/rest/webhook"


def outgoing(message: str) -> str:
    """What the conversation receives for `message`: a known command as it is;
    otherwise the cleaned text, or the safety intent instead of it."""
    if is_command(message):
        return message
    text = as_text(message)
    if is_concern(text):
        return SAFETY_PAYLOAD
    return text


async def send(
    http: aiohttp.ClientSession,
    rasa_url: str,
    sender_id: str,
    message: str,
    message_id: str | None = None,
    retry: bool = False,
) -> list[dict]:
    """Send one message; return the bot's replies (each has "text" and maybe "buttons").

    `message_id` names the message; with `retry`, a message of that name that the
    assistant already answered is not handled again: its replies come back instead
    (rasa_addons.channel)."""
    body: dict = {"sender": sender_id, "message": outgoing(message)}
    if message_id:
        body["metadata"] = {"message_id": message_id, "retry": retry}
    async with http.post(rasa_url + WEBHOOK, json=body) as response:
        response.raise_for_status()
        return await response.json()
