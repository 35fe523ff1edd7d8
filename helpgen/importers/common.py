"""What both importers share: the staged site folder, safe front matter, names and the report.

An import is written to a hidden staging folder beside DEST that is renamed to DEST only when
everything succeeded, so a failed import leaves nothing behind, and DEST is never overwritten.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

import yaml

from helpgen.content import sanitize
from helpgen.settings.address import LINK_SCHEMES, url_scheme
from helpgen.settings.config import SCHEMA
from helpgen.errors import HelpgenError
from helpgen.content.sources import CATEGORY_FILE, SECTION_FILE
from helpgen.settings.locales import LOCALE_EXAMPLES, canonical, is_locale, language
from helpgen.content.urls import normalize_alias, slugify

REPORT_FILE = "IMPORT-REPORT.md"
SAME_URL = "the imported site uses this URL itself"
UNSAFE_HTML = "Unsafe HTML removed"
LIST_LIMIT = 50
NAME_BYTES = 120
MAX_DEPTH = 40                  # levels of HTML nesting imported as they are


def _reserved() -> set[str]:
    """Names helpgen uses at the root of each locale (content/placement.py's rule, folded as it
    folds them); no category or old URL may take them."""
    from helpgen.content.placement import RESERVED_NAMES
    return {name.casefold() for name in RESERVED_NAMES}


RESERVED = _reserved()


# --- Names ---------------------------------------------------------------------------------


def name_slug(text: str, fallback: str = "page") -> str:
    """A file or folder name: ASCII where the text is Latin (accents dropped), Unicode letters
    kept otherwise (`账单` stays), never empty, never containing a dot, at most NAME_BYTES
    long."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    slug = slugify(stripped.replace("_", "-"))
    # Short enough for any file system (255 bytes a name) with `-2` and `.zh-TW.md` added.
    slug = slug.encode("utf-8")[:NAME_BYTES].decode("utf-8", "ignore").strip("-")
    return slug or fallback


