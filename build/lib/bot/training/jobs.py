"""The trainers' background jobs: "Check my changes" and "Train and publish".

A job is a row (bot.store.models.TrainingJob) and a process of its own
(`bot training run-job ID`, started by the web process that was asked), so a
page can show its progress and a restart of the website does not stop it. The
database lets one job be active at a time. A job works in its own copy of the
training files (bot.training.workspace) and the published model changes only in
a publish's very last step, so a job that fails, at any point, changes nothing.

If a job's process dies (the machine restarted), its heartbeat stops; after
STALE_AFTER the job counts as failed and another may start.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.config import PROJECT_ROOT, settings
from bot.store.db import session_scope
from bot.store.models import TrainingJob, as_utc, utcnow
from bot.training import published, rasa_runs, report, teaching, workspace
from bot.training.validation import validate

KINDS = {"check": "Check my changes", "publish": "Train and publish"}
HEARTBEAT_SECONDS = 2.0
STALE_AFTER = timedelta(minutes=2)
# How long each step takes before there is a last time to go by (seconds): a
# full-scale check of one taught wording on two cores, 2026-12-06, took 13 s to
# validate, 352 s to train and 123 s to test. The progress bar moves by these
# until a check has run, then by the last check's own timings.
FIRST_GUESS = {"validate": 15, "train": 350, "evaluate": 125, "publish": 5}


class JobRunning(Exception):
    """Another job is active: only one at a time."""


class JobFailed(Exception):
    """A step failed; the message is for the trainer."""


def jobs_dir(training_dir: Path) -> Path:
    return training_dir / "jobs"


def candidate_path(training_dir: Path, job_id: int) -> Path:
    """Where a check keeps the model it trained, for a publish of the same data."""
    return jobs_dir(training_dir) / f"candidate-{job_id}.tar.gz"


def log_path(training_dir: Path, job_id: int) -> Path:
    return jobs_dir(training_dir) / f"{job_id}.log"


# --- starting and looking -----------------------------------------------------------


def start(session: Session, kind: str, author: str) -> TrainingJob:
    """A new active job, or JobRunning if one is active already."""
    if kind not in KINDS:
        raise ValueError(f"Unknown job kind {kind!r}")
    fail_stale(session)
    job = TrainingJob(kind=kind, started_by=author)
    session.add(job)
    try:
        session.flush()
    except IntegrityError as error:  # `active` is unique: another job is running
        session.rollback()
        raise JobRunning from error
    return job


def fail_stale(session: Session) -> None:
    """Mark an active job whose process stopped beating as failed."""
    for job in session.scalars(select(TrainingJob).where(TrainingJob.active.is_(True))):
        if utcnow() - as_utc(job.heartbeat_at) > STALE_AFTER:
            _finish(job, "failed", error="The job stopped unexpectedly. Nothing was changed.")
    session.flush()


def active(session: Session) -> TrainingJob | None:
    fail_stale(session)
    return session.scalars(select(TrainingJob).where(TrainingJob.active.is_(True))).first()


def recent(session: Session, limit: int = 10) -> list[TrainingJob]:
    return list(session.scalars(select(TrainingJob).order_by(TrainingJob.id.desc()).limit(limit)))


def launch(job_id: int, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start the job's own process (detached: it outlives a website restart)."""
    training_dir = settings().training_dir
    jobs_dir(training_dir).mkdir(parents=True, exist_ok=True, mode=0o700)
    log = log_path(training_dir, job_id).open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "training", "run-job", str(job_id)],
        cwd=PROJECT_ROOT,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


# --- running ------------------------------------------------------------------------


