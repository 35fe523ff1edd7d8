"""The build stamp: one digest of everything a build's output depends on, so that a rebuild with
nothing changed is answered without building (as make and ninja do).

Even with every result cached, a build reads every article, builds the model and looks up each
page; the stamp instead only lists the inputs' file stats, in milliseconds. It covers the site
folder (every file and folder except the output folder, the cache and `.git`; the theme's
`custom_dir` is inside it), the built-in themes, helpgen's own code and its libraries
(`infra/cache.code_signature`), the build's options, and the git commit the articles' dates are read
from. A file counts by its path, size, modification and change times and inode: writing a file
always sets its change time, which no tool can set back. The time zone is left out: dates come
from files' times in UTC and from commit dates in their own zone.

Timestamps have a granularity, so a file written in the same tick as the stamp was taken could
be written again without any of them changing. Like git's "racily clean" files, and like
`content/sources._front_matter`, a stamp with an input changed less than
`signatures.racy_window()` before it was taken (`signatures.any_changed_lately`) is not `settled`, and a build must not store it: the next
build is then a real one.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from helpgen.infra.cache import CACHE_DIR, code_signature, digest
from helpgen.infra.signatures import any_changed_lately, digest_of, folder_signatures
from helpgen.settings.theme_folders import builtin_themes, theme_dir


@dataclass(frozen=True)
class Stamp:
    digest: str
    settled: bool                # no input changed just before it was taken: it may be stored


def take(root: Path, out: Path, options: tuple) -> Stamp:
    """The stamp of a build of the site in `root` into `out` with `options`."""
    taken_at = time.time_ns()
    inputs = [("site", folder_signatures(root, {out, root / CACHE_DIR, root / ".git"}))]
    inputs += [(name, folder_signatures(theme_dir(name))) for name in builtin_themes()]
    settled = not any_changed_lately(inputs, taken_at)
    head = _git_head(root / "articles")
    return Stamp(digest(str(root), options, code_signature(), head, digest_of(inputs)), settled)


def _git_head(folder: Path) -> str:
    """The commit checked out where the articles are (content/sources.py reads their dates from its
    history), or "" outside git: one `git rev-parse`, about a millisecond."""
    try:
        return subprocess.run(["git", "-C", str(folder), "rev-parse", "HEAD"],
                              capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""
