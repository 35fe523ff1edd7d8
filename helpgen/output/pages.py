"""Stage 5, render: the content model through the theme's Jinja2 templates into output files.

Templates receive the frozen model plus what presentation needs (UI strings for the locale, a
`url()` that makes links relative to the current page, canonical and alternate URLs, JSON-LD) and
decide nothing about content. Everything rendered here is an `OutputFile`; nothing touches disk.
`render_site` is the stage: every locale's pages, then the articles' Markdown and llms.txt
(markdown.py), the widget (widget.py), the static assets (assets.py), each locale's feed and
search description (feeds.py) and the files hosts and crawlers read (host_files.py). It hands
them on a batch at a time, so that a build need not hold every rendered file at once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

from helpgen.infra.cache import Fingerprints, Step, StepRunner, digest, run_uncached
from helpgen.infra.reuse import Group, Job, Reuse
from helpgen.output.assets import SEARCH_SCRIPTS, Assets, static_assets
from helpgen.settings.colors import link_colors, text_on
from helpgen.output.files import OutputFile
from helpgen.output.csp import PolicySources
from helpgen.output.feeds import MEDIA_TYPES, head_links, locale_files
from helpgen.output.host_files import headers_file, redirects_file, robots_txt, sitemap_xml
from helpgen.output.markdown import markdown_files
from helpgen.output.theme import Theme
from helpgen.output.widget import context_labels, widget_files, widget_snippets
from helpgen.content.model import (Article, Body, Brand, Category, Locale, Section, Site,
                                    SiteInfo)
from helpgen.content.urls import is_external, page_file, relative_url

# Pages rendered, then handed on, at a time (about 35 MB of HTML); enough for the policy's look
# at them to be worth other cores (csp.py).
PAGES_AT_ONCE = 2500


@dataclass(frozen=True)
class Language:
    """An entry of the language switcher."""

    locale: str
    name: str
    href: str
    current: bool
    translated: bool     # the current page exists in this locale


@dataclass(frozen=True)
class NavLink:
    """A sidebar entry: a category, section or article by title and URL, never its content."""

    title: str
    url: str | None                   # None: a section without a page of its own
    children: tuple[NavLink, ...] = ()
    internal: bool = False            # an internal article (the agents' help center)


def navigation(locale: Locale) -> tuple[NavLink, ...]:
    """The locale's categories → sections → articles, for themes with `navigation: true`."""
    return tuple(
        NavLink(category.title, category.url, tuple(
            NavLink(section.title, section.url if section.has_page else None,
                    tuple(NavLink(article.title, article.url, internal=article.internal)
                          for article in section.articles))
            for section in category.sections))
        for category in locale.categories)


@dataclass
class RenderMemo:
    """What rendering keeps from one build to the next in the live preview (one per site it
    builds): each model object's digests (Fingerprints memoizes them by identity) and each page
    made from an object (Reuse). A command-line build starts with a new one."""

    listed: Fingerprints         # an article without its body: what listings read
    fingerprints: Fingerprints   # everything, a body by its key
    reuse: Reuse

    @classmethod
    def new(cls, keep: bool = True) -> RenderMemo:
        """`keep`: what rendering made is kept for a next build (the live preview's)."""
        # An article is digested once without its body (`listed`); with it, that digest and
        # its body's key stand for it.
        bodies = {Body: lambda body: body.key}
        listed = Fingerprints(stand_ins={**bodies, Article: _without_body})
        return cls(listed, Fingerprints(stand_ins={
            **bodies, Article: lambda article: (listed.of(article), article.body)}),
            Reuse(keep))


