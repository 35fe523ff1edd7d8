"""`helpgen check`: content checks without building the site.

Reads the site as `helpgen build` does (pipeline.read_site: load, brands, model, so every problem
the build would report is reported here too), then looks for what a build lets through:
links to headings that do not exist, assets nothing uses, articles without a translation,
translations older than their original, stale articles and duplicate titles. Nothing is rendered or written.

Every problem is a HelpgenError with a severity and the code (of errors.CODES) the stage that
found it gave it: a problem without one is a bug in helpgen, not guessed here. The build's errors
stay errors; everything else is a warning, unless `--strict` or `check.errors` in helpgen.yml
says otherwise. `check.ignore` drops warnings of the codes it lists.
"""

from __future__ import annotations

import datetime as dt
import difflib
import html
import os
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import SplitResult, unquote, urljoin, urlsplit

import click

from helpgen.content.audience import AUDIENCES, PUBLIC
from helpgen.pipeline import read_site
from helpgen.infra.cache import CACHE_DIR, BuildCache
from helpgen.settings.config import Config, load_config
from helpgen.commands.present import check_outcome, internal_error
from helpgen.errors import (BROKEN_ANCHOR, DUPLICATE_TITLE, FRONT_MATTER, MISSING_TRANSLATION,
                            ORPHAN_ASSET, STALE, STRUCTURE, HelpgenError, Report, code_of)
from helpgen.content.sources import INDEX_NAME, ArticleSource, FolderText, Sources
from helpgen.content.translations import outdated_problem, translation_states
from helpgen.content.markup import TocItem, link_places
from helpgen.content.model import Article, Site
from helpgen.settings.yamlio import parse_yaml, read_text
from helpgen.settings.locales import article_file, split_article_file

FORMATS = ("text", "json", "github")
ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Problem:
    error: HelpgenError          # message, path (absolute), line, hint and code
    severity: str                # "error" or "warning"

    def __post_init__(self):
        code_of(self.error)      # a problem without its code is a bug in helpgen: refused

    @property
    def code(self) -> str:
        return self.error.code


@dataclass
class CheckResult:
    problems: list[Problem] = field(default_factory=list)
    articles: int = 0            # article files (*.md) found
    locales: int = 0
    checked: bool = False        # False when the site could not be read at all

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity == WARNING)


def run_check(site_dir: Path, strict: bool = False, on: dt.date | None = None,
              use_cache: bool = True, audiences: tuple[str, ...] = AUDIENCES,
              insights: "Insights | None" = None) -> CheckResult:
    """Check the site in `site_dir`; `on` is the date to measure staleness against; with
    `insights`, what readers voted in the collector's database is checked too.

    The site is read as built for each of `audiences`: the public site (where a link to an
    internal article leads nowhere) and, if it has internal articles, the agents' help center
    (every article, so the internal ones are checked too).

    With `use_cache`, the build cache (`SITE/.helpgen-cache/`) spares converting what a build or
    an earlier check converted, and keeps what this check converts for the next build (a CI job
    that checks, then builds, converts each article once); it deletes nothing a build put there.
    """
    site_dir = Path(site_dir).resolve()
    on = on or dt.date.today()
    result = CheckResult()
    report = Report()
    try:
        config = load_config(site_dir, report)
    except HelpgenError as error:
        result.problems = [Problem(error, ERROR)]
        return result
    cache = BuildCache(config.root / CACHE_DIR if use_cache else None)
    found = []
    for audience in audiences:
        try:
            content = read_site(config, report, cache, audience=audience)
        except HelpgenError as error:
            result.problems = _finish([Problem(e, ERROR) for e in report.errors]
                                      + [Problem(error, ERROR)]
                                      + [Problem(w, WARNING) for w in report.warnings],
                                      config, strict)
            return result
        sources = content.sources
        # Each brand's site on its own: a link can be broken in one brand and fine in another.
        for site_build, site in zip(content.builds, content.sites):
            checks = _Checks(site_build.config, sources, site, on)
            found += [Problem(w, WARNING) for w in checks.run()]
        if audience == PUBLIC and not any(b.sources.withheld for b in content.builds):
            break                        # no internal article: the agents' site is the same
    # Assets once, over all sources and every brand's settings: a file any brand uses is used.
    assets = _Checks(config, sources, site, on)
    assets.orphan_assets()
    found += [Problem(w, WARNING) for w in assets.problems]
    if insights is not None:
        try:
            found += [Problem(w, WARNING) for w in insights.warnings(config)]
        except HelpgenError as error:
            found.append(Problem(error, ERROR))
    found += [Problem(e, ERROR) for e in report.errors]
    found += [Problem(w, WARNING) for w in report.warnings]
    result.problems = _finish(found, config, strict)
    result.articles = sum(1 for path in config.articles_dir.rglob("*.md")
                          if not any(part.startswith(".") for part in
                                     path.relative_to(config.articles_dir).parts)
                          and path.name.split(".")[0] != INDEX_NAME)
    result.locales = len(config.locales)
    result.checked = True
    try:
        cache.save(forget_unused=False)
    except (OSError, sqlite3.Error):
        pass                             # a folder check may not write to is checked all the same
    return result


