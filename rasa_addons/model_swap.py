"""A newly published model is loaded beside the one in use, then swapped in, so
candidates' turns go on while it loads.

Rasa pulls a changed model from its model server (endpoints.yml `models:`, the
website) and loads it inside its event loop: for as long as a model takes to
load and answer its first message (20 to 30 s on two cores), every turn on that
server waits, and a page that gives up on its request says "not sent" (seen in
tests/training/test_training_browser.py, where a new candidate's first turn after a
publish took over 30 s). Here the new model is loaded, and reads one message so
that TensorFlow has built its graphs, in a thread of its own; the server keeps
answering with the model in use, and switches in one step when the new one is
ready. A model that fails to load leaves the one in use, as Rasa's own code does.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from rasa.core import agent as rasa_agent
from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.core.processor import MessageProcessor
from rasa.nlu.utils import is_url
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.common import TempDirectoryPath, get_temp_dir_name
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)
WARM_UP_MESSAGE = "hello"
WARM_UP_SENDER = "model-warm-up"


def load_models_beside_the_one_in_use() -> None:
    """Replace Rasa's model update (at start-up and each pull) with ours, once."""
    if rasa_agent._update_model_from_server is not update_model_from_server:
        rasa_agent._update_model_from_server = update_model_from_server


async def update_model_from_server(model_server: EndpointConfig, agent: Agent) -> None:
    """Rasa's `_update_model_from_server`, with the loading moved off the event loop."""
    if not is_url(model_server.url):
        raise aiohttp.InvalidURL(model_server.url)
    with TempDirectoryPath(get_temp_dir_name()) as directory:
        try:
            fingerprint = await rasa_agent._pull_model_and_fingerprint(
                model_server, agent.fingerprint, directory
            )
            if not fingerprint:
                return
            processor = await asyncio.to_thread(_ready_processor, agent, directory)
            _switch(agent, processor, fingerprint)
            logger.info("Switched to the model the model server named.")
        except Exception:  # Rasa's own behaviour: the previous model stays loaded
            logger.exception("Failed to update model. The previous model will stay loaded.")


def _ready_processor(agent: Agent, directory: str) -> MessageProcessor:
    """A processor for the model in `directory` that has read one message and
    chosen one action (nothing is saved: the tracker is made here)."""
    processor = MessageProcessor(
        model_path=directory,
        tracker_store=agent.tracker_store,
        lock_store=agent.lock_store,
        action_endpoint=agent.action_endpoint,
        generator=agent.nlg,
        http_interpreter=agent.http_interpreter,
    )
    tracker = DialogueStateTracker.from_events(WARM_UP_SENDER, [], processor.domain.slots)
    processor._parse_message_with_graph(UserMessage(WARM_UP_MESSAGE), tracker)
    processor._predict_next_with_tracker(tracker)
    return processor


def _switch(agent: Agent, processor: MessageProcessor, fingerprint: Any) -> None:
    """What Rasa's Agent.load_model does once its processor is made."""
    agent.processor = processor
    agent.domain = processor.domain
    agent._set_fingerprint(fingerprint)
    agent.tracker_store.domain = agent.domain
    if isinstance(agent.nlg, TemplatedNaturalLanguageGenerator):
        agent.nlg.responses = agent.domain.responses if agent.domain else {}
