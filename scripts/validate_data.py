"""Run `rasa data validate` and fail on every warning it prints, but one kind.

Rasa warns that a response "is not used in any story or rule" when only a custom
action or a form utters it. That warning is accepted only for responses that a
custom action names in full (actions/*.py) and for the `utter_ask_<slot>` prompts
of the domain's forms; a response nobody uses still fails the check.

Rasa 3.6 also warns of "duplicated intents ... across multiple domain files" for
every retrieval intent the domain lists, because it merges the retrieval intents
it finds in the NLU data into the domain a second time. That warning is accepted
only when every intent it names is a retrieval intent of the NLU data.

`safety_concern` and `review_feedback` have no training examples on purpose: only
our own code sends them, in place of the words of a message the safety check caught
(bot/rest_client.py) and when a caseworker's decision is waiting (chat.js). Rasa's
"not found in the NLU training data" warning is accepted for those two alone.

Usage: python scripts/validate_data.py .venv-rasa/bin/rasa
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from bot.coaching.safety import SAFETY_PAYLOAD
from bot.review.decisions import REVIEW_PAYLOAD

ROOT = Path(__file__).resolve().parent.parent
UNUSED = re.compile(r"The utterance '(\w+)' is not used in any story or rule\.")
DUPLICATED = re.compile(r"The following duplicated intents have been found .*?: ([\w, ]+)")
RASA_WARNING = re.compile(r"UserWarning: (.*)")
NO_EXAMPLES = re.compile(r"The intent '(\w+)' is listed in the domain file, but is not found")
SENT_BY_OUR_CODE = {SAFETY_PAYLOAD.lstrip("/"), REVIEW_PAYLOAD.lstrip("/")}


def responses_used_outside_stories() -> set[str]:
    code = "\n".join(p.read_text() for p in (ROOT / "actions").glob("*.py"))
    named = set(re.findall(r"\"(utter_\w+)\"", code))
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    prompts = {
        f"utter_ask_{slot}"
        for form in (domain.get("forms") or {}).values()
        for slot in form.get("required_slots", [])
    }
    return named | prompts


def retrieval_intents() -> set[str]:
    names = set()
    for path in (ROOT / "data").rglob("*.yml"):
        for item in (yaml.safe_load(path.read_text()) or {}).get("nlu", []) or []:
            if "/" in str(item.get("intent", "")):
                names.add(item["intent"].split("/", 1)[0])
    return names


def main() -> int:
    rasa = sys.argv[1]
    result = subprocess.run(
        [rasa, "data", "validate", "--fail-on-warnings"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    output = result.stdout + result.stderr
    allowed = responses_used_outside_stories()
    retrieval = retrieval_intents()
    problems = []
    for message in RASA_WARNING.findall(output):
        unused = UNUSED.search(message)
        if unused and unused.group(1) in allowed:
            continue
        no_examples = NO_EXAMPLES.search(message)
        if no_examples and no_examples.group(1) in SENT_BY_OUR_CODE:
            continue
        duplicated = DUPLICATED.search(message)
        if duplicated and {n.strip() for n in duplicated.group(1).split(",")} <= retrieval:
            continue
        problems.append(message)
    if result.returncode != 0 or problems:
        print(output[-4000:])
        print("rasa data validate reported:", *problems, sep="\n  - ")
        return 1
    print(f"rasa data validate: no warnings ({len(allowed)} responses uttered by actions/forms).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
