"""The build pipeline: load → model → render → index → write.

Each stage is one module and hands plain data to the next; problems collect in one Report, and
nothing is written unless the whole build succeeded.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from helpgen.cache import CACHE_DIR, BuildCache
from helpgen.config import load_config
from helpgen.errors import Report
from helpgen.index import build_index
from helpgen.load import load_sources
from helpgen.model import Site, build_site
from helpgen.progress import Progress
from helpgen.render import Theme, render_site, theme_dir
from helpgen.write import check_output_folder, precompressed, write_site

DEFAULT_OUTPUT = "site"


@dataclass
class BuildResult:
    report: Report
    out: Path
    site: Site | None = None
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
          progress: Progress | None = None, precompress: bool = False) -> BuildResult:
    """Build the site in `site_dir` into `out` (default: `site_dir/site`).

    Raises HelpgenError for problems that stop the build before articles are read (no
    helpgen.yml, an unusable output folder); returns the report otherwise. With `use_cache`,
    results are kept in `site_dir/.helpgen-cache/` for the next build.
    """
    started = time.perf_counter()
    progress = progress or Progress()
    report = Report(strict=strict)
    out = (out or site_dir / DEFAULT_OUTPUT).resolve()
    result = BuildResult(report, out)
    check_output_folder(out, site_dir)
    progress.stage("Reading articles")
    config = load_config(site_dir, report)
    sources = load_sources(config, report)
    site_url, base_path = resolve_base(config.url, base_url)
    cache = BuildCache(config.root / CACHE_DIR if use_cache else None)
    site = build_site(config, sources, report, site_url, base_path, cache, progress)
    if report.failed:
        return result
    progress.stage("Rendering pages")
    files = render_site(site, Theme(theme_dir()), cache)
    progress.stage("Building the search index")
    index_files = build_index(site, cache)
    progress.stage("Writing")
    copies = [(path, path.relative_to(config.root).as_posix()) for path in site.assets]
    outputs = files + index_files
    if precompress:
        outputs += precompressed(outputs)
    result.changed = write_site(outputs, copies, out)
    cache.save()
    result.site, result.written = site, True
    result.pages = sum(1 for f in files if f.path.endswith(".html"))
    result.index_bytes = sum(len(f.content) for f in index_files)
    result.seconds = time.perf_counter() - started
    return result
