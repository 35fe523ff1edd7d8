"""Build-speed benchmark: helpgen's cold, no-op and one-edit builds against MkDocs, Material for
MkDocs, Hugo and Python-Markdown alone, on the same synthetic corpus, in one run.

    python benchmarks/build.py [--sizes 1000 5000 10000] [--peers mkdocs,material,hugo]
                               [--out results.json] [--peer-timeout 300] [--repeats 3] [--keep]

For each size N (English articles; the corpus also has N zh-CN and N/3 zh-TW translations, see
benchmarks/corpus.py):
  1. generate the corpus once, and from its default-locale (English) articles, copied as they are,
     an MkDocs project (plain `mkdocs` theme, default settings), a Material for MkDocs project
     (the Markdown extensions helpgen enables, built-in search plugin on) and a minimal Hugo site;
  2. helpgen, each build a fresh `python -m helpgen build SITE -o OUT -q` process:
       cold      no output folder and no cache (everything the previous builds left in the site
                 folder, beside the output folder or in XDG_CACHE_HOME is set aside first:
                 moved to the run's trash folder, deleted when the run ends, see set_aside());
       no-op     the same input again;
       one-edit  a sentence appended to one English article, then a build (the page is checked to
                 hold the new sentence);
     then a cold build of the edited input, whose output must equal the one-edit build's
     (--no-verify-edit skips it); then, per kind of --edits, one edit and a build, reporting the
     pages it rendered, each followed by such a cold build: a title changed, an article (with
     its translations) moved to another category's section; then `helpgen serve` in a fresh process (its LiveServer): after
     its first build, --repeats edits of other articles, each timed from the file's save to the
     reload event sent to the browsers (the one-edit goal is judged there, see the README), and
     one edit of each other kind;
     all of this twice: on a copy holding the English articles alone, the peers' input, on
     which the goals are judged (the issue: the peers "building the same Markdown"), then on
     the whole corpus, every locale (--no-same-input skips the first);
  3. Python-Markdown alone: every article body converted by one Markdown instance configured as
     helpgen's, in one process (no templates, no search index, nothing written);
  4. `mkdocs build -q` with the plain theme and with Material, `hugo --quiet` (if installed).
Every build is a subprocess: wall time, CPU time (user + sys of the process and its children),
largest single-process RSS (wait4) and peak memory of the whole process tree (sum of PSS,
sampled every 0.1 s: counts pool workers once each, shared pages once). Runs shorter than
--repeat-below seconds are repeated (--repeats) and the quickest is reported (other work on the
machine only ever adds time). Before each build the benchmark writes back what earlier runs left
in memory (sync) and waits (at most --quiet-wait s) for other processes to go quiet, and it
records how many cores they kept busy during the build.
helpgen/ and themes/ are copied at the start, so every build of a run measures the same code even
while the working tree changes.

Prints a table and the ratios against the goals, writes JSON. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import corpus  # noqa: E402

PEERS = ("mkdocs", "material", "hugo")
DEFAULT_LOCALE = "en"

# The goals of the build-speed issue, as ratios measured in one run.
GOAL_VS_MATERIAL = 1 / 10     # helpgen cold <= 1/10 of MkDocs + Material
GOAL_VS_HUGO = 5              # helpgen cold within 5x of Hugo
GOAL_NOOP = 1 / 10            # no-op rebuild <= 1/10 of helpgen's cold build
GOAL_EDIT_SECONDS = 0.5       # one-edit rebuild under 0.5 s ...
GOAL_EDIT_SIZE = 1000         # ... at 1,000 articles

# helpgen's Markdown configuration (helpgen/content/markup.py, MarkdownRenderer), minus its link
# pass.

MATERIAL_YML = """\
site_name: Tallybook Help Center
site_url: https://help.tallybook.example/
docs_dir: docs
site_dir: {site_dir}
theme:
  name: material
plugins:
  - search
markdown_extensions:
  - abbr
  - admonition
  - attr_list
  - def_list
  - footnotes:
      BACKLINK_TITLE: ""
  - md_in_html
  - tables
  - toc:
      permalink: "#"
      toc_depth: 2-3
  - pymdownx.betterem
  - pymdownx.caret
  - pymdownx.details
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
  - pymdownx.highlight:
      css_class: highlight
      pygments_lang_class: true
  - pymdownx.inlinehilite
  - pymdownx.keys
  - pymdownx.mark
  - pymdownx.smartsymbols
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
  - pymdownx.tasklist:
      custom_checkbox: true
  - pymdownx.tilde
"""

MKDOCS_YML = """\
site_name: Tallybook Help Center
site_url: https://help.tallybook.example/
docs_dir: docs
site_dir: {site_dir}
"""

HUGO_CONFIG = """\
baseURL = "https://help.tallybook.example/"
title = "Tallybook Help Center"
languageCode = "en"
[markup.goldmark.renderer]
  unsafe = true
[markup.tableOfContents]
  startLevel = 2
  endLevel = 3
"""

HUGO_HEAD = ('<!doctype html><html lang="en"><head><meta charset="utf-8">'
             '<meta name="viewport" content="width=device-width, initial-scale=1">'
             '<title>{{ .Title }} · {{ .Site.Title }}</title>'
             '<meta name="description" content="{{ .Description }}"></head><body>'
             '<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>')
HUGO_LAYOUTS = {
    "single.html": HUGO_HEAD + (
        '<nav>{{ range .Ancestors.Reverse }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> › '
        '{{ end }}</nav><main><h1>{{ .Title }}</h1>'
        '{{ with .Params.updated }}<p>Updated {{ . }}</p>{{ end }}'
        '<aside>{{ .TableOfContents }}</aside><article>{{ .Content }}</article></main>'
        '</body></html>\n'),
    "list.html": HUGO_HEAD + (
        '<main><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">'
        '{{ .Title }}</a> {{ .Description }}</li>{{ end }}</ul></main></body></html>\n'),
    "index.html": HUGO_HEAD + (
        '<main><h1>{{ .Site.Title }}</h1><ul>{{ range .Site.Sections }}<li>'
        '<a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ len .RegularPagesRecursive }})</li>'
        '{{ end }}</ul></main></body></html>\n'),
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- measuring a subprocess -------------------------------------------------------------------

def _process_table() -> dict[int, int]:
    """{pid: parent pid} of every process (from /proc)."""
    parents = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat[stat.rindex(b")") + 2:].split()[1])
    return parents


def _tree_pss_kb(root: int) -> int:
    """Sum of PSS of `root` and its descendants, in KB (RSS when smaps_rollup is unreadable)."""
    parents = _process_table()
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, ()))
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
                match = re.search(rb"^Pss:\s+(\d+) kB", f.read(), re.M)
            total += int(match.group(1)) if match else 0
        except (OSError, ValueError):
            try:
                with open(f"/proc/{pid}/statm", "rb") as f:
                    total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
            except OSError:
                pass
    return total


def _busy_seconds() -> float:
    """CPU seconds spent busy by the whole machine since boot (all cores, /proc/stat)."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:9]]
    return (sum(values) - values[3] - values[4]) / CLOCK_TICKS     # minus idle and iowait


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
QUIET = {"max_wait": 30.0, "threshold": 0.5}   # set from --quiet-wait / --quiet-threshold


