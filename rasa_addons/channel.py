"""Rasa's REST channel, made safe to send to again (named in credentials.yml).

Rasa's own REST channel answers 200 even when handling a message failed (the
tracker store was away, say), with whatever replies it had so far, and logs the
message's text. This one, on the same /webhooks/rest/ address:

- answers 503 (and logs only the kind of error) when a message could not be
  handled, the conversation could not be read or saved (rasa_addons.store_outage),
  or no action server could run its actions (rasa_addons.action_outage),
  so the website tells the candidate "not sent, try again";
- answers its health check (GET /webhooks/rest/) with 503 until the model is
  loaded, so the balancer sends nothing to a replica that cannot answer yet;
- handles a message sent again after a failure at most once: the page names each
  message (metadata `message_id`); when the website says `retry` (it has seen
  that id before: bot/web/sent_messages.py) and the tracker already holds that
  message, the replies it got are returned and nothing runs again.
  The check runs under the candidate's lock, so it also holds when the first try
  is still being handled on another replica.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.logsafe import failure
from rasa_addons.action_outage import ActionServerAway, refuse_turns_without_action_server
from rasa_addons.faster_turns import do_once_what_rasa_redoes
from rasa_addons.model_swap import load_models_beside_the_one_in_use
from rasa_addons.store_outage import refuse_turns_without_tracker_store

logger = logging.getLogger(__name__)


def replies_to(tracker: DialogueStateTracker | None, message_id: str) -> list[dict] | None:
    """What the assistant said after the message named `message_id`, shaped as the
    REST channel returns it; None if the tracker does not hold that message."""
    if tracker is None:
        return None
    replies: list[dict] | None = None
    for event in tracker.events:
        if isinstance(event, UserUttered):
            if replies is not None:
                break
            if (event.metadata or {}).get("message_id") == message_id:
                replies = []
        elif isinstance(event, BotUttered) and replies is not None:
            reply: dict[str, Any] = {"recipient_id": tracker.sender_id, "text": event.text}
            if event.data.get("buttons"):
                reply["buttons"] = event.data["buttons"]
            replies.append(reply)
    return replies


class RetrySafeRestInput(RestInput):
    """The REST channel with failures reported as 503 and retries answered once."""

    def __init__(self) -> None:
        super().__init__()
        # Rasa is set up through its channel, the one part of ours it loads first.
        refuse_turns_without_action_server()
        refuse_turns_without_tracker_store()
        do_once_what_rasa_redoes()
        load_models_beside_the_one_in_use()

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Any) -> Blueprint:
        webhook = Blueprint("retry_safe_rest", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None or not agent.is_ready():
                return response.json({"status": "loading"}, status=503)
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None or not agent.is_ready():
                return response.json({"error": "loading"}, status=503)
            sender_id = await self._extract_sender(request)
            text = self._extract_message(request)
            metadata = self.get_metadata(request) or {}
            collector = CollectingOutputChannel()
            try:
                async with agent.lock_store.lock(sender_id):
                    if metadata.get("retry") and metadata.get("message_id"):
                        tracker = await agent.tracker_store.retrieve(sender_id)
                        earlier = replies_to(tracker, metadata["message_id"])
                        if earlier is not None:
                            return response.json(earlier)
                    await agent.processor.handle_message(
                        UserMessage(
                            text,
                            collector,
                            sender_id,
                            input_channel=self.name(),
                            metadata=metadata,
                        )
                    )
            except ActionServerAway as error:
                logger.warning("A message was refused: no action server for %s", error)
                return response.json({"error": "not handled"}, status=503)
            except Exception as error:
                logger.error("A message could not be handled: %s", failure(error))
                return response.json({"error": "not handled"}, status=503)
            return response.json(collector.messages)

        return webhook
