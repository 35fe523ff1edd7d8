"""Stage 5, render: the content model through the theme's Jinja2 templates into output files.

Templates receive the frozen model plus what presentation needs (UI strings for the locale, a
`url()` that makes links relative to the current page, canonical and alternate URLs, JSON-LD) and
decide nothing about content. Everything rendered here is an `OutputFile`; nothing touches disk.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import time
import traceback
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Callable
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

import jinja2
import mkdocs
from pygments.formatters import HtmlFormatter

from helpgen.infra import parallel
from helpgen.output import theme_folders as themes
from helpgen.infra.cache import BuildCache, Fingerprints, digest
from helpgen.errors import HelpgenError
from helpgen.content.sources import any_changed_lately, folder_signatures
from helpgen.output.colors import link_colors, text_on
from helpgen.output.files import OutputFile
from helpgen.content.model import Article, Brand, Category, Locale, Section, Site, SiteInfo
from helpgen.content.urls import is_external, page_file, relative_url
from helpgen.settings.yamlio import parse_yaml, read_text
from helpgen.settings.locales import ui_fallbacks

CLIENT_DIR = Path(__file__).parent.parent / "client"
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


_loaded_themes: dict[tuple, Theme] = {}


def load_theme(name: str = "default", custom_dir: Path | None = None) -> Theme:
    """The built-in theme `name` with the themes it extends below it and `custom_dir` on top.

    Read once per process while none of the themes' files changes, so the builds of a live
    preview do not compile templates and parse UI strings again for every edit.
    """
    chain, settings = themes.theme_chain(name)
    navigation = settings.get("navigation", False)
    signature = _folders_signature(custom_dir, *(folder for _, folder in chain))
    key = (tuple(chain), custom_dir, navigation, signature)
    theme = _loaded_themes.get(key)
    if theme is None:
        theme = Theme(chain, custom_dir, navigation=navigation)
        _loaded_themes.clear()
        if signature is not None:
            _loaded_themes[key] = theme
    return theme


def _folders_signature(*folders: Path | None) -> tuple | None:
    """Every file's signature below `folders`; None if one changed too recently to tell a
    later change apart by it (see content/sources.any_changed_lately)."""
    taken_at = time.time_ns()
    trees = tuple((str(folder), tuple(folder_signatures(folder)))
                  for folder in folders if folder and folder.is_dir())
    return None if any_changed_lately(trees, taken_at) else trees


class Theme:
    """A stack of theme folders, most specific first: `custom_dir`, the theme, the theme it
    extends, and so on. Each may hold templates/, static/ (copied to _theme/), i18n/<locale>.yml;
    a file in a higher folder replaces the same file below it, UI strings merge key by key.

    Templates are looked up by name through the whole stack, so a partial overridden anywhere is
    used by every template. `theme/<name>` is the selected theme's own version (without
    custom_dir) and `<theme>/<name>` that theme's version, for a template that extends the one
    it replaces: `{% extends "theme/base.html" %}`.
    """

    def __init__(self, chain: list[tuple[str, Path]], custom_dir: Path | None = None, *,
                 navigation: bool = False):
        self.folders = ([custom_dir] if custom_dir else []) + [folder for _, folder in chain]
        self.navigation = navigation       # templates get the locale's `navigation` tree
        self._strings: dict[str, dict] = {}
        theme_folders = [folder for _, folder in chain]

        def templates(folders: list[Path]) -> jinja2.FileSystemLoader:
            return jinja2.FileSystemLoader([folder / "templates" for folder in folders])

        prefixes = {name: templates(theme_folders[index:])
                    for index, (name, _) in enumerate(chain)}
        prefixes["theme"] = templates(theme_folders)
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader([jinja2.PrefixLoader(prefixes),
                                        templates(self.folders)]),
            autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
            lstrip_blocks=True, keep_trailing_newline=True)
        self.env.filters["json"] = to_json

    def _files(self, subfolder: str) -> dict[str, Path]:
        """Relative path → file, the highest folder's file winning."""
        found: dict[str, Path] = {}
        for folder in reversed(self.folders):
            base = folder / subfolder
            found.update((p.relative_to(base).as_posix(), p)
                         for p in base.rglob("*") if p.is_file())
        return found

    @cached_property
    def fingerprint(self) -> str:
        """A hash of every file of every folder: a changed template re-renders every page."""
        return digest(self.navigation, *(
            (index, p.relative_to(folder).as_posix(), p.read_bytes())
            for index, folder in enumerate(self.folders)
            for p in sorted(folder.rglob("*")) if p.is_file()))

    def strings(self, locale: str) -> dict:
        """UI strings for `locale`: its file over the language's file over English; for each,
        the highest folder's strings over those below (a translation beats an English
        override). Read once per theme (every brand's pages, the widget, the brands page)."""
        if locale in self._strings:
            return self._strings[locale]
        strings = self._strings[locale] = {}
        for code in reversed(ui_fallbacks(locale)):
            for folder in reversed(self.folders):
                path = folder / "i18n" / f"{code}.yml"
                if path.is_file():
                    _merge(strings, _ui_strings(path))
        return strings

    @cached_property
    def static_files(self) -> list[OutputFile]:
        """The static/ folders under `_theme/`, plus the code highlighting colors."""
        files = [OutputFile(f"_theme/{name}", path.read_bytes())
                 for name, path in sorted(self._files("static").items())]
        files.append(OutputFile("_theme/pygments.css", pygments_css().encode()))
        return files

    def render(self, template: str, context: dict) -> bytes:
        """A page; a mistake in a template becomes an error at its file and line."""
        try:
            return self.env.get_template(template).render(context).encode("utf-8")
        except jinja2.TemplateSyntaxError as error:
            raise HelpgenError(f"template: {error.message}", error.filename, error.lineno,
                               "fix the template (Jinja2 syntax)") from None
        except Exception as error:
            frame = next((f for f in reversed(traceback.extract_tb(error.__traceback__))
                          if any(Path(f.filename).is_relative_to(folder)
                                 for folder in self.folders)), None)
            if frame is None:
                raise
            raise HelpgenError(f"template: {type(error).__name__}: {error}", frame.filename,
                               frame.lineno, f"while rendering {template}; check the names "
                               "this template uses (README, Themes)") from None


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
    # lunr.js registers itself with an AMD or CommonJS loader when the page has one (a product
    # page with the widget may: require.js would then fail on an anonymous module); hidden from
    # both, it always sets `window.lunr`.
    runtime = [OutputFile("_helpgen/lunr.js", b"(function (define, module, exports) {\n"
                          + LUNR_JS.read_bytes() + b"\n}).call(window);\n")]
    runtime += [OutputFile(f"_helpgen/{name}", (CLIENT_DIR / name).read_bytes())
                for name in ("tokenizer.js", "engine.js", "contact.js")]
    return Assets(theme.static_files + runtime)


