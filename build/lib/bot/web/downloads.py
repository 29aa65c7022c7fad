"""Downloads of an approved statement (.docx or text), for caseworkers and candidates."""

from __future__ import annotations

from aiohttp import web

from bot.review import export
from bot.store.models import StatementVersion

FORMATS = ("docx", "txt")


def exported(version: StatementVersion, fmt: str) -> web.Response:
    """The download: a .docx or plain text, named so it does not say whose it is."""
    name = f"disclosure-statement-v{version.number}"
    if fmt == "docx":
        return web.Response(
            body=export.as_docx(version),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            headers={"Content-Disposition": f'attachment; filename="{name}.docx"'},
        )
    return web.Response(
        text=export.as_text(version), content_type="text/plain", charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.txt"'},
    )  # fmt: skip
