"""Stage 3, render: the content model through the theme's Jinja2 templates into output files.

Templates receive the frozen model plus what presentation needs (UI strings for the locale, a
`url()` that makes links relative to the current page, canonical and alternate URLs, JSON-LD) and
decide nothing about content. Everything rendered here is an `OutputFile`; nothing touches disk.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

import jinja2
import mkdocs
import yaml
from pygments.formatters import HtmlFormatter

import helpgen
from helpgen.cache import BuildCache, Fingerprints, digest
from helpgen.errors import HelpgenError
from helpgen.model import Article, Category, Locale, Section, Site, SiteInfo
from helpgen.urls import page_file, relative_url

FALLBACK_UI_LOCALE = "en"
CLIENT_DIR = Path(__file__).parent / "client"
LUNR_JS = Path(mkdocs.__file__).parent / "contrib" / "search" / "templates" / "search" / "lunr.js"
SEARCH_SCRIPTS = ("_helpgen/lunr.js", "_helpgen/tokenizer.js", "_helpgen/engine.js")
LONG_CACHE = "public, max-age=31536000, immutable"
PYGMENTS_LIGHT, PYGMENTS_DARK = "default", "github-dark"


@dataclass(frozen=True)
class Language:
    """An entry of the language switcher."""

    locale: str
    name: str
    href: str
    current: bool
    translated: bool     # the current page exists in this locale


@dataclass(frozen=True)
class OutputFile:
    path: str            # relative to the output folder, "/"-separated
    content: bytes


def theme_dir(name: str = "default") -> Path:
    """A built-in theme: inside the installed package, or beside it in a source checkout."""
    package = Path(helpgen.__file__).parent
    for candidate in (package / "themes" / name, package.parent / "themes" / name):
        if candidate.is_dir():
            return candidate
    raise HelpgenError(f"no theme named '{name}'", None, None, "the built-in theme is 'default'")


class Theme:
    """A theme folder: templates/, static/ (copied to _theme/) and i18n/<locale>.yml."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(folder / "templates"),
            autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
            lstrip_blocks=True, keep_trailing_newline=True)
        self.env.filters["json"] = to_json

    @cached_property
    def fingerprint(self) -> str:
        """A hash of every file of the theme: a changed template re-renders every page."""
        files = sorted(p for p in self.folder.rglob("*") if p.is_file())
        return digest(*((p.relative_to(self.folder).as_posix(), p.read_bytes()) for p in files))

    def strings(self, locale: str) -> dict:
        """UI strings for `locale`: its file over the language's file over English."""
        strings: dict = {}
        for code in (FALLBACK_UI_LOCALE, locale.split("-")[0], locale):
            path = self.folder / "i18n" / f"{code}.yml"
            if path.is_file():
                _merge(strings, yaml.safe_load(path.read_text(encoding="utf-8")) or {})
        return strings

    @cached_property
    def static_files(self) -> list[OutputFile]:
        """The theme's static/ folder under `_theme/`, plus the code highlighting colors."""
        static = self.folder / "static"
        files = [OutputFile(f"_theme/{p.relative_to(static).as_posix()}", p.read_bytes())
                 for p in sorted(static.rglob("*")) if p.is_file()]
        files.append(OutputFile("_theme/pygments.css", pygments_css().encode()))
        return files


class Assets:
    """Static files under content-hashed names, so hosts may cache them for a year.

    Templates ask for `asset('_theme/helpgen.css')` and get `_theme/helpgen.1a2b3c4d.css`.
    """

    def __init__(self, files: list[OutputFile]):
        self.files: list[OutputFile] = []
        self.names: dict[str, str] = {}
        for file in files:
            stem, dot, extension = file.path.rpartition(".")
            hashed = f"{stem}.{digest(file.content)[:8]}{dot}{extension}"
            self.names[file.path] = hashed
            self.files.append(OutputFile(hashed, file.content))

    def __call__(self, path: str) -> str:
        return self.names[path]


