"""`collect:` in helpgen.yml: where `helpgen collect` is reachable, and what it accepts.

The built site sends contact submissions, feedback and search events to `url` (the three
endpoints below it), unless `contact`, `feedback` or `analytics` name their own endpoint. The
collector reads the rest: which browser origins may send (the site's and the brands' own, plus
`origins`), how long it keeps rows, how fast one client may send, and where it forwards contact
submissions (`forward`: email, a webhook, Zendesk, Freshdesk). Secrets (the database's
password, an SMTP password, API tokens and keys) come only from environment variables, never
from this file, which is published in part.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

# The collector's endpoints, below collect.url.
CONTACT_PATH = "contact"
FEEDBACK_PATH = "feedback"
EVENTS_PATH = "events"

DEFAULT_RETENTION_DAYS = 365
DEFAULT_RATE_LIMIT = 60          # requests per minute from one client


@dataclass(frozen=True)
class CollectSettings:
    url: str                     # ends with "/"
    origins: tuple[str, ...] = ()           # more browser origins allowed to send
    allow_file_origin: bool = False         # pages opened from file:// send `Origin: null`
    retention_days: int = DEFAULT_RETENTION_DAYS
    rate_limit: int = DEFAULT_RATE_LIMIT
    trusted_proxies: tuple[str, ...] = ("127.0.0.1",)   # whose X-Forwarded-For is believed
    forward: tuple["ForwardTarget", ...] = ()

    def endpoint(self, path: str) -> str:
        return self.url + path


def origin_of(url: str) -> str | None:
    """`https://help.example.com` for `https://help.example.com/en/…`; None for a path."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else None


FORWARD_KINDS = ("email", "webhook", "zendesk", "freshdesk")
EMAIL_SECURITY = ("starttls", "ssl", "none")
ZENDESK_APIS = ("tickets", "requests")


@dataclass(frozen=True)
class ForwardTarget:
    """Where the collector forwards each contact submission (collect.forward in helpgen.yml).
    Which fields a kind uses: email — to, sender, smtp_host/port, security, user (the SMTP
    login); webhook — url; zendesk — url (the account's address), api, user (the agent's email
    for the Tickets API); freshdesk — url. `secret_env` names the environment variable with
    the SMTP password, the webhook's signing secret, the Zendesk API token or the Freshdesk
    API key: the secret itself is never in helpgen.yml."""

    kind: str                    # one of FORWARD_KINDS
    name: str                    # unique; how the report and the log name it
    url: str | None = None
    to: str | None = None
    sender: str | None = None
    smtp_host: str | None = None
    smtp_port: int = 587
    security: str = "starttls"   # one of EMAIL_SECURITY
    user: str | None = None
    api: str = "tickets"         # one of ZENDESK_APIS
    secret_env: str | None = None
