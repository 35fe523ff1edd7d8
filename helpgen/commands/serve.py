"""`helpgen serve`: a local preview that rebuilds on every change and reloads the browser.

The site is built with the normal build into a private temporary folder (never SITE/site) and
served from there by a stdlib HTTP server, on loopback unless told otherwise. watchfiles reports
changes to articles/, assets/, helpgen.yml and the theme; each one runs the build again, which
writes only when it succeeds, so the last good version stays up. Pages hear about builds over
Server-Sent Events at /__helpgen/events: "reload" after a good build, "error" with the problems
after a bad one, which the page shows as an overlay. The script that listens is added to HTML
pages as they are sent; the built files never contain it.
"""

from __future__ import annotations

import gc
import html
import ipaddress
import json
import mimetypes
import os
import queue
import re
import shutil
import signal
import socket
import socketserver
import tempfile
import threading
import time
import traceback
import uuid
import webbrowser
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import click
import watchfiles

from helpgen.content.audience import AUDIENCES, PUBLIC
from helpgen.session import Session
from helpgen.settings.config import CONFIG_FILE, load_config
from helpgen.commands.present import (BUG_HINT, internal_error, print_report, problem_text,
                                      serve_built, serve_cannot_listen, serve_changed,
                                      serve_exposed, serve_failed, serve_serving, serve_stopped,
                                      serve_watch_failed)
from helpgen.errors import HelpgenError, Report
from helpgen.output.host_files import headers_for
from helpgen.settings.theme_folders import themes_root

EVENTS_PATH = "/__helpgen/events"
SCRIPT_PATH = "/__helpgen/live.js"
LIVE_JS = Path(__file__).parent.parent / "client" / "live.js"
WATCHED_FOLDERS = ("articles", "assets")     # inside the site folder, besides helpgen.yml
KEEPALIVE_SECONDS = 15.0
# A change is built once no other came for this long (watchfiles' default: 50 ms). An editor's
# save (a temporary file renamed over the article) takes well under it.
WATCH_STEP_MS = 20
COLLECT_EVERY = 25                           # builds between two full garbage collections
BUILD_JOIN_SECONDS = 60.0                    # how long stop() waits for a build in progress

# Names editors and tools write beside the file being saved; changes to them are not edits.
EDITOR_TEMP = re.compile(r"""^(?:
      \..*                               # hidden: .#lock, .name.swp, .goutputstream-…, .DS_Store
    | \#.*\#                             # Emacs auto-save
    | .*~                                # backups
    | .*\.(?:sw[a-p]|swpx|tmp|crswap|kate-swp)   # Vim swap, temporary, VS Code, Kate
    | .*___jb_(?:tmp|old|bak)___         # JetBrains safe write
    | 4913                               # Vim's "can I write here" probe
    | sed[A-Za-z0-9]{6}                  # sed -i
    )$""", re.VERBOSE | re.IGNORECASE)

CONTENT_TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json",
                 ".svg": "image/svg+xml", ".xml": "application/xml", ".webmanifest":
                 "application/manifest+json", ".woff2": "font/woff2", ".txt": "text/plain",
                 ".md": "text/markdown"}
TEXT_TYPES = ("text/", "application/json", "application/xml", "image/svg+xml",
              "application/manifest+json")


# --- what counts as a change ---------------------------------------------------------------------


def _relative(path: Path, root: Path | None) -> tuple[str, ...] | None:
    if root is None:
        return None
    try:
        return path.relative_to(root).parts
    except ValueError:
        return None


class ChangeFilter:
    """watchfiles filter: articles/, assets/, helpgen.yml and the theme's custom_dir in the site
    folder, and the built-in themes; never the output folder, hidden files or editors'
    temporary files."""

    def __init__(self, site_dir: Path, themes_dir: Path | None, output: Path | None = None):
        self.site_dir = site_dir.resolve()
        self.themes_dir = themes_dir.resolve() if themes_dir else None
        self.output = output.resolve() if output else None
        self.custom_dir = self._custom_dir()

    def _custom_dir(self) -> str | None:
        """The first folder of `theme.custom_dir` (read again whenever helpgen.yml changes)."""
        try:
            folder = load_config(self.site_dir, Report()).theme_custom_dir
        except HelpgenError:
            return None
        parts = _relative(folder, self.site_dir) if folder else None
        return parts[0] if parts else None

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        file = Path(path)
        if self.output is not None and _relative(file, self.output) is not None:
            return False
        parts = _relative(file, self.site_dir)
        if parts:
            if parts == (CONFIG_FILE,):
                self.custom_dir = self._custom_dir()
                return True
            if parts[0] in WATCHED_FOLDERS or parts[0] == self.custom_dir:
                return not any(EDITOR_TEMP.match(part) for part in parts[1:])
        parts = _relative(file, self.themes_dir)
        if parts:
            return not any(EDITOR_TEMP.match(part) or part == "__pycache__" for part in parts)
        return False