def _finish(problems: list[Problem], config: Config, strict: bool) -> list[Problem]:
    """Apply check.ignore, check.errors and --strict; drop repeats; sort by file and line."""
    kept, seen = [], set()
    for problem in problems:
        error, severity = problem.error, problem.severity
        if severity == WARNING and problem.code in config.check_ignore:
            continue
        if severity == WARNING and (strict or problem.code in config.check_errors):
            severity = ERROR
        key = (str(error.path), error.line, problem.code, error.message)
        if key in seen:
            continue
        seen.add(key)
        kept.append(Problem(error, severity))
    return sorted(kept, key=lambda p: (str(p.error.path or ""), p.error.line or 0, p.code,
                                       p.error.message))


# --- The checks -------------------------------------------------------------------------------


_HREF = re.compile(r"""<a\s[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ID = re.compile(r"""<[a-zA-Z][^>]*?\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# Where a body can name a file: Markdown links and images, reference definitions, HTML
# attributes, srcset lists and CSS url().
_TARGETS = [
    re.compile(r"\]\(\s*<([^>\n]+)>"),
    re.compile(r"\]\(\s*([^)\s]+)"),
    re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)", re.M),
    re.compile(r"""\b(?:src|href|poster|data)\s*=\s*["']([^"']+)["']""", re.I),
    re.compile(r"""url\(\s*["']?([^"')]+)""", re.I),
]
_SRCSET = re.compile(r"""\bsrcset\s*=\s*["']([^"']+)["']""", re.I)


@dataclass(frozen=True)
class _Page:
    """A page written in Markdown, as the anchor check reads it: an article, or the text of a
    category or section page (`_index.md`)."""

    url: str
    key: str                     # its last part is the file name links are written with
    file: Path                   # the Markdown file, relative to the site folder
    html: str
    toc: tuple[TocItem, ...]
    source: ArticleSource | FolderText


