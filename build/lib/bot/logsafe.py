"""Logging without a candidate's words, and log files that stay small and private.

An exception's message can quote what it was working on (a statement part, a
token in a path), so the product's own error logs name the kind of error and the
code lines it passed through, never the message or the values.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import threading
import traceback
from pathlib import Path
from typing import IO

# Every file the product writes is for its owner only (databases, logs, secrets).
PRIVATE_UMASK = 0o077
# Rotated by size: a log never grows past LOG_MAX_BYTES, with LOG_BACKUPS old ones.
LOG_MAX_BYTES = int(os.environ.get("LOG_MAX_BYTES") or 5_000_000)
LOG_BACKUPS = int(os.environ.get("LOG_BACKUPS") or 3)


def where(error: BaseException) -> str:
    """The file, line and function of each frame, innermost first: enough to find
    the fault, and nothing of the data it was working on."""
    frames = traceback.extract_tb(error.__traceback__)
    return " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in frames[::-1])


def failure(error: BaseException) -> str:
    """One log line's worth about an error: its kind and where, not its message."""
    return f"{type(error).__name__} at {where(error)}"


def make_private(folder: Path) -> None:
    """Make a folder and everything in it its owner's alone, including files made
    before the product set its umask (an older install's databases)."""
    if not folder.exists():
        return
    folder.chmod(0o700)
    for path in folder.rglob("*"):
        if not path.is_symlink():
            path.chmod(0o700 if path.is_dir() else 0o600)


def rotating_handler(
    path: Path, max_bytes: int = LOG_MAX_BYTES, backups: int = LOG_BACKUPS
) -> logging.handlers.RotatingFileHandler:
    """A log file for its owner only, rotated by size."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.touch(mode=0o600, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(message)s"))
    return handler


def copy_to_log(
    stream: IO[bytes], path: Path, max_bytes: int = LOG_MAX_BYTES, backups: int = LOG_BACKUPS
) -> threading.Thread:
    """Copy a child process's output, line by line, into a rotated log file (in a
    thread that ends when the process closes its output)."""
    logger = logging.Logger(f"child:{path}")
    logger.addHandler(rotating_handler(path, max_bytes, backups))

    def pump() -> None:
        for line in iter(stream.readline, b""):
            logger.info(line.decode("utf-8", "replace").rstrip("\n"))
        stream.close()
        for handler in logger.handlers:
            handler.close()

    thread = threading.Thread(target=pump, name=f"log {path.name}", daemon=True)
    thread.start()
    return thread
