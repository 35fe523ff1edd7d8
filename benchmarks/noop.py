"""No-op build speed: a build with nothing to do against the same build with the libraries it
avoids loading loaded first, in the same run.

    python benchmarks/noop.py [--size 200] [--repeats 9] [--goal 0.65] [--max-seconds S]

Generates a corpus (benchmarks/corpus.py, `--size` English articles plus translations) and builds
it once. A build with nothing to do is then answered by the build stamp without converting,
rendering or indexing, so it must not import Markdown, Jinja2, lunr, Pygments,
pymdown-extensions, Material, nor helpgen's render, check and serve modules (HEAVY; importing
them took half of its time). The script alternates, `--repeats` times, each in a fresh process,
`python -m helpgen build SITE -q` with nothing changed and the baseline: the same build in a
process that imports HEAVY first. It compares the quickest of each (other work on the machine
only ever adds time) against `--goal`, and lists which HEAVY modules the no-op build imported
(`-X importtime`), so a regression shows what it pulled in. `--max-seconds` also holds the
quickest no-op build to an absolute time (issue 18: 0.5 s at `--size 10000`). Every process
loads helpgen's compiled bytecode, kept in the temporary folder, as an installed helpgen does:
with PYTHONDONTWRITEBYTECODE set, each would compile helpgen's modules first (0.2-0.45 s on 2
shared cores). Exit status 1 when a goal is missed or one of them was imported.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import corpus  # noqa: E402

# What a build with nothing to do must not import (the stages after reading, and their libraries).
HEAVY = ("markdown", "jinja2", "lunr", "pygments", "pymdownx", "material",
         "helpgen.output.pages", "helpgen.output.theme", "helpgen.output.assets",
         "helpgen.commands.check", "helpgen.commands.serve")


def run(args: list[str], env: dict) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr}")
    return seconds, done


def imported(site: Path, env: dict) -> list[str]:
    """The HEAVY modules a no-op build imports (python -X importtime lists every import)."""
    _, done = run(["-X", "importtime", "-m", "helpgen", "build", str(site), "-q"], env)
    names = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()
             if line.startswith("import time:")}
    return sorted(name for name in names if name in HEAVY)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=200, help="English articles (default 200)")
    parser.add_argument("--repeats", type=int, default=9, help="runs of each (default 9)")
    parser.add_argument("--goal", type=float, default=0.65,
                        help="highest no-op build / baseline ratio (default 0.65)")
    parser.add_argument("--max-seconds", type=float,
                        help="longest quickest no-op build, in seconds (default: not checked)")
    args = parser.parse_args()
    # The corpus is written moments before: without this, its files are too recent for the
    # build to store a stamp (signatures.racy_window), and no build would be a no-op.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HELPGEN_SETTLE_SECONDS": "0"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory(prefix="helpgen-noop-") as folder:
        env["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "bytecode")
        site = Path(folder) / "site"
        corpus.generate(site, args.size)
        run(["-m", "helpgen", "build", str(site), "-q"], env)
        noop = run(["-m", "helpgen", "build", str(site), "--verbose"], env)[1]
        if "Nothing built" not in noop.stdout:
            raise SystemExit(f"the second build was not a no-op:\n{noop.stdout}")
        loaded = (f"import {', '.join(HEAVY)}; from helpgen.commands.cli import main; "
                  f"main(['build', {str(site)!r}, '-q'])")
        baseline, build = [], []
        for _ in range(args.repeats):
            baseline.append(run(["-c", loaded], env)[0])
            build.append(run(["-m", "helpgen", "build", str(site), "-q"], env)[0])
        heavy = imported(site, env)
    ratio = min(build) / min(baseline)
    fast_enough = args.max_seconds is None or min(build) <= args.max_seconds
    print(f"no-op build of {args.size} articles (+ translations): {min(build):.3f} s; the same "
          f"with the libraries loaded first: {min(baseline):.3f} s (quickest of {args.repeats})")
    print(f"no-op / baseline: {ratio:.2f}x (goal <= {args.goal}): "
          f"{'met' if ratio <= args.goal else 'MISSED'}")
    if args.max_seconds is not None:
        print(f"no-op build: {min(build):.3f} s (goal <= {args.max_seconds} s): "
              f"{'met' if fast_enough else 'MISSED'}")
    print("modules a no-op build must not import, imported: " + (", ".join(heavy) or "none"))
    return 0 if ratio <= args.goal and fast_enough and not heavy else 1


if __name__ == "__main__":
    sys.exit(main())
