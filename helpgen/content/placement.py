"""Stage 4, model, first step: where every page of a site goes.

The rules for addresses live here, over plain data (the sources in, a `SitePlan` out): each
category, section and article gets its URL; a translation takes the front matter it does not set
from the default-locale article (`INHERITED`); drafts get no page; with `untranslated:
show_default` a locale shows copies of the articles it lacks; aliases become redirects. Every URL
is claimed once (`UrlClaims`), so two pages, or a page and a name helpgen uses itself, never share
an output file. Nothing here converts Markdown or knows of the build cache: the plan says which
bodies to convert and where their links lead (`body_jobs`, `SitePlan.links`), and
content/assembly.py builds the model from the plan and the converted bodies.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from helpgen.content.bodies import BodyJob
from helpgen.content.links import LinkTable
from helpgen.content.model import Redirect
from helpgen.content.sources import INDEX_NAME, ArticleSource, FolderText, GroupSource, Sources
from helpgen.content.urls import (MAX_SEGMENT_BYTES, alias_path, is_safe_slug, markdown_copy,
                                  page_file, slugify)
from helpgen.errors import FRONT_MATTER, STRUCTURE, Report
from helpgen.settings.config import Config

# Names the theme and the build use at the root of the site; each is reserved, with all below
# it, at the root of every locale too: no category, alias or slug may take them.
RESERVED_NAMES = ("search", "contact", "embed", "assets", "_theme", "_helpgen", "404.html",
                  "sitemap.xml", "robots.txt", "_redirects", "_headers", "widget.js",
                  "feed.xml", "opensearch.xml", "llms.txt", "llms-full.txt", ".helpgen-output")
# Front matter a translation takes from the default-locale article unless it sets its own.
INHERITED = ("order", "slug", "promoted", "draft", "related", "tags", "review_by", "icon",
             "contexts")

# Front matter that decides, with its folders and file name, where an article's pages go and
# which sites have them (content/audience.py, content/brands.py): an edit of any other key
# changes what its pages show, never their URLs.
PLACING = ("slug", "draft", "aliases", "audience", "brands")


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one article lives in one locale, decided before any page is rendered."""

    source: ArticleSource
    meta: dict                   # front matter with inherited keys filled in
    key: str
    url: str
    slug_source: ArticleSource   # the file whose front matter or name gave the slug
    untranslated: bool = False   # a copy of the default-locale article in another locale


@dataclass
class UrlClaims:
    """The output files claimed so far, each by the file that needs it or a description of what
    takes it, compared as case-insensitive disks compare names (see `fold`)."""

    root: Path                   # the site folder: owners are named relative to it
    other_locales: tuple[str, ...]
    # folded output file -> owner; a key ending in "/" holds a whole tree (`_theme/`,
    # `zh-CN/search/`)
    taken: dict[str, Path | str] = field(default_factory=dict)
    folders: dict[str, Path | str] = field(default_factory=dict)  # folders the files need

    def claim(self, url: str, owner: Path | str, line: int | None, what: str, hint: str,
              report: Report) -> bool:
        """Reserve the output file that serves `url` for `owner`; report a clash with what
        holds it already: the same file (compared as case-insensitive disks do), a file where
        it needs a folder or the reverse, or a tree that helpgen fills itself.

        `what` names the claim in the message, e.g. "the URL '/billing/'".
        """
        file = fold(page_file(url))
        parts = file.split("/")
        folders = ["/".join(parts[:end]) for end in range(1, len(parts))]
        holder = self.folders.get(file) or next(
            (self.taken[key] for folder in (*folders, file) for key in (folder, folder + "/")
             if key in self.taken), None)
        if holder is not None:
            if isinstance(holder, str):
                hint += ("; these names are reserved at the root of the site and of every "
                         "locale: " + ", ".join(RESERVED_NAMES) + "; and at the root, the "
                         "locale codes: " + ", ".join(self.other_locales))
            report.error(f"{what} is already taken by {self.display(holder)}",
                         owner, line, hint, code=STRUCTURE)
            return False
        self.taken[file] = owner
        for folder in folders:
            self.folders.setdefault(folder, owner)
        return True

    def display(self, path: Path | str) -> str:
        if isinstance(path, str):
            return path
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


