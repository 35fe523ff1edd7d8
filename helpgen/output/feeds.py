"""The files that tell programs about each locale: an Atom feed of its recently added and updated
articles (`feed.xml`) and an OpenSearch description (`opensearch.xml`), with which browsers
offer the help center as a search engine. Pages link both from their head (`head_links`).

Both need absolute addresses, so, like sitemap.xml, they are written only when the site's
address is known (`site.url` or a full --base-url). They are made from the model alone, never
from the clock: a build of the same content writes the same bytes.
"""

from __future__ import annotations

import mimetypes
import re
import unicodedata
import xml.etree.ElementTree as ET

from helpgen.content.model import Article, Category, Locale, Site, newest_first
from helpgen.infra.reuse import Reuse
from helpgen.output.files import OutputFile
from helpgen.settings.address import SiteAddress

FEED = "feed.xml"
OPENSEARCH = "opensearch.xml"
MEDIA_TYPES = {FEED: "application/atom+xml; charset=utf-8",
               OPENSEARCH: "application/opensearchdescription+xml; charset=utf-8"}
FEED_ENTRIES = 50              # the newest articles a feed lists; the sitemap lists them all
SHORT_NAME_LENGTH = 16         # OpenSearch 1.1's limits, in characters
DESCRIPTION_LENGTH = 1024

ATOM = "http://www.w3.org/2005/Atom"
OPENSEARCH_NS = "http://a9.com/-/spec/opensearch/1.1/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# What XML 1.0 cannot carry at all, not even as a reference: control characters an article's
# text may hold (its description is taken from it), U+FFFE and U+FFFF.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def feed_articles(locale: Locale, reuse: Reuse | None = None) -> list[Article]:
    """The articles a locale's feed lists: its own (no untranslated copies), newest first.
    They are among the FEED_ENTRIES newest of each category, which the live preview's `reuse`
    keeps for the categories an edit left alone (a whole locale is not sorted again)."""
    reuse = reuse or Reuse()
    return reuse.memoized("feed", locale.code, locale, None, lambda: newest_first(
        article for category in locale.categories for article in reuse.memoized(
            "feed", category.url, category, None, _newest_own, category))[:FEED_ENTRIES])


def _newest_own(category: Category) -> list[Article]:
    return newest_first(article for section in category.sections for article in section.articles
                        if not article.original_url)[:FEED_ENTRIES]


def head_links(address: SiteAddress, locale: Locale, reuse: Reuse | None = None
               ) -> dict[str, str | None]:
    """The site-root-relative URLs of the locale's feed and OpenSearch description, which its
    pages link in their head; None for a file that is not written: both without the site's
    address, the feed of a locale without articles of its own (it would have no date)."""
    known = address.url is not None
    return {"feed_url": locale.url + FEED if known and feed_articles(locale, reuse) else None,
            "opensearch_url": locale.url + OPENSEARCH if known else None}


def locale_files(site: Site, locale: Locale, reuse: Reuse | None = None) -> list[OutputFile]:
    """The files `head_links` names for the locale. With the live preview's `reuse`, each is
    made again only when what it shows changed: the locale's settings, or one of the feed's
    articles."""
    reuse = reuse or Reuse()
    links = head_links(site.address, locale, reuse)
    context = (site.address, locale.info)
    files = []
    if links["feed_url"]:
        files.append(reuse.joined(FEED, locale.code, feed_articles(locale, reuse), context,
                                  lambda: OutputFile(links["feed_url"], _xml(atom_feed(
                                      site.address, locale, reuse)))))
    if links["opensearch_url"]:
        files.append(reuse.joined(OPENSEARCH, locale.code, (), context, lambda: OutputFile(
            links["opensearch_url"], _xml(opensearch(site.address, locale)))))
    return files


def atom_feed(address: SiteAddress, locale: Locale, reuse: Reuse | None = None) -> ET.Element:
    """The Atom feed (RFC 4287) of the locale's newest articles; it was updated when its newest
    article was."""
    articles = feed_articles(locale, reuse)
    feed = _element(ATOM, "feed", {XML_LANG: locale.code})
    _add(feed, "title", locale.title)
    if locale.description:
        _add(feed, "subtitle", locale.description)
    _add(feed, "link", rel="alternate", type="text/html", href=address.absolute(locale.url))
    self_url = address.absolute(locale.url + FEED)
    _add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _add(feed, "id", self_url)
    _add(feed, "updated", _timestamp(articles[0]))
    _add(_add(feed, "author"), "name", locale.brand.name)
    _add(feed, "generator", "helpgen")
    if locale.brand.favicon:
        _add(feed, "icon", address.absolute(locale.brand.favicon))
    for article in articles:
        entry = _add(feed, "entry", **{XML_LANG: article.content_locale})
        url = address.absolute(article.url)
        _add(entry, "title", article.title)
        _add(entry, "link", rel="alternate", type="text/html", href=url)
        _add(entry, "id", url)
        _add(entry, "updated", _timestamp(article))
        if article.description:
            _add(entry, "summary", article.description)
    return feed


def opensearch(address: SiteAddress, locale: Locale) -> ET.Element:
    """The OpenSearch 1.1 description of the locale's search page, which reads `?q=`."""
    description = _element(OPENSEARCH_NS, "OpenSearchDescription")
    _add(description, "ShortName", shortened(locale.title, SHORT_NAME_LENGTH))
    _add(description, "Description",
         shortened(locale.description or locale.title, DESCRIPTION_LENGTH))
    _add(description, "InputEncoding", "UTF-8")
    _add(description, "Language", locale.code)
    favicon = locale.brand.favicon
    if favicon:
        kind = mimetypes.guess_type(favicon)[0]
        _add(description, "Image", address.absolute(favicon), **({"type": kind} if kind else {}))
    _add(description, "Url", type="text/html", method="get",
         template=address.absolute(locale.url + "search/") + "?q={searchTerms}")
    _add(description, "Url", type=MEDIA_TYPES[OPENSEARCH].split(";")[0], rel="self",
         template=address.absolute(locale.url + OPENSEARCH))
    return description


def shortened(text: str, limit: int) -> str:
    """`text` in at most `limit` characters: its first words if they fill half of it, else
    cut with "…" (Chinese and Japanese between any two characters; never between a letter and
    its accent)."""
    if len(text) <= limit:
        return text
    space = text.rfind(" ", 0, limit + 1)        # the words before it fit whole
    if space >= limit // 2:
        return text[:space].rstrip()
    cut = limit - 1
    while cut and unicodedata.combining(text[cut]):
        cut -= 1
    return text[:cut] + "…"


def _timestamp(article: Article) -> str:
    """An article's `updated` day as the date and time Atom requires: its start, in UTC."""
    return article.updated.isoformat() + "T00:00:00Z"


def _element(namespace: str, tag: str, attributes: dict | None = None) -> ET.Element:
    """A document's root, in `namespace` (its children are unprefixed: in it too)."""
    return ET.Element(tag, {"xmlns": namespace, **(attributes or {})})


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    child = ET.SubElement(parent, tag, attributes)
    child.text = text and NOT_XML.sub("", text)
    return child


def _xml(root: ET.Element) -> bytes:
    """The document, indented, in UTF-8 (characters as they are, not as references)."""
    ET.indent(root)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode")
            + "\n").encode("utf-8")