# --- build state and the browsers listening for it -----------------------------------------------


@dataclass(frozen=True)
class State:
    generation: str                   # changes with every good build; pages carry the one they got
    has_site: bool                    # a good build exists and is being served
    base_path: str                    # where that build expects to be served
    problems: tuple | None = None     # problems of the latest build when it failed, else None


def _sse(event: str, data: dict) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode("utf-8")


class _Hub:
    """The pages listening on /__helpgen/events, one queue each."""

    def __init__(self):
        self._lock = threading.Lock()
        self._clients: set[queue.SimpleQueue] = set()
        self._closed = False

    def subscribe(self) -> queue.SimpleQueue | None:
        client: queue.SimpleQueue = queue.SimpleQueue()
        with self._lock:
            if self._closed:
                return None
            self._clients.add(client)
        return client

    def unsubscribe(self, client: queue.SimpleQueue) -> None:
        with self._lock:
            self._clients.discard(client)

    def publish(self, event: str, data: dict) -> None:
        message = _sse(event, data)
        with self._lock:
            for client in self._clients:
                client.put(message)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for client in self._clients:
                client.put(None)

    @property
    def listeners(self) -> int:
        with self._lock:
            return len(self._clients)


def problem_data(error: HelpgenError, severity: str, site_dir: Path) -> dict:
    """A problem as the overlay shows it; `text` is exactly what the terminal shows."""
    path = None
    if error.path is not None:
        try:
            path = error.path.resolve().relative_to(site_dir.resolve()).as_posix()
        except ValueError:
            path = str(error.path)
    return {"severity": severity, "path": path, "line": error.line, "message": error.message,
            "hint": error.hint, "text": problem_text(error, severity, site_dir)}


# --- the server ----------------------------------------------------------------------------------


