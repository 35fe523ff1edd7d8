"""Who a site is built for: `audience: internal` articles are for support agents only.

An article is internal when its front matter, its folder's `_category.yml` / `_section.yml`, or
(for a translation) its default-locale article says `audience: internal`. A folder's setting
covers everything in it: an article or section inside an internal folder cannot say
`audience: public` (an error), so moving a file into an internal folder never publishes it.

The public build leaves internal articles, and folders with nothing public, out of its sources
before anything is placed (`visible_to`): no page, listing, search entry, sitemap line,
redirect or any other output made from the model can name them. What it keeps of them is their
file paths (`Sources.withheld`), so a public article's link to one is reported as an
`internal-link`, not published. The internal build (`helpgen build --audience internal`) has
every article, each with its audience in its front matter for the theme's "Internal" badge.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from helpgen.content.sources import ArticleSource, GroupSource, Sources
from helpgen.errors import FRONT_MATTER, Report, did_you_mean
from helpgen.settings.config import Config

PUBLIC, INTERNAL = AUDIENCES = ("public", "internal")
KEY = "audience"


def resolve_audiences(config: Config, sources: Sources, report: Report) -> Sources:
    """The sources with every article's `audience` as it applies (its folders' and its
    default-locale article's taken into account); a wrong value, or `audience: public` where
    internal applies, is reported."""
    why: dict[tuple[str, str | None], str] = {}      # internal folder -> why it is
    for group in (*sources.categories, *sources.sections):     # categories first
        reason = why.get((group.category, None))
        own = _value(group, group.meta_path, group.line_of(KEY), report)
        if reason and own == PUBLIC:
            _refuse(group.meta_path, group.line_of(KEY), reason, report)
        if reason or own == INTERNAL:
            why[(group.category, group.section)] = reason or "its folder is internal (" + \
                os.path.relpath(group.meta_path, config.root).replace(os.sep, "/") + ")"
    primaries: dict[tuple, ArticleSource] = {}
    for locale in reversed(config.locales):       # the default locale's, else the first one's
        primaries |= {s.key: s for s in sources.articles if s.locale == locale}
    own = {source.path: _value(source, source.path, source.line_of(KEY), report)
           for source in sources.articles}
    articles = []
    for source in sources.articles:
        primary = primaries.get(source.key, source)
        reason = why.get((source.category, source.section))
        if reason is None and own[primary.path] == INTERNAL and primary is not source:
            reason = f"the article it translates is internal ({primary.path.name})"
        if reason and own[source.path] == PUBLIC:
            _refuse(source.path, source.line_of(KEY), reason, report)
        audience = INTERNAL if reason or own[source.path] == INTERNAL else PUBLIC
        articles.append(replace(source, meta={**source.meta, KEY: audience}))
    return replace(sources, articles=tuple(articles))


def visible_to(sources: Sources, audience: str) -> Sources:
    """What a build for `audience` shows of `sources` (as resolve_audiences left them): for
    the public, no internal article, and no folder that is internal or whose articles all are
    (nor its `_index.md` texts)."""
    if audience == INTERNAL:
        return sources
    shown = tuple(s for s in sources.articles if s.meta[KEY] != INTERNAL)
    marked = {(g.category, g.section) for g in (*sources.categories, *sources.sections)
              if g.meta.get(KEY) == INTERNAL}
    public = {(s.category, section) for s in shown for section in (None, s.section)}
    full = {(s.category, section) for s in sources.articles for section in (None, s.section)}

    def kept(category: str, section: str | None) -> bool:
        """A folder with a public article, or an empty one not marked internal."""
        return (category, section) in public or (
            (category, section) not in full and not {(category, None), (category, section)}
            & marked)

    return replace(
        sources, articles=shown,
        withheld=tuple(s.path for s in sources.articles if s.meta[KEY] == INTERNAL),
        categories=tuple(g for g in sources.categories if kept(g.category, None)),
        sections=tuple(g for g in sources.sections
                       if kept(g.category, None) and kept(g.category, g.section)),
        folder_texts=tuple(t for t in sources.folder_texts
                           if kept(t.category, None) and kept(t.category, t.section)))


def _value(source: ArticleSource | GroupSource, path, line: int | None,
           report: Report) -> str | None:
    """The `audience` a file sets, None if none; a value not of AUDIENCES is reported and
    taken as internal (a typo never publishes what was meant for agents)."""
    value = source.meta.get(KEY)
    if value is None or value in AUDIENCES:
        return value
    report.error(f"'{KEY}' must be one of: {', '.join(AUDIENCES)} (not '{value}')", path, line,
                 did_you_mean(str(value), AUDIENCES, "the audiences are") + " (internal: only "
                 "in the agents' help center, built with --audience internal)",
                 code=FRONT_MATTER)
    return INTERNAL


def _refuse(path: Path, line: int | None, reason: str, report: Report) -> None:
    """`audience: public` where internal applies: which one was meant is not for helpgen to
    guess (publishing by mistake is the one outcome that cannot be undone)."""
    report.error(f"'{KEY}: public' cannot apply here: {reason}", path, line,
                 f"remove '{KEY}: public', or move the file out of the internal folder (or make "
                 "that folder or the original public): internal applies to everything in an "
                 "internal folder and to every translation of an internal article",
                 code=FRONT_MATTER)
