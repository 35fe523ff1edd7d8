"""`widget.js`, the help button a product page embeds, the snippet that embeds it, and the
context maps that tell it which articles to suggest on which page."""

from __future__ import annotations

from helpgen.content.contexts import LABEL, rank
from helpgen.content.model import Article, Category, Locale, Site
from helpgen.infra.reuse import Reuse
from helpgen.output.assets import CLIENT_DIR, SEARCH_SCRIPTS, Assets
from helpgen.output.files import OutputFile
from helpgen.output.script_json import to_json

# One context map per locale: a script, like the search index, so that a product page on any
# origin loads it from any static host without CORS headers.
CONTEXTS_FOLDER = "_helpgen/contexts/"


def widget_snippets(site: Site) -> list[tuple[str, str]]:
    """The line to paste into a product page, per locale."""
    source = site.address.absolute("widget.js") or f"{site.address.path}widget.js"
    return [(locale.code, f'<script src="{source}" data-locale="{locale.code}" async></script>')
            for locale in site.locales]


def context_labels(site: Site, reuse: Reuse | None = None) -> list[str] | None:
    """The labels the site's articles name, for the embed page; None: no article names a
    page. With the live preview's `reuse`, a category its edit left alone is not looked at."""
    reuse = reuse or Reuse()
    patterns = {pattern for locale in site.locales for article in _contextual(locale, reuse)
                for pattern in article.contexts}
    return sorted(p.removeprefix(LABEL) for p in patterns if p.startswith(LABEL)) \
        if patterns else None


def _contextual(locale: Locale, reuse: Reuse) -> list[Article]:
    """The locale's articles that name pages, in the site's order."""
    return [article for category in locale.categories for article in reuse.memoized(
        "contexts", category.url, category, None, _named_pages, category)]


def _named_pages(category: Category) -> tuple[Article, ...]:
    return tuple(article for section in category.sections for article in section.articles
                 if article.contexts)


def context_map(articles: list[Article]) -> dict | None:
    """What the widget needs to suggest a locale's `articles` that name pages by page (None:
    none does): `articles`, [url, title] of each, promoted ones first, then in the site's
    order; `rules`, [pattern, rank, article numbers] by rank (content/contexts.py). A page's
    suggestions are the articles of the rules it matches, by their best rule's rank, then by
    number."""
    articles = sorted(articles, key=lambda a: not a.promoted)
    if not articles:
        return None
    by_pattern: dict[str, list[int]] = {}
    for number, article in enumerate(articles):
        for pattern in article.contexts:
            by_pattern.setdefault(pattern, []).append(number)
    ranks = {key: place for place, key in enumerate(sorted({rank(p) for p in by_pattern}))}
    return {"articles": [[article.url, article.title] for article in articles],
            "rules": sorted(([pattern, ranks[rank(pattern)], numbers]
                             for pattern, numbers in by_pattern.items()),
                            key=lambda rule: (rule[1], rule[0]))}


def widget_files(site: Site, strings: dict, assets: Assets, reuse: Reuse | None = None
                 ) -> list[OutputFile]:
    """`widget.js` and each locale's context map: a script that hands the map to the widget
    through the script element that loads it, so it defines no global name in the product's
    page. With the live preview's `reuse`, a category its edit left alone is not looked at,
    and a file is made again only when what it shows changed."""
    reuse = reuse or Reuse()
    files = []
    for locale in site.locales:
        articles = _contextual(locale, reuse)
        file = reuse.joined("contexts file", locale.code, articles, None, _context_file,
                            locale.code, articles)
        if file is not None:
            files.append(file)
    maps = {file.path.removeprefix(CONTEXTS_FOLDER).removesuffix(".js"): file.path
            for file in files}
    shown = (site.default_locale, [(locale.code, locale.url, locale.contact)
                                   for locale in site.locales], maps, strings, assets.names)
    return [reuse.joined("widget.js", "", (), shown, lambda: OutputFile(
        "widget.js", widget_js(site, strings, assets, maps))), *files]


def _context_file(code: str, articles: list[Article]) -> OutputFile | None:
    """The script with a locale's context map; None if none of its `articles` names a page."""
    found = context_map(articles)
    return None if found is None else OutputFile(f"{CONTEXTS_FOLDER}{code}.js", (
        "document.currentScript.helpgenContexts = "
        + to_json(found, compact=True, ascii_only=True) + ";\n").encode())


def widget_js(site: Site, strings: dict, assets: Assets, context_maps: dict[str, str]) -> bytes:
    """`widget.js`: the embeddable help button, with this site's settings and UI strings, and
    the path of each locale's context map (`context_maps`, by locale)."""
    settings = {"defaultLocale": site.default_locale, "locales": {},
                "scripts": [assets(path) for path in SEARCH_SCRIPTS]}
    for locale in site.locales:
        t = strings[locale.code]
        contact = locale.contact
        settings["locales"][locale.code] = {
            "home": locale.url, "searchPage": f"{locale.url}search/",
            "contexts": context_maps.get(locale.code),
            "contactPage": contact.url if contact else None,
            "strings": {**t["widget"], "search": t["search"],
                        "form": {k: v for k, v in t["contact"].items() if isinstance(v, str)},
                        "errors": t["contact"]["errors"], "fields": t["contact"]["fields"]},
            "contact": None if contact is None or not contact.form.widget_sends else {
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
