"""Shared fixtures: tiny site folders written from a dict, and the CLI."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import mmap
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from helpgen.commands.cli import main
from helpgen.output.host_files import headers_for

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_SITE = ROOT / "example-site"
# The real corpora CI keeps beside the checkout; HELPGEN_CORPORA points elsewhere (a git worktree).
CORPORA = Path(os.environ.get("HELPGEN_CORPORA") or ROOT.parent / "shared" / "corpora")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

BASIC_CONFIG = """\
site:
  title: {en: Acme Help, zh-CN: Acme 帮助中心}
  url: https://help.acme.example/
locales:
  default: en
  others: [zh-CN]
"""


def write_site(root: Path, files: dict[str, str]) -> Path:
    """Write a site folder: {relative path: text}; text is dedented."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def article(title: str, body: str = "Some text.", **meta) -> str:
    """An article file with front matter; values are written as YAML flow values."""
    lines = ["---", f"title: {title}"] + [f"{k}: {v}" for k, v in meta.items()] + ["---", "", body]
    return "\n".join(lines) + "\n"


@pytest.fixture
def site(tmp_path):
    """A small valid bilingual site; tests add or replace files with `write_site`."""
    return write_site(tmp_path / "site", {
        "helpgen.yml": BASIC_CONFIG,
        "articles/billing/_category.yml": "title: {en: Billing, zh-CN: 账单}\nicon: material/credit-card\norder: 1\n",
        "articles/billing/refunds/_section.yml": "title: {en: Refunds, zh-CN: 退款}\n",
        "articles/billing/refunds/request-a-refund.md": article(
            "Request a refund", "## Before you start\n\nRead the [policy](policy.md).", order=1),
        "articles/billing/refunds/request-a-refund.zh-CN.md": article(
            "申请退款", "## 开始之前\n\n申请退款流程很简单。"),
        "articles/billing/refunds/policy.md": article("Refund policy", order=2),
    })


class Cli:
    """Runs `helpgen` in-process and keeps stdout and stderr apart."""

    def __init__(self):
        self.runner = CliRunner()

    def __call__(self, *args: str):
        return self.runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    def build(self, site: Path, *options) -> dict[str, int] | None:
        """`helpgen build SITE --verbose OPTIONS`, which must succeed: see work_done."""
        result = self("build", site, "--verbose", *options)
        assert result.exit_code == 0, result.stderr
        return work_done(result.stdout)


@pytest.fixture
def cli():
    return Cli()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def stat_signature(path: Path) -> tuple[int, int, int, int]:
    """What the OS tells of a file's version: size, modification and change times, inode."""
    status = os.stat(path)
    return status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino


@contextlib.contextmanager
def held_in_memory(path: Path):
    """The file as a program holding it in a shared memory map sees it: yields `rewrite(old,
    new)`, which replaces text of the same length in place. The first write through a map sets
    the file's times; later ones (until the kernel writes the page back, seconds later) leave
    its size, times and inode as they were: the edit within one timestamp tick that no stat can
    show (git's "racily clean" files). The map is touched on entry, so that `rewrite` changes
    nothing but the bytes."""
    with open(path, "r+b") as file, mmap.mmap(file.fileno(), 0) as memory:
        memory[:1] = memory[:1]

        def rewrite(old: str, new: str) -> None:
            before = stat_signature(path)
            text = memory[:].decode("utf-8").replace(old, new).encode("utf-8")
            assert len(text) == len(memory) and old != new
            memory[:] = text
            assert stat_signature(path) == before, "the kernel wrote the page back meanwhile"
            assert new in path.read_text(encoding="utf-8")

        yield rewrite


