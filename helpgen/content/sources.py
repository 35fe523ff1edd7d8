"""Stage 2, load: read the site folder into plain source records.

Nothing here knows about URLs or pages; it only reads files, splits front matter from body, checks
metadata keys and types, and finds each article's fallback `updated` date.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import time
from dataclasses import dataclass
from pathlib import Path

from helpgen.content.contexts import checked_contexts
from helpgen.content.history import Revision, git_history
from helpgen.infra.cache import BuildCache, content_digest
from helpgen.infra.signatures import changed_lately, signature
from helpgen.settings.config import (STRINGS, TEXT, Config, check_against_schema, describe_type,
                             has_type, type_hint)
from helpgen.errors import FRONT_MATTER, STRUCTURE, HelpgenError, Report
from helpgen.settings.locales import (article_file, is_locale, looks_like_locale, meant_locale,
                                      split_article_file)
from helpgen.settings.yamlio import KeyLines, not_a_file, parse_yaml, read_text

CATEGORY_FILE = "_category.yml"
SECTION_FILE = "_section.yml"
CATEGORY_SCHEMA = {"title": TEXT, "description": TEXT, "icon": str, "order": int,
                   "contexts": STRINGS, "audience": str}
SECTION_SCHEMA = {"title": TEXT, "description": TEXT, "order": int, "contexts": STRINGS,
                  "audience": str}
INDEX_NAME = "_index"           # _index.md, _index.zh-CN.md: a folder page's own text
INDEX_SCHEMA = {"title": str, "description": str, "aliases": STRINGS}

DATE = "date"
FRONT_MATTER_SCHEMA = {
    "title": str, "description": str, "tags": STRINGS, "order": int, "promoted": bool,
    "draft": bool, "updated": DATE, "review_by": DATE, "slug": str, "aliases": STRINGS,
    "related": STRINGS, "brands": STRINGS, "icon": str, "contexts": STRINGS,
    "translated_from": str, "audience": str,
}


@dataclass(frozen=True, slots=True)
class GroupSource:
    """A category or section folder and its optional `_category.yml` / `_section.yml`."""

    folder: Path
    category: str
    section: str | None
    meta: dict
    meta_path: Path | None
    meta_lines: KeyLines

    def line_of(self, key: str) -> int | None:
        return self.meta_lines.get((key,))


@dataclass(frozen=True, slots=True)
class ArticleSource:
    """One Markdown file: an article in one locale."""

    path: Path
    category: str
    section: str | None          # None: placed directly in the category folder
    name: str                    # file name without locale suffix and .md
    locale: str
    meta: dict
    meta_lines: KeyLines
    body: str
    body_line: int               # line number of the body's first line
    fallback_updated: dt.date    # last git commit date, else modification time
    revision: Revision | None = None   # when git says it last changed (None: git does not know)

    @property
    def key(self) -> tuple[str, str | None, str]:
        """Identifies the article across its translations."""
        return (self.category, self.section, self.name)

    def line_of(self, key: str, item: int | None = None) -> int:
        """The line of a front matter key, or of one item of its list."""
        lines = self.meta_lines
        return lines.get((key, str(item))) or lines.get((key,), 1) if item is not None \
            else lines.get((key,), 1)


@dataclass(frozen=True, slots=True)
class FolderText:
    """`_index.md` (or `_index.<locale>.md`): the text of a category's or section's page."""

    path: Path
    category: str
    section: str | None
    locale: str
    meta: dict                   # title, description and aliases, for that locale
    meta_lines: KeyLines
    body: str
    body_line: int

    line_of = ArticleSource.line_of


@dataclass(frozen=True, slots=True)
class Sources:
    categories: tuple[GroupSource, ...]
    sections: tuple[GroupSource, ...]
    articles: tuple[ArticleSource, ...]
    assets: tuple[Path, ...]
    folder_texts: tuple[FolderText, ...] = ()
    # The files of articles a public build leaves out (content/audience.py): links to them are
    # reported as such, and lead nowhere
    withheld: tuple[Path, ...] = ()


def load_sources(config: Config, report: Report, cache: BuildCache | None = None) -> Sources:
    """Read the site's articles and group settings; with `cache`, front matter is parsed again
    only for files that changed (see `_front_matter`)."""
    root = config.articles_dir
    if not root.is_dir():
        raise HelpgenError("no articles/ folder", config.root, None,
                           "create articles/<category>/<section>/<name>.md, or run 'helpgen new DIR'"
                           " to see a starter site", code=STRUCTURE)
    for path in config.theme_custom_dir.rglob("*") if config.theme_custom_dir else ():
        if not _leads_outside(path, config.root, report) and not (path.is_dir() or
                                                                   path.is_file()):
            report.add(not_a_file(path, STRUCTURE))
    if _leads_outside(root, config.root, report):
        return Sources((), (), (), ())
    cache = cache or BuildCache.disabled()
    history = article_history(config)
    categories, sections, articles, texts = [], [], [], []

    def add_article(path: Path, category: str, section: str | None) -> None:
        if path.name.split(".")[0] == INDEX_NAME:
            text = _folder_text(path, category, section, config, report)
            if text:
                texts.append(text)
            return
        article = read_article(path, category, section, config, history, report, cache)
        if article:
            articles.append(article)

    for category_dir, _ in _entries(root, report, depth=1):
        categories.append(_group(category_dir, category_dir.name, None, report))
        for entry, is_dir in _entries(category_dir, report, depth=2):
            if not is_dir:
                add_article(entry, category_dir.name, None)
                continue
            sections.append(_group(entry, category_dir.name, entry.name, report))
            for item, item_is_dir in _entries(entry, report, depth=3):
                if item_is_dir:
                    report.error("folders can only be two levels deep (category/section)",
                                 item, None, "move its articles up into the section folder "
                                 f"'{entry.relative_to(root)}', or make it a section of its own",
                                 code=STRUCTURE)
                else:
                    add_article(item, category_dir.name, entry.name)
    assets = tuple(sorted(p for p in config.assets_dir.rglob("*") if not p.name.startswith(".")
                          and not _leads_outside(p, config.root, report) and p.is_file())) \
        if config.assets_dir.is_dir() and not _leads_outside(config.assets_dir, config.root,
                                                             report) else ()
    _check_folder_texts(texts, categories + sections, report)
    return Sources(tuple(categories), tuple(sections), tuple(articles), assets, tuple(texts))


def article_history(config: Config) -> dict[Path, Revision]:
    """When each article file last changed, from git (content/history.py): its uncommitted
    edits are asked for only where there are translations, which they can outdate."""
    return git_history(config.articles_dir, uncommitted=bool(config.other_locales))


def _entries(folder: Path, report: Report, depth: int) -> list[tuple[Path, bool]]:
    """The folder's entries that matter, each with whether it is a folder, in a stable order;
    stray files are reported."""
    result = []
    with os.scandir(folder) as scan:
        listing = sorted((entry.name, *_kind(entry), entry.is_symlink()) for entry in scan)
    for name, is_dir, is_file, is_link in listing:
        entry = folder / name
        if name.startswith(".") or is_link and _leads_outside(entry, folder.parents[depth - 1],
                                                              report):
            continue
        if is_dir:
            result.append((entry, True))
        elif not is_file and name.endswith((".md", ".yml", ".yaml")):
            report.add(not_a_file(entry, STRUCTURE))
        elif depth == 1 and name.endswith(".md"):
            report.error("an article must be inside a category folder", entry, None,
                         "move it to articles/<category>/ or articles/<category>/<section>/",
                         code=STRUCTURE)
        elif name.endswith(".md"):
            result.append((entry, False))
        elif name in (CATEGORY_FILE, SECTION_FILE):
            expected = {1: None, 2: CATEGORY_FILE, 3: SECTION_FILE}[depth]
            if name != expected:
                report.error(f"{name} does not belong here", entry, None,
                             f"{CATEGORY_FILE} goes in a category folder (articles/<category>/), "
                             f"{SECTION_FILE} in a section folder (articles/<category>/<section>/)",
                             code=STRUCTURE)
        elif name.endswith((".yml", ".yaml")):
            expected = CATEGORY_FILE if depth == 2 else SECTION_FILE
            report.error(f"unknown settings file '{name}'", entry, None,
                         f"did you mean '{expected}'?", code=STRUCTURE)
        else:
            report.warn("not an article; ignored", entry, None,
                        "images and other files belong in the assets/ folder", code=STRUCTURE)
    return result


def _kind(entry: os.DirEntry) -> tuple[bool, bool]:
    """(is a folder, is an ordinary file), links followed; neither for a link that loops."""
    try:
        return entry.is_dir(), entry.is_file()
    except OSError:
        return False, False


def _leads_outside(path: Path, root: Path, report: Report) -> bool:
    """Whether `path` is a symbolic link to something outside the site folder `root`, reported
    as an error. A build never reads nor publishes what lies outside the site folder: a pull
    request could add a link to the build machine's secrets."""
    if not path.is_symlink():
        return False
    target = Path(os.path.realpath(path))
    if target == root or root in target.parents:
        return False
    report.error(f"a link to a {'folder' if target.is_dir() else 'file'} outside the site "
                 "folder", path, None, "a build reads nothing outside the site folder: copy "
                 "what it points to into the site folder instead of linking to it", code=STRUCTURE)
    return True


