"""Two things Rasa 3.6 redoes for nothing on every turn, done once instead.

Measured with `make profile` (README, "Where the time goes"):

- every custom action's answer is checked with `jsonschema.validate`, which
  first checks the schema itself against JSON Schema's meta-schema: about 20 ms
  of each action call. The schema never changes, so it is checked once; every
  answer is still checked against it, with Rasa's own error message.
- every stored event read back is matched to its class by walking all of
  Event's subclasses (Event.resolve_by_type): about 0.1 ms an event, so 20 ms
  for a tracker of 200. The classes are fixed once Rasa is loaded, so each type
  name is looked up once; an unknown one still fails as it did.
"""

from __future__ import annotations

import functools
from typing import Any

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event

_resolve_by_type = Event.resolve_by_type


@functools.lru_cache(maxsize=1)
def _validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    kind = validator_for(schema)
    kind.check_schema(schema)
    return kind(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    try:
        _validator().validate(result)
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your "
            "response from the Action endpoint is valid. For more information about "
            f"the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise
    return True


@functools.cache
def _known_event_class(type_name: str) -> type[Event] | None:
    return _resolve_by_type(type_name, None) if type_name != "topic" else None


def _resolve(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    try:
        return _known_event_class(type_name)
    except ValueError:
        if default is not None:
            return default
        raise


def do_once_what_rasa_redoes() -> None:
    """Replace the two, in this Rasa process."""
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(_resolve)  # type: ignore[method-assign,assignment]
