"""A copy of the assistant's training files with the trainers' changes written in,
where a background job validates, trains and tests (bot.training.jobs).

The repository is never touched: a job works on its own folder, so a failed
check or training changes nothing, and two versions of the data never mix.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from bot.config import DOMAIN, DOMAIN_FOLDER, PROJECT_ROOT
from bot.training import export

# What Rasa reads to train and test, relative to the project.
COPIED = ("config.yml", DOMAIN, DOMAIN_FOLDER, "data", "tests")
# Only the test stories of tests/ (Rasa reads every tests/test_*.yml as stories).
STORY_FILES = "test_*.yml"


def build(
    session: Session, folder: Path, project: Path = PROJECT_ROOT, epochs_scale: float = 1.0
) -> Path:
    """Fill `folder` with the project's training files and the trainers' changes,
    the NLU components' epochs scaled by `epochs_scale` (bot.config.Settings)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        source = project / name
        if name == "tests" and source.is_dir():
            (folder / "tests").mkdir(exist_ok=True)
            for story_file in source.glob(STORY_FILES):
                shutil.copyfile(story_file, folder / "tests" / story_file.name)
        elif source.is_dir():
            shutil.copytree(source, folder / name, dirs_exist_ok=True)
        elif source.exists():
            shutil.copyfile(source, folder / name)
    export.training_files(session, folder)
    if epochs_scale != 1.0:
        _scale_epochs(folder / "config.yml", epochs_scale)
    return folder


def _scale_epochs(config_file: Path, scale: float) -> None:
    """The pipeline's epochs times `scale`; the policies are left as they are, so
    Rasa's cache still serves the dialogue model `make train` trained."""
    config = yaml.safe_load(config_file.read_text())
    for component in config.get("pipeline") or []:
        if "epochs" in component:
            component["epochs"] = max(1, round(component["epochs"] * scale))
    config_file.write_text(yaml.safe_dump(config, sort_keys=False))


def data_hash(folder: Path) -> str:
    """One hash of every training file: equal hashes, equal models."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix == ".yml"):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
