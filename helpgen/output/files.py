"""OutputFile: one file of the built site, as render and index make it and write puts it on disk.
Apart from the render stage so that writing (and the check that the output is as the last build
left it) does not import the templates' libraries."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from helpgen.infra.cache import content_digest


@dataclass(frozen=True)
class OutputFile:
    path: str            # relative to the output folder, "/"-separated
    content: bytes

    @cached_property
    def digest(self) -> str:
        """The hash of the content, made once: it travels with a cached file (pickled with
        it), so an unchanged page is not hashed again to see that it is unchanged."""
        return content_digest(self.content)

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def made_digest(self) -> str | None:
        """`digest` if it was made already, else None (the live preview compares a file with
        the previous build's instead of hashing it: see write.write_changes)."""
        return self.__dict__.get("digest")


class Outputs:
    """A build's files in named parts (lists of OutputFile). The live preview's next build
    makes each part again from its previous one: the same list when nothing in it can have
    changed, or a list mostly of the same file objects in the same places, so that the write
    stage finds what changed without looking at every file (write.write_changes)."""

    def __init__(self):
        self.parts: dict[str, list[OutputFile]] = {}

    def add(self, name: str, files: list[OutputFile]) -> None:
        assert name not in self.parts, name
        self.parts[name] = files

    def __iter__(self):
        return (file for files in self.parts.values() for file in files)
