"""Trainers' changes written as Rasa training data, for a developer to review and commit.

Every example a trainer taught is kept in the database (bot.store.models
.TrainingExample); this writes them all, oldest first, into one file of their
own, `data/trainer/nlu.yml`, which `make train` reads with the rest of data/.
Written whole each time, so the file always equals the database: `git diff`
shows a developer exactly what trainers changed since the last commit.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import PROJECT_ROOT
from bot.store.models import TrainingExample

EXPORT_DIR = PROJECT_ROOT / "data" / "trainer"
HEADER = (
    "# Written by `bot training export` from the examples trainers taught (the\n"
    "# training_examples table). Change them there, not here: the next export\n"
    "# writes this file again.\n"
)


def nlu_yaml(session: Session) -> str:
    """The trainers' examples as Rasa 3 NLU YAML, intents in order of first use."""
    examples: dict[str, list[str]] = defaultdict(list)
    rows = session.scalars(select(TrainingExample).order_by(TrainingExample.id))
    for example in rows:
        text = " ".join(example.text.split())
        if text not in examples[example.intent]:
            examples[example.intent].append(text)
    nlu = [
        {"intent": intent, "examples": "".join(f"- {text}\n" for text in texts)}
        for intent, texts in examples.items()
    ]
    body = yaml.dump(
        {"version": "3.1", "nlu": nlu}, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True
    )
    return HEADER + body


def export(session: Session, folder: Path = EXPORT_DIR) -> Path:
    """Write `folder/nlu.yml`; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "nlu.yml"
    path.write_text(nlu_yaml(session))
    return path


class _BlockDumper(yaml.SafeDumper):
    """Writes the examples as a `|` block, as Rasa's own files have them."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _text)
