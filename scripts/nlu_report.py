"""Print the intent report of an NLU test run and fail if F1 is below the target.

Usage: python scripts/nlu_report.py results/nlu-cv/intent_report.json --min-f1 0.90
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("report", type=Path)
    parser.add_argument("--min-f1", type=float, default=0.90)
    args = parser.parse_args()

    report = json.loads(args.report.read_text())
    print(f"{'intent':<22}{'precision':>10}{'recall':>10}{'f1':>8}{'support':>9}")
    for name, row in sorted(report.items()):
        if isinstance(row, dict) and "f1-score" in row and not name.endswith("avg"):
            print(
                f"{name:<22}{row['precision']:>10.3f}{row['recall']:>10.3f}"
                f"{row['f1-score']:>8.3f}{row['support']:>9}"
            )
    weighted = report["weighted avg"]["f1-score"]
    macro = report["macro avg"]["f1-score"]
    print(f"\nintent F1: weighted {weighted:.3f}, macro {macro:.3f} (target {args.min_f1:.2f})")
    if weighted < args.min_f1:
        print("NLU intent F1 is below the target.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
