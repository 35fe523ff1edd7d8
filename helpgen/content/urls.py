"""URL rules: slugs from names, and relative links between output pages.

Every URL inside helpgen is a path relative to the site root, without a leading slash: "" is the
home page, "billing/refunds/" a pretty-URL page, "assets/logo.svg" a file. Links in the output are
made relative (`relative_url`) so the site works from file://, a domain root or any sub-path.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from urllib.parse import quote, unquote, urlsplit

_NOT_SLUG = re.compile(r"[^\w-]+")
_DASHES = re.compile(r"-{2,}")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Room left in a file name (255 bytes on most file systems) for the writer's temporary name and
# the .gz/.br twins, and in a whole path (4096) for the output folder's own path.
MAX_SEGMENT_BYTES = 200
MAX_PATH_BYTES = 1000


def slugify(name: str) -> str:
    """A URL segment from a file or folder name; keeps Unicode letters (`退款政策` stays)."""
    text = unicodedata.normalize("NFKC", name).strip().lower()
    text = re.sub(r"[\s.]+", "-", text)
    text = _NOT_SLUG.sub("", text)
    return _DASHES.sub("-", text).strip("-")


def is_safe_slug(slug: str) -> bool:
    return bool(slug) and _NOT_SLUG.search(slug) is None and \
        len(slug.encode()) <= MAX_SEGMENT_BYTES


def page_file(url: str) -> str:
    """The output file that serves `url`."""
    return url + "index.html" if url == "" or url.endswith("/") else url


def markdown_copy(url: str) -> str:
    """The URL of the Markdown copy of the article page at `url`, beside its HTML:
    "billing/refunds/" → "billing/refunds/index.md"."""
    return page_file(url).removesuffix(".html") + ".md"


def markdown_destination(url: str) -> str:
    """`url` percent-encoded where Markdown would end it or read more into it (spaces,
    parentheses, brackets, quotes…), so that a link destination stays one destination."""
    return re.sub(r"[\s()<>\"'`\\\[\]{}\x00-\x1f]", lambda m: quote(m.group(0)), url)


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


def alias_path(alias: str) -> str:
    """The site-root path of an old URL (`/old/page/`, `old.html`, `/hc/%E8%B4%A6`), as a
    browser would ask a host for it: query and fragment dropped (hosts serve files by path),
    percent-escapes decoded, `//` and `/./` collapsed, a trailing `index.html` its folder.

    Raises ValueError saying why the alias cannot be a path inside the output folder.
    """
    path = alias.strip().split("#", 1)[0].split("?", 1)[0]
    if _SCHEME.match(path):
        raise ValueError("would leave the output folder: it is a full address, not a path")
    try:
        path = unquote(path, errors="strict")
    except UnicodeDecodeError:
        raise ValueError("has a percent-escape that is not UTF-8 text") from None
    if _CONTROL.search(path):
        raise ValueError("has a control character (a line break, tab or similar)")
    if "\\" in path:
        raise ValueError("has a backslash")
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise ValueError("would leave the output folder: it has a '..' segment")
    if any(len(part.encode()) > MAX_SEGMENT_BYTES for part in parts) or \
            len(path.encode()) > MAX_PATH_BYTES:
        raise ValueError("is too long to be a file name")
    if not parts or parts == ["index.html"]:
        return ""
    if parts[-1] == "index.html":                 # the page URL that file serves
        return "/".join(parts[:-1]) + "/"
    folder = path.endswith("/") or not posixpath.splitext(parts[-1])[1]
    return "/".join(parts) + ("/" if folder else "")


def normalize_alias(alias: str) -> str | None:
    """`alias_path`, or None when the alias cannot be a path inside the output folder."""
    try:
        return alias_path(alias)
    except ValueError:
        return None
