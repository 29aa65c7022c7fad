"""The trainers' background jobs: one at a time, and a failure changes nothing.

These run the real Rasa commands on a copy of the training files (no model is
trained to the end here: the whole loop, check to publish, is in
tests/training/test_training_browser.py).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from datetime import timedelta

import psutil
import pytest
import yaml

from bot.store.db import session_scope
from bot.store.models import TrainingExample, TrainingJob, utcnow
from bot.training import answers, jobs, published, rasa_runs, workspace
from bot.training.validation import validate


@pytest.fixture
def training_dir(tmp_path):
    return tmp_path / "training"


def job_row(job_id: int) -> TrainingJob:
    with session_scope() as db:
        job = db.get(TrainingJob, job_id)
        db.expunge(job)
        return job


def start(kind: str) -> int:
    with session_scope() as db:
        return jobs.start(db, kind, "tom@x.org").id


def publish_a_model(training_dir, content: bytes) -> int:
    """A model already in force before the job under test."""
    trained = training_dir.parent / "earlier.tar.gz"
    trained.write_bytes(content)
    with session_scope() as db:
        job = jobs.start(db, "publish", "ada@x.org")
        job.active, job.status = None, "passed"
        db.flush()
        return published.publish(db, job, trained, training_dir, "ada@x.org").id


def in_force(training_dir) -> tuple[int | None, list[str]]:
    with session_scope() as db:
        model = published.current(db)
        files = sorted(p.name for p in published.models_dir(training_dir).glob("*"))
        return (model.id if model else None), files


def test_only_one_job_is_active_at_a_time(database_url):
    first = start("check")
    with pytest.raises(jobs.JobRunning):
        start("publish")
    with session_scope() as db:
        assert jobs.active(db).id == first


def test_a_job_whose_process_stopped_beating_fails_and_frees_the_slot(database_url):
    first = start("check")
    with session_scope() as db:
        db.get(TrainingJob, first).heartbeat_at = utcnow() - jobs.STALE_AFTER - timedelta(1)
    second = start("publish")
    stale = job_row(first)
    assert (stale.status, stale.active) == ("failed", None)
    assert "stopped unexpectedly" in stale.error
    assert job_row(second).active is True


def test_a_check_of_data_rasa_finds_wrong_fails_and_changes_nothing(database_url, training_dir):
    publish_a_model(training_dir, b"the model in force")
    before = in_force(training_dir)
    with session_scope() as db:  # no trainer page allows this: only the database can
        db.add(TrainingExample(intent="no_such_intent", text="hello there", author="t"))
    job_id = start("check")
    assert jobs.run(job_id, database_url, training_dir) == "failed"
    job = job_row(job_id)
    assert job.status == "failed" and job.active is None
    assert "The training data has problems" in job.error and "no_such_intent" in job.error
    assert in_force(training_dir) == before
    assert list(jobs.jobs_dir(training_dir).glob("work-*")) == []
    assert list(jobs.jobs_dir(training_dir).glob("candidate-*")) == []


def test_a_training_that_dies_leaves_the_published_model_in_force(database_url, training_dir):
    earlier = publish_a_model(training_dir, b"the model in force")
    before = in_force(training_dir)
    with session_scope() as db:
        db.add(TrainingExample(intent="greet", text="hiya pal", author="tom@x.org"))
    job_id = start("publish")
    result: list[str] = []
    worker = threading.Thread(
        target=lambda: result.append(jobs.run(job_id, database_url, training_dir))
    )
    worker.start()
    trainer = wait_for_process(["train", "--fixed-model-name"], timeout=180)
    time.sleep(5)  # well into the training
    os.kill(trainer.pid, signal.SIGKILL)  # as the kernel's out-of-memory killer would
    worker.join(timeout=120)
    assert result == ["failed"]
    job = job_row(job_id)
    assert "Training stopped with an error" in job.error
    assert in_force(training_dir) == before and before[0] == earlier


def test_a_publish_of_exactly_what_a_check_trained_publishes_that_model(
    database_url, training_dir, tmp_path
):
    with session_scope() as db:
        db.add(TrainingExample(intent="greet", text="hiya pal", author="tom@x.org"))
        data_hash = workspace.data_hash(workspace.build(db, tmp_path / "same"))
    check = start("check")
    candidate = jobs.candidate_path(training_dir, check)
    candidate.parent.mkdir(parents=True)
    candidate.write_bytes(b"the checked model")
    with session_scope() as db:
        job = db.get(TrainingJob, check)
        job.active, job.status, job.data_hash = None, "passed", data_hash
        job.model_file = candidate.name
        job.report = {"failed_stories": [], "worse": [], "better": ["greet"]}
    job_id = start("publish")
    assert jobs.run(job_id, database_url, training_dir) == "passed"
    model_id, _ = in_force(training_dir)
    with session_scope() as db:
        model = db.get(published.PublishedModel, model_id)
        assert model.job_id == job_id and model.published_by == "tom@x.org"
        assert (
            published.models_dir(training_dir) / model.file
        ).read_bytes() == candidate.read_bytes()
        assert model.report["better"] == ["greet"] and model.report["reused_check"] is True


def wait_for_process(words: list[str], timeout: float) -> psutil.Process:
    """This test's own child process with `words` in its command (never another
    `rasa train` on the machine, such as `make train`'s)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in psutil.Process().children(recursive=True):
            try:
                command = " ".join(process.cmdline())
            except psutil.NoSuchProcess:
                continue
            if all(word in command for word in words):
                return process
        time.sleep(0.5)
    raise TimeoutError(f"no process with {words}")


def test_a_jobs_copy_scales_only_the_nlu_epochs_so_the_dialogue_model_is_reused(
    database_url, tmp_path
):
    with session_scope() as db:
        full = workspace.build(db, tmp_path / "full")
        small = workspace.build(db, tmp_path / "small", epochs_scale=0.2)
    epochs = {}
    for name, folder in (("full", full), ("small", small)):
        config = yaml.safe_load((folder / "config.yml").read_text())
        epochs[name] = (
            [c.get("epochs") for c in config["pipeline"] if "epochs" in c],
            config["policies"],
        )
    assert epochs["small"][0] == [round(e * 0.2) for e in epochs["full"][0]] != []
    assert epochs["small"][1] == epochs["full"][1]  # the policies, unchanged
    assert workspace.data_hash(full) != workspace.data_hash(small)


def test_a_reworded_answer_passes_rasas_check_and_any_other_duplicate_fails(database_url, tmp_path):
    with session_scope() as db:
        answers.reword(db, "utter_faq/how_long", 0, "About ten minutes, for most people.", "t")
        folder = workspace.build(db, tmp_path / "copy")
    # A response written twice anywhere but the trainers' file is still a problem.
    (folder / "data" / "rogue.yml").write_text(
        'version: "3.1"\nresponses:\n  utter_chitchat/thanks:\n  - text: Ta.\n'
    )
    checked = validate(str(rasa_runs.RASA), folder)
    assert checked.problems == ["Responses written twice: utter_chitchat/thanks"]