def _group(folder: Path, category: str, section: str | None, report: Report) -> GroupSource:
    meta_path = folder / (SECTION_FILE if section else CATEGORY_FILE)
    if not meta_path.is_file():
        return GroupSource(folder, category, section, {}, None, {})
    schema = SECTION_SCHEMA if section else CATEGORY_SCHEMA
    try:
        data, lines = parse_yaml(read_text(meta_path, code=STRUCTURE), meta_path,
                                 code=FRONT_MATTER)
    except HelpgenError as error:
        report.add(error)
        return GroupSource(folder, category, section, {}, meta_path, {})
    data = {} if data is None else data
    before = len(report.errors)
    check_against_schema(data, schema, meta_path, lines, report, code=FRONT_MATTER)
    if len(report.errors) > before or not isinstance(data, dict):
        data = {k: v for k, v in data.items() if k in schema and v is not None
                and has_type(v, schema[k])} if isinstance(data, dict) else {}
    if data.get("contexts"):
        data["contexts"] = checked_contexts(data["contexts"], meta_path, lines, report)
    return GroupSource(folder, category, section, data, meta_path, lines)


def _folder_text(path: Path, category: str, section: str | None, config: Config,
                 report: Report) -> FolderText | None:
    """`_index[.locale].md`: optional front matter (title, description), then Markdown."""
    name, locale = split_article_file(path.name, config.locales)
    if name != INDEX_NAME:
        report.error(f"'{name.partition('.')[2]}' is not one of this site's locales", path, None,
                     f"a folder page's text in another locale is named {INDEX_NAME}.<locale>.md; "
                     f"the site's locales: {', '.join(config.locales)}", code=STRUCTURE)
        return None
    try:
        text = read_text(path, code=STRUCTURE)
        if text.lstrip("\ufeff").startswith("---"):
            meta, lines, body, body_line = split_front_matter(text, path)
        else:
            meta, lines, body, body_line = {}, {}, text.lstrip("\ufeff"), 1
    except HelpgenError as error:
        report.add(error)
        return None
    before = len(report.errors)
    check_against_schema(meta, INDEX_SCHEMA, path, lines, report, code=FRONT_MATTER)
    if len(report.errors) > before:
        return None
    return FolderText(path, category, section, locale or config.default_locale, meta, lines,
                      body, body_line)


