"""The pipeline, its stages in order of execution: 1 settings (settings/config.py), 2 load
(content/sources.py), 3 brands (content/brands.py) and audience (content/audience.py: a public
site's sources lose the internal articles), 4 model, in three steps: where every page
goes (content/placement.py), the articles' Markdown converted (content/bodies.py) and the model
assembled from both (content/assembly.py), 5 render (output/pages.py), 6 search index
(output/search/index.py; run before 5), 7 write (output/write.py), which a command-line build
hands each batch of files to as they are made (set aside on disk until written, write.Spool).

`read_site` runs the stages that read a site, up to its content models: `helpgen check` calls
it, and `build` (which `helpgen build` and `helpgen serve` call) goes on from it. Each stage
hands plain data to the next; problems collect in one Report, and nothing is written unless the
whole build succeeded. The site's rules (placement, assembly) neither convert Markdown nor
touch the cache: the pipeline runs the conversion between them and hands its results in.

The build cache is one wrapper, `BuildCache.run`, around pure steps (a key made from the step's
inputs, and a function): converting a body, rendering a page or a locale's sitemap entries,
tokenizing an article, compressing a file. The stages hand their steps to the runner they are
given, which the pipeline picks (`cache.run`, or none: every step runs). What is not a pure step
stays with the pipeline and the stages that own it: the stamp, the output's manifest (write),
the front matter read by file signature (load) and the search index's rows of the last build.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path

from typing import TYPE_CHECKING

from helpgen.content.audience import INTERNAL, PUBLIC, resolve_audiences, visible_to
from helpgen.content.brands import SiteBuild, site_builds
from helpgen.infra.cache import CACHE_DIR, BuildCache
from helpgen.settings.config import Config, load_config
from helpgen.errors import HelpgenError, Report
from helpgen.content.sources import Sources, load_sources
from helpgen.output.files import OutputFile, Outputs, moved
from helpgen.infra.progress import Progress
from helpgen.infra.stamp import Stamp, take
from helpgen.settings.address import SiteAddress
from helpgen.output.write import (JOURNAL, LOCK, MARKER, MARKER_TEXT, Spool, beside,
                           check_output_folder, locked, output_check, precompressed,
                           write_site)

if TYPE_CHECKING:
    from helpgen.content.assembly import Assembly
    from helpgen.content.model import Site
    from helpgen.content.placement import SitePlan
    from helpgen.infra.reuse import Reuse
    from helpgen.output.pages import RenderMemo
    from helpgen.output.theme import Theme
    from helpgen.session import Session

DEFAULT_OUTPUT = "site"
INTERNAL_OUTPUT = "internal-site"    # the agents' help center (--audience internal)


@dataclass
class BuildResult:
    report: Report
    out: Path
    base_path: str = "/"         # where the output folder is served from
    pages: int = 0
    locales: int = 0             # of the site, or of the first brand's
    brands: int = 0              # brands built; 0 for a site without brands
    index_bytes: int = 0
    seconds: float = 0.0
    written: bool = False        # the output folder holds this build's site
    changed: bool = False        # False when the output was already up to date
    up_to_date: bool = False     # nothing changed since the last build: nothing was built
    work: dict = field(default_factory=dict)   # what was made, not reused (BuildCache.made)
    # The live preview's build of an edit from its last build (helpgen/session.py): the
    # article files changed (edited, added or deleted); 0 for a full build
    edited: int = 0
    unsaved_cache: HelpgenError | None = None  # why the cache could not be saved (a full disk)


# What a build with nothing changed reports again, kept with the stamp.
_REPORTED = ("base_path", "pages", "locales", "brands", "index_bytes")


@dataclass
class SiteContent:
    """A site folder read: its sources, the sites built from them (one per brand, or the one
    site) and their content models, in the same order."""
    sources: Sources
    builds: list[SiteBuild]
    sites: list[Site]
    address: SiteAddress         # where the output folder is served
    loaded_warnings: int = 0     # how many of the report's warnings are the load stage's
    # With read_site(keep=True), what the model was made of: the sources as read (before
    # content/audience.py resolved them), and per site its plan, its bodies (by place) and its
    # Assembly (the live preview updates them, helpgen/session.py)
    loaded: Sources | None = None
    plans: list[SitePlan] = field(default_factory=list)
    bodies: list[dict] = field(default_factory=list)
    assemblies: list[Assembly] = field(default_factory=list)

    def without_sources(self) -> SiteContent:
        """What the stages after the models read of it: the sources (the articles' Markdown,
        more than the models hold) are let go of, while a build holds the models to its end."""
        none = Sources((), (), (), ())
        return replace(self, sources=none,
                       builds=[replace(site_build, sources=none) for site_build in self.builds])


def read_site(config: Config, report: Report, cache: BuildCache, base_url: str | None = None,
              only: str | None = None, progress: Progress | None = None,
              audience: str = PUBLIC, keep: bool = False) -> SiteContent:
    """Read the site whose settings are `config` (load → brands → model), each brand's site at
    its address, for `audience`: what build and check both start from. `only` picks one brand;
    `base_url` is --base-url. Problems go to `report`; HelpgenError if the articles cannot be
    read at all. A public site's model never holds an internal article (content/audience.py):
    they are left out of its sources before anything is placed. `keep`: the result also holds
    what each model was made of (for the live preview)."""
    # Imported only now: a build with nothing to do never reads the articles, and needs neither
    # the model nor Markdown.
    from helpgen.content.assembly import assemble_site
    from helpgen.content.bodies import converted_bodies
    from helpgen.content.placement import body_jobs, place_articles

    sources = load_sources(config, report, cache)
    content = SiteContent(resolve_audiences(config, sources, report), [], [],
                          SiteAddress.of(config.url, base_url), len(report.warnings),
                          sources if keep else None)
    content.builds = audience_builds(config, content.sources, report, content.address, only,
                                     audience)
    for site_build in content.builds:
        plan = place_articles(site_build.config, site_build.sources, report)
        bodies = converted_bodies(body_jobs(plan), plan.links, cache.run, progress)
        site, assembly = assemble_site(plan, bodies, report, site_build.address,
                                       internal=audience == INTERNAL)
        content.sites.append(site)
        if keep:
            content.plans.append(plan)
            content.bodies.append(bodies)
            content.assemblies.append(assembly)
    return content


def audience_builds(config: Config, sources: Sources, report: Report, address: SiteAddress,
                    only: str | None, audience: str) -> list[SiteBuild]:
    """The sites to build (content/brands.py), each with what `audience` sees of its sources
    (`sources` as resolve_audiences left them)."""
    return [replace(site_build, sources=visible_to(site_build.sources, audience))
            for site_build in site_builds(config, sources, report, address, only=only)]


def site_outputs(config: Config, content: SiteContent, theme: Theme, cache: BuildCache,
                 result: BuildResult, precompress: bool, brand: str | None,
                 memos: list[RenderMemo], progress: Progress, spool: Spool | None = None
                 ) -> tuple[Outputs, list[tuple[Path, str]]]:
    """The files of the sites `content` holds (render and index, stages 5 and 6), each brand's
    in its folder, and the files to copy (assets); `result` counts pages and index bytes.
    `memos`: each site's RenderMemo, kept by the live preview between its builds, in which
    what is counted of a part the edit left alone is known without looking at its files.
    With `spool`, each batch of files is set aside in it as soon as it is made: the outputs
    then hold no file's bytes (write.Spool)."""
    from helpgen.output.search.index import build_index
    from helpgen.output.pages import brands_page, render_site

    outputs, copies = Outputs(), []
    for site_build, site, memo in zip(content.builds, content.sites, memos):
        reuse = memo.reuse
        # One brand of several goes to its folder; a brand built alone, to `target` itself.
        prefix = f"{site_build.brand_id}/" if site_build.brand_id and brand is None else ""
        # The index first: its postings, the largest thing it makes, are let go of before
        # the pages are rendered.
        progress.stage("Building the search index")
        index_files = build_index(site, cache)
        result.index_bytes += reuse.total("index bytes", "", index_files, _size)
        _add(outputs, [("search index", index_files)], prefix, reuse, precompress, cache, spool)
        del index_files
        progress.stage("Rendering pages" + (f" ({site_build.brand_id})" * bool(prefix)))
        for parts in render_site(site, theme, cache.run, memo):
            result.pages += sum(reuse.total("pages", name, files, _is_page)
                                for name, files in parts)
            _add(outputs, parts, prefix, reuse, precompress, cache, spool)
        copies += [(path, prefix + path.relative_to(config.root).as_posix())
                   for path in site.assets]
        if prefix:
            outputs.add(prefix + MARKER, [OutputFile(prefix + MARKER, MARKER_TEXT.encode())])
    if config.brands and brand is None:        # the brands' folders need a front door
        outputs.add("brands", [brands_page(content.sites, [b.brand_id for b in content.builds],
                                           theme)])
    return outputs, copies