def _ui_strings(path: Path) -> dict:
    """A theme's i18n/<locale>.yml (a custom_dir's is the writer's file): UI strings by key."""
    data = parse_yaml(read_text(path), path)[0]
    if data is not None and not isinstance(data, dict):
        raise HelpgenError("UI strings must be 'key: text' lines", path, 1,
                           "copy the keys you change from the theme's i18n/en.yml")
    return data or {}


def _merge(target: dict, source: dict) -> None:
    """Deep-merge UI strings: a locale's file may translate part of a group."""
    for key, value in source.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value


def pygments_css() -> str:
    """Code colors for the scheme in use: the system's, unless the reader chose one with the
    theme's toggle (`data-scheme` on <html>). Each style applies alone, so no token keeps a
    color meant for the other background."""

    def rules(style: str, selector: str) -> str:
        return HtmlFormatter(style=style).get_style_defs(f"{selector} .highlight")

    return "".join(
        f"@media (prefers-color-scheme: {scheme}) {{\n"
        f"{rules(style, f':root:not([data-scheme={other}])')}\n}}\n"
        f"{rules(style, f':root[data-scheme={scheme}]')}\n"
        for scheme, other, style in (("light", "dark", PYGMENTS_LIGHT),
                                     ("dark", "light", PYGMENTS_DARK)))


@dataclass(frozen=True)
class NavLink:
    """A sidebar entry: a category, section or article by title and URL, never its content."""

    title: str
    url: str | None                   # None: a section without a page of its own
    children: tuple[NavLink, ...] = ()


