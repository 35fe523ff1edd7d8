"""The build cache: results keyed by a hash of everything they depend on.

A rebuild with nothing changed, or with one article edited, redoes only the work whose inputs
changed: Markdown conversion (per article), search tokens (per article) and page rendering (per
page). Keys are content hashes, so a stale entry is never used: a change to the config, the theme,
helpgen itself or an article changes the keys of everything it affects. Entries not used by a
build are dropped when it saves, so the cache does not grow without bound.

The cache is one pickle file in `SITE/.helpgen-cache/`, written atomically. It holds only data
helpgen made itself; delete the folder at any time to start cold.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import fields, is_dataclass
from pathlib import Path

import helpgen

CACHE_DIR = ".helpgen-cache"
_FILE = "build.pickle"


def _code_version() -> str:
    """helpgen's version and a hash of its own code: a development checkout that changes the
    code without changing the version number must not reuse results of the old code."""
    package = Path(helpgen.__file__).parent
    sources = sorted([*package.glob("*.py"), *package.glob("client/*.js")])
    hasher = hashlib.blake2b(helpgen.__version__.encode(), digest_size=16)
    for path in sources:
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


CODE_VERSION = _code_version()


def digest(*parts) -> str:
    """A short, stable hash of `parts` (strings, numbers, tuples, dataclass reprs)."""
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"),
                           digest_size=16).hexdigest()


class BuildCache:
    """Get/put by key; `save()` keeps only what this build used."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self._old: dict = {}
        self._new: dict = {}
        self.hits = self.misses = 0
        self._changed = False          # something was put: the file must be rewritten
        if folder is not None:
            try:
                with open(folder / _FILE, "rb") as handle:
                    stored = pickle.load(handle)
                if stored.get("version") == CODE_VERSION:
                    self._old = stored["entries"]
            except (OSError, pickle.UnpicklingError, EOFError, KeyError, AttributeError,
                    TypeError, ValueError):
                self._old = {}           # missing or unreadable: start cold

    @classmethod
    def disabled(cls) -> "BuildCache":
        return cls(None)

    def get(self, kind: str, key: str):
        entry = self._new.get((kind, key))
        if entry is None:
            entry = self._old.get((kind, key))
            if entry is not None:
                self._new[(kind, key)] = entry
        if entry is None:
            self.misses += 1
        else:
            self.hits += 1
        return entry

    def put(self, kind: str, key: str, value) -> None:
        self._new[(kind, key)] = value
        self._changed = True

    def save(self) -> None:
        """Write what this build used; skipped when that is exactly what was read."""
        if self.folder is None or (not self._changed and self._new.keys() == self._old.keys()):
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / ".gitignore").write_text("*\n", encoding="utf-8")
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".build-")
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump({"version": CODE_VERSION, "entries": self._new}, stream,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.folder / _FILE)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


class Fingerprints:
    """Digests of (frozen, nested) model objects, each computed once per build.

    An object's digest covers all its fields; nested dataclasses count by their own digest, so
    a whole locale is hashed once however many pages show parts of it.
    """

    def __init__(self):
        self._memo: dict[int, tuple[object, str]] = {}

    def of(self, value) -> str:
        if is_dataclass(value) and not isinstance(value, type):
            known = self._memo.get(id(value))
            if known is not None and known[0] is value:
                return known[1]
            result = digest(type(value).__name__,
                            tuple(self._part(getattr(value, f.name)) for f in fields(value)))
            self._memo[id(value)] = (value, result)
            return result
        return digest(self._part(value))

    def _part(self, value):
        if is_dataclass(value) and not isinstance(value, type):
            return self.of(value)
        if isinstance(value, (tuple, list)):
            return tuple(self._part(item) for item in value)
        if isinstance(value, dict):
            return tuple((key, self._part(item)) for key, item in value.items())
        return repr(value)
