"""A site's address, parsed once: the origin it is served from (when known) and the path of its
root, from `site.url` and `--base-url` (as Hugo parses its baseURL once into one value). Also
the one reading of a URL's scheme, which the URL settings (config.py) and the HTML allow-list
(content/sanitize.py) both go by, and the schemes a link may have.

Pages link relatively; the address makes what has to be absolute: canonical links and the
sitemap (the origin and path), and the links of pages served at any address, such as 404.html,
and the host files (the path).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from urllib.parse import quote, urlsplit

# Schemes a link may use, in settings and in articles (where content/sanitize.py also allows
# `data:`, for pictures only).
LINK_SCHEMES = ("http", "https", "mailto", "tel")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\t\n\r]")


def url_scheme(url: str) -> str:
    """The scheme a browser sees in `url` (entities decoded, tabs and newlines dropped), in
    lower case, or "" for a relative address."""
    text = _INVISIBLE.sub("", html.unescape(url)).strip("\x00 \x01\x02\x03\x04\x05\x06\x07\x08"
                                                         "\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14"
                                                         "\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d"
                                                         "\x1e\x1f")
    match = _SCHEME.match(text.lower())
    return match.group(1) if match else ""


@dataclass(frozen=True)
class SiteAddress:
    """Where a site is served. Made by `of` from URLs the settings' URL rule accepted
    (config.url_problem); `brand` gives a brand's address from its site's."""

    origin: str | None = None         # "https://help.example.com"; None: no full URL is known
    path: str = "/"                   # of the site's root: "/" or "/help/"
    path_given: bool = False          # the path is --base-url's, which a brand's url cannot move
    origin_given: bool = False        # so is the origin (--base-url was a full URL)

    @classmethod
    def of(cls, site_url: str | None, base_url: str | None = None) -> SiteAddress:
        """The address `site_url` (site.url) names, moved by `base_url` (--base-url, where the
        output folder is served): a full URL replaces it, a path moves it on its host."""
        address = _parsed(site_url)
        if base_url is None:
            return address
        base = _parsed(base_url)
        return replace(base if base.origin else replace(address, path=base.path),
                       path_given=True, origin_given=base.origin is not None)

    @property
    def url(self) -> str | None:
        """The absolute URL of the site's root, ending with "/"; None when the origin is not
        known."""
        return self.origin + self.path if self.origin else None

    def absolute(self, page_url: str) -> str | None:
        """The full, percent-encoded address of the page at `page_url` (relative to the root),
        when the origin is known."""
        return self.url + quote(page_url, safe="/#") if self.origin else None

    def brand(self, brand_id: str, brand_url: str | None = None) -> SiteAddress:
        """The address of the brand `brand_id`, whose site is written to the folder `<id>/` of
        the output: its own `url` (`brand_url`), else this address's folder `<id>/`. With
        --base-url every brand is in its folder below it, on its own url's host when --base-url
        gave only a path."""
        folder = replace(self, path=f"{self.path}{brand_id}/")
        if brand_url is None or self.origin_given:
            return folder
        own = _parsed(brand_url)
        return replace(folder, origin=own.origin) if self.path_given else own


def _parsed(url: str | None) -> SiteAddress:
    if url is None:
        return SiteAddress()
    parts = urlsplit(url)
    path = parts.path.strip("/")
    return SiteAddress(f"{parts.scheme}://{parts.netloc}" if parts.scheme else None,
                       f"/{path}/" if path else "/")