@dataclass
class SitePlan:
    """Where every page of one site goes: what the model is assembled from."""

    config: Config               # other_locales without repeats
    sources: Sources
    claims: UrlClaims
    # The URL segment of every category and section folder (None if it has no URL)
    folder_slugs: dict[tuple[str, str | None], str | None]
    placements: dict[tuple[str, str], Placement] = field(default_factory=dict)
    # (locale, category, section or None) of every group with an article in that locale
    published_groups: set[tuple[str, str, str | None]] = field(default_factory=set)
    # The `_index.md` each folder page shows, with the page's URL, by (locale, category,
    # section or None)
    texts: dict[tuple[str, str, str | None], tuple[FolderText, str]] = field(
        default_factory=dict)
    links: LinkTable | None = None     # where the articles' and folder texts' links lead

    def locale_url(self, locale: str) -> str:
        return "" if locale == self.config.default_locale else f"{locale}/"

    def group_url(self, locale_url: str, category: str, section: str | None) -> str | None:
        cat_slug = self.folder_slugs[(category, None)]
        sec_slug = self.folder_slugs[(category, section)] if section else ""
        if cat_slug is None or sec_slug is None:
            return None
        return f"{locale_url}{cat_slug}/" + (f"{sec_slug}/" if section else "")


def place_articles(config: Config, sources: Sources, report: Report) -> SitePlan:
    """Claim the URL of every locale's home page, of every category and section folder and of
    every published article. Problems go to `report`; the caller stops if it failed."""
    # A locale listed twice is helpgen.yml's error (config.py); its pages are claimed once.
    config = replace(config, other_locales=tuple(dict.fromkeys(
        code for code in config.other_locales if code != config.default_locale)))
    plan = SitePlan(config, sources, UrlClaims(config.root, config.other_locales),
                    _folder_slugs(sources, report))
    claims = plan.claims
    for locale in config.locales:
        root = plan.locale_url(locale)
        for name in RESERVED_NAMES:
            claims.taken[fold(root + name) + "/"] = f"a page helpgen makes (/{root}{name})"
        claims.claim(root, f"the {locale} home page", None, "", "", report)
    for locale in config.locales:
        for group in (*sources.categories, *sources.sections):
            url = plan.group_url(plan.locale_url(locale), group.category, group.section)
            if url is not None and not claims.claim(url, group.folder, None, f"the URL '/{url}'",
                                                    "rename the folder", report):
                # No URL in any locale, for it or what it holds: one error for the folder.
                plan.folder_slugs[(group.category, group.section)] = None
    groups: dict[str, dict[str, ArticleSource]] = {}
    for source in sources.articles:
        key = article_key(source)
        groups.setdefault(key, {})
        if source.locale in groups[key]:
            other = claims.display(groups[key][source.locale].path)
            report.error("two files are the same article in the same locale", source.path,
                         None, f"the other is {other}; keep one of them", code=STRUCTURE)
            continue
        groups[key][source.locale] = source
    for key in sorted(groups):
        by_locale = groups[key]
        primary = primary_source(by_locale, config)
        for locale in config.locales:
            source = by_locale.get(locale)
            if source is None:
                continue
            meta = placed_meta(source, primary)
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
            group_url = plan.group_url(plan.locale_url(locale), source.category,
                                       source.section)
            if group_url is None:
                continue
            url = f"{group_url}{slug}/"
            line = slug_source.line_of("slug") if meta.get("slug") else None
            if claims.claim(url, source.path, line, f"the URL '/{url}'",
                            "set a different 'slug' in "
                            "one of the two, or rename one of the files", report):
                plan.placements[(locale, key)] = Placement(source, meta, key, url, slug_source)
                claims.taken[fold(markdown_copy(url))] = source.path   # its Markdown copy
    if config.untranslated == "show_default":
        _place_untranslated(plan, groups, report)
    plan.published_groups = {(locale, p.source.category, section)
                             for (locale, _), p in plan.placements.items()
                             for section in (None, p.source.section)}
    plan.texts = _shown_texts(plan, report)
    plan.links = _link_table(plan)
    return plan


