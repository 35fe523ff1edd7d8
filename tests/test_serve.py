"""helpgen serve: a live preview that reloads on every change, shows build errors over the page
and keeps running; everything on loopback, every thread and process stopped at the end."""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zlib
from pathlib import Path

import pytest
from watchfiles import Change

from conftest import ROOT, article, write_site
from helpgen.settings.theme_folders import theme_dir
from helpgen.commands.serve import EVENTS_PATH, ChangeFilter, LiveServer

TIMEOUT = 15.0           # seconds; each wait below ends as soon as its condition holds
ARTICLE = "articles/billing/refunds/request-a-refund.md"
ARTICLE_URL = "billing/refunds/request-a-refund/"


def wait_until(condition, timeout: float = TIMEOUT, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def png(width: int, height: int) -> bytes:
    """A small valid PNG (opaque teal), written by hand to need no imaging library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + b"\x0e\x74\x90" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


class Terminal:
    """Collects what the server prints."""

    def __init__(self):
        self.lines: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, message: str = "", err: bool = False, **_) -> None:
        with self.lock:
            self.lines.append(message)

    @property
    def text(self) -> str:
        with self.lock:
            return "\n".join(self.lines)


def serve_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("helpgen-serve")]


@pytest.fixture
def terminal():
    return Terminal()


@pytest.fixture
def serve(site, terminal):
    """Starts LiveServers on free loopback ports; stops them and checks nothing is left."""
    servers: list[LiveServer] = []

    def start(folder: Path = site) -> LiveServer:
        server = LiveServer(folder, "127.0.0.1", 0, echo=terminal)
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()
    wait_until(lambda: not serve_threads(), 10.0, "the server's threads to end")
    for server in servers:
        assert server.tmp is not None and not server.tmp.exists()


@pytest.fixture
def page(browser, serve):
    """A fresh browser page, closed before the server stops."""
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def expect():
    return pytest.importorskip("playwright.sync_api").expect


class EventStream:
    """A raw Server-Sent Events client, with bounded reads."""

    def __init__(self, host: str, port: int):
        self.sock = socket.create_connection((host, port), timeout=TIMEOUT)
        self.sock.sendall(f"GET {EVENTS_PATH} HTTP/1.0\r\nHost: {host}\r\n\r\n".encode())
        self.buffer = b""
        head = self._until(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.0 200") and b"text/event-stream" in head

    def _until(self, separator: bytes) -> bytes:
        while separator not in self.buffer:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError("the event stream closed")
            self.buffer += data
        block, self.buffer = self.buffer.split(separator, 1)
        return block

    def next(self) -> tuple[str, dict | None]:
        """The next event with a name (comments and `retry:` are skipped)."""
        while True:
            fields = dict(line.split(": ", 1) for line in
                          self._until(b"\n\n").decode().splitlines() if ": " in line)
            if "event" in fields:
                return fields["event"], json.loads(fields["data"])

    def close(self):
        self.sock.close()


# --- without a browser ---------------------------------------------------------------------------


def test_changes_that_matter_are_watched_and_others_ignored(site, tmp_path):
    theme, out = theme_dir(), tmp_path / "private-output"
    matters = ChangeFilter(site, theme, out)
    watched = [site / "helpgen.yml", site / ARTICLE, site / "articles/billing/_category.yml",
               site / "articles/new-category", site / "assets/logo.svg", site / "assets",
               site / "assets/img/chart.png", theme / "templates/base.html",
               theme / "static/helpgen.css", theme / "i18n/en.yml"]
    ignored = [site / "site/index.html", site / ".site.new-1234/index.html", site / "README.md",
               site / ".helpgen-cache/articles.json", site / ".git/index", out / "index.html",
               site / "articles/billing/refunds/.request-a-refund.md.swp",
               site / "articles/billing/refunds/request-a-refund.md~",
               site / "articles/billing/refunds/#request-a-refund.md#",
               site / "articles/billing/refunds/.#request-a-refund.md",
               site / "articles/billing/refunds/4913", site / "assets/.DS_Store",
               site / "articles/billing/refunds/request-a-refund.md.tmp",
               site / "articles/billing/refunds/request-a-refund.md___jb_tmp___",
               site / "articles/billing/refunds/sedX1b2c3", theme / "templates/.base.html.swp"]
    for path in watched:
        assert matters(Change.modified, str(path)), path
    for path in ignored:
        assert not matters(Change.modified, str(path)), path


def test_the_theme_custom_dir_is_watched_and_follows_the_config(site):
    (site / "overrides/templates").mkdir(parents=True)
    (site / "partials").mkdir()
    config = site / "helpgen.yml"
    config.write_text(config.read_text() + "theme: {custom_dir: overrides}\n")
    matters = ChangeFilter(site, None)
    assert matters(Change.modified, str(site / "overrides/templates/base.html"))
    assert not matters(Change.modified, str(site / "partials/x.html"))
    config.write_text(config.read_text().replace("overrides", "partials"))
    assert matters(Change.modified, str(config))
    assert matters(Change.modified, str(site / "partials/x.html"))
    assert not matters(Change.modified, str(site / "overrides/templates/base.html"))


def test_the_server_listens_on_loopback_and_builds_outside_the_site(serve, site):
    server = serve()
    assert server.server_address[0] == "127.0.0.1"
    assert server.httpd.socket.getsockname()[0] == "127.0.0.1"
    assert server.url.startswith("http://127.0.0.1:")
    assert site not in server.out.parents and not (site / "site").exists()


def test_the_reload_script_is_added_when_sending_never_written_to_disk(serve, site):
    server = serve()
    status, body = fetch(server.url + ARTICLE_URL)
    assert status == 200 and ">Request a refund</h1>" in body
    assert body.count('<script src="/__helpgen/live.js"') == 1
    assert body.index("/__helpgen/live.js") < body.rindex("</body>")
    status, script = fetch(server.url + "__helpgen/live.js")
    assert status == 200 and "EventSource" in script
    built = [path for path in server.out.rglob("*") if path.is_file()]
    assert len([p for p in built if p.suffix == ".html"]) > 5
    for path in built:
        content = path.read_bytes()
        assert b"__helpgen" not in content and b"EventSource" not in content, path
    # Missing pages get their locale's 404 page (also with the script), folders their index.
    status, body = fetch(server.url + "zh-CN/no-such-page/")
    assert status == 404 and '<html lang="zh-CN"' in body and "/__helpgen/live.js" in body
    assert "<h1>找不到页面</h1>" in body
    status, body = fetch(server.url + "no-such-page/")
    assert status == 404 and '<html lang="en"' in body and "<h1>Page not found</h1>" in body
    assert fetch(server.url + "billing/refunds")[0] == 200
    assert fetch(server.url + "../../etc/passwd")[0] == 404


def test_the_preview_sends_the_security_headers_the_host_will(serve, site):
    """Writers see a Content-Security-Policy violation while writing, not after publishing."""
    server = serve()
    published = (server.out / "_headers").read_text(encoding="utf-8")
    for path in (ARTICLE_URL, "no-such-page/"):
        try:
            response = urllib.request.urlopen(server.url + path, timeout=TIMEOUT)
        except urllib.error.HTTPError as error:
            response = error
        policy = response.headers["Content-Security-Policy"]
        assert policy and f"Content-Security-Policy: {policy}\n" in published
        assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response.headers.get_all("X-Content-Type-Options") == ["nosniff"]
        assert response.headers.get_all("Cache-Control") == ["no-store"]


def test_the_preview_sends_feeds_with_their_types(serve, site):
    """A feed reader or browser pointed at the preview gets the types the host will send."""
    server = serve()
    for path, kind in (("zh-CN/feed.xml", "application/atom+xml; charset=utf-8"),
                       ("opensearch.xml", "application/opensearchdescription+xml; "
                                          "charset=utf-8"),
                       ("sitemap.xml", "application/xml; charset=utf-8")):
        response = urllib.request.urlopen(server.url + path, timeout=TIMEOUT)
        assert response.headers.get_all("Content-Type") == [kind], path


def test_markdown_copies_and_llms_txt_are_sent_as_utf8_text(serve, site):
    """As `_headers` has hosts send them: Chinese text read as Latin-1 would be garbled."""
    server = serve()
    for path, kind in [(ARTICLE_URL + "index.md", "text/markdown; charset=utf-8"),
                       ("zh-CN/llms.txt", "text/plain; charset=utf-8")]:
        response = urllib.request.urlopen(server.url + path, timeout=TIMEOUT)
        assert response.headers.get_all("Content-Type") == [kind], path
    response = urllib.request.urlopen(server.url + "zh-CN/llms-full.txt", timeout=TIMEOUT)
    assert "# 申请退款" in response.read().decode("utf-8")


def test_each_brand_is_previewed_with_its_own_policy(serve, site):
    from conftest import TWO_BRANDS
    write_site(site, {"helpgen.yml": TWO_BRANDS,
                      "articles/devices/reset.md": article("Reset a device", "Unplug it.")})
    server = serve()
    for brand in ("acme", "bolt"):
        published = (server.out / brand / "_headers").read_text(encoding="utf-8")
        response = urllib.request.urlopen(f"{server.url}{brand}/", timeout=TIMEOUT)
        policy = response.headers["Content-Security-Policy"]
        assert policy and f"Content-Security-Policy: {policy}\n" in published


def test_a_site_url_with_a_path_is_previewed_under_that_path(serve, site):
    """Pages that use absolute paths (404, redirects) work as they will when published."""
    config = (site / "helpgen.yml").read_text(encoding="utf-8")
    write_site(site, {"helpgen.yml": config.replace("https://help.acme.example/",
                                                    "https://acme.example/docs/")})
    server = serve()
    assert server.url.endswith("/docs/")
    status, body = fetch(server.url.replace("/docs/", "/"))       # the root redirects there
    assert status == 200 and "Acme Help" in body
    assert fetch(server.url + ARTICLE_URL)[0] == 200
    status, body = fetch(server.url + "no-such-page/")
    assert status == 404 and 'href="/docs/' in body


def test_events_say_reload_after_a_good_build_and_error_after_a_bad_one(serve, site, terminal):
    server = serve()
    events = EventStream(*server.server_address[:2])
    try:
        name, hello = events.next()
        assert name == "hello" and hello["ok"]
        write_site(site, {ARTICLE: article("Ask for a refund", order=1)})
        name, data = events.next()
        assert name == "reload" and data["generation"] != hello["generation"]

        write_site(site, {ARTICLE: "---\ntitle: Ask for a refund\norder: [1\n---\n\nText.\n"})
        name, data = events.next()
        assert name == "error" and data["has_site"]
        [problem] = data["problems"]
        assert problem["path"] == ARTICLE and problem["line"] == 3
        assert problem["severity"] == "error" and problem["message"].startswith("malformed YAML")
        assert problem["text"].startswith(f"{ARTICLE}:3: error: malformed YAML")
        assert problem["text"] in terminal.text      # the terminal shows the same words
        assert "Build failed with 1 error; still serving the last good version." in terminal.text
        # The last good version is still served.
        status, body = fetch(server.url + ARTICLE_URL)
        assert status == 200 and ">Ask for a refund</h1>" in body
    finally:
        events.close()


def _as_from_a_terminal() -> None:
    """In the child: Ctrl-C as a terminal delivers it (neither blocked nor ignored, whatever
    the test process inherited from the CI runner)."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_the_command_cleanly(site, tmp_path):
    """The real command in a subprocess: default host, the banner, Ctrl-C with a page connected."""
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(private_tmp), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "helpgen", "serve", str(site), "--port", "0"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, preexec_fn=_as_from_a_terminal)
    lines: queue.Queue = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout],
                              daemon=True)
    reader.start()
    events = None
    try:
        banner = lines.get(timeout=60)
        while not banner.startswith("Serving"):
            banner = lines.get(timeout=60)
        assert banner.startswith(f"Serving {site} at http://127.0.0.1:")
        assert banner.rstrip().endswith("/ (Ctrl-C to stop)")
        url = banner.split(" at ", 1)[1].split(" ", 1)[0]
        assert fetch(url + ARTICLE_URL)[0] == 200
        host, port = url[len("http://"):].rstrip("/").split(":")
        events = EventStream(host, int(port))
        assert events.next()[0] == "hello"
        process.send_signal(signal.SIGINT)
        try:
            # Stopping waits for a build in progress (up to BUILD_JOIN_SECONDS, 60 s).
            code = process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            process.kill()
            raise AssertionError(f"Ctrl-C did not stop it; it said: {process.communicate()}"
                                 f" {list(lines.queue)}") from None
        assert code == 0, process.stderr.read()
        with pytest.raises(EOFError):           # the page's connection was closed
            events.next()
        reader.join(10)
        assert not lines.empty() and "Stopped." in list(lines.queue)[-1]
        assert list(private_tmp.iterdir()) == []     # the built files are gone
    finally:
        if events:
            events.close()
        if process.poll() is None:
            process.kill()
            process.wait(10)
        process.stdout.close()
        process.stderr.close()


