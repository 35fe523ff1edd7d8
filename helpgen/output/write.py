"""Stage 7, write: put the rendered files on disk, only once the whole build has succeeded.

A new output folder is filled beside its final place and renamed into it. An existing one is
updated where it differs: every changed file is first written under a temporary name next to its
final place (a failure there, e.g. a full disk, deletes them and leaves the previous site as it
was), then each is renamed over the old one (so a file is never seen half-written), assets before
pages, and files that are no longer wanted go last. Unchanged files keep their modification
times, so incremental uploads send only what changed. A folder helpgen did not make is never
touched.

One build of a site runs at a time (`locked`: a lock file in its cache folder). Each update is
journaled beside the output folder: before any temporary file is made the journal names them
("staging"); once all of them are written it lists the renames and deletions to make ("commit",
flushed to disk before the first rename). A build killed at any point leaves its journal, and the
next one, on taking the lock, finishes a committed update (the temporary files are complete) or
deletes what an uncommitted one had made, so the output is the old site or the new one, never a
mix, and nothing stray stays. Only the journal is flushed with fsync: the written files are not
(a killed process loses nothing the kernel has; after a power cut, a file renamed into place may
be incomplete on file systems that do not order data before renames).

Which files changed is known without reading the old output: the build cache keeps a manifest of
the output folder (per file: its signature, i.e. size, modification and change times and inode,
and a hash of its bytes). A file whose signature no longer matches the manifest (edited by hand,
say, even with its size and modification time put back) is rewritten; a file the manifest does
not know (no cache, or a cache deleted) is compared byte for byte.

A command-line build hands its files to a `Spool` as they are made: their bytes wait on disk,
not in memory, for the write stage, which reads each back as it writes it (holding them all
took 526 MB at 10,000 articles). The spool is a file without a name in the site's cache
folder: it goes when the build ends, however it ends. A file taken from the build cache (a
`files.StoredFile`: an unchanged page after an edit) is not spooled: its bytes are in the cache,
read only if the write stage must write or compare it, and a file the manifest has with its
digest is neither.

A build with nothing to do checks that the output is still as the last build left it
(`output_check`) without reading the manifest or listing every folder: the cache also keeps
a compact record of the output's files and folders (`_output_record`), a folder's signature
changing when an entry is added to it, removed or renamed.
"""

from __future__ import annotations

import contextlib
import filecmp
import functools
import gzip
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator

import brotli

from helpgen.infra.parallel import Forked
from helpgen.infra.cache import (BuildCache, Step, StepRunner, content_digest, make_folder,
                                 run_uncached)
from helpgen.errors import HelpgenError
from helpgen.infra.signatures import changed_lately, digest_of, signature
from helpgen.infra.reuse import replaced
from helpgen.output.files import OutputFile, Outputs, StoredFile, moved

MARKER = ".helpgen-output"
MARKER_TEXT = ("This folder is written by 'helpgen build', which replaces or deletes every "
               "file in it.\n")
TEMPORARY = ".helpgen-new"       # suffix of files being written, before their rename
LOCK = "build.lock"              # in the site's cache folder
JOURNAL = ".helpgen-journal"     # beside the output folder, while it is being written
LOCK_WAIT_SECONDS = 600          # how long a build waits for another one of the same site
LOCK_NOTICE_SECONDS = 1.0        # after this long waiting, the build says why it waits
# Test hook: a build stops at this point of writing (and says so on stderr) until it is killed,
# so tests can kill builds at every step; see _pause_for_tests.
PAUSE_AT = os.environ.get("HELPGEN_TEST_PAUSE_AT")
UNFINISHED = "unfinished-update"  # the code of errors that leave the site partly updated
RECORD = "output record"         # the cache's kind of _output_record entries


COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".txt", ".xml", ".md")
COMPRESS_MINIMUM = 1024          # bytes; smaller files gain nothing
WRITE_THREADS = 4
_SPOOL_CHUNK = 1 << 30           # bytes read or written at once (Linux does ~2 GB at most)


