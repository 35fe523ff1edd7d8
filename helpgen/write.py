"""Stage 5, write: put the rendered files on disk, all at once or not at all.

Files go to a fresh temporary folder beside the output folder, which then replaces the old output
in two renames. A failed build leaves the previous site untouched; a folder helpgen did not make is
never replaced.
"""

from __future__ import annotations

import filecmp
import gzip
import os
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Iterable

import brotli

from helpgen.errors import HelpgenError
from helpgen.render import OutputFile

MARKER = ".helpgen-output"
MARKER_TEXT = "This folder is written by 'helpgen build' and replaced whole on every build.\n"


COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".txt", ".xml")
COMPRESS_MINIMUM = 1024          # bytes; smaller files gain nothing


def precompressed(files: list[OutputFile]) -> list[OutputFile]:
    """`.gz` and `.br` twins of text files, for hosts that serve them as they are."""
    twins = []
    for file in files:
        if file.path.endswith(COMPRESSIBLE) and len(file.content) >= COMPRESS_MINIMUM:
            twins.append(OutputFile(file.path + ".gz",
                                    gzip.compress(file.content, compresslevel=9, mtime=0)))
            twins.append(OutputFile(file.path + ".br", brotli.compress(file.content)))
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


def write_site(files: Iterable[OutputFile], copies: Iterable[tuple[Path, str]], out: Path
               ) -> bool:
    """Write `files` and copy `copies` ((source, output path) pairs) to `out`, atomically.

    Files equal to the previous output's are hard-linked from it (their modification times stay,
    so incremental uploads send only what changed). If nothing at all changed, the output is
    left as it is. Returns whether anything was written.
    """
    out = out.resolve()
    wanted = {file.path: file.content for file in files}
    wanted.update({path: source for source, path in copies})
    wanted[MARKER] = MARKER_TEXT.encode()
    unchanged = {path for path, content in wanted.items() if _same(out / path, content)}
    if len(unchanged) == len(wanted) and _file_count(out) == len(wanted):
        return False
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        umask = os.umask(0)
        os.umask(umask)
        staging.chmod(0o777 & ~umask)
        for path, content in wanted.items():
            target = _target(staging, path)
            if path in unchanged:
                os.link(out / path, target)
            elif isinstance(content, Path):
                shutil.copyfile(content, target)
            else:
                target.write_bytes(content)
        _swap(staging, out)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise HelpgenError(f"could not write the site: {error.strerror or error}", out, None,
                           "check free disk space and permissions; the previous site is "
                           "unchanged") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return True


def _same(existing: Path, content: bytes | Path) -> bool:
    """Whether the previous output already has this file, byte for byte."""
    try:
        if not existing.is_file() or existing.is_symlink():
            return False
        if isinstance(content, Path):
            return filecmp.cmp(existing, content, shallow=False)
        return existing.stat().st_size == len(content) and existing.read_bytes() == content
    except OSError:
        return False


def _file_count(folder: Path) -> int:
    return sum(len(names) for _, _, names in os.walk(folder)) if folder.is_dir() else -1


def _target(root: Path, relative: str) -> Path:
    target = (root / relative).resolve()
    if root.resolve() not in target.parents:
        raise HelpgenError(f"refusing to write outside the output folder: {relative}")
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


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
