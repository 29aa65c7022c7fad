"""HAProxy's configuration for the production topology, from one template.

The same template serves the local production shape (bot.services.Stack renders
it for every run, with localhost ports) and the Compose file (deploy/haproxy.cfg,
with the services' names). `python -m bot.ops.balancer` writes the Compose copy;
a test checks that the committed copy is what the template gives.
"""

from __future__ import annotations

import json
from pathlib import Path

from bot.config import PROJECT_ROOT
from bot.ops.supervisor import render

DEPLOY = PROJECT_ROOT / "deploy"
# Inside the HAProxy container of deploy/compose.yml.
COMPOSE_CONFIG_DIR = "/usr/local/etc/haproxy"
# Docker's own DNS server, inside every Compose network.
COMPOSE_DNS = "127.0.0.11:53"
# How many of each kind deploy/compose.yml runs (services rasa-1, rasa-2, ...).
COMPOSE_REPLICAS = 2


def unavailable_response() -> str:
    """The whole HTTP response HAProxy gives when no server can answer: the web
    app's own "not sent, try again", as JSON."""
    from bot.web.api import NOT_SENT

    text = render("unavailable.http.j2", body=json.dumps({"error": NOT_SENT}))
    return text.replace("\n", "\r\n")


def haproxy_config(
    *,
    unavailable: str,
    binds: dict[str, str],
    servers: dict[str, list[str]],
    resolver: str | None = None,
) -> str:
    """`binds` and `servers` by kind ("web", "rasa", "action"): where each balancer
    listens, and the addresses behind it; `resolver`, the DNS server that names
    them (an orchestrator's), if they are names."""
    return render(
        "haproxy.cfg.j2",
        unavailable=unavailable,
        resolver=resolver,
        **{f"{kind}_bind": address for kind, address in binds.items()},
        **{f"{kind}_servers": addresses for kind, addresses in servers.items()},
    )


def compose_files() -> dict[Path, str]:
    """deploy/haproxy.cfg and the response it names, for deploy/compose.yml."""
    names = {"web": ("web", 8000), "rasa": ("rasa", 5005), "action": ("actions", 5055)}
    config = haproxy_config(
        unavailable=f"{COMPOSE_CONFIG_DIR}/unavailable.http",
        resolver=COMPOSE_DNS,
        binds={kind: f"*:{port}" for kind, (_, port) in names.items()},
        servers={
            kind: [f"{name}-{i}:{port}" for i in range(1, COMPOSE_REPLICAS + 1)]
            for kind, (name, port) in names.items()
        },
    )
    return {DEPLOY / "haproxy.cfg": config, DEPLOY / "unavailable.http": unavailable_response()}


if __name__ == "__main__":
    for path, text in compose_files().items():
        path.write_bytes(text.encode())
        print(f"wrote {path.relative_to(PROJECT_ROOT)}")