class _Checks:
    def __init__(self, config: Config, sources: Sources, site: Site, on: dt.date):
        self.config, self.sources, self.site, self.on = config, sources, site, on
        self.by_path = {s.path.relative_to(config.root): s for s in sources.articles}
        self.articles = [a for locale in site.locales for a in locale.articles]
        self.pages = self._pages()
        self.by_url = {page.url: page for page in self.pages}
        self.problems: list[HelpgenError] = []

    def run(self) -> list[HelpgenError]:
        """The checks of this site (of one brand, with brands); orphan_assets is apart."""
        self.broken_anchors()
        self.missing_translations()
        self.outdated_translations()
        self.stale()
        self.duplicate_titles()
        return self.problems

    def add(self, code: str, message: str, path: Path, line: int | None, hint: str) -> None:
        self.problems.append(HelpgenError(message, path, line, hint, code=code))

    def source(self, article: Article) -> ArticleSource:
        return self.by_path[article.source]

    def _pages(self) -> list[_Page]:
        """Every page written in Markdown: the articles, and folder pages with an `_index.md`."""
        texts = {t.path.relative_to(self.config.root): t for t in self.sources.folder_texts}
        pages = [_Page(a.url, a.key, a.source, a.body_html, a.toc, self.source(a))
                 for a in self.articles]
        for locale in self.site.locales:
            for group in (*locale.categories, *locale.sections):
                text = group.page_text
                if text is not None:
                    pages.append(_Page(group.url, f"{group.key}/{INDEX_NAME}", text.source,
                                       text.html, text.toc, texts[text.source]))
        return pages

    # broken-anchor

    def broken_anchors(self) -> None:
        """Links whose #fragment names no id on the page they lead to.

        The page's HTML says where each link leads (the model resolved it); the Markdown says
        how it was written, and on which line.
        """
        ids: dict[str, set[str]] = {}
        for article in self.pages:
            source = article.source
            used: set[int] = set()
            places: list[tuple[str, int]] = []
            for match in _HREF.finditer(article.html):
                href = html.unescape(match.group(1) or match.group(2) or "")
                parts = _split(href)
                if parts is None or not parts.fragment or parts.scheme or parts.netloc or \
                        href.startswith("/"):
                    continue
                target_url = unquote(urlsplit(urljoin("http://site/" + article.url,
                                                      href)).path)[1:]
                target = self.by_url.get(target_url)
                if target is None:
                    continue                    # an asset, or a page helpgen makes
                if target.url not in ids:
                    ids[target.url] = _anchors(target)
                fragment = unquote(parts.fragment)
                if fragment in ids[target.url]:
                    continue
                places = places or link_places(source.body)
                written, line = self._written(source, article, target, fragment, places, used)
                where = "this article" if target is article else f"'{target.file.as_posix()}'"
                close = difflib.get_close_matches(fragment, sorted(ids[target.url]), n=1)
                hint = (f"did you mean '#{close[0]}'? " if close else "") + \
                    f"{where} has no heading with the id '{fragment}'"
                self.add(BROKEN_ANCHOR, f"link to a missing anchor: '{written}'", source.path,
                         line, hint)

    def _written(self, source: ArticleSource | FolderText, article: _Page, target: _Page,
                 fragment: str, places: list[tuple[str, int]], used: set[int]
                 ) -> tuple[str, int]:
        """How a link to `target`#`fragment` was written in `source`, and its line."""
        name = target.key.rsplit("/", 1)[-1]
        fallback = None
        for written, offset in places:
            parts = _split(written)
            if parts is None or offset in used or unquote(parts.fragment) != fragment:
                continue
            path = unquote(parts.path)
            stem = split_article_file(path.rsplit("/", 1)[-1], self.config.locales)[0]
            if (not path and target is article) or (path.endswith(".md") and stem == name):
                used.add(offset)
                return written, _line_at(source, offset)
            fallback = fallback or (written, offset)
        if fallback is not None:
            used.add(fallback[1])
            return fallback[0], _line_at(source, fallback[1])
        return f"#{fragment}", source.body_line

    # orphan-asset

    def orphan_assets(self) -> None:
        root = self.config.root
        used: set[Path] = set()
        for brand in (self.config.brand, *(entry.brand for entry in self.config.brands)):
            for value in (brand.logo, brand.logo_dark, brand.favicon, brand.custom_css,
                          *(font.file for font in brand.font_files)):
                if value:
                    used.add(_normal(root / value))
            if brand.custom_css:          # fonts and images its url()s name
                stylesheet = root / brand.custom_css
                for target in _targets(stylesheet.read_text(encoding="utf-8", errors="replace")):
                    used.update(_files(target, stylesheet.parent, root))
        for source in (*self.sources.articles, *self.sources.folder_texts):
            base = source.path.parent
            for target in _targets(source.body):
                used.update(_files(target, base, root))
            for value in _strings(source.meta):
                used.update(_files(value, base, root))
                for target in _targets(value):
                    used.update(_files(target, base, root))
        for group in (*self.sources.categories, *self.sources.sections):
            if group.meta_path is None:
                continue
            try:
                data = parse_yaml(read_text(group.meta_path, code=STRUCTURE), group.meta_path,
                                  code=FRONT_MATTER)[0]
            except HelpgenError:
                data = group.meta
            for value in _strings(data):
                used.update(_files(value, group.folder, root))
                for target in _targets(value):
                    used.update(_files(target, group.folder, root))
        unused = [asset for asset in self.sources.assets if _normal(asset) not in used]
        if unused:                       # a path through a symbolic link may still name them
            resolved = {_resolved(path) for path in used}
            unused = [asset for asset in unused if _resolved(asset) not in resolved]
        for asset in unused:
            self.add(ORPHAN_ASSET, "no article uses this file", asset, None,
                     "link it from an article, or delete it; the build copies every file in "
                     "assets/ to the site")

    # missing-translation

    def missing_translations(self) -> None:
        config = self.config
        if not config.other_locales:
            return
        locales: dict[tuple, set[str]] = {}
        for source in self.sources.articles:
            locales.setdefault(source.key, set()).add(source.locale)
        for source in self.sources.articles:
            if source.locale != config.default_locale or source.meta.get("draft"):
                continue
            missing = [code for code in config.other_locales if code not in locales[source.key]]
            if not missing:
                continue
            names = ", ".join(article_file(source.name, code) for code in missing)
            self.add(MISSING_TRANSLATION,
                     f"no translation for {', '.join(missing)}", source.path,
                     source.line_of("title"), f"add {names} beside it")

    # outdated-translation

    def outdated_translations(self) -> None:
        self.problems += [outdated_problem(state) for state in
                          translation_states(self.sources.articles, self.config.default_locale)
                          if state.outdated]

    # stale

    def stale(self) -> None:
        limit = self.config.stale_after_days
        for article in self.articles:
            source = self.source(article)
            if article.review_by and article.review_by < self.on:
                owner = source if source.meta.get("review_by") else self._primary(source)
                self.add(STALE, f"review_by {article.review_by.isoformat()} has passed",
                         owner.path, owner.line_of("review_by"),
                         "review the article, then set a later review_by date")
            age = (self.on - article.updated).days
            if age > limit:
                written = source.meta.get("updated") is not None
                self.add(STALE, f"last updated {article.updated.isoformat()}, {age} days ago "
                         f"(more than {limit})", source.path,
                         source.line_of("updated" if written else "title"),
                         "check that it is still right, then set  updated: "
                         f"{self.on.isoformat()}" + ("" if written else
                                                     " (the date now comes from git or the "
                                                     "file's modification time)"))

    def _primary(self, source: ArticleSource) -> ArticleSource:
        return next((s for s in self.sources.articles if s.key == source.key
                     and s.locale == self.config.default_locale and s.meta.get("review_by")),
                    source)

    # duplicate-title

    def duplicate_titles(self) -> None:
        for locale in self.site.locales:
            for category in locale.categories:
                for section in category.sections:
                    first: dict[str, Article] = {}
                    for article in section.articles:
                        title = " ".join(article.title.split()).casefold()
                        if title not in first:
                            first[title] = article
                            continue
                        source = self.source(article)
                        where = f"section '{section.title}'" if section.has_page else \
                            f"category '{category.title}'"
                        self.add(DUPLICATE_TITLE,
                                 f"the {where} has another article titled '{article.title}'",
                                 source.path, source.line_of("title"),
                                 f"the other is {first[title].source.as_posix()}; give each "
                                 "article a title of its own")


