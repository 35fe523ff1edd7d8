"""The one error type helpgen raises for bad input, and the report that collects them.

Every problem a writer can cause carries the file, the line, a hint saying what to do and its
kind (a code of CODES). Stages add problems to a `Report` so that one run shows all of them; the
CLI renders them once.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

# The kind of every problem of a site, a stable name that `helpgen check` shows as `[code]` and
# users list in `check.ignore` and `check.errors`. The stage that finds a problem names its kind
# (a Report takes no problem without one); nothing guesses it later.
BROKEN_LINK = "broken-link"
BROKEN_ANCHOR = "broken-anchor"
MISSING_IMAGE = "missing-image"
ORPHAN_ASSET = "orphan-asset"
MISSING_TRANSLATION = "missing-translation"
OUTDATED_TRANSLATION = "outdated-translation"
STALE = "stale"
DUPLICATE_TITLE = "duplicate-title"
FRONT_MATTER = "front-matter"        # an article's or a folder's own settings
STRUCTURE = "structure"              # files, folders, names and URLs of the site
CONFIG = "config"                    # helpgen.yml and what it names
UNSAFE_HTML = "unsafe-html"
INTERNAL_LINK = "internal-link"      # a public page's link to an internal article
UNHELPFUL = "unhelpful"              # most readers voted "not helpful" (check --insights)
CODES = (BROKEN_LINK, BROKEN_ANCHOR, MISSING_IMAGE, ORPHAN_ASSET, MISSING_TRANSLATION, STALE,
         DUPLICATE_TITLE, FRONT_MATTER, STRUCTURE, CONFIG, UNSAFE_HTML, OUTDATED_TRANSLATION,
         INTERNAL_LINK, UNHELPFUL)


class HelpgenError(Exception):
    """Bad input: a message, where it is (file and line, when known), what to do about it and
    its kind, `code`.

    A problem of a site (what `helpgen check` reports) has one of CODES, given where it is
    found: a Report, and check, refuse one without (see code_of). An error that only stops
    another command (the output folder, an import, the live preview's port) may have none, or
    a code of its own (output/write.py's UNFINISHED).
    """

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None,
                 hint: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.hint = hint
        self.code = code        # the kind of problem, e.g. BROKEN_LINK

    def shown_path(self, relative_to: Path | None = None) -> str:
        """The file as the writer names it: relative to `relative_to` when inside it, with its
        folder resolved but not the file itself (a symbolic link is named, not what it is to);
        every output format shows this."""
        if self.path is None:
            return ""
        path = self.path
        if relative_to is not None:
            try:
                path = (path.parent.resolve() / path.name).relative_to(relative_to.resolve())
            except ValueError:
                pass
        return path.as_posix()

    def location(self, relative_to: Path | None = None) -> str:
        path = self.shown_path(relative_to)
        return f"{path}:{self.line}" if path and self.line else path

    def format(self, severity: str = "error", relative_to: Path | None = None,
               code: str | None = None) -> str:
        """`path:line: severity: message [code]` and a `hint:` line, each on its one line
        whatever text from the site the message quotes."""
        where = self.location(relative_to)
        message = one_line(self.message) + (f" [{code}]" if code else "")
        text = f"{where}: {severity}: {message}" if where else f"{severity}: {message}"
        if self.hint:
            text += f"\n  hint: {one_line(self.hint)}"
        return text

    def __str__(self) -> str:
        return self.format()


@dataclass
class Report:
    """Problems found during one build. Under `strict`, warnings count as errors.

    A problem found again (the same message at the same place, e.g. once per brand built from
    the same article) is kept once.
    """

    strict: bool = False
    errors: list[HelpgenError] = field(default_factory=list)
    warnings: list[HelpgenError] = field(default_factory=list)
    _seen: set = field(default_factory=set, repr=False)

    def error(self, message: str, path=None, line=None, hint=None, *, code: str) -> None:
        self.add(HelpgenError(message, path, line, hint, code=code))

    def warn(self, message: str, path=None, line=None, hint=None, *, code: str) -> None:
        error = HelpgenError(message, path, line, hint, code=code)
        if self.strict:
            self.add(error)
        elif self._first(error):
            self.warnings.append(error)

    def add(self, error: HelpgenError) -> None:
        """Add a problem raised as a HelpgenError; it must have its code too."""
        if self._first(error):
            self.errors.append(error)

    def _first(self, error: HelpgenError) -> bool:
        code_of(error)              # a problem without its code is refused, not guessed later
        key = (error.message, str(error.path), error.line)
        if key in self._seen:
            return False
        self._seen.add(key)
        return True

    @property
    def failed(self) -> bool:
        return bool(self.errors)


def code_of(error: HelpgenError) -> str:
    """The code of a problem of the site; one without a code of CODES is a bug in helpgen (the
    stage that found it did not say its kind), not something to guess."""
    if error.code not in CODES:
        raise ValueError(f"a problem without a code of errors.CODES ({error.code!r}): "
                         f"{error.message}")
    return error.code


def did_you_mean(word: str, choices, listing: str = "valid keys here") -> str | None:
    """A hint naming the nearest valid choice, or, when none is near, `listing` and them all."""
    choices = sorted(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"{listing}: " + ", ".join(choices) if choices else None


def one_line(text: str) -> str:
    """`text` with its control characters and line breaks escaped (`a\\nb`): text from the site
    in a message must not start a line of its own (or move the terminal's cursor)."""
    return "".join(repr(c)[1:-1] if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c
                   for c in str(text))
