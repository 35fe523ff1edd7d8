"""Search benchmark: helpgen's sharded search index against Pagefind, on synthetic corpora.

    python benchmarks/search.py [--sizes 1000 5000] [--out results.json]

For each size (English articles; plus as many zh-CN and a third as many zh-TW translations):
  1. generate the corpus (benchmarks/corpus.py) in a temporary folder;
  2. build it with `python -m helpgen build` in a fresh process (the cold build), with timers
     wrapped around the pipeline stages and the index stage's steps (see `profile_build`);
  3. measure the index on disk (per locale, raw and gzip, per article);
  4. index the same output with Pagefind (`python -m pagefind --site OUT`);
  5. serve the output from 127.0.0.1 and, in headless Chromium (Playwright):
     - recall@10 and query latency of known-item queries (title, distinctive token) with
       helpgenSearch.open(root, locale).match(query, false) → describe(top 10), and the same
       queries through Pagefind's JS API;
     - bytes downloaded before the first result on a cold page (new browser context each time):
       helpgen's search page `<locale>/search/index.html?q=…`, and for Pagefind the same page
       without a query followed by import('/pagefind/pagefind.js'), init(), search(q),
       results[0].data(). Bodies are counted at their gzip size (http.server does not compress).
Prints a table and writes JSON. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import gzip
import http.server
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import corpus  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
RUNTIME_SCRIPTS = ("lunr", "tokenizer", "engine")   # the runtime, sized apart from the index
WARMUP_QUERIES = {"en": ["invoice", "password reset", "bank feed"],
                  "zh-CN": ["发票", "重置密码", "银行"], "zh-TW": ["發票", "重設密碼", "銀行"]}
GZIP_LEVEL = 6          # what web servers typically use


def gz(data: bytes) -> int:
    """Bytes on the wire if served compressed: gzip size, or raw size if gzip does not help
    (Pagefind's index files are already gzipped; a server would not compress them again)."""
    return min(len(data), len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)))


def percentile(values, p):
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


# --- build ------------------------------------------------------------------------------------

# Each stage function by the module helpgen/pipeline.py finds it in when it calls it (it imports
# model, render and index only once it knows it has something to build).
BUILD_STAGES = {"load_config": "helpgen.pipeline", "load_sources": "helpgen.pipeline",
                "place_articles": "helpgen.content.placement",
                "convert_bodies": "helpgen.content.bodies",
                "assemble_site": "helpgen.content.assembly", "render_site": "helpgen.output.pages",
                "build_index": "helpgen.output.search.index", "write_site": "helpgen.pipeline"}
INDEX_STEPS = ("field_postings", "term_rows", "split_into_shards", "_script")


def _install_timers(timers: dict) -> list[str]:
    """Wrap helpgen's stage functions (as helpgen.pipeline calls them) and the index steps with
    wall and CPU timers. Returns the names that could not be found (the code may have moved)."""
    import importlib

    import helpgen.output.search.index as index_module
    missing = []

    def wrap(module, name, group):
        original = getattr(module, name, None)
        if original is None:
            missing.append(f"{module.__name__}.{name}")
            return
        slot = timers.setdefault(group, {}).setdefault(name, {"wall": 0.0, "cpu": 0.0,
                                                              "calls": 0})

        @functools.wraps(original)
        def timed(*args, **kwargs):
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                slot["wall"] += time.perf_counter() - wall
                slot["cpu"] += time.process_time() - cpu
                slot["calls"] += 1
        setattr(module, name, timed)

    for name, module in BUILD_STAGES.items():
        wrap(importlib.import_module(module), name, "stages")
    for name in INDEX_STEPS:
        wrap(index_module, name, "index_steps")
    return missing


