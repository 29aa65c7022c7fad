"""Run `rasa data validate` on the repository, failing on every warning it prints
but the few bot.training.validation accepts (its docstring says which, and why).

Usage: python scripts/validate_data.py .venv-rasa/bin/rasa
"""

from __future__ import annotations

import sys

from bot.training.validation import validate


def main() -> int:
    result = validate(sys.argv[1])
    if not result.passed:
        print(result.output[-4000:])
        print("rasa data validate reported:", *result.problems, sep="\n  - ")
        return 1
    print(
        f"rasa data validate: no warnings ({result.accepted} responses uttered by actions/forms)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
