"""The web app (aiohttp): the only process that listens beyond localhost.

It serves the pages and the chat API and talks to the Rasa REST channel itself,
with the sender id of the signed-in session.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
from aiohttp import web

from bot.coaching import shared_coach
from bot.commands import button_commands
from bot.logsafe import failure
from bot.store.retention import purge
from bot.web import (
    admin_pages,
    api,
    keys,
    model_server,
    pages,
    question_pages,
    spent_page,
    staff_auth,
    staff_pages,
    training_pages,
)
from bot.web.config import WebConfig
from bot.web.limits import limiter
from bot.web.security import security_middleware
from bot.web.sent_messages import sent_messages

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
MAX_BODY = 64 * 1024  # bytes; a chat message is at most 2,000 characters


def create_app(config: WebConfig | None = None) -> web.Application:
    config = config or WebConfig.from_env()
    app = web.Application(middlewares=[security_middleware], client_max_size=MAX_BODY)
    app[keys.CONFIG] = config
    shared = config.redis_url
    app[keys.MESSAGE_LIMITER] = limiter(
        "messages", config.messages_burst, config.messages_per_second, shared
    )
    app[keys.CODE_LIMITER] = limiter("codes", config.codes_burst, config.codes_per_second, shared)
    app[keys.LOGIN_LIMITER] = limiter(
        "logins", config.logins_burst, config.logins_per_second, shared
    )
    app[keys.PRACTICE_LIMITER] = limiter(
        "practice", config.practice_burst, config.practice_per_second, shared
    )
    app[keys.SENT_MESSAGES] = sent_messages(shared)
    app.cleanup_ctx.append(_http_client)
    app.on_startup.append(_warm_up)
    app.cleanup_ctx.append(_daily_purge)
    app.add_routes(
        [
            web.get("/", pages.home),
            web.get("/invite/{token}", pages.open_invite),
            web.post("/invite/{token}", pages.use_invite),
            web.post("/practice", pages.start_practice),
            web.post("/resume", pages.resume),
            web.get("/chat", pages.chat),
            web.post("/leave", pages.leave),
            web.get("/spent", spent_page.spent_form),
            web.post("/spent", spent_page.spent_check),
            web.get("/api/me", api.me),
            web.post("/api/chat", api.post_chat),
            web.get("/api/chat/history", api.history),
            web.get("/api/statement", api.statement),
            web.get("/api/review", api.review_waiting),
            web.get(r"/api/statement/approved.{fmt:docx|txt}", api.download_approved),
            web.get("/healthz", api.healthz),
            *STAFF_ROUTES,
            MODEL_ROUTE,
            web.static("/static", STATIC),
        ]
    )
    return app


# Caseworker, trainer and admin pages. Each handler checks the role (and, for a
# candidate, the caseload) itself, on the server.
STAFF_ROUTES = [
    web.get("/staff", staff_pages.home),
    web.get("/staff/login", staff_auth.login_form),
    web.post("/staff/login", staff_auth.log_in),
    web.post("/staff/logout", staff_auth.log_out),
    web.get("/staff/password", staff_auth.password_form),
    web.post("/staff/password", staff_auth.change_password),
    web.get("/staff/caseload", staff_pages.caseload_page),
    web.post("/staff/candidates", staff_pages.create_candidate),
    web.get(r"/staff/candidates/{key_id}", staff_pages.candidate_page),
    web.post(r"/staff/candidates/{key_id}/comments", staff_pages.add_comment),
    web.post(r"/staff/candidates/{key_id}/request-changes", staff_pages.request_changes),
    web.post(r"/staff/candidates/{key_id}/approve", staff_pages.approve),
    web.post(r"/staff/candidates/{key_id}/invite", staff_pages.reissue_invite),
    web.get(r"/staff/candidates/{key_id}/export.{fmt:docx|txt}", staff_pages.export_statement),
    web.get("/staff/overview", staff_pages.overview_page),
    web.get("/staff/accounts", admin_pages.accounts_page),
    web.post("/staff/accounts", admin_pages.add_account),
    web.post(r"/staff/accounts/{account_id}/active", admin_pages.set_active),
    web.get("/staff/audit", admin_pages.audit_page),
    web.get("/staff/audit.csv", admin_pages.audit_csv),
    web.get("/staff/training", training_pages.queue_page),
    web.get(r"/staff/training/messages/{key:[0-9a-f]{32}}", training_pages.teach_form),
    web.post(r"/staff/training/messages/{key:[0-9a-f]{32}}", training_pages.teach),
    web.get("/staff/training/intents", training_pages.intents_page),
    web.get(r"/staff/training/intents/{name:[a-z_]+(?:/[a-z_]+)?}", training_pages.intent_page),
    web.post(
        r"/staff/training/intents/{name:[a-z_]+(?:/[a-z_]+)?}/examples",
        training_pages.add_example,
    ),
    web.post(
        r"/staff/training/intents/{name:[a-z_]+/[a-z_]+}/answer", training_pages.reword_answer
    ),
    web.post(
        r"/staff/training/intents/{name:[a-z_]+/[a-z_]+}/answer/back", training_pages.answer_back
    ),
    web.post(r"/staff/training/examples/{example_id}/remove", training_pages.remove_example),
    web.get("/staff/training/stories", training_pages.stories_page),
    web.post("/staff/training/stories", training_pages.add_story),
    web.post(r"/staff/training/stories/{story_id}/remove", training_pages.remove_story),
    web.get("/staff/training/questions", question_pages.questions_page),
    web.post("/staff/training/questions", question_pages.add_question),
    web.get(
        r"/staff/training/questions/{question_id:[a-z0-9_]{1,64}}", question_pages.question_page
    ),
    web.post(
        r"/staff/training/questions/{question_id:[a-z0-9_]{1,64}}", question_pages.save_question
    ),
    web.post(
        r"/staff/training/questions/{question_id:[a-z0-9_]{1,64}}/back",
        question_pages.question_back,
    ),
    web.get("/staff/training/model", training_pages.model_page),
    web.post("/staff/training/model/back", training_pages.go_back),
    web.post("/staff/training/jobs", training_pages.start_job),
    web.get(r"/staff/training/jobs/{job_id}.json", training_pages.job_status),
    web.get(r"/staff/training/jobs/{job_id}", training_pages.job_page),
]

# Rasa's model server (endpoints.yml): only for the stack's token.
MODEL_ROUTE = web.get("/models/current", model_server.current_model)


async def _warm_up(app: web.Application) -> None:
    """Load the safety check's word patterns and the buttons' commands (read from
    the domain) now, not on the first message."""
    await asyncio.to_thread(shared_coach)
    await asyncio.to_thread(button_commands)


PURGE_EVERY = 24 * 60 * 60  # seconds: the retention periods are counted in days


async def _daily_purge(app: web.Application) -> AsyncIterator[None]:
    """Delete what is past its keeping time now, then once a day, for the life of the
    app (bot.store.retention; `bot purge` does the same by hand)."""
    config = app[keys.CONFIG]

    async def loop() -> None:
        while True:
            try:
                counts = await asyncio.to_thread(
                    purge, config.database_url, config.tracker_store_url
                )
                log.info("Retention purge: %s", counts)
            except Exception as error:  # keep serving; try again tomorrow
                log.error("Retention purge failed: %s", failure(error))
            await asyncio.sleep(PURGE_EVERY)

    task = asyncio.create_task(loop())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def _http_client(app: web.Application) -> AsyncIterator[None]:
    """One HTTP client for talking to Rasa, for the life of the app."""
    async with aiohttp.ClientSession(timeout=api.RASA_TIMEOUT) as http:
        app[keys.HTTP] = http
        yield