def wait_for_quiet() -> float:
    """Wait (at most QUIET['max_wait'] s) until other processes use less than
    QUIET['threshold'] cores over one second; returns the cores in use when it stopped waiting.
    The machine may be shared: other work slows every build down, and not evenly."""
    deadline = time.monotonic() + QUIET["max_wait"]
    while True:
        before = _busy_seconds()
        time.sleep(1.0)
        busy = _busy_seconds() - before
        if busy <= QUIET["threshold"] or time.monotonic() >= deadline:
            return busy
        time.sleep(1.0)


TRASH: list[Path] = []           # [the run's trash folder], set by main()


def set_aside(path: Path) -> None:
    """Move `path` (what a previous build left) into the run's trash folder, deleted when the
    run ends, instead of deleting it now. For about 30 s after deleting files, ext4 creates new
    ones more slowly (it avoids reusing the freed inodes: kernel `recently_deleted()`): a cold
    build timed right after deleting the previous build's output ran up to a second slower,
    Hugo's as well, and by how much varied from run to run."""
    if not (path.exists() or path.is_symlink()):
        return
    TRASH[0].mkdir(exist_ok=True)
    try:
        path.rename(Path(tempfile.mkdtemp(dir=TRASH[0])) / path.name)
    except OSError:                  # on another file system (--workdir): deleted after all
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def measure(cmd: list[str], cwd: Path | None = None, env: dict | None = None,
            sample: float = 0.1, timeout: float | None = None) -> dict:
    """Run `cmd` to completion, after waiting for a quiet machine. Wall seconds, CPU seconds
    (user + sys, children included), the largest single-process RSS (MB, from wait4), the peak
    PSS of the process tree (MB), and how many cores other processes kept busy meanwhile.
    After `timeout` seconds the command's process group is killed and `timed_out` is set: its
    wall time is then a lower bound."""
    os.sync()                    # what earlier runs left to write back is not written meanwhile
    busy_before = wait_for_quiet()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        machine_busy = _busy_seconds()
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err,
                                start_new_session=True)
        peak = [0]
        timed_out = threading.Event()

        def kill():
            timed_out.set()
            try:
                os.killpg(proc.pid, 9)      # the group this Popen started, and only it
            except ProcessLookupError:
                pass
        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        done = threading.Event()

        def sampler():
            while not done.is_set():
                try:
                    peak[0] = max(peak[0], _tree_pss_kb(proc.pid))
                except Exception:  # noqa: BLE001 - a process vanishing mid-scan is normal
                    pass
                done.wait(sample)
        thread = threading.Thread(target=sampler, daemon=True)
        thread.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        if timer:
            timer.cancel()
        machine_busy = _busy_seconds() - machine_busy
        done.set()
        thread.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    cpu = usage.ru_utime + usage.ru_stime
    return {"wall": wall, "cpu": cpu,
            "max_rss_mb": usage.ru_maxrss / 1024, "peak_tree_mb": peak[0] / 1024,
            "exit_code": proc.returncode, "timed_out": timed_out.is_set(), "stdout": stdout[-4000:], "stderr": stderr[-4000:],
            "others_before": busy_before,
            "others_during": max(0.0, machine_busy - cpu) / wall if wall else 0.0}


def summarize(runs: list[dict]) -> dict:
    """One row from repeated runs: the quickest run (other work on the machine only ever adds
    time), the median, and the highest memory."""
    best = min(runs, key=lambda r: r["wall"])
    return {"wall": best["wall"], "cpu": best["cpu"],
            "wall_median": statistics.median(r["wall"] for r in runs),
            "max_rss_mb": max(r["max_rss_mb"] for r in runs),
            "peak_tree_mb": max(r["peak_tree_mb"] for r in runs),
            "runs": [round(r["wall"], 3) for r in runs],
            "warnings": max(r["stderr"].count("warning:") for r in runs),
            "others_during": round(best["others_during"], 2),
            "timed_out": best["timed_out"]}


def repeated(run_once, args, label: str) -> dict:
    """Call `run_once()` (-> measure() dict) once, and again up to --repeats times in all if it was
    quicker than --repeat-below seconds. Fails loudly on a non-zero exit code."""
    runs = []
    while True:
        run = run_once()
        if run["timed_out"]:
            runs.append(run)
            break
        if run["exit_code"] != 0:
            raise RuntimeError(f"{label} failed with exit code {run['exit_code']}:\n"
                               f"{run['stdout']}\n{run['stderr']}")
        runs.append(run)
        if len(runs) >= args.repeats or run["wall"] >= args.repeat_below:
            break
    row = summarize(runs)
    row["rendered"] = rendered(runs[-1])        # helpgen's builds: pages rendered anew
    if row["timed_out"]:
        log(f"    {label}: stopped after {row['wall']:.0f}s (--peer-timeout); its time is more")
        return row
    log(f"    {label}: {row['wall']:.2f}s wall, {row['cpu']:.1f}s CPU, "
        f"{row['peak_tree_mb']:.0f} MB peak (runs {row['runs']}; other processes used "
        f"{row['others_during']:.1f} cores meanwhile)")
    return row


# --- helpgen ------------------------------------------------------------------------------------

def tree_hashes(folder: Path) -> dict[str, str]:
    hashes = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            hashes[path.relative_to(folder).as_posix()] = hashlib.sha256(
                path.read_bytes()).hexdigest()
    return hashes


def listing(folder: Path) -> set[str]:
    if not folder.exists():
        return set()
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


