"""The live preview's session: what its last build read and made, and the pipeline run again
from there for an edit of articles, so that an edit costs what it changes, not what the site
holds.

`helpgen serve` keeps one `Session`. Its full builds (pipeline.build with the session) record
each stage's results: the sources, each site's plan, bodies and assembly, the models, the
render stage's memo (output/pages.py RenderMemo) and the files written. `update(paths)` takes
the article files an edit changed and runs the stages for them only:

- load reads those files again;
- the plan (every URL, title and order: content/placement.py) is made from the sources' front
  matter and places, not from their bodies: when those are as they were, it is the previous
  plan with the new sources in it;
- their bodies are converted again (the plan's link table is the same);
- the model is the previous one with the categories that hold those articles, in every locale,
  assembled again (Assembly.reassembled): every other article, section, category and locale is
  the previous build's object, so
- rendering and the other outputs find what they made from those objects in their memos
  (infra/reuse.py, and the digests Fingerprints keeps by identity), and the search index its
  previous state: each makes only what the edit changed;
- the write stage writes the files that are not the previous build's objects.

An edit it cannot follow that way (a file added, deleted or renamed, front matter changed, a
folder's settings, helpgen.yml, the theme, a file that cannot be read) makes `update` return
None: the caller builds in full, which records the session anew. Both give the same output
(tests/test_session.py compares them with a cold build).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path

from helpgen.content.assembly import Assembly
from helpgen.content.bodies import body_entry, convert_bodies
from helpgen.content.brands import SiteBuild
from helpgen.content.model import Site
from helpgen.content.placement import SitePlan, body_job
from helpgen.content.sources import ArticleSource, article_history, reread_article
from helpgen.errors import HelpgenError, Report
from helpgen.infra.cache import CACHE_DIR, BuildCache
from helpgen.infra.progress import Progress
from helpgen.output.files import Outputs
from helpgen.output.pages import RenderMemo
from helpgen.output.theme import Theme
from helpgen.output.write import JOURNAL, LOCK, beside, locked, write_changes
from helpgen.pipeline import BuildResult, SiteContent, build, site_outputs
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
        """Build again after an edit of the article files `paths`, from the last build; None
        if the edit may change more than those articles' bodies and dates (the caller then
        builds in full)."""
        started = time.perf_counter()
        built, cache = self._built, self.cache
        if built is None:
            return None
        config, loaded = built.config, built.content.loaded
        numbers = [built.numbers.get(path) for path in dict.fromkeys(paths)]
        if not numbers or None in numbers:
            return None
        history = article_history(config)      # a commit, or a repository, made since
        report = Report()
        edited = {}                      # number in the sources -> the file read again
        for number in numbers:
            if not loaded.articles[number].path.is_file():
                return None              # deleted
            after = reread_article(loaded.articles[number], config, history, report, cache)
            if after is None or not _same_place(loaded.articles[number], after):
                return None
            edited[number] = after
        if _other_revisions(built.history, history, [loaded.articles[n] for n in edited]):
            return None
        with locked(config.root / CACHE_DIR / LOCK, self.out):
            return self._update(built, edited, history, report, cache, started)

    def _update(self, built: _Built, edited: dict[int, ArticleSource], history: dict,
                report: Report, cache: BuildCache, started: float) -> BuildResult | None:
        content = built.content
        loaded, resolved = list(content.loaded.articles), list(content.sources.articles)
        new = {}                         # id of a resolved source -> the one replacing it
        for number, after in edited.items():
            loaded[number] = after
            # Its audience is resolved from front matter, which is as it was
            new[id(resolved[number])] = resolved[number] = replace(
                after, meta=resolved[number].meta)
        updated = replace(content, loaded=replace(content.loaded, articles=tuple(loaded)),
                          sources=replace(content.sources, articles=tuple(resolved)),
                          builds=[], sites=[], plans=[], bodies=[], assemblies=[])
        # The problems to show again: the load stage's (those of the files read again are
        # new), the other stages', and what assembling each section and category reported
        # (that of those assembled again is new).
        gone = {content.loaded.articles[number].path for number in edited}
        loaded_warnings = [*(w for w in built.warnings[:content.loaded_warnings]
                             if w.path not in gone), *report.warnings]
        assembled = {id(w) for assembly in content.assemblies
                     for found in assembly.reported.values() for w in found}
        others = [w for w in built.warnings[content.loaded_warnings:] if id(w) not in assembled]
        for site_build, plan, bodies, assembly, site in zip(
                content.builds, content.plans, content.bodies, content.assemblies,
                content.sites):
            site_build, plan, bodies, site = _reassembled(site_build, plan, bodies, assembly,
                                                          site, new, cache, report)
            updated.builds.append(site_build)
            updated.plans.append(plan)
            updated.bodies.append(bodies)
            updated.assemblies.append(assembly)
            updated.sites.append(site)
        if report.failed:
            return None
        report = Report(warnings=_once([*loaded_warnings, *others, *(
            w for assembly in updated.assemblies for found in assembly.reported.values()
            for w in found)]))
        updated.loaded_warnings = len(loaded_warnings)

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
                             result, built.numbers)
        return result


def _same_place(before: ArticleSource, after: ArticleSource) -> bool:
    """Whether an article file read again has the front matter and place it had: then every
    URL, title and order of the plan is as it was."""
    return (before.meta, before.meta_lines, before.category, before.section, before.name,
            before.locale) == (after.meta, after.meta_lines, after.category, after.section,
                               after.name, after.locale)


def _other_revisions(before: dict, after: dict, edited: list[ArticleSource]) -> bool:
    """Whether git's history changed for another file than those `edited` (a commit made
    since the last build: their dates and translations' states may have changed)."""
    if not before and not after:
        return False                     # not in a repository
    mine = {source.path.resolve() for source in edited}
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


def _reassembled(site_build: SiteBuild, plan: SitePlan, bodies: dict, assembly: Assembly,
                 site: Site, new: dict[int, ArticleSource], cache: BuildCache, report: Report
                 ) -> tuple[SiteBuild, SitePlan, dict, Site]:
    """One site's plan, bodies and model with the edited sources (`new`, by the id of the
    source each replaces) in them: the same objects where it has none of them."""
    mine = [new[id(source)] for source in plan.sources.articles if id(source) in new]
    if not mine:
        return site_build, plan, bodies, site

    def swapped(source: ArticleSource) -> ArticleSource:
        return new.get(id(source), source)

    sources = replace(plan.sources, articles=tuple(map(swapped, plan.sources.articles)))
    placements = dict(plan.placements)
    jobs = {}
    for where, placement in plan.placements.items():
        if id(placement.source) in new or id(placement.slug_source) in new:
            placements[where] = placement = replace(
                placement, source=swapped(placement.source),
                slug_source=swapped(placement.slug_source))
            jobs[where] = body_job(plan.config, where[0], placement.source, placement.url)
    plan = replace(plan, sources=sources, placements=placements)
    bodies = dict(bodies)
    converted = convert_bodies(list(jobs.values()), plan.links, cache.run)
    bodies.update(zip(jobs, map(body_entry, jobs.values(), converted)))
    site = assembly.reassembled(site, plan, bodies, report, mine)
    return replace(site_build, sources=sources), plan, bodies, site
