"""Same output before and after a change: build the same sites with two versions of helpgen and
compare every file byte for byte. The invariant of refactorings (issue 14: "the output of
`helpgen build` … is byte-identical before and after").

    python benchmarks/same_output.py [--base REV] [--sizes 1000] [--keep]

The base version is helpgen/ and themes/ at git revision REV (default: HEAD), extracted with
`git archive`; the other is the working tree, copied when the run starts. Each site is copied
once and both versions build that copy (`build --no-cache -q` into two output folders), so both
read the same files with the same modification times:

  - example-site (bundled);
  - the corpora in ../shared/corpora (or $HELPGEN_CORPORA), when present: audacity-en as it is,
    tidb-zh with the alias lines its base build reports as conflicts removed (it has real ones);
  - the synthetic benchmark corpus (benchmarks/corpus.py) at each --sizes count.

Prints one line per site and, for a site whose outputs differ, the first differing files; the
last line is `identical sites: N/M`. Exits 1 when a site differs or fails to build with either
version.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import corpus  # noqa: E402
from benchmarks.build import snapshot_code, tree_hashes  # noqa: E402

CORPORA = Path(os.environ.get("HELPGEN_CORPORA") or ROOT.parent / "shared" / "corpora")
ALIAS_CONFLICT = re.compile(r"^(articles/\S+\.md):(\d+): error: the alias '[^']+' is already taken")


def base_code(revision: str, dest: Path) -> Path:
    """helpgen/ and themes/ as they are at `revision`."""
    extracted = dest / "extracted"
    extracted.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "helpgen", "themes"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(extracted)], input=archive, check=True)
    return snapshot_code(extracted, dest / "code")


def build(code: Path, site: Path, out: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(code))
    return subprocess.run([sys.executable, "-m", "helpgen", "build", str(site), "-o", str(out),
                           "--no-cache", "-q"], env=env, cwd=code, capture_output=True, text=True)


def without_alias_conflicts(site: Path, stderr: str) -> bool:
    """Remove the alias lines a failed build named as conflicts; True if there were any."""
    lines_to_drop: dict[str, set[int]] = {}
    for line in stderr.splitlines():
        if match := ALIAS_CONFLICT.match(line):
            lines_to_drop.setdefault(match[1], set()).add(int(match[2]))
    for name, numbers in lines_to_drop.items():
        path = site / name
        lines = path.read_text(encoding="utf-8").split("\n")
        path.write_text("\n".join(line for number, line in enumerate(lines, 1)
                                  if number not in numbers), encoding="utf-8")
    return bool(lines_to_drop)


def differences(first: Path, second: Path) -> list[str]:
    a, b = tree_hashes(first), tree_hashes(second)
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


def compare(name: str, site: Path, base: Path, head: Path, work: Path) -> bool:
    outputs = work / "out" / name
    before = build(base, site, outputs / "base")
    if before.returncode == 1 and without_alias_conflicts(site, before.stderr):
        before = build(base, site, outputs / "base")
    after = build(head, site, outputs / "head")
    for version, result in (("base", before), ("working tree", after)):
        if result.returncode != 0:
            print(f"{name}: the {version} build failed (exit {result.returncode}):\n"
                  f"{result.stderr[-2000:]}")
            return False
    changed = differences(outputs / "base", outputs / "head")
    files = len(tree_hashes(outputs / "head"))
    if not changed:
        print(f"{name}: identical ({files} files)")
        return True
    print(f"{name}: {len(changed)} of {files} files differ, e.g.:")
    for path in changed[:10]:
        print(f"    {path}")
    return False


def sites(work: Path, sizes: list[int]) -> list[tuple[str, Path]]:
    """The sites to compare, each copied into `work` (the originals stay untouched)."""
    ignore = shutil.ignore_patterns("site", ".helpgen-cache")
    found = [("example-site", shutil.copytree(ROOT / "example-site", work / "example-site",
                                              ignore=ignore))]
    for corpus_name in ("audacity-en", "tidb-zh"):
        if (CORPORA / corpus_name).is_dir():
            found.append((corpus_name, shutil.copytree(CORPORA / corpus_name, work / corpus_name,
                                                       ignore=ignore)))
        else:
            print(f"{corpus_name}: not at {CORPORA / corpus_name}, skipped")
    for size in sizes:
        folder = work / f"corpus-{size}"
        corpus.generate(folder, count=size, seed=0)
        found.append((folder.name, folder))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="HEAD", help="git revision to compare with")
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000])
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="helpgen-same-output-"))
    try:
        base = base_code(args.base, work / "base")
        head = snapshot_code(ROOT, work / "head")
        results = [compare(name, site, base, head, work)
                   for name, site in sites(work / "sites", args.sizes)]
        print(f"identical sites: {sum(results)}/{len(results)}")
        return 0 if all(results) else 1
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
