"""The Compose file and the Kubernetes manifests describe the topology the tests run.

They cannot be run here (no container registry), so these tests hold them to the
local production shape: the same HAProxy configuration, the same images as the
lock files, the same health checks, a Redis that keeps nothing on disk, and only
the website published.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from bot import services
from bot.config import PROJECT_ROOT
from bot.ops import balancer, datastores
from bot.services import Stack

DEPLOY = PROJECT_ROOT / "deploy"
COMPOSE = yaml.safe_load((DEPLOY / "compose.yml").read_text())
KUBERNETES = list(yaml.safe_load_all((DEPLOY / "kubernetes" / "disclosure.yaml").read_text()))


def _locked(lock: str, package: str) -> str:
    text = (PROJECT_ROOT / "requirements" / lock).read_text()
    return re.search(rf"^{package}==(\S+)$", text, re.MULTILINE | re.IGNORECASE).group(1)


def test_the_committed_haproxy_files_are_what_the_template_gives():
    for path, text in balancer.compose_files().items():
        assert path.read_bytes() == text.encode(), (
            f"run: .venv/bin/python -m bot.ops.balancer ({path.name})"
        )


def test_haproxy_accepts_the_compose_configuration(tmp_path: Path):
    config = (DEPLOY / "haproxy.cfg").read_text()
    shutil.copy(DEPLOY / "unavailable.http", tmp_path / "unavailable.http")
    config = config.replace(balancer.COMPOSE_CONFIG_DIR, str(tmp_path))
    (tmp_path / "haproxy.cfg").write_text(config)
    checked = subprocess.run(
        ["/usr/sbin/haproxy", "-c", "-f", str(tmp_path / "haproxy.cfg")],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_compose_runs_each_kind_as_the_balancer_names_it():
    services = set(COMPOSE["services"])
    for name in ("rasa", "actions", "web"):
        wanted = {f"{name}-{i}" for i in range(1, balancer.COMPOSE_REPLICAS + 1)}
        assert wanted <= services
        assert not {s for s in services if s.startswith(f"{name}-")} - wanted
    published = {name for name, s in COMPOSE["services"].items() if s.get("ports")}
    assert published == {"haproxy"}


def test_the_images_are_rasas_published_ones_at_the_locked_versions():
    rasa = (DEPLOY / "Dockerfile.rasa").read_text()
    actions = (DEPLOY / "Dockerfile.actions").read_text()
    assert f"FROM rasa/rasa:{_locked('rasa.lock', 'rasa')}\n" in rasa
    assert f"FROM rasa/rasa-sdk:{_locked('app.lock', 'rasa-sdk')}\n" in actions
    assert _locked("app.lock", "rasa-sdk") == _locked("rasa.lock", "rasa-sdk")


def test_redis_keeps_nothing_on_disk_wherever_it_runs():
    local = datastores.redis_program(6379).command
    compose = COMPOSE["services"]["redis"]["command"]
    for flag in ("--save", "--appendonly"):
        assert compose[compose.index(flag) + 1] == local[local.index(flag) + 1]


def test_the_parts_read_the_variables_the_local_stack_sets():
    local = set(Stack().environment())
    compose = set(COMPOSE["x-common"]["environment"])
    config_map = next(d for d in KUBERNETES if d["kind"] == "ConfigMap")["data"]
    # The secret's own: a key shared by every web process.
    assert compose - local == {"APP_SECRET", "TRUSTED_PROXIES"}
    assert set(config_map) - local == {"TRUSTED_PROXIES"}


LOCAL_PROGRAMS = {
    "rasa": services._rasa_server("rasa", 5005),
    "actions": services._action_server("actions", 5055),
    "web": services._web_app("web", "127.0.0.1", 8000),
}


@pytest.mark.parametrize("name", sorted(LOCAL_PROGRAMS))
def test_kubernetes_checks_each_part_as_the_local_balancer_does(name: str):
    deployment = next(
        d for d in KUBERNETES if d["kind"] == "Deployment" and d["metadata"]["name"] == name
    )
    assert deployment["spec"]["replicas"] == balancer.COMPOSE_REPLICAS
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    probe = container["readinessProbe"]["httpGet"]
    health = urlsplit(LOCAL_PROGRAMS[name].health_url)
    assert (probe["path"], probe["port"]) == (health.path, health.port)


@pytest.mark.parametrize("name", sorted(LOCAL_PROGRAMS))
def test_kubernetes_gives_a_busy_part_as_long_to_answer_its_check_as_haproxy(name: str):
    deployment = next(
        d for d in KUBERNETES if d["kind"] == "Deployment" and d["metadata"]["name"] == name
    )
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    check = re.search(r"timeout check (\d+)s", (DEPLOY / "haproxy.cfg").read_text())
    assert check is not None
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["timeoutSeconds"] == int(check.group(1))