def _profile_child(site: str, out: str, report: str) -> int:
    """In a fresh process: run `helpgen build SITE -o OUT --quiet` with the timers installed."""
    started = time.perf_counter()
    sys.path.insert(0, os.environ.get("HELPGEN_BENCH_ROOT", str(ROOT)))
    timers: dict = {}
    missing = _install_timers(timers)
    from helpgen.commands.cli import main
    code = 0
    try:
        main(["build", site, "-o", out, "--quiet"], prog_name="helpgen")
    except SystemExit as exit_:
        code = exit_.code or 0
    usage = resource.getrusage(resource.RUSAGE_SELF)
    Path(report).write_text(json.dumps({
        "exit_code": code, "timers": timers, "missing_timers": missing,
        "in_process_wall": time.perf_counter() - started,
        "max_rss_mb": usage.ru_maxrss / 1024}))
    return code


def profile_build(site: Path, out: Path, helpgen_root: Path) -> dict:
    """Cold build in a fresh interpreter (imports included); wall time, CPU time (user+sys of the
    child: core-seconds), and per-stage timers from inside the same build."""
    report = out.parent / "build-profile.json"
    env = dict(os.environ, HELPGEN_BENCH_ROOT=str(helpgen_root))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    run = subprocess.run([sys.executable, __file__, "--profile-build", str(site), str(out),
                          str(report)], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode != 0:
        raise RuntimeError(f"helpgen build failed ({run.returncode}):\n{run.stdout}\n{run.stderr}")
    profile = json.loads(report.read_text())
    profile.update(wall=wall, cpu=(after.ru_utime - before.ru_utime) +
                   (after.ru_stime - before.ru_stime), warnings=run.stderr.count("warning:"))
    return profile


# --- the index on disk ------------------------------------------------------------------------

def find_index(out: Path) -> tuple[Path, dict[str, Path]]:
    """(runtime folder holding engine.js, {locale: index folder holding manifest.js})."""
    engines = sorted(out.rglob("engine*.js"))
    if not engines:
        raise RuntimeError(f"no engine.js in {out}: where did the search runtime go?")
    folders = {m.parent.name: m.parent for m in sorted(out.rglob("manifest.js"))}
    return engines[0].parent, folders


def index_size(out: Path, documents: dict[str, int]) -> dict:
    runtime, folders = find_index(out)
    result = {"runtime": {"raw": 0, "gzip": 0, "files": 0}, "locales": {}}
    for name in RUNTIME_SCRIPTS:     # named name.js, or name.<hash>.js
        data = min(runtime.glob(f"{name}*.js")).read_bytes()
        result["runtime"]["raw"] += len(data)
        result["runtime"]["gzip"] += gz(data)
        result["runtime"]["files"] += 1
    for locale, folder in folders.items():
        kinds: dict[str, dict] = {}
        for path in folder.iterdir():
            kind = {"m": "manifest", "s": "shards", "d": "titles", "x": "texts"}.get(
                path.name[0], "other")
            data = path.read_bytes()
            slot = kinds.setdefault(kind, {"raw": 0, "gzip": 0, "files": 0})
            slot["raw"] += len(data)
            slot["gzip"] += gz(data)
            slot["files"] += 1
        raw = sum(k["raw"] for k in kinds.values())
        gzipped = sum(k["gzip"] for k in kinds.values())
        n = documents.get(locale) or 1
        result["locales"][locale] = {
            "documents": documents.get(locale), "raw": raw, "gzip": gzipped,
            "files": sum(k["files"] for k in kinds.values()),
            "raw_per_article": raw / n, "gzip_per_article": gzipped / n, "by_kind": kinds}
    total_docs = sum(documents.values())
    result["raw"] = sum(v["raw"] for v in result["locales"].values())
    result["gzip"] = sum(v["gzip"] for v in result["locales"].values())
    result["gzip_per_article"] = result["gzip"] / total_docs
    result["raw_per_article"] = result["raw"] / total_docs
    return result


def run_pagefind(out: Path) -> dict:
    wall = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(out)],
                         capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter() - wall
    if run.returncode != 0:
        raise RuntimeError(f"pagefind failed:\n{run.stdout}\n{run.stderr}")
    folder = out / "pagefind"
    raw = gzipped = 0
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            raw += len(data)
            gzipped += gz(data)
    pages = re.search(r"Indexed (\d+) pages?", run.stdout)
    version = subprocess.run([sys.executable, "-m", "pagefind", "--version"],
                             capture_output=True, text=True).stdout.strip()
    return {"version": version, "wall": wall,
            "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            "pages": int(pages.group(1)) if pages else None, "raw": raw, "gzip": gzipped,
            "log": run.stdout[-1500:]}


