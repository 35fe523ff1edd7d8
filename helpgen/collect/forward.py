"""Forwarding contact submissions into the team's tools: email over SMTP, a JSON webhook,
Zendesk (Tickets or Requests API) and Freshdesk (Tickets API).

A submission is stored first, with a pending forward per target (store.add_contact); the
forwarder then sends each, and on failure tries again later, waiting longer each time
(RETRY_SECONDS, then four times as long, up to six hours), until MAX_ATTEMPTS have failed:
the forward is then `failed`, and the submission is still in the database and in the report.
Secrets come from the environment variables the targets name, read when sending (a secret
changed in the environment needs a restart).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import html
import json
import logging
import os
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

import anyio
import httpx
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from helpgen.collect import store
from helpgen.settings.collect import ForwardTarget

log = logging.getLogger("helpgen.collect")

# The first wait after a failure; HELPGEN_COLLECT_RETRY_SECONDS shortens it (for tests) or
# lengthens it.
RETRY_SECONDS = float(os.environ.get("HELPGEN_COLLECT_RETRY_SECONDS") or 30)
MAX_WAIT_SECONDS = 6 * 3600
MAX_ATTEMPTS = 12                # about two and a half days of trying
LEASE = dt.timedelta(minutes=5)  # a forward being sent is not sent by another collector
TIMEOUT_SECONDS = 30
BUILT_IN = ("name", "email", "subject", "category", "message")


class ForwardError(Exception):
    """A target did not take the submission; the message says why, for the report."""


class Forwarder:
    """Sends the due forwards, when woken (a new submission) or every RETRY_SECONDS."""

    def __init__(self, engine: Engine, targets: tuple[ForwardTarget, ...]):
        self.engine = engine
        self.targets = {target.name: target for target in targets}
        self.wakeup: anyio.Event | None = None      # made in the event loop, by run

    def wake(self) -> None:
        if self.wakeup is not None:
            self.wakeup.set()

    async def run(self) -> None:
        self.wakeup = anyio.Event()
        while True:
            for forward in await run_in_threadpool(store.due_forwards, self.engine, LEASE):
                await self._attempt(forward)
            with anyio.move_on_after(min(RETRY_SECONDS, 30)):
                await self.wakeup.wait()
            self.wakeup = anyio.Event()

    async def _attempt(self, forward: dict) -> None:
        target = self.targets.get(forward["target"])
        error = None
        try:
            if target is None:
                raise ForwardError(f"no target '{forward['target']}' in collect.forward any more")
            await send(target, forward)
        except ForwardError as problem:
            error = str(problem)
        except (httpx.HTTPError, OSError, smtplib.SMTPException) as problem:
            error = f"{type(problem).__name__}: {problem}"
        attempts = forward["attempts"] + 1
        retry_at = None
        if error is not None and attempts < MAX_ATTEMPTS and target is not None:
            wait = min(RETRY_SECONDS * 4 ** (attempts - 1), MAX_WAIT_SECONDS)
            retry_at = store.now() + dt.timedelta(seconds=wait)
        await run_in_threadpool(store.record_attempt, self.engine, forward["forward_id"],
                                error, retry_at)
        if error is None:
            log.info("submission %d forwarded to %s", forward["id"], forward["target"])
        else:
            log.warning("submission %d not forwarded to %s (attempt %d%s): %s", forward["id"],
                        forward["target"], attempts, ", will retry" if retry_at else ", gave up",
                        error)


async def send(target: ForwardTarget, submission: dict) -> None:
    """Hand `submission` (a row of store.contact) to `target`; ForwardError if it refused."""
    if target.kind == "email":
        await run_in_threadpool(_send_email, target, submission)
        return
    request = {"webhook": _webhook, "zendesk": _zendesk, "freshdesk": _freshdesk}[target.kind]
    url, payload, headers, auth = request(target, submission)
    body = _json(payload)
    async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS, follow_redirects=False) as client:
        answer = await client.post(url, content=body, auth=auth, headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "helpgen-collect", **headers})
    if not answer.is_success:
        raise ForwardError(f"{url} answered {answer.status_code}: {answer.text[:300]}")


def _json(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode()


def _secret(target: ForwardTarget) -> str | None:
    if target.secret_env is None:
        return None
    value = os.environ.get(target.secret_env)
    if not value:
        raise ForwardError(f"the environment variable {target.secret_env} is not set")
    return value


def summary(submission: dict) -> str:
    """The submission as text for a person: the message, then every other field and what the
    reader did before writing."""
    fields = submission["fields"] or {}
    context = submission["context"] or {}
    lines = [submission.get("message") or "", "", "—"]
    lines += [f"{name.replace('_', ' ').capitalize()}: {value}"
              for name, value in fields.items() if name != "message" and value]
    if context.get("page_url"):
        lines.append(f"Sent from: {context['page_url']}")
    if context.get("article_url"):
        lines.append(f"Last article read: {context.get('article_title') or ''} "
                     f"{context['article_url']}".strip())
    if context.get("searches"):
        lines.append("Searches: " + " | ".join(context["searches"]))
    if submission.get("locale"):
        lines.append(f"Language: {submission['locale']}")
    lines.append(f"Help center submission #{submission['id']}, "
                 f"{submission['received_at']:%Y-%m-%d %H:%M} UTC")
    return "\n".join(lines)


def _subject(submission: dict) -> str:
    text = submission.get("subject") or (submission.get("message") or "").strip()
    return " ".join(text.split())[:120] or f"Help center submission #{submission['id']}"


def _send_email(target: ForwardTarget, submission: dict) -> None:
    message = EmailMessage()
    message["Subject"] = _subject(submission)
    message["From"] = target.sender
    message["To"] = target.to
    if submission.get("email"):
        message["Reply-To"] = formataddr((submission.get("name") or "", submission["email"]))
    message["Message-ID"] = make_msgid(f"helpgen-{submission['id']}")
    message.set_content(summary(submission))
    password = _secret(target)
    context = ssl.create_default_context()
    if target.security == "ssl":
        connection = smtplib.SMTP_SSL(target.smtp_host, target.smtp_port,
                                      timeout=TIMEOUT_SECONDS, context=context)
    else:
        connection = smtplib.SMTP(target.smtp_host, target.smtp_port, timeout=TIMEOUT_SECONDS)
    with connection:
        if target.security == "starttls":
            connection.starttls(context=context)
        if target.user:
            connection.login(target.user, password or "")
        refused = connection.send_message(message)
    if refused:
        raise ForwardError(f"the SMTP server refused {', '.join(refused)}")


def _webhook(target: ForwardTarget, submission: dict):
    """The submission as JSON; with a secret, signed like GitHub's webhooks (HMAC-SHA256 of
    the body in X-Helpgen-Signature-256), so the receiver can tell it came from here."""
    payload = {"id": submission["id"], "received_at": submission["received_at"].isoformat(),
               "locale": submission.get("locale"), "origin": submission.get("origin"),
               "fields": submission["fields"], "context": submission["context"]}
    headers = {}
    secret = _secret(target)
    if secret:
        headers["X-Helpgen-Signature-256"] = "sha256=" + hmac.new(
            secret.encode(), _json(payload), hashlib.sha256).hexdigest()
    return target.url, payload, headers, None


def _requester(submission: dict) -> dict:
    return {"name": submission.get("name") or submission.get("email") or "Customer",
            "email": submission.get("email")}


def _tags(submission: dict) -> list[str]:
    category = (submission.get("category") or "").strip().lower().replace(" ", "_")
    return ["helpgen", *([category] if category else [])]


def _zendesk(target: ForwardTarget, submission: dict):
    """A ticket (Tickets API, as an agent with an API token) or a request (Requests API, as
    the customer) in Zendesk."""
    auth = (f"{target.user}/token", _secret(target))
    comment = {"body": summary(submission)}
    if target.api == "requests":
        return (f"{target.url}/api/v2/requests.json", {"request": {
            "requester": _requester(submission), "subject": _subject(submission),
            "comment": comment}}, {}, auth)
    return (f"{target.url}/api/v2/tickets.json", {"ticket": {
        "requester": _requester(submission), "subject": _subject(submission),
        "comment": comment, "tags": _tags(submission)}}, {}, auth)


def _freshdesk(target: ForwardTarget, submission: dict):
    """A ticket in Freshdesk (API key as the user name, any password)."""
    return (f"{target.url}/api/v2/tickets", {
        **{key: value for key, value in _requester(submission).items() if value},
        "subject": _subject(submission), "description": _html(summary(submission)),
        "status": 2, "priority": 1, "source": 2, "tags": _tags(submission)},
        {}, (_secret(target), "X"))


def _html(text: str) -> str:
    """Freshdesk's description is HTML: the text escaped, its lines kept."""
    return "<br>".join(html.escape(line) for line in text.split("\n"))
