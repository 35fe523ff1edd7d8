"""The build cache: results keyed by a hash of everything they depend on.

A rebuild with nothing changed, or with one article edited, redoes only the work whose inputs
changed: reading front matter (per file), Markdown conversion (per article), search tokens (per
article) and page rendering (per page). Keys are content hashes, so a stale entry is never used:
a change to the config, the theme, helpgen itself or an article changes the keys of everything it
affects. Pure work goes through one wrapper, `BuildCache.run(kind, steps)`: each `Step` is a key
made from its inputs and the function that makes its result, so the stages stay functions of
their inputs and only the runner they are given (`run` or `run_uncached`) keeps results.

The entries live in one SQLite file in `SITE/.helpgen-cache/`, one row per entry, so a build
reads only the entries it asks for and writes only the ones it made: a no-op build reads what it
reuses and writes nothing; an edit writes the few entries that changed. When a build writes, the
entries it did not use are deleted in the same transaction, so the cache does not grow without
bound. It holds only data helpgen made itself; delete the folder at any time to start cold. An
unreadable or foreign file is replaced.

The bytes of the output files an entry holds (a rendered page, an article's Markdown copy, a
compressed twin) are stored apart from it, in the table `content`, and a command-line build
reads them only when it must write or compare the file: an entry is read back with each file
as a `files.StoredFile` (path, digest and size), so a build after an edit, whose output already
has nearly every page, reads none of their bytes. A stored file whose bytes are missing or
damaged is made again by its step (`run`) when asked for, and stored again; one of an entry
asked for by `get` alone stops the build with an error, and is deleted for the next build to
make again. The live preview reads the bytes with the entry (a missing or damaged file makes
the entry a miss): its later builds may reuse the files without asking for them again.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import io
import itertools
import os
import pickle
import sqlite3
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path, PurePath
from typing import Any, Protocol

import helpgen
from helpgen.errors import HelpgenError
from helpgen.infra.signatures import signature

CACHE_DIR = ".helpgen-cache"
_FILE = "cache.sqlite"
_LEGACY_FILES = ("build.pickle",)     # the single-pickle cache of earlier versions
FLUSH_ENTRIES = 1000             # entries a build holds before it writes them (see put)


# The libraries whose output is cached: a new version of one is a new code version.
LIBRARIES = ("jinja2", "lunr", "markdown", "material", "pygments", "pymdownx")


def _code_files() -> list[Path]:
    package = Path(helpgen.__file__).parent
    return sorted([*package.rglob("*.py"), *package.glob("client/*.js")])


def _code_version() -> str:
    """helpgen's version, a hash of its own code and the versions of the libraries whose output
    is cached: a development checkout that changes the code without changing the version
    number, or an upgraded Markdown extension, must not reuse results of the old code."""
    import jinja2
    import lunr
    import markdown
    import material
    import pygments
    import pymdownx
    libraries = [jinja2.__version__, lunr.__VERSION__, markdown.__version__,
                 material.__version__, pygments.__version__, pymdownx.__version__]
    hasher = hashlib.blake2b(repr((helpgen.__version__, libraries)).encode(), digest_size=16)
    for path in _code_files():
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


# Made when first needed: it imports the libraries, which a build with nothing to do does not.
code_version = functools.cache(_code_version)


@functools.cache
def code_signature() -> str:
    """What tells versions of the code apart without reading it or importing the libraries:
    the signatures of helpgen's files and of the libraries' `__init__` files (an upgrade
    replaces them). An unchanged signature means an unchanged code_version(). Where a library
    has no such file (a zip import, say), the signature is new in every process, so the
    version is always compared."""
    files = [*_code_files(), *(getattr(importlib.util.find_spec(name), "origin", None)
                               for name in LIBRARIES)]
    try:
        return digest([(str(path), signature(path)) for path in files])
    except (OSError, TypeError):
        return f"unknown {uuid.uuid4()}"


def digest(*parts) -> str:
    """A short, stable hash of `parts` (strings, numbers, tuples, dataclass reprs)."""
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"),
                           digest_size=16).hexdigest()


def content_digest(content: bytes) -> str:
    """The hash of a file's bytes."""
    return hashlib.blake2b(content, digest_size=16).hexdigest()


