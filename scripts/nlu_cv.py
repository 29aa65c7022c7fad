"""Rasa's 3-fold NLU cross-validation with a fixed split, so the figure is repeatable.

`rasa test nlu --cross-validation` shuffles the examples into folds with
scikit-learn's StratifiedKFold and no seed, which moves the F1 by about 0.01
from run to run. StratifiedKFold draws from NumPy's global generator when it is
given no seed, and it decides all folds at once, before the first fold trains;
seeding that generator here makes the folds the same on every run. Training
itself is seeded in config.yml (random_seed on DIET and the ResponseSelector).

The folds are trained without the two ResponseSelectors. They choose an answer
within a retrieval intent (which question, which small talk) after DIET has
chosen the intent, so they change nothing in the intent report this gates on,
and they cost about 25 s of each fold (of 3-4 minutes).

Run with the Rasa environment's Python:
    PYTHONPATH=. .venv-rasa/bin/python scripts/nlu_cv.py --out results/nlu-cv [--seed 42]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
import yaml

# Components that never change an intent prediction, left out of the folds.
NOT_FOR_INTENTS = {"rasa_addons.retrieval_selector.RetrievalResponseSelector"}


def intents_only(config: Path, folder: Path) -> Path:
    """A copy of the configuration without the components in NOT_FOR_INTENTS."""
    settings = yaml.safe_load(config.read_text())
    settings["pipeline"] = [c for c in settings["pipeline"] if c["name"] not in NOT_FOR_INTENTS]
    copy = folder / "config.yml"
    copy.write_text(yaml.safe_dump(settings, sort_keys=False))
    return copy


def merged_domain(folder: Path) -> Path:
    """The domain (domain.yml and domain/) in one file: the cross-validation reads
    a single path with Rasa's plain importer, not config.yml's. Its responses let
    Rasa pair the FAQ and small-talk examples with their answers."""
    from rasa_addons.domain_importer import load_domain

    merged = folder / "domain.yml"
    load_domain("domain.yml").persist(merged)
    return merged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="results/nlu-cv")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--config", default="config.yml")
    args = parser.parse_args()

    np.random.seed(args.seed)
    from rasa.__main__ import main as rasa_main

    with tempfile.TemporaryDirectory() as folder:
        config = intents_only(Path(args.config), Path(folder))
        domain = merged_domain(Path(folder))
        sys.argv = [
            "rasa", "test", "nlu", "--nlu", "data", "--config", str(config),
            "--domain", str(domain), "--cross-validation", "--folds", str(args.folds),
            "--out", args.out,
        ]  # fmt: skip
        rasa_main()


if __name__ == "__main__":
    main()
