"""Stage 4, model: the content model that themes read.

The model is a tree of frozen dataclasses — Site → Locale → Category → Section → Article — with
every URL, title, date and link already decided, so that templates only display it. It is data
only: content/placement.py decides where each page goes, content/assembly.py builds the tree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from helpgen.settings.address import SiteAddress
from helpgen.settings.config import FontFile
from helpgen.settings.contact import FormFacts
from helpgen.content.markup import BodyParts
from helpgen.content.urls import markdown_copy

LOGO_HEIGHT = 34                 # px, the header logo's height (the theme's CSS may scale it)


@dataclass(frozen=True, slots=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Alternate:
    """The same page in another locale."""

    locale: str
    url: str


@dataclass(frozen=True, slots=True)
class Body:
    """Markdown converted: the HTML, its plain text (for search) and its headings. `key` tells
    one conversion from another (the Markdown, and where each of its links led), so what shows
    a body can be compared without reading the HTML."""

    parts: BodyParts             # the three, compressed (`html`, `text`, `toc`)
    key: str

    html = property(lambda self: self.parts.html)
    text = property(lambda self: self.parts.text)
    toc = property(lambda self: self.parts.toc)


@dataclass(frozen=True, slots=True)
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
    body: Body
    category: Link
    section: Link | None         # None for articles placed directly in a category folder
    breadcrumbs: tuple[Link, ...]
    related: tuple[Link, ...]
    previous: Link | None
    next: Link | None
    alternates: tuple[Alternate, ...]   # its translations (not untranslated copies)
    content_locale: str          # the language of title and body; for an untranslated copy,
    original_url: str | None     # the default locale, and the URL of the original
    icon_svg: str | None = None  # front matter `icon:`, shown before the title
    # A translation older than its original (content/translations.py), when
    # `translations.outdated_notice` is on: the original's URL, which the page's notice links.
    outdated_original: str | None = None
    # The product pages whose help widget suggests it (content/contexts.py): its own, its
    # section's and its category's
    contexts: tuple[str, ...] = ()
    internal: bool = False       # `audience: internal`: only in the agents' help center

    # The body under the names templates know it by: {{ article.body_html }}, article.toc.
    body_html = property(lambda self: self.body.html)
    text = property(lambda self: self.body.text)
    toc = property(lambda self: self.body.toc)
    # Its text as Markdown (output/markdown.py): an untranslated copy's is the original's.
    markdown_url = property(lambda self: markdown_copy(self.original_url or self.url))


def newest_first(articles) -> list[Article]:
    """`articles` by `updated`, newest first; those of one day by title, then in site order:
    the home page's recent articles and the feeds list them so."""
    return sorted(articles, key=lambda article: (-article.updated.toordinal(), article.title))


@dataclass(frozen=True, slots=True)
class PageText:
    """A category's or section's own text, from its `_index.md`: shown above the listing."""

    source: Path                 # the Markdown file, relative to the site folder
    body: Body

    html = property(lambda self: self.body.html)      # {{ section.page_text.html }}
    toc = property(lambda self: self.body.toc)


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    description: str
    url: str
    has_page: bool               # False for the default section of a category
    articles: tuple[Article, ...]
    alternates: tuple[Alternate, ...]
    page_text: PageText | None = None


@dataclass(frozen=True, slots=True)
class Category:
    key: str
    title: str
    description: str
    url: str
    icon_svg: str | None
    sections: tuple[Section, ...]
    alternates: tuple[Alternate, ...]
    page_text: PageText | None = None

    @property
    def article_count(self) -> int:
        return sum(len(section.articles) for section in self.sections)


@dataclass(frozen=True, slots=True)
class FormFieldView:
    """A contact form field in one locale. An empty label means: the theme's label."""

    name: str
    type: str
    label: str
    required: bool
    options: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
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
    form: FormFacts              # what the provider means for the form, the widget, the CSP


@dataclass(frozen=True, slots=True)
class Banner:
    text: str
    url: str | None
    id: str                      # changes with the text, so a dismissed banner can come back


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class LocaleInfo:
    """What any page may show of its locale; the home page gets the whole `Locale`."""

    code: str
    url: str
    is_default: bool
    title: str
    description: str
    contact: ContactPage | None
    brand: Brand


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Redirect:
    path: str                    # the old URL, relative to the site root ("old/page/")
    target: str                  # the URL it now lives at
    title: str


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """What any page may show of the site, without its tree of pages."""

    address: SiteAddress
    default_locale: str
    feedback_endpoint: str | None
    analytics_endpoint: str | None
    internal: bool = False       # the agents' help center: no search engine may index it

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
    internal: bool = False       # built with --audience internal (content/audience.py)

    @cached_property
    def info(self) -> SiteInfo:
        return SiteInfo(self.address, self.default_locale, self.feedback_endpoint,
                        self.analytics_endpoint, self.internal)