def primary_source(by_locale: dict[str, ArticleSource], config: Config) -> ArticleSource:
    """Of an article's files by locale, the one its translations take front matter from: the
    default locale's, else the first locale's that has it."""
    return by_locale.get(config.default_locale) or by_locale[
        next(code for code in config.locales if code in by_locale)]


def placed_meta(source: ArticleSource, primary: ArticleSource) -> dict:
    """`source`'s front matter with the INHERITED keys it does not set taken from `primary`."""
    meta = dict(source.meta)
    for inherited in INHERITED:
        if meta.get(inherited) is None and primary.meta.get(inherited) is not None:
            meta[inherited] = primary.meta[inherited]
    return meta


def _place_untranslated(plan: SitePlan, groups: dict[str, dict[str, ArticleSource]],
                        report: Report) -> None:
    """Show default-locale articles in the locales that have no translation of them."""
    default = plan.config.default_locale
    for key in sorted(groups):
        original = plan.placements.get((default, key))
        if original is None:
            continue
        slug = original.url.rstrip("/").rsplit("/", 1)[-1]
        for locale in plan.config.other_locales:
            if locale in groups[key]:
                continue
            source = original.source
            group_url = plan.group_url(plan.locale_url(locale), source.category, source.section)
            url = f"{group_url}{slug}/"
            if plan.claims.claim(url, source.path, None, f"the URL '/{url}' (for the "
                                 f"untranslated copy in {locale})",
                                 "set a different 'slug' in one of the two", report):
                plan.placements[(locale, key)] = replace(original, url=url, untranslated=True)


def _folder_slugs(sources: Sources, report: Report) -> dict[tuple[str, str | None], str | None]:
    """The URL segment of every category and section folder (None if it cannot have one)."""
    slugs = {}
    for group in (*sources.categories, *sources.sections):
        slug = slugify(group.folder.name)
        if not slug:
            report.error("cannot make a URL from this folder name", group.folder, None,
                         "rename the folder using letters, digits or '-'", code=STRUCTURE)
        slugs[(group.category, group.section)] = slug or None
    return slugs


def _shown_texts(plan: SitePlan, report: Report
                 ) -> dict[tuple[str, str, str | None], tuple[FolderText, str]]:
    """The `_index.md` text each published folder page shows, with the page's URL: its
    locale's own, else (with `untranslated: show_default`) the default locale's. A text that
    no page shows is reported."""
    config = plan.config
    texts = {(t.locale, t.category, t.section): t for t in plan.sources.folder_texts}
    for where, text in texts.items():
        if where not in plan.published_groups:
            report.warn(f"not published: this folder has no published article in "
                        f"{text.locale}, so it has no page to show this text on", text.path,
                        None, "a category or section page lists the articles in its folder: "
                        "add one, or delete this file", code=STRUCTURE)
    shown = {}
    for locale, category, section in sorted(plan.published_groups, key=str):
        text = texts.get((locale, category, section))
        if text is None and config.untranslated == "show_default":
            text = texts.get((config.default_locale, category, section))
        url = plan.group_url(plan.locale_url(locale), category, section)
        if text is not None and url is not None:
            shown[(locale, category, section)] = (text, url)
    return shown


def _link_table(plan: SitePlan) -> LinkTable:
    """Where links lead: to articles, and from `_index.md` to the page of its folder."""
    config, sources = plan.config, plan.sources
    keys_by_name: dict[str, set[str]] = {}
    for source in sources.articles:
        keys_by_name.setdefault(source.name, set()).add(article_key(source))
    texts = {os.path.normpath(t.path): _text_key(t.category, t.section)
             for t in sources.folder_texts}
    pages = {(locale, _text_key(category, section)): url
             for locale, category, section in plan.published_groups
             if (url := plan.group_url(plan.locale_url(locale), category, section))}
    return LinkTable(
        articles_dir=config.articles_dir, assets_dir=config.assets_dir, locales=config.locales,
        file_keys={**texts, **{os.path.normpath(s.path): article_key(s)
                               for s in sources.articles}},
        urls={**pages, **{where: placement.url for where, placement in plan.placements.items()}},
        keys_by_name={name: frozenset(keys) for name, keys in keys_by_name.items()},
        withheld=frozenset(map(os.path.normpath, sources.withheld)))