def _anchors(article: _Page) -> set[str]:
    """Every id a link to a page can name: its headings, and any id in its HTML."""
    found = set()

    def walk(items: tuple[TocItem, ...]) -> None:
        for item in items:
            found.add(unquote(item.anchor))
            walk(item.children)

    walk(article.toc)
    for match in _ID.finditer(article.html):
        found.add(unquote(html.unescape(match.group(1) or match.group(2) or "")))
    return found


def _line_at(source: ArticleSource | FolderText, position: int) -> int:
    """The line of a position in the article's body."""
    return source.body_line + source.body.count("\n", 0, position)


def _targets(text: str) -> list[str]:
    found = [m.group(1) for pattern in _TARGETS for m in pattern.finditer(text)]
    for match in _SRCSET.finditer(text):
        found += [entry.split()[0] for entry in match.group(1).split(",") if entry.split()]
    return found


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _files(target: str, base: Path, root: Path) -> list[Path]:
    """The files a link target written in a file in `base` may mean."""
    parts = _split(target.strip())
    if parts is None or parts.scheme or parts.netloc or not parts.path:
        return []
    path = unquote(parts.path)
    if path.startswith("/"):
        candidates = [root / path.lstrip("/")]
    else:
        candidates = [base / path, root / path]
    return [_normal(candidate) for candidate in candidates]


