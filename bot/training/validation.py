"""`rasa data validate`, failing on every warning it prints but the few we accept.

Shared by `make validate` (scripts/validate_data.py, on the repository) and the
trainers' "Check my changes" (bot.training.jobs, on a copy with their changes),
so a trainer's change passes exactly the check a developer's would.

Accepted, each for its reason:
- "The utterance ... is not used in any story or rule", for responses a custom
  action names in full (actions/*.py) and the `utter_ask_<slot>` prompts of the
  domain's forms: those are uttered by code, not by stories. A response nobody
  uses still fails.
- Rasa 3.6 warns of "duplicated intents ... across multiple domain files" for
  every retrieval intent, because it merges the retrieval intents it finds in the
  NLU data into the domain a second time: accepted only when every intent it
  names is a retrieval intent of the NLU data.
- "duplicated responses", for the answers trainers reworded, which
  data/trainer/responses.yml writes again in place of the domain's
  (bot.training.answers); a response duplicated anywhere else still fails.
- `safety_concern` and `review_feedback` have no training examples on purpose:
  only our own code sends them, in place of the words of a message the safety
  check caught (bot/rest_client.py) and when a caseworker's decision is waiting
  (chat.js). Rasa's "not found in the NLU training data" warning is accepted for
  those two alone.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.coaching.safety import SAFETY_PAYLOAD
from bot.commands import domain_files
from bot.config import DOMAIN, PROJECT_ROOT
from bot.review.decisions import REVIEW_PAYLOAD

UNUSED = re.compile(r"The utterance '(\w+)' is not used in any story or rule\.")
DUPLICATED = re.compile(r"The following duplicated intents have been found .*?: ([\w, ]+)")
RASA_WARNING = re.compile(r"UserWarning: (.*)")
DUPLICATED_RESPONSES = re.compile(
    r"The following duplicated responses have been found across multiple domain files: "
    r"([\w/, ]+)"
)
NO_EXAMPLES = re.compile(r"The intent '(\w+)' is listed in the domain file, but is not found")
SENT_BY_OUR_CODE = {SAFETY_PAYLOAD.lstrip("/"), REVIEW_PAYLOAD.lstrip("/")}


@dataclass(frozen=True)
class Validation:
    problems: list[str]
    output: str  # what Rasa printed, for a developer reading a failure
    accepted: int  # responses uttered by actions and forms

    @property
    def passed(self) -> bool:
        return not self.problems


def responses_used_outside_stories(project: Path) -> set[str]:
    code = "\n".join(p.read_text() for p in (PROJECT_ROOT / "actions").glob("*.py"))
    named = set(re.findall(r"\"(utter_\w+)\"", code))
    prompts = set()
    for path in domain_files(project):
        domain = yaml.safe_load(path.read_text()) or {}
        for form in (domain.get("forms") or {}).values():
            prompts |= {f"utter_ask_{slot}" for slot in form.get("required_slots", [])}
    return named | prompts


def retrieval_intents(project: Path) -> set[str]:
    names = set()
    for path in (project / "data").rglob("*.yml"):
        for item in (yaml.safe_load(path.read_text()) or {}).get("nlu", []) or []:
            if "/" in str(item.get("intent", "")):
                names.add(item["intent"].split("/", 1)[0])
    return names


def trainers_responses(project: Path) -> set[str]:
    """The responses data/trainer/responses.yml writes (bot.training.answers)."""
    path = project / "data" / "trainer" / "responses.yml"
    if not path.exists():
        return set()
    return set((yaml.safe_load(path.read_text()) or {}).get("responses") or {})


def validate(rasa: str, project: Path = PROJECT_ROOT) -> Validation:
    """Run `rasa data validate` in `project` (its config, domain and data/)."""
    result = subprocess.run(
        [rasa, "data", "validate", "--domain", DOMAIN, "--fail-on-warnings"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "RASA_TELEMETRY_ENABLED": "false"},
    )
    output = result.stdout + result.stderr
    allowed = responses_used_outside_stories(project)
    retrieval = retrieval_intents(project)
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
    for names in DUPLICATED_RESPONSES.findall(output):
        twice = {name.strip() for name in names.split(",")} - trainers_responses(project)
        if twice:
            problems.append(f"Responses written twice: {', '.join(sorted(twice))}")
    if result.returncode != 0 and not problems:
        problems.append(f"rasa data validate stopped with code {result.returncode}.")
    return Validation(problems, output, len(allowed))
