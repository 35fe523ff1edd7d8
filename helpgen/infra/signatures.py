"""File signatures: what tells a file's versions apart without reading it, and when such a
signature can be trusted. The cache, the build stamp and the theme's record of its folders all
decide by them whether something changed."""

from __future__ import annotations

import hashlib
import marshal
import math
import os
from pathlib import Path

from helpgen.errors import CONFIG, HelpgenError


def signature(path: Path | str, follow_symlinks: bool = True) -> tuple[int, int, int, int]:
    """What tells a file's versions apart without reading it. Writing a file always sets its
    change time, which no tool can set back; so does adding, removing or renaming an entry of
    a folder, for the folder. Without `follow_symlinks`, a symbolic link's own."""
    status = os.stat(path, follow_symlinks=follow_symlinks)
    return (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)


def digest_of(signatures) -> str:
    """One digest of signatures (lists and tuples of them, with names): marshal's format 2,
    which has no back-references (equal values, equal bytes), hashed. Several times quicker
    than `cache.digest`'s repr for the 26,000 files of a large site."""
    return hashlib.blake2b(marshal.dumps(signatures, 2), digest_size=16).hexdigest()


# A file changed less than this long before it was read could change again without its size or
# times changing (timestamps have a granularity: a few ms on Linux, 2 s on FAT).
RACY_NANOSECONDS = 3_000_000_000
SETTLE_VARIABLE = "HELPGEN_SETTLE_SECONDS"    # replaces RACY_NANOSECONDS when set

Signature = tuple[int, int, int, int] | None     # size, mtime, ctime, inode; None: a folder


def racy_window() -> int:
    """How long (ns) after a file's last change its signature cannot yet be trusted to show the
    next one: RACY_NANOSECONDS, or HELPGEN_SETTLE_SECONDS (longer for a network share whose
    clock differs from this machine's; 0 where nothing is edited while builds run)."""
    value = os.environ.get(SETTLE_VARIABLE)
    if value is None:
        return RACY_NANOSECONDS
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not 0 <= seconds < 1e9:
        raise HelpgenError(f"{SETTLE_VARIABLE} must be a number of seconds, not {value!r}",
                           None, None, f"unset it for the default ({RACY_NANOSECONDS // 10**9} "
                           "s), or give e.g. 10 for a network share", code=CONFIG)
    return int(seconds * 1e9)


def changed_lately(file: tuple[int, int, int, int], at: int, window: int | None = None) -> bool:
    """Whether the file changed less than `window` (default: racy_window()) before `at` (ns):
    a later write could then leave its signature as it is."""
    return max(file[1:3]) > at - (racy_window() if window is None else window)


def any_changed_lately(trees, at: int) -> bool:
    """Whether a file of `trees` ((name, folder_signatures(…)) pairs) changed lately before
    `at` (see changed_lately): a signature taken now could then miss a later change."""
    window = racy_window()
    return any(changed_lately(file, at, window) for _, tree in trees for _, file in tree
               if file is not None)


def folder_signatures(folder: Path, skip: set[Path] = frozenset()
                      ) -> list[tuple[str, Signature]]:
    """Every file and folder below `folder` (symbolic links followed) with its signature, by
    relative path, sorted; the folders in `skip` are left out."""
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
                try:
                    found.append((prefix + name, signature(entry_path)))
                except OSError:                  # a broken link, or deleted meanwhile
                    found.append((prefix + name, (-1, 0, 0, 0)))
    return sorted(found)
