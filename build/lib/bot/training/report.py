"""The plain report of a check: what got better, what got worse, intent by intent,
how the trainers' own wordings fare, and any test story that now fails.

Built from what rasa_addons/evaluate.py wrote down (both models' reading of every
NLU example); no Rasa needed, so it is unit-tested on its own.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

# A change in an intent's F1 smaller than this is noise, not better or worse.
NOTICEABLE = 0.005


def f1_by_intent(examples: list[dict[str, Any]], model: str) -> dict[str, float]:
    """Each labelled intent's F1 score for one model ("before" or "after")."""
    right: Counter[str] = Counter()
    labelled: Counter[str] = Counter()
    predicted: Counter[str] = Counter()
    for example in examples:
        label, guess = example["label"], example[model]["intent"]
        labelled[label] += 1
        predicted[guess] += 1
        right[label] += guess == label
    scores = {}
    for intent, count in labelled.items():
        precision = right[intent] / predicted[intent] if predicted[intent] else 0.0
        recall = right[intent] / count
        total = precision + recall
        scores[intent] = round(2 * precision * recall / total, 4) if total else 0.0
    return scores


def build(evaluation: dict[str, Any], taught: dict[str, str]) -> dict[str, Any]:
    """The report a trainer reads, kept with the job (and with the model if published)."""
    examples = evaluation["examples"]
    before, after = f1_by_intent(examples, "before"), f1_by_intent(examples, "after")
    counts = Counter(example["label"] for example in examples)
    intents = []
    for intent in sorted(after):
        change = after[intent] - before.get(intent, 0.0)
        verdict = "same"
        if change >= NOTICEABLE:
            verdict = "better"
        elif change <= -NOTICEABLE:
            verdict = "worse"
        intents.append(
            {
                "intent": intent,
                "before": before.get(intent, 0.0),
                "after": after[intent],
                "examples": counts[intent],
                "change": verdict,
            }
        )
    wordings = []
    for example in examples:
        text = " ".join(example["text"].split())
        if taught.get(text) == example["label"]:
            wordings.append(
                {
                    "text": text,
                    "intent": example["label"],
                    "before": example["before"]["intent"],
                    "after": example["after"]["intent"],
                    "understood": example["after"]["intent"] == example["label"],
                }
            )
    stories = evaluation["stories"]
    return {
        "intents": intents,
        "better": [i["intent"] for i in intents if i["change"] == "better"],
        "worse": [i["intent"] for i in intents if i["change"] == "worse"],
        "taught": wordings,
        "stories_total": stories["total"],
        "failed_stories": list(stories["failed"]),
    }