def _add(outputs: Outputs, parts: list[tuple[str, list[OutputFile]]], prefix: str,
         reuse: Reuse, precompress: bool, cache: BuildCache, spool: Spool | None) -> None:
    """A batch of named `parts` in `outputs`, in the folder `prefix`, with their text files'
    compressed twins if `precompress`; set aside in `spool` if given."""
    if precompress:
        parts = [*parts, (f"compressed {parts[0][0]}", precompressed(
            [file for _, files in parts for file in files], cache.run))]
    for name, files in parts:
        if prefix:
            files = reuse.memoized("part in its folder", name, files, prefix, _in_folder,
                                   files, prefix, reuse)
        outputs.add(prefix + name, spool.add(files) if spool is not None else files)


def _in_folder(files: list[OutputFile], prefix: str, reuse: Reuse) -> list[OutputFile]:
    """`files` in the folder `prefix`: the same file object for the same file (write_changes
    compares the live preview's files by identity)."""
    return [reuse.memoized("in its folder", file.path, file, prefix, moved, file,
                           prefix + file.path) for file in files]


def _size(file: OutputFile) -> int:
    return file.size


def _is_page(file: OutputFile) -> int:
    return file.path.endswith(".html")


def build(site_dir: Path, out: Path | None = None, strict: bool = False,
          base_url: str | None = None, use_cache: bool = True,
          progress: Progress | None = None, precompress: bool = False,
          brand: str | None = None, cache: BuildCache | None = None,
          waiting: Callable[[Path], None] = lambda out: None,
          audience: str = PUBLIC, session: Session | None = None) -> BuildResult:
    """Build the site in `site_dir` for `audience` into `out` (default: `site_dir/site`, or
    `site_dir/internal-site` for the agents' help center, which has the internal articles).

    With `brands:` in helpgen.yml, each brand's site goes to `out/<id>/`; `brand` builds only
    that one. Raises HelpgenError for problems that stop the build before articles are read (no
    helpgen.yml, an unusable output folder, an unknown brand); returns the report otherwise.
    With `use_cache`, results are kept in `site_dir/.helpgen-cache/` for the next build, and
    a build whose inputs did not change since the last one (see infra/stamp.py) returns that
    build's numbers and warnings at once; `cache` (the live preview's, kept between its builds)
    replaces the one it would open. While another build of the site runs, this one waits for it
    (see write.locked), calling `waiting` with the site folder if that takes a while. The live
    preview's `session` (helpgen/session.py) is told what the build read and made.
    """
    started = time.perf_counter()
    progress = progress or Progress()
    report = Report(strict=strict)
    public_out = (site_dir / DEFAULT_OUTPUT).resolve()
    out = (out or site_dir / (INTERNAL_OUTPUT if audience == INTERNAL else DEFAULT_OUTPUT)
           ).resolve()
    if audience == INTERNAL and out == public_out:
        raise HelpgenError("the internal help center is not written to the public site's "
                           "folder", out, None, f"give another folder with -o, or leave -o out "
                           f"(it then goes to {INTERNAL_OUTPUT}/)")
    target = out / brand if brand is not None else out       # a brand built alone: OUT/ID
    check_output_folder(target, site_dir)
    progress.stage("Reading articles")
    config = load_config(site_dir, report)
    if cache is None:
        cache = BuildCache(config.root / CACHE_DIR if use_cache else None)
    result = BuildResult(report, target)
    # Taken before the articles are read: an input changed from here on makes the next stamp
    # differ (helpgen.yml, read just before, would be too recent: the stamp is not settled).
    # The live preview keeps its entries in memory from build to build and builds only on
    # changes: it takes no stamp.
    stamp = None
    if cache.folder is not None and not cache.remember:
        # Whether the output is as the last build left it is looked at meanwhile, on another
        # core: a build with nothing to do needs both.
        with output_check(target, cache) as output_unchanged:
            stamp = take(config.root, target, (strict, base_url, brand, precompress, audience))
            previous = _previous_build(stamp, target, cache, strict, beside(out, JOURNAL),
                                       output_unchanged)
        if previous is not None:
            cache.close()
            previous.seconds = time.perf_counter() - started
            return previous
    # One build of a site at a time (two into one OUT would interleave their writes, and two
    # would drop each other's cache entries); whatever an interrupted one left in OUT is
    # finished or undone first. A build with nothing to do needs no lock: it writes nothing.
    with locked(config.root / CACHE_DIR / LOCK, out, lambda: waiting(config.root)):
        # The stages after reading are imported only now: a build with nothing to do needs
        # neither them nor their libraries (Markdown, Jinja2, lunr: importing them took half of
        # its time).
        from helpgen.output.pages import RenderMemo
        from helpgen.output.theme import load_theme

        content = read_site(config, report, cache, base_url, only=brand, progress=progress,
                            audience=audience, keep=session is not None)
        if session is None:
            content = content.without_sources()
        sites = content.sites
        if report.failed:
            cache.close()
            return result
        theme = load_theme(config.theme_name, config.theme_custom_dir)
        # The live preview keeps what was rendered, and the files, for its next build; a
        # command-line build keeps neither, and sets the files' bytes aside until written.
        memos = [RenderMemo.new(keep=session is not None) for _ in sites]
        with Spool(config.root / CACHE_DIR) if session is None else nullcontext() \
                as spool:
            outputs, copies = site_outputs(config, content, theme, cache, result, precompress,
                                           brand, memos, progress, spool)
            progress.stage("Writing")
            cache.start_saving()
            try:
                result.changed = write_site(outputs, copies, target, cache,
                                            beside(out, JOURNAL))
            except BaseException:
                cache.abandon()
                raise
        result.written = True
        result.locales = len(sites[0].locales)
        result.brands = len(content.builds) if config.brands else 0
        result.base_path = (content.address if brand is None else sites[0].address).path
        if session is not None:
            session.record(config, content, theme, memos, outputs, copies, report, result)
        if stamp is not None and stamp.settled:
            cache.put("stamp", str(target), (stamp.digest, report.warnings,
                                             {name: getattr(result, name) for name in _REPORTED}))
        unsaved = cache.save()
        if unsaved:
            result.unsaved_cache = HelpgenError(
                f"the build cache was not saved: {unsaved}", cache.folder, None,
                "the site was built all the same; free some space there, or the next build "
                "converts everything again")
        result.work = dict(cache.made)
        result.seconds = time.perf_counter() - started
        return result


def _previous_build(stamp: Stamp, out: Path, cache: BuildCache, strict: bool, journal: Path,
                    output_unchanged: Callable[[], bool]) -> BuildResult | None:
    """The result of the last build, if it had the same stamp and its output is still as it
    left it (`output_unchanged`: a file edited or deleted there by hand needs a build to
    restore it, and so does an update an interrupted build left, which has a journal)."""
    stored = cache.get("stamp", str(out))
    if stored is None or stored[0] != stamp.digest or journal.exists() or \
            not output_unchanged():
        return None
    _, warnings, reported = stored
    return BuildResult(Report(strict=strict, warnings=list(warnings)), out, **reported,
                       written=True, up_to_date=True)