def _check_folder_texts(texts: list[FolderText], groups: list[GroupSource],
                        report: Report) -> None:
    """A title or description is set in `_category.yml`/`_section.yml` or in `_index.md`
    files, not both: which one wins would be a guess."""
    by_folder = {(group.category, group.section): group for group in groups}
    for text in texts:
        group = by_folder[(text.category, text.section)]
        for key in sorted(set(text.meta) & set(group.meta)):
            report.error(f"'{key}' is set both here and in {group.meta_path.name}", text.path,
                         text.meta_lines.get((key,)),
                         f"keep one: the {key} in {group.meta_path.name} (a map from locale to "
                         f"text gives every locale's), or in each {INDEX_NAME}.md file",
                         code=FRONT_MATTER)


def read_article(path: Path, category: str, section: str | None, config: Config,
                 history: dict[Path, Revision], report: Report, cache: BuildCache
                 ) -> ArticleSource | None:
    """The article file `path` in the folders `category` and `section` (load_sources's, and
    the live preview's for a file it was told changed); None if it cannot be read
    (reported)."""
    name, locale = split_article_file(path.name, config.locales)
    # A default-locale file's last suffix may be a locale misspelled, or one the site lacks.
    base, dot, suffix = name.rpartition(".")
    if locale is None and dot and (
            (meant := meant_locale(suffix, config.locales)) or looks_like_locale(suffix)):
        hint = "a translation is named <name>.<locale>.md"
        if meant:
            hint = f"did you mean '{meant}'? Rename the file " + article_file(
                base, None if meant == config.default_locale else meant)
        locales = ", ".join(config.locales)
        if not is_locale(suffix):
            report.warn(f"'{suffix}' is not a locale code, so this file is published as an "
                        f"article in {config.default_locale} named '{name}'", path, None,
                        f"{hint}; the site's locales: {locales}", code=STRUCTURE)
        else:
            if config.locales_known:     # else helpgen.yml's own error says enough
                report.error(f"'{suffix}' is not one of this site's locales", path, None,
                             f"{hint}, or add '{suffix}' to locales.others in "
                             f"helpgen.yml; the site's locales: {locales}", code=STRUCTURE)
            return None
    locale = locale or config.default_locale
    try:
        (meta, lines, body, body_line), modified = _front_matter(path, cache)
    except HelpgenError as error:
        report.add(error)
        return None
    meta = _checked_front_matter(dict(meta), lines, path, report)
    if meta is None:
        return None
    revision = history.get(path.resolve()) if history else None
    fallback = (revision and revision.date) or dt.datetime.fromtimestamp(
        modified / 1e9, dt.timezone.utc).date()
    return ArticleSource(path, category, section, name, locale, meta, lines, body, body_line,
                         fallback, revision)