# --- serving and the browser ------------------------------------------------------------------

class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()


@contextlib.contextmanager
def serve(folder: Path):
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def normalize_url(url: str) -> str:
    """Site-relative page URL: 'zh-CN/a/b/c/' from '/zh-CN/a/b/c/index.html' or a full URL."""
    path = urlsplit(url).path if "://" in url else url
    path = path.lstrip("/")
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    return path


RECALL_JS = """
async ({items, locale, warmups}) => {
  const root = document.body.dataset.searchRoot;
  if (!window.helpgenSearch) {
    for (const src of document.body.dataset.searchScripts.split(' ')) {
      await new Promise((resolve, reject) => {
        const s = document.createElement('script');
        s.src = src; s.onload = resolve;
        s.onerror = () => reject(new Error('could not load ' + src));
        document.head.appendChild(s);
      });
    }
  }
  const engine = helpgenSearch.open(root, locale);
  for (const w of warmups) {
    const m = await engine.match(w, false);
    await engine.describe(m.slice(0, 10));
  }
  const out = items.map(() => ({}));
  for (const pass of ['first', 'warm']) {
    for (let i = 0; i < items.length; i++) {
      const t0 = performance.now();
      const matches = await engine.match(items[i].q, false);
      const top = await engine.describe(matches.slice(0, 10));
      const t1 = performance.now();
      out[i][pass] = t1 - t0;
      if (pass === 'first') { out[i].total = matches.length; out[i].top = top.map(r => r.url); }
    }
  }
  return out;
}
"""

PAGEFIND_RECALL_JS = """
async ({items}) => {
  const pagefind = await import('/pagefind/pagefind.js');
  await pagefind.init();
  const out = items.map(() => ({}));
  for (const pass of ['first', 'warm']) {
    for (let i = 0; i < items.length; i++) {
      const t0 = performance.now();
      const r = await pagefind.search(items[i].q);
      const top = await Promise.all(r.results.slice(0, 10).map(x => x.data()));
      const t1 = performance.now();
      out[i][pass] = t1 - t0;
      if (pass === 'first') { out[i].total = r.results.length; out[i].top = top.map(d => d.url); }
    }
  }
  return out;
}
"""

# Marks when the search page first shows results (or its "no results" status). Script elements
# added after that (the snippet texts, requested by the same render) are listed so they are not
# counted as "before the first result".
FIRST_RESULT_INIT = """
window.__bench = {first: null, hit: false, after: []};
new MutationObserver((records) => {
  for (const r of records) {
    if (window.__bench.first === null) {
      const box = document.getElementById('search-results');
      if (box && box.contains(r.target) &&
          box.querySelector('.result-title, .search-count, .search-error')) {
        window.__bench.first = performance.now();
        window.__bench.hit = !!box.querySelector('.result-title');
      }
    } else {
      for (const n of r.addedNodes) {
        if (n.tagName === 'SCRIPT' && n.src) window.__bench.after.push(n.src);
      }
    }
  }
}).observe(document, {childList: true, subtree: true});
"""

PAGEFIND_COLD_JS = """
async (q) => {
  const pagefind = await import('/pagefind/pagefind.js');
  await pagefind.init();
  const r = await pagefind.search(q);
  const first = r.results.length ? await r.results[0].data() : null;
  return {first: performance.now(), total: r.results.length, url: first && first.url};
}
"""

RESOURCES_JS = """
() => performance.getEntriesByType('resource').map(e => ({name: e.name, start: e.startTime}))
"""


