"""The project as a package: it declares what bot/ imports, and a wheel built from
it installs into a fresh environment with its dependencies, carries its data and
runs its commands (not only the editable install)."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import distributions
from pathlib import Path

import tomli as tomllib  # tomllib is in the standard library from 3.11

from bot.config import PROJECT_ROOT


def _third_party_imports() -> set[str]:
    found = set()
    for path in (PROJECT_ROOT / "bot").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module.split(".")[0])
    return {name for name in found if name not in sys.stdlib_module_names and name != "bot"}


def _declared() -> set[str]:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    names = set()
    for requirement in project["dependencies"]:
        name = requirement.split("[")[0]
        for stop in "=<>!~ ;":
            name = name.split(stop)[0]
        names.add(name.lower().replace("_", "-"))
    return names


def _providers() -> dict[str, set[str]]:
    """Which installed distributions provide each top-level module (from the files
    they installed: Python 3.10's packages_distributions reads only top_level.txt)."""
    found: dict[str, set[str]] = {}
    for dist in distributions():
        name = dist.metadata["Name"].lower().replace("_", "-")
        for file in dist.files or []:
            top = file.parts[0].removesuffix(".py")
            if not top.endswith((".dist-info", ".data")) and top != "..":
                found.setdefault(top, set()).add(name)
    return found


def test_every_library_bot_imports_is_a_declared_dependency():
    providers = _providers()
    missing = {
        module: providers.get(module, {"?"})
        for module in _third_party_imports()
        if not providers.get(module, set()) & _declared()
    }
    assert missing == {}


def test_a_built_wheel_installs_into_a_fresh_environment_and_its_commands_run(tmp_path: Path):
    python = sys.executable
    # Built from a copy of what the wheel is made of: setuptools writes build/ and
    # *.egg-info beside the sources, and the repository is not the place.
    source = tmp_path / "source"
    shutil.copytree(PROJECT_ROOT / "bot", source / "bot",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))  # fmt: skip
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(PROJECT_ROOT / name, source / name)
    subprocess.run(
        [python, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "-w", str(tmp_path / "dist"), str(source)],
        check=True, capture_output=True,
    )  # fmt: skip
    wheel = next((tmp_path / "dist").glob("disclosure_coach-*.whl"))
    # A new environment with nothing in it: pip installs the wheel and the
    # dependencies it declares (at the lock's versions, from the package registry).
    fresh = tmp_path / "fresh"
    subprocess.run([python, "-m", "venv", str(fresh)], check=True)
    installed = subprocess.run(
        [str(fresh / "bin" / "pip"), "install", "-q", "--disable-pip-version-check",
         "-c", str(PROJECT_ROOT / "requirements" / "app.lock"), str(wheel)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr[-2000:]
    site = next((fresh / "lib").glob("python3*/site-packages"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}

    def bot(*args: str, given: str = "") -> subprocess.CompletedProcess[str]:
        """The wheel's own `bot` command, run from elsewhere than the repository."""
        return subprocess.run(
            [str(fresh / "bin" / "bot"), *args],
            input=given, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120,
        )  # fmt: skip

    where = subprocess.run(
        [str(fresh / "bin" / "python"), "-c", "import bot; print(bot.__file__)"],
        capture_output=True, text=True, cwd=tmp_path, env=env, check=True,
    ).stdout  # fmt: skip
    assert where.startswith(str(site)), where
    assert bot("--help").returncode == 0
    spent = bot("spent", given=json.dumps(
        {"convictions": [{"date": "2024-03-15", "sentences": [{"type": "fine"}]}],
         "as_of": "2026-11-22"}))  # fmt: skip
    assert json.loads(spent.stdout) == {
        "convictions": [{"spent_on": "2025-03-15", "status": "spent"}]
    }, spent.stderr
    coach = bot("coach", "--section", "what_happened", "--json",
                given="It wasn't my fault. I got a fine.")  # fmt: skip
    assert coach.returncode == 0, coach.stderr
    assert "blame" in coach.stdout
    for data in (
        "data/coaching/rules.yml",
        "web/templates/staff/page.html",
        "web/static/chat.js",
        "ops/templates/haproxy.cfg.j2",
        "store/migrations/versions/0011_submitted_at.py",
    ):
        assert (site / "bot" / data).is_file(), data  # fmt: skip
