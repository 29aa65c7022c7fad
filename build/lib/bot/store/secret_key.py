"""The server's secret key, which every stored secret is hashed with (HMAC).

With a keyed hash, a copy of the database alone opens nothing: the short resume
codes cannot be found by trying every code against the stored hashes without the
key too. The key comes from APP_SECRET (what several web processes or machines
share), or else from a file made on first start that only its owner can read.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path

from bot.config import VAR_DIR


def key_file() -> Path:
    return Path(os.environ.get("SECRET_KEY_FILE") or VAR_DIR / "secret.key")


@lru_cache(maxsize=4)
def _key_for(explicit: str, path: Path) -> bytes:
    if explicit:
        return explicit.encode("utf-8")
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fresh = secrets.token_hex(32).encode("ascii")
    try:
        # O_EXCL: if another process made the file first, read theirs instead.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(descriptor, "wb") as out:
        out.write(fresh)
    return fresh


def server_key() -> bytes:
    """The key in force (read once per process and place)."""
    return _key_for(os.environ.get("APP_SECRET") or "", key_file())
