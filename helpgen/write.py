"""Stage 5, write: put the rendered files on disk, only once the whole build has succeeded.

A new output folder is filled beside its final place and renamed into it. An existing one is
updated where it differs: every changed file is first written under a temporary name next to its
final place (a failure there, e.g. a full disk, deletes them and leaves the previous site as it
was), then each is renamed over the old one (so a file is never seen half-written), assets before
pages, and files that are no longer wanted go last. Unchanged files keep their modification
times, so incremental uploads send only what changed. A folder helpgen did not make is never
touched.

Which files changed is known without reading the old output: the build cache keeps a manifest of
the output folder (per file: size, modification time, inode and a hash of its bytes). A file whose
size, time or inode no longer match the manifest (edited by hand, say) is rewritten; a file the
manifest does not know (no cache, or a cache deleted) is compared byte for byte.
"""

from __future__ import annotations

import filecmp
import functools
import gzip
import os
import shutil
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Iterable

import brotli

from helpgen.cache import BuildCache, content_digest
from helpgen.errors import HelpgenError
from helpgen.output import OutputFile

MARKER = ".helpgen-output"
MARKER_TEXT = ("This folder is written by 'helpgen build', which replaces or deletes every "
               "file in it.\n")
TEMPORARY = ".helpgen-new"       # suffix of files being written, before their rename


COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".txt", ".xml")
COMPRESS_MINIMUM = 1024          # bytes; smaller files gain nothing
WRITE_THREADS = 4


def precompressed(files: list[OutputFile], cache: BuildCache | None = None) -> list[OutputFile]:
    """`.gz` and `.br` twins of text files, for hosts that serve them as they are; with `cache`,
    a file compressed by an earlier build is not compressed again."""
    cache = cache or BuildCache.disabled()
    twins = []
    for file in files:
        if file.path.endswith(COMPRESSIBLE) and len(file.content) >= COMPRESS_MINIMUM:
            key = file.digest
            pair = cache.get("compressed", key)
            if pair is None:
                pair = (gzip.compress(file.content, compresslevel=9, mtime=0),
                        brotli.compress(file.content))
                cache.put("compressed", key, pair)
            twins.append(OutputFile(file.path + ".gz", pair[0]))
            twins.append(OutputFile(file.path + ".br", pair[1]))
    return twins


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


def write_site(files: Iterable[OutputFile], copies: Iterable[tuple[Path, str]], out: Path,
               cache: BuildCache | None = None) -> bool:
    """Write `files` and copy `copies` ((source, output path) pairs) to `out`; remove whatever
    else is in it. Returns whether anything changed on disk.

    With `cache`, the output's manifest is read from it and stored in it (see the module's
    docstring); without, every existing file is compared byte for byte.
    """
    out = out.resolve()
    files, copies = list(files), list(copies)
    wanted: dict[str, bytes | Path] = {file.path: file.content for file in files}
    wanted.update({path: source for source, path in copies})
    wanted[MARKER] = MARKER_TEXT.encode()
    for path in wanted:
        _check_relative(path)
    cache = cache or BuildCache.disabled()
    key = str(out)
    known = cache.get("output", key) or {}
    present, folders = _scan(out)
    digests = {file.path: file.digest for file in files}       # a cached page's travels with it
    digests.update((path, content_digest(source.read_bytes())) for source, path in copies)
    digests[MARKER] = content_digest(wanted[MARKER])
    manifest, changed = {}, []
    for path, content in wanted.items():
        stat = present.get(path)
        entry = known.get(path)
        if stat is not None and (entry[:3] == stat and entry[3] == digests[path] if entry
                                 else _same(out / path, content)):
            manifest[path] = (*stat, digests[path])
        else:
            changed.append(path)
    unwanted = [path for path in present if path not in wanted]
    if changed or unwanted:
        if not out.is_dir() or _blocked(changed, present, folders):
            _write_new_folder(wanted, changed, out)
        else:
            _update_in_place(wanted, changed, unwanted, out)
        for path in changed:
            stat = (out / path).stat()
            manifest[path] = (stat.st_size, stat.st_mtime_ns, stat.st_ino, digests[path])
    if manifest != known:
        cache.put("output", key, manifest)
    return bool(changed or unwanted)