class LiveServer:
    """Builds SITE, serves the result with live reload and rebuilds on every change.

    `start()` binds, builds once and returns; serving and watching go on in background threads
    until `stop()`. Also a context manager.
    """

    def __init__(self, site_dir: Path, host: str = "127.0.0.1", port: int = 8000,
                 echo=click.echo, audience: str = PUBLIC):
        self.site_dir = Path(site_dir).resolve()
        self.audience = audience
        self.host, self.port = host, port
        self.echo = echo
        try:
            self.themes_dir: Path | None = themes_root()
        except HelpgenError:
            self.themes_dir = None
        self.hub = _Hub()
        self.httpd: _HTTPServer | None = None
        self.tmp: Path | None = None
        self.out: Path | None = None
        self.filter: ChangeFilter | None = None
        self._token = uuid.uuid4().hex[:8]
        # Its builds, each from the last (an edit reads and makes what it changed), made by
        # start()
        self._session: Session | None = None
        self._builds = 0
        self._settled = 0                          # builds since the preview started
        self._state = State(f"{self._token}-0", False, "/")
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._watch_thread: threading.Thread | None = None
        self._http_thread: threading.Thread | None = None

    # life cycle

    def bind(self) -> None:
        """Open the listening socket (OSError when the address is taken)."""
        if self.httpd is None:
            self.httpd = _HTTPServer((self.host, self.port), self)

    def start(self) -> LiveServer:
        self.bind()
        self.tmp = Path(tempfile.mkdtemp(prefix="helpgen-serve-"))
        self.out = self.tmp / "site"
        self._session = Session(self.site_dir, self.out, self.audience)
        self.filter = ChangeFilter(self.site_dir, self.themes_dir, self.tmp)
        self._watch_thread = threading.Thread(target=self._watch, name="helpgen-serve-watch",
                                              daemon=True)
        self._watch_thread.start()
        while not self._ready.wait(0.2):     # the first build; Ctrl-C still works meanwhile
            if not self._watch_thread.is_alive():
                break
        self._http_thread = threading.Thread(target=self.httpd.serve_forever, args=(0.2,),
                                             name="helpgen-serve-http", daemon=True)
        self._http_thread.start()
        return self

    def stop(self) -> None:
        """Stop watching and serving, close every connection and delete the built files."""
        if self._stop.is_set():
            return
        self._stop.set()
        if self.httpd is not None:
            if self._http_thread is not None:
                self.httpd.shutdown()
            self.hub.close()
            self.httpd.server_close()
            self.httpd.join_requests(5.0)
        for thread, seconds in ((self._http_thread, 5.0), (self._watch_thread, BUILD_JOIN_SECONDS)):
            if thread is not None:
                thread.join(seconds)
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
        gc.unfreeze()                            # what _settle froze can be collected again

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def server_address(self) -> tuple:
        assert self.httpd is not None
        return self.httpd.server_address

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        if host in ("0.0.0.0", "::"):
            host = "127.0.0.1" if host == "0.0.0.0" else "::1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{port}{self.state().base_path}"

    def state(self) -> State:
        with self._lock:
            return self._state

    # watching and building

    def _watch(self) -> None:
        paths = [self.site_dir] + ([self.themes_dir] if self.themes_dir else [])
        try:
            for force_polling in (None, True):
                try:
                    # Times out every 250 ms with an empty set: the first one means changes are
                    # being recorded, so the first build cannot miss an edit made while it runs.
                    for changes in watchfiles.watch(
                            *paths, watch_filter=self.filter, stop_event=self._stop,
                            rust_timeout=250, yield_on_timeout=True, raise_interrupt=False,
                            force_polling=force_polling, step=WATCH_STEP_MS):
                        if not self._ready.is_set():
                            self.rebuild()
                            self._ready.set()
                            self._settle()
                        elif changes:
                            self.rebuild(changes)
                            self._settle()
                    return
                except Exception as exc:  # noqa: BLE001 - e.g. the system's inotify limits
                    if self._stop.is_set():
                        return
                    serve_watch_failed(self.site_dir, exc, force_polling is None, self.echo)
        finally:
            if not self._ready.is_set():
                if not self._stop.is_set():
                    self.rebuild()
                self._ready.set()

    def _settle(self) -> None:
        """Take what is alive after a build (mostly the cache it keeps for the next) out of the
        garbage collector's full passes, which went through all of it once or twice during
        every edit (0.07–0.15 s); every COLLECT_EVERY builds, collect everything once."""
        self._settled += 1
        if self._settled % COLLECT_EVERY == 0:
            gc.unfreeze()
            gc.collect()
        gc.freeze()

    def rebuild(self, changes=()) -> bool:
        """Build once; never raises. Tells the pages to reload, or shows them the problems."""
        if changes:
            serve_changed([Path(path) for _, path in changes], self.site_dir, self.themes_dir,
                          self.echo)
        result = None
        try:
            result = self._session.build([Path(path) for _, path in changes])
            report = result.report
        except HelpgenError as error:
            report = Report(errors=[error])
        except Exception as exc:  # noqa: BLE001 - a bad build must never stop the server
            report = Report(errors=[self._unexpected(exc)])
        print_report(report, self.site_dir, self.echo)

        if result is not None and result.written and not report.failed:
            base_path = result.base_path
            with self._lock:
                previous = self._state
                # The build leaves the output alone when no file in it changed: then there is
                # nothing to reload, unless the pages are showing problems that are now gone.
                same = (getattr(result, "changed", True) is False and previous.has_site
                        and previous.problems is None and previous.base_path == base_path)
                if not same:
                    self._builds += 1
                    self._state = State(f"{self._token}-{self._builds}", True, base_path)
                state = self._state
            serve_built(report, result, bool(changes), same, self.echo)
            if not same:
                self.hub.publish("reload", {"generation": state.generation})
            return True

        problems = tuple([problem_data(e, "error", self.site_dir) for e in report.errors]
                         + [problem_data(w, "warning", self.site_dir) for w in report.warnings])
        with self._lock:
            self._state = state = replace(self._state, problems=problems)
        serve_failed(report, state.has_site, self.echo)
        self.hub.publish("error", self.error_data(state))
        return False

    def error_data(self, state: State) -> dict:
        return {"generation": state.generation, "has_site": state.has_site,
                "problems": list(state.problems or ())}

    def _unexpected(self, exc: Exception) -> HelpgenError:
        """A theme template's mistake at its file and line; anything else is a helpgen bug."""
        frames = traceback.extract_tb(exc.__traceback__)
        if self.themes_dir is not None:
            for frame in reversed(frames):
                if _relative(Path(frame.filename), self.themes_dir.resolve()) is not None:
                    return HelpgenError(f"{type(exc).__name__}: {exc}", frame.filename,
                                        frame.lineno, "this comes from the theme's templates")
            lineno = getattr(exc, "lineno", None)
            filename = getattr(exc, "filename", None)
            if filename and _relative(Path(filename).resolve(), self.themes_dir.resolve()):
                return HelpgenError(f"{type(exc).__name__}: {exc}", filename, lineno,
                                    "this comes from the theme's templates")
        if os.environ.get("HELPGEN_DEBUG"):
            traceback.print_exception(type(exc), exc, exc.__traceback__)
        return HelpgenError(f"internal error: {type(exc).__name__}: {exc}", None, None, BUG_HINT)

    # what the HTTP handler needs

    def wait_for_output(self, seconds: float = 1.0) -> None:
        """A build replaces the output folder with two renames; wait out that instant."""
        deadline = time.monotonic() + seconds
        while self.out is not None and not self.out.is_dir() and time.monotonic() < deadline:
            time.sleep(0.01)

    def placeholder_page(self, state: State) -> bytes:
        """What every address shows while nothing has been built yet."""
        listing = "\n".join(html.escape(p["text"]) for p in state.problems or ())
        return (
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>helpgen serve: the site could not be built</title>\n</head>\n"
            "<body style=\"font:16px/1.5 system-ui,sans-serif;margin:2rem\">\n"
            "<h1>The site could not be built</h1>\n"
            f"<p>helpgen is watching <code>{html.escape(str(self.site_dir))}</code>; this page "
            "reloads by itself once the site builds.</p>\n"
            f"<noscript><pre>{listing}</pre></noscript>\n</body>\n</html>\n").encode("utf-8")


