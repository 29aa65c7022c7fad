"""The trainers' pages: where the assistant struggled (bot.training.struggles).

Trainers and admins only. What a trainer reads here has been redacted and says
nothing of who wrote it; opening the queue is written to the audit log.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

from aiohttp import web

from bot.review import audit
from bot.store.db import session_scope
from bot.store.models import Role
from bot.training.struggles import Group, queue
from bot.web import keys
from bot.web.pages import render
from bot.web.staff_auth import require
from bot.web.staff_pages import staff_page, when

TRAINERS = (Role.TRAINER, Role.ADMIN)
# How each kind of struggle is named on the page.
KIND_NAMES = {
    "fallback": "did not understand",
    "unsure": "was unsure",
    "asked_again": "asked again after the answer",
    "not_what_i_meant": "“that’s not what I meant” next",
}


async def queue_page(request: web.Request) -> web.Response:
    staff = await require(request, *TRAINERS)
    config = request.app[keys.CONFIG]
    groups = await asyncio.to_thread(queue, config.tracker_store_url)
    with session_scope(config.database_url) as db:
        audit.record(db, staff.email, "viewed the trainers' queue", groups=len(groups))
    content = render(
        "staff/training",
        rows_html="".join(_row(group) for group in groups),
        empty="" if groups else "Nothing yet: no message has been missed.",
    )
    return staff_page(staff, "Where the assistant struggled", content)


def _row(group: Group) -> str:
    return render(
        "staff/struggle_row",
        text=group.text,
        count=group.count,
        kinds=", ".join(KIND_NAMES[kind] for kind in group.kinds),
        reply=group.newest.reply,
        seen=when(datetime.fromtimestamp(group.newest.at, timezone.utc)),
    )
