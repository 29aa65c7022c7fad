"""A plugin for the action server (rasa_sdk finds a package of this name by itself).

When an action raises, rasa_sdk's own error handler logs the exception and answers
with the whole request - the tracker, every message the candidate typed - which
the Rasa server then writes into its log. This plugin replaces that handler: the
log gets the action's name, the kind of error and the code lines it passed
through (no values, no messages, which may quote what the candidate said), and
the answer to Rasa says only which action failed.

An action that failed because the database is away (a restart) is answered 503:
the balancer in front of the action servers sends such a call again
(bot/ops/templates/haproxy.cfg.j2), since actions are safe to run twice.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import pluggy
from sanic import Sanic, response

from bot.logsafe import failure
from bot.store.outage import is_outage

hookimpl = pluggy.HookimplMarker("rasa_sdk")
log = logging.getLogger("actions.errors")


def init_hooks(manager: pluggy.PluginManager) -> None:
    """Called by rasa_sdk at start-up: this module is the plugin."""
    manager.register(sys.modules[__name__])


async def _action_failed(request: Any, error: Exception) -> Any:
    try:
        action = (request.json or {}).get("next_action", "?")
    except Exception:  # a body that is not JSON: nothing to name
        action = "?"
    log.error("Action %s failed: %s", action, failure(error))
    status = 503 if is_outage(error) else 500
    return response.json({"error": "the action failed", "action_name": action}, status=status)


@hookimpl
def attach_sanic_app_extensions(app: Sanic) -> None:
    app.error_handler.add(Exception, _action_failed)
