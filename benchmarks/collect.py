"""Load and fault benchmark of `helpgen collect`: requests per second and latency on this
machine, as a ratio to the same server stack answering without checking or storing anything,
and a run in which the collector is killed (kill -9) mid-load and restarted, counting what it
had acknowledged and lost.

    python benchmarks/collect.py [--requests 3000] [--concurrency 32] [--postgres | --database URL]

Traffic stays on 127.0.0.1. The mix is what a help center sends: 70% search events, 20%
feedback votes, 10% contact submissions. Each request is a real HTTP request to a real server
process (uvicorn), stored in SQLite (the default), in a PostgreSQL server the script starts in
a temporary folder (`--postgres`, Debian's `postgresql`) or in the database of `--database`.

The baseline ("peer") is a Starlette app on uvicorn, in its own process like the collector,
that answers every POST with 201 and a fixed body: the ratio says what validation, the rate
limiter and a committed row cost on top of the server itself. The fault run sends the same mix
while the collector is killed after a third of the requests and restarted; every request it
answered 201 must be in the database afterwards (exit status 1 otherwise).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from collector import Collector, Postgres, free_port, rows  # noqa: E402

SITE_CONFIG = """\
site: {title: Bench}
collect:
  url: http://127.0.0.1/
  origins: [https://help.bench.example]
  rate_limit: 1000000
"""
PEER = """\
import sys, uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route
async def ok(request):
    await request.body()
    return JSONResponse({"id": 1}, status_code=201)
app = Starlette(routes=[Route("/{kind}", ok, methods=["POST"])])
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning",
            access_log=False)
"""


def request(number: int) -> tuple[str, dict]:
    """The `number`th request of the mix."""
    slot = number % 10
    if slot < 7:
        return "events", {"event": "search", "detail": {"query": f"refund {number % 97}",
                                                        "results": number % 5, "locale": "en"},
                          "page_url": "https://help.bench.example/search/"}
    if slot < 9:
        return "feedback", {"vote": "no" if number % 3 else "yes", "locale": "en",
                            "url": "https://help.bench.example/billing/refunds/",
                            "article": "articles/billing/refunds.md"}
    return "contact", {"name": "Mei", "email": "mei@example.com", "subject": "Refund",
                       "message": f"Bench message {number}",
                       "context": {"page_url": "https://help.bench.example/contact/",
                                   "locale": "en", "searches": ["refund"]}}


async def load(url: str, numbers: range, concurrency: int, acknowledged: dict | None = None,
               on_progress=None) -> tuple[float, list[float], int]:
    """Send the requests `numbers` with `concurrency` at once; (seconds, latencies of the
    answered ones, how many failed). With `acknowledged`, contact ids answered 201 are kept
    with their message."""
    queue = iter(numbers)
    latencies: list[float] = []
    failed = 0
    done = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        async def worker():
            nonlocal failed, done
            for number in queue:
                kind, body = request(number)
                started = time.perf_counter()
                try:
                    answer = await client.post(url + kind, json=body)
                except httpx.HTTPError:
                    failed += 1
                    continue
                finally:
                    done += 1
                    if on_progress:
                        on_progress(done)
                if answer.status_code != 201:
                    failed += 1
                    continue
                latencies.append(time.perf_counter() - started)
                if acknowledged is not None and kind == "contact":
                    acknowledged[answer.json()["id"]] = body["message"]

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - started, latencies, failed


def p95(latencies: list[float]) -> float:
    return statistics.quantiles(latencies, n=20)[-1] * 1000 if len(latencies) > 1 else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--database", help="a PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--postgres", action="store_true",
                        help="start a PostgreSQL server for the run and store there")
    args = parser.parse_args()
    server = Postgres().start() if args.postgres else None
    if server:
        args.database = server.url
    try:
        return run(args)
    finally:
        if server:
            server.stop()


def run(args) -> int:
    with tempfile.TemporaryDirectory(prefix="helpgen-collect-bench-") as folder:
        folder = Path(folder)
        site = folder / "site"
        (site / "articles" / "billing").mkdir(parents=True)
        (site / "helpgen.yml").write_text(SITE_CONFIG)
        (site / "articles" / "billing" / "refunds.md").write_text(
            textwrap.dedent("---\ntitle: Refunds\n---\n\nRefunds.\n"))
        database = args.database or f"sqlite:///{folder / 'collect.db'}"

        port = free_port()
        peer = subprocess.Popen([sys.executable, "-c", PEER, str(port)],
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        time.sleep(2)
        try:
            peer_seconds, peer_latencies, _ = asyncio.run(
                load(f"http://127.0.0.1:{port}/", range(args.requests), args.concurrency))
        finally:
            peer.terminate()
            peer.wait()

        collector = Collector(site, database, folder / "log").start()
        try:
            seconds, latencies, failed = asyncio.run(
                load(collector.url, range(args.requests), args.concurrency))
        finally:
            collector.stop()
        peer_rate, rate = args.requests / peer_seconds, args.requests / seconds
        print(f"peer (uvicorn + Starlette, nothing stored): {peer_rate:7.0f} requests/s, "
              f"p95 {p95(peer_latencies):6.1f} ms")
        print(f"helpgen collect ({'PostgreSQL' if args.database else 'SQLite'}):"
              f"{' ' * (18 if args.database else 22)}{rate:7.0f} requests/s, "
              f"p95 {p95(latencies):6.1f} ms, {failed} not answered 201")
        print(f"ratio to the peer: {rate / peer_rate:.2f}")

        acknowledged: dict[int, str] = {}
        port = free_port()
        running = [Collector(site, database, folder / "log2", port).start()]
        kill_at = args.requests // 3
        restarts = []

        def progress(done: int) -> None:
            """Kill the collector once a third of the requests are done, and start it again
            (on the same port) while the load goes on."""
            if done == kill_at:
                running[0].kill()
                restarts.append(asyncio.get_running_loop().run_in_executor(
                    None, lambda: running.append(
                        Collector(site, database, folder / "log3", port).start())))

        async def fault_run():
            result = await load(running[0].url, range(args.requests, 2 * args.requests),
                                args.concurrency, acknowledged, progress)
            await asyncio.gather(*restarts)
            return result

        _, _, refused = asyncio.run(fault_run())
        running[-1].stop()
        stored = {row["id"]: row["message"] for row in rows(database, "contact")}
        lost = [key for key, message in acknowledged.items() if stored.get(key) != message]
        print(f"fault run: killed (kill -9) after {kill_at} requests and restarted; "
              f"{refused} requests refused meanwhile (the browser keeps those); "
              f"{len(acknowledged)} contact submissions acknowledged, {len(lost)} of them lost")
        return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