def precompressed(files: list[OutputFile | StoredFile], run_steps: StepRunner = run_uncached
                  ) -> list[OutputFile | StoredFile]:
    """`.gz` and `.br` twins of text files, for hosts that serve them as they are. Compressing
    a file is a step of `run_steps` (kept, a file compressed by an earlier build is not
    compressed again, nor its bytes read: its twins come from the cache as they are)."""
    texts = [file for file in files
             if file.path.endswith(COMPRESSIBLE) and file.size >= COMPRESS_MINIMUM]
    pairs = run_steps("compressed", [Step(file.digest, functools.partial(_compressed, file))
                                     for file in texts])
    return [moved(twin, file.path + twin.path) for file, pair in zip(texts, pairs)
            for twin in pair]


def _compressed(file: OutputFile | StoredFile) -> tuple[OutputFile, OutputFile]:
    """The twins of `file`, each named by its suffix (the same bytes at any path share them)."""
    content = file.content
    return (OutputFile(".gz", gzip.compress(content, compresslevel=9, mtime=0)),
            OutputFile(".br", brotli.compress(content)))


class Spool:
    """The bytes of a build's files set aside on disk until they are written (see the module's
    docstring), in a file without a name in `folder`. A context manager: the file goes at its
    end. Like the cache, it is optional: where it cannot be written (a full disk), the files
    stay in memory as they did before it."""

    def __init__(self, folder: Path):
        self._end = 0
        try:
            self._file: BinaryIO | None = tempfile.TemporaryFile(dir=folder, buffering=0)
        except OSError:
            self._file = None
        self._full = self._file is None  # nothing more is set aside

    def add(self, files: list[OutputFile | StoredFile]
            ) -> list[OutputFile | StoredFile | SpooledFile]:
        """`files` as SpooledFile, their bytes set aside (and their hashes made now, while they
        are in memory); as they are if the spool cannot take them. A StoredFile stays as it
        is: its bytes are not in memory, and stay in the cache."""
        if self._full or not files:
            return files
        spooled, end = [], self._end
        try:
            for file in files:
                if not isinstance(file, OutputFile):
                    spooled.append(file)
                    continue
                content = memoryview(file.content)
                spooled.append(SpooledFile(file.path, file.digest, len(content), end, self))
                end += len(content)
                while content:
                    content = content[self._file.write(content[:_SPOOL_CHUNK]):]
        except OSError:
            self._full = True            # what it holds already is still read back
            return files
        first, self._end = self._end == 0, end
        if first:
            _pause_for_tests("spooled")
        return spooled

    def read(self, offset: int, size: int) -> bytes:
        chunks = []
        while size:
            chunks.append(os.pread(self._file.fileno(), min(size, _SPOOL_CHUNK), offset))
            offset, size = offset + len(chunks[-1]), size - len(chunks[-1])
        return b"".join(chunks)

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *_) -> None:
        if self._file is not None:
            self._file.close()


@dataclass(frozen=True, slots=True)
class SpooledFile:
    """An OutputFile whose bytes are in a Spool, read back when asked for."""

    path: str
    digest: str
    size: int
    offset: int
    spool: Spool

    @property
    def content(self) -> bytes:
        return self.spool.read(self.offset, self.size)


def check_output_folder(out: Path, site_root: Path) -> None:
    """Refuse output folders whose replacement would lose data."""
    out, site_root = out.resolve(), site_root.resolve()
    if out == site_root or out in site_root.parents:
        raise HelpgenError("the output folder contains the site folder", out, None,
                           "choose an output folder inside or beside the site, e.g. -o site")
    for protected in ("articles", "assets"):
        folder = site_root / protected
        if out == folder or folder in out.parents:
            raise HelpgenError(f"the output folder is inside {protected}/", out, None,
                               "choose a folder outside articles/ and assets/, e.g. -o site")
    for folder in (out, *out.parents):
        if folder.exists() and not folder.is_dir():
            raise HelpgenError(f"{folder} is a file, not a folder", out, None,
                               "choose an output folder name that is not taken by a file")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise HelpgenError("the output folder is not empty and was not made by helpgen", out,
                           None, "helpgen replaces its output folder whole; choose a new or "
                           "empty folder, or delete this one yourself")


def beside(out: Path, suffix: str) -> Path:
    """The file of helpgen's named by `suffix` beside the output folder `out`: never inside it,
    which holds the published site and nothing else."""
    return out.with_name(f".{out.name}{suffix}")