def _front_matter(path: Path, cache: BuildCache) -> tuple[tuple[dict, KeyLines, str, int], int]:
    """The file's split front matter and body, and its modification time (ns).

    Cached by path with the file's size, modification and change times and inode: a file whose
    four are unchanged is not read again. Writing a file always sets its change time, which no
    tool can set back, so an edit that keeps the size and restores the modification time (as
    `touch -r` or some sync tools do) is still seen. Two writes within one timestamp tick are not
    told apart by their times, so, like git ("racily clean" files), a file read less than
    racy_window() after it changed is read again and compared by content on later builds,
    until a build reads it when it has not changed for that long.
    """
    read_at = time.time_ns()
    file = signature(path)
    key = str(path)
    entry = cache.get("source", key)
    if entry is not None:
        old_signature, old_read_at, old_digest, kept = entry
        if old_signature == file and not changed_lately(old_signature, old_read_at):
            return _unpacked(kept), file[1]
    text = read_text(path, code=STRUCTURE)
    text_digest = content_digest(text.encode("utf-8", "surrogatepass"))
    if entry is not None and text_digest == old_digest:
        parsed = _unpacked(kept)
        if old_signature == file and changed_lately(file, read_at):
            return parsed, file[1]               # the same text, still racy: ask again next time
    else:
        parsed = split_front_matter(text, path)
        kept = _packed(parsed)
    cache.put("source", key, (file, read_at, text_digest, kept))
    return parsed, file[1]