def live_script_tag(generation: str) -> bytes:
    return (f'<script src="{SCRIPT_PATH}" data-generation="{html.escape(generation)}">'
            "</script>\n").encode("utf-8")


def inject(page: bytes, generation: str) -> bytes:
    """The page with the live-reload script before its closing </body>."""
    at = page.lower().rfind(b"</body>")
    tag = live_script_tag(generation)
    return page + tag if at == -1 else page[:at] + tag + page[at:]


def content_type(name: str) -> str:
    suffix = os.path.splitext(name)[1].lower()
    kind = CONTENT_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or (
        "text/plain" if not suffix else "application/octet-stream")
    return f"{kind}; charset=utf-8" if kind.startswith(TEXT_TYPES) or kind.endswith(
        "javascript") else kind


class _HTTPServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that remembers its request threads so stop() can wait for them."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], live: LiveServer):
        self.live = live
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self._request_threads: list[threading.Thread] = []
        self._threads_lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's fully qualified name, which can stall.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]

    def process_request(self, request, client_address) -> None:
        thread = threading.Thread(target=self.process_request_thread,
                                  args=(request, client_address),
                                  name="helpgen-serve-request", daemon=True)
        with self._threads_lock:
            self._request_threads = [t for t in self._request_threads if t.is_alive()]
            self._request_threads.append(thread)
        thread.start()

    def join_requests(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        with self._threads_lock:
            threads = list(self._request_threads)
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = "helpgen-serve"
    protocol_version = "HTTP/1.0"        # one request per connection: no idle threads linger
    timeout = 30                          # a stalled client cannot hold a thread for long

    def log_message(self, format, *args) -> None:  # noqa: A002 - the stdlib's signature
        pass

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's naming
        self._respond(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(head=True)

    def _respond(self, head: bool) -> None:
        live = self.server.live
        request_path = urlsplit(self.path).path
        if request_path == EVENTS_PATH:
            return self._events(head)
        if request_path == SCRIPT_PATH:
            return self._send(200, content_type("live.js"), LIVE_JS.read_bytes(), head)
        state = live.state()
        if not state.has_site:
            page = inject(live.placeholder_page(state), state.generation)
            return self._send(503, "text/html; charset=utf-8", page, head)
        path = unquote(request_path, errors="replace")
        base = state.base_path
        if not path.startswith(base):
            if path in ("/", "/index.html"):
                return self._redirect(base)
            return self._not_found(state, head)
        parts = [part for part in path[len(base):].split("/") if part not in ("", ".")]
        if any(part == ".." or "\\" in part or "\0" in part for part in parts):
            return self._not_found(state, head)
        live.wait_for_output()
        target = live.out.joinpath(*parts)
        if target.is_dir():
            if not path.endswith("/"):
                query = urlsplit(self.path).query
                return self._redirect(request_path + "/" + (f"?{query}" if query else ""))
            target = target / "index.html"
        if not target.is_file():
            return self._not_found(state, head)
        self._send_file(target, state, 200, head)

    def _send_file(self, target: Path, state: State, status: int, head: bool) -> None:
        try:
            body = target.read_bytes()
        except OSError:
            return self._send(404, "text/plain; charset=utf-8", b"Not found\n", head)
        headers = self._site_headers(state)
        kind = next((value for name, value in headers if name.lower() == "content-type"),
                    content_type(target.name))
        if kind.startswith("text/html"):
            body = inject(body, state.generation)
        self._send(status, kind, body, head,
                   [(name, value) for name, value in headers if name.lower() != "content-type"])

    def _site_headers(self, state: State) -> list[tuple[str, str]]:
        """What the built `_headers` (a brand's, in its folder) gives this address on a host:
        the Content-Security-Policy above all, so writers see a violation while writing, and the
        type of a file its name does not tell (a feed, a Markdown copy in UTF-8); not its
        caching."""
        out = self.server.live.out
        path = unquote(urlsplit(self.path).path, errors="replace")
        first = path[len(state.base_path):].split("/", 1)[0] if path.startswith(
            state.base_path) else ""
        brand = [out / first / "_headers"] if first not in ("", ".", "..") and "\0" not in first \
            else []
        for rules_file in [*brand, out / "_headers"]:
            try:
                rules = rules_file.read_text("utf-8")
            except OSError:
                continue
            return [(name, value) for name, value in headers_for(rules, path)
                    if name.lower() not in ("cache-control", "x-content-type-options")]
        return []

    def _not_found(self, state: State, head: bool) -> None:
        """The built 404 page of the locale in the address, else of the default locale."""
        out = self.server.live.out
        path = unquote(urlsplit(self.path).path, errors="replace")
        first = path[len(state.base_path):].split("/", 1)[0] if path.startswith(
            state.base_path) else ""
        for page in ((out / first / "404.html") if first and first not in (".", "..") else None,
                     out / "404.html"):
            if page is not None and page.is_file():
                return self._send_file(page, state, 404, head)
        self._send(404, "text/plain; charset=utf-8", b"Not found\n", head)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

    def _send(self, status: int, kind: str, body: bytes, head: bool,
              extra: list[tuple[str, str]] = ()) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            for name, value in extra:
                self.send_header(name, value)
            self.end_headers()
            if not head:
                self.wfile.write(body)
        except OSError:
            pass      # the browser went away (navigated, reloaded, closed)

    def _events(self, head: bool) -> None:
        """Server-Sent Events: "hello" with the current generation, then "reload" / "error"."""
        live = self.server.live
        client = None if head else live.hub.subscribe()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if client is None:
                return
            state = live.state()
            self.wfile.write(b"retry: 1000\n\n" + _sse("hello", {
                "generation": state.generation, "ok": state.problems is None}))
            if state.problems is not None:
                self.wfile.write(_sse("error", live.error_data(state)))
            while True:
                try:
                    message = client.get(timeout=KEEPALIVE_SECONDS)
                except queue.Empty:
                    message = b": keep-alive\n\n"     # also notices pages that went away
                if message is None:
                    return
                self.wfile.write(message)
        except OSError:
            pass
        finally:
            if client is not None:
                live.hub.unsubscribe(client)


# --- the command ---------------------------------------------------------------------------------


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _interrupt(signum, frame):
    raise KeyboardInterrupt


@click.command("serve")
@click.argument("site_dir", metavar="[SITE]", default=".",
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. The default is reachable from this computer only.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on; 0 picks a free one.")
@click.option("--open/--no-open", "open_browser", default=False,
              help="Open the site in the default web browser.  [default: no-open]")
@click.option("--audience", type=click.Choice(AUDIENCES), default=PUBLIC, show_default=True,
              help="internal: preview the agents' help center, with the internal articles.")
def serve_command(site_dir: Path, host: str, port: int, open_browser: bool, audience: str):
    """Preview SITE (default: the current folder) in a browser, rebuilt and reloaded on every
    change to articles, assets, helpgen.yml or the theme."""
    site_dir = site_dir.resolve()
    server = LiveServer(site_dir, host, port, audience=audience)
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if in_main else None
    try:
        try:
            server.bind()
        except OSError as exc:
            serve_cannot_listen(host, port, exc)
        if not _is_loopback(host):
            serve_exposed(host)
        server.start()
        serve_serving(site_dir, server.url)
        if open_browser:
            webbrowser.open(server.url)
        while True:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    except Exception:  # noqa: BLE001 - as in build: a bug becomes a readable message
        server.stop()
        internal_error()
    finally:
        server.stop()
        if in_main:
            signal.signal(signal.SIGTERM, previous)
    serve_stopped()