def serve_folder(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `folder` over http on 127.0.0.1 (a free port); returns the server and its URL.
    Call `server.shutdown()` when done."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def browser_available() -> bool:
    return Path(CHROMIUM).exists()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright (skipped when absent, except in CI)."""
    if not browser_available():
        if os.environ.get("HELPGEN_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing; CI must install Debian's chromium")
        pytest.skip(f"browser tests need {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def copy_tree(source: Path, target: Path) -> Path:
    """A copy of a site folder without its output or build cache: tests build copies, so they
    write nothing into the source tree (a cache there would make later runs start warm)."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("site", ".helpgen-cache"))
    return target


@pytest.fixture
def example_site(tmp_path):
    """A fresh copy of the example site, at tmp_path/example-site."""
    return copy_tree(EXAMPLE_SITE, tmp_path / "example-site")


@pytest.fixture(scope="session")
def example_build(tmp_path_factory):
    """The example site, built once for the tests that only read the output."""
    root = tmp_path_factory.mktemp("example")
    out = root / "site"
    result = CliRunner().invoke(main, ["build", str(copy_tree(EXAMPLE_SITE, root / "source")),
                                       "-o", str(out), "--strict", "--quiet"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


def built(cli, site: Path, *args, out: Path | None = None) -> Path:
    """Build `site` into `out` (default: SITE/site, as helpgen does); the build must succeed.
    Returns the output folder."""
    out = out or site / "site"
    result = cli("build", site, "-o", out, *args)
    assert result.exit_code == 0, result.output
    return out


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every file below `folder` with its bytes (and each folder, as None), to compare a folder
    before and after."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else None
            for p in sorted(folder.rglob("*"))}


def leftovers(out: Path) -> list[str]:
    """What helpgen keeps beside an output folder while it writes it (journal, staging
    folders), and the temporary files it writes inside it: none once a build has ended."""
    return sorted([p.name for p in out.parent.glob(f".{out.name}.*")] +
                  [p.name for p in out.rglob("*helpgen-new*")])


@pytest.fixture
def settled(monkeypatch):
    """Files the test wrote a moment ago count as settled (HELPGEN_SETTLE_SECONDS=0, as for a
    build made a while after the edits): helpgen trusts their size and times at once instead of
    reading them again during its window for edits made within one timestamp tick (the README's
    "Files changed in the few seconds before a build")."""
    monkeypatch.setenv("HELPGEN_SETTLE_SECONDS", "0")


# --- Faults at real boundaries --------------------------------------------------------------

WORK = re.compile(r"(converted|rendered|indexed|scored|compressed) (\d+)")


def work_done(output: str) -> dict[str, int] | None:
    """What `helpgen build --verbose` printed in `output` it made anew rather than reused from
    the cache ({"converted": 1, "rendered": 5, "indexed": 1, "scored": 40}), or None when it
    built nothing (no input changed since the last build)."""
    if "Nothing built: no input changed" in output:
        return None
    line = next(line for line in output.splitlines() if line.startswith("Not from the cache:"))
    return {verb: int(count) for verb, count in WORK.findall(line)}


class Installation:
    """A copy of helpgen (its package and built-in themes) run as `python -m helpgen` in a fresh
    process: a test may edit its themes or code, or put other copies of its libraries first on
    its path (`libraries`), as an upgrade or another virtual environment would."""

    def __init__(self, folder: Path):
        self.folder = folder
        shutil.copytree(ROOT / "helpgen", folder / "helpgen",
                        ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(ROOT / "themes", folder / "themes")
        self.libraries: list[Path] = []
        self.cores: set[int] | None = None       # the cores it may run on; None: all

    def __call__(self, *args) -> subprocess.CompletedProcess:
        path = os.pathsep.join(map(str, [*self.libraries, self.folder]))
        return subprocess.run([sys.executable, "-m", "helpgen", *map(str, args)],
                              env={**os.environ, "PYTHONPATH": path,
                                   "PYTHONDONTWRITEBYTECODE": "1"},
                              cwd=self.folder, capture_output=True, text=True, timeout=280,
                              preexec_fn=self.cores and (lambda: os.sched_setaffinity(
                                  0, self.cores)))

    def build(self, site: Path, *options) -> dict[str, int] | None:
        """`helpgen build SITE --verbose OPTIONS`, which must succeed: see work_done."""
        run = self("build", site, "--verbose", *options)
        assert run.returncode == 0, run.stderr
        return work_done(run.stdout)


@pytest.fixture
def installation(tmp_path):
    return Installation(tmp_path / "installation")


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MB tmpfs file system (needs root; skipped where mounting is not allowed)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def fill(disk: Path, leave: int) -> None:
    """Fill the file system up to `leave` free bytes."""
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with open(disk / "filler", "wb") as file:
        file.write(b"\0" * max(free - leave, 0))


# `python -m helpgen ARGS` in which opening a file below FOLDER for reading ("r") or writing
# ("w") raises RuntimeError('boom') once SKIP such openings went well: a stand-in for a bug in
# helpgen, injected where every command crosses the operating system whatever its modules look
# like (Python's audit hook sees each file opened through open, os.open or pathlib).
_FAULTY = """\
import os, runpy, sys
folder, mode, skip = sys.argv[1], sys.argv[2], int(sys.argv[3])
def fault(event, args):
    global skip
    if event == "open" and not isinstance(args[0], int) and os.path.abspath(
            os.fsdecode(args[0])).startswith(folder + os.sep) and mode == (
            "w" if args[2] & (os.O_WRONLY | os.O_RDWR) else "r"):
        skip -= 1
        if skip < 0:
            raise RuntimeError("boom")
sys.addaudithook(fault)
sys.argv = ["helpgen", *sys.argv[4:]]
runpy.run_module("helpgen", run_name="__main__")
"""


def helpgen_failing(folder: Path, mode: str, skip: int, *args, debug: bool = False
                    ) -> subprocess.CompletedProcess:
    """Run `helpgen ARGS` in a process where the opening of a file below `folder` for reading
    ("r") or writing ("w") raises an unexpected exception after `skip` of them went well."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("HELPGEN_DEBUG", None)
    env.update({"HELPGEN_DEBUG": "1"} if debug else {})
    return subprocess.run([sys.executable, "-c", _FAULTY, str(folder), mode, str(skip),
                           *map(str, args)], env=env, capture_output=True, text=True,
                          timeout=300)


# --- A custom template that shows which pages a build rendered ------------------------------

# Jinja's lipsum() is random: a page rendered again gets a new mark, one taken from the build
# cache keeps its old one.
RENDER_PROBE = {"overrides/templates/partials/footer.html":
                '<footer data-render="{{ lipsum(1, false, 40, 41) }}"></footer>\n'}
PROBE_THEME = "theme:\n  custom_dir: overrides\n"
_MARK = re.compile(r'<footer data-render="([^"]+)">')


def render_marks(out: Path) -> dict[str, str]:
    """The render probe's mark on each page below `out`."""
    return {p.relative_to(out).as_posix(): match[1] for p in sorted(out.rglob("*.html"))
            if (match := _MARK.search(p.read_text(encoding="utf-8")))}


def rendered_again(before: dict[str, str], out: Path) -> list[str]:
    """The pages of `out` whose mark is not the one in `before` (render_marks of an earlier
    build): those the last build rendered rather than took from its cache."""
    return sorted(page for page, mark in render_marks(out).items() if before.get(page) != mark)


def readme_block(heading: str, language: str) -> str:
    """The first ```language block after `heading` in README.md."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(heading, 1)[1]
    return re.search(rf"```{language}\n(.*?)```", section, re.S).group(1)


SEARCH_DATA = re.compile(r'^helpgenSearchData\("(\w+)","([^"]+)",(.*)\);\n$', re.S)


def read_search_data(path: Path):
    """(kind, key, data) of one file of the search index."""
    match = SEARCH_DATA.match(path.read_text(encoding="utf-8"))
    assert match, path
    return match.group(1), match.group(2), json.loads(match.group(3))


def decode_postings(text, with_lengths, manifest):
    """A posting string of a shard (format in helpgen/output/search/index.py) as {doc: (score, title terms)}."""
    digits = {c: k for k, c in enumerate(manifest["digits"])}
    base, step = manifest["scores"]
    postings, doc, i = {}, 0, 0
    while i < len(text):
        value = 0
        while True:
            digit = digits[text[i]]
            i += 1
            value = value * 32 + (digit & 31)
            if not digit & 32:
                break
        doc += value
        score = base * step ** digits[text[i]]
        length = digits[text[i + 1]] if with_lengths else None
        i += 2 if with_lengths else 1
        postings[doc] = (score, length)
    return postings


def load_locale(out, locale):
    """(manifest, {term: (title postings, other postings)}, documents) as the browser reads them."""
    folder = out / "_helpgen" / "search" / locale
    _, _, manifest = read_search_data(folder / "manifest.js")
    postings = {}
    bounds = [None, *manifest["boundaries"], None]
    for number in range(len(bounds) - 1):
        _, key, shard = read_search_data(folder / f"s{number}.js")
        assert key == f"{locale}/{number}"
        low, high = bounds[number], bounds[number + 1]
        for term, title, other in shard:   # each shard holds one range of sorted terms
            assert (low is None or low <= term) and (high is None or term < high)
            postings[term] = (decode_postings(title, True, manifest),
                              decode_postings(other, False, manifest))
    documents = []
    for chunk in range((manifest["documents"] + manifest["chunk"] - 1) // manifest["chunk"]):
        documents += read_search_data(folder / f"d{chunk}.js")[2]
    return manifest, postings, documents


# --- Reading what a build printed and wrote ---------------------------------------------------

PROBLEM = re.compile(r"^(?P<where>.*?): ?(?P<severity>error|warning): (?P<message>.*)$")


@dataclass
class Problem:
    where: str          # "path:line", "path", or "" when the problem has no location
    severity: str
    message: str
    hint: str | None


def problems(stderr: str) -> list[Problem]:
    """The problems printed on stderr, each with the hint line that follows it (if any)."""
    found: list[Problem] = []
    for line in stderr.splitlines():
        if line.startswith("  hint: ") and found:
            found[-1].hint = line[len("  hint: "):]
        elif match := PROBLEM.match(line):
            found.append(Problem(match["where"], match["severity"], match["message"], None))
    return found


def parse_html(html: str) -> BeautifulSoup:
    """HTML parsed by the one HTML reader of the tests; attribute values stay strings as written
    (`class` too), so tests compare them as they appear in the page."""
    return BeautifulSoup(html, "html.parser", multi_valued_attributes=None)


def read_html(path: Path) -> BeautifulSoup:
    """A built page, parsed."""
    assert path.is_file(), f"{path} was not written"
    return parse_html(path.read_text(encoding="utf-8"))


def link_texts(element) -> list[str]:
    """The texts of the links in `element`, whitespace collapsed, in document order."""
    return [" ".join(a.get_text().split()) for a in element.find_all("a")]


def link_targets(html: BeautifulSoup) -> list[str]:
    """Where the links and images of `html` lead, in document order, as written."""
    return [element.get("href") or element.get("src")
            for element in html.find_all(["a", "img"]) if element.get("href") or element.get("src")]


def target_file(out: Path, page_file: Path, href: str) -> Path:
    """The file a relative `href` on `page_file` opens from disk (x/ means x/index.html).
    A root-relative href (only 404 pages have them) is read from the output folder."""
    path = unquote(urlsplit(href).path)
    if path == "":
        return page_file.resolve()                    # "#anchor" or "?query": this page
    base = out if path.startswith("/") else page_file.parent
    target = base / path.lstrip("/")
    return (target / "index.html" if path.endswith("/") else target).resolve()


# HTML an importer must not pass on: every way of running script that a help center export has.
HOSTILE_BODY = """\
<p>Hi <a href="javascript:alert(1)">one</a> <a href="JaVa&#x09;ScRiPt:alert(2)" onclick="x()">two</a>
<a href="vbscript:msgbox(1)">three</a> <a href="https://ok.example/)[y](javascript:alert(3)">four</a></p>
<iframe src='https://evil.example/" onload="alert(4)'></iframe>
<iframe src="https://www.youtube-nocookie.com/embed/abc123" onload="alert(5)" width="560"></iframe>
<iframe src="http://player.vimeo.com/video/1"></iframe>
<img src="https://ok.example/a.png" onerror="alert(6)" alt="a](javascript:alert(7)) ![b">
<img src="data:text/html;base64,PHNjcmlwdD4=" alt="data">
<script>alert(8)</script><style>body {}</style><object data="x.swf"></object>
<embed src="x.swf"><form action="https://evil.example/"><input name="q"></form>
<div onmouseover="alert(9)">[five](javascript:alert(10)) and \\[six\\](javascript:alert(11))</div>
<h2>Heading {: onclick="alert(12)" }</h2>
<pre><code class="language-{onclick=alert(13)}">code</code></pre>
<svg><a xlink:href="javascript:alert(14)">svg</a></svg>
"""


def unsafe(html: str) -> list[str]:
    """Every event attribute and every script-running URL in `html`, as `tag attr=value`."""
    found = []
    for element in parse_html(html).find_all(True):
        for name, value in element.attrs.items():
            scheme = re.sub(r"[\x00-\x20]", "", value).lower()
            if name.lower().startswith("on") or scheme.startswith(
                    ("javascript:", "vbscript:", "data:")):
                found.append(f"{element.name} {name}={value}")
    return found


# --- Colors as WCAG computes them (independent of helpgen.colors) ----------------------------


def wcag_contrast(first: str, second: str) -> float:
    """WCAG 2.x contrast ratio (L1 + 0.05) / (L2 + 0.05), L the relative luminance
    0.2126 R + 0.7152 G + 0.0722 B of the linear channels: c / 12.92 if c <= 0.03928, else
    ((c + 0.055) / 1.055) ** 2.4, c = channel / 255 (WCAG 2.0 wrote 0.03928, sRGB 0.04045: no
    8-bit channel lies between them)."""
    def luminance(color: str) -> float:
        digits = color.lstrip("#")
        digits = "".join(d * 2 for d in digits) if len(digits) == 3 else digits
        channels = [int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def theme_backgrounds(out) -> tuple[list[str], list[str]]:
    """The page and surface colors of the built theme's CSS, light ones and dark ones: where
    links are written."""
    css = next((out / "_theme").glob("helpgen.*.css")).read_text(encoding="utf-8")
    pairs = [re.search(rf"--hg-{name}: light-dark\((#[0-9a-f]{{6}}), (#[0-9a-f]{{6}})\);",
                       css).groups() for name in ("bg", "surface", "surface-2")]
    return [light for light, _ in pairs], [dark for _, dark in pairs]


def hex6(color: str) -> str:
    """'#3cf' as '#33ccff'."""
    return "#" + "".join(d * (2 if len(color) == 4 else 1) for d in color[1:])


def nearest_readable(color: str, backgrounds: list[str], toward: str) -> str:
    """The nearest shade of `color` (mixed with `toward` in 1% steps, 0% first) that reaches
    4.5:1 (WCAG AA) on each of `backgrounds`."""
    source, target = (bytes.fromhex(hex6(c)[1:]) for c in (color, toward))
    for step in range(101):
        shade = "#" + "".join(f"{round(s + (t - s) * step / 100):02x}"
                              for s, t in zip(source, target))
        if all(wcag_contrast(shade, background) >= 4.5 for background in backgrounds):
            return shade
    raise AssertionError(f"no shade of {color} is readable")


# --- Session checks: in CI every test runs; no test writes into the source tree --------------

# Skips that stay legitimate on the CI machine (reason prefixes); anything else, such as missing
# corpora, Chromium, Playwright or git, fails the run when CI or HELPGEN_REQUIRE_ALL is set.
EXPECTED_SKIPS = (
    "the file system is case-insensitive",   # a property of the disk, not a missing tool
    "cannot mount a tmpfs here",             # containers may refuse mount(2), even to root
)
SOURCE_FOLDERS = ("example-site", "helpgen", "themes")

_unexpected_skips: list[str] = []
_source_files_at_start: set[str] | None = None


def _require_all() -> bool:
    return bool(os.environ.get("CI") or os.environ.get("HELPGEN_REQUIRE_ALL"))


def _note_skip(report) -> None:
    text = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    reason = text.removeprefix("Skipped: ")
    if not reason.startswith(EXPECTED_SKIPS):
        _unexpected_skips.append(f"{report.nodeid}: {reason}")


def _source_files() -> set[str] | None:
    """Untracked and ignored files in the source folders (Python's bytecode aside); None without
    git or outside a git checkout."""
    if shutil.which("git") is None:
        return None
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all", "--ignored",
                             "--", *SOURCE_FOLDERS], cwd=ROOT, capture_output=True, text=True)
    if status.returncode != 0:
        return None
    return {line[3:] for line in status.stdout.splitlines()
            if line[:2] in ("??", "!!") and "__pycache__/" not in line}


def _written_into_source() -> list[str]:
    now = _source_files()
    if _source_files_at_start is None or now is None:
        return []
    return sorted(now - _source_files_at_start)


def pytest_sessionstart(session):
    global _source_files_at_start
    _source_files_at_start = _source_files()


def pytest_runtest_logreport(report):
    if report.skipped and not hasattr(report, "wasxfail"):
        _note_skip(report)


def pytest_collectreport(report):
    if report.skipped:
        _note_skip(report)


def _session_problems() -> dict[str, list[str]]:
    problems = {"tests wrote into the source tree (build a copy: conftest.copy_tree)":
                _written_into_source()}
    if _require_all():
        problems["in CI every test must run; these skipped (expected skips are listed in "
                 "tests/conftest.py EXPECTED_SKIPS)"] = _unexpected_skips
    return {title: lines for title, lines in problems.items() if lines}


def pytest_sessionfinish(session):
    if _session_problems():
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    for title, lines in _session_problems().items():
        terminalreporter.section("session check failed", red=True)
        terminalreporter.line(title + ":", red=True)
        for line in lines:
            terminalreporter.line("  " + line, red=True)


# --- Shared by the contact, CSP and Markdown-copy tests ---------------------------------

# A site whose contact form, feedback and analytics go to a local Receiver (format: json or form).
CONTACT_CONFIG = """\
site: {{title: {{en: Acme Help, zh-CN: Acme 帮助中心}}}}
locales: {{default: en, others: [zh-CN]}}
contact:
  endpoint: {receiver}/tickets
  format: {format}
  fields:
    - name
    - email
    - subject
    - category
    - {{name: order_id, type: text, label: {{en: Order number, zh-CN: 订单号}}}}
    - message
    - {{name: consent, type: checkbox, label: {{en: You may view my account, zh-CN: 允许查看账户}}, required: true}}
feedback:
  endpoint: {receiver}/feedback
analytics:
  endpoint: {receiver}/events
"""


class Receiver:
    """A form backend on 127.0.0.1: records every request; answers 500 while `failing`."""

    def __init__(self):
        self.requests: list[dict] = []
        self.failing = False
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def cors(self):
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Access-Control-Allow-Methods", "POST, OPTIONS")
                self.send_header("Access-Control-Allow-Headers", "Content-Type")

            def do_OPTIONS(self):
                receiver.requests.append({"method": "OPTIONS", "path": self.path})
                self.send_response(204)
                self.cors()
                self.end_headers()

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                receiver.requests.append({"method": "POST", "path": self.path, "body": body,
                                          "type": self.headers.get("Content-Type", "")})
                self.send_response(500 if receiver.failing else 200)
                self.cors()
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def posts(self, path: str) -> list[dict]:
        return [r for r in self.requests if r["method"] == "POST" and r["path"] == path]

    def events(self, name: str, timeout: float = 10.0) -> list[dict]:
        """The analytics events called `name`, waiting (bounded) for the first to arrive."""
        deadline = time.monotonic() + timeout
        while True:
            found = [e for e in (json.loads(r["body"]) for r in self.posts("/events"))
                     if e["event"] == name]
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.05)


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.server.shutdown()


def fill_contact(page, **values):
    for name, value in values.items():
        field = page.locator(f"[name={name}]")
        if name == "consent":
            field.check()
        elif name == "category":
            field.select_option(value)
        else:
            field.fill(value)


GOOD = dict(name="Mei", email="mei@example.com", subject="Refund for order", category="billing",
            order_id="A-17", message="I was charged twice.", consent="yes")


class _HeadersHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files with the headers `_headers` gives their path, as a static host does."""

    def log_message(self, *args):
        pass

    def end_headers(self):
        path = self.path.split("?")[0]
        for name, value in headers_for(self.server.rules, path):
            self.send_header(name, value)
        super().end_headers()


def serve_under_help(out, tmp_path):
    """`out` served at http://127.0.0.1:PORT/help/ with its `_headers`; (server, URL)."""
    root = tmp_path / "host"
    shutil.copytree(out, root / "help")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_HeadersHandler, directory=str(root)))
    server.rules = (out / "_headers").read_text()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/help/"


@pytest.fixture
def watched(browser):
    """A page whose CSP violations (events and console reports) and script errors are kept."""
    context = browser.new_context()
    page = context.new_page()
    page.problems = []
    page.expose_function("reportViolation", lambda text: page.problems.append(text))
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                         "window.reportViolation(e.violatedDirective + ' ' + e.blockedURI + "
                         "' ' + e.documentURI))")
    page.on("console", lambda m: page.problems.append(m.text)
            if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    context.close()


FOCUS_STYLE = """element => {
  const style = getComputedStyle(element);
  return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2)
    || style.boxShadow !== "none";
}"""


# --- Shared by the brand tests and others -----------------------------------------------

BASIC_WITH = BASIC_CONFIG + """\
  untranslated: hide
theme: {name: default}
"""


TWO_BRANDS = BASIC_WITH + """\
brand:
  primary_color: "#0b62d6"
contact:
  email: help@acme.example
brands:
  - id: acme
    name: {en: Acme Help, zh-CN: Acme 帮助}
  - id: bolt
    name: Bolt Support
    url: https://support.bolt.example/
    categories: [devices]
    brand: {primary_color: "#6a1b9a"}
    contact: {email: help@bolt.example}
"""
