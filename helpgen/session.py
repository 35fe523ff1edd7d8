"""The live preview's session: what its last build read and made, and the pipeline run again
from there for an edit of article files, so that an edit costs what it changes, not what the
site holds.

`helpgen serve` keeps one `Session`. Its full builds (pipeline.build with the session) record
each stage's results: the sources, each site's plan, bodies and assembly, the models, the
render stage's memo (output/pages.py RenderMemo) and the files written. `update(paths)` takes
the article files an edit changed and runs the stages for them:

- load reads those files again;
- the plan (every URL, title and order: content/placement.py): when the files are where they
  were, with the front matter that places them as it was (placement.PLACING: slug, draft,
  aliases, audience, brands), it is the previous plan with the new sources in it and their
  articles' placements made again (a title, an order, tags...: `_swapped`); otherwise (files
  added, deleted or renamed, a slug or an audience changed) the stages from the sources to
  the plans run again, and every placement equal to the last one is kept as its object
  (`_placed`);
- the bodies converted again are those of the changed placements and those whose links may
  lead elsewhere now (`_relinked`: a link to an article whose URL changed, a broken link once
  pages are added);
- the model is the previous one with, in every locale, the sections that held or hold a
  changed article, or name one as related, assembled again with their categories
  (Assembly.reassembled): every other article, section, category and locale is the previous
  build's object, so
- rendering and the other outputs find what they made from those objects in their memos
  (infra/reuse.py, and the digests Fingerprints keeps by identity), and the search index its
  previous state: each makes only what the edit changed;
- the write stage writes the files that are not the previous build's objects, and deletes
  those the site no longer has.

An edit it cannot follow that way (a folder's settings or a new folder, helpgen.yml, the
theme, a commit, a file that cannot be read) makes `update` return None: the caller builds in
full, which records the session anew. Both give the same output (tests/test_session.py
compares them with a cold build).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from helpgen.content.audience import KEY as AUDIENCE, resolve_audiences
from helpgen.content.bodies import converted_bodies
from helpgen.content.links import LinkTable
from helpgen.content.placement import (PLACING, SitePlan, article_key, body_job, place_articles,
                                       placed_meta, primary_source)
from helpgen.content.sources import (INDEX_NAME, ArticleSource, Sources, article_history,
                                     read_article)
from helpgen.errors import HelpgenError, Report
from helpgen.infra.cache import CACHE_DIR, BuildCache
from helpgen.infra.progress import Progress
from helpgen.output.files import Outputs
from helpgen.output.pages import RenderMemo
from helpgen.output.theme import Theme
from helpgen.output.write import JOURNAL, LOCK, beside, locked, write_changes
from helpgen.pipeline import BuildResult, SiteContent, audience_builds, build, site_outputs
from helpgen.settings.config import Config


# The cache's kinds of results the session's builds reuse by identity, without asking the
# cache for them, and a later full build asks for (BuildCache.next_build keeps them from one
# full build to the next): each file's front matter, each article's body, search terms and
# Markdown, each page and what its policy needs.
REUSED = ("source", "body", "terms", "markdown", "page", "csp")


@dataclass
class _Built:
    """What the last build read and made (see the module's docstring)."""

    config: Config
    content: SiteContent         # with what each model was made of (read_site(keep=True))
    theme: Theme
    memos: list[RenderMemo]      # per site
    outputs: Outputs
    copies: list[tuple[Path, str]]
    warnings: list[HelpgenError]
    history: dict
    result: BuildResult
    numbers: dict[Path, int]     # each article file's place in the sources (as read)


class Session:
    """The live preview's builds of the site in `site_dir` into `out`, for `audience` (see the
    module's docstring)."""

    def __init__(self, site_dir: Path, out: Path, audience: str):
        self.site_dir, self.out, self.audience = site_dir, out, audience
        self.cache: BuildCache | None = None       # kept in memory from build to build
        self._built: _Built | None = None
        self._full = True                # the last build was a full build

    def build(self, changed: list[Path]) -> BuildResult:
        """Build after the files `changed` changed (none: the first build): from the last
        build when the edit allows it (`update`), else in full. Raises HelpgenError as
        pipeline.build does."""
        self.cache = self.cache.next_build(keeping=REUSED, renew=self._full) \
            if self.cache else BuildCache(self.site_dir / CACHE_DIR, remember=True)
        try:
            result = self.update(changed) if changed else None
            self._full = result is None
            if result is None:
                result = build(self.site_dir, self.out, cache=self.cache,
                               audience=self.audience, session=self)
        except BaseException:
            self._built = None       # what the next build starts from is unknown
            raise
        if result.report.failed:
            self._built = None
        return result

    def record(self, config: Config, content: SiteContent, theme: Theme,
               memos: list[RenderMemo], outputs: Outputs,
               copies: list[tuple[Path, str]], report: Report, result: BuildResult) -> None:
        """Keep what a full build read and made (pipeline.build calls it)."""
        self._built = _Built(config, content, theme, memos, outputs,
                             copies, list(report.warnings), article_history(config), result,
                             {source.path: number
                              for number, source in enumerate(content.loaded.articles)})

    def update(self, paths: list[Path]) -> BuildResult | None:
        """Build again after an edit of the article files `paths` (edited, added, deleted or
        renamed), from the last build; None if the edit may change more than those articles
        (the caller then builds in full)."""
        started = time.perf_counter()
        built, cache = self._built, self.cache
        if built is None:
            return None
        config, loaded = built.config, built.content.loaded
        history = article_history(config)      # a commit, or a repository, made since
        report = Report()
        edited: dict[Path, ArticleSource | None] = {}     # each file read again, None if gone
        for path in dict.fromkeys(paths):
            number = built.numbers.get(path)
            folders = _article_folders(path, config, loaded) if number is None else (
                loaded.articles[number].category, loaded.articles[number].section)
            if folders is None or path.is_symlink():
                return None              # not an article file of a folder the site has, or
                                         # a link (load_sources checks where it leads)
            if number is not None and not path.exists():
                edited[path] = None
                continue
            edited[path] = read_article(path, *folders, config, history, report, cache)
            if edited[path] is None:
                return None
        if not edited or _other_revisions(built.history, history, edited):
            return None
        in_place = all(path in built.numbers and after is not None and _same_place(
            loaded.articles[built.numbers[path]], after) for path, after in edited.items())
        with locked(config.root / CACHE_DIR / LOCK, self.out):
            return self._update(built, edited, in_place, history, report, cache, started)

    def _update(self, built: _Built, edited: dict[Path, ArticleSource | None], in_place: bool,
                history: dict, report: Report, cache: BuildCache, started: float
                ) -> BuildResult | None:
        content = built.content
        # The problems to show again: the load stage's (those of the files read again are
        # new), those of placing the articles (made again unless the edit was `in_place`), and
        # what assembling each section and category reported (that of those assembled again
        # is new).
        loaded_warnings = [*(w for w in built.warnings[:content.loaded_warnings]
                             if w.path not in edited), *report.warnings]
        updated = replace(content, builds=[], sites=[], plans=[], bodies=[], assemblies=[],
                          loaded_warnings=len(loaded_warnings))
        if in_place:
            placing = self._swapped(built, edited, updated)
        else:
            placing = self._placed(built, edited, updated)
            if placing is None:
                return None
        assembling = Report()
        for site, assembly, (plan, bodies, changed) in zip(content.sites, content.assemblies,
                                                           placing.plans):
            updated.plans.append(plan)
            updated.bodies.append(bodies)
            updated.assemblies.append(assembly)
            updated.sites.append(site if not changed else assembly.reassembled(
                site, plan, bodies, assembling, changed, replanned=not in_place))
        if assembling.failed:
            return None
        report = Report(warnings=_once([*loaded_warnings, *placing.report.warnings, *(
            w for assembly in updated.assemblies for found in assembly.reported.values()
            for w in found)]))

        previous = built.result
        result = BuildResult(report, previous.out, previous.base_path, locales=previous.locales,
                             brands=previous.brands, edited=len(edited))
        outputs, copies = site_outputs(built.config, updated, built.theme, cache, result, False,
                                       None, built.memos, Progress())
        cache.start_saving()
        try:
            changed = write_changes(outputs, built.outputs, self.out, cache,
                                    beside(self.out, JOURNAL))
        except BaseException:
            cache.abandon()
            raise
        if changed is None:               # a page where a folder was: not this update's
            cache.abandon()
            return None
        cache.save(forget_unused=False)
        result.changed, result.written = changed, True
        result.work = dict(cache.made)
        result.seconds = time.perf_counter() - started
        self._built = _Built(built.config, updated, built.theme, built.memos,
                             outputs, copies, report.warnings, history,
                             result, built.numbers if in_place else {
                                 source.path: number
                                 for number, source in enumerate(updated.loaded.articles)})
        return result

    def _swapped(self, built: _Built, edited: dict[Path, ArticleSource], updated: SiteContent
                 ) -> _Placing:
        """For files read again in their place, with the front matter that places them as it
        was (_same_place): each site's plan is the last one with the new sources in it and
        their articles' placements made again from them (every URL is as it was), and the
        edited articles' bodies converted again."""
        content = built.content
        loaded, resolved = list(content.loaded.articles), list(content.sources.articles)
        new = {}                         # id of a resolved source -> the one replacing it
        keys = set()                     # of the articles whose front matter changed
        for path, after in edited.items():
            number = built.numbers[path]
            before, loaded[number] = resolved[number], after
            # Its audience was resolved from front matter that is as it was
            new[id(before)] = resolved[number] = replace(after, meta={
                **after.meta, AUDIENCE: before.meta[AUDIENCE]})
            if after.meta != content.loaded.articles[number].meta:
                keys.add(after.key)
        updated.loaded = replace(content.loaded, articles=tuple(loaded))
        updated.sources = replace(content.sources, articles=tuple(resolved))

        def swapped(source: ArticleSource) -> ArticleSource:
            return new.get(id(source), source)

        placing = _Placing(_placing_warnings(built))
        for site_build, plan, bodies in zip(content.builds, content.plans, content.bodies):
            if not any(id(source) in new for source in site_build.sources.articles):
                updated.builds.append(site_build)
                placing.plans.append((plan, bodies, set()))
                continue
            sources = replace(plan.sources, articles=tuple(map(swapped, plan.sources.articles)))
            # Their places in every locale (an untranslated copy has its original's key)
            wheres = {(code, article_key(source)) for source in new.values()
                      for code in plan.config.locales} & plan.placements.keys()
            placements = dict(plan.placements)
            for where in wheres:
                placement = placements[where]
                placements[where] = replace(placement, source=swapped(placement.source),
                                            slug_source=swapped(placement.slug_source))
            _place_again(placements, wheres, sources, keys, plan.config)
            updated.builds.append(replace(site_build, sources=sources))
            placing.plans.append(_converted(replace(plan, sources=sources,
                                                    placements=placements), plan, bodies,
                                                    self.cache, wheres))
        return placing

    def _placed(self, built: _Built, edited: dict[Path, ArticleSource | None],
                updated: SiteContent) -> _Placing | None:
        """For files added, deleted, renamed or whose front matter changed: the stages from
        the sources to each site's plan run again (they take a fraction of a full build), each
        plan's placements equal to the last one's kept as its objects, and the bodies of the
        changed ones converted; None if the site's folders are not the same."""
        content, config = built.content, built.config
        articles = [edited.get(source.path, source) for source in content.loaded.articles]
        added = [after for path, after in edited.items() if path not in built.numbers]
        articles = [source for source in articles if source is not None]
        if added:                        # in the order load_sources reads them
            articles = sorted([*articles, *added], key=lambda source: source.path.parts)
        updated.loaded = replace(content.loaded, articles=tuple(articles))
        placing = _Placing(Report())
        resolved = resolve_audiences(config, updated.loaded, placing.report)
        before = {source.path: source for source in content.sources.articles}
        updated.sources = replace(resolved, articles=tuple(
            kept if (kept := before.get(source.path)) == source else source
            for source in resolved.articles))
        updated.builds = audience_builds(config, updated.sources, placing.report, content.address,
                                         None, self.audience)
        for site_build, plan, bodies in zip(updated.builds, content.plans, content.bodies):
            if (site_build.sources.categories, site_build.sources.sections) != (
                    plan.sources.categories, plan.sources.sections):
                return None
            now = place_articles(site_build.config, site_build.sources, placing.report)
            now.placements = {where: kept if (kept := plan.placements.get(where)) == placement
                              else placement for where, placement in now.placements.items()}
            placing.plans.append(_converted(now, plan, bodies, self.cache))
        return None if placing.report.failed else placing


@dataclass
class _Placing:
    """What placing the articles reported, and per site its plan, bodies and the keys of the
    articles whose placement in some locale differs from the last plan's."""

    report: Report
    plans: list[tuple[SitePlan, dict, set[str]]] = field(default_factory=list)


def _converted(plan: SitePlan, before: SitePlan, bodies: dict, cache: BuildCache,
               wheres: set[tuple[str, str]] | None = None) -> tuple[SitePlan, dict, set[str]]:
    """`plan`, the bodies of its pages, and the keys of the articles whose placement differs
    from `before`'s (only those of the places `wheres` can, when given: the plan has the same
    places and folder texts). The bodies are the last plan's (`bodies`), but for those of the
    pages whose placement or folder text differs and those whose links may lead elsewhere
    (_relinked), converted again (each reused if its links lead where they led)."""
    places = wheres if wheres is not None else plan.placements.keys() | before.placements.keys()
    changed = {where for where in places
               if plan.placements.get(where) is not before.placements.get(where)}
    bodies = dict(bodies)
    if wheres is None:
        for where in (before.placements.keys() - plan.placements.keys()) | (
                before.texts.keys() - plan.texts.keys()):
            del bodies[where]
    relinked = _relinked(plan.links, before.links, bodies)
    jobs = {where: body_job(plan.config, where[0], plan.placements[where].source,
                            plan.placements[where].url)
            for where in (changed | relinked) & plan.placements.keys()}
    if wheres is None:
        jobs |= {where: body_job(plan.config, where[0], text, url)
                 for where, (text, url) in plan.texts.items()
                 if before.texts.get(where) != (text, url) or where in relinked}
    return plan, bodies | converted_bodies(jobs, plan.links, cache.run), {
        where[1] for where in changed}


def _relinked(links: LinkTable, before: LinkTable, bodies: dict) -> set[tuple]:
    """The places of the `bodies` whose links may lead elsewhere with `links` than with
    `before` (LinkTable.resolve): a link that led to an article whose URL in some locale is
    new, changed or gone; with pages added, a broken link; with file names added or gone, a
    link from the articles' root (LinkTable.unique_key_named)."""
    if links is before:
        return set()
    urls, old = links.urls, before.urls
    moved = {key for (locale, key) in urls.keys() | old.keys()
             if urls.get((locale, key)) != old.get((locale, key))}
    if not moved and links.keys_by_name == before.keys_by_name:
        return set()
    gone = {url for (_, key), url in old.items() if key in moved}
    added = bool(urls.keys() - old.keys())
    names = links.keys_by_name != before.keys_by_name
    return {where for where, (rendered, _) in bodies.items()
            if any(url in gone or names and target.startswith("/")
                   for target, url in rendered.resolved) or added and rendered.broken_links}


def _place_again(placements: dict, wheres: set[tuple[str, str]], sources: Sources,
                 keys: set[tuple], config: Config) -> None:
    """The placements at `wheres` of the articles with `keys` made again from their
    sources, as place_articles makes them, at the URLs they have."""
    if not keys:
        return
    by_key: dict[tuple, dict[str, ArticleSource]] = {}
    for source in sources.articles:
        if source.key in keys:
            by_key.setdefault(source.key, {})[source.locale] = source
    ordered = sorted(wheres, key=lambda where: placements[where].untranslated)
    for where in ordered:                # the copies of the originals last
        placement = placements[where]
        if placement.source.key not in by_key:
            continue
        placements[where] = replace(placements[(config.default_locale, where[1])],
                                    url=placement.url, untranslated=True) \
            if placement.untranslated else \
            replace(placement, meta=placed_meta(placement.source, primary_source(
                by_key[placement.source.key], config)))


def _same_place(before: ArticleSource, after: ArticleSource) -> bool:
    """Whether an article file read again is in the place it was, with the front matter that
    places it as it was (PLACING): then every URL of the plan is as it was."""
    return (before.category, before.section, before.name, before.locale) == (
        after.category, after.section, after.name, after.locale) and all(
        before.meta.get(key) == after.meta.get(key) for key in PLACING)


def _article_folders(path: Path, config: Config, loaded: Sources
                     ) -> tuple[str, str | None] | None:
    """The category and section (None: directly in the category) of a new article file at
    `path` in folders the site has; None if `path` is not that."""
    try:
        parts = path.relative_to(config.articles_dir).parts
    except ValueError:
        return None
    if not 2 <= len(parts) <= 3 or not parts[-1].endswith(".md") or \
            parts[-1].startswith((".", INDEX_NAME)) or not path.is_file():
        return None
    folders = (parts[0], parts[1] if len(parts) == 3 else None)
    known = {(g.category, g.section) for g in (*loaded.categories, *loaded.sections)}
    return folders if folders in known else None


def _placing_warnings(built: _Built) -> Report:
    """What placing the articles reported in the last build: its warnings that are neither
    the load stage's nor one of an assembly's."""
    content = built.content
    assembled = {id(w) for assembly in content.assemblies
                 for found in assembly.reported.values() for w in found}
    return Report(warnings=[w for w in built.warnings[content.loaded_warnings:]
                            if id(w) not in assembled])


def _other_revisions(before: dict, after: dict, edited) -> bool:
    """Whether git's history changed for another file than the files `edited` (a commit made
    since the last build: their dates and translations' states may have changed)."""
    if not before and not after:
        return False                     # not in a repository
    mine = {path.resolve() for path in edited}
    return {path: revision for path, revision in before.items() if path not in mine} != \
        {path: revision for path, revision in after.items() if path not in mine}


def _once(warnings: list[HelpgenError]) -> list[HelpgenError]:
    """`warnings` without repeats, as Report keeps them (the same message at the same
    place)."""
    seen, kept = set(), []
    for warning in warnings:
        key = (warning.message, str(warning.path), warning.line)
        if key not in seen:
            seen.add(key)
            kept.append(warning)
    return kept
