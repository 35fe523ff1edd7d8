"""URL rules: slugs from names, and relative links between output pages.

Every URL inside helpgen is a path relative to the site root, without a leading slash: "" is the
home page, "billing/refunds/" a pretty-URL page, "assets/logo.svg" a file. Links in the output are
made relative (`relative_url`) so the site works from file://, a domain root or any sub-path.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from urllib.parse import quote, urlsplit

_NOT_SLUG = re.compile(r"[^\w-]+")
_DASHES = re.compile(r"-{2,}")


def slugify(name: str) -> str:
    """A URL segment from a file or folder name; keeps Unicode letters (`退款政策` stays)."""
    text = unicodedata.normalize("NFKC", name).strip().lower()
    text = re.sub(r"[\s.]+", "-", text)
    text = _NOT_SLUG.sub("", text)
    return _DASHES.sub("-", text).strip("-")


def is_safe_slug(slug: str) -> bool:
    return bool(slug) and _NOT_SLUG.search(slug) is None


def page_file(url: str) -> str:
    """The output file that serves `url`."""
    return url + "index.html" if url == "" or url.endswith("/") else url


def is_external(url: str) -> bool:
    """Whether `url` leaves the site (https://…, mailto:…) rather than naming a page in it."""
    return bool(urlsplit(url).scheme)


def relative_url(from_url: str, to_url: str) -> str:
    """A percent-encoded link from the page at `from_url` to `to_url`."""
    from_dir = from_url if from_url == "" or from_url.endswith("/") else posixpath.dirname(from_url)
    path, hash_, fragment = to_url.partition("#")
    rel = _relative_path(posixpath.normpath(path or "."), posixpath.normpath(from_dir or "."))
    if rel == ".":
        rel = "./"
    elif path.endswith("/") or path == "":
        rel += "/"
    return quote(rel, safe="/") + (hash_ + quote(fragment, safe="") if hash_ else "")


def _relative_path(path: str, start: str) -> str:
    """posixpath.relpath of two normalized site-root paths, without asking the operating system
    for the current folder twice per link (20,000 links in a 1,000-article site)."""
    targets = [] if path == "." else path.split("/")
    starts = [] if start == "." else start.split("/")
    common = 0
    while common < min(len(targets), len(starts)) and targets[common] == starts[common]:
        common += 1
    return "/".join([".."] * (len(starts) - common) + targets[common:]) or "."


def normalize_alias(alias: str) -> str | None:
    """An old URL (`/old/page/`, `old.html`) as a site-root path, or None if it would escape."""
    path = alias.strip().split("#")[0].split("?")[0]
    if "://" in path or "\\" in path or "\0" in path:
        return None
    path = path.lstrip("/")
    parts = path.split("/")
    if not path or any(part in ("..", ".") for part in parts):
        return None
    if not path.endswith("/") and not posixpath.splitext(path)[1]:
        path += "/"
    if path == "index.html" or path.endswith("/index.html"):
        path = path[:-len("index.html")]          # the page URL that file serves
    return path
