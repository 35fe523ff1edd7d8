"""The build pipeline: load → model → render → index → write.

Each stage is one module and hands plain data to the next; problems collect in one Report, and
nothing is written unless the whole build succeeded.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from helpgen.brands import site_builds
from helpgen.cache import CACHE_DIR, BuildCache
from helpgen.config import load_config
from helpgen.errors import Report
from helpgen.index import build_index
from helpgen.load import load_sources
from helpgen.model import Site, build_site
from helpgen.progress import Progress
from helpgen.render import OutputFile, brands_page, load_theme, render_site
from helpgen.write import MARKER, MARKER_TEXT, check_output_folder, precompressed, write_site

DEFAULT_OUTPUT = "site"


@dataclass
class BuildResult:
    report: Report
    out: Path
    sites: list[Site] = field(default_factory=list)    # one per brand, or the one site
    base_path: str = "/"         # where the output folder is served from
    pages: int = 0
    index_bytes: int = 0
    seconds: float = 0.0
    written: bool = field(default=False)
    changed: bool = False          # False when the output was already up to date


def resolve_base(site_url: str | None, base_url: str | None) -> tuple[str | None, str]:
    """The site's absolute URL (or None) and the path it is served under.

    `base_url` (from --base-url) is a full URL or a path such as /help/; it wins over site.url.
    """
    url = base_url or site_url
    if url is None:
        return None, "/"
    parts = urlsplit(url)
    path = "/" + parts.path.strip("/") + "/" if parts.path.strip("/") else "/"
    if parts.scheme:
        return urlunsplit((parts.scheme, parts.netloc, path, "", "")), path
    if site_url:
        origin = urlsplit(site_url)
        return urlunsplit((origin.scheme, origin.netloc, path, "", "")), path
    return None, path


def build(site_dir: Path, out: Path | None = None, strict: bool = False,
          base_url: str | None = None, use_cache: bool = True,
          progress: Progress | None = None, precompress: bool = False,
          brand: str | None = None, cache: BuildCache | None = None) -> BuildResult:
    """Build the site in `site_dir` into `out` (default: `site_dir/site`).

    With `brands:` in helpgen.yml, each brand's site goes to `out/<id>/`; `brand` builds only
    that one. Raises HelpgenError for problems that stop the build before articles are read (no
    helpgen.yml, an unusable output folder, an unknown brand); returns the report otherwise.
    With `use_cache`, results are kept in `site_dir/.helpgen-cache/` for the next build;
    `cache` (the live preview's, kept between its builds) replaces the one it would open.
    """
    started = time.perf_counter()
    progress = progress or Progress()
    report = Report(strict=strict)
    out = (out or site_dir / DEFAULT_OUTPUT).resolve()
    result = BuildResult(report, out)
    check_output_folder(out, site_dir)
    progress.stage("Reading articles")
    config = load_config(site_dir, report)
    if cache is None:
        cache = BuildCache(config.root / CACHE_DIR if use_cache else None)
    sources = load_sources(config, report, cache)
    builds = site_builds(config, sources, report, only=brand)
    if brand is not None:
        out = result.out = out / brand
        check_output_folder(out, site_dir)
    sites = []
    for site_build in builds:
        site_url, base_path = resolve_base(site_build.config.url,
                                           _brand_base(base_url, site_build.brand_id))
        sites.append(build_site(site_build.config, site_build.sources, report, site_url,
                                base_path, cache, progress))
    if report.failed:
        return result
    theme = load_theme(config.theme_name, config.theme_custom_dir)
    outputs, copies = [], []
    for site_build, site in zip(builds, sites):
        # One brand of several goes to its folder; a brand built alone, to `out` itself.
        prefix = f"{site_build.brand_id}/" if site_build.brand_id and brand is None else ""
        progress.stage("Rendering pages" + (f" ({site_build.brand_id})" * bool(prefix)))
        files = render_site(site, theme, cache)
        result.pages += sum(1 for f in files if f.path.endswith(".html"))
        progress.stage("Building the search index")
        index_files = build_index(site, cache)
        result.index_bytes += sum(len(f.content) for f in index_files)
        site_files = files + index_files
        if precompress:
            site_files += precompressed(site_files, cache)
        outputs += [OutputFile(prefix + f.path, f.content) for f in site_files]
        copies += [(path, prefix + path.relative_to(config.root).as_posix())
                   for path in site.assets]
        if prefix:
            outputs.append(OutputFile(prefix + MARKER, MARKER_TEXT.encode()))
    if config.brands and brand is None:        # the brands' folders need a front door
        outputs.append(brands_page(sites, [b.brand_id for b in builds], theme))
    progress.stage("Writing")
    result.changed = write_site(outputs, copies, out, cache)
    cache.save()
    result.sites, result.written = sites, True
    result.base_path = resolve_base(config.url, base_url)[1] if brand is None else \
        sites[0].base_path
    result.seconds = time.perf_counter() - started
    return result


def _brand_base(base_url: str | None, brand_id: str | None) -> str | None:
    """--base-url names where the output folder is served; a brand is in a folder below it."""
    if base_url is None or brand_id is None:
        return base_url
    return f"{base_url.rstrip('/')}/{brand_id}/"