def static_assets(theme: Theme) -> Assets:
    """The theme's static files and helpgen's browser code (with lunr.js from mkdocs)."""
    runtime = [OutputFile("_helpgen/lunr.js", LUNR_JS.read_bytes())]
    runtime += [OutputFile(f"_helpgen/{name}", (CLIENT_DIR / name).read_bytes())
                for name in ("tokenizer.js", "engine.js", "contact.js")]
    return Assets(theme.static_files + runtime)


def _merge(target: dict, source: dict) -> None:
    """Deep-merge UI strings: a locale's file may translate part of a group."""
    for key, value in source.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value


def pygments_css() -> str:
    light = HtmlFormatter(style=PYGMENTS_LIGHT).get_style_defs(".highlight")
    dark = HtmlFormatter(style=PYGMENTS_DARK).get_style_defs(".highlight")
    return (f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n")


class _PageRenderer:
    """Renders pages of one locale; knows the current page's URL to make links relative."""

    def __init__(self, site: Site, locale: Locale, theme: Theme, strings_by_locale: dict,
                 cache: BuildCache, fingerprints: Fingerprints, assets: Assets):
        self.site, self.locale, self.theme, self.assets = site.info, locale, theme, assets
        self.locale_info = locale.info
        self.strings = strings_by_locale[locale.code]
        self.locale_roots = {loc.code: loc.url for loc in site.locales}
        self.language_names = {code: s.get("language_name", code)
                               for code, s in strings_by_locale.items()}
        self.cache, self.fingerprints = cache, fingerprints
        self.shared_key = digest(theme.fingerprint, fingerprints.of(self.site),
                                 fingerprints.of(self.locale_info), self.locale_roots,
                                 fingerprints.of(self.strings), self.language_names,
                                 assets.names)

    def render(self, template: str, url: str, page=None, *, absolute_links: bool = False,
               **extra) -> OutputFile:
        """Render `template` as the page served at `url`, or reuse the cached page.

        `absolute_links` makes links start from the base path instead of the page, for pages
        served at any address (404). The page's HTML depends only on what the key covers: the
        theme, the site's and the locale's settings, the UI strings, `page` and `extra`.
        """
        key = digest(self.shared_key, template, url, absolute_links, self.fingerprints.of(page),
                     tuple((name, self.fingerprints.of(value)) for name, value in
                           sorted(extra.items())))
        html = self.cache.get("page", key)
        if html is None:
            html = self._render(template, url, page, absolute_links, extra)
            self.cache.put("page", key, html)
        return OutputFile(page_file(url), html)

    def _render(self, template: str, url: str, page, absolute_links: bool, extra: dict) -> bytes:
        site = self.site

        def link(target: str) -> str:
            if absolute_links:
                return site.base_path + quote(target, safe="/#")
            return relative_url(url, target)

        alternates = getattr(page, "alternates", ())
        available = {a.locale: a.url for a in alternates}
        languages = [Language(code, self.language_names[code],
                              link(available.get(code, root)), code == self.locale.code,
                              code in available)
                     for code, root in self.locale_roots.items()]
        default_url = available.get(site.default_locale)
        context = dict(
            site=site, locale=self.locale_info, page=page, t=self.strings, url=link,
            asset=self.assets, search_scripts=[link(self.assets(p)) for p in SEARCH_SCRIPTS],
            plural=self.plural, format_date=self.format_date,
            canonical=None if absolute_links else site.absolute(url),
            alternates=[Language(a.locale, self.language_names[a.locale],
                                 site.absolute(a.url) or link(a.url), a.locale == self.locale.code,
                                 True) for a in alternates] if len(alternates) > 1 else [],
            x_default=site.absolute(default_url) if default_url and len(alternates) > 1 else None,
            languages=languages, language_names=self.language_names,
            translations=[lang for lang in languages if lang.translated and not lang.current],
            show_header_search=template not in ("home.html", "search.html", "404.html"),
            **extra)
        return self.theme.env.get_template(template).render(context).encode("utf-8")

    def plural(self, count: int, key: str) -> str:
        """A counted phrase from the UI strings: `<key>_one` for 1, else `<key>_other`."""
        form = self.strings.get(f"{key}_one") if count == 1 else None
        return (form or self.strings[f"{key}_other"]).format(count=count)

    def format_date(self, date: dt.date) -> str:
        months = self.strings.get("months") or []
        month = months[date.month - 1] if len(months) == 12 else str(date.month)
        return self.strings.get("date_format", "{year}-{month_number:02d}-{day:02d}").format(
            year=date.year, month=month, month_number=date.month, day=date.day)

    def pages(self) -> list[OutputFile]:
        locale = self.locale
        files = [self.render("home.html", locale.url, locale)]
        for category in locale.categories:
            files.append(self.render("category.html", category.url, category,
                                     category=category))
            for section in category.sections:
                if section.has_page:
                    files.append(self.render("section.html", section.url, section,
                                             category=category, section=section))
                for article in section.articles:
                    files.append(self.render("article.html", article.url, article,
                                             article=article,
                                             jsonld=article_jsonld(self.site, article)))
        files.append(self.render("search.html", f"{locale.url}search/"))
        if locale.contact:
            files.append(self.render("contact.html", locale.contact.url))
        files.append(self.render("404.html", f"{locale.url}404.html", absolute_links=True))
        return files


def render_site(site: Site, theme: Theme, cache: BuildCache | None = None) -> list[OutputFile]:
    cache = cache or BuildCache.disabled()
    fingerprints = Fingerprints()
    assets = static_assets(theme)
    strings = {locale.code: theme.strings(locale.code) for locale in site.locales}
    files: list[OutputFile] = []
    for locale in site.locales:
        files.extend(_PageRenderer(site, locale, theme, strings, cache, fingerprints,
                                   assets).pages())
    default = next(locale for locale in site.locales if locale.is_default)
    redirect_renderer = _PageRenderer(site, default, theme, strings, cache, fingerprints, assets)
    for redirect in site.redirects:
        files.append(redirect_renderer.render("redirect.html", redirect.path,
                                              redirect=redirect))
    files.append(redirect_renderer.render("embed.html", "embed/",
                                          widget_snippets=widget_snippets(site)))
    files.append(OutputFile("widget.js", widget_js(site, strings, assets)))
    files.extend(assets.files)
    files.append(OutputFile("_headers", headers_file(site, assets).encode()))
    files.append(OutputFile("robots.txt", robots_txt(site).encode()))
    if site.url:
        files.append(OutputFile("sitemap.xml", sitemap_xml(site).encode()))
    if site.redirects:
        files.append(OutputFile("_redirects", redirects_file(site).encode()))
    return files


def article_jsonld(site: SiteInfo, article: Article) -> list[dict]:
    """schema.org Article and BreadcrumbList for search engines."""
    data = {"@context": "https://schema.org", "@type": "Article", "headline": article.title,
            "description": article.description, "inLanguage": article.locale,
            "dateModified": article.updated.isoformat()}
    if site.url:
        data["url"] = site.absolute(article.url)
    crumbs = [*article.breadcrumbs, article]
    breadcrumbs = {"@context": "https://schema.org", "@type": "BreadcrumbList",
                   "itemListElement": [
                       {"@type": "ListItem", "position": index + 1, "name": crumb.title,
                        **({"item": site.absolute(crumb.url)} if site.url else {})}
                       for index, crumb in enumerate(crumbs)]}
    return [data, breadcrumbs]


def widget_snippets(site: Site) -> list[tuple[str, str]]:
    """The line to paste into a product page, per locale."""
    source = site.absolute("widget.js") or f"{site.base_path}widget.js"
    return [(locale.code, f'<script src="{source}" data-locale="{locale.code}" async></script>')
            for locale in site.locales]


def widget_js(site: Site, strings: dict, assets: Assets) -> bytes:
    """`widget.js`: the embeddable help button, with this site's settings and UI strings."""
    settings = {"defaultLocale": site.default_locale, "locales": {},
                "scripts": [assets(path) for path in SEARCH_SCRIPTS]}
    for locale in site.locales:
        t = strings[locale.code]
        contact = locale.contact
        settings["locales"][locale.code] = {
            "home": locale.url, "searchPage": f"{locale.url}search/",
            "contactPage": contact.url if contact else None,
            "strings": {**t["widget"], "search": t["search"],
                        "form": {k: v for k, v in t["contact"].items() if isinstance(v, str)},
                        "errors": t["contact"]["errors"], "fields": t["contact"]["fields"]},
            "contact": None if contact is None or contact.provider == "netlify" else {
                "provider": contact.provider, "endpoint": contact.endpoint,
                "method": contact.method, "format": contact.format, "email": contact.email,
                "success": contact.success or t["contact"]["success"],
                "error": contact.error or t["contact"]["error"],
                "fields": [{"name": f.name, "type": f.type,
                            "label": f.label or t["contact"]["fields"].get(f.name, f.name),
                            "required": f.required, "options": f.options}
                           for f in contact.fields]},
        }
    # ASCII only: the product page that loads it may declare another character encoding.
    return ("/* helpgen help widget. */\n(function () {\nvar SETTINGS = "
            + to_json(settings, ascii_only=True)
            + ";\n" + (CLIENT_DIR / "contact.js").read_text(encoding="utf-8")
            + (CLIENT_DIR / "widget.js").read_text(encoding="utf-8") + "})();\n").encode()


def headers_file(site: Site, assets: Assets) -> str:
    """`_headers` (Netlify, Cloudflare Pages): a year of caching for content-hashed files, a
    few minutes for the search index and the widget, which keep their names."""
    rules = [(f"{site.base_path}{name}", LONG_CACHE) for name in sorted(assets.names.values())]
    rules += [(f"{site.base_path}_helpgen/search/*", "public, max-age=300"),
              (f"{site.base_path}widget.js", "public, max-age=3600")]
    return "".join(f"{path}\n  Cache-Control: {value}\n" for path, value in rules)


def robots_txt(site: Site) -> str:
    text = "User-agent: *\nAllow: /\n"
    if site.url:
        text += f"\nSitemap: {site.absolute('sitemap.xml')}\n"
    return text


def sitemap_xml(site: Site) -> str:
    """Every published page in every locale, with hreflang alternates."""
    entries = []
    for locale in site.locales:
        pages: list[Locale | Category | Section | Article] = [locale, *locale.categories,
                                                              *locale.sections, *locale.articles]
        for page in pages:
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
            entries.append("\n".join(lines) + "\n  </url>")
        if locale.contact:
            entries.append(f"  <url>\n    <loc>{_abs(site, locale.contact.url)}</loc>\n  </url>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' + "\n".join(entries) + "\n</urlset>\n")


def _abs(site: Site, url: str) -> str:
    return xml_escape(site.url + quote(url, safe="/"))


def redirects_file(site: Site) -> str:
    """`_redirects` for hosts that read one (Netlify, Cloudflare Pages)."""
    lines = [f"{site.base_path}{quote(r.path, safe='/')} {site.base_path}"
             f"{quote(r.target, safe='/')} 301" for r in site.redirects]
    return "\n".join(lines) + "\n"


def to_json(value, compact: bool = False, ascii_only: bool = False) -> str:
    """JSON safe to place inside a <script> element or a script file."""
    separators = (",", ":") if compact else (", ", ": ")
    return (json.dumps(value, ensure_ascii=ascii_only, sort_keys=True, separators=separators)
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
