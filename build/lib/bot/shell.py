"""A terminal chat with the running assistant, for candidates testing it and trainers.

Buttons are listed with numbers; typing the number presses the button.
"""

from __future__ import annotations

import asyncio
import secrets
import textwrap

import aiohttp

from bot.rest_client import send


def render(replies: list[dict]) -> list[str]:
    """Print the bot's replies; return the payloads of any buttons, in order."""
    payloads: list[str] = []
    for reply in replies:
        if reply.get("text"):
            for paragraph in reply["text"].split("\n"):
                print(
                    textwrap.fill(
                        paragraph, width=78, initial_indent="bot> ", subsequent_indent="     "
                    )
                    if paragraph
                    else ""
                )
        for button in reply.get("buttons") or []:
            payloads.append(button["payload"])
            print(f"     [{len(payloads)}] {button['title']}")
    return payloads


async def chat(rasa_url: str, sender_id: str | None = None) -> None:
    sender_id = sender_id or secrets.token_urlsafe(16)
    print(f"Your conversation id is {sender_id}")
    print(f"To come back to it later: make shell ID={sender_id}")
    print("Type a message and press Enter. Ctrl-D to leave.\n")
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as http:
        payloads: list[str] = []
        while True:
            try:
                line = (await asyncio.to_thread(input, "you> ")).strip()
            except (EOFError, KeyboardInterrupt):
                print()
                return
            if not line:
                continue
            if line.isdigit() and 0 < int(line) <= len(payloads):
                line = payloads[int(line) - 1]
            try:
                replies = await send(http, rasa_url, sender_id, line)
            except aiohttp.ClientError as error:
                print(f"(Could not reach the assistant at {rasa_url}: {error}. Is `make run` up?)")
                continue
            payloads = render(replies)
