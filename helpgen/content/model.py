"""Stage 4, model: turn loaded sources into the content model that themes read.

The model is a tree of frozen dataclasses — Site → Locale → Category → Section → Article — with
every URL, title, date and link already decided, so that templates only display it. This is where
the site's rules live: URL layout, translations and what they inherit, drafts, ordering,
previous/next, related articles, link rewriting and aliases.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
import unicodedata
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from helpgen.settings.address import SiteAddress
from helpgen.settings.config import BrandSettings, Config, FontFile
from helpgen.errors import (BROKEN_LINK, FRONT_MATTER, MISSING_IMAGE, STRUCTURE, Report,
                            did_you_mean)
from helpgen.content.sources import ArticleSource, GroupSource, Sources
from helpgen.content.bodies import BodyJob, body_key, convert_bodies
from helpgen.infra.cache import SKIP_IN_FINGERPRINT, BuildCache
from helpgen.content.links import LinkTable
from helpgen.content.markup import RenderedMarkdown, TocItem, icon_names, icon_svg
from helpgen.infra.progress import Progress
from helpgen.content.urls import MAX_SEGMENT_BYTES, alias_path, is_safe_slug, page_file, slugify
from helpgen.settings.locales import as_text, localize

# Names the theme and the build use at the root of the site; each is reserved, with all below
# it, at the root of every locale too: no category, alias or slug may take them.
RESERVED_NAMES = ("search", "contact", "embed", "assets", "_theme", "_helpgen", "404.html",
                  "sitemap.xml", "robots.txt", "_redirects", "_headers", "widget.js",
                  ".helpgen-output")
RECENT_COUNT = 6
LOGO_HEIGHT = 34                 # px, the header logo's height (the theme's CSS may scale it)
DESCRIPTION_LENGTH = 160
# Front matter a translation takes from the default-locale article unless it sets its own.
INHERITED = ("order", "slug", "promoted", "draft", "related", "tags", "review_by")


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Alternate:
    """The same page in another locale."""

    locale: str
    url: str


@dataclass(frozen=True)
class Article:
    key: str                     # "billing/refunds/request-a-refund": the same in every locale
    source: Path                 # the Markdown file, relative to the site folder
    locale: str
    url: str
    title: str
    description: str             # as written, else the start of the text
    tags: tuple[str, ...]
    updated: dt.date
    review_by: dt.date | None
    promoted: bool
    body_html: str = field(metadata=SKIP_IN_FINGERPRINT)
    text: str = field(metadata=SKIP_IN_FINGERPRINT)        # plain text of the body, for search
    toc: tuple[TocItem, ...] = field(metadata=SKIP_IN_FINGERPRINT)
    body_key: str                # stands for body_html, text and toc in cache keys (see bodies)
    category: Link
    section: Link | None         # None for articles placed directly in a category folder
    breadcrumbs: tuple[Link, ...]
    related: tuple[Link, ...]
    previous: Link | None
    next: Link | None
    alternates: tuple[Alternate, ...]   # its translations (not untranslated copies)
    content_locale: str          # the language of title and body; for an untranslated copy,
    original_url: str | None     # the default locale, and the URL of the original


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    description: str
    url: str
    has_page: bool               # False for the default section of a category
    articles: tuple[Article, ...]
    alternates: tuple[Alternate, ...]


@dataclass(frozen=True)
class Category:
    key: str
    title: str
    description: str
    url: str
    icon_svg: str | None
    sections: tuple[Section, ...]
    alternates: tuple[Alternate, ...]

    @property
    def article_count(self) -> int:
        return sum(len(section.articles) for section in self.sections)


@dataclass(frozen=True)
class FormFieldView:
    """A contact form field in one locale. An empty label means: the theme's label."""

    name: str
    type: str
    label: str
    required: bool
    options: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ContactPage:
    url: str
    provider: str                # generic, netlify, zendesk or mailto
    endpoint: str | None
    method: str
    format: str                  # json or form
    email: str | None
    fields: tuple[FormFieldView, ...]
    success: str                 # empty: the theme's text
    error: str
    turnstile_site_key: str | None
    hcaptcha_site_key: str | None


