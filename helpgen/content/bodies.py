"""Article bodies: Markdown to HTML for every article, each conversion a step of the build
cache's runner (on every core, kept between builds).

A kept conversion is reused only if every link it resolved still resolves the same way, so
moving or renaming another article is always reflected. A body is converted the same wherever
it comes from: a `BodyJob` is all a conversion needs.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from helpgen.infra.cache import Step, StepRunner, content_digest, digest, run_uncached
from helpgen.content.links import WITHHELD, LinkTable
from helpgen.content.markup import MarkdownRenderer, RenderedMarkdown
from helpgen.infra.progress import Progress


@dataclass(frozen=True)
class BodyJob:
    """One article body to convert for the page at `page_url`."""

    source: Path
    name: str                    # `source` relative to the site folder: what the cache key
                                 # holds, so a site copied or moved elsewhere (a CI runner
                                 # restoring the cache into another checkout) keeps its bodies
    locale: str
    page_url: str
    body: str
    body_line: int
    raw_html: str = "keep"       # markdown.raw_html, a mode of config.RAW_HTML
    heading_ids: str = "helpgen"  # markdown.heading_ids, one of config.HEADING_IDS

    @property
    def mode(self) -> tuple[str, str]:
        """What picks the converter: the markdown settings."""
        return self.raw_html, self.heading_ids

    @functools.cached_property
    def cache_key(self) -> str:
        body = content_digest(self.body.encode("utf-8", "surrogatepass"))   # quicker than repr
        return digest(self.name, self.locale, self.page_url, body, self.body_line,
                      *self.mode)


def body_key(job: BodyJob, rendered: RenderedMarkdown) -> str:
    """A hash that stands for the converted body in page keys, so pages are not keyed by
    hashing every body's HTML again: a job converts the same while its links resolve the same."""
    return digest(job.cache_key, rendered.resolved)


def body_entry(job: BodyJob, rendered: RenderedMarkdown) -> tuple[RenderedMarkdown, str]:
    """What the model's assembly takes of a converted body: it, and the key it is known by."""
    return rendered, body_key(job, rendered)


_RENDERERS: dict[tuple[str, str], MarkdownRenderer] = {}


def _renderer(mode: tuple[str, str]) -> MarkdownRenderer:
    """The process's converter for a BodyJob.mode, made once (0.05 s: Markdown loads its
    extensions). Made before the workers fork, they inherit it, and a live preview's later edits
    find it ready."""
    if mode not in _RENDERERS:
        _RENDERERS[mode] = MarkdownRenderer(*mode)
    return _RENDERERS[mode]


def _convert(job: BodyJob, links: LinkTable) -> RenderedMarkdown:
    return _renderer(job.mode).convert(
        job.body, job.page_url, lambda target: links.resolve(job.source, job.locale, target),
        job.body_line)


def _still_valid(job: BodyJob, rendered: RenderedMarkdown, table: LinkTable) -> bool:
    """Whether every link resolves as when the body was converted, the broken ones included
    (an article added since then mends them)."""
    return all(table.resolve(job.source, job.locale, target) == url
               for target, url in rendered.resolved) and \
        all(table.resolve(job.source, job.locale, unquote(urlsplit(broken.target).path)) ==
            (WITHHELD if broken.withheld else None) for broken in rendered.broken_links)


def convert_bodies(jobs: list[BodyJob], table: LinkTable,
                   run_steps: StepRunner = run_uncached,
                   progress: Progress | None = None) -> list[RenderedMarkdown]:
    """Every job converted (in order), its links resolved through `table`: each a step of
    `run_steps`, which runs them on every core and may reuse a conversion whose links still
    resolve the same."""
    return run_steps("body", [Step(job.cache_key, functools.partial(_convert, job, table))
                              for job in jobs],
                     reuse=lambda number, rendered: _still_valid(jobs[number], rendered, table),
                     prepare=lambda todo: _prepare({jobs[number].mode for number in todo}),
                     progress=progress, stage="Converting Markdown")


def converted_bodies(jobs: dict, table: LinkTable, run_steps: StepRunner = run_uncached,
                     progress: Progress | None = None) -> dict:
    """convert_bodies for `jobs` by place: what the model's assembly takes, by the same
    places (body_entry)."""
    converted = convert_bodies(list(jobs.values()), table, run_steps, progress)
    return dict(zip(jobs, map(body_entry, jobs.values(), converted)))


def _prepare(modes: set[tuple[str, str]]) -> None:
    """Make the converters of `modes` before the workers fork (they inherit them)."""
    for mode in modes:
        _renderer(mode)
