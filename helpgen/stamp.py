"""The build stamp: one digest of everything a build's output depends on, so that a rebuild with
nothing changed is answered without building (as make and ninja do).

Even with every result cached, a build reads every article, builds the model and looks up each
page; the stamp instead only lists the inputs' file stats, in milliseconds. It covers the site
folder (every file and folder except the output folder, the cache and `.git`; the theme's
`custom_dir` is inside it), the built-in themes, helpgen's own code (`CODE_VERSION`), the build's
options, and the git commit the articles' dates are read from. A file counts by its path, size,
modification and change times and inode: writing a file always sets its change time, which no
tool can set back. The time zone is left out: dates come from files' times in UTC and from
commit dates in their own zone.

Timestamps have a granularity, so a file written in the same tick as the stamp was taken could
be written again without any of them changing. Like git's "racily clean" files, and like
`load._front_matter`, a stamp with an input changed less than `load.RACY_NANOSECONDS` before it
was taken is not `settled`, and a build must not store it: the next build is then a real one.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from helpgen import cache, load, render

Signature = tuple[int, int, int, int] | None     # size, mtime, ctime, inode; None: a folder


@dataclass(frozen=True)
class Stamp:
    digest: str
    settled: bool                # no input changed just before it was taken: it may be stored


def take(root: Path, out: Path, options: tuple) -> Stamp:
    """The stamp of a build of the site in `root` into `out` with `options`."""
    taken_at = time.time_ns()
    inputs = [("site", _tree(root, {out, root / cache.CACHE_DIR, root / ".git"}))]
    inputs += [(name, _tree(render.theme_dir(name), set()))
               for name in render.builtin_themes()]
    newest = max((max(signature[1:3]) for _, tree in inputs for _, signature in tree
                  if signature is not None), default=0)
    head = _git_head(root / "articles")
    return Stamp(cache.digest(str(root), options, cache.CODE_VERSION, head, inputs),
                 newest <= taken_at - load.RACY_NANOSECONDS)


def _tree(folder: Path, skip: set[Path]) -> list[tuple[str, Signature]]:
    """Every file and folder below `folder` (symbolic links followed), by relative path, sorted;
    the folders in `skip` are left out."""
    skipped = {str(path) for path in skip}
    found: list[tuple[str, Signature]] = []
    seen: set[tuple[int, int]] = set()           # folders walked, against symbolic link loops
    todo = [("", str(folder))]
    while todo:
        prefix, path = todo.pop()
        try:
            status = os.stat(path)
            if (status.st_dev, status.st_ino) in seen:
                continue
            seen.add((status.st_dev, status.st_ino))
            with os.scandir(path) as scan:
                entries = [(entry.name, entry.path, entry.is_dir()) for entry in scan]
        except OSError:
            continue                             # gone or unreadable: its name still counts
        for name, entry_path, is_dir in entries:
            if entry_path in skipped:
                continue
            if is_dir:
                found.append((prefix + name, None))
                todo.append((prefix + name + "/", entry_path))
            else:
                found.append((prefix + name, _signature(entry_path)))
    return sorted(found)


def _signature(path: str) -> Signature:
    try:
        status = os.stat(path)
    except OSError:                              # a broken link, or deleted meanwhile
        return (-1, 0, 0, 0)
    return (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)


def _git_head(folder: Path) -> str:
    """The commit checked out where the articles are (load.py reads their dates from its
    history), or "" outside git: one `git rev-parse`, about a millisecond."""
    try:
        return subprocess.run(["git", "-C", str(folder), "rev-parse", "HEAD"],
                              capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""
