"""The site's Content-Security-Policy, made in one place from its settings and its pages.

The settings name the origins pages talk to (contact, feedback and analytics endpoints, Turnstile
or hCaptcha). The pages, as written, give the rest: the sha256 of every inline script and style
that stays inline (the theme's before-paint bootstrap, the brand's colors, a redirect), of every
`style` attribute (table alignment), and the origins of embedded media (an article's external
image or video). Hashes are of the served bytes, so a changed template changes its hash with it.
Scripts never get `'unsafe-inline'`.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import re
from urllib.parse import urlsplit

from helpgen.content.model import Site
from helpgen.infra.cache import Step, StepRunner, run_uncached
from helpgen.infra.reuse import MISSING, Reuse
from helpgen.output.files import OutputFile
from helpgen.settings.address import url_scheme

TURNSTILE = "https://challenges.cloudflare.com"
HCAPTCHA = ("https://hcaptcha.com", "https://*.hcaptcha.com")
# Script types the browser runs; JSON data blocks (`application/json`, `ld+json`) are not run.
_SCRIPT_TYPES = ("", "text/javascript", "application/javascript", "module")

_INLINE = re.compile(rb"<(script|style)\b([^>]*)>(.*?)</\1\s*>", re.DOTALL | re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
# Also matches `style="…"` written in text: an extra hash allows nothing a page does not have.
_STYLE_ATTRIBUTE = re.compile(rb"""style\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_EMBEDDED = re.compile(rb"""<(img|iframe|video|audio|source|track)\b[^>]*?\ssrc\s*=\s*"""
                       rb"""["']?(https?://[^"'\s>/]+)""", re.IGNORECASE)
_EMBED_DIRECTIVES = {"img": ("img-src",), "iframe": ("frame-src",), "video": ("media-src",),
                     "audio": ("media-src",), "track": ("media-src",),
                     "source": ("img-src", "media-src")}
MAX_LINE = 2000     # the longest `_headers` line Cloudflare Pages reads


def sha256_source(text: bytes) -> str:
    """A CSP hash source for an inline script, style or style attribute."""
    return f"'sha256-{base64.b64encode(hashlib.sha256(text).digest()).decode()}'"


def origin(url: str | None) -> str | None:
    """`https://host[:port]` of an absolute http(s) URL; None for a path on the help center."""
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else None


def url_source(url: str | None) -> str | None:
    """The source that allows `url`: its origin, or `mailto:` for an email address."""
    return "mailto:" if url_scheme(url or "") == "mailto" else origin(url)


class PolicySources:
    """What the pages of a site need of its policy, collected from its files as they are made
    (`add`, part by part: the pages need not all be held at once), then the policy (`policy`).
    What each page needs is a step of `run_steps`, kept by the page's content, so a rebuild
    reads only the pages that changed; with the live preview's `reuse`, what a part that is the
    previous build's list needs is known by the list's identity, and a page that is the
    previous build's file is not even looked up."""

    def __init__(self, run_steps: StepRunner = run_uncached, reuse: Reuse | None = None):
        self.run_steps, self.reuse = run_steps, reuse or Reuse()
        self.found: set[tuple[str, str]] = set()
        self.parts = 0                   # the parts added so far (a part's name in `reuse`)

    def add(self, parts: list[list[OutputFile]]) -> None:
        """Collect what the pages of `parts` (lists of files) need."""
        reuse, first = self.reuse, self.parts
        self.parts += len(parts)
        found = [reuse.get("csp part", str(first + number), part)
                 for number, part in enumerate(parts)]
        todo = [number for number, kept in enumerate(found) if kept is MISSING]
        pages = {number: [file for file in parts[number] if file.path.endswith(".html")]
                 for number in todo}
        needs = iter(_needs([page for number in todo for page in pages[number]],
                            self.run_steps, reuse))
        for number in todo:
            found[number] = frozenset(pair for _ in pages[number] for pair in next(needs))
            reuse.put("csp part", str(first + number), parts[number], None, found[number])
        self.found.update(*found)

    def policy(self, site: Site) -> str:
        """The policy for every file of `site`, once all were added."""
        sources: dict[str, set[str]] = {name: set() for name in (
            "script-src", "style-src", "img-src", "frame-src", "connect-src", "media-src",
            "form-action", "style-attr")}
        for name, source in self.found:
            sources[name].add(source)
        contacts = [locale.contact for locale in site.locales if locale.contact]
        endpoints = [site.info.feedback_endpoint, site.info.analytics_endpoint,
                     *(contact.endpoint for contact in contacts)]
        sources["connect-src"].update(filter(None, map(origin, endpoints)))
        for contact in contacts:
            sources["form-action"].update(filter(None, [url_source(contact.form.form_action)]))
            if contact.turnstile_site_key:
                for directive in ("script-src", "frame-src"):     # Cloudflare's CSP reference
                    sources[directive].add(TURNSTILE)
            if contact.hcaptcha_site_key:                           # hCaptcha's CSP notes
                for directive in ("script-src", "frame-src", "style-src", "connect-src"):
                    sources[directive].update(HCAPTCHA)
        if sources["style-attr"]:   # `style` attributes can only be allowed by hash this way
            sources["style-src"] |= {"'unsafe-hashes'", *sources["style-attr"]}
        policy = _compose(sources)
        if len(f"  Content-Security-Policy: {policy}") > MAX_LINE:
            # Too many inline styles to name (articles' own `style` attributes): styles, never
            # scripts, are then allowed inline.
            sources["style-src"] = {source for source in sources["style-src"]
                                    if not source.startswith("'")} | {"'unsafe-inline'"}
            policy = _compose(sources)
        return policy


