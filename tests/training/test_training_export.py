"""What trainers taught is written as Rasa NLU YAML, one example per line."""

from __future__ import annotations

import yaml

from bot.store.db import session_scope
from bot.store.models import TrainingExample
from bot.training.export import export


def teach(intent: str, text: str, author: str = "tom@x.org") -> None:
    with session_scope() as db:
        db.add(TrainingExample(intent=intent, text=text, author=author))


def test_every_taught_example_is_written_once_under_its_intent(tmp_path, database_url):
    teach("faq/who_sees", "who gets to read my answers")
    teach("greet", "hiya  there")
    teach("faq/who_sees", "who gets to read my answers")  # taught twice, written once
    teach("greet", 'a "quoted" word: and a colon')
    with session_scope() as db:
        path, *_ = export(db, tmp_path)
    assert path == tmp_path / "data" / "trainer" / "nlu.yml"
    written = yaml.safe_load(path.read_text())
    assert written["version"] == "3.1"
    assert written["nlu"] == [
        {"intent": "faq/who_sees", "examples": "- who gets to read my answers\n"},
        {"intent": "greet", "examples": '- hiya there\n- a "quoted" word: and a colon\n'},
    ]
    assert "examples: |" in path.read_text()


def test_with_nothing_taught_the_file_holds_no_examples(tmp_path, database_url):
    with session_scope() as db:
        examples, responses, story_file, _ = export(db, tmp_path)
    assert yaml.safe_load(examples.read_text())["nlu"] == []
    assert yaml.safe_load(responses.read_text())["responses"] == {}
    assert yaml.safe_load(story_file.read_text())["stories"] == []


def test_bot_training_export_writes_the_file_and_says_where(tmp_path, database_url, capsys):
    from bot.cli import main

    teach("greet", "alright mate")
    assert main(["training", "export", "--out", str(tmp_path)]) == 0
    said = capsys.readouterr().out
    assert f"wrote {tmp_path / 'data' / 'trainer' / 'nlu.yml'}" in said
    assert f"wrote {tmp_path / 'tests' / 'test_trainer_stories.yml'}" in said
    assert f"wrote {tmp_path / 'data' / 'trainer' / 'responses.yml'}" in said
    assert "- alright mate" in (tmp_path / "data" / "trainer" / "nlu.yml").read_text()
