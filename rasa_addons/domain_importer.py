"""Rasa's file importer, reading the domain as this project lays it out:
domain.yml, then the files of the folder beside it (domain/), in name order.

Rasa reads a domain directory in the order the file system lists it, and that
order decides the order of the actions, slots and forms. The dialogue policy
(TED) numbers its labels in that order, so the same files would train a
different model on a machine that lists them differently. This importer merges
the files in a fixed order, so a model depends on the files alone. Everything
else is Rasa's RasaFileImporter, unchanged. config.yml names it under
`importers`.
"""

from __future__ import annotations

from pathlib import Path

from rasa.shared.core.domain import Domain, InvalidDomain
from rasa.shared.importers.rasa import RasaFileImporter


def domain_paths(path: str | Path) -> list[str]:
    """The domain files at `path`: a file and then the folder named like it beside
    it (domain.yml, domain/), or a folder; each folder read recursively, sorted."""
    given = Path(path)
    first, folder = ([given], given.with_suffix("")) if given.is_file() else ([], given)
    found = sorted(p for p in folder.rglob("*") if p.is_file() and Domain.is_domain_file(p))
    return [str(p) for p in [*first, *found]]


def load_domain(path: str | Path) -> Domain:
    """The domain at `path`, its files merged in that order."""
    return Domain.load(domain_paths(path))


class SortedDomainImporter(RasaFileImporter):
    """RasaFileImporter, with the domain's files merged in a fixed order."""

    def get_domain(self) -> Domain:
        if not self._domain_path:
            return Domain.empty()
        try:
            return load_domain(self._domain_path)
        except InvalidDomain as error:
            # Rasa's own importer warns and trains on an empty domain; a model
            # without its domain must never be trained here.
            raise InvalidDomain(f"The domain at '{self._domain_path}': {error}") from error
