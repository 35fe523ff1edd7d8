"""Progress of a build, reported to whoever shows it (the CLI draws a bar with rich)."""

from __future__ import annotations


class Progress:
    """Does nothing: the default for library use, --quiet, and output that is not a terminal."""

    def stage(self, name: str, total: int | None = None) -> None:
        """A new stage begins; `total` steps when known."""

    def advance(self, steps: int = 1) -> None:
        """Steps of the current stage are done."""

    def close(self) -> None:
        """The build is over."""
