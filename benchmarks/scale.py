"""Scale benchmark: a cold build of a large site, its wall time and peak memory, stage by stage.

    python benchmarks/scale.py [--sizes 10000 100000] [--out scale.json] [--helpgen-root DIR]
                               [--corpora DIR] [--workdir DIR] [--keep]
                               [--memory-limit MB] [--timeout SECONDS]

For each size N: the corpus of benchmarks/corpus.py (N English articles, N zh-CN and N/3 zh-TW
translations), generated once into `--corpora` (kept there and reused when it exists: 100,000
articles take minutes to generate), then one cold build (no output folder, no cache) in a fresh
process, measured as build.py measures every build (`build.measure`: wall, CPU, peak PSS of the
whole process tree, pool workers included, sampled every 0.1 s). The child builds as
`helpgen build SITE -o OUT -q` does (`pipeline.build`) and reports when each stage starts, so
the peak can be put in the stage that reached it. A build whose tree passes --memory-limit
(default 20,000 MB) or runs past --timeout is stopped, and recorded as far as it got. Then the
pages (`*.html`), files and bytes written. `--helpgen-root DIR` measures the `helpgen/` and `themes/` of another checkout (e.g.
`git archive main | tar -x -C /tmp/main`): the "before" of a change.

Prints one line per size and per stage, writes JSON. See benchmarks/README.md, "Scale".
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __name__ != "__main__" or sys.argv[1:2] != ["--child"]:
    # Not in the build's process, which takes helpgen from --helpgen-root alone.
    sys.path.insert(0, str(ROOT))
    from benchmarks import build as speed
    from benchmarks import corpus


def _child(site: str, out: str, stages: str) -> int:
    """Build `site` into `out` as the CLI does, writing when each stage starts to `stages`."""
    from helpgen.infra.progress import Progress
    from helpgen.pipeline import build

    log = open(stages, "w", encoding="utf-8")

    class Stages(Progress):
        def stage(self, name: str, total: int | None = None) -> None:
            log.write(json.dumps([time.time(), name]) + "\n")
            log.flush()

    result = build(Path(site), Path(out), progress=Stages())
    log.write(json.dumps([time.time(), "done"]) + "\n")
    log.close()
    return 1 if result.report.failed else 0


def _timeline_measure(cmd: list[str], env: dict, cwd: Path, limit_mb: float,
                      timeout: float | None) -> tuple[dict, list, bool]:
    """build.measure, the PSS of the process tree every 0.1 s as (time, MB), and whether the
    build was stopped for passing `limit_mb` (its process group killed: on a shared machine,
    before the kernel's out-of-memory killer picks some other process)."""
    samples: list = []
    original = speed._tree_pss_kb
    over = []

    def sampled(root: int) -> int:
        kb = original(root)
        samples.append((time.time(), kb / 1024))
        if kb / 1024 > limit_mb and not over:
            over.append(True)
            os.killpg(root, 9)
        return kb
    speed._tree_pss_kb = sampled
    try:
        return speed.measure(cmd, cwd=cwd, env=env, timeout=timeout), samples, bool(over)
    finally:
        speed._tree_pss_kb = original


def _per_stage(samples: list, stages: list) -> list[dict]:
    """Each stage's seconds and the highest PSS sampled while it ran."""
    rows = []
    for (start, name), (end, _) in zip(stages, stages[1:]):
        inside = [mb for when, mb in samples if start <= when < end]
        rows.append({"stage": name, "seconds": round(end - start, 2),
                     "peak_mb": round(max(inside, default=0))})
    return rows


def run_size(size: int, args) -> dict:
    site = Path(args.corpora) / f"corpus-{size}"
    if not (site / "known-items.json").is_file() or \
            json.loads((site / "known-items.json").read_text())["count"] != size:
        started = time.perf_counter()
        corpus.generate(site, size, 0)
        speed.log(f"[{size}] corpus generated in {time.perf_counter() - started:.0f}s")
    work = Path(tempfile.mkdtemp(prefix=f"scale-{size}-", dir=args.workdir))
    try:
        copy = work / "site"                   # the build's cache goes in the site folder
        shutil.copytree(site, copy)
        out, stages = work / "out", work / "stages.jsonl"
        env = dict(os.environ, XDG_CACHE_HOME=str(work / "xdg"),
                   PYTHONPATH=str(args.helpgen_root))
        env.pop("HELPGEN_DEBUG", None)
        run, samples, over = _timeline_measure(
            [sys.executable, __file__, "--child", str(copy), str(out), str(stages)], env, work,
            args.memory_limit, args.timeout)
        stopped = "memory" if over else "time" if run["timed_out"] else None
        if run["exit_code"] != 0 and not stopped:
            raise RuntimeError(f"the build failed:\n{run['stdout']}\n{run['stderr']}")
        lines = [json.loads(line) for line in stages.read_text().splitlines()]
        if stopped:                      # the stage it was in ends with the measurement
            lines.append([samples[-1][0] if samples else time.time(), "stopped"])
        files = [path for path in out.rglob("*") if path.is_file()] if not stopped else []
        row = {"size": size, "stopped": stopped, "articles": sum(json.loads(
                   (site / "known-items.json").read_text())["locales"].values()),
               "wall": round(run["wall"], 2), "cpu": round(run["cpu"], 1),
               "peak_pss_mb": round(run["peak_tree_mb"]),
               "max_rss_mb": round(run["max_rss_mb"]),
               "others_during": round(run["others_during"], 2),
               "pages": sum(1 for path in files if path.suffix == ".html"),
               "files": len(files), "output_mb": round(sum(
                   path.stat().st_size for path in files) / 2**20),
               "stages": _per_stage(samples, lines)}
        if stopped:
            speed.log(f"[{size}] stopped ({stopped}: --memory-limit {args.memory_limit:.0f} MB, "
                      f"--timeout {args.timeout}) in stage {lines[-2][1]!r}")
        speed.log(f"[{size}] {row['articles']:,} articles: {row['wall']:.1f}s wall, "
                  f"{row['cpu']:.0f}s CPU, peak PSS {row['peak_pss_mb']} MB, {row['pages']:,} "
                  f"pages, {row['files']:,} files, {row['output_mb']:,} MB")
        for stage in row["stages"]:
            speed.log(f"    {stage['stage']:<28} {stage['seconds']:7.1f}s  "
                      f"peak {stage['peak_mb']:6} MB")
        return row
    finally:
        if args.keep:
            speed.log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--out", default="scale.json")
    parser.add_argument("--helpgen-root", type=Path, default=ROOT)
    parser.add_argument("--corpora", default=str(Path(tempfile.gettempdir()) / "helpgen-scale"))
    parser.add_argument("--workdir", default=None)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--memory-limit", type=float, default=20_000, metavar="MB",
                        help="stop a build whose process tree passes this PSS (default 20,000)")
    parser.add_argument("--timeout", type=float, default=None, metavar="SECONDS")
    args = parser.parse_args(argv)
    results = [run_size(size, args) for size in args.sizes]
    Path(args.out).write_text(json.dumps({"helpgen_root": str(args.helpgen_root.resolve()),
                                          "machine": speed.machine(), "results": results},
                                         indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(_child(*sys.argv[2:]) if sys.argv[1:2] == ["--child"] else main())
