"""Test a newly trained model against the one in use, for the trainers' "Check my
changes" (bot.training.jobs runs this in the Rasa environment).

One process for both models, because loading a model takes most of the time:
- the new model plays the test stories (tests/test_*.yml), as `make rasa-test`
  does, and names the stories that fail;
- both models read every NLU example of the training data (the trainers' ones
  included), and what each understood is written down, so bot.training.report
  can say, intent by intent, what got better and what got worse.

Usage (cwd: the job's copy of the training files):
  python -m rasa_addons.evaluate --current A.tar.gz --candidate B.tar.gz --out evaluation.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml
from rasa.core.agent import Agent
from rasa.core.test import test as test_stories
from rasa.shared.importers.importer import TrainingDataImporter

from bot.config import DOMAIN

FAILED_STORIES = "failed_test_stories.yml"


async def understood(agent: Agent, texts: list[str]) -> list[dict[str, Any]]:
    """What the model made of each text: intent (answers by their full name,
    faq/who_sees) and confidence."""
    found = []
    for text in texts:
        parsed = await agent.parse_message(text)
        intent = parsed.get("intent") or {}
        name = intent.get("full_retrieval_intent_name") or intent.get("name")
        found.append({"intent": name, "confidence": round(float(intent.get("confidence", 0)), 4)})
    return found


async def failed_stories(agent: Agent, stories: Path) -> tuple[int, list[str]]:
    """How many test stories there are, and the names of those that fail."""
    files = sorted(stories.glob("test_*.yml"))
    total = sum(
        len((yaml.safe_load(path.read_text()) or {}).get("stories") or []) for path in files
    )
    if not files:
        return 0, []
    with tempfile.TemporaryDirectory() as out:
        await test_stories(str(stories), agent, out_directory=out, disable_plotting=True)
        failed = yaml.safe_load((Path(out) / FAILED_STORIES).read_text()) or {}
    return total, [story["story"] for story in failed.get("stories") or []]


async def main(current: str, candidate: str, out: str) -> None:
    importer = TrainingDataImporter.load_from_config("config.yml", DOMAIN, ["data"])
    examples = importer.get_nlu_data().nlu_examples
    texts = [example.get("text") for example in examples]
    labels = [example.get_full_intent() for example in examples]
    new = Agent.load(candidate)
    total, failing = await failed_stories(new, Path("tests"))
    after = await understood(new, texts)
    del new
    before = await understood(Agent.load(current), texts)
    result = {
        "examples": [
            {"text": text, "label": label, "before": b, "after": a}
            for text, label, b, a in zip(texts, labels, before, after, strict=True)
        ],
        "stories": {"total": total, "failed": failing},
    }
    Path(out).write_text(json.dumps(result))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--current", required=True)
    parser.add_argument("--candidate", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    asyncio.run(main(args.current, args.candidate, args.out))
    sys.exit(0)