class Browser:
    def __init__(self):
        from playwright.sync_api import sync_playwright
        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self.version = self.browser.version

    def close(self):
        self.browser.close()
        self._pw.stop()

    def recall(self, base: str, locale: str, items: list[dict], pagefind: bool) -> list[dict]:
        context = self.browser.new_context()
        page = context.new_page()
        page.goto(base + search_page(locale))
        args = {"items": items, "locale": locale,
                "warmups": WARMUP_QUERIES.get(locale, [])}
        helpgen = page.evaluate(RECALL_JS, args)
        other = page.evaluate(PAGEFIND_RECALL_JS, {"items": items}) if pagefind else None
        context.close()
        return helpgen, other

    def cold(self, base: str, locale: str, query: str, engine: str) -> dict:
        """Bytes before the first result on a cold page (fresh context: empty cache)."""
        context = self.browser.new_context()
        page = context.new_page()
        responses = []
        page.on("response", lambda response: responses.append(response))
        if engine == "helpgen":
            page.add_init_script(FIRST_RESULT_INIT)
            page.goto(base + search_page(locale) + "?q=" + quote(query))
            page.wait_for_function("window.__bench.first !== null", timeout=120_000)
            state = page.evaluate("window.__bench")
            hit = state["hit"]
            top = normalize_url(page.evaluate(
                "(document.querySelector('#search-results .result-title') || {}).href || ''"))
        else:
            page.goto(base + search_page(locale))
            page.wait_for_load_state("load")
            state = page.evaluate(PAGEFIND_COLD_JS, query)
            state["after"] = []
            hit = state["total"] > 0
            top = normalize_url(state["url"] or "")
        if engine == "helpgen":
            # Requests started before the first result rendered (resource timing), less the
            # snippet texts the same render asked for.
            entries = page.evaluate(RESOURCES_JS)
            after = set(state["after"])
            wanted = {e["name"] for e in entries
                      if e["start"] <= state["first"] and e["name"] not in after}
        else:
            # Pagefind fetches from a Web Worker, whose requests are not in the page's resource
            # timing; nothing else runs on this page, so every response so far counts.
            page.wait_for_timeout(50)
            wanted = {response.url for response in responses}
        search_root = base + "pagefind/" if engine == "pagefind" else None
        counted = {"page": 0, "search": 0, "requests": 0, "by_file": {}}
        document_url = page.url
        for response in responses:
            url = response.url
            if url != document_url and url not in wanted:
                continue
            try:
                body = response.body()
            except Exception:        # redirects and the like have no body
                continue
            size = gz(body)
            if engine == "helpgen":
                is_search = "/_helpgen/" in url or re.search(
                    r"/(lunr|tokenizer|engine)(\.[0-9a-f]+)?\.js$", url)
            else:
                is_search = url.startswith(search_root)
            counted["search" if is_search else "page"] += size
            counted["requests"] += 1
            name = urlsplit(url).path
            key = _file_kind(name) if is_search else "page"
            counted["by_file"][key] = counted["by_file"].get(key, 0) + size
            wanted.discard(url)
        context.close()
        counted["total"] = counted["page"] + counted["search"]
        counted["hit"], counted["top"] = hit, top
        return counted


def _file_kind(path: str) -> str:
    """'s12.js' -> 's*.js', 'zh-cn_1a2b.pf_index' -> '*.pf_index', 'wasm.en.pagefind' -> 'wasm'."""
    name = path.rsplit("/", 1)[-1]
    if name.startswith("wasm."):
        return "wasm"
    if ".pf_" in name:
        return "*" + name[name.index(".pf_"):]
    return re.sub(r"\d+", "*", name)


def search_page(locale: str) -> str:
    return ("" if locale == "en" else f"{locale}/") + "search/index.html"


# --- one size ---------------------------------------------------------------------------------

def sample_items(folder: Path, per_locale: int, seed: int) -> dict[str, list[dict]]:
    rng = random.Random(f"queries/{seed}")
    result = {}
    for locale in corpus.LOCALES:
        items = corpus.known_items(folder, locale)
        result[locale] = rng.sample(items, min(per_locale, len(items)))
    return result