def unique_name(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`… whichever is not in `taken` (compared casefolded); the
    result is added to `taken`."""
    name, number = base, 1
    while name.casefold() in taken:
        number += 1
        name = f"{base}-{number}"
    taken.add(name.casefold())
    return name


def category_name(base: str, taken: set[str], locales) -> str:
    """A unique category folder name that is not one of helpgen's reserved names or locales."""
    blocked = set(taken) | RESERVED | {code.casefold() for code in locales}
    name = unique_name(base, blocked)
    taken.add(name.casefold())
    return name


def helpgen_locale(code: str, siblings=(), where: tuple = (None, None)) -> str:
    """A helpgen locale code for a MkDocs or Zendesk one: zh → zh-CN, zh_TW / zh-Hant → zh-TW,
    en-us → en when no other English variant is present (`siblings`), pt_br → pt-BR. Anything
    that does not become a locale code is an error at `where` (path, line)."""
    locale = _locale(str(code).strip().replace("_", "-"), siblings)
    if not is_locale(locale):
        raise HelpgenError(f"'{code}' is not a locale code", *where,
                           f"use codes like {LOCALE_EXAMPLES}")
    return locale


def _locale(code: str, siblings) -> str:
    base = language(code).lower()
    rest = [p for p in code.split("-")[1:] if p]
    if base == "zh":
        tags = {p.lower() for p in rest}
        if tags & {"tw", "hk", "mo", "hant"}:
            return "zh-HK" if "hk" in tags and "hant" not in tags else "zh-TW"
        return "zh-CN"
    if not rest:
        return base
    variants = {language(str(s).replace("_", "-")).lower() + "|" + str(s).lower()
                for s in siblings}
    same_language = {v for v in variants if v.split("|")[0] == base}
    if len(same_language) <= 1:
        return base
    return canonical(f"{base}-{rest[-1]}") or code


def article_url(folder_parts: tuple[str, ...], name: str, locale_prefix: str = "",
                slug: str | None = None) -> str:
    """The URL helpgen gives an article file (its folders and name are already slugs), or the
    article with a `slug:`."""
    return locale_prefix + "".join(f"{slugify(p)}/" for p in folder_parts) + \
        f"{slug or slugify(name)}/"


class Aliases:
    """Decides which old URLs can become `aliases`: not the home page, not a URL the imported
    site itself uses, not a reserved name, and each one only once."""

    def __init__(self, new_urls: set[str], other_locales=()):
        self.new_urls = {url.casefold() for url in new_urls}
        self.locales = {code.casefold() for code in other_locales}
        self.claimed: set[str] = set()

    def accept(self, old_path: str) -> tuple[str | None, str | None]:
        """(alias to write, None) or (None, why it was left out)."""
        alias = "/" + old_path.lstrip("/")
        path = normalize_alias(alias)
        if path is None:
            if alias.strip("/") == "":
                return None, "it is the home page, which stays the home page"
            return None, "it cannot be written as a path inside the site"
        folded = path.casefold()
        if folded == "":
            return None, "it is the home page, which stays the home page"
        if folded in self.new_urls:
            return None, SAME_URL
        segments = folded.split("/")
        if segments[0] in self.locales and segments[1:] == [""]:
            return None, "it is a locale's home page"
        if segments[segments[0] in self.locales and len(segments) > 1] in RESERVED:
            return None, "helpgen uses this URL for its own pages"
        if folded in self.claimed:
            return None, "another page already keeps this URL"
        self.claimed.add(folded)
        return alias, None


# --- Reading safely ---------------------------------------------------------------------------


def contained(path: Path, root: Path) -> Path | None:
    """`path` with its symlinks resolved, or None when that lands outside `root` (also
    resolved): an importer reads no file outside the project it imports, however a setting, a
    link or a symlink names it."""
    real = Path(path).resolve()
    return real if real.is_relative_to(Path(root).resolve()) else None


def split_url(url: str) -> SplitResult:
    """urlsplit, except that an address it cannot read (`http://[oops`) splits into nothing
    instead of raising: imported links are written by anyone."""
    try:
        return urlsplit(str(url))
    except ValueError:
        return SplitResult("", "", "", "", "")


def unsafe_url(url: str, what: str) -> str:
    """A link `url` an import drops (see sanitize.safe_url), in words: "a javascript: link", "an
    unreadable image address"."""
    scheme = url_scheme(url)
    return f"a {scheme}: {what}" if scheme not in ("", *LINK_SCHEMES) else \
        f"an unreadable {what} address"


def clean_html(html: str) -> tuple[str, list[str]]:
    """Imported HTML through helpgen/content/sanitize.py's policy for imports, with elements nested
    deeper than MAX_DEPTH flattened; returns the clean HTML and what was removed, in words,
    for IMPORT-REPORT.md."""
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(html, "html.parser")
    flattened = sanitize.flatten(soup, MAX_DEPTH)
    clean, removed = sanitize.clean_html(str(soup), imported=True)
    found = [what for what, _ in removed]
    if flattened:
        found.append(f"the formatting of elements nested more than {MAX_DEPTH} levels deep "
                     "(their text is kept)")
    return clean, found


def describe_removals(removals: list[str], verb: str = "removed") -> str:
    """`removals` on one line, repeats counted: "removed <script> (2×), …"."""
    return ", ".join(f"{verb} {item}" + ("" if number == 1 else f" ({number}×)")
                     for item, number in Counter(removals).items())


# --- Writing -------------------------------------------------------------------------------


def dump_yaml(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000,
                          default_flow_style=False)


def article_text(meta: dict, body: str) -> str:
    """An article file: YAML front matter (written by yaml.safe_dump, so any title is safe) and
    the Markdown body; without front matter (a folder's `_index.md`), the body alone."""
    clean = {k: v for k, v in meta.items() if v is not None and v != [] and v != ""}
    body = body.strip("\n")
    head = "---\n" + dump_yaml(clean) + "---\n\n" if clean or body.startswith("---") else ""
    return head + (body + "\n" if body else "")


def check_dest(dest: Path) -> None:
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise HelpgenError("the destination folder is not empty", dest, None,
                           "choose a new folder name; helpgen import never overwrites files")


def folder_import(kind: str, source: Path, dest: Path, hint: str,
                  counted: tuple[str, ...]) -> ImportReport:
    """The report of an import of the folder `source` into `dest`, once both are usable: a
    source that is no folder, or a `dest` that is not empty, stops it before anything is read."""
    if not source.is_dir():
        raise HelpgenError("not a folder", source, None, hint)
    check_dest(dest)
    return ImportReport(kind, str(source.resolve()), counts=dict.fromkeys(counted, 0))


class SiteWriter:
    """Writes a helpgen site folder into a staging folder; `commit` moves it to DEST."""

    def __init__(self, dest: Path):
        self.dest = dest.resolve() if dest.exists() else dest.absolute()
        check_dest(self.dest)
        self.dest.parent.mkdir(parents=True, exist_ok=True)
        self.stage = Path(tempfile.mkdtemp(prefix=f".{self.dest.name}.import-",
                                           dir=self.dest.parent))
        self.assets: dict[str, str] = {}         # key of the source file -> "assets/…" path
        self.asset_names: set[str] = set()

    def __enter__(self):
        return self

    def __exit__(self, kind, value, tb):
        if self.stage.exists():
            shutil.rmtree(self.stage, ignore_errors=True)
        return False

    def _write(self, relative: str, text: str) -> Path:
        path = self.stage / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def article(self, relative: str, meta: dict, body: str) -> None:
        """Write `articles/<relative>` (relative like "billing/refunds/reset.md")."""
        self._write(f"articles/{relative}", article_text(meta, body))

    def group(self, folder: str, meta: dict) -> None:
        """Write `_category.yml` (folder "billing") or `_section.yml` (folder "billing/refunds")."""
        clean = {k: v for k, v in meta.items() if v not in (None, "", {})}
        if not clean:
            return
        name = SECTION_FILE if "/" in folder else CATEGORY_FILE
        self._write(f"articles/{folder}/{name}", dump_yaml(clean))

    def asset(self, source: Path, wanted: str) -> str:
        """Copy `source` to `assets/<wanted>` (renamed if taken); returns its site path. The same
        source file is copied once."""
        key = str(source.resolve())
        if key in self.assets:
            return self.assets[key]
        wanted = posixpath.normpath(wanted.lstrip("/")).lstrip("./") or source.name
        folder, name = posixpath.split(wanted)
        stem, dot, ext = name.rpartition(".") if "." in name else (name, "", "")
        candidate, number = wanted, 1
        while candidate.casefold() in self.asset_names:
            number += 1
            candidate = posixpath.join(folder, f"{stem}-{number}{dot}{ext}")
        self.asset_names.add(candidate.casefold())
        target = self.stage / "assets" / candidate
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        self.assets[key] = f"assets/{candidate}"
        return self.assets[key]

    def asset_bytes(self, wanted: str, data: bytes) -> str:
        candidate = wanted
        number = 1
        while candidate.casefold() in self.asset_names:
            number += 1
            stem, _, ext = wanted.rpartition(".")
            candidate = f"{stem}-{number}.{ext}"
        self.asset_names.add(candidate.casefold())
        target = self.stage / "assets" / candidate
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return f"assets/{candidate}"

    def config(self, data: dict) -> None:
        """Write helpgen.yml; only keys of helpgen's schema are allowed."""
        for section, values in data.items():
            assert section in SCHEMA and all(k in SCHEMA[section] for k in values), section
        clean = {s: {k: v for k, v in values.items() if v not in (None, "", [], {})}
                 for s, values in data.items()}
        self._write("helpgen.yml", dump_yaml({s: v for s, v in clean.items() if v}))

    def text(self, relative: str, text: str) -> None:
        self._write(relative, text)

    def commit(self) -> Path:
        if self.dest.exists():
            check_dest(self.dest)
            self.dest.rmdir()
        self.stage.rename(self.dest)
        return self.dest


# --- The report ----------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import carried over, and what it could not (IMPORT-REPORT.md in DEST)."""

    kind: str                                   # "MkDocs" or "Zendesk"
    source: str
    counts: dict[str, int] = field(default_factory=dict)
    not_carried: dict[str, list[str]] = field(default_factory=dict)
    attention: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def count(self, what: str, number: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + number

    def skip(self, topic: str, item: str) -> None:
        """Something the source has that helpgen does not carry."""
        items = self.not_carried.setdefault(topic, [])
        if item not in items:
            items.append(item)

    def check(self, topic: str, item: str) -> None:
        """Something imported that a person should look at."""
        items = self.attention.setdefault(topic, [])
        if item not in items:
            items.append(item)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def render(self) -> str:
        lines = [f"# Import report: {self.kind}", "", f"Imported from `{self.source}`.", ""]
        if self.counts:
            lines += [f"- {what}: {number}" for what, number in self.counts.items()] + [""]
        lines += ["## Not carried", ""]
        if self.not_carried:
            lines += ["helpgen has no equivalent for these; they were left out.", ""]
            for topic, items in self.not_carried.items():
                lines += [f"### {topic}", ""] + _bullets(items) + [""]
        else:
            lines += ["Everything was carried.", ""]
        if self.attention:
            lines += ["## Check these", ""]
            for topic, items in self.attention.items():
                lines += [f"### {topic}", ""] + _bullets(items) + [""]
        if self.notes:
            lines += ["## Notes", ""] + [f"- {note}" for note in self.notes] + [""]
        lines += ["## Next", "", "Run `helpgen build .` in this folder (add `--strict` in CI), "
                  "then delete this file when you are done with it.", ""]
        return "\n".join(lines)

    def summary(self) -> str:
        parts = ", ".join(f"{number} {what}" for what, number in self.counts.items())
        lines = [f"Imported {parts}." if parts else "Imported nothing."]
        for title, group in (("not carried", self.not_carried), ("to check", self.attention)):
            if group:
                lines.append(f"  {title}: " + "; ".join(
                    f"{topic} ({len(items)})" for topic, items in group.items()))
        return "\n".join(lines)


def _bullets(items: list[str]) -> list[str]:
    shown = [f"- {item}" for item in items[:LIST_LIMIT]]
    if len(items) > LIST_LIMIT:
        shown.append(f"- … and {len(items) - LIST_LIMIT} more")
    return shown


def relative_link(from_file: str, to_file: str) -> str:
    """A relative path from one file inside the site folder to another (POSIX paths)."""
    return posixpath.relpath(to_file, posixpath.dirname(from_file) or ".")


FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})")


def outside_code(text: str):
    """Yield (is_code, chunk) for the lines of Markdown `text`, marking fenced code blocks."""
    lines = text.split("\n")
    buffer: list[str] = []
    fence: str | None = None
    for index, line in enumerate(lines):
        ending = "\n" if index < len(lines) - 1 else ""
        match = FENCE.match(line)
        if fence is None and match:
            if buffer:
                yield False, "".join(buffer)
                buffer = []
            fence = match.group(2)
            buffer.append(line + ending)
        elif fence is not None:
            buffer.append(line + ending)
            stripped = line.strip()
            if stripped.startswith(fence[0] * len(fence)) and set(stripped) == {fence[0]}:
                yield True, "".join(buffer)
                buffer, fence = [], None
        else:
            buffer.append(line + ending)
    if buffer:
        yield fence is not None, "".join(buffer)