def body_jobs(plan: SitePlan) -> dict[tuple, BodyJob]:
    """The Markdown to convert, in order: the body of every published article, by (locale,
    key), then the text every folder page shows, by (locale, category, section or None)."""
    config = plan.config
    jobs = {where: body_job(config, where[0], p.source, p.url)
            for where, p in sorted(plan.placements.items())}
    return jobs | {where: body_job(config, where[0], text, url)
                   for where, (text, url) in plan.texts.items()}


def body_job(config: Config, locale: str, source: ArticleSource | FolderText, url: str
             ) -> BodyJob:
    """The conversion of `source`'s body for its page at `url` in `locale`."""
    root = str(config.root)
    path = str(source.path)          # under the site folder (quicker than Path.relative_to)
    name = path[len(root) + 1:] if path.startswith(root + os.sep) else path
    return BodyJob(source.path, name, locale, url, source.body, source.body_line,
                   config.raw_html, config.heading_ids)


def place_aliases(plan: SitePlan, report: Report,
                  group_title: Callable[[GroupSource, str], str]) -> tuple[Redirect, ...]:
    """Claim the old URLs articles and folder texts list as `aliases`: each redirects to its
    article or folder page (titled in a locale by `group_title`)."""
    redirects = []
    for (_, _key), placement in sorted(plan.placements.items()):
        if not placement.untranslated:
            redirects += _aliases(plan, placement.source, placement.url,
                                  placement.meta["title"], report)
    groups = {(g.category, g.section): g for g in (*plan.sources.categories,
                                                  *plan.sources.sections)}
    for text in plan.sources.folder_texts:      # old URLs of a folder page
        url = plan.group_url(plan.locale_url(text.locale), text.category, text.section)
        if (text.locale, text.category, text.section) in plan.published_groups and url:
            title = group_title(groups[(text.category, text.section)], text.locale)
            redirects += _aliases(plan, text, url, title, report)
    return tuple(redirects)


def _aliases(plan: SitePlan, source: ArticleSource | FolderText, url: str, title: str,
             report: Report) -> list[Redirect]:
    """The redirects of the `aliases` a file lists, to its page at `url`."""
    redirects = []
    own: set[str] = set()       # the same old URL written twice is kept once
    for index, alias in enumerate(source.meta.get("aliases") or ()):
        line = source.line_of("aliases", index)
        try:
            path = alias_path(alias)
        except ValueError as problem:
            report.error(f"the alias '{alias}' {problem}", source.path, line,
                         "write old URLs as paths from the site root, e.g. "
                         "/hc/en-us/articles/123-reset/ (no '..', no host name, "
                         "no backslash or control character)", code=FRONT_MATTER)
            continue
        if fold(path) in own:
            continue
        own.add(fold(path))
        if plan.claims.claim(path, source.path, line, f"the alias '{alias}'",
                             "an old URL can lead to one page only; remove this alias", report):
            redirects.append(Redirect(path, url, title))
    return redirects


def article_key(source: ArticleSource) -> str:
    """The article's key, the same in every locale: "billing/refunds/request-a-refund"."""
    return "/".join(part for part in (source.category, source.section, source.name) if part)


def _text_key(category: str, section: str | None) -> str:
    """The link table's key for a folder's `_index.md` files (no article is named _index)."""
    return "/".join(part for part in (category, section, INDEX_NAME) if part)


def fold(path: str) -> str:
    """A path as case-insensitive disks compare names (and macOS its Unicode forms)."""
    return unicodedata.normalize("NFC", path).casefold()