@contextlib.contextmanager
def locked(lock: Path, out: Path, waiting: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Hold the lock file `lock` (in the site's cache folder, made if need be) for one build into
    `out` (resolved), then finish or undo what an interrupted build left there (see the
    module's docstring). Another build waits meanwhile, calling `waiting` once it has waited
    LOCK_NOTICE_SECONDS, and gives up after LOCK_WAIT_SECONDS. The lock file stays: removing a
    file others may be waiting to lock would let two builds each lock a file of that name."""
    from filelock import FileLock, Timeout     # here: a build with nothing to do needs no lock

    file_lock = FileLock(lock)
    try:
        make_folder(lock.parent)
        try:
            file_lock.acquire(timeout=LOCK_NOTICE_SECONDS)
        except Timeout:
            waiting()
            file_lock.acquire(timeout=LOCK_WAIT_SECONDS)
    except Timeout:
        raise HelpgenError(f"another build of this site is still running after "
                           f"{LOCK_WAIT_SECONDS // 60} minutes", lock, None,
                           "wait for it to finish or stop it, then build again") from None
    except OSError as error:
        raise HelpgenError(f"could not lock the site's builds: {error.strerror or error}",
                           lock, None, "check the permissions of the site's "
                           f"{lock.parent.name} folder") from None
    try:
        _recover(beside(out, JOURNAL))
        yield
    finally:
        file_lock.release()


def write_site(files: Iterable[OutputFile], copies: Iterable[tuple[Path, str]], out: Path,
               cache: BuildCache | None = None, journal: Path | None = None) -> bool:
    """Write `files` and copy `copies` ((source, output path) pairs) to `out`; remove whatever
    else is in it. Returns whether anything changed on disk.

    With `cache`, the output's manifest is read from it and stored in it (see the module's
    docstring); without, every existing file is compared byte for byte. `journal` (default:
    beside `out`) is the journal of the folder `locked` holds, which `out` is or is inside.
    """
    out = out.resolve()
    journal = journal or beside(out, JOURNAL)
    files, copies = list(files), list(copies)
    # Each file's bytes are asked for only when it is compared or written (a SpooledFile's
    # are read back from its spool then, a StoredFile's from the cache).
    wanted: dict[str, OutputFile | SpooledFile | Path] = {file.path: file for file in files}
    wanted.update({path: source for source, path in copies})
    wanted[MARKER] = OutputFile(MARKER, MARKER_TEXT.encode())
    for path in wanted:
        _check_relative(path)
    cache = cache or BuildCache.disabled()
    key = str(out)
    known = cache.get("output", key) or {}
    present, folders = _scan(out)
    digests = {file.path: file.digest for file in files}       # a cached page's travels with it
    digests.update((path, content_digest(source.read_bytes())) for source, path in copies)
    digests[MARKER] = wanted[MARKER].digest
    manifest, changed = {}, []
    for path, content in wanted.items():
        stat = present.get(path)
        entry = known.get(path)
        if stat is not None and (entry[:4] == stat and entry[4] == digests[path] if entry
                                 else _same(out / path, content)):
            manifest[path] = (*stat, digests[path])
        else:
            changed.append(path)
    unwanted = [path for path in present if path not in wanted]
    _pause_for_tests("write")
    if changed or unwanted:
        new_folder = not out.is_dir() or _blocked(changed, present, folders)
        if new_folder:
            _write_new_folder(wanted, changed, out, journal)
        else:
            _update_in_place(wanted, changed, unwanted, folders, out, journal)
        # Hard-linking the unchanged files into a new folder set their change times too.
        for path in wanted if new_folder else changed:
            manifest[path] = (*signature(out / path, follow_symlinks=False), digests[path])
    if manifest != known:
        cache.put("output", key, manifest)
    if cache.folder is not None and not cache.remember:   # what output_unchanged reads
        record = _output_record(out, manifest)
        if record is not None:
            cache.put(RECORD, key, record)
    return bool(changed or unwanted)


def write_changes(files: Outputs, previous: Outputs, out: Path, cache: BuildCache,
                  journal: Path) -> bool | None:
    """write_site for the live preview's own output folder, which it wrote last with the files
    `previous` (its copies and marker unchanged): only what differs from `previous` is
    compared with it (a part that is `previous`'s list is skipped whole, one of the same length
    is compared object by object, see Outputs) and written, and the files it no longer has
    deleted, without scanning the folder. Returns whether anything changed on disk, or None
    (nothing done) when a file takes the place of a folder or the reverse: write_site then.
    The manifest is held in memory for the preview's next build (BuildCache.hold): its folder
    goes when the preview stops."""
    out = out.resolve()
    key = str(out)
    known = cache.get("output", key)
    if known is None:
        return None
    current: dict[str, OutputFile] = {}      # the files that may have changed, by path
    before: dict[str, OutputFile] = {}       # what the previous build had in their places
    for name, part in files.parts.items():
        old = previous.parts.get(name, [])
        if old is part:
            continue
        places = replaced(old, part)
        if places is None:
            current.update((file.path, file) for file in part)
            before.update((file.path, file) for file in old)
        else:
            current.update((part[n].path, part[n]) for n in places)
            before.update((old[n].path, old[n]) for n in places)
    for name, old in previous.parts.items():
        if name not in files.parts:
            before.update((file.path, file) for file in old)
    changed = [path for path, file in current.items()
               if _differs(file, before.get(path), known.get(path))]
    # A file no longer in its place may be elsewhere: looked for among all (rarely needed).
    unwanted = [path for path in before if path not in current]
    if unwanted:
        wanted = {file.path for file in files}
        unwanted = [path for path in unwanted if path not in wanted]
    for path in changed:
        _check_relative(path)
    folders = {folder for folder in {"/".join(parts[:end]) for parts in (
        path.split("/") for path in changed) for end in range(1, len(parts) + 1)}
        if (out / folder).is_dir()}
    if _blocked(changed, known, folders):
        return None
    if not changed and not unwanted:
        return False
    # Journaled like any update (a page is never half-written), not flushed to disk: the
    # folder goes when the preview stops.
    _update_in_place({path: current[path] for path in changed}, changed, unwanted,
                     folders, out, journal, durable=False)
    manifest = dict(known)
    for path in unwanted:
        manifest.pop(path, None)
    for path in changed:     # without its digest, a full build writes it again
        manifest[path] = (*signature(out / path, follow_symlinks=False),
                          current[path].made_digest)
    cache.hold("output", key, manifest)
    return True


def _differs(file: OutputFile, before: OutputFile | None, entry: tuple | None) -> bool:
    """Whether the live preview's `file` differs from what its output folder holds, which the
    manifest's `entry` describes: the previous build's file at its path (`before`), when it
    made one, compared byte for byte (much quicker than hashing: llms-full.txt and
    sitemap.xml are tens of megabytes), else by size and hash."""
    if entry is None:
        return True
    if before is not None:
        return before.content != file.content
    return entry[0] != file.size or entry[4] != file.digest


@contextlib.contextmanager
def output_check(out: Path, cache: BuildCache) -> Iterator[Callable[[], bool]]:
    """A function telling whether `out` is as the last build with `cache` left it (see
    _output_record): each file and each folder with the same signature; the folders whose
    signatures could miss a change holding as many entries. Started on entering: the files
    (three quarters of the look-ups) are looked at in a forked process meanwhile
    (parallel.Forked), the folders when the function is called; what was not asked for by the
    end is stopped."""
    key = str(out.resolve())
    record = cache.get(RECORD, key)
    if record is None:
        yield lambda: False
        return
    files, files_digest, folders, folders_digest, racy = record
    base = os.path.join(key, "")
    with Forked(functools.partial(_signed, base, files, files_digest)) as files_same:
        def unchanged() -> bool:
            try:
                return _signed(base, folders, folders_digest) and files_same.result() and \
                    all(len(os.listdir(base + folder)) == entries
                        for folder, entries in racy.items())
            except OSError:              # a folder gone, or a file where a folder was
                return False
        yield unchanged


def _signed(base: str, paths: str, expected: str) -> bool:
    """Whether the files or folders `paths` ("\\0"-separated, below `base`) have the signatures
    whose digest is `expected`; False if one is not there."""
    try:
        return digest_of(_signatures(base, paths.split("\0"))) == expected
    except OSError:
        return False


def _output_record(out: Path, manifest: dict) -> tuple[str, str, str, str, dict[str, int]] | None:
    """What output_unchanged compares `out` with: the files of `manifest` and the folders that
    hold them, each as one string of their paths and one digest of their signatures (a build
    with nothing to do then neither reads the manifest nor lists the folders: 72,000 files in
    23,000 folders at 10,000 articles). A folder's signature changes when an entry is added,
    removed or renamed; an edit in place changes only the file's. Folders that changed too
    lately for that (in the same tick of the file system's clock as a later change:
    signatures.changed_lately) are kept with how many entries they hold, and listed. None if a
    folder cannot be looked at (no build is then answered without building)."""
    taken_at = time.time_ns()            # before the signatures: a later time would trust more
    folders = _folders_of(manifest)
    try:
        signatures = _signatures(os.path.join(str(out), ""), folders)
    except OSError:
        return None
    racy = [folder for folder, signed in zip(folders, signatures)
            if changed_lately(signed, taken_at)]
    holds = Counter(path.rpartition("/")[0] for path in [*manifest, *folders[1:]]) if racy else {}
    return ("\0".join(manifest), digest_of([entry[:4] for entry in manifest.values()]),
            "\0".join(folders), digest_of(signatures), {folder: holds[folder] for folder in racy})


def _signatures(base: str, paths: Iterable[str]) -> list[tuple[int, int, int, int]]:
    """The signatures of `paths` below the folder `base` (ending in a separator), links not
    followed; OSError if one is not there."""
    return [signature(base + path, follow_symlinks=False) for path in paths]


def _folders_of(paths: Iterable[str]) -> list[str]:
    """Every folder that holds one of `paths` ("/"-separated, relative to the output folder),
    by relative path, sorted; the output folder itself is the first, ""."""
    folders = {""}
    for path in paths:
        folder = path.rpartition("/")[0]
        while folder not in folders:
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    return sorted(folders)


def _check_relative(path: str) -> None:
    parts = path.split("/")
    if not path or path.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise HelpgenError(f"refusing to write outside the output folder: {path}")


def _scan(out: Path) -> tuple[dict[str, tuple[int, int, int, int] | None], set[str]]:
    """The files below `out` with their signatures, None for what is not a regular file, and
    the folders; both by "/"-separated relative path."""
    files: dict[str, tuple[int, int, int, int] | None] = {}
    folders: set[str] = set()
    todo = [("", out)] if out.is_dir() else []
    while todo:
        prefix, folder = todo.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                path = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.add(path)
                    todo.append((path + "/", entry.path))
                elif entry.is_file(follow_symlinks=False):
                    files[path] = signature(entry.path, follow_symlinks=False)
                else:
                    files[path] = None
    return files, folders


def _blocked(changed: list[str], present: dict, folders: set[str]) -> bool:
    """Whether a changed file takes the place of a folder, or a folder the place of a file
    (then the update is not done in place)."""
    for path in changed:
        if path in folders:
            return True
        parts = path.split("/")
        if any("/".join(parts[:end]) in present for end in range(1, len(parts))):
            return True
    return False


def _write_file(target: Path, content: OutputFile | SpooledFile | Path) -> None:
    if isinstance(content, Path):
        shutil.copyfile(content, target)
    else:
        target.write_bytes(content.content)


def _cannot_write(error: OSError, out: Path) -> HelpgenError:
    return HelpgenError(f"could not write the site: {error.strerror or error}", out, None,
                        "check free disk space and permissions; the previous site is unchanged")


def _update_in_place(wanted: dict, changed: list[str], unwanted: list[str], folders: set[str],
                     out: Path, journal: Path, durable: bool = True) -> None:
    temporary = [((out / path).with_name(f".{(out / path).name}{TEMPORARY}"), out / path)
                 for path in changed]
    new_folders = {"/".join(parts[:end]) for parts in (path.split("/") for path in changed)
                   for end in range(1, len(parts))} - folders
    undo = {"temporary": [staged for staged, _ in temporary],
            "folders": [out / folder for folder in new_folders]}
    # Assets first, then pages: a page never points at a file that is not there yet.
    temporary.sort(key=lambda pair: pair[1].suffix == ".html")
    commit = {"renames": temporary, "delete": [out / path for path in unwanted], "out": out}

    def stage() -> None:
        _pause_for_tests("staging")
        _make_folders({out / folder for folder in new_folders})
        _in_threads([(staged.parent, functools.partial(_write_file, staged, wanted[path]))
                     for staged, path in zip(undo["temporary"], changed)])
        _pause_for_tests("staged")

    _journaled(undo, stage, commit, journal, out, durable)


def _write_new_folder(wanted: dict, changed: list[str], out: Path, journal: Path) -> None:
    """Fill a new folder (unchanged files hard-linked from `out`) and put it in `out`'s place."""
    staging = out.with_name(f".{out.name}.new-{uuid.uuid4().hex[:8]}")
    undo = {"temporary": [staging]}
    commit = {"swap": [staging, out, out.with_name(f".{out.name}.old-{uuid.uuid4().hex[:8]}")]}
    changed_set = set(changed)

    def stage() -> None:
        staging.mkdir()
        _make_folders({(staging / path).parent for path in wanted} - {staging})
        _in_threads([((staging / path).parent,
                      functools.partial(_write_file, staging / path, content)
                      if path in changed_set else
                      functools.partial(os.link, out / path, staging / path))
                     for path, content in wanted.items()])
        _pause_for_tests("filled")

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _cannot_write(error, out) from None
    _journaled(undo, stage, commit, journal, out)


def _journaled(undo: dict, stage: Callable[[], None], commit: dict, journal: Path,
               out: Path, durable: bool = True) -> None:
    """Record what `stage` will make (`undo`), run it, record `commit`, then carry it out: a
    failure or a kill before the commit is recorded undoes the staging (now, or the next
    build), one after it is finished by the next build. `durable`: the journal is flushed to
    disk (not for a folder that does not outlive its process)."""
    try:
        _record(journal, "staging", undo, durable)
        stage()
        _record(journal, "commit", commit, durable)
    except BaseException as error:
        _roll_back(undo)
        journal.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _cannot_write(error, out) from None
        raise
    _finish(commit, journal, out)


def _finish(commit: dict, journal: Path, out: Path) -> None:
    """Carry out a committed update and remove its journal."""
    try:
        _roll_forward(commit)
        journal.unlink()
    except OSError as error:
        raise HelpgenError(f"could not finish updating the site: {error.strerror or error}",
                           out, None, "the next build finishes the update (the site may be "
                           "partly updated until then): fix the cause and build again",
                           UNFINISHED) from None


# --- The journal ---------------------------------------------------------------------------


def _record(journal: Path, state: str, entry: dict, durable: bool = True) -> None:
    """Replace the journal with `entry` in `state` ("staging" or "commit"), flushed to disk
    if `durable`. Paths are kept relative to the journal's folder, which holds them all."""
    skip = len(str(journal.parent)) + 1

    def relative(value):
        if isinstance(value, Path):
            return str(value)[skip:]     # Path.relative_to took 0.6 s for 20,000 renames
        return [relative(item) for item in value]

    text = json.dumps({"state": state, **{key: relative(value) for key, value in entry.items()}})
    written = journal.with_name(journal.name + ".new")
    try:
        with open(written, "w", encoding="utf-8") as file:
            file.write(text)
            if durable:
                file.flush()
                os.fsync(file.fileno())
        os.replace(written, journal)
    except BaseException:
        written.unlink(missing_ok=True)      # e.g. a full disk: nothing stray beside the site
        raise


def _recover(journal: Path) -> None:
    """Finish the update an interrupted build had committed, or undo one it had not."""
    journal.with_name(journal.name + ".new").unlink(missing_ok=True)   # cut off while written
    try:
        stored = json.loads(journal.read_text(encoding="utf-8"))
        state = stored.pop("state")

        def absolute(value):
            if isinstance(value, str):
                _check_relative(value)
                return journal.parent / value
            return [absolute(item) for item in value]

        entry = {key: absolute(value) for key, value in stored.items()}
    except FileNotFoundError:
        return
    except (OSError, ValueError, TypeError, KeyError, HelpgenError):
        raise HelpgenError("an interrupted build left a journal helpgen cannot read", journal,
                           None, "delete it and the output folder beside it, then build "
                           "again") from None
    try:
        if state == "commit":
            _roll_forward(entry)
        else:
            _roll_back(entry)
        journal.unlink()
    except OSError as error:
        raise HelpgenError(f"could not finish what an interrupted build left: "
                           f"{error.strerror or error}", journal, None,
                           "fix the cause (permissions, free space) and build again, or delete "
                           "this file and the output folder beside it",
                           UNFINISHED) from None


def _roll_back(undo: dict) -> None:
    """Delete the temporary files and folders of an update that was not committed."""
    for path in undo["temporary"]:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    _prune(undo.get("folders", ()))


def _roll_forward(commit: dict) -> None:
    """Make the renames and deletions of a committed update; done again after an interruption,
    each step that was already made is skipped."""
    if "swap" in commit:
        _swap(*commit["swap"])
        return
    renames, unwanted = commit["renames"], commit["delete"]
    for done, (staged, target) in enumerate(renames):
        if done == len(renames) // 2:
            _pause_for_tests("renames")
        if staged.exists():
            os.replace(staged, target)
    for done, path in enumerate(unwanted):
        if done == len(unwanted) // 2:
            _pause_for_tests("deletions")
        path.unlink(missing_ok=True)
    out = commit["out"]
    _prune({folder for path in unwanted for folder in path.parents if out in folder.parents})


def _prune(folders: Iterable[Path]) -> None:
    """Remove those of `folders` that are empty, the deepest first."""
    for folder in sorted(folders, key=lambda folder: len(folder.parts), reverse=True):
        try:
            folder.rmdir()
        except OSError:
            pass                         # not empty, or already gone


def _pause_for_tests(point: str) -> None:
    """With HELPGEN_TEST_PAUSE_AT=point, say so on stderr and wait until standard input is
    closed: the tests kill a build there, or let it go on."""
    if PAUSE_AT == point:
        print(f"helpgen: paused at {point}", file=sys.stderr, flush=True)
        sys.stdin.read()


def _make_folders(folders: set[Path]) -> None:
    """Make `folders` (and their parents), those of one depth at a time on several threads."""
    by_depth: dict[int, list[Path]] = {}
    for folder in folders:
        by_depth.setdefault(len(folder.parts), []).append(folder)
    for depth in sorted(by_depth):
        _in_threads([(folder.parent, functools.partial(folder.mkdir, parents=True,
                                                       exist_ok=True))
                     for folder in by_depth[depth]])


def _in_threads(calls: list[tuple[Path, Callable[[], object]]]) -> None:
    """Run file-system calls, each given with the folder it adds an entry to, on several
    threads: creating a file or a folder is mostly kernel time, which threads overlap (on a
    2-core VM, writing a new site took half the time). A folder's calls all run on one thread:
    adding entries to a folder locks it, and threads waiting for the same lock spin in the
    kernel (the search shards' folder holds a thousand files). The first failure is raised once
    every thread has stopped (the failing folder's remaining calls are not made)."""
    if len(calls) < WRITE_THREADS * 4:
        for _, call in calls:
            call()
        return
    by_folder: dict[Path, list] = {}
    for folder, call in calls:
        by_folder.setdefault(folder, []).append(call)
    batches = sorted(by_folder.values(), key=len, reverse=True)    # the longest start first
    with ThreadPoolExecutor(WRITE_THREADS) as pool:
        for future in [pool.submit(_run_all, batch) for batch in batches]:
            future.result()


def _run_all(calls: list[Callable[[], object]]) -> None:
    for call in calls:
        call()


def _same(existing: Path, content: OutputFile | SpooledFile | Path) -> bool:
    """Whether the previous output already has this file, byte for byte."""
    try:
        if isinstance(content, Path):
            return filecmp.cmp(existing, content, shallow=False)
        return existing.stat().st_size == content.size and \
            existing.read_bytes() == content.content
    except OSError:
        return False


def _swap(staging: Path, out: Path, retired: Path) -> None:
    """Put the filled folder `staging` in `out`'s place, the old one moved to `retired` and then
    deleted; done again after an interruption, it carries on from where it was."""
    if staging.is_dir():
        if out.exists():
            out.rename(retired)
        _pause_for_tests("swap")
        try:
            staging.rename(out)
        except OSError:
            if retired.is_dir() and not out.exists():
                retired.rename(out)
            raise
    shutil.rmtree(retired, ignore_errors=True)