def test_a_port_in_use_is_a_usage_error(cli, site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = cli("serve", site, "--port", taken.getsockname()[1])
    assert result.exit_code == 2
    assert "cannot listen on 127.0.0.1:" in result.stderr and "--port" in result.stderr


# --- in a browser --------------------------------------------------------------------------------


@pytest.mark.browser
def test_the_page_reloads_by_itself_when_an_article_changes(serve, page, site):
    server = serve()
    page.goto(server.url + ARTICLE_URL)
    expect()(page.locator("h1")).to_have_text("Request a refund")
    wait_until(lambda: server.hub.listeners == 1, what="the page to listen")
    page.evaluate("window.beforeReload = true")
    write_site(site, {ARTICLE: article("Ask for your money back", order=1)})
    expect()(page.locator("h1")).to_have_text("Ask for your money back", timeout=TIMEOUT * 1000)
    assert page.evaluate("window.beforeReload") is None      # a real reload, not a patch
    assert page.get_by_role("alertdialog").count() == 0
    assert not page.errors


@pytest.mark.browser
def test_a_content_error_shows_an_overlay_and_fixing_it_removes_it(serve, page, site, terminal):
    server = serve()
    page.goto(server.url + ARTICLE_URL)
    expect()(page.locator("h1")).to_have_text("Request a refund")
    write_site(site, {ARTICLE: "---\ntitle: Request a refund\norder: [1\n---\n\nText.\n"})

    overlay = page.get_by_role("alertdialog")
    expect()(overlay).to_be_visible(timeout=TIMEOUT * 1000)
    expect()(overlay).to_contain_text("Build failed: 1 error")
    expect()(overlay).to_contain_text(f"{ARTICLE}:3: error")
    expect()(overlay).to_contain_text("malformed YAML")
    expect()(overlay).to_contain_text("hint: check the indentation")
    z_index = overlay.evaluate("node => getComputedStyle(node).zIndex")
    assert int(z_index) > 10000 and overlay.evaluate("n => getComputedStyle(n).position") == "fixed"
    expect()(page.locator("h1")).to_have_text("Request a refund")      # the last good page
    assert f"{ARTICLE}:3: error: malformed YAML" in terminal.text

    # The server still serves, and a page opened now shows the problem too.
    assert fetch(server.url + "billing/refunds/policy/")[0] == 200
    other = page.context.new_page()
    other.goto(server.url + "billing/refunds/policy/")
    expect()(other.get_by_role("alertdialog")).to_contain_text(f"{ARTICLE}:3")
    other.close()

    write_site(site, {ARTICLE: article("Request a full refund", order=1)})
    expect()(page.locator("h1")).to_have_text("Request a full refund", timeout=TIMEOUT * 1000)
    expect()(page.get_by_role("alertdialog")).to_have_count(0)
    assert not page.errors


@pytest.mark.browser
def test_when_the_first_build_fails_a_page_shows_the_problems_until_it_builds(serve, page, site):
    """Every problem text goes in as text: a folder named like HTML is shown, never run."""
    folder = site / "articles/billing/refunds/<img src=x onerror=window.pwned=1>"
    write_site(site, {f"{folder.relative_to(site)}/deep.md": article("Too deep")})
    server = serve()
    response = page.goto(server.url)
    assert response.status == 503
    overlay = page.get_by_role("alertdialog")
    expect()(overlay).to_be_visible(timeout=TIMEOUT * 1000)
    expect()(overlay).to_contain_text("folders can only be two levels deep")
    expect()(overlay).to_contain_text("articles/billing/refunds/<img src=x onerror=window.pwned=1>")
    assert overlay.locator("img").count() == 0 and page.evaluate("window.pwned") is None
    assert "Nothing could be built yet" in overlay.inner_text()

    shutil.rmtree(folder)
    expect()(page.locator("h1")).to_have_text("Acme Help", timeout=TIMEOUT * 1000)
    expect()(page.get_by_role("alertdialog")).to_have_count(0)
    assert page.evaluate("window.pwned") is None


@pytest.mark.browser
def test_adding_an_image_to_assets_reloads_the_page(serve, page, site):
    write_site(site, {"articles/billing/refunds/policy.md": article(
        "Refund policy", "![Chart](../../../assets/chart.png)", order=2)})
    server = serve()
    page.goto(server.url + "billing/refunds/policy/")
    image = "document.querySelector('main img[alt=Chart]')"
    page.wait_for_function(f"() => {image} && {image}.complete")
    assert page.evaluate(f"{image}.naturalWidth") == 0       # not there yet
    wait_until(lambda: server.hub.listeners == 1, what="the page to listen")
    (site / "assets").mkdir()
    (site / "assets/chart.png").write_bytes(png(3, 2))
    page.wait_for_function(f"() => {image} && {image}.complete && {image}.naturalWidth === 3",
                           timeout=TIMEOUT * 1000)
    assert page.get_by_role("alertdialog").count() == 0