def make_folder(folder: Path) -> None:
    """The cache folder (it also holds the lock of the site's builds), kept out of git."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".gitignore").write_text("*\n", encoding="utf-8")


@dataclass(frozen=True)
class Step:
    """A pure piece of work: what `run()` returns depends only on what `key` digests (the
    step's inputs), so a result kept under its key is as good as running it again."""

    key: str
    run: Callable[[], Any]


class StepRunner(Protocol):
    """What runs a stage's steps: `BuildCache.run` (results kept between builds) or
    `run_uncached`. A stage given one stays a function of its inputs; the caller decides what
    is kept."""

    def __call__(self, kind: str, steps: list[Step], per_conversion: int = 1, reuse=None,
                 prepare=None, progress=None, stage: str = "") -> list: ...


def run_uncached(kind: str, steps: list[Step], per_conversion: int = 1, reuse=None,
                 prepare=None, progress=None, stage: str = "") -> list:
    """Every step run (see BuildCache.run): for a build without a cache."""
    return _run_all(steps, list(range(len(steps))), [None] * len(steps), per_conversion,
                    prepare, progress, stage, lambda step, result: None)


def _run_all(steps: list[Step], todo: list[int], results: list, per_conversion: int,
             prepare, progress, stage: str, done: Callable[[Step, Any], None]) -> list:
    """`results` with the steps numbered `todo` run, on every core when there are enough of
    them (infra/parallel.py); `done` is told each result, `progress` (if given) counts them."""
    from helpgen.infra import parallel    # not needed by a build with nothing to do
    if progress is not None:
        progress.stage(stage, len(todo))
    if prepare is not None:
        prepare(todo)
    for number, result in zip(todo, parallel.run([steps[n].run for n in todo],
                                                 per_conversion=per_conversion)):
        results[number] = result
        done(steps[number], result)
        if progress is not None:
            progress.advance()
    return results


class BuildCache:
    """Get/put by (kind, key) during one build; `save()` writes what it put and forgets what it
    did not use. `run` is the one wrapper around pure steps: the stages hand it their work
    (converting a body, rendering a page, tokenizing an article …) and it keeps the results.

    With `remember`, the entries a build used stay in memory for the next build made with
    `next_build()` (the live preview keeps one cache for its whole session), so an edit does
    not read them again.
    """

    def __init__(self, folder: Path | None, remember: bool = False):
        self.folder = folder
        self.remember = remember
        self._used: dict = {}            # (kind, key) -> value this build got (None unless
                                         # remembered) or put
        self._put: dict = {}             # (kind, key) -> value made by this build
        self._memory: dict = {}          # entries the previous build of this session used
        self._kept: dict = {}            # see next_build
        self._blobs: dict[str, dict] = {}   # kind -> key -> pickled value, not yet asked for
        self._db: sqlite3.Connection | None = None
        self._version: tuple[str, str] | None = None   # the file's (code signature, version)
        self._saving: _Saving | None = None
        self._flushed = False            # entries of this build already written (see put)
        self.made: Counter[str] = Counter()     # entries put per kind, and tally()'s counts
        self._lock = threading.RLock()   # stored files are read on the write stage's threads
                                         # (and a twin made again reads its page's)
        self._pid = os.getpid()          # a forked worker reads them on its own connection
        self._forked: sqlite3.Connection | None = None
        if folder is not None:
            self._open()

    @classmethod
    def disabled(cls) -> "BuildCache":
        return cls(None)

    def _open(self) -> None:
        path = self.folder / _FILE
        if not path.is_file():
            return                       # created by the first save()
        try:
            self._db = _connect(path)
            stored = dict(self._db.execute("SELECT name, value FROM info"))
            self._version = (stored.get("signature", ""), stored.get("version", ""))
        except sqlite3.Error:
            self.close()
            self._version = ("", "")     # not a cache file we can read: start cold

    @property
    def _stale(self) -> bool:
        """Whether the file holds another version's entries (it is then emptied). The version
        is compared only when the code's signature differs from the one stored with it."""
        return self._version is not None and self._version[0] != code_signature() and \
            self._version[1] != code_version()

    def close(self) -> None:
        """Close the file now, not when the object is collected: SQLite tidies its files up
        (-wal, -shm) when the last connection closes, which must happen before the command
        returns. save() closes it too, unless the cache is remembered for a next build."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def next_build(self, keeping: tuple[str, ...] = (), renew: bool = False) -> "BuildCache":
        """The cache for the next build of the same site: what this build used stays in memory
        (only with `remember`), and what the builds of the session used of the kinds `keeping`
        (results a build may reuse by identity without asking for them, infra/reuse.py, which
        a later build may ask for: the bodies, pages … of the articles its edit left alone).
        `renew`: this build made everything the next needs (a full build), so only what it
        used of those kinds stays, and what earlier builds used is let go of."""
        following = BuildCache.__new__(BuildCache)
        following.__dict__.update(self.__dict__)
        following._memory = dict(self._used) if self.remember else {}
        if self.remember:
            kept = {} if renew else self._kept
            kept.update((entry, value) for entry, value in self._used.items()
                        if entry[0] in keeping)
            following._kept = kept
        # A kind's stored bytes, read at its first miss, stay too: a later miss (an edited
        # page) is then known without reading every entry of the kind again.
        following._blobs = self._blobs if self.remember else {}
        following._used, following._put = {}, {}
        following._saving, following._flushed = None, False
        following.made = Counter()
        return following

    def get(self, kind: str, key: str, remake: Callable[[], Any] | None = None):
        """The value kept under (`kind`, `key`), or None. `remake`, which makes it again (its
        step), lets the output files it holds be read lazily (see the module's docstring)."""
        entry = (kind, key)
        value = self._put.get(entry)
        if value is None:
            value = self._used.get(entry)
        if value is None:
            value = self._memory.get(entry)
        if value is None:
            value = self._kept.get(entry)
        if value is None:
            value = self._read(kind, key, remake)
        if value is None:
            return None
        # Held only for the next build of a session: otherwise a value read again (rare) is
        # read from the file, and one nobody holds any more is freed.
        self._used[entry] = value if self.remember else None
        return value

    def run(self, kind: str, steps: list[Step], per_conversion: int = 1,
            reuse: Callable[[int, Any], bool] | None = None,
            prepare: Callable[[list[int]], None] | None = None, progress=None,
            stage: str = "") -> list:
        """Each step's result, in order: from the cache under (`kind`, its key) when kept there
        and `reuse(number, result)` (if given) accepts it, else run (on every core when there
        are enough; `per_conversion`: about how many steps take as long as converting one
        article's Markdown) and kept. `prepare` is handed the numbers of the steps to run
        before they run (to make what the workers then inherit); `progress` (if given) shows
        `stage` counting the steps run."""
        results, todo = [], []
        for number, step in enumerate(steps):
            kept = self.get(kind, step.key, step.run)
            if kept is not None and (reuse is None or reuse(number, kept)):
                results.append(kept)
            else:
                results.append(None)
                todo.append(number)
        return _run_all(steps, todo, results, per_conversion, prepare, progress, stage,
                        lambda step, result: self.put(kind, step.key, result))

    def keep(self, kind: str, key: str) -> None:
        """Keep an entry this build does not need (its result is reused whole elsewhere) for the
        next one: save() does not delete it. Read only when the next build of a session should
        find it in memory; a command-line build leaves it in the file unread."""
        entry = (kind, key)
        if not self.remember:
            self._used.setdefault(entry, None)
        elif entry not in self._used:
            value = self._memory.get(entry)      # as get() finds it, without its other look-ups
            if value is not None:
                self._used[entry] = value
            else:
                self.get(kind, key)

    def keep_held(self, kind: str, keys: Iterable[str], values: Iterable) -> None:
        """keep() of each of `keys` when the caller holds their entries' values (`values`, in
        the same order), in one step: the live preview keeps the search terms of every article
        each build (26,000 keep() calls took 25 ms). An entry the session already keeps with
        that value (next_build's `_kept`) is left there: copying every held entry into this
        build's, and next_build copying them back, was the largest part of a live edit."""
        if self.remember:
            kept = self._kept
            self._used.update((entry, value) for entry, value
                              in zip(zip(itertools.repeat(kind), keys), values)
                              if kept.get(entry) is not value)
        else:
            for key in keys:
                self._used.setdefault((kind, key), None)

    def hold(self, kind: str, key: str, value) -> None:
        """Keep `value` for the next build of this session only (with `remember`), not in the
        file: what no other build can use (the live preview's output manifest, whose folder
        goes when the preview stops)."""
        if self.remember:
            self._used[(kind, key)] = value

    def put(self, kind: str, key: str, value) -> None:
        """Keep `value` for the next build. Every FLUSH_ENTRIES entries, those put so far are
        written to the file and let go of: a cold build makes more than memory should hold at
        once (the search terms of every article; scale.py measured them as the largest part of
        a 26,000-article build's peak). A flush that fails (a full disk) leaves them to save(),
        and is tried again FLUSH_ENTRIES entries later."""
        self._used[(kind, key)] = value if self.remember else None
        self._put[(kind, key)] = value
        self.made[kind] += 1
        if len(self._put) % FLUSH_ENTRIES == 0 and self._saving is None and self.folder:
            self._flush()

    def _flush(self) -> None:
        try:
            if not self._flushed:
                self._prepare_folder()
            self._write(self._put, forget_unused=False)
        except (OSError, sqlite3.Error):
            return
        self._flushed = True
        self._put = {}

    def tally(self, what: str, number: int) -> None:
        """Count work done for this build that is not an entry of its own (`build --verbose`
        shows `made`)."""
        self.made[what] += number

    def _read(self, kind: str, key: str, remake: Callable[[], Any] | None = None):
        """An entry from the file. The first read of a kind fetches the stored bytes of all its
        entries in one query (what the previous build used, which is about what this one
        needs); each is unpickled when asked for (see _stored_files for `remake`)."""
        if self._db is None or self._stale:
            return None
        try:
            blobs = self._blobs.get(kind)
            if blobs is None:
                blobs = self._blobs[kind] = dict(self._db.execute(
                    "SELECT key, value FROM entry WHERE kind = ?", (kind,)))
            blob = blobs.pop(key, None)
            if blob is None and (kind, key) in self._used:      # asked for a second time
                row = self._db.execute("SELECT value FROM entry WHERE kind = ? AND key = ?",
                                       (kind, key)).fetchone()
                blob = row and row[0]
            if blob is None:
                return None
            return _Unpickler(blob, self._stored_files(kind, key, remake)).load()
        except (sqlite3.Error, pickle.UnpicklingError, EOFError, AttributeError, TypeError,
                ValueError, ImportError, IndexError, KeyError):
            return None                  # a damaged entry is a miss; save() replaces it

    def _stored_files(self, kind: str, key: str, remake: Callable[[], Any] | None
                      ) -> Callable[..., Any]:
        """What makes each output file of the entry (`kind`, `key`) as it is unpickled: a
        StoredFile reading its bytes when asked for (`remake`, if given, makes the entry again
        if they are missing or damaged); in the live preview, the OutputFile, its bytes read
        now (all the entry's in one query; missing or damaged: KeyError, a miss)."""
        from helpgen.output.files import OutputFile, StoredFile
        contents: dict[int, bytes] = {}

        def stored(number: int, path: str, digest: str, size: int):
            if not self.remember:
                return StoredFile(path, digest, size, functools.partial(
                    self._content, kind, key, number, path, digest, remake))
            if not contents:
                contents.update(self._db.execute(
                    "SELECT number, value FROM content WHERE kind = ? AND key = ?", (kind, key)))
            content = contents[number]
            if content_digest(content) != digest:
                raise KeyError(number)
            return OutputFile.made(path, content, digest)

        return stored

    def _content(self, kind: str, key: str, number: int, path: str, digest: str,
                 remake: Callable[[], Any] | None) -> bytes:
        """The bytes of a StoredFile: the stored ones, or, if they are missing or damaged (or
        the file is gone), those of the file made again by `remake`, whose result is then
        kept in their place. Without `remake`, HelpgenError, the entry deleted."""
        with self._lock:
            db = self._db
            try:
                if os.getpid() != self._pid:         # a forked worker: not the parent's
                    if self._forked is None and self.folder is not None:   # connection
                        self._forked = _connect(self.folder / _FILE)
                    db = self._forked
                row = db.execute("SELECT value FROM content WHERE kind = ? AND key = ? AND "
                                 "number = ?", (kind, key, number)).fetchone() if db else None
            except sqlite3.Error:
                row = None
            if row is not None and content_digest(row[0]) == digest:
                return row[0]
            if remake is None:
                self._forget(db, kind, key)
                raise HelpgenError(f"the build cache's copy of {path} is damaged", self.folder,
                                   None, "build again: this build deleted it from the cache")
            value = remake()
            if os.getpid() == self._pid:
                self.put(kind, key, value)
            return _files_in(value)[number].content

    def _forget(self, db: sqlite3.Connection | None, kind: str, key: str) -> None:
        """Delete a damaged entry from the file now (the build that found it fails)."""
        self._used.pop((kind, key), None)
        try:
            if db is not None:
                db.execute("DELETE FROM entry WHERE kind = ? AND key = ?", (kind, key))
                db.execute("DELETE FROM content WHERE kind = ? AND key = ?", (kind, key))
        except sqlite3.Error:
            pass                         # a file this damaged is replaced by the next save()

    def start_saving(self) -> None:
        """Begin writing the entries put so far, on another thread and connection, while the
        build writes its output (the two overlap well: one is mostly SQLite, the other kernel
        calls on threads); save() waits for it and writes the rest."""
        if self.folder is None or not self._put:
            return
        try:
            self._prepare_folder()
        except OSError:
            return                       # a full disk, say: save() tries again and says why
        self._saving = _Saving(self.folder / _FILE, dict(self._put))

    def abandon(self) -> None:
        """End a build that failed after start_saving(): the entries being saved reach the file
        before the build reports its failure (a build stopped by a full output disk keeps its
        conversions), nothing else is saved (what it was writing did not happen), and the file
        is closed."""
        saving, self._saving = self._saving, None
        try:
            if saving is not None:
                saving.finish()
        finally:
            self.close()

    def save(self, forget_unused: bool = True) -> str | None:
        """Write the entries this build made and, with `forget_unused`, delete those it did
        not use (`helpgen check` adds its conversions to what a build left instead); nothing
        when it made none (a no-op build leaves the file untouched). Returns why they could not
        be written (a full disk), or None: the cache is optional, and what it served is done."""
        try:
            self._save(forget_unused)
        except (OSError, sqlite3.OperationalError) as error:
            return str(error)
        finally:
            if not self.remember:
                self.close()
        return None

    def _save(self, forget_unused: bool) -> None:
        saved = self._saving.finish() if self._saving is not None else {}
        self._saving = None
        if self.folder is None or (not self._put and not self._flushed and not self._stale):
            return
        if not saved:
            self._prepare_folder()
        elif not (self.folder / _FILE).is_file():
            self.close()                # deleted while saving: what was saved went with it
            saved = {}
        entries = {entry: value for entry, value in self._put.items()
                   if saved.get(entry) is not value}
        try:
            self._write(entries, forget_unused)
        except sqlite3.DatabaseError:    # damaged beyond use: start a new file
            self._remove_file()
            self._write(self._put, forget_unused)
        self._put = {}
        self._version = (code_signature(), code_version())

    def _prepare_folder(self) -> None:
        """The cache folder, without the files of older versions; a file of another version of
        helpgen, or one deleted while open (a long preview), is started anew."""
        make_folder(self.folder)
        for legacy in _LEGACY_FILES:
            (self.folder / legacy).unlink(missing_ok=True)
        if self._stale:
            self._remove_file()
        elif self._db is not None and not (self.folder / _FILE).is_file():
            self.close()

    def _remove_file(self) -> None:
        self.close()
        self._version = None
        for suffix in ("", "-wal", "-shm", "-journal"):
            (self.folder / (_FILE + suffix)).unlink(missing_ok=True)

    def _write(self, entries: dict, forget_unused: bool) -> None:
        if self._db is None:
            self._db = _connect(self.folder / _FILE)
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            _insert(db, entries)
            if forget_unused:
                unused = [row for row in db.execute("SELECT kind, key FROM entry")
                          if row not in self._used]
                db.executemany("DELETE FROM entry WHERE kind = ? AND key = ?", unused)
                db.executemany("DELETE FROM content WHERE kind = ? AND key = ?", unused)
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise


class _Saving:
    """Entries being written on a thread of their own (see BuildCache.start_saving)."""

    def __init__(self, path: Path, entries: dict):
        self.entries = entries
        self.saved = False
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(path,), name="helpgen cache")
        self._thread.start()

    def _run(self, path: Path) -> None:
        try:
            db = _connect(path)
            try:
                db.execute("BEGIN IMMEDIATE")
                _insert(db, self.entries)
                db.execute("COMMIT")
                self.saved = True
            finally:
                db.close()
        except sqlite3.Error:
            pass                         # save() writes them all, or finds the file damaged
        except BaseException as error:   # raised by finish(), in the build's thread
            self.error = error

    def finish(self) -> dict:
        """The entries that were saved (none if saving failed)."""
        self._thread.join()
        if self.error is not None:
            raise self.error
        return self.entries if self.saved else {}


def _insert(db: sqlite3.Connection, entries: dict) -> None:
    """Store `entries` (and which helpgen wrote them) inside the transaction open on `db`: each
    pickled, the bytes of the output files it holds apart (see the module's docstring)."""
    db.execute("CREATE TABLE IF NOT EXISTS info (name TEXT PRIMARY KEY, value TEXT)")
    db.executemany("INSERT OR REPLACE INTO info VALUES (?, ?)",
                   [("version", code_version()), ("signature", code_signature())])
    db.execute("CREATE TABLE IF NOT EXISTS entry (kind TEXT NOT NULL, key TEXT NOT NULL,"
               " value BLOB NOT NULL, PRIMARY KEY (kind, key))")
    db.execute("CREATE TABLE IF NOT EXISTS content (kind TEXT NOT NULL, key TEXT NOT NULL,"
               " number INTEGER NOT NULL, value BLOB NOT NULL, PRIMARY KEY (kind, key, number))")
    for (kind, key), value in entries.items():
        files: list = []
        blob = _dumps(value, files)
        try:
            contents = [file.content for file in files]
        except HelpgenError:
            continue                     # a file it reuses lost its stored bytes: not kept
        db.execute("INSERT OR REPLACE INTO entry VALUES (?, ?, ?)", (kind, key, blob))
        db.executemany("INSERT OR REPLACE INTO content VALUES (?, ?, ?, ?)",
                       ((kind, key, number, content) for number, content in enumerate(contents)))


def _dumps(value, files: list) -> bytes:
    """`value` pickled, each output file it holds by its path, digest, size and place in
    `files` (to which it is appended)."""
    buffer = io.BytesIO()
    _Pickler(buffer, files).dump(value)
    return buffer.getvalue()


def _files_in(value) -> list:
    """The output files `value` holds, in the order _dumps numbers them."""
    files: list = []
    _dumps(value, files)
    return files


@functools.cache
def _file_types() -> tuple[type, ...]:
    from helpgen.output.files import OutputFile, StoredFile    # they import this module
    return OutputFile, StoredFile


def _stored_file(*_):
    """A stored output file's place in a pickle: only _Unpickler makes it (see _Pickler)."""
    raise pickle.UnpicklingError("a stored output file outside the build cache")


class _Pickler(pickle.Pickler):
    """Pickles an output file as a reference to its bytes, which it appends to `files`.
    (`reducer_override` is not called for the built-in types, which make most of an entry.)"""

    def __init__(self, buffer, files: list):
        super().__init__(buffer, pickle.HIGHEST_PROTOCOL)
        self.files = files

    def reducer_override(self, obj):
        if type(obj) in _file_types():
            self.files.append(obj)
            return _stored_file, (len(self.files) - 1, obj.path, obj.digest, obj.size)
        return NotImplemented


class _Unpickler(pickle.Unpickler):
    """Unpickles an entry, each output file it holds made by `stored(number, path, digest,
    size)`."""

    def __init__(self, blob: bytes, stored: Callable[..., Any]):
        super().__init__(io.BytesIO(blob))
        self.stored = stored

    def find_class(self, module: str, name: str):
        if module == __name__ and name == "_stored_file":
            return self.stored
        return super().find_class(module, name)


def _connect(path: Path) -> sqlite3.Connection:
    # One build or preview at a time writes; another waits for it instead of failing. The file
    # is a cache: losing the last write on power loss only costs a cold build.
    db = sqlite3.connect(path, timeout=60, check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA page_size = 65536")    # for a new file: 35 MB in few writes
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    return db


class Fingerprints:
    """Digests of (frozen, nested) model objects, each computed once per build.

    An object's digest covers all its fields, fed to one hash with a type tag and a length
    before each value so that different values never feed the same bytes; nested dataclasses
    count by their own digest, so a whole locale is hashed once however many pages show parts
    of it. `stand_ins` names the types that one of their own values stands for (a converted
    body by its key: hashing every body's HTML again each build would cost more than the rest).
    """

    def __init__(self, stand_ins: dict[type, Callable[[Any], str]] | None = None):
        self._memo: dict[int, tuple[object, bytes]] = {}
        self._stand_ins = stand_ins or {}

    def of(self, value) -> str:
        hasher = hashlib.blake2b(digest_size=16)
        self._feed(hasher, value)
        return hasher.hexdigest()

    def _dataclass(self, value) -> bytes:
        known = self._memo.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        kind = type(value)
        hasher = hashlib.blake2b(kind.__qualname__.encode(), digest_size=16)
        stand_in = self._stand_ins.get(kind)
        if stand_in is not None:
            self._feed(hasher, stand_in(value))
        else:
            for name in _field_names(kind):
                self._feed(hasher, getattr(value, name))
        result = hasher.digest()
        self._memo[id(value)] = (value, result)
        return result

    def _feed(self, hasher, value) -> None:
        kind = type(value)
        if kind is str:
            data = value.encode("utf-8", "surrogatepass")
            hasher.update(b"s%d:" % len(data))
            hasher.update(data)
        elif kind is tuple or kind is list:
            hasher.update(b"(%d:" % len(value))
            for item in value:
                self._feed(hasher, item)
        elif kind is dict:
            hasher.update(b"{%d:" % len(value))
            for key, item in value.items():
                self._feed(hasher, key)
                self._feed(hasher, item)
        elif is_dataclass(kind):
            hasher.update(b"D")
            hasher.update(self._dataclass(value))
        elif value is None:
            hasher.update(b"N")
        elif isinstance(value, PurePath):        # its repr is slow
            hasher.update(b"p")
            self._feed(hasher, value.as_posix())
        else:
            data = f"{kind.__qualname__}:{value!r}".encode("utf-8", "surrogatepass")
            hasher.update(b"r%d:" % len(data))
            hasher.update(data)


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(field.name for field in fields(kind))