class _PageRenderer:
    """Renders pages of one locale; knows the current page's URL to make links relative."""

    def __init__(self, site: Site, locale: Locale, theme: Theme, strings_by_locale: dict,
                 memo: RenderMemo, assets: Assets, listings: Fingerprints):
        self.site, self.locale, self.theme, self.assets = site.info, locale, theme, assets
        self.locale_info = locale.info
        self.strings = strings_by_locale[locale.code]
        self.locale_roots = {loc.code: loc.url for loc in site.locales}
        self.language_names = {code: s.get("language_name", code)
                               for code, s in strings_by_locale.items()}
        fingerprints = memo.fingerprints
        self.fingerprints, self.listings = fingerprints, listings
        # Only for themes that show it: otherwise any title change would re-render every page.
        self.theme_context = {"navigation": memo.reuse.memoized(
            "navigation", locale.code, locale, None, navigation, locale)} \
            if theme.navigation else {}
        self.head_links = memo.reuse.memoized("head links", locale.code, locale, site.address,
                                              head_links, site.address, locale, memo.reuse)
        self.shared_key = digest(theme.fingerprint, fingerprints.of(self.site),
                                 fingerprints.of(self.locale_info), self.locale_roots,
                                 memo.reuse.memoized("strings", locale.code, self.strings,
                                                     None, fingerprints.of, self.strings),
                                 self.language_names,
                                 assets.names, fingerprints.of(self.theme_context),
                                 self.head_links)

    def render(self, template: str, url: str, page=None, *, absolute_links: bool = False,
               derived: dict | None = None, **extra) -> Job:
        """What renders the page for `template` served at `url` (an OutputFile).

        `absolute_links` makes links start from the base path instead of the page, for pages
        served at any address (404). The page's HTML depends only on what the key covers: the
        theme, the site's and the locale's settings, the UI strings, `page` and `extra`.
        `derived` names functions of those, called only when the page is rendered. Any page but
        an article's covers the articles it shows as `listings` digests them (see render_site).
        """
        extras = tuple(sorted(extra.items()))
        return Job(url, page, (self.shared_key, template, absolute_links, extras),
                   functools.partial(self._step, template, url, page, absolute_links, extras,
                                     derived or {}))

    def _step(self, template: str, url: str, page, absolute_links: bool, extras: tuple,
              derived: dict) -> Step:
        reads = self.fingerprints if template == "article.html" else self.listings
        key = digest(self.shared_key, template, url, absolute_links, reads.of(page),
                     tuple((name, reads.of(value)) for name, value in extras))
        return Step(key, functools.partial(self._render, template, url, page, absolute_links,
                                           dict(extras), derived))

    def _render(self, template: str, url: str, page, absolute_links: bool, extra: dict,
                derived: dict) -> OutputFile:
        site, address = self.site, self.site.address
        extra = {**extra, **{name: make() for name, make in derived.items()}}

        def link(target: str) -> str:
            if is_external(target):
                return target
            if absolute_links:
                return address.path + quote(target, safe="/#")
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
            canonical=None if absolute_links else address.absolute(original_url or url),
            brand=self.locale_info.brand, brand_css=brand_css(self.locale_info.brand, link),
            alternates=[Language(a.locale, self.language_names[a.locale],
                                 address.absolute(a.url) or link(a.url), a.locale == self.locale.code,
                                 True) for a in alternates] if len(alternates) > 1 else [],
            x_default=address.absolute(default_url) if default_url and len(alternates) > 1 else None,
            languages=languages, language_names=self.language_names,
            translations=[lang for lang in languages if lang.translated and not lang.current],
            show_header_search=template not in ("home.html", "search.html", "404.html"),
            **self.head_links, **extra)
        return OutputFile(page_file(url),
                          self.theme.render(template, {**context, **self.theme_context}))

    def plural(self, count: int, key: str) -> str:
        """A counted phrase from the UI strings: `<key>_one` for 1, else `<key>_other`."""
        form = self.strings.get(f"{key}_one") if count == 1 else None
        return (form or self.strings[f"{key}_other"]).format(count=count)

    def format_date(self, date: dt.date) -> str:
        months = self.strings.get("months") or []
        month = months[date.month - 1] if len(months) == 12 else str(date.month)
        return self.strings.get("date_format", "{year}-{month_number:02d}-{day:02d}").format(
            year=date.year, month=month, month_number=date.month, day=date.day)

    def pages(self) -> list[Group]:
        """The locale's pages: those of each category (its own and its sections') a function
        of that category and the locale's context, those of a section's articles of that
        section and the context, the others of the locale."""
        locale = self.locale
        return [Group(locale.url, locale, self.shared_key, self._locale_pages),
                *(group for category in locale.categories for group in (
                    Group(category.url, category, self.shared_key,
                          functools.partial(self._category_pages, category)),
                    *(Group(f"{category.url} {section.key}", section, self.shared_key,
                            functools.partial(self._article_pages, section))
                      for section in category.sections)))]

    def _locale_pages(self) -> list[Job]:
        locale = self.locale
        jobs = [self.render("home.html", locale.url, locale),
                self.render("search.html", f"{locale.url}search/")]
        if locale.contact:
            jobs.append(self.render("contact.html", locale.contact.url))
        jobs.append(self.render("404.html", f"{locale.url}404.html", absolute_links=True))
        return jobs

    def _category_pages(self, category: Category) -> list[Job]:
        return [self.render("category.html", category.url, category, category=category),
                *(self.render("section.html", section.url, section, category=category,
                              section=section)
                  for section in category.sections if section.has_page)]

    def _article_pages(self, section: Section) -> list[Job]:
        return [self.render("article.html", article.url, article, article=article, derived={
            "jsonld": functools.partial(article_jsonld, self.site, article)})
            for article in section.articles]


