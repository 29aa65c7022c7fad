"""Trainers' changes written as Rasa training data, for a developer to review and commit.

Every example a trainer taught is kept in the database (bot.store.models
.TrainingExample); this writes those not taken back, oldest first, into one file of their
own, `data/trainer/nlu.yml`, which `make train` reads with the rest of data/,
the answers they reworded (bot.training.answers) to `data/trainer/responses.yml`,
the stories trainers wrote (bot.training.stories) to
`tests/test_trainer_stories.yml`, which `make test` runs with the other test
stories, and the practice questions they changed or added
(bot.training.questions) to `bot/data/trainer/practice.yml`, which the
repository's question bank lays over the project's. Written whole each time,
so the files always equal the database: `git diff` shows a developer exactly
what trainers changed since the last commit.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import PROJECT_ROOT
from bot.practice.bank import TRAINER_FILE
from bot.store.models import TrainingExample
from bot.training import answers, questions, stories

EXAMPLES_FILE = Path("data") / "trainer" / "nlu.yml"
HEADER = (
    "# Written by `bot training export` from the examples trainers taught (the\n"
    "# training_examples table). Change them there, not here: the next export\n"
    "# writes this file again.\n"
)


def nlu_yaml(session: Session) -> str:
    """The trainers' examples as Rasa 3 NLU YAML, intents in order of first use."""
    examples: dict[str, list[str]] = defaultdict(list)
    rows = session.scalars(
        select(TrainingExample)
        .where(TrainingExample.removed_at.is_(None))
        .order_by(TrainingExample.id)
    )
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


def export(session: Session, project: Path = PROJECT_ROOT) -> list[Path]:
    """Write every trainers' change into `project` (the repository): the Rasa files
    (`training_files`) and the practice questions. Returns the files written."""
    question_file = project / TRAINER_FILE.relative_to(PROJECT_ROOT)
    question_file.parent.mkdir(parents=True, exist_ok=True)
    question_file.write_text(questions.questions_yaml(session))
    return [*training_files(session, project), question_file]


def training_files(session: Session, project: Path) -> list[Path]:
    """Write the trainers' changes a model learns from into `project` (the
    repository, or a job's copy of it): data/trainer/nlu.yml,
    data/trainer/responses.yml and tests/test_trainer_stories.yml."""
    examples = project / EXAMPLES_FILE
    examples.parent.mkdir(parents=True, exist_ok=True)
    examples.write_text(nlu_yaml(session))
    responses = examples.parent / answers.RESPONSES_FILE
    responses.write_text(answers.responses_yaml(session))
    story_file = project / "tests" / stories.STORIES_FILE
    story_file.parent.mkdir(parents=True, exist_ok=True)
    story_file.write_text(stories.stories_yaml(session))
    return [examples, responses, story_file]


class _BlockDumper(yaml.SafeDumper):
    """Writes the examples as a `|` block, as Rasa's own files have them."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _text)