def summarize_recall(items, rows):
    ranks, first, warm, misses = [], [], [], []
    for item, row in zip(items, rows):
        urls = [normalize_url(u) for u in row["top"]]
        rank = urls.index(item["url"]) + 1 if item["url"] in urls else None
        ranks.append(rank)
        first.append(row["first"])
        warm.append(row["warm"])
        if rank is None:
            misses.append({"query": item["q"], "url": item["url"], "matches": row["total"],
                           "top3": urls[:3]})
    hits = sum(1 for r in ranks if r is not None)
    return {"queries": len(items), "recall_at_10": hits / len(items) if items else None,
            "mrr": sum(1 / r for r in ranks if r) / len(items) if items else None,
            "latency_first_p50": percentile(first, 50), "latency_first_p95": percentile(first, 95),
            "latency_warm_p50": percentile(warm, 50), "latency_warm_p95": percentile(warm, 95),
            "matches_p50": percentile([r["total"] for r in rows], 50),
            "latencies_warm": [round(v, 2) for v in warm],
            "misses": misses}


def run_size(size: int, args, browser: Browser | None, log) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"helpgen-bench-{size}-", dir=args.workdir))
    try:
        site, out = work / "site", work / "out"
        t = time.perf_counter()
        info = corpus.generate(site, size, args.seed)
        documents = info["articles"]
        total_docs = sum(documents.values())
        log(f"[{size}] corpus: {documents} in {time.perf_counter() - t:.1f}s")

        build = profile_build(site, out, Path(args.helpgen_root).resolve())
        stages = build["timers"].get("stages", {})
        index_stage = stages.get("build_index", {})
        per_k = total_docs / 1000
        build_summary = {
            "articles": total_docs, "pages": sum(1 for _ in out.rglob("*.html")),
            "wall": build["wall"], "cpu": build["cpu"], "max_rss_mb": build["max_rss_mb"],
            "wall_per_1k": build["wall"] / per_k, "cpu_per_1k": build["cpu"] / per_k,
            "index_wall": index_stage.get("wall"), "index_cpu": index_stage.get("cpu"),
            "index_cpu_per_1k": index_stage["cpu"] / per_k if index_stage else None,
            "stages": stages, "index_steps": build["timers"].get("index_steps", {}),
            "missing_timers": build["missing_timers"], "warnings": build["warnings"]}
        log(f"[{size}] build: {build['wall']:.1f}s wall, {build['cpu']:.1f}s CPU, index stage "
            f"{index_stage.get('cpu', float('nan')):.1f}s CPU")

        size_info = index_size(out, documents)
        log(f"[{size}] index: {size_info['gzip'] / 1e6:.1f} MB gzip, "
            f"{size_info['gzip_per_article'] / 1024:.2f} KB gzip/article")

        pagefind = run_pagefind(out) if args.pagefind else None
        if pagefind:
            log(f"[{size}] pagefind: {pagefind['pages']} pages in {pagefind['wall']:.1f}s, "
                f"{pagefind['gzip'] / 1e6:.1f} MB")

        result = {"size": size, "documents": documents, "build": build_summary,
                  "index": size_info, "pagefind_index": pagefind, "search": {}}
        if browser is None:
            return result
        sample = sample_items(site, args.queries, args.seed)
        with serve(out) as base:
            for locale in corpus.LOCALES:
                t = time.perf_counter()
                entry = result["search"].setdefault(locale, {})
                for kind in ("title", "token"):
                    items = [dict(item, q=item[kind]) for item in sample[locale]]
                    t_phase = time.perf_counter()
                    helpgen_rows, pagefind_rows = browser.recall(base, locale, items,
                                                                 pagefind is not None)
                    log(f"[{size}]   {locale} {kind}: recall pass "
                        f"{time.perf_counter() - t_phase:.0f}s")
                    t_phase = time.perf_counter()
                    entry[kind] = {"helpgen": summarize_recall(items, helpgen_rows)}
                    if pagefind_rows is not None:
                        entry[kind]["pagefind"] = summarize_recall(items, pagefind_rows)
                    # Cold pages: a smaller sample (each is a new browser context).
                    for engine in ("helpgen", "pagefind") if pagefind else ("helpgen",):
                        colds = [browser.cold(base, locale, item[kind], engine)
                                 for item in items[: args.cold_queries]]
                        by_file: dict[str, list] = {}
                        for c in colds:
                            for key, value in c["by_file"].items():
                                by_file.setdefault(key, []).append(value)
                        entry[kind][engine]["cold"] = {
                            "queries": len(colds),
                            "total_p50": percentile([c["total"] for c in colds], 50),
                            "total_p95": percentile([c["total"] for c in colds], 95),
                            "total_mean": statistics.mean(c["total"] for c in colds),
                            "search_p50": percentile([c["search"] for c in colds], 50),
                            "search_p95": percentile([c["search"] for c in colds], 95),
                            "search_mean": statistics.mean(c["search"] for c in colds),
                            "page_p50": percentile([c["page"] for c in colds], 50),
                            "requests_p50": percentile([c["requests"] for c in colds], 50),
                            "first_result_is_target": sum(
                                1 for c, item in zip(colds, items) if c["top"] == item["url"]
                            ) / len(colds),
                            "by_file_mean": {k: sum(v) / len(colds) for k, v in
                                             sorted(by_file.items())}}
                    log(f"[{size}]   {locale} {kind}: cold pages "
                        f"{time.perf_counter() - t_phase:.0f}s")
                log(f"[{size}] browser {locale}: {time.perf_counter() - t:.0f}s")
        return result
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            log(f"[{size}] kept {work}")