def navigation(locale: Locale) -> tuple[NavLink, ...]:
    """The locale's categories → sections → articles, for themes with `navigation: true`."""
    return tuple(
        NavLink(category.title, category.url, tuple(
            NavLink(section.title, section.url if section.has_page else None,
                    tuple(NavLink(article.title, article.url) for article in section.articles))
            for section in category.sections))
        for category in locale.categories)


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
        # Only for themes that show it: otherwise any title change would re-render every page.
        self.theme_context = {"navigation": navigation(locale)} if theme.navigation else {}
        self.shared_key = digest(theme.fingerprint, fingerprints.of(self.site),
                                 fingerprints.of(self.locale_info), self.locale_roots,
                                 fingerprints.of(self.strings), self.language_names,
                                 assets.names, fingerprints.of(self.theme_context))

    def render(self, template: str, url: str, page=None, *, absolute_links: bool = False,
               derived: dict | None = None, **extra) -> OutputFile | _Pending:
        """The cached page for `template` served at `url`, or what renders it.

        `absolute_links` makes links start from the base path instead of the page, for pages
        served at any address (404). The page's HTML depends only on what the key covers: the
        theme, the site's and the locale's settings, the UI strings, `page` and `extra`.
        `derived` names functions of those, called only when the page is rendered.
        """
        key = digest(self.shared_key, template, url, absolute_links, self.fingerprints.of(page),
                     tuple((name, self.fingerprints.of(value)) for name, value in
                           sorted(extra.items())))
        file = self.cache.get("page", key)
        if file is None:
            return _Pending(page_file(url), key, functools.partial(
                self._render, template, url, page, absolute_links, extra, derived or {}))
        return file

    def _render(self, template: str, url: str, page, absolute_links: bool, extra: dict,
                derived: dict) -> bytes:
        site = self.site
        extra = {**extra, **{name: make() for name, make in derived.items()}}

        def link(target: str) -> str:
            if is_external(target):
                return target
            if absolute_links:
                return site.base_path + quote(target, safe="/#")
            return relative_url(url, target)

        # An untranslated copy points search engines to the original and is nobody's alternate.
        original_url = getattr(page, "original_url", None)
        alternates = () if original_url else getattr(page, "alternates", ())
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
            canonical=None if absolute_links else site.absolute(original_url or url),
            brand=self.locale_info.brand, brand_css=brand_css(self.locale_info.brand, link),
            alternates=[Language(a.locale, self.language_names[a.locale],
                                 site.absolute(a.url) or link(a.url), a.locale == self.locale.code,
                                 True) for a in alternates] if len(alternates) > 1 else [],
            x_default=site.absolute(default_url) if default_url and len(alternates) > 1 else None,
            languages=languages, language_names=self.language_names,
            translations=[lang for lang in languages if lang.translated and not lang.current],
            show_header_search=template not in ("home.html", "search.html", "404.html"),
            **extra)
        return self.theme.render(template, {**context, **self.theme_context})

    def plural(self, count: int, key: str) -> str:
        """A counted phrase from the UI strings: `<key>_one` for 1, else `<key>_other`."""
        form = self.strings.get(f"{key}_one") if count == 1 else None
        return (form or self.strings[f"{key}_other"]).format(count=count)

    def format_date(self, date: dt.date) -> str:
        months = self.strings.get("months") or []
        month = months[date.month - 1] if len(months) == 12 else str(date.month)
        return self.strings.get("date_format", "{year}-{month_number:02d}-{day:02d}").format(
            year=date.year, month=month, month_number=date.month, day=date.day)

    def pages(self) -> list[OutputFile | _Pending]:
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
                    files.append(self.render(
                        "article.html", article.url, article, article=article,
                        derived={"jsonld": functools.partial(article_jsonld, self.site,
                                                             article)}))
        files.append(self.render("search.html", f"{locale.url}search/"))
        if locale.contact:
            files.append(self.render("contact.html", locale.contact.url))
        files.append(self.render("404.html", f"{locale.url}404.html", absolute_links=True))
        return files


@dataclass(frozen=True)
class _Pending:
    """A page the cache does not have: rendered by `render_site`, on every core."""

    path: str
    key: str
    render: Callable[[], bytes]


