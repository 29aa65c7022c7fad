"""The documentation lives in the repository and points at files that exist, so a
newcomer following it never lands on a file that was renamed or outside the
project."""

from __future__ import annotations

import re
import subprocess

from bot.config import PROJECT_ROOT
from bot.store.db import session_scope
from bot.training.export import export

DOCS = [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").glob("*.md"))]
# A path written in backticks, in one of the repository's own folders.
NAMED_PATH = re.compile(
    r"`((?:bot|actions|rasa_addons|tests|data|domain|docs|scripts|deploy|bench)/[^`\s:]*)`"
)
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def _tracked_text_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    return [
        name
        for name in listed.stdout.splitlines()
        if name.endswith(
            (".py", ".md", ".yml", ".yaml", ".toml", ".sh", ".cfg", ".j2", ".html", ".js")
        )
        or name in ("Makefile", ".ci/run")
    ]


# The folder of notes beside the repository, put together here so this file does
# not name it itself.
OUTSIDE = "/".join(("..", "shared"))


def test_no_file_points_to_notes_outside_the_repository():
    pointing = [
        name
        for name in _tracked_text_files()
        if OUTSIDE in (PROJECT_ROOT / name).read_text(encoding="utf-8", errors="replace")
    ]
    assert pointing == []


def test_every_file_the_docs_name_exists(database_url, tmp_path):
    # What `bot training export` writes is named before it exists in a clone.
    with session_scope() as db:
        exported = {str(p.relative_to(tmp_path)) for p in export(db, tmp_path)}
    exported |= {f"{p.rsplit('/', 1)[0]}/" for p in exported}
    missing = []
    for doc in DOCS:
        for named in NAMED_PATH.findall(doc.read_text(encoding="utf-8")):
            if any(c in named for c in "*<{") or named.endswith("..."):
                continue  # a pattern, not a file
            path = named.split("::")[0].rstrip(".,;")
            if not (PROJECT_ROOT / path).exists() and path not in exported:
                missing.append(f"{doc.name}: {named}")
    assert missing == []


def test_every_link_in_the_docs_leads_to_a_file():
    broken = []
    for doc in DOCS:
        for target in LINK.findall(doc.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://", "mailto:", "tel:")):
                continue
            if not (doc.parent / target).exists():
                broken.append(f"{doc.name}: {target}")
    assert broken == []
