"""A ResponseSelector that only answers for messages of its own retrieval intent.

Rasa's ResponseSelector runs its model on every message, whatever intent DIET
chose. Its answer is read only when the intent is its retrieval intent (the
`utter_faq` or `utter_chitchat` rule), so for every other message that work is
thrown away: measured on the trained bot, the two selectors were half of the
NLU's time (about 10 ms of a 20 ms parse) on a turn that needed neither.

Training is Rasa's own, unchanged. At a turn, a message whose intent is not
this selector's retrieval intent is passed on untouched, as if the selector
had found nothing for it.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)  # fmt: skip
class RetrievalResponseSelector(ResponseSelector):
    """Rasa's ResponseSelector, run only where its answer can be used."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Select a response for the messages of this retrieval intent only."""
        ours = [m for m in messages if self._is_for_me(m)]
        if ours:
            super().process(ours)
        return messages

    def _is_for_me(self, message: Message) -> bool:
        if not self.retrieval_intent:  # a selector for every retrieval intent
            return True
        intent = message.get(INTENT) or {}
        return intent.get(INTENT_NAME_KEY) == self.retrieval_intent
