"""Stage 4, index: the search data for each locale."""

from __future__ import annotations

from helpgen.model import Site
from helpgen.render import OutputFile


def build_index(site: Site) -> list[OutputFile]:
    return []