def output_unchanged(out: Path, cache: BuildCache) -> bool:
    """Whether `out` holds exactly the files of its manifest, with the same size, time and
    inode: as the last build with `cache` left it."""
    known = cache.get("output", str(out.resolve()))
    return known is not None and _scan(out)[0] == {
        path: entry[:3] for path, entry in known.items()}


def _check_relative(path: str) -> None:
    parts = path.split("/")
    if not path or path.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise HelpgenError(f"refusing to write outside the output folder: {path}")


def _scan(out: Path) -> tuple[dict[str, tuple[int, int, int] | None], set[str]]:
    """The files below `out` with (size, mtime, inode), None for what is not a regular file, and
    the folders; both by "/"-separated relative path."""
    files: dict[str, tuple[int, int, int] | None] = {}
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
                    stat = entry.stat(follow_symlinks=False)
                    files[path] = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
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


def _write_file(target: Path, content: bytes | Path) -> None:
    if isinstance(content, Path):
        shutil.copyfile(content, target)
    else:
        target.write_bytes(content)


def _cannot_write(error: OSError, out: Path) -> HelpgenError:
    return HelpgenError(f"could not write the site: {error.strerror or error}", out, None,
                        "check free disk space and permissions; the previous site is unchanged")


def _update_in_place(wanted: dict, changed: list[str], unwanted: list[str], out: Path) -> None:
    temporary: list[tuple[Path, Path]] = []
    try:
        _make_folders({(out / path).parent for path in changed})
        for path in changed:
            target = out / path
            temporary.append((target.with_name(f".{target.name}{TEMPORARY}"), target))
        _in_threads([(staged.parent, functools.partial(_write_file, staged, wanted[path]))
                     for (staged, _), path in zip(temporary, changed)])
    except BaseException as error:
        for staged, _ in temporary:
            staged.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _cannot_write(error, out) from None
        raise
    # Assets first, then pages: a page never points at a file that is not there yet.
    temporary.sort(key=lambda pair: pair[1].suffix == ".html")
    try:
        for staged, target in temporary:
            os.replace(staged, target)
        for path in unwanted:
            (out / path).unlink(missing_ok=True)
        emptied = {folder for path in unwanted for folder in (out / path).parents
                   if out in folder.parents}
        for folder in sorted(emptied, key=lambda folder: len(folder.parts), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
    except OSError as error:
        raise HelpgenError(f"could not finish updating the site: {error.strerror or error}",
                           out, None, "the site may be partly updated: fix the cause and build "
                           "again") from None


def _write_new_folder(wanted: dict, changed: list[str], out: Path) -> None:
    """Fill a new folder (unchanged files hard-linked from `out`) and put it in `out`'s place."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    changed_set = set(changed)
    try:
        umask = os.umask(0)
        os.umask(umask)
        staging.chmod(0o777 & ~umask)
        _make_folders({(staging / path).parent for path in wanted} - {staging})
        _in_threads([((staging / path).parent,
                      functools.partial(_write_file, staging / path, content)
                      if path in changed_set else
                      functools.partial(os.link, out / path, staging / path))
                     for path, content in wanted.items()])
        _swap(staging, out)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise _cannot_write(error, out) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


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


def _same(existing: Path, content: bytes | Path) -> bool:
    """Whether the previous output already has this file, byte for byte."""
    try:
        if isinstance(content, Path):
            return filecmp.cmp(existing, content, shallow=False)
        return existing.stat().st_size == len(content) and existing.read_bytes() == content
    except OSError:
        return False


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    retired = out.with_name(f".{out.name}.old-{uuid.uuid4().hex[:8]}")
    out.rename(retired)
    try:
        staging.rename(out)
    except BaseException:
        retired.rename(out)
        raise
    shutil.rmtree(retired, ignore_errors=True)
