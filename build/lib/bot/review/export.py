"""The approved statement as a Word document and as plain text, to hand to an employer."""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Pt

from bot.parts import PARTS
from bot.statement import assemble
from bot.store.models import StatementVersion

TITLE = "Disclosure statement"


def parts_of(version: StatementVersion) -> dict[str, str]:
    return {p: getattr(version, p) for p in PARTS}


def as_text(version: StatementVersion) -> str:
    return f"{TITLE}\n\n{assemble(parts_of(version)).text}\n"


def as_docx(version: StatementVersion) -> bytes:
    """One heading and a paragraph per part, in a plain, readable size."""
    document = Document()
    document.core_properties.title = TITLE
    document.core_properties.author = ""
    document.add_heading(TITLE, level=1)
    for part in PARTS:
        text = getattr(version, part).strip()
        if text:
            paragraph = document.add_paragraph(text)
            for run in paragraph.runs:
                run.font.size = Pt(12)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_text(data: bytes) -> str:
    """The paragraphs of a .docx as text (used to check what was exported)."""
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