class Helpgen:
    """helpgen builds of one site folder into one output folder, as the command line runs them.

    Output goes to `work/out/site`; `work/out` holds nothing else, so whatever a build leaves
    beside its output folder (staging folders, a cache) is found there. XDG_CACHE_HOME points to
    `work/xdg-cache`. A cold build deletes the output folder, those two folders and every path in
    the site folder that the corpus generator did not write.
    """

    def __init__(self, site: Path, work: Path, code: Path):
        self.site, self.work = site, work
        self.out_parent = work / "out"
        self.out = self.out_parent / "site"
        self.xdg = work / "xdg-cache"
        self.pristine = listing(site)
        self.env = dict(os.environ, XDG_CACHE_HOME=str(self.xdg),
                        PYTHONPATH=str(code) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        self.env.pop("HELPGEN_DEBUG", None)
        self.leftovers: set[str] = set()

    def command(self) -> list[str]:
        # --verbose: the last line says how many pages the build rendered (see rendered()).
        return [sys.executable, "-m", "helpgen", "build", str(self.site), "-o", str(self.out),
                "--verbose"]

    def clean(self) -> None:
        for folder in (self.out_parent, self.xdg):
            set_aside(folder)
        for rel in sorted(listing(self.site) - self.pristine, key=len):
            set_aside(self.site / rel)

    def build(self, cold: bool) -> dict:
        if cold:
            self.clean()
            # Setting aside changed the site folder: a build stamped within the racy window
            # of that change does not store its stamp (infra/stamp.py), so the no-op after it
            # would be a real build (at 10,000 articles it is not repeated).
            # (Imported here: a module-level import of helpgen would make the serve child
            # import ROOT's helpgen, not the copy being measured.)
            from helpgen.infra.signatures import RACY_NANOSECONDS
            time.sleep(RACY_NANOSECONDS / 1e9)
        run = measure(self.command(), cwd=self.work, env=self.env)
        self.note_leftovers()
        return run

    def note_leftovers(self) -> None:
        """Remember what builds leave outside the output folder (where a cache lives)."""
        self.leftovers |= {f"SITE/{p}" for p in listing(self.site) - self.pristine}
        self.leftovers |= {f"OUT_PARENT/{p}" for p in listing(self.out_parent)
                           if not (p == "site" or p.startswith("site/"))}
        self.leftovers |= {f"XDG_CACHE_HOME/{p}" for p in listing(self.xdg)}


EDIT_MARKER = "qxbenchedit"


def append_sentence(site: Path, item: dict, n: int) -> str:
    """Append a sentence with a unique word to the article of `item`; returns the word."""
    word = f"{EDIT_MARKER}{n}"
    path = site / item["path"]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + f"\n\nThis sentence was added by the benchmark as edit "
                    f"{n}, with the word {word}.\n", encoding="utf-8")
    return word


def retitle(site: Path, item: dict, n: int) -> tuple[str, str]:
    """Give the article of `item` a new title (a unique word added); returns the page that must
    show it and the word."""
    word = f"{EDIT_MARKER}{n}".capitalize()
    path = site / item["path"]
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'(?m)^title: "', f'title: "{word} ', text, count=1),
                    encoding="utf-8")
    return item["url"], word


def move(site: Path, item: dict, n: int) -> tuple[str, str]:
    """Move the article of `item` (its translations with it) to the first section of another
    category; returns its new page and "" (the page must exist). `item` is updated to where it
    now is."""
    path = site / item["path"]
    category = path.parent.parent
    destination = next(section for other in sorted(category.parent.iterdir())
                        if other.is_dir() and other != category
                        for section in sorted(other.iterdir()) if section.is_dir()
                        and not (section / path.name).exists())
    for source in path.parent.glob(path.stem + ".*"):
        source.rename(destination / source.name)
    item["path"] = (destination / path.name).relative_to(site).as_posix()
    item["url"] = f"{destination.relative_to(site / 'articles').as_posix()}/{path.stem}/"
    return item["url"], ""


def append(site: Path, item: dict, n: int) -> tuple[str, str]:
    return item["url"], append_sentence(site, item, n)


# The kinds of edit measured (--edits): what each does to one article, returning the page that
# must show the edit and a word it must hold. A title shows on every page that lists the
# article, a move changes its URL and two sections' listings: each should render those pages
# and no others.
EDITS = {"body": append, "title": retitle, "move": move}


def rendered(run: dict) -> int | None:
    """How many pages a build rendered rather than reused (its --verbose line)."""
    found = re.search(r"rendered (\d+) page", run["stdout"])
    return int(found[1]) if found else None


def kind_targets(site: Path) -> dict[str, list[dict]]:
    """The articles the title and move edits change: the last English ones (the body edits'
    targets are spread over the corpus, see edit_targets), the command line's first, then the
    live server's."""
    items = corpus.known_items(site, DEFAULT_LOCALE)
    return {kind: [items[-1 - 2 * i - number] for i in range(2)]
            for number, kind in enumerate(EDITS) if kind != "body"}