def render_site(site: Site, theme: Theme, run_steps: StepRunner = run_uncached,
                memo: RenderMemo | None = None
                ) -> Iterator[list[tuple[str, list[OutputFile]]]]:
    """Every file of the site but the search index, in named parts (files.Outputs), handed on
    in batches (about PAGES_AT_ONCE pages; a locale's Markdown files; the rest): a batch is
    made once the caller has taken the one before. Each page is a step of `run_steps`, which
    renders them on every core and may reuse pages kept by an earlier build. The policy in
    `_headers` (csp.py), which reads every page, is collected from the batches as they pass.

    A page's key covers what it may read: an article's page its body; a page listing articles
    their bodies only when the theme's templates read bodies outside article.html
    (Theme.listings_read_bodies), so that a body edit re-renders one page, and a title, order
    or URL change the pages that list the article. With the live preview's `memo`, a page
    made from the same model object as in its previous build, in the same context, is that
    build's file, and so is what a locale or an article the edit left alone made; the files,
    and the parts of a category or a locale it left alone, are then the previous build's
    objects (the write stage compares them by identity)."""
    memo = memo or RenderMemo.new()
    reuse = memo.reuse
    listings = memo.fingerprints if theme.listings_read_bodies else memo.listed
    assets = reuse.memoized("assets", "", theme, None, static_assets, theme)
    strings = {locale.code: theme.strings(locale.code) for locale in site.locales}
    pages: list[Group] = []
    for locale in site.locales:
        pages.extend(_PageRenderer(site, locale, theme, strings, memo, assets,
                                   listings).pages())
    default = next(locale for locale in site.locales if locale.is_default)
    others = _PageRenderer(site, default, theme, strings, memo, assets, listings)
    snippets = widget_snippets(site)
    labels = context_labels(site, reuse)
    # Named apart from the default locale's group, whose name (its URL) is "".
    pages.append(Group(" redirects", site.redirects, (others.shared_key, snippets, labels),
                       lambda: [*(others.render("redirect.html", redirect.path,
                                                redirect=redirect)
                                  for redirect in site.redirects),
                                others.render("embed.html", "embed/",
                                              widget_snippets=snippets,
                                              context_labels=labels)]))
    policy = PolicySources(run_steps, reuse)

    def passed(parts: list[tuple[str, list[OutputFile]]]) -> list[tuple[str, list[OutputFile]]]:
        policy.add([made for _, made in parts])
        return parts

    for batch in reuse.group_batches("page", pages, run_steps, per_conversion=2,
                                     size=PAGES_AT_ONCE):
        yield passed([(f"pages {group.name}", made) for group, made in batch])
    for parts in markdown_files(site, strings, memo.fingerprints, run_steps, reuse):
        yield passed(parts)
    described = [file for locale in site.locales for file in reuse.memoized(
        "described", locale.code, locale, site.address, locale_files, site, locale, reuse)]
    yield passed([("widget", widget_files(site, strings, assets, reuse)),
                  ("assets", assets.files), ("described", described)])
    files = [OutputFile("_headers", headers_file(
        site, assets, policy.policy(site),
        {file.path: MEDIA_TYPES[file.path.rsplit("/", 1)[-1]] for file in described}).encode()),
        OutputFile("robots.txt", robots_txt(site).encode())]
    if site.address.url and not site.internal:     # the agents' site is for no search engine
        files.append(OutputFile("sitemap.xml", sitemap_xml(site, memo.listed, run_steps, reuse)))
    if site.redirects:
        files.append(OutputFile("_redirects", redirects_file(site).encode()))
    yield [("host files", files)]


def _without_body(article: Article) -> tuple:
    """What a page listing `article` may read of it: every field but its body."""
    return tuple(getattr(article, name) for name in _LISTED_FIELDS)


_LISTED_FIELDS = tuple(field.name for field in dataclasses.fields(Article) if field.name != "body")


def brand_css(brand: Brand, link) -> str:
    """The brand's colors and fonts as the theme's CSS custom properties, and its font files.

    Text colors come from settings/colors.py, so any brand color stays readable. `link` makes a
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
    address = site.address
    if address.url:
        data["url"] = address.absolute(article.url)
    crumbs = [*article.breadcrumbs, article]
    breadcrumbs = {"@context": "https://schema.org", "@type": "BreadcrumbList",
                   "itemListElement": [
                       {"@type": "ListItem", "position": index + 1, "name": crumb.title,
                        **({"item": address.absolute(crumb.url)} if address.url else {})}
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