@dataclass(frozen=True)
class Banner:
    text: str
    url: str | None
    id: str                      # changes with the text, so a dismissed banner can come back


@dataclass(frozen=True)
class Brand:
    """The brand's look in one locale. Asset URLs are relative to the site root."""

    name: str
    logo: str | None
    logo_dark: str | None
    # The logos' width at the header's LOGO_HEIGHT, from their intrinsic size: with both, the
    # header keeps its layout while they load. None: unknown.
    logo_width: int | None
    logo_dark_width: int | None
    favicon: str | None
    custom_css: str | None
    primary_color: str
    accent_color: str
    body_font: str | None
    headings_font: str | None
    code_font: str | None
    font_files: tuple[FontFile, ...]
    header_links: tuple[Link, ...]
    footer_links: tuple[Link, ...]
    footer_text: str
    banner: Banner | None
    logo_height: int = LOGO_HEIGHT


@dataclass(frozen=True)
class LocaleInfo:
    """What any page may show of its locale; the home page gets the whole `Locale`."""

    code: str
    url: str
    is_default: bool
    title: str
    description: str
    contact: ContactPage | None
    brand: Brand


@dataclass(frozen=True)
class Locale:
    code: str
    url: str                     # "" for the default locale, "zh-CN/" for the others
    is_default: bool
    title: str
    description: str
    categories: tuple[Category, ...]
    promoted: tuple[Article, ...]
    recent: tuple[Article, ...]
    alternates: tuple[Alternate, ...]
    contact: ContactPage | None
    brand: Brand

    @property
    def info(self) -> LocaleInfo:
        return LocaleInfo(self.code, self.url, self.is_default, self.title, self.description,
                          self.contact, self.brand)

    @property
    def articles(self) -> tuple[Article, ...]:
        return tuple(article for category in self.categories for section in category.sections
                     for article in section.articles)

    @property
    def sections(self) -> tuple[Section, ...]:
        return tuple(section for category in self.categories for section in category.sections
                     if section.has_page)


@dataclass(frozen=True)
class Redirect:
    path: str                    # the old URL, relative to the site root ("old/page/")
    target: str                  # the URL it now lives at
    title: str


@dataclass(frozen=True)
class SiteInfo:
    """What any page may show of the site, without its tree of pages."""

    address: SiteAddress
    default_locale: str
    feedback_endpoint: str | None
    analytics_endpoint: str | None

    # The address under the names templates know it by: {{ site.absolute(page.url) }}.
    url = property(lambda self: self.address.url)
    base_path = property(lambda self: self.address.path)
    absolute = property(lambda self: self.address.absolute)


@dataclass(frozen=True)
class Site:
    address: SiteAddress         # where it is served
    default_locale: str
    locales: tuple[Locale, ...]
    redirects: tuple[Redirect, ...]
    assets: tuple[Path, ...]     # files to copy, absolute
    feedback_endpoint: str | None = None
    analytics_endpoint: str | None = None

    @cached_property
    def info(self) -> SiteInfo:
        return SiteInfo(self.address, self.default_locale, self.feedback_endpoint,
                        self.analytics_endpoint)


# --- Building ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Placement:
    """Where one article lives in one locale, decided before any page is rendered."""

    source: ArticleSource
    meta: dict                   # front matter with inherited keys filled in
    key: str
    url: str
    slug_source: ArticleSource   # the file whose front matter or name gave the slug
    untranslated: bool = False   # a copy of the default-locale article in another locale


def build_site(config: Config, sources: Sources, report: Report, address: SiteAddress,
               cache: BuildCache | None = None,
               progress: Progress | None = None) -> Site:
    """Build the content model. Problems go to `report`; the caller stops if it failed."""
    # A locale listed twice is helpgen.yml's error (config.py); its pages are claimed once.
    config = replace(config, other_locales=tuple(dict.fromkeys(
        code for code in config.other_locales if code != config.default_locale)))
    builder = _SiteBuilder(config, sources, report, cache or BuildCache.disabled(),
                           progress or Progress())
    return builder.build(address)


