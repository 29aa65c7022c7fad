"""Which model the assistant runs: the newest one a trainer published and nobody
withdrew, or the repository's own (`make train`'s) when there is none.

Every Rasa server pulls its model from the web app (endpoints.yml `models:`,
bot.web.model_server), which asks this module. Publishing and going back are
rows in the database, so every web process serves the same model, and the
models themselves are files in one folder, kept for ever with their reports.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import MODEL_PATH
from bot.store.models import PublishedModel, TrainingJob, utcnow

REPOSITORY_MODEL = "the repository's model"


@dataclass(frozen=True)
class Running:
    """The model to serve: where it is and its hash (the ETag Rasa sends back)."""

    path: Path
    sha256: str
    published: PublishedModel | None  # None: the repository's model


def models_dir(training_dir: Path) -> Path:
    return training_dir / "models"


def current(session: Session) -> PublishedModel | None:
    """The published model in force, if any."""
    return session.scalars(
        select(PublishedModel)
        .where(PublishedModel.withdrawn_at.is_(None))
        .order_by(PublishedModel.id.desc())
        .limit(1)
    ).first()


def running(session: Session, training_dir: Path) -> Running:
    published = current(session)
    if published is None:
        return Running(MODEL_PATH, file_hash(MODEL_PATH), None)
    return Running(models_dir(training_dir) / published.file, published.sha256, published)


def history(session: Session) -> list[PublishedModel]:
    """Every publish, newest first."""
    return list(session.scalars(select(PublishedModel).order_by(PublishedModel.id.desc())))


def publish(
    session: Session, job: TrainingJob, trained: Path, training_dir: Path, author: str
) -> PublishedModel:
    """Keep `trained` in the models folder and make it the one in force.

    The file is in place, complete, before the row that names it is committed, so
    a Rasa server never pulls half a model."""
    folder = models_dir(training_dir)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"model-{job.id}.tar.gz"
    partial = folder / f".{name}.partial"
    shutil.copyfile(trained, partial)
    partial.replace(folder / name)
    row = PublishedModel(
        file=name,
        sha256=file_hash(folder / name),
        job_id=job.id,
        published_by=author,
        report=job.report,
    )
    session.add(row)
    session.flush()
    return row


def withdraw(session: Session, author: str) -> PublishedModel | None:
    """Go back to the model before the one in force; None if there was nothing
    published to go back from."""
    published = current(session)
    if published is not None:
        published.withdrawn_by = author
        published.withdrawn_at = utcnow()
        session.flush()
    return published


def file_hash(path: Path) -> str:
    stat = path.stat()
    return _hash(path, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=8)
def _hash(path: Path, _size: int, _mtime: int) -> str:
    """sha256 of a file, remembered while it is unchanged (a model is 100+ MB)."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
