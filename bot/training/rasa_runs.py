"""Rasa's own commands, run for a background job in its copy of the training files.

Each runs in the Rasa environment as a process of its own, its output in the
job's folder; `beat` is called every second or so while it runs, so the job's
heartbeat and progress bar keep moving.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.config import DOMAIN, PROJECT_ROOT, RASA_BIN

RASA = RASA_BIN
RASA_PYTHON = RASA_BIN.parent / "python"
# Rasa keeps what it trained by the fingerprint of its inputs: a job that changed
# only examples reuses the dialogue policy `make train` trained, not retrains it.
CACHE = PROJECT_ROOT / ".rasa" / "cache"
CANDIDATE = "candidate"
_PROGRESS_BAR = re.compile(r"[^\n]*\r")


class RasaFailed(Exception):
    """A Rasa command stopped with an error; the message ends with its output."""


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),  # the pipeline's own components (rasa_addons)
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "RASA_CACHE_DIRECTORY": str(CACHE),
    }


def run(command: list[str], folder: Path, beat: Callable[[], None], what: str) -> None:
    log = folder / "rasa.log"
    with log.open("ab") as output:
        process = subprocess.Popen(
            command, cwd=folder, env=_env(), stdout=output, stderr=subprocess.STDOUT
        )
        while True:
            try:
                code = process.wait(timeout=1.0)
                break
            except subprocess.TimeoutExpired:
                beat()
    if code != 0:
        raise RasaFailed(f"{what} stopped with an error (code {code}).\n{tail(log)}")


def tail(log: Path, lines: int = 12) -> str:
    """The end of a Rasa log, without its progress bars' redrawn lines."""
    text = _PROGRESS_BAR.sub("", log.read_text(errors="replace"))
    return "\n".join(text.splitlines()[-lines:])


def train(folder: Path, beat: Callable[[], None]) -> Path:
    run(
        [
            str(RASA),
            "train",
            "--domain",
            DOMAIN,
            "--fixed-model-name",
            CANDIDATE,
            "--out",
            "models",
        ],
        folder,
        beat,
        "Training",
    )
    model = folder / "models" / f"{CANDIDATE}.tar.gz"
    if not model.exists():
        raise RasaFailed("Training finished without a model.")
    return model


def evaluate(folder: Path, current: Path, candidate: Path, beat: Callable[[], None]) -> Any:
    out = folder / "evaluation.json"
    run(
        [
            str(RASA_PYTHON), "-m", "rasa_addons.evaluate",
            "--current", str(current), "--candidate", str(candidate), "--out", str(out),
        ],
        folder,
        beat,
        "Testing the new model",
    )  # fmt: skip
    return json.loads(out.read_text())