class _SiteBuilder:
    def __init__(self, config: Config, sources: Sources, report: Report, cache: BuildCache,
                 progress: Progress):
        self.config, self.sources, self.report, self.cache = config, sources, report, cache
        self.progress = progress
        self.categories = {g.category: g for g in sources.categories}
        self.sections = {(g.category, g.section): g for g in sources.sections}
        # Output files claimed so far (folded, see _fold) -> the file or what took it; a key
        # ending in "/" holds a whole tree (`_theme/`, `zh-CN/search/`).
        self.taken: dict[str, Path | str] = {}
        self.folders: dict[str, Path | str] = {}  # folders the claimed files need -> the owner
        self.alternates: dict[str, tuple[Alternate, ...]] = {}    # article key -> its own
        self.placements: dict[tuple[str, str], _Placement] = {}   # (locale, key) -> placement
        self.folder_slugs = self._folder_slugs()
        self.keys_by_name: dict[str, set[str]] = {}
        for source in sources.articles:
            self.keys_by_name.setdefault(source.name, set()).add(_key(source))

    # URLs

    def _claim(self, url: str, owner: Path | str, line: int | None, what: str,
               hint: str) -> bool:
        """Reserve the output file that serves `url` for `owner`; report a clash with what
        holds it already: the same file (compared as case-insensitive disks do), a file where
        it needs a folder or the reverse, or a tree that helpgen fills itself.

        `what` names the claim in the message, e.g. "the URL '/billing/'".
        """
        file = _fold(page_file(url))
        parts = file.split("/")
        folders = ["/".join(parts[:end]) for end in range(1, len(parts))]
        holder = self.folders.get(file) or next(
            (self.taken[key] for folder in (*folders, file) for key in (folder, folder + "/")
             if key in self.taken), None)
        if holder is not None:
            if isinstance(holder, str):
                hint += ("; these names are reserved at the root of the site and of every "
                         "locale: " + ", ".join(RESERVED_NAMES) + "; and at the root, the "
                         "locale codes: " + ", ".join(self.config.other_locales))
            self.report.error(f"{what} is already taken by {self._display(holder)}",
                              owner, line, hint, code=STRUCTURE)
            return False
        self.taken[file] = owner
        for folder in folders:
            self.folders.setdefault(folder, owner)
        return True

    def _display(self, path: Path | str) -> str:
        if isinstance(path, str):
            return path
        try:
            return path.relative_to(self.config.root).as_posix()
        except ValueError:
            return str(path)

    def _folder_slugs(self) -> dict[tuple[str, str | None], str | None]:
        """The URL segment of every category and section folder (None if it cannot have one)."""
        slugs = {}
        for group in (*self.sources.categories, *self.sources.sections):
            slug = slugify(group.folder.name)
            if not slug:
                self.report.error("cannot make a URL from this folder name", group.folder, None,
                                  "rename the folder using letters, digits or '-'", code=STRUCTURE)
            slugs[(group.category, group.section)] = slug or None
        return slugs

    def _group_url(self, locale_url: str, category: str, section: str | None) -> str | None:
        cat_slug = self.folder_slugs[(category, None)]
        sec_slug = self.folder_slugs[(category, section)] if section else ""
        if cat_slug is None or sec_slug is None:
            return None
        return f"{locale_url}{cat_slug}/" + (f"{sec_slug}/" if section else "")

    def _locale_url(self, locale: str) -> str:
        return "" if locale == self.config.default_locale else f"{locale}/"

    # Pass 1: where every published article goes

    def place_articles(self) -> None:
        config, report = self.config, self.report
        for locale in config.locales:
            root = self._locale_url(locale)
            for name in RESERVED_NAMES:
                self.taken[_fold(root + name) + "/"] = f"a page helpgen makes (/{root}{name})"
            self._claim(root, f"the {locale} home page", None, "", "")
        for locale in config.locales:
            for group in (*self.sources.categories, *self.sources.sections):
                url = self._group_url(self._locale_url(locale), group.category, group.section)
                if url is not None and not self._claim(url, group.folder, None,
                                                       f"the URL '/{url}'", "rename the folder"):
                    # No URL in any locale, for it or what it holds: one error for the folder.
                    self.folder_slugs[(group.category, group.section)] = None
        groups: dict[str, dict[str, ArticleSource]] = {}
        for source in self.sources.articles:
            key = _key(source)
            groups.setdefault(key, {})
            if source.locale in groups[key]:
                other = self._display(groups[key][source.locale].path)
                report.error("two files are the same article in the same locale", source.path,
                             None, f"the other is {other}; keep one of them", code=STRUCTURE)
                continue
            groups[key][source.locale] = source
        for key in sorted(groups):
            by_locale = groups[key]
            primary = by_locale.get(config.default_locale) or by_locale[
                next(code for code in config.locales if code in by_locale)]
            for locale in config.locales:
                source = by_locale.get(locale)
                if source is None:
                    continue
                meta = dict(source.meta)
                for inherited in INHERITED:
                    if meta.get(inherited) is None and primary.meta.get(inherited) is not None:
                        meta[inherited] = primary.meta[inherited]
                if meta.get("draft"):
                    continue
                slug_source = source if source.meta.get("slug") is not None else primary
                slug = meta.get("slug") or slugify(source.name)
                if not is_safe_slug(slug):
                    report.error(f"the slug '{slug}' cannot be used in a URL",
                                 slug_source.path,
                                 slug_source.line_of("slug") if meta.get("slug") else None,
                                 "use letters, digits and '-' only (no '/', '..' or spaces), "
                                 f"at most {MAX_SEGMENT_BYTES} bytes"
                                 if meta.get("slug") else "rename the file, or set 'slug:'",
                                 code=FRONT_MATTER if meta.get("slug") else STRUCTURE)
                    continue
                group_url = self._group_url(self._locale_url(locale), source.category,
                                            source.section)
                if group_url is None:
                    continue
                url = f"{group_url}{slug}/"
                line = slug_source.line_of("slug") if meta.get("slug") else None
                if self._claim(url, source.path, line, f"the URL '/{url}'",
                               "set a different 'slug' in "
                               "one of the two, or rename one of the files"):
                    self.placements[(locale, key)] = _Placement(source, meta, key, url, slug_source)
        if config.untranslated == "show_default":
            self._place_untranslated(groups)

    def _place_untranslated(self, groups: dict[str, dict[str, ArticleSource]]) -> None:
        """Show default-locale articles in the locales that have no translation of them."""
        default = self.config.default_locale
        for key in sorted(groups):
            original = self.placements.get((default, key))
            if original is None:
                continue
            slug = original.url.rstrip("/").rsplit("/", 1)[-1]
            for locale in self.config.other_locales:
                if locale in groups[key]:
                    continue
                source = original.source
                group_url = self._group_url(self._locale_url(locale), source.category,
                                            source.section)
                url = f"{group_url}{slug}/"
                if self._claim(url, source.path, None, f"the URL '/{url}' (for the untranslated "
                               f"copy in {locale})", "set a different 'slug' in one of the two"):
                    self.placements[(locale, key)] = replace(original, url=url,
                                                             untranslated=True)

    def link_table(self) -> LinkTable:
        return LinkTable(
            articles_dir=self.config.articles_dir, assets_dir=self.config.assets_dir,
            locales=self.config.locales,
            file_keys={os.path.normpath(s.path): _key(s) for s in self.sources.articles},
            urls={where: placement.url for where, placement in self.placements.items()},
            keys_by_name={name: frozenset(keys) for name, keys in self.keys_by_name.items()})

    def convert_bodies(self) -> dict[tuple[str, str], tuple[RenderedMarkdown, str]]:
        """Every published article's body as HTML with its body key, by (locale, key)."""
        order = sorted(self.placements)
        jobs = [BodyJob(p.source.path, locale, p.url, p.source.body, p.source.body_line,
                        self.config.raw_html)
                for (locale, _), p in ((where, self.placements[where]) for where in order)]
        bodies = convert_bodies(jobs, self.links, self.cache, self.progress)
        return {where: (rendered, body_key(job, rendered))
                for where, job, rendered in zip(order, jobs, bodies)}

    # Pass 2: the model

    def build(self, address: SiteAddress) -> Site:
        self.place_articles()
        # (locale, category, section or None) of every group with an article in that locale
        self.published_groups = {(locale, p.source.category, section)
                                 for (locale, _), p in self.placements.items()
                                 for section in (None, p.source.section)}
        self.links = self.link_table()
        self.bodies = self.convert_bodies()
        locales = tuple(self._locale(code) for code in self.config.locales)
        alternates = tuple(Alternate(locale.code, locale.url) for locale in locales)
        locales = tuple(replace(locale, alternates=alternates) for locale in locales)
        config = self.config
        return Site(
            address=address, default_locale=config.default_locale,
            locales=locales, redirects=self._redirects(), assets=self.sources.assets,
            feedback_endpoint=config.feedback_endpoint,
            analytics_endpoint=config.analytics_endpoint)

    def _title(self, group: GroupSource, locale: str) -> str:
        text = as_text(group.meta.get("title")) or {"*": _pretty(group.folder.name)}
        return localize(text, locale, self.config.default_locale)

    def _description(self, group: GroupSource, locale: str) -> str:
        return localize(as_text(group.meta.get("description")), locale,
                        self.config.default_locale)

    def _locale(self, code: str) -> Locale:
        config = self.config
        locale_url = self._locale_url(code)
        home = Link(localize(config.title, code, config.default_locale), locale_url)
        placements = [p for (locale, _), p in self.placements.items() if locale == code]
        categories = []
        for group in sorted(self.sources.categories, key=lambda g: _order_key(g.meta, self._title(
                g, code), g.category)):
            in_category = [p for p in placements if p.source.category == group.category]
            if not in_category:
                continue
            categories.append(self._category(group, code, home, in_category))
        articles = [a for c in categories for s in c.sections for a in s.articles]
        promoted = tuple(a for a in articles if self.placements[(code, a.key)].meta.get("promoted"))
        recent = tuple(sorted(articles, key=lambda a: (-a.updated.toordinal(), a.title))
                       [:RECENT_COUNT])
        return Locale(code, locale_url, code == config.default_locale, home.title,
                      localize(config.description, code, config.default_locale),
                      tuple(categories), promoted, recent, (),
                      self._contact_page(code, locale_url, categories),
                      self._brand(code, home.title))

    def _text(self, value, code: str) -> str:
        """A localized text from helpgen.yml in locale `code`; "" when it is not set."""
        return localize(value, code, self.config.default_locale) if value else ""

    def _brand(self, code: str, site_title: str) -> Brand:
        settings: BrandSettings = self.config.brand
        config = self.config

        def text(value) -> str:
            return self._text(value, code)

        def links(entries) -> tuple[Link, ...]:
            return tuple(Link(text(entry.title), entry.url) for entry in entries)

        banner_text = text(settings.banner)
        banner = Banner(banner_text, settings.banner_url,
                        hashlib.sha1(banner_text.encode()).hexdigest()[:10]) if banner_text \
            else None
        return Brand(
            name=text(settings.name) or site_title,
            logo=_asset_url(config, settings.logo),
            logo_dark=_asset_url(config, settings.logo_dark),
            logo_width=_logo_width(settings.logo_size),
            logo_dark_width=_logo_width(settings.logo_dark_size),
            favicon=_asset_url(config, settings.favicon),
            custom_css=_asset_url(config, settings.custom_css),
            primary_color=settings.primary_color, accent_color=settings.accent_color,
            body_font=settings.body_font, headings_font=settings.headings_font,
            code_font=settings.code_font,
            font_files=tuple(replace(f, file=_asset_url(config, f.file))
                             for f in settings.font_files),
            header_links=links(settings.header_links), footer_links=links(settings.footer_links),
            footer_text=text(settings.footer_text), banner=banner)

    def _contact_page(self, code: str, locale_url: str, categories: list[Category]
                      ) -> ContactPage | None:
        settings = self.config.contact
        if settings is None:
            return None

        def text(value) -> str:
            return self._text(value, code)

        fields = []
        for setting in settings.fields:
            options = tuple((value, text(label)) for value, label in setting.options)
            if setting.name == "category" and not options:
                options = tuple((category.key, category.title) for category in categories)
            fields.append(FormFieldView(setting.name, setting.type, text(setting.label),
                                        setting.required, options))
        return ContactPage(f"{locale_url}contact/", settings.provider, settings.endpoint,
                           settings.method, settings.format, settings.email, tuple(fields),
                           text(settings.success), text(settings.error),
                           settings.turnstile_site_key, settings.hcaptcha_site_key)

    def _group_alternates(self, category: str, section: str | None = None
                          ) -> tuple[Alternate, ...]:
        result = []
        for code in self.config.locales:
            url = self._group_url(self._locale_url(code), category, section)
            if (code, category, section) in self.published_groups and url is not None:
                result.append(Alternate(code, url))
        return tuple(result)

    def _category(self, group: GroupSource, code: str, home: Link,
                  placements: list[_Placement]) -> Category:
        title = self._title(group, code)
        url = self._group_url(self._locale_url(code), group.category, None)
        category_link = Link(title, url)
        icon = None
        if group.meta.get("icon"):
            icon = icon_svg(group.meta["icon"])
            if icon is None and code == self.config.default_locale:
                name = group.meta["icon"]
                icon_set = name.split("/")[0] if "/" in name else "material"
                self.report.warn(f"unknown icon '{name}'", group.meta_path,
                                 group.line_of("icon"),
                                 did_you_mean(name, icon_names(icon_set)) or
                                 "use an icon name like material/credit-card", code=FRONT_MATTER)
        section_names = sorted({p.source.section for p in placements},
                               key=lambda s: (s is not None, _order_key(
                                   self.sections[(group.category, s)].meta if s else {},
                                   self._title(self.sections[(group.category, s)], code)
                                   if s else "", s or "")))
        sections = []
        for name in section_names:
            in_section = [p for p in placements if p.source.section == name]
            if name is None:
                link, has_page, description = category_link, False, ""
                section_key = group.category
            else:
                section_group = self.sections[(group.category, name)]
                link = Link(self._title(section_group, code),
                            self._group_url(self._locale_url(code), group.category, name))
                has_page, description = True, self._description(section_group, code)
                section_key = f"{group.category}/{name}"
            crumbs = (home, category_link) + ((link,) if has_page else ())
            articles = self._articles(in_section, code, category_link,
                                      link if has_page else None, crumbs)
            sections.append(Section(section_key, link.title, description, link.url, has_page,
                                    articles, self._group_alternates(group.category, name)
                                    if has_page else ()))
        return Category(group.category, title, self._description(group, code), url, icon,
                        tuple(sections), self._group_alternates(group.category))

    def _articles(self, placements: list[_Placement], code: str, category: Link,
                  section: Link | None, crumbs: tuple[Link, ...]) -> tuple[Article, ...]:
        ordered = sorted(placements, key=lambda p: _order_key(p.meta, p.meta["title"], p.key))
        links = [Link(p.meta["title"], p.url) for p in ordered]
        articles = []
        for index, placement in enumerate(ordered):
            source, meta = placement.source, placement.meta
            rendered, rendered_key = self.bodies[(code, placement.key)]
            for broken in rendered.broken_links:
                kind = "image" if broken.is_image else "article or file"
                meant = None if broken.is_image else self.links.suggest(source.path, code,
                                                                        broken.target)
                self.report.warn(f"link to a missing {kind}: '{broken.target}'", source.path,
                                 broken.line, (f"did you mean '{meant}'? " if meant else "")
                                 + "check the path; it is relative to this file"
                                 + ("" if broken.is_image else ", and drafts are not published")
                                 + (", nor articles of other brands in a brand's site"
                                    if self.config.brands and not broken.is_image else ""),
                                 code=MISSING_IMAGE if broken.is_image else BROKEN_LINK)
            for warning in rendered.warnings:
                self.report.warn(warning.message, source.path, warning.line, warning.hint,
                                 code=warning.code)
            articles.append(Article(
                key=placement.key, source=source.path.relative_to(self.config.root),
                locale=code, url=placement.url, title=meta["title"],
                description=meta.get("description") or _excerpt(rendered.text),
                tags=tuple(meta.get("tags") or ()),
                updated=meta.get("updated") or source.fallback_updated,
                review_by=meta.get("review_by"), promoted=bool(meta.get("promoted")),
                body_html=rendered.html, text=rendered.text, toc=rendered.toc,
                body_key=rendered_key,
                category=category, section=section, breadcrumbs=crumbs,
                related=self._related(placement, code),
                previous=links[index - 1] if index > 0 else None,
                next=links[index + 1] if index + 1 < len(links) else None,
                alternates=self._article_alternates(placement.key),
                content_locale=source.locale,
                original_url=self.placements[(self.config.default_locale, placement.key)].url
                if placement.untranslated else None))
        return tuple(articles)

    def _article_alternates(self, key: str) -> tuple[Alternate, ...]:
        """The article's translations; untranslated copies are not alternates. One tuple for
        all of them (hashed once for the page keys)."""
        known = self.alternates.get(key)
        if known is None:
            found = ((loc, self.placements.get((loc, key))) for loc in self.config.locales)
            known = self.alternates[key] = tuple(
                Alternate(loc, placement.url) for loc, placement in found
                if placement is not None and not placement.untranslated)
        return known

    def _related(self, placement: _Placement, code: str) -> tuple[Link, ...]:
        links = []
        for index, entry in enumerate(placement.meta.get("related") or ()):
            candidates = [self.config.articles_dir / entry.lstrip("/"),
                          placement.source.path.parent / entry]
            if not entry.endswith(".md"):
                candidates = [Path(f"{c}.md") for c in candidates]
            key = next((k for k in map(self.links.key_of_file, candidates) if k), None)
            target = self.placements.get((code, key)) or self.placements.get(
                (self.config.default_locale, key)) if key else None
            if target is None:
                owner = placement.source if placement.source.meta.get("related") else \
                    self._primary_with(placement.key, "related")
                self.report.warn(f"related article not found: '{entry}'", owner.path,
                                 owner.line_of("related", index),
                                 "write its path inside articles/, e.g. billing/refunds/policy.md",
                                 code=BROKEN_LINK)
                continue
            links.append(Link(target.meta["title"], target.url))
        return tuple(links)

    def _primary_with(self, key: str, field: str) -> ArticleSource:
        return next(p.source for (loc, k), p in self.placements.items()
                    if k == key and p.source.meta.get(field) is not None)

    def _redirects(self) -> tuple[Redirect, ...]:
        redirects = []
        for (_, _key), placement in sorted(self.placements.items()):
            if placement.untranslated:
                continue
            source = placement.source
            own: set[str] = set()       # the same old URL written twice is kept once
            for index, alias in enumerate(source.meta.get("aliases") or ()):
                line = source.line_of("aliases", index)
                try:
                    path = alias_path(alias)
                except ValueError as problem:
                    self.report.error(f"the alias '{alias}' {problem}", source.path, line,
                                      "write old URLs as paths from the site root, e.g. "
                                      "/hc/en-us/articles/123-reset/ (no '..', no host name, "
                                      "no backslash or control character)", code=FRONT_MATTER)
                    continue
                if _fold(path) in own:
                    continue
                own.add(_fold(path))
                if self._claim(path, source.path, line, f"the alias '{alias}'",
                               "an old URL can lead to one page only; remove this alias"):
                    redirects.append(Redirect(path, placement.url, placement.meta["title"]))
        return tuple(redirects)


def _key(source: ArticleSource) -> str:
    return "/".join(part for part in (source.category, source.section, source.name) if part)


def _fold(path: str) -> str:
    """A path as case-insensitive disks compare names (and macOS its Unicode forms)."""
    return unicodedata.normalize("NFC", path).casefold()


def _order_key(meta: dict, title: str, tiebreak: str):
    order = meta.get("order")
    return (order if isinstance(order, int) else math.inf, title.casefold(), tiebreak)


def _pretty(folder_name: str) -> str:
    text = folder_name.replace("-", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _excerpt(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit - 30 else cut).rstrip(" ,.;:，。；：") + "…"


def _logo_width(size: tuple[float, float] | None) -> int | None:
    return max(1, round(LOGO_HEIGHT * size[0] / size[1])) if size else None


def _asset_url(config: Config, path: str | None) -> str | None:
    return (config.root / path).resolve().relative_to(config.root).as_posix() if path else None