def _needs(pages: list[OutputFile], run_steps: StepRunner, reuse: Reuse
           ) -> list[tuple[tuple[str, str], ...]]:
    """What each of `pages` needs (_page_sources): the previous build's when it is the previous
    build's file, else a step of `run_steps`."""
    found = [reuse.get("csp", page.path, page) for page in pages]
    todo = [number for number, kept in enumerate(found) if kept is MISSING]
    # Reading a page is quick: only many of them are worth other cores. A page's bytes are
    # read only if its step runs (a cached page's are then read from the cache).
    for number, made in zip(todo, run_steps("csp", [
            Step(pages[number].digest, functools.partial(_file_sources, pages[number]))
            for number in todo], per_conversion=50)):
        reuse.put("csp", pages[number].path, pages[number], None, made)
        found[number] = made
    return found


def _compose(sources: dict[str, set[str]]) -> str:
    def directive(name: str, *fixed: str) -> str:
        return " ".join([name, *fixed, *sorted(sources.get(name, ()))])

    return "; ".join([
        "default-src 'self'", directive("script-src", "'self'"),
        directive("style-src", "'self'"), directive("img-src", "'self'", "data:"),
        "font-src 'self'", directive("connect-src", "'self'"),
        directive("frame-src", "'self'"), directive("media-src", "'self'"),
        "object-src 'none'",
        "base-uri 'self'", directive("form-action", "'self'"), "frame-ancestors 'self'"])


def _file_sources(page: OutputFile) -> tuple[tuple[str, str], ...]:
    return _page_sources(page.content)


def _page_sources(page: bytes) -> tuple[tuple[str, str], ...]:
    """(directive, source) for what is inline in one page, and its embedded media's origins."""
    found = set()
    for match in _INLINE.finditer(page):
        tag, attributes, body = match.group(1).lower(), _attributes(match.group(2)), match.group(3)
        if tag == b"style":
            found.add(("style-src", sha256_source(body)))
        elif "src" in attributes:
            found.update(("script-src", o) for o in filter(None, [origin(attributes["src"])]))
        elif attributes.get("type", "").lower() in _SCRIPT_TYPES:
            found.add(("script-src", sha256_source(body)))
    for match in _STYLE_ATTRIBUTE.finditer(page):
        value = html.unescape((match.group(1) or match.group(2) or b"").decode())
        found.add(("style-attr", sha256_source(value.encode())))
    for match in _EMBEDDED.finditer(page):
        found.update((name, match.group(2).decode())
                     for name in _EMBED_DIRECTIVES[match.group(1).lower().decode()])
    return tuple(sorted(found))


def _attributes(text: bytes) -> dict[str, str]:
    return {m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
            for m in _ATTRIBUTE.finditer(text.decode("utf-8", "replace"))}
