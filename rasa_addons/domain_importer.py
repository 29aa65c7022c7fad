"""Rasa's file importer, reading the domain's files (domain/) in name order.

Rasa reads a domain directory in the order the file system lists it, and that
order decides the order of the actions, slots and forms. The dialogue policy
(TED) numbers its labels in that order, so the same files would train a
different model on a machine that lists them differently. This importer merges
the files sorted by path, so a model depends on the files alone. Everything
else is Rasa's RasaFileImporter, unchanged. config.yml names it under
`importers`.
"""

from __future__ import annotations

from pathlib import Path

from rasa.shared.core.domain import Domain, InvalidDomain
from rasa.shared.importers.rasa import RasaFileImporter


def domain_paths(path: str | Path) -> list[str]:
    """The domain files at `path` (a file, or a directory read recursively), sorted."""
    root = Path(path)
    if root.is_file():
        return [str(root)]
    return sorted(str(p) for p in root.rglob("*") if p.is_file() and Domain.is_domain_file(p))


def load_domain(path: str | Path) -> Domain:
    """The domain at `path`, its files merged in name order."""
    return Domain.load(domain_paths(path))


class SortedDomainImporter(RasaFileImporter):
    """RasaFileImporter, with the domain's files merged in name order."""

    def get_domain(self) -> Domain:
        if not self._domain_path:
            return Domain.empty()
        try:
            return load_domain(self._domain_path)
        except InvalidDomain as error:
            # Rasa's own importer warns and trains on an empty domain; a model
            # without its domain must never be trained here.
            raise InvalidDomain(f"The domain at '{self._domain_path}': {error}") from error