def _split(url: str) -> SplitResult | None:
    """`url` in parts, or None for an address urlsplit refuses (`http://[host]:2379/`)."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def _normal(path: Path) -> Path:
    """`path` made absolute with `..` and `.` taken out, without asking the file system
    (resolving every link target of every article took most of the check's time)."""
    return Path(os.path.normpath(os.path.abspath(path)))


def _resolved(path: Path) -> Path | None:
    try:
        return path.resolve()
    except (OSError, ValueError):
        return None


@dataclass(frozen=True)
class Insights:
    """`check --insights`: the collector's database and the days of votes to weigh."""

    database: str | None
    days: int

    def warnings(self, config: Config) -> list[HelpgenError]:
        from helpgen.collect.store import existing_database
        from helpgen.report.data import Period
        from helpgen.report.insights import unhelpful_articles
        engine = existing_database(config.root, self.database)
        try:
            return unhelpful_articles(engine, config.root, Period.last(self.days))
        finally:
            engine.dispose()


@click.command("check")
@click.argument("site_dir", metavar="[SITE]", default=".",
                type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text",
              show_default=True, help="text for people, json for tools, github for GitHub "
              "Actions annotations.")
@click.option("--strict", is_flag=True, help="Treat every warning as an error.")
@click.option("--no-cache", is_flag=True,
              help="Ignore and do not update SITE/.helpgen-cache (convert every article).")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Measure stale articles on this date instead of today: what will be stale "
              "by a release, or the same result on every run.")
@click.option("--audience", type=click.Choice(AUDIENCES),
              help="Check only the site built for this audience.  [default: both: the public "
              "site, and the agents' help center with the internal articles]")
@click.option("--insights", is_flag=True,
              help="Also warn about articles most readers voted unhelpful (from the database "
              "of helpgen collect).")
@click.option("--database", metavar="URL", envvar="HELPGEN_DATABASE_URL",
              help="With --insights: the collector's database (default: "
              "SITE/.helpgen-collect/collect.db).")
@click.option("--since", "since", type=click.IntRange(1, 3650), default=90, show_default=True,
              metavar="DAYS", help="With --insights: the days of votes to weigh.")
def check_command(site_dir: Path, output_format: str, strict: bool, no_cache: bool,
                  as_of: dt.datetime | None, audience: str | None, insights: bool,
                  database: str | None, since: int):
    """Check the content of SITE (default: the current folder) without building it.

    Reports broken links and anchors, missing images, unused assets, missing and outdated
    translations, stale articles, duplicate titles, links from public articles to internal ones
    and front matter problems. Exits 1 when there are errors.
    """
    site_dir = site_dir.resolve()
    try:
        result = run_check(site_dir, strict=strict, on=as_of and as_of.date(),
                           use_cache=not no_cache,
                           audiences=(audience,) if audience else AUDIENCES,
                           insights=Insights(database, since) if insights else None)
    except Exception:  # noqa: BLE001 - bugs become a readable message, as in build
        internal_error()
    check_outcome(result, output_format, site_dir)