def _rendered(files: list[OutputFile | _Pending], cache: BuildCache) -> list[OutputFile]:
    """`files` with the pending pages rendered (and cached)."""
    pending = [number for number, file in enumerate(files) if isinstance(file, _Pending)]
    done = list(files)
    for number, html in zip(pending, parallel.run([files[n].render for n in pending],
                                                  per_conversion=2)):
        done[number] = OutputFile(files[number].path, html)
        cache.put("page", files[number].key, done[number])
    return done


def render_site(site: Site, theme: Theme, cache: BuildCache | None = None) -> list[OutputFile]:
    cache = cache or BuildCache.disabled()
    fingerprints = Fingerprints()
    assets = static_assets(theme)
    strings = {locale.code: theme.strings(locale.code) for locale in site.locales}
    files: list[OutputFile | _Pending] = []
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
    files = _rendered(files, cache)
    files.append(OutputFile("widget.js", widget_js(site, strings, assets)))
    files.extend(assets.files)
    files.append(OutputFile("_headers", headers_file(site, assets).encode()))
    files.append(OutputFile("robots.txt", robots_txt(site).encode()))
    if site.url:
        files.append(OutputFile("sitemap.xml", sitemap_xml(site, cache, fingerprints).encode()))
    if site.redirects:
        files.append(OutputFile("_redirects", redirects_file(site).encode()))
    return files


def brand_css(brand: Brand, link) -> str:
    """The brand's colors and fonts as the theme's CSS custom properties, and its font files.

    Text colors come from output/colors.py, so any brand color stays readable. `link` makes a
    site-root URL relative to the page. Every value was validated in config.py (hex colors,
    font names without CSS punctuation), so the text is safe inside a <style> element.
    """
    faces = "".join(
        f'@font-face {{ font-family: "{font.family}"; src: url("{link(font.file)}"); '
        f"font-weight: {font.weight}; font-style: {font.style}; font-display: swap; }}\n"
        for font in brand.font_files)
    return faces + _brand_properties(brand.primary_color, brand.accent_color, brand.body_font,
                                     brand.headings_font, brand.code_font)


@functools.cache
def _brand_properties(primary: str, accent: str, body_font: str | None,
                      headings_font: str | None, code_font: str | None) -> str:
    """The `:root` rule of brand_css: the same for every page of a brand, so made once (finding
    readable shades takes up to a hundred contrast computations)."""
    light, dark = link_colors(primary)
    properties = {
        "--hg-primary": primary, "--hg-on-primary": text_on(primary),
        "--hg-link": f"light-dark({light}, {dark})",
        "--hg-accent": accent, "--hg-on-accent": text_on(accent),
        "--hg-font-body": body_font, "--hg-font-headings": headings_font,
        "--hg-font-code": code_font}
    return ":root { " + " ".join(f"{name}: {value};" for name, value in properties.items()
                                 if value) + " }"


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


def brands_page(sites: list[Site], brand_ids: list[str], theme: Theme) -> OutputFile:
    """`index.html` at the root of a several-brand output: a link to each brand's site in each
    of its languages."""
    brands = [{"name": site.locales[0].brand.name, "languages": [
        {"name": theme.strings(locale.code).get("language_name", locale.code),
         "locale": locale.code, "url": f"{brand_id}/{locale.url}"} for locale in site.locales]}
        for brand_id, site in zip(brand_ids, sites)]
    return OutputFile("index.html", theme.render("brands.html", {
        "brands": brands, "locale": sites[0].default_locale}))


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


def sitemap_xml(site: Site, cache: BuildCache, fingerprints: Fingerprints) -> str:
    """Every published page in every locale, with hreflang alternates; a locale's entries
    are made again only when it changed."""
    entries = []
    for locale in site.locales:
        key = digest(fingerprints.of(site.info), fingerprints.of(locale))
        entries.append(cache.get("sitemap", key))
        if entries[-1] is None:
            entries[-1] = sitemap_entries(site, locale)
            cache.put("sitemap", key, entries[-1])
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' + "\n".join(entries) + "\n</urlset>\n")


def sitemap_entries(site: Site, locale: Locale) -> str:
    """The sitemap's `<url>` elements of one locale."""
    entries = []
    pages: list[Locale | Category | Section | Article] = [
        locale, *locale.categories, *locale.sections,
        *(article for article in locale.articles if not article.original_url)]
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
    return "\n".join(entries)


def _abs(site: Site, url: str) -> str:
    return xml_escape(site.absolute(url))


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
