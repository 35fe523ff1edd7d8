"""When each article file last changed, from git: what an article's default date and a
translation's being out of date are read from.

Two git runs for the whole articles folder, whatever its size: one `git log` (every commit that
touched a file there, newest first, with the files it touched) and one `git status` (files edited
and not committed yet, which are newer than any commit). Without git, or outside a repository,
there is no history: callers fall back to the files' times or contents.

A commit whose message ends with the trailer `Translation: not-needed` (a typo fixed, a link
updated) still dates the files it touched, but does not make their translations out of date.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

TRAILER = "Translation"          # `Translation: not-needed` in a commit message
NOT_NEEDED = "not-needed"


@dataclass(frozen=True)
class Revision:
    """When a file last changed. Ranks order changes: a later change has a greater rank, and an
    uncommitted edit is later than every commit (two such edits: by modification time)."""

    date: dt.date | None         # its last commit's date (None: never committed)
    commit: str | None           # its last commit (None: never committed)
    rank: tuple[int, int]        # of its last change, committed or not
    # Its last change that its translations must follow: commits marked `Translation:
    # not-needed` left out (None: no such change).
    needs_translation: tuple[int, int] | None
    needs_translation_commit: str | None   # that change's commit (None: an uncommitted edit)
    uncommitted: bool = False


def git_history(folder: Path, uncommitted: bool = True) -> dict[Path, Revision]:
    """The last changes of every file under `folder` that git knows, by resolved path (empty
    without git, or when `folder` is not in a repository). `uncommitted=False` spares asking
    for uncommitted edits (a `git status`, which reads every file's times): dates are
    commits' only. The commits are read once per HEAD in a process (the live preview asks
    again on every edit)."""
    try:
        top, head = _git(folder, "rev-parse", "--show-toplevel", "HEAD").splitlines()[:2]
        committed, count = _committed(folder, Path(top), head)
        status = _git(folder, "status", "--porcelain", "-z", "--untracked-files=all",
                      "--no-renames", "--", ".") if uncommitted else ""
    except (OSError, subprocess.CalledProcessError, UnicodeDecodeError, ValueError):
        return {}
    top = Path(top)
    history = dict(committed)
    for entry in status.split("\0"):
        if len(entry) < 4 or entry[:2].strip() == "D":
            continue
        path = top / entry[3:]
        try:
            rank = (count + 1, os.stat(path).st_mtime_ns)
        except OSError:
            continue
        known = history.get(path)
        history[path] = Revision(known and known.date, known and known.commit, rank, rank, None,
                                 uncommitted=True)
    # By resolved path, as the articles are found (the repository may be reached by a link).
    real_top = top.resolve()
    if real_top != top:
        history = {real_top / path.relative_to(top): revision
                   for path, revision in history.items()}
    return history


@functools.lru_cache(maxsize=8)
def _committed(folder: Path, top: Path, head: str) -> tuple[dict[Path, Revision], int]:
    """Each file's last commit under `folder` as of commit `head` (one `git log`), and how many
    commits there are."""
    log = _git(folder, "log", "-z", "--name-only", "--no-renames",
               f"--format=\x01%H %cs %(trailers:key={TRAILER},valueonly,separator=%x2C)",
               head, "--", ".")
    commits = log.split("\x01")[1:]
    history: dict[Path, Revision] = {}
    for age, entry in enumerate(commits):
        header, _, names = entry.partition("\0")
        commit, date, trailers = (header.split(" ", 2) + [""])[:3]
        minor = NOT_NEEDED in {value.strip().lower() for value in trailers.split(",")}
        rank = (len(commits) - age, 0)
        for name in names.lstrip("\n").split("\0"):
            if not name:
                continue
            path = top / name
            known = history.get(path)
            if known is None:
                history[path] = Revision(dt.date.fromisoformat(date), commit, rank,
                                         None if minor else rank, None if minor else commit)
            elif known.needs_translation is None and not minor:
                history[path] = Revision(known.date, known.commit, known.rank, rank, commit)
    return history, len(commits)


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), "-c", "core.quotePath=false", *args],
                          capture_output=True, check=True, text=True, encoding="utf-8").stdout