def edit_targets(site: Path, count: int) -> list[dict]:
    """Default-locale articles to edit, spread over the corpus, the same for a given corpus."""
    items = corpus.known_items(site, DEFAULT_LOCALE)
    step = max(1, len(items) // (count + 1))
    return [items[(i + 1) * step % len(items)] for i in range(count)]


def run_helpgen(site: Path, work: Path, args) -> dict:
    hg = Helpgen(site, work, args.code)
    result: dict = {}
    result["cold"] = repeated(lambda: hg.build(cold=True), args, "helpgen cold")
    cold_hashes = tree_hashes(hg.out)
    result["pages"] = sum(1 for p in cold_hashes if p.endswith(".html"))
    result["files"] = len(cold_hashes)
    result["output_mb"] = sum((hg.out / p).stat().st_size for p in cold_hashes) / 1e6

    result["noop"] = repeated(lambda: hg.build(cold=False), args, "helpgen no-op")
    noop_hashes = tree_hashes(hg.out)
    result["noop_output_identical"] = noop_hashes == cold_hashes

    targets = edit_targets(site, args.repeats)
    edits: list[dict] = []

    def edit_once():
        item = targets[len(edits) % len(targets)]
        word = append_sentence(site, item, len(edits) + 1)
        run = hg.build(cold=False)
        page = hg.out / item["url"] / "index.html"
        shown = page.is_file() and word in page.read_text(encoding="utf-8")
        indexed = any(word in p.read_text(encoding="utf-8", errors="replace")
                      for p in (hg.out / "_helpgen" / "search").rglob("*") if p.is_file()) \
            if (hg.out / "_helpgen" / "search").is_dir() else None
        edits.append({"article": item["path"], "word": word, "page_updated": shown,
                      "in_search_index": indexed})
        if not shown:
            log(f"    WARNING: after editing {item['path']}, {page} does not show the edit")
        return run
    before_edit = tree_hashes(hg.out)
    result["edit"] = repeated(edit_once, args, "helpgen one-edit")
    after_edit = tree_hashes(hg.out)
    result["edits"] = edits
    result["edit_files_changed"] = sum(1 for p in set(before_edit) | set(after_edit)
                                       if before_edit.get(p) != after_edit.get(p))

    if args.verify_edit:
        # The incremental output must equal a cold build of the same (edited) input.
        incremental = after_edit
        cold = hg.build(cold=True)
        if cold["exit_code"] != 0:
            raise RuntimeError(f"helpgen verification build failed:\n{cold['stderr']}")
        fresh = tree_hashes(hg.out)
        differ = sorted(p for p in set(fresh) | set(incremental)
                        if fresh.get(p) != incremental.get(p))
        result["edit_equals_cold"] = not differ
        result["edit_differs_from_cold"] = differ[:20]
        log(f"    verify: one-edit output {'equals' if not differ else 'DIFFERS from'} a cold "
            f"build of the same input" + (f" ({len(differ)} files, e.g. {differ[:3]})"
                                          if differ else ""))
    for kind, targets in kind_targets(site).items():
        if kind in args.edits:
            result[f"edit_{kind}"] = edit_kind(hg, kind, targets[0], args)
    result["leftovers"] = sorted(hg.leftovers)[:50]
    return result


def edit_kind(hg: Helpgen, kind: str, item: dict, args) -> dict:
    """One edit of `kind` and the build after it, on the command line: its time, how many pages
    it rendered and whether its output equals a cold build of the same input (the cold build
    also leaves the cache that the next kind's edit starts from)."""
    before, sources = tree_hashes(hg.out), listing(hg.site)
    url, word = EDITS[kind](hg.site, item, 1)
    # What the edit added to the site folder is input (a cold build must not set it aside).
    hg.pristine = hg.pristine - (sources - listing(hg.site)) | (listing(hg.site) - sources)
    run = hg.build(cold=False)
    if run["exit_code"] != 0:
        raise RuntimeError(f"helpgen {kind} edit failed:\n{run['stdout']}\n{run['stderr']}")
    after = tree_hashes(hg.out)
    page = hg.out / url / "index.html"
    row = {**summarize([run]), "rendered": rendered(run),
           "page_updated": page.is_file() and word in page.read_text(encoding="utf-8"),
           "files_changed": sum(1 for p in set(before) | set(after)
                                if before.get(p) != after.get(p))}
    if args.verify_edit:
        cold = hg.build(cold=True)
        if cold["exit_code"] != 0:
            raise RuntimeError(f"helpgen verification build failed:\n{cold['stderr']}")
        fresh = tree_hashes(hg.out)
        row["equals_cold"] = fresh == after
        row["differs_from_cold"] = sorted(p for p in set(fresh) | set(after)
                                          if fresh.get(p) != after.get(p))[:20]
    log(f"    helpgen {kind} edit: {row['wall']:.2f}s wall, rendered {row['rendered']} pages, "
        f"{row['files_changed']} files changed, page updated: {row['page_updated']}"
        + (f", equals a cold build: {row['equals_cold']}" if "equals_cold" in row else ""))
    return row


def run_helpgen_and_serve(site: Path, work: Path, args) -> dict:
    """helpgen's builds of `site` on the command line, then its one-edit in `helpgen serve`."""
    work.mkdir()
    result = run_helpgen(site, work, args)
    result["serve"] = run_serve(site, work, args)
    return result


def default_locale_site(site: Path, dest: Path) -> Path:
    """A copy of the corpus with its default-locale articles only: the peers' input."""
    shutil.copytree(site, dest, ignore=shutil.ignore_patterns(
        *(f"*.{locale}.md" for locale in corpus.LOCALES if locale != DEFAULT_LOCALE),
        ".helpgen-cache"))
    config = dest / "helpgen.yml"
    config.write_text(re.sub(r"(?m)^  others:.*\n", "", config.read_text(encoding="utf-8")),
                      encoding="utf-8")
    return dest


def _serve_child(code: str, site: str, report: str, targets: str, trash: str) -> int:
    """In a fresh process: `helpgen serve` (its LiveServer, in-process) on `site`; after its first
    build, each edit appends a sentence to an article and waits for the reload event sent to the
    browsers. Records, per edit, the seconds from the file's save to that event and those of the
    build inside it. The server's output folder is set aside before it stops (which would delete
    it): see set_aside()."""
    TRASH[:] = [Path(trash)]
    sys.path.insert(0, code)             # the copy being measured, not ROOT (see the top)
    from helpgen.commands import serve
    if not serve.__file__.startswith(code):
        raise RuntimeError(f"helpgen imported from {serve.__file__}, not from {code}")

    builds: list[float] = []
    pages: list[int] = []                # rendered by each build
    # What builds: the live session's build since issue 18, pipeline.build before (so that
    # --helpgen-root can measure an older checkout).
    owner, name = (serve.Session, "build") if hasattr(serve, "Session") else (serve, "run_build")
    run_build = getattr(owner, name)

    def timed_build(*args, **kwargs):
        started = time.perf_counter()
        try:
            result = run_build(*args, **kwargs)
            pages.append(result.work.get("page", 0))
            return result
        finally:
            builds.append(time.perf_counter() - started)
    setattr(owner, name, timed_build)
    server = serve.LiveServer(Path(site), port=0, echo=lambda *args, **kwargs: None)
    server.start()
    client = server.hub.subscribe()
    edits = []
    try:
        for n, (kind, item) in enumerate(json.loads(targets), start=1):
            url, word = EDITS[kind](Path(site), item, 1000 + n)
            saved = time.perf_counter()
            while True:
                message = client.get(timeout=300)
                if b"event: reload" in message or b"event: error" in message:
                    break
            reload = time.perf_counter() - saved
            page = server.out / url / "index.html"
            edits.append({"kind": kind, "article": item["path"], "save_to_reload": reload,
                          "build": builds[-1], "rendered": pages[-1],
                          "ok": b"event: reload" in message,
                          "page_updated": page.is_file() and word in page.read_text(
                              encoding="utf-8")})
    finally:
        if server.out is not None and server.out.is_dir():    # compared with a cold build
            server.out.rename(Path(report).with_name("serve-out"))
        set_aside(server.tmp)
        server.stop()
    Path(report).write_text(json.dumps({"first_build": builds[0], "edits": edits}))
    return 0


def run_serve(site: Path, work: Path, args) -> dict:
    """One-edit rebuilds in `helpgen serve` (a fresh process, the cache the CLI builds left)."""
    report = work / "serve.json"
    targets = [("body", item) for item in edit_targets(site, args.repeats + 1)[1:]] + [
        (kind, items[1]) for kind, items in kind_targets(site).items() if kind in args.edits]
    # (not the CLI's articles)
    env = dict(os.environ, PYTHONPATH=str(args.code) + os.pathsep
               + os.environ.get("PYTHONPATH", ""))
    wait_for_quiet()
    run = subprocess.run([sys.executable, __file__, "--serve-child", str(args.code), str(site),
                          str(report), json.dumps(targets), str(TRASH[0])], cwd=work, env=env,
                         capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"helpgen serve measurement failed:\n{run.stderr}")
    result = json.loads(report.read_text())
    body = [e for e in result["edits"] if e["kind"] == "body"]
    reloads = [e["save_to_reload"] for e in body]
    result["save_to_reload"] = min(reloads)
    result["save_to_reload_median"] = statistics.median(reloads)
    result["build"] = min(e["build"] for e in body)
    result["rendered"] = max(e["rendered"] for e in body)
    log(f"    helpgen serve one-edit: save to reload {result['save_to_reload']:.3f}s (build "
        f"{result['build']:.3f}s), median {result['save_to_reload_median']:.3f}s, rendered "
        f"{result['rendered']} pages")
    for edit in result["edits"]:
        if edit["kind"] != "body":
            result[edit["kind"]] = edit
            log(f"    helpgen serve {edit['kind']} edit: save to reload "
                f"{edit['save_to_reload']:.3f}s, rendered {edit['rendered']} pages, page "
                f"updated: {edit['page_updated']}")
    if args.verify_edit:
        # What the preview served after all its edits must equal a cold build of that input.
        served = tree_hashes(work / "serve-out")
        (work / "serve-verify").mkdir(parents=True, exist_ok=True)
        hg = Helpgen(site, work / "serve-verify", args.code)
        cold = hg.build(cold=True)
        if cold["exit_code"] != 0:
            raise RuntimeError(f"helpgen verification build failed:\n{cold['stderr']}")
        fresh = tree_hashes(hg.out)
        differ = sorted(p for p in set(fresh) | set(served) if fresh.get(p) != served.get(p))
        result["equals_cold"], result["differs_from_cold"] = not differ, differ[:20]
        log(f"    verify: what helpgen serve served after its edits "
            f"{'equals' if not differ else 'DIFFERS from'} a cold build of the same input"
            + (f" ({len(differ)} files, e.g. {differ[:3]})" if differ else ""))
    return result


# --- the code under test ----------------------------------------------------------------------

def code_fingerprint(root: Path) -> str:
    hasher = hashlib.sha256()
    for folder in ("helpgen", "themes"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                hasher.update(path.relative_to(root).as_posix().encode() + b"\0")
                hasher.update(path.read_bytes())
    return hasher.hexdigest()[:16]


def snapshot_code(source: Path, dest: Path) -> Path:
    """Copy helpgen/ and themes/ so that every build of this run uses the same code, however the
    working tree changes meanwhile; check that `python -m helpgen` then imports the copy."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(source / "helpgen", dest / "helpgen", ignore=ignore)
    if (source / "themes").is_dir():
        shutil.copytree(source / "themes", dest / "themes", ignore=ignore)
    env = dict(os.environ, PYTHONPATH=str(dest) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    where = subprocess.run([sys.executable, "-c", "import helpgen; print(helpgen.__file__)"],
                           env=env, cwd=dest, capture_output=True, text=True).stdout.strip()
    if not where.startswith(str(dest)):
        raise RuntimeError(f"python imports helpgen from {where!r}, not from the copy in {dest}")
    # Compile once, so that no measured build pays for it.
    subprocess.run([sys.executable, "-m", "helpgen", "--version"], env=env, cwd=dest,
                   capture_output=True)
    return dest


# --- Python-Markdown alone --------------------------------------------------------------------

def _split_front_matter(text: str) -> str:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[end + 5:]
    return text


def _markdown_child(articles: str, report: str) -> int:
    """In a fresh process: convert every article body with helpgen's Markdown configuration."""
    started = time.perf_counter()
    import markdown

    from helpgen.content.markup import EXTENSIONS, extension_configs   # the build's own configuration
    imported = time.perf_counter()
    md = markdown.Markdown(extensions=list(EXTENSIONS), extension_configs=extension_configs(),
                           output_format="html")
    per_locale: dict[str, dict] = {}
    for path in sorted(Path(articles).rglob("*.md")):
        parts = path.name.split(".")
        locale = parts[-2] if len(parts) > 2 else DEFAULT_LOCALE
        body = _split_front_matter(path.read_text(encoding="utf-8"))
        t = time.perf_counter()
        md.reset()
        md.convert(body)
        slot = per_locale.setdefault(locale, {"articles": 0, "seconds": 0.0})
        slot["articles"] += 1
        slot["seconds"] += time.perf_counter() - t
    Path(report).write_text(json.dumps({
        "import_seconds": imported - started, "per_locale": per_locale,
        "convert_seconds": sum(s["seconds"] for s in per_locale.values()),
        "total_seconds": time.perf_counter() - started}))
    return 0


def run_markdown(site: Path, work: Path, args) -> dict:
    report = work / "markdown.json"

    def once():
        return measure([sys.executable, __file__, "--markdown-child", str(site / "articles"),
                        str(report)], cwd=work)
    row = repeated(once, args, "Python-Markdown alone")
    row.update(json.loads(report.read_text()))
    return row


# --- peers --------------------------------------------------------------------------------------

def default_locale_articles(site: Path) -> list[Path]:
    """The corpus' default-locale articles (`name.md`, not `name.<locale>.md`)."""
    return [p for p in sorted((site / "articles").rglob("*.md")) if p.name.count(".") == 1]


def make_mkdocs(site: Path, project: Path, material: bool) -> None:
    docs = project / "docs"
    for path in default_locale_articles(site):
        target = docs / path.relative_to(site / "articles")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    template = MATERIAL_YML if material else MKDOCS_YML
    (project / "mkdocs.yml").write_text(template.format(site_dir=str(project / "site")),
                                        encoding="utf-8")


def make_hugo(site: Path, project: Path) -> None:
    content = project / "content"
    for path in default_locale_articles(site):
        target = content / path.relative_to(site / "articles")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    for folder in sorted({p.parent for p in content.rglob("*.md")}):
        # Section pages with titles, as helpgen's _category.yml / _section.yml give them.
        index = folder / "_index.md"
        if not index.exists():
            index.write_text(f"---\ntitle: {folder.name.replace('-', ' ').capitalize()}\n---\n",
                             encoding="utf-8")
        parent = folder.parent
        while parent != content and not (parent / "_index.md").exists():
            (parent / "_index.md").write_text(
                f"---\ntitle: {parent.name.replace('-', ' ').capitalize()}\n---\n",
                encoding="utf-8")
            parent = parent.parent
    layouts = project / "layouts" / "_default"
    layouts.mkdir(parents=True)
    for name, text in HUGO_LAYOUTS.items():
        (layouts / name).write_text(text, encoding="utf-8")
    (project / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")


def hugo_binary() -> str | None:
    return shutil.which("hugo")


def run_peer(name: str, project: Path, args, articles: int) -> dict:
    if name == "hugo":
        cache = project / ".hugo-cache"

        def once():
            for folder in (project / "public", project / "resources", cache):
                set_aside(folder)
            return measure([hugo_binary(), "--quiet", "-s", str(project), "-d",
                            str(project / "public"), "--cacheDir", str(cache)], cwd=project,
                           timeout=args.peer_timeout)
        row = repeated(once, args, "Hugo")
        out = project / "public"
    else:
        def once():
            set_aside(project / "site")
            return measure([sys.executable, "-m", "mkdocs", "build", "-q", "-f",
                            str(project / "mkdocs.yml")], cwd=project,
                           timeout=args.peer_timeout)
        row = repeated(once, args, "MkDocs + Material" if name == "material" else "MkDocs")
        out = project / "site"
    row["pages"] = None if row["timed_out"] else sum(1 for _ in out.rglob("*.html"))
    row["articles"] = articles
    return row


# --- one size -----------------------------------------------------------------------------------

def run_size(size: int, args) -> dict:
    """Everything measured at one size, in a folder of the run's (deleted when the run ends)."""
    work = Path(tempfile.mkdtemp(prefix=f"size-{size}-", dir=args.run_folder))
    site = work / "site"
    t = time.perf_counter()
    info = corpus.generate(site, size, args.seed)
    log(f"[{size}] corpus {info['articles']} in {time.perf_counter() - t:.1f}s ({work})")
    projects = {}
    for peer in args.peers:
        projects[peer] = work / f"peer-{peer}"
        if peer == "hugo":
            make_hugo(site, projects[peer])
        else:
            make_mkdocs(site, projects[peer], material=peer == "material")

    result = {"size": size, "articles": info["articles"],
              "articles_total": sum(info["articles"].values())}
    result["helpgen"] = run_helpgen_and_serve(site, work / "helpgen", args)
    if args.same_input:
        en_site = default_locale_site(site, work / "site-en")
        result["helpgen_en"] = run_helpgen_and_serve(en_site, work / "helpgen-en", args)
        result["helpgen_en"]["articles"] = len(default_locale_articles(en_site))
    result["markdown"] = run_markdown(site, work, args)
    result["peers"] = {}
    for peer in args.peers:
        if peer == "hugo" and not hugo_binary():
            result["peers"][peer] = None
            continue
        result["peers"][peer] = run_peer(peer, projects[peer], args,
                                         info["articles"][DEFAULT_LOCALE])
    result["ratios"] = ratios(result)
    return result


def ratios(r: dict) -> dict:
    """The goals' ratios, judged on the peers' input: the issue asks for the peers "building the
    same Markdown", the default-locale articles (`helpgen_en`). The same ratios of helpgen's
    build of every locale are given beside, prefixed `all_`. A peer stopped by --peer-timeout
    took longer than its recorded time, so a ratio over it is an upper bound (listed in
    `upper_bounds`): enough to show a goal met, not to show it missed."""
    peers = r["peers"]
    out: dict = {"upper_bounds": []}

    def over(key, numerator, peer, field):
        row = peers.get(peer)
        out[key] = numerator / row[field] if row and numerator is not None else None
        if row and row["timed_out"]:
            out["upper_bounds"].append(key)

    for prefix, hg in (("", r.get("helpgen_en")), ("all_", r["helpgen"])):
        if hg is None:
            continue
        cold = hg["cold"]
        over(f"{prefix}cold_vs_material", cold["wall"], "material", "wall")
        over(f"{prefix}cold_vs_mkdocs", cold["wall"], "mkdocs", "wall")
        over(f"{prefix}cold_vs_hugo", cold["wall"], "hugo", "wall")
        over(f"{prefix}cold_vs_material_cpu", cold["cpu"], "material", "cpu")
        over(f"{prefix}cold_vs_hugo_cpu", cold["cpu"], "hugo", "cpu")
        out.update({f"{prefix}noop_vs_cold": hg["noop"]["wall"] / cold["wall"],
                    f"{prefix}edit_seconds": hg["edit"]["wall"],
                    f"{prefix}serve_edit_seconds": hg["serve"]["save_to_reload"]})
    out["all_cold_vs_markdown_alone"] = r["helpgen"]["cold"]["wall"] / r["markdown"]["wall"]
    judged = "" if r.get("helpgen_en") else "all_"

    def at_most(key, limit):
        key = judged + key
        if out[key] is None:
            return None
        if out[key] <= limit:
            return True
        return None if key in out["upper_bounds"] else False

    out["judged_on"] = "default locale (the peers' input)" if not judged else "all locales"
    out["goals"] = {
        "cold build <= 1/10 of MkDocs + Material": at_most("cold_vs_material", GOAL_VS_MATERIAL),
        "cold build within 5x of Hugo": at_most("cold_vs_hugo", GOAL_VS_HUGO),
        "no-op rebuild <= 1/10 of cold build": at_most("noop_vs_cold", GOAL_NOOP),
        # Judged where a writer waits for one edit: in `helpgen serve` (see the README).
        f"one-edit rebuild < {GOAL_EDIT_SECONDS} s at {GOAL_EDIT_SIZE:,} articles": (
            at_most("serve_edit_seconds", GOAL_EDIT_SECONDS - 1e-9)
            if r["size"] == GOAL_EDIT_SIZE else None),
    }
    return out


# --- report -------------------------------------------------------------------------------------

def _s(value):
    if value is None:
        return "—"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _x(value):
    return "—" if value is None else f"{value:.2f}×" if value < 10 else f"{value:.1f}×"


def _mb(value):
    return "—" if value is None else f"{value:.0f}"


def _mark(met):
    return "n/a" if met is None else "met" if met else "MISSED"


ROWS = [
    (f"helpgen cold build, {DEFAULT_LOCALE} (the peers' input), search index included",
     lambda r: r.get("helpgen_en", {}).get("cold")),
    (f"helpgen no-op rebuild, {DEFAULT_LOCALE}", lambda r: r.get("helpgen_en", {}).get("noop")),
    (f"helpgen one-edit rebuild, command line, {DEFAULT_LOCALE}",
     lambda r: r.get("helpgen_en", {}).get("edit")),
    ("helpgen cold build, all locales", lambda r: r["helpgen"]["cold"]),
    ("helpgen no-op rebuild, all locales", lambda r: r["helpgen"]["noop"]),
    ("helpgen one-edit rebuild, command line, all locales", lambda r: r["helpgen"]["edit"]),
    ("helpgen title edit, command line, all locales", lambda r: r["helpgen"].get("edit_title")),
    ("helpgen move to another section, command line, all locales",
     lambda r: r["helpgen"].get("edit_move")),
    ("Python-Markdown alone, all locales, one process", lambda r: r["markdown"]),
    ("MkDocs, plain theme (en)", lambda r: r["peers"].get("mkdocs")),
    ("MkDocs + Material (en)", lambda r: r["peers"].get("material")),
    ("Hugo, minimal layout (en)", lambda r: r["peers"].get("hugo")),
]


def _bound(r: dict, key: str, fmt) -> str:
    text = fmt(r["ratios"][key])
    return f"< {text}" if key in r["ratios"]["upper_bounds"] else text


def table(results: list[dict]) -> str:
    """Markdown tables: times and memory per size, then the ratios against the goals."""
    sizes = [r["size"] for r in results]
    lines = ["| build | " + " | ".join(f"{s:,}: wall s | CPU s | peak MB" for s in sizes) + " |",
             "|---|" + "---:|---:|---:|" * len(sizes)]
    for label, get in ROWS:
        if all(get(r) is None for r in results):
            continue
        cells = []
        for r in results:
            value = get(r)
            if value is None:
                cells += ["—"] * 3
            elif value["timed_out"]:
                cells += [f"> {_s(value['wall'])}", f"> {_s(value['cpu'])}",
                          f"≥ {_mb(value['peak_tree_mb'])}"]
            else:
                cells += [_s(value["wall"]), _s(value["cpu"]), _mb(value["peak_tree_mb"])]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("| ratio (goal) | " + " | ".join(f"{s:,}" for s in sizes) + " |")
    lines.append("|---|" + "---:|" * len(sizes))
    specs = [
        ("helpgen cold / Material (≤ 0.10)", "cold_vs_material", _x,
         "cold build <= 1/10 of MkDocs + Material"),
        ("helpgen cold / Hugo (≤ 5×)", "cold_vs_hugo", _x, "cold build within 5x of Hugo"),
        ("no-op / cold (≤ 0.10)", "noop_vs_cold", _x, "no-op rebuild <= 1/10 of cold build"),
        (f"one-edit in helpgen serve, save to reload, s (< {GOAL_EDIT_SECONDS} at "
         f"{GOAL_EDIT_SIZE:,})", "serve_edit_seconds", _s,
         f"one-edit rebuild < {GOAL_EDIT_SECONDS} s at {GOAL_EDIT_SIZE:,} articles"),
    ]
    for label, key, fmt, goal in specs:
        for prefix, which in (("", f"{DEFAULT_LOCALE} (goal)"), ("all_", "all locales")):
            cells = []
            for r in results:
                met = r["ratios"]["goals"][goal] if not prefix else None
                value = _bound(r, prefix + key, fmt) if prefix + key in r["ratios"] else "—"
                cells.append(value if met is None else f"{value} {_mark(met)}")
            lines.append(f"| {label}, {which} | " + " | ".join(cells) + " |")
    for label, key, fmt in (("one-edit rebuild, command line, s", "edit_seconds", _s),
                            ("helpgen cold / Material, CPU seconds", "cold_vs_material_cpu", _x),
                            ("helpgen cold / Hugo, CPU seconds", "cold_vs_hugo_cpu", _x),
                            ("helpgen cold / MkDocs plain", "cold_vs_mkdocs", _x)):
        for prefix, which in (("", DEFAULT_LOCALE), ("all_", "all locales")):
            if any(r["ratios"].get(prefix + key) is not None for r in results):
                lines.append(f"| {label}, {which} | " + " | ".join(
                    _bound(r, prefix + key, fmt) if prefix + key in r["ratios"] else "—"
                    for r in results) + " |")
    lines.append("| helpgen cold, all locales / Python-Markdown alone | " + " | ".join(
        _x(r["ratios"]["all_cold_vs_markdown_alone"]) for r in results) + " |")
    lines.append("")
    for r in results:
        loc = ", ".join(f"{k} {v:,}" for k, v in r["articles"].items())
        others = [v["others_during"] for _, get in ROWS if (v := get(r)) is not None]
        stopped = [label for label, get in ROWS if (v := get(r)) is not None and v["timed_out"]]
        lines.append(f"- {r['size']:,}: articles per locale {loc} (helpgen builds the "
                     f"{r['articles'][DEFAULT_LOCALE]:,} {DEFAULT_LOCALE} ones, as the peers, "
                     f"and all {r['articles_total']:,}). Other processes kept {min(others):.1f}–"
                     f"{max(others):.1f} cores busy during these builds."
                     + (f" Stopped at --peer-timeout: {', '.join(stopped)}." if stopped else ""))
    return "\n".join(lines)


def details(results: list[dict]) -> str:
    lines = []
    for r in results:
        for name, hg in ((DEFAULT_LOCALE, r.get("helpgen_en")), ("all locales", r["helpgen"])):
            if hg is None:
                continue
            lines.append(
                f"{r['size']:,}, {name}: helpgen {hg['pages']:,} pages, {hg['files']:,} files, "
                f"{hg['output_mb']:.0f} MB; cold {hg['cold']['cpu']:.1f}s CPU, largest process "
                f"{hg['cold']['max_rss_mb']:.0f} MB RSS; no-op output identical to cold: "
                f"{hg['noop_output_identical']}; one-edit changed {hg['edit_files_changed']} "
                f"files, page updated: {all(e['page_updated'] for e in hg['edits'])}, in search "
                f"index: {all(e['in_search_index'] for e in hg['edits'])}"
                + (f"; equals a cold build: {hg['edit_equals_cold']}"
                   if "edit_equals_cold" in hg else ""))
            serve = hg["serve"]
            lines.append(
                f"    helpgen serve: first build {serve['first_build']:.2f}s; one edit: save to "
                f"reload {serve['save_to_reload']:.3f}s (median "
                f"{serve['save_to_reload_median']:.3f}s), of which the build "
                f"{serve['build']:.3f}s; pages updated: "
                f"{all(e['page_updated'] for e in serve['edits'])}; rendered "
                f"{serve.get('rendered')} pages")
            lines.append(f"    pages rendered: one-edit {hg['edit'].get('rendered')}" + "".join(
                f"; {kind} {hg[f'edit_{kind}']['rendered']} (files changed "
                f"{hg[f'edit_{kind}']['files_changed']}, equals a cold build: "
                f"{hg[f'edit_{kind}'].get('equals_cold')}; in serve "
                f"{serve[kind]['save_to_reload']:.3f}s, {serve[kind]['rendered']} pages)"
                for kind in EDITS if f"edit_{kind}" in hg and kind in serve))
            if hg["leftovers"]:
                lines.append(f"    left outside the output folder (cache): "
                             f"{hg['leftovers'][:5]}")
        md = r["markdown"]
        per = ", ".join(f"{k} {v['articles']:,} in {v['seconds']:.1f}s"
                        for k, v in md["per_locale"].items())
        lines.append(f"    Python-Markdown alone: {per} (+{md['import_seconds']:.1f}s imports)")
        for name, peer in r["peers"].items():
            if peer is None:
                lines.append(f"    {name}: skipped (not installed)")
            elif peer["timed_out"]:
                lines.append(f"    {name}: {peer['articles']:,} articles, stopped after "
                             f"{peer['wall']:.0f}s (--peer-timeout)")
            else:
                lines.append(f"    {name}: {peer['articles']:,} articles, {peer['pages']:,} pages,"
                             f" {peer['cpu']:.1f}s CPU, largest process "
                             f"{peer['max_rss_mb']:.0f} MB RSS")
    return "\n".join(lines)


def versions(root: Path) -> dict:
    def version(dist):
        try:
            from importlib.metadata import version as v
            return v(dist)
        except Exception:  # noqa: BLE001
            return None
    hugo = None
    if hugo_binary():
        hugo = subprocess.run([hugo_binary(), "version"], capture_output=True,
                              text=True).stdout.strip()
    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True).stdout.strip()
        dirty = bool(subprocess.run(["git", "-C", str(root), "status", "--porcelain",
                                     "helpgen"], capture_output=True, text=True).stdout.strip())
    except OSError:
        commit, dirty = None, None
    return {"helpgen_commit": commit, "helpgen_uncommitted_changes": dirty,
            "python": platform.python_version(), "mkdocs": version("mkdocs"),
            "mkdocs-material": version("mkdocs-material"), "markdown": version("markdown"),
            "pymdown-extensions": version("pymdown-extensions"), "hugo": hugo}


def machine() -> dict:
    model = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        memory = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError):
        pass
    return {"cores": os.cpu_count(), "cpu": model, "memory_gb": memory,
            "platform": platform.platform()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000],
                        help="English articles per corpus (zh-CN: as many, zh-TW: a third)")
    parser.add_argument("--peers", default=",".join(PEERS),
                        help="comma-separated: mkdocs, material, hugo (or 'none')")
    parser.add_argument("--out", default="results.json", help="JSON results file")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3,
                        help="runs of each build quicker than --repeat-below (median reported)")
    parser.add_argument("--repeat-below", type=float, default=10.0, metavar="SECONDS")
    parser.add_argument("--no-same-input", dest="same_input", action="store_false",
                        help="skip helpgen's builds of the default locale alone (the peers' "
                        "input, on which the goals are judged)")
    parser.add_argument("--no-verify-edit", dest="verify_edit", action="store_false",
                        help="skip the extra cold builds that check each edit's output")
    parser.add_argument("--edits", default=",".join(EDITS),
                        help=f"comma-separated kinds of edit measured after the body edits "
                        f"({', '.join(EDITS)}): a sentence appended, a title changed, an "
                        f"article moved to another category's section")
    parser.add_argument("--peer-timeout", type=float, default=300.0, metavar="SECONDS",
                        help="stop a peer's build after this long and report its time as more "
                        "than that (MkDocs slows down quadratically: ~7 min at 5,000 articles "
                        "plain, more with Material); 0: no limit")
    parser.add_argument("--quiet-wait", type=float, default=30.0, metavar="SECONDS",
                        help="before each build, wait at most this long for other processes to "
                        "use under --quiet-threshold cores")
    parser.add_argument("--quiet-threshold", type=float, default=0.5, metavar="CORES")
    parser.add_argument("--workdir", default=None, help="where temporary folders go")
    parser.add_argument("--keep", action="store_true", help="keep the generated folders")
    parser.add_argument("--helpgen-root", type=Path, default=ROOT,
                        help="checkout whose helpgen/ and themes/ are measured (copied at the "
                        "start of the run)")
    parser.add_argument("--markdown-child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--serve-child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.markdown_child:
        return _markdown_child(*args.markdown_child)
    if args.serve_child:
        return _serve_child(*args.serve_child)
    args.edits = {kind.strip() for kind in args.edits.split(",")} | {"body"}
    if args.edits - set(EDITS):
        parser.error(f"unknown edit kind(s) {sorted(args.edits - set(EDITS))}")
    args.peers = [] if args.peers == "none" else [p.strip() for p in args.peers.split(",")
                                                  if p.strip()]
    unknown = [p for p in args.peers if p not in PEERS]
    if unknown:
        parser.error(f"unknown peer(s) {unknown}; choose from {', '.join(PEERS)}")
    if "hugo" in args.peers and not hugo_binary():
        log("hugo is not installed (Debian: apt-get install -y hugo): Hugo is skipped")

    QUIET.update(max_wait=args.quiet_wait, threshold=args.quiet_threshold)
    started = time.perf_counter()
    tools = versions(args.helpgen_root)          # before the run: the code that is measured
    args.run_folder = Path(tempfile.mkdtemp(prefix="helpgen-build-bench-", dir=args.workdir))
    TRASH[:] = [args.run_folder / "trash"]
    snapshot = args.run_folder / "code"
    results = []
    try:
        args.code_fingerprint = code_fingerprint(args.helpgen_root.resolve())
        args.code = snapshot_code(args.helpgen_root.resolve(), snapshot)
        log(f"measuring helpgen from {args.helpgen_root} (code {args.code_fingerprint}), "
            f"copied to {snapshot}")
        # Warm MkDocs' bytecode cache too, so that no measured run compiles it.
        subprocess.run([sys.executable, "-m", "mkdocs", "--version"], capture_output=True)
        for size in args.sizes:
            t = time.perf_counter()
            result = run_size(size, args)
            result["seconds"] = time.perf_counter() - t
            results.append(result)
            log(f"[{size}] done in {result['seconds']:.0f}s")
    finally:
        if args.keep:
            log(f"kept {args.run_folder}")
        else:
            shutil.rmtree(args.run_folder, ignore_errors=True)
    meta = {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "machine": machine(), "versions": tools,
            "helpgen_code": args.code_fingerprint,
            "helpgen_code_at_end": code_fingerprint(args.helpgen_root.resolve()),
            "args": {k: v for k, v in vars(args).items()
                     if k not in ("markdown_child", "serve_child", "code", "code_fingerprint",
                                  "run_folder")},
            "seconds": time.perf_counter() - started}
    Path(args.out).write_text(json.dumps({"meta": meta, "results": results}, ensure_ascii=False,
                                         indent=1, default=str) + "\n", encoding="utf-8")
    print(table(results))
    print()
    print(details(results))
    print()
    for r in results:
        for goal, met in r["ratios"]["goals"].items():
            if met is not None:
                print(f"{'MET   ' if met else 'MISSED'} at {r['size']:,}: {goal}")
    m = meta["machine"]
    print(f"\n{meta['date']}, {m['cores']} cores ({m['cpu']}), {meta['seconds']:.0f}s in all; "
          f"JSON in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
