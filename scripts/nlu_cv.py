"""Rasa's 3-fold NLU cross-validation with a fixed split, so the figure is repeatable.

`rasa test nlu --cross-validation` shuffles the examples into folds with
scikit-learn's StratifiedKFold and no seed, which moves the F1 by about 0.01
from run to run. StratifiedKFold draws from NumPy's global generator when it is
given no seed, and it decides all folds at once, before the first fold trains;
seeding that generator here makes the folds the same on every run. Training
itself is seeded in config.yml (random_seed on DIET and the ResponseSelector).

Run with the Rasa environment's Python:
    .venv-rasa/bin/python scripts/nlu_cv.py --out results/nlu-cv [--seed 42]
"""

from __future__ import annotations

import argparse
import sys

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="results/nlu-cv")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--config", default="config.yml")
    args = parser.parse_args()

    np.random.seed(args.seed)
    from rasa.__main__ import main as rasa_main

    sys.argv = [
        "rasa", "test", "nlu", "--nlu", "data", "--config", args.config,
        "--cross-validation", "--folds", str(args.folds), "--out", args.out,
    ]  # fmt: skip
    rasa_main()


if __name__ == "__main__":
    main()