def _packed(parsed: tuple[dict, KeyLines, str, int]) -> tuple[dict, KeyLines, bytes, int]:
    """A file's split front matter and body as the cache keeps them: the body as UTF-8. A str
    pickled (to the cache) keeps a UTF-8 copy of itself for as long as it lives, which the
    article's body would then hold through the build."""
    meta, lines, body, body_line = parsed
    return meta, lines, body.encode("utf-8", "surrogatepass"), body_line


def _unpacked(kept: tuple[dict, KeyLines, bytes, int]) -> tuple[dict, KeyLines, str, int]:
    meta, lines, body, body_line = kept
    return meta, lines, body.decode("utf-8", "surrogatepass"), body_line


def split_front_matter(text: str, path: Path) -> tuple[dict, KeyLines, str, int]:
    """Split `---` YAML front matter from the Markdown body."""
    text = text.lstrip("\ufeff")
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise HelpgenError("missing front matter (an article must start with a 'title')", path, 1,
                           "start the file with three lines:  ---  /  title: Your title  /  ---",
                           code=FRONT_MATTER)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            break
    else:
        raise HelpgenError("front matter is not closed", path, 1,
                           "end the front matter with a line containing only ---",
                           code=FRONT_MATTER)
    data, key_lines = parse_yaml("\n".join(lines[1:index]), path, first_line=2,
                                 code=FRONT_MATTER)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise HelpgenError("front matter must be 'key: value' lines", path, 2,
                           "write e.g.  title: Reset your password", code=FRONT_MATTER)
    return data, key_lines, "\n".join(lines[index + 1:]), index + 2


def _checked_front_matter(meta: dict, lines: KeyLines, path: Path, report: Report) -> dict | None:
    ok = True
    for key, value in meta.items():
        kind = FRONT_MATTER_SCHEMA.get(key)
        if kind is None:
            close = difflib.get_close_matches(str(key), FRONT_MATTER_SCHEMA, n=1, cutoff=0.75)
            if close:
                report.warn(f"unknown front matter key '{key}'", path, lines.get((key,)),
                            f"did you mean '{close[0]}'?", code=FRONT_MATTER)
            continue
        if kind == DATE:
            if isinstance(value, dt.datetime):
                meta[key] = value = value.date()
            if not isinstance(value, dt.date):
                report.error(f"'{key}' must be a date like 2026-03-31, not '{value}'", path,
                             lines.get((key,)), "write the date as YYYY-MM-DD, without quotes",
                             code=FRONT_MATTER)
                ok = False
        elif value is not None and not has_type(value, kind):
            report.error(f"'{key}' must be {describe_type(kind)}", path, lines.get((key,)),
                         _type_hint(key) or type_hint(kind), code=FRONT_MATTER)
            ok = False
    title = meta.get("title")
    if ok and (not isinstance(title, str) or not title.strip()):
        typo = difflib.get_close_matches("title", [str(k) for k in meta], n=1, cutoff=0.6)
        hint = f"did you mean 'title' instead of '{typo[0]}'?" if typo else \
            "add a line  title: Your article title  to the front matter"
        report.error("the article has no title", path, lines.get(("title",), 1), hint,
                     code=FRONT_MATTER)
        ok = False
    if ok and meta.get("contexts"):
        meta["contexts"] = checked_contexts(meta["contexts"], path, lines, report)
    return meta if ok else None


def _type_hint(key: str) -> str | None:
    return {
        "tags": "write a list, e.g.  tags: [billing, refunds]",
        "aliases": "write a list of old URLs, e.g.  aliases: [/old/path/]",
        "related": "write a list of article paths, e.g.  related: [billing/refunds/policy.md]",
        "contexts": "write a list of your product's pages, e.g.  contexts: [/billing/*, "
                    "label:billing]",
        "order": "write a whole number, e.g.  order: 2",
        "promoted": "write true or false",
        "draft": "write true or false",
        "title": "put the title in quotes if it starts with a special character",
    }.get(key)


def git_dates(folder: Path) -> dict[Path, dt.date]:
    """Last commit date of every file under `folder` (empty if no git): see content/history.py."""
    return {path: revision.date for path, revision in
            git_history(folder, uncommitted=False).items() if revision.date}