@dataclass
class _Progress:
    """Moves a job's progress bar and heartbeat while its steps run."""

    database_url: str
    job_id: int
    expected: dict[str, float]
    steps: list[tuple[str, str]]  # (step, what the trainer reads)
    timings: dict[str, float] = field(default_factory=dict)
    _step: int = 0
    _started: float = 0.0
    _last_beat: float = 0.0

    def begin(self, index: int) -> None:
        self._step, self._started = index, time.monotonic()
        self.beat(force=True)

    def end(self) -> None:
        self.timings[self.steps[self._step][0]] = round(time.monotonic() - self._started, 1)

    def percent(self) -> int:
        """Each step's share is its expected time; within a step, time so far."""
        weights = [self.expected.get(name, 30.0) for name, _ in self.steps]
        done = sum(weights[: self._step])
        elapsed = time.monotonic() - self._started
        within = min(0.95, elapsed / max(weights[self._step], 1.0)) * weights[self._step]
        return int(100 * (done + within) / sum(weights))

    def beat(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_beat < HEARTBEAT_SECONDS:
            return
        self._last_beat = now
        with session_scope(self.database_url) as session:
            job = session.get(TrainingJob, self.job_id)
            assert job is not None
            job.heartbeat_at = utcnow()
            job.progress = self.percent()
            job.step = self.steps[self._step][1]


def run(job_id: int, database_url: str, training_dir: Path) -> str:
    """The job's process: every step, then passed or failed. Returns the status."""
    with session_scope(database_url) as session:
        job = session.get(TrainingJob, job_id)
        if job is None or not job.active:
            return "gone"
        kind, author = job.kind, job.started_by
        expected = {**FIRST_GUESS, **last_timings(session)}
    steps = [("validate", "Checking the training data")]
    steps.append(("train", "Training a new model"))
    steps.append(("evaluate", "Testing the new model against the one in use"))
    if kind == "publish":
        steps.append(("publish", "Publishing"))
    progress = _Progress(database_url, job_id, expected, steps)
    folder = jobs_dir(training_dir) / f"work-{job_id}"
    try:
        result = _steps(kind, job_id, author, database_url, training_dir, folder, progress)
    except Exception as error:  # any failure: the job says so, nothing else changes
        foreseen = isinstance(error, (JobFailed, rasa_runs.RasaFailed))
        message = str(error) if foreseen else f"Unexpected error: {error!r}"
        with session_scope(database_url) as session:
            job = session.get(TrainingJob, job_id)
            assert job is not None
            _finish(job, "failed", error=message)
        return "failed"
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return result


def _steps(
    kind: str,
    job_id: int,
    author: str,
    database_url: str,
    training_dir: Path,
    folder: Path,
    progress: _Progress,
) -> str:
    if not rasa_runs.RASA.exists():
        raise JobFailed(
            "Checking and training need the Rasa environment (.venv-rasa) on the website's "
            "machine, and it is not installed there."
        )
    with session_scope(database_url) as session:
        workspace.build(session, folder, epochs_scale=settings().training_epochs_scale)
    data_hash = workspace.data_hash(folder)

    # A check that passed on exactly this data already validated, trained and
    # tested it: a publish takes its model and report as they are.
    earlier = _checked(database_url, training_dir, data_hash) if kind == "publish" else None

    progress.begin(0)
    if earlier is None:
        checked = validate(str(rasa_runs.RASA), folder)
        if not checked.passed:
            raise JobFailed("The training data has problems:\n" + "\n".join(checked.problems))
    progress.end()

    progress.begin(1)
    trained = earlier[0] if earlier else rasa_runs.train(folder, progress.beat)
    progress.end()

    progress.begin(2)
    if earlier:  # a check trained and tested exactly this data: its report holds
        findings = {**earlier[1], "reused_check": True}
    else:
        with session_scope(database_url) as session:
            in_use = published.running(session, training_dir)
        evaluation = rasa_runs.evaluate(folder, in_use.path, trained, progress.beat)
        findings = report.build(evaluation, taught=_taught(database_url))
    progress.end()

    kept: str | None = None
    if kind == "check":
        kept_path = candidate_path(training_dir, job_id)
        shutil.copyfile(trained, kept_path)
        kept = kept_path.name
        _drop_older_candidates(training_dir, keep=kept_path)
    else:
        if findings["failed_stories"]:
            raise JobFailed("Some test stories fail with the new model, so it was not published.")
        progress.begin(3)
    with session_scope(database_url) as session:
        job = session.get(TrainingJob, job_id)
        assert job is not None
        job.data_hash, job.model_file = data_hash, kept
        job.report = {**findings, "timings": dict(progress.timings)}
        if kind == "publish":
            published.publish(session, job, trained, training_dir, author)
        _finish(job, "passed")
    return "passed"


def _finish(job: TrainingJob, status: str, error: str | None = None) -> None:
    job.status, job.active, job.error = status, None, error
    job.progress = 100 if status == "passed" else job.progress
    job.step = "Done" if status == "passed" else "Failed"
    job.finished_at = utcnow()


def last_timings(session: Session) -> dict[str, float]:
    job = session.scalars(
        select(TrainingJob)
        .where(TrainingJob.status == "passed", TrainingJob.kind == "check")
        .order_by(TrainingJob.id.desc())
        .limit(1)
    ).first()
    return dict((job.report or {}).get("timings", {})) if job else {}


def _checked(
    database_url: str, training_dir: Path, data_hash: str
) -> tuple[Path, dict[str, Any]] | None:
    """The model and report of a passed check of exactly this data, if kept."""
    with session_scope(database_url) as session:
        job = session.scalars(
            select(TrainingJob)
            .where(TrainingJob.kind == "check", TrainingJob.status == "passed")
            .where(TrainingJob.data_hash == data_hash)
            .order_by(TrainingJob.id.desc())
            .limit(1)
        ).first()
        if job is None or job.model_file is None:
            return None
        path = jobs_dir(training_dir) / job.model_file
        return (path, dict(job.report or {})) if path.exists() else None


def _drop_older_candidates(training_dir: Path, keep: Path) -> None:
    """A check's model is kept until the next check (a model is 100+ MB)."""
    for path in jobs_dir(training_dir).glob("candidate-*.tar.gz"):
        if path != keep:
            path.unlink(missing_ok=True)


def _taught(database_url: str) -> dict[str, str]:
    """Every wording trainers taught, with its intent."""
    with session_scope(database_url) as session:
        return {
            " ".join(example.text.split()): example.intent for example in teaching.in_force(session)
        }
