"""The collector's HTTP side, a Starlette app: `POST contact`, `POST feedback`, `POST events`
below collect.url's path, and `GET /healthz`.

Every request is checked before anything is stored: the browser origin (the site's, its
brands', collect.origins, and `null` for file:// pages only when allowed), the rate of its
client, the size of its body, its content type and every field. Bad input gets a 4xx with a
JSON `{"error": …}` saying what is wrong; a request is answered 2xx only once its row is
committed (store.py), so nothing acknowledged is lost. No cookie is ever set.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import anyio
import httpx
from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import Engine, text
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from helpgen.collect import store
from helpgen.collect.forward import Forwarder
from helpgen.settings.collect import CONTACT_PATH, EVENTS_PATH, FEEDBACK_PATH, ForwardTarget

log = logging.getLogger("helpgen.collect")

MAX_BODY = 64 * 1024             # bytes of one request
HONEYPOT = "company_website"     # the contact form's trap field (helpgen/client/contact.js)
# What the site's pages and widget send as events (analytics.endpoint's `event`).
EVENT_KINDS = ("search", "zero_results", "deflection", "contact_view", "feedback")
LOCALE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
CAPTCHA_FIELDS = ("cf-turnstile-response", "h-captcha-response")
PURGE_SECONDS = 3600


@dataclass(frozen=True)
class Collector:
    """What the app needs: where to store, and the rules of collect: in helpgen.yml."""

    engine: Engine
    prefix: str                  # collect.url's path, "/" or "/api/help/"
    origins: frozenset[str]      # browser origins that may send ("null": file:// pages)
    rate_limit: int              # requests a minute from one client
    retention_days: int          # older rows are deleted (at start, then hourly)
    fields: frozenset[str]       # the contact form's field names, in any brand's form
    required: frozenset[str]     # those every brand's form requires
    targets: tuple[ForwardTarget, ...] = ()     # where submissions are forwarded


class Problem(HTTPException):
    """A request refused: its status and what to tell the sender."""


def create_app(collector: Collector) -> Starlette:
    limiter = MovingWindowRateLimiter(MemoryStorage())
    forwarder = Forwarder(collector.engine, collector.targets)
    per_client = RateLimitItemPerMinute(collector.rate_limit)

    async def receive(request: Request) -> tuple[dict, str | None]:
        """The request's fields and its client's hash, once it passed every check."""
        origin = request.headers.get("origin")
        if origin is not None and origin.lower() not in collector.origins:
            raise Problem(403, f"the origin {origin} may not send here")
        address = request.client.host if request.client else None
        if not limiter.hit(per_client, address or "?"):
            raise Problem(429, "too many requests; try again in a minute")
        body = await _body(request)
        data = _parse(body, request.headers.get("content-type", ""))
        client = await run_in_threadpool(store.client_hash, collector.engine, address)
        return data, client

    async def contact(request: Request) -> JSONResponse:
        data, client = await receive(request)
        row = _contact_row(data, _origin(request), collector)
        if not row["spam"]:
            await _verify_captcha(data, request.client.host if request.client else None)
        identifier = await run_in_threadpool(
            store.add_contact, collector.engine, {**row, "client": client},
            [target.name for target in collector.targets])
        forwarder.wake()
        return JSONResponse({"id": identifier}, status_code=201)

    async def feedback(request: Request) -> JSONResponse:
        data, client = await receive(request)
        row = _feedback_row(data, _origin(request))
        identifier = await run_in_threadpool(store.add_feedback, collector.engine,
                                             {**row, "client": client})
        return JSONResponse({"id": identifier}, status_code=201)

    async def event(request: Request) -> JSONResponse:
        data, client = await receive(request)
        row = _event_row(data, _origin(request))
        identifier = await run_in_threadpool(store.add, collector.engine, store.events,
                                             {**row, "client": client})
        return JSONResponse({"id": identifier}, status_code=201)

    async def healthz(_request: Request) -> JSONResponse:
        def ping():
            with collector.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        try:
            await run_in_threadpool(ping)
        except Exception as error:        # the database is down: say so, do not crash
            log.error("health check: the database does not answer: %s", error)
            return JSONResponse({"status": "database unavailable"}, status_code=503)
        return JSONResponse({"status": "ok"})

    routes = [Route(f"/{CONTACT_PATH}", contact, methods=["POST"]),
              Route(f"/{FEEDBACK_PATH}", feedback, methods=["POST"]),
              Route(f"/{EVENTS_PATH}", event, methods=["POST"])]
    @contextlib.asynccontextmanager
    async def lifespan(_app):
        async def tidy():
            while True:
                deleted = await run_in_threadpool(store.purge, collector.engine,
                                                  collector.retention_days)
                if deleted:
                    log.info("deleted %d rows older than %d days", deleted,
                             collector.retention_days)
                await anyio.sleep(PURGE_SECONDS)

        async with anyio.create_task_group() as tasks:
            tasks.start_soon(tidy)
            tasks.start_soon(forwarder.run)
            yield
            tasks.cancel_scope.cancel()

    prefix = collector.prefix.rstrip("/")
    app = Starlette(
        lifespan=lifespan,
        routes=[Route("/healthz", healthz, methods=["GET"]),
                *([Mount(prefix, routes=routes)] if prefix else routes)],
        middleware=[Middleware(_RequestLog),
                    Middleware(CORSMiddleware, allow_origins=sorted(collector.origins),
                               allow_methods=["POST"], allow_headers=["Content-Type"],
                               max_age=86400)],
        exception_handlers={HTTPException: _problem, Exception: _failure})
    return app


async def _problem(_request: Request, error: HTTPException) -> JSONResponse:
    return JSONResponse({"error": error.detail}, status_code=error.status_code,
                        headers=getattr(error, "headers", None))


async def _failure(_request: Request, error: Exception) -> JSONResponse:
    """Anything unexpected, e.g. the database gone: the sender keeps its data and retries."""
    log.exception("could not store a request")
    return JSONResponse({"error": "not stored; try again later"}, status_code=503)


class _RequestLog:
    """One line a request (method, path, status, milliseconds), without the client's address."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started, status = time.perf_counter(), [0]

        async def sending(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            log.info("%s %s %d %.1fms", scope["method"], scope["path"], status[0],
                     (time.perf_counter() - started) * 1000)


async def _body(request: Request) -> bytes:
    """The body, refused once it passes MAX_BODY (whatever Content-Length claims)."""
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
        raise Problem(413, f"the request is larger than {MAX_BODY // 1024} KiB")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise Problem(413, f"the request is larger than {MAX_BODY // 1024} KiB")
    return bytes(body)


def _parse(body: bytes, content_type: str) -> dict:
    """JSON (also as text/plain, which navigator.sendBeacon sends) or a form, as a dict."""
    kind = content_type.split(";")[0].strip().lower()
    try:
        text_body = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Problem(400, "the request is not UTF-8 text") from None
    if kind in ("application/json", "text/plain", ""):
        try:
            data = json.loads(text_body)
        except ValueError:
            raise Problem(400, "the request is not valid JSON") from None
    elif kind == "application/x-www-form-urlencoded":
        data = dict(parse_qsl(text_body, keep_blank_values=True))
    else:
        raise Problem(415, f"send JSON or a form, not {kind}")
    if not isinstance(data, dict):
        raise Problem(422, "send a JSON object")
    return data


def _origin(request: Request) -> str | None:
    origin = request.headers.get("origin")
    return origin.lower()[:200] if origin and origin != "null" else None


def _text(data: dict, key: str, limit: int, required: bool = False) -> str | None:
    """The string field `key`, at most `limit` characters; None when absent or empty."""
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise Problem(422, f"'{key}' is missing")
        return None
    if isinstance(value, bool):
        value = "yes" if value else ""
    if not isinstance(value, (str, int, float)):
        raise Problem(422, f"'{key}' must be text")
    value = str(value)
    if len(value) > limit:
        raise Problem(422, f"'{key}' is longer than {limit} characters")
    if "\x00" in value:
        raise Problem(422, f"'{key}' holds a NUL character")
    return value


def _web_url(data: dict, key: str, required: bool = False) -> str | None:
    value = _text(data, key, 2000, required)
    if value is not None and urlsplit(value).scheme not in ("http", "https", "file"):
        raise Problem(422, f"'{key}' must be a web address")
    return value


def _locale(data: dict, key: str = "locale") -> str | None:
    value = _text(data, key, 35)
    if value is not None and not LOCALE.match(value):
        raise Problem(422, f"'{key}' is not a locale code")
    return value


# CAPTCHA providers: the form field their widget adds, the secret's environment variable and
# where a token is verified. HELPGEN_CAPTCHA_VERIFY_URL replaces the address (a compatible
# verifier of your own, or a test's).
CAPTCHAS = {"turnstile": ("cf-turnstile-response", "HELPGEN_TURNSTILE_SECRET",
                          "https://challenges.cloudflare.com/turnstile/v0/siteverify"),
            "hcaptcha": ("h-captcha-response", "HELPGEN_HCAPTCHA_SECRET",
                         "https://api.hcaptcha.com/siteverify")}


async def _verify_captcha(data: dict, address: str | None) -> None:
    """With a provider's secret in the environment, a submission must carry a token that
    provider verifies (403 if not; 503 if the provider cannot be asked: the reader retries)."""
    for field, variable, verify_url in CAPTCHAS.values():
        secret = os.environ.get(variable)
        if not secret:
            continue
        token = data.get(field)
        if not isinstance(token, str) or not token or len(token) > 4096:
            raise Problem(403, "the CAPTCHA was not solved")
        form = {"secret": secret, "response": token, **({"remoteip": address} if address else {})}
        try:
            async with httpx.AsyncClient(timeout=10) as client:
                answer = await client.post(os.environ.get("HELPGEN_CAPTCHA_VERIFY_URL")
                                           or verify_url, data=form)
            passed = answer.is_success and answer.json().get("success") is True
        except (httpx.HTTPError, ValueError) as error:
            log.error("could not verify a CAPTCHA token: %s", error)
            raise Problem(503, "the CAPTCHA could not be checked; try again") from None
        if not passed:
            raise Problem(403, "the CAPTCHA was not passed")


def _contact_row(data: dict, origin: str | None, collector: Collector) -> dict:
    context = data.get("context") or {}
    if not isinstance(context, dict):
        # The `form` format flattens the context into context_* fields.
        raise Problem(422, "'context' must be an object")
    context = {**{key[len("context_"):]: value for key, value in data.items()
                  if key.startswith("context_")}, **context}
    fields = {}
    for key in data:
        if key == "context" or key.startswith("context_") or key in CAPTCHA_FIELDS:
            continue
        if key not in collector.fields and key != HONEYPOT:
            raise Problem(422, f"'{key[:40]}' is not a field of the contact form")
        fields[key] = _text(data, key, 20_000 if key == "message" else 2_000,
                            required=key in collector.required)
    missing = sorted(collector.required - set(fields))
    if missing:
        raise Problem(422, f"'{missing[0]}' is missing")
    searches = context.get("searches") or []
    if isinstance(searches, str):
        searches = [part.strip() for part in searches.split("|") if part.strip()]
    if not isinstance(searches, list) or len(searches) > 50:
        raise Problem(422, "'context.searches' must be a list of at most 50 searches")
    kept_context = {"page_url": _web_url(context, "page_url"),
                    "locale": _locale(context),
                    "article_url": _web_url(context, "article_url"),
                    "article_title": _text(context, "article_title", 500),
                    "searches": [_text({"search": item}, "search", 500) for item in searches]}
    return {"origin": origin, "locale": kept_context["locale"],
            "page_url": kept_context["page_url"],
            "category": _text(data, "category", 200),
            "email": _email(data), "name": _text(data, "name", 200),
            "subject": _text(data, "subject", 500),
            "message": _text(data, "message", 20_000),
            "fields": {key: value for key, value in fields.items() if key != HONEYPOT},
            "context": kept_context, "spam": bool(fields.get(HONEYPOT))}


def _email(data: dict) -> str | None:
    value = _text(data, "email", 320)
    if value is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        raise Problem(422, "'email' is not an email address")
    return value


def _feedback_row(data: dict, origin: str | None) -> dict:
    vote = _text(data, "vote", 3, required=True)
    if vote not in ("yes", "no"):
        raise Problem(422, "'vote' must be yes or no")
    return {"origin": origin, "locale": _locale(data), "url": _web_url(data, "url", True),
            "article": _text(data, "article", 500), "vote": vote,
            "vote_id": _text(data, "vote_id", 64), "comment": _text(data, "comment", 5_000)}


def _event_row(data: dict, origin: str | None) -> dict:
    kind = _text(data, "event", 30, required=True)
    if kind not in EVENT_KINDS:
        raise Problem(422, f"'event' must be one of: {', '.join(EVENT_KINDS)}")
    detail = data.get("detail") or {}
    if not isinstance(detail, dict):
        raise Problem(422, "'detail' must be an object")
    results = detail.get("results")
    if results is not None and (not isinstance(results, int) or isinstance(results, bool)
                                or not 0 <= results < 10**9):
        raise Problem(422, "'detail.results' must be a count")
    if kind == "zero_results":
        results = 0
    query = _text(detail, "query", 500, required=kind in ("search", "zero_results"))
    return {"kind": kind, "origin": origin, "locale": _locale(detail),
            "query": query, "results": results, "url": _web_url(data, "page_url"),
            "article": _text(detail, "article", 2000)}
