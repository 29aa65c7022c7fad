"""Talking to the Rasa server's REST channel (POST /webhooks/rest/webhook)."""

from __future__ import annotations

import aiohttp

WEBHOOK = "/webhooks/rest/webhook"


async def send(
    http: aiohttp.ClientSession, rasa_url: str, sender_id: str, message: str
) -> list[dict]:
    """Send one message; return the bot's replies (each has "text" and maybe "buttons")."""
    async with http.post(
        rasa_url + WEBHOOK, json={"sender": sender_id, "message": message}
    ) as response:
        response.raise_for_status()
        return await response.json()
