"""The files hosts and crawlers read at the site's root: `_headers`, `_redirects`, `robots.txt`
and `sitemap.xml`."""

from __future__ import annotations

import functools
import re
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

from helpgen.infra.cache import Fingerprints, Step, StepRunner, digest
from helpgen.infra.reuse import Reuse
from helpgen.output.assets import Assets
from helpgen.output.widget import CONTEXTS_FOLDER
from helpgen.content.model import Article, Category, Locale, Section, Site

LONG_CACHE = "public, max-age=31536000, immutable"


def headers_file(site: Site, assets: Assets, policy: str, media_types: dict[str, str]) -> str:
    """`_headers` (Netlify, Cloudflare Pages): the security headers (`policy` from csp.py) on
    every file, a year of caching for content-hashed files, a few minutes for the search index
    and the widget with its context maps, which keep their names, and the type of the files
    whose name does not say it: the Markdown copies and llms.txt files as UTF-8 text (served
    without a charset, their Chinese would be read as Latin-1) and `media_types` (path from the
    root → Content-Type; feed.xml is Atom, not any XML). The agents' help center tells search
    engines to index none of its files (its search index and Markdown too, not only its
    pages)."""
    root = site.address.path
    text = (f"{root}*\n  Content-Security-Policy: {policy}\n"
            "  X-Content-Type-Options: nosniff\n"
            "  Referrer-Policy: strict-origin-when-cross-origin\n"
            + ("  X-Robots-Tag: noindex, nofollow\n" if site.internal else "")
            + f"{root}*.md\n  Content-Type: text/markdown; charset=utf-8\n"
            f"{root}*.txt\n  Content-Type: text/plain; charset=utf-8\n")
    rules = [(f"{root}{name}", LONG_CACHE) for name in sorted(assets.names.values())]
    rules += [(f"{root}_helpgen/search/*", "public, max-age=300"),
              (f"{root}widget.js", "public, max-age=3600"),
              (f"{root}{CONTEXTS_FOLDER}*", "public, max-age=3600")]
    return (text + "".join(f"{path}\n  Cache-Control: {value}\n" for path, value in rules) +
            "".join(f"{root}{path}\n  Content-Type: {kind}\n"
                    for path, kind in sorted(media_types.items())))


def headers_for(headers: str, path: str) -> list[tuple[str, str]]:
    """The headers a `_headers` file gives the URL path `path`, as Netlify and Cloudflare Pages
    apply it (every rule whose pattern matches; `*` matches anything): for `helpgen serve`."""
    result, matches = [], False
    for line in headers.splitlines():
        if line and not line[0].isspace():
            pattern = "".join(".*" if part == "*" else re.escape(part)
                              for part in re.split(r"(\*)", line.strip()))
            matches = re.fullmatch(pattern, path) is not None
        elif matches and ":" in line:
            name, value = line.split(":", 1)
            result.append((name.strip(), value.strip()))
    return result


def robots_txt(site: Site) -> str:
    """Every page open to crawlers, with the sitemap; the agents' help center closed to all."""
    if site.internal:
        return "User-agent: *\nDisallow: /\n"
    text = "User-agent: *\nAllow: /\n"
    if site.address.url:
        text += f"\nSitemap: {site.address.absolute('sitemap.xml')}\n"
    return text


def sitemap_xml(site: Site, fingerprints: Fingerprints, run_steps: StepRunner,
                reuse: Reuse | None = None) -> bytes:
    """Every published page in every locale, with hreflang alternates; each locale's entries
    are a step of `run_steps` (kept by what `fingerprints` digests of the locale, which need
    not cover the articles' bodies: the sitemap shows none), and with the live preview's
    `reuse` a page's entry is made again only when it changed, the file only when a locale's
    entries did."""
    reuse = reuse or Reuse()
    entries = run_steps("sitemap", [
        Step(digest(fingerprints.of(site.info), fingerprints.of(locale)),
             functools.partial(sitemap_entries, site, locale, reuse))
        for locale in site.locales])
    return reuse.joined("sitemap.xml", "", entries, None, lambda: (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' + "\n".join(entries) + "\n</urlset>\n"
    ).encode())


def sitemap_entries(site: Site, locale: Locale, reuse: Reuse | None = None) -> str:
    """The sitemap's `<url>` elements of one locale: its home page, then each category's."""
    reuse = reuse or Reuse()
    entries = [_entry(site, locale),
               *(reuse.memoized("sitemap", category.url, category, site.info,
                                _category_entries, site, category, reuse)
                 for category in locale.categories)]
    if locale.contact:
        entries.append(f"  <url>\n    <loc>{_abs(site, locale.contact.url)}</loc>\n  </url>")
    return "\n".join(entries)


def _category_entries(site: Site, category: Category, reuse: Reuse) -> str:
    """The `<url>` elements of a category's page, its sections' and its published articles'
    (not the untranslated copies); with the live preview's `reuse`, those of the pages an edit
    left alone are the previous build's."""
    return "\n".join(reuse.memoized("sitemap entry", page.url, page, site.info, _entry, site,
                                    page) for page in (
        category, *(section for section in category.sections if section.has_page),
        *(article for section in category.sections for article in section.articles
          if not article.original_url)))


def _entry(site: Site, page: Locale | Category | Section | Article) -> str:
    lines = [f"  <url>\n    <loc>{_abs(site, page.url)}</loc>"]
    if isinstance(page, Article):
        lines.append(f"    <lastmod>{page.updated.isoformat()}</lastmod>")
    for alternate in page.alternates if len(page.alternates) > 1 else ():
        lines.append(f'    <xhtml:link rel="alternate" hreflang="{alternate.locale}" '
                     f'href="{_abs(site, alternate.url)}"/>')
    default = next((a for a in page.alternates if a.locale == site.default_locale), None)
    if default and len(page.alternates) > 1:
        lines.append(f'    <xhtml:link rel="alternate" hreflang="x-default" '
                     f'href="{_abs(site, default.url)}"/>')
    return "\n".join(lines) + "\n  </url>"


def _abs(site: Site, url: str) -> str:
    return xml_escape(site.address.absolute(url))


def redirects_file(site: Site) -> str:
    """`_redirects` for hosts that read one (Netlify, Cloudflare Pages)."""
    lines = [f"{site.address.path}{quote(r.path, safe='/')} {site.address.path}"
             f"{quote(r.target, safe='/')} 301" for r in site.redirects]
    return "\n".join(lines) + "\n"
