"""OutputFile: one file of the built site, as render and index make it and write puts it on disk;
StoredFile: one whose bytes stay in the build cache until asked for. Apart from the render stage
so that writing (and the check that the output is as the last build left it) does not import the
templates' libraries. Every file has the same interface: `path`, `digest`, `size`, `content`."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
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

    @classmethod
    def made(cls, path: str, content: bytes, digest: str | None) -> OutputFile:
        """An OutputFile whose digest is known already (`digest`, unless None)."""
        file = cls(path, content)
        if digest is not None:
            file.__dict__["digest"] = digest
        return file


@dataclass(frozen=True, slots=True)
class StoredFile:
    """An OutputFile taken from the build cache with its path, digest and size only: its bytes,
    which the write stage needs only for a file the output does not already have, are read
    from the cache (`load`) when asked for (infra/cache.py)."""

    path: str
    digest: str
    size: int
    load: Callable[[], bytes]

    @property
    def content(self) -> bytes:
        return self.load()

    @property
    def made_digest(self) -> str:
        return self.digest


def moved(file: OutputFile | StoredFile, path: str) -> OutputFile | StoredFile:
    """`file` at `path`, its bytes not read if they are stored, its digest not made again."""
    if isinstance(file, StoredFile):
        return dataclasses.replace(file, path=path)
    return OutputFile.made(path, file.content, file.made_digest)


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