# --- report -----------------------------------------------------------------------------------

def kb(value):
    return "—" if value is None else f"{value / 1024:.0f}"


def pct(value):
    return "—" if value is None else f"{100 * value:.1f}%"


def ms(value):
    return "—" if value is None else f"{value:.1f}"


def ratio(a, b):
    return None if a is None or not b else a / b


def table(results: list[dict]) -> str:
    lines = []
    add = lines.append
    add("Build and index")
    add("| articles (en/zh-CN/zh-TW) | build wall s | build CPU s per 1k art. | index stage CPU s "
        "per 1k art. | index gzip KB per art. | index gzip MB (raw MB) | Pagefind index MB |")
    add("|---|---|---|---|---|---|---|")
    for r in results:
        b, i, d = r["build"], r["index"], r["documents"]
        pf = r.get("pagefind_index")
        pagefind_mb = f"{pf['gzip'] / 1e6:.1f}" if pf else "—"
        add(f"| {r['size']} ({d['en']}/{d['zh-CN']}/{d['zh-TW']} = {b['articles']}) | "
            f"{b['wall']:.1f} | {b['cpu_per_1k']:.2f} | "
            f"{b['index_cpu_per_1k']:.2f} | {i['gzip_per_article'] / 1024:.2f} | "
            f"{i['gzip'] / 1e6:.1f} ({i['raw'] / 1e6:.1f}) | "
            f"{pagefind_mb} |")
    add("")
    add("Search (helpgen vs Pagefind). recall@10 over the sampled known items; latency: match +")
    add("describe(top 10), warm (2nd run) p50/p95 ms; bytes: gzip KB downloaded before the first")
    add("result on a cold page, median, search files only (whole page in brackets)")
    add("| size | locale | query | recall@10 helpgen / Pagefind | warm p50 / p95 ms | "
        "first-run p95 ms | Pagefind warm p95 ms | KB before 1st result helpgen | Pagefind | "
        "ratio (search) |")
    add("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        for locale, kinds in r["search"].items():
            for kind, engines in kinds.items():
                h, p = engines["helpgen"], engines.get("pagefind")
                hc, pc = h.get("cold", {}), (p or {}).get("cold", {})
                add(f"| {r['size']} | {locale} | {kind} | {pct(h['recall_at_10'])} / "
                    f"{pct(p['recall_at_10']) if p else '—'} | {ms(h['latency_warm_p50'])} / "
                    f"{ms(h['latency_warm_p95'])} | {ms(h['latency_first_p95'])} | "
                    f"{ms(p['latency_warm_p95']) if p else '—'} | "
                    f"{kb(hc.get('search_p50'))} ({kb(hc.get('total_p50'))}) | "
                    f"{kb(pc.get('search_p50'))} ({kb(pc.get('total_p50'))}) | "
                    f"{ratio(hc.get('search_p50'), pc.get('search_p50')) or 0:.2f} |")
    return "\n".join(lines)


def summary(r: dict) -> dict:
    """Totals over locales and query kinds for one size, and the goals."""
    helpgen_rows = [e["helpgen"] for kinds in r["search"].values() for e in kinds.values()]
    pagefind_rows = [e["pagefind"] for kinds in r["search"].values() for e in kinds.values()
                     if "pagefind" in e]

    def recall(rows):
        n = sum(x["queries"] for x in rows)
        return sum(x["recall_at_10"] * x["queries"] for x in rows) / n if n else None

    def cold_median(rows, key):
        values = [x["cold"][key] for x in rows if "cold" in x]
        return statistics.median(values) if values else None

    out = {"recall_helpgen": recall(helpgen_rows), "recall_pagefind": recall(pagefind_rows),
           "latency_warm_p50_all": percentile([v for x in helpgen_rows
                                               for v in x["latencies_warm"]], 50),
           "latency_warm_p95_all": percentile([v for x in helpgen_rows
                                               for v in x["latencies_warm"]], 95),
           "latency_warm_p95_max": max((x["latency_warm_p95"] for x in helpgen_rows), default=None),
           "pagefind_latency_warm_p95_all": percentile([v for x in pagefind_rows
                                                        for v in x["latencies_warm"]], 95),
           "latency_first_p95_max": max((x["latency_first_p95"] for x in helpgen_rows),
                                        default=None),
           "bytes_search_helpgen": cold_median(helpgen_rows, "search_p50"),
           "bytes_search_pagefind": cold_median(pagefind_rows, "search_p50"),
           "bytes_total_helpgen": cold_median(helpgen_rows, "total_p50"),
           "bytes_total_pagefind": cold_median(pagefind_rows, "total_p50"),
           "build_cpu_per_1k": r["build"]["cpu_per_1k"],
           "index_cpu_per_1k": r["build"]["index_cpu_per_1k"],
           "index_gzip_per_article": r["index"]["gzip_per_article"]}
    out["recall_ratio"] = ratio(out["recall_helpgen"], out["recall_pagefind"])
    out["bytes_ratio_search"] = ratio(out["bytes_search_helpgen"], out["bytes_search_pagefind"])
    out["bytes_ratio_total"] = ratio(out["bytes_total_helpgen"], out["bytes_total_pagefind"])
    out["goals"] = {
        "recall@10 = 100%": out["recall_helpgen"] == 1.0 if helpgen_rows else None,
        "index build <= 2 s CPU per 1k articles": (out["index_cpu_per_1k"] or 99) <= 2.0,
        "bytes before first result <= 2x Pagefind": (out["bytes_ratio_search"] <= 2.0
                                                     if out["bytes_ratio_search"] else None),
        "query p95 <= 30 ms (warm, every locale and query kind)": (
            out["latency_warm_p95_max"] <= 30 if out["latency_warm_p95_max"] is not None
            else None),
        "index <= 1.5 KB gzip per article": out["index_gzip_per_article"] <= 1536,
    }
    return out


def summary_table(results: list[dict]) -> str:
    lines = ["| size | recall@10 helpgen / Pagefind (ratio) | KB before 1st result, search files: "
             "helpgen / Pagefind (ratio) | whole page (ratio) | warm p95 ms: all queries / worst "
             "cell (Pagefind all) | index CPU s/1k | build CPU s/1k | index KB gzip/art. |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results:
        s = r["summary"]
        lines.append(
            f"| {r['size']} | {pct(s['recall_helpgen'])} / {pct(s['recall_pagefind'])} "
            f"({s['recall_ratio'] or 0:.2f}) | {kb(s['bytes_search_helpgen'])} / "
            f"{kb(s['bytes_search_pagefind'])} ({s['bytes_ratio_search'] or 0:.2f}) | "
            f"{kb(s['bytes_total_helpgen'])} / {kb(s['bytes_total_pagefind'])} "
            f"({s['bytes_ratio_total'] or 0:.2f}) | {ms(s['latency_warm_p95_all'])} / "
            f"{ms(s['latency_warm_p95_max'])} ({ms(s['pagefind_latency_warm_p95_all'])}) | "
            f"{s['index_cpu_per_1k']:.2f} | {s['build_cpu_per_1k']:.2f} | "
            f"{s['index_gzip_per_article'] / 1024:.2f} |")
    return "\n".join(lines)


def _git_describe(folder: Path) -> str | None:
    try:
        return subprocess.run(["git", "-C", str(folder), "describe", "--always", "--dirty"],
                              capture_output=True, text=True, check=True).stdout.strip() or None
    except (OSError, subprocess.CalledProcessError):
        return None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000],
                        help="English articles per corpus (zh-CN: as many, zh-TW: a third)")
    parser.add_argument("--out", default="results.json", help="JSON results file")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--queries", type=int, default=100,
                        help="known items sampled per locale for recall and latency")
    parser.add_argument("--cold-queries", type=int, default=20,
                        help="of those, how many are also measured on a cold page (per kind)")
    parser.add_argument("--no-browser", action="store_true", help="build and index size only")
    parser.add_argument("--no-pagefind", dest="pagefind", action="store_false")
    parser.add_argument("--workdir", default=None, help="where temporary folders go")
    parser.add_argument("--keep", action="store_true", help="keep the generated sites")
    parser.add_argument("--helpgen-root", default=str(ROOT),
                        help="folder whose helpgen/ package is benchmarked (default: this "
                             "checkout); e.g. an export of a commit")
    parser.add_argument("--profile-build", nargs=3, metavar=("SITE", "OUT", "REPORT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.profile_build:
        return _profile_child(*args.profile_build)

    def log(message):
        print(message, file=sys.stderr, flush=True)

    started = time.perf_counter()
    load_before = os.getloadavg()
    browser = None if args.no_browser else Browser()
    results = []
    try:
        for size in args.sizes:
            t = time.perf_counter()
            result = run_size(size, args, browser, log)
            result["seconds"] = time.perf_counter() - t
            result["summary"] = summary(result) if result["search"] else None
            results.append(result)
            log(f"[{size}] done in {result['seconds']:.0f}s")
    finally:
        if browser:
            chromium = browser.version
            browser.close()
        else:
            chromium = None
    meta = {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "machine": {"cores": os.cpu_count(), "platform": platform.platform(),
                        "processor": platform.processor() or platform.machine(),
                        "python": platform.python_version(), "chromium": chromium,
                        # Other work on the machine skews timings (not bytes or recall).
                        "load_average_before": load_before,
                        "load_average_after": os.getloadavg()},
            "args": {k: v for k, v in vars(args).items() if k != "profile_build"},
            "helpgen_commit": _git_describe(Path(args.helpgen_root)),
            "seconds": time.perf_counter() - started}
    Path(args.out).write_text(json.dumps({"meta": meta, "results": results}, ensure_ascii=False,
                                         indent=1) + "\n", encoding="utf-8")
    print(table(results))
    if all(r["summary"] for r in results):
        print()
        print(summary_table(results))
        for r in results:
            print(f"\ngoals at {r['size']}:")
            for goal, met in r["summary"]["goals"].items():
                print(f"  {'MET   ' if met else 'MISSED' if met is False else 'n/a   '} {goal}")
    for r in results:
        for locale, kinds in r["search"].items():
            for kind, engines in kinds.items():
                for engine, row in engines.items():
                    for miss in row["misses"]:
                        print(f"miss at {r['size']}: {engine} {locale} {kind} {miss['query']!r} -> "
                              f"{miss['url']} ({miss['matches']} matches; top: {miss['top3'][:1]})")
    print(f"\n{meta['date']}, {meta['machine']['cores']} cores, load average "
          f"{load_before[0]:.1f} before / {meta['machine']['load_average_after'][0]:.1f} after, "
          f"{meta['seconds']:.0f}s; JSON in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
