"""`collect:` in helpgen.yml: where `helpgen collect` is reachable, and what it accepts.

The built site sends contact submissions, feedback and search events to `url` (the three
endpoints below it), unless `contact`, `feedback` or `analytics` name their own endpoint. The
collector reads the rest: which browser origins may send (the site's and the brands' own, plus
`origins`), how long it keeps rows, how fast one client may send. Secrets (the database's
password, a CAPTCHA secret) come only from environment variables, never from this file, which
is published in part.
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

    def endpoint(self, path: str) -> str:
        return self.url + path


def origin_of(url: str) -> str | None:
    """`https://help.example.com` for `https://help.example.com/en/…`; None for a path."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else None
