"""Which messages are the page's own commands, and cleaning what a candidate types.

Rasa reads any message that starts with "/" as an intent with entities, skipping
the language model - and so skipping the safety check, which only reads words. So
a message passes as a command only when it is exactly a payload the assistant's
own buttons carry (read from the domain, so a new button needs no code here) or
one the page sends by itself. Everything else is the candidate's text: it is
cleaned, checked, and sent without its leading slashes, so Rasa reads it as words.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

from bot.config import DOMAIN, DOMAIN_FOLDER, PROJECT_ROOT

# Sent by the chat page itself, never shown as a button: a new session, and
# "a caseworker's decision is waiting" (bot.review.decisions).
PAGE_COMMANDS = frozenset({"/session_start", "/review_feedback"})

# Characters that no document can hold (XML 1.0 forbids them, so python-docx
# refuses them): C0 controls other than tab and newline, DEL and C1 controls,
# lone surrogates and the two non-characters U+FFFE and U+FFFF.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def domain_files(root: Path = PROJECT_ROOT) -> list[Path]:
    """The domain's files, in the order Rasa merges them (rasa_addons/domain_importer.py)."""
    return [root / DOMAIN, *sorted((root / DOMAIN_FOLDER).rglob("*.yml"))]


def as_sent(payload: str) -> str:
    """A payload as Rasa sends it to the page. The domain doubles the braces of a
    payload's entities ('/answer{{"practice_job": "care"}}'): single ones Rasa
    takes for a slot to fill in, fails, and logs every slot's value, statement
    parts included. Rasa sends them single."""
    return payload.replace("{{", "{").replace("}}", "}")


@lru_cache(maxsize=1)
def button_commands() -> frozenset[str]:
    """Every "/..." payload a button in the domain's responses carries, as sent."""
    found: set[str] = set()
    for path in domain_files():
        domain = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for variants in (domain.get("responses") or {}).values():
            for variant in variants or []:
                for button in variant.get("buttons") or []:
                    payload = as_sent(str(button.get("payload", "")))
                    if payload.startswith("/"):
                        found.add(payload)
    return frozenset(found)


def is_command(message: str) -> bool:
    """True for a payload the page may send as it is (a known button, or its own)."""
    return message in PAGE_COMMANDS or message in button_commands()


def clean_text(text: str) -> str:
    """The candidate's words as they can be stored and exported: Windows and old Mac
    line ends become newlines, and characters no document can hold are dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", _UNWRITABLE.sub("", text))


def as_text(message: str) -> str:
    """A message that is not a command, as Rasa must receive it: cleaned, and without
    the leading slashes that would make Rasa read it as a command."""
    return clean_text(message).lstrip().lstrip("/").lstrip()
