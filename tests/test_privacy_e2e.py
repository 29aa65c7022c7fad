"""The product's promises about a candidate's data, checked on the files it writes.

The whole product runs here - the website, the Rasa server, the action server -
with every file it writes in one folder, as `var/` is for `make run`. Each test
plants a marker string in what a candidate types, then searches every byte of
every file in that folder (databases, their journals, logs, the key file).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import text

from bot.config import PROJECT_ROOT
from bot.services import Stack, free_port
from bot.store.db import engine_for

pytestmark = pytest.mark.e2e

# How long an unsaved conversation lives in Rasa's memory once idle (minutes);
# short here so that "once its session ends" comes within the test.
IDLE_MINUTES = 0.05
STORES = ("app.db", "tracker.db")  # the stores meant to hold what a candidate saved


def marker(kind: str) -> str:
    return f"Marker{kind}{uuid.uuid4().hex[:12]}"


def files_holding(folder: Path, needle: str, skip: tuple[str, ...] = ()) -> list[str]:
    """Every file under `folder` whose bytes contain `needle` (skipping files whose
    name starts with one of `skip`)."""
    found = []
    for path in folder.rglob("*"):
        if (
            path.is_file()
            and not path.name.startswith(skip)
            and needle.encode() in path.read_bytes()
        ):
            found.append(str(path.relative_to(folder)))
    return found


@pytest.fixture(scope="module")
def var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("var")


@pytest.fixture(scope="module")
def site(var: Path) -> Iterator[Stack]:
    """The product as `bot up` runs it, every file it writes under `var`."""
    env = {
        "DATABASE_URL": f"sqlite:///{var / 'app.db'}",
        "SECRET_KEY_FILE": str(var / "secret.key"),
        "UNSAVED_CHAT_IDLE_MINUTES": str(IDLE_MINUTES),
    }
    subprocess.run(
        [sys.executable, "-m", "bot.cli", "db", "upgrade"],
        env={**os.environ, **env}, cwd=PROJECT_ROOT, check=True,
    )  # fmt: skip
    with Stack(
        rasa_port=free_port(), action_port=free_port(), web_port=free_port(),
        web_host="127.0.0.1", database_url=env["DATABASE_URL"],
        tracker_store_url=f"sqlite:///{var / 'tracker.db'}", log_dir=var / "log", env=env,
    ) as running:  # fmt: skip
        yield running


def browser() -> aiohttp.ClientSession:
    """An HTTP client that keeps cookies, as a browser does (for a site at an IP)."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


class Candidate:
    """Someone using the website: a practice chat, with its cookie."""

    def __init__(self, http: aiohttp.ClientSession, site: Stack) -> None:
        self.http, self.site = http, site
        self.origin = site.web_url
        self.csrf = ""

    async def start_practice(self) -> None:
        async with self.http.post(f"{self.origin}/practice", headers={"Origin": self.origin}) as r:
            assert r.status == 200
        async with self.http.get(f"{self.origin}/api/me") as r:
            self.csrf = (await r.json())["csrf_token"]

    async def say(self, message: str) -> str:
        async with self.http.post(
            f"{self.origin}/api/chat", json={"message": message},
            headers={"Origin": self.origin, "X-CSRF-Token": self.csrf},
        ) as response:  # fmt: skip
            assert response.status == 200, await response.text()
            return "\n".join(r["text"] for r in (await response.json())["replies"])


async def _new_candidate(http: aiohttp.ClientSession, site: Stack) -> Candidate:
    candidate = Candidate(http, site)
    await candidate.start_practice()
    return candidate


async def test_a_conversation_with_consent_declined_leaves_no_word_anywhere(site, var):
    words = marker("Declined")
    async with browser() as http:
        talk = await _new_candidate(http, site)
        assert "Can I save your answers?" in await talk.say("hello")
        assert "won't save anything" in await talk.say("/deny")
        part = f"In 2018 I was convicted of theft and got a fine. {words}"
        assert "rewrite it, or keep it" in await talk.say(part)  # it works while it lasts
        assert "Part 2 of 4" in await talk.say("keep it")
        await talk.say(f'/{words}{{"part": "x"}}')  # an unknown command
        assert "116 123" in await talk.say(f"/ I want to end my life {words}")
        assert not files_holding(var, words), "words written while the session lasts"

        await asyncio.sleep(IDLE_MINUTES * 60 + 1)  # the session ends
        async with browser() as elsewhere:  # someone else's turn forgets idle conversations
            await (await _new_candidate(elsewhere, site)).say("hello")
        assert "Can I save your answers?" in await talk.say("hello")  # a fresh start
    assert not files_holding(var, words)


async def test_deleting_my_data_leaves_no_word_anywhere(site, var):
    words = marker("Deleted")
    async with browser() as http:
        talk = await _new_candidate(http, site)
        await talk.say("hello")
        assert "save each answer" in await talk.say("/affirm")
        await talk.say(f"In 2018 I was convicted of theft and got a fine. {words}")
        saved_in = files_holding(var, words)  # saved, as agreed (in a store or its log)
        assert all(any(name.startswith(store) for name in saved_in) for store in STORES)
        assert "can't be undone" in await talk.say("delete my data")
        assert "deleted" in await talk.say("yes")
    assert not files_holding(var, words)


async def test_failures_write_no_candidate_words_and_no_secrets_into_any_log(site, var):
    """A database error inside an action (the SQL and its values), the action server
    sending the tracker back, an unknown "/" command, a failing page whose path holds
    a secret: each caused for real, then every file but the stores is searched."""
    words, secret = marker("Failure"), marker("Token")
    async with browser() as http:
        talk = await _new_candidate(http, site)
        await talk.say("hello")
        await talk.say("/affirm")
        await talk.say(f'/{words}{{"part": "{words}"}}')  # unknown command, saved as text
        with engine_for(f"sqlite:///{var / 'app.db'}").begin() as conn:
            conn.execute(text("DROP TABLE statement_versions"))
            conn.execute(text("DROP TABLE conversation_keys"))
        # The website may answer 401 now that its table is gone: that is fine here.
        with contextlib.suppress(AssertionError):
            await talk.say(f"I was convicted of theft and got a fine. {words}")
        async with http.get(f"{site.web_url}/invite/{secret}") as response:
            assert response.status == 500
            assert "Traceback" not in await response.text()
    await asyncio.sleep(1)  # let the logs be written
    logs = sorted(p.name for p in (var / "log").iterdir())
    assert any("rasa" in name for name in logs) and any("web" in name for name in logs)
    assert "failed: OperationalError" in site.log_tail("actions", 200)  # it was logged
    assert "/invite/{token}" in site.log_tail("web", 200)
    assert not files_holding(var, words, skip=STORES)
    assert not files_holding(var, secret)


def test_every_file_the_product_writes_is_for_its_owner_only(site, var):
    written = [p for p in var.rglob("*")]
    assert any(p.name == "secret.key" for p in written)
    for path in written:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path.relative_to(var)} is {oct(mode)}"
