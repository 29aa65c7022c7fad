"""The domain's files (domain.yml, then domain/ in name order) are merged in one
fixed order, so the same files train the same model on any machine, and Rasa's
own training reads them through this importer."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.importers.importer import TrainingDataImporter

from bot.config import DOMAIN, DOMAIN_FOLDER, PROJECT_ROOT
from rasa_addons.domain_importer import SortedDomainImporter, domain_paths, load_domain

TOP = PROJECT_ROOT / DOMAIN
FOLDER = PROJECT_ROOT / DOMAIN_FOLDER


def test_the_domain_is_its_top_file_then_one_file_per_feature_in_name_order():
    paths = domain_paths(TOP)
    assert paths[0] == str(TOP)
    assert len(paths) > 2 and paths[1:] == sorted(paths[1:])
    assert all(Path(p).parent == FOLDER for p in paths[1:])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_actions_keep_one_order_whatever_order_the_file_system_lists_them(monkeypatch, seed):
    expected = load_domain(TOP).action_names_or_texts
    listed = list(FOLDER.rglob("*"))
    random.Random(seed).shuffle(listed)
    monkeypatch.setattr(Path, "rglob", lambda self, pattern: iter(listed))
    assert load_domain(TOP).action_names_or_texts == expected


def test_the_merged_domain_holds_what_rasa_reads_from_the_file_and_the_folder():
    ours = load_domain(TOP).as_dict()
    rasas = Domain.load([str(TOP), str(FOLDER)]).as_dict()
    for d in (ours, rasas):
        d["actions"] = sorted(d["actions"], key=json.dumps)
    assert json.dumps(ours, sort_keys=True) == json.dumps(rasas, sort_keys=True)


def test_training_reads_the_domain_through_the_sorted_importer(monkeypatch):
    monkeypatch.chdir(PROJECT_ROOT)
    importer = TrainingDataImporter.load_from_config("config.yml", DOMAIN, ["data"])
    inner = importer.importer._importer._importers  # E2E > ResponsesSync > Combined
    assert [type(i) for i in inner] == [SortedDomainImporter]
    ours = load_domain(TOP).action_names_or_texts
    assert [a for a in importer.get_domain().action_names_or_texts if a in ours] == ours
