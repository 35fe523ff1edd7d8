"""`helpgen import zendesk`: a Zendesk Help Center export as a help center.

The input is what the Help Center API returns: one JSON file with `categories`, `sections` and
`articles` lists (and optionally `translations`), or a folder with categories.json,
sections.json, articles.json (and translations.json), each a list or an API response page.
Articles in several locales are either separate entries with the same `id` (as
`/api/v2/help_center/{locale}/articles` returns them) or translation objects (`source_id`).

Bodies are converted from HTML to Markdown with markdownify. Links to other exported articles
become relative `.md` links; every article keeps its old URL (and its `/articles/{id}` form) as
an alias. Nothing is downloaded: images stay where Zendesk serves them, and are reported.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin

from helpgen.errors import HelpgenError
from helpgen.importers.common import (REPORT_FILE, SAME_URL, UNSAFE_HTML, Aliases, ImportReport,
                                      SiteWriter, article_url, category_name, check_dest,
                                      clean_html, contained, describe_removals, helpgen_locale,
                                      name_slug, relative_link, split_url, unique_name)
from helpgen.settings.locales import LOCALE_PATTERN, article_file
from helpgen.content.sanitize import safe_url, video_host
from helpgen.content.urls import markdown_destination
from helpgen.settings.yamlio import read_text

FILES = ("categories", "sections", "articles", "translations")
# Zendesk writes its locales in lower case: /hc/en-us/, /hc/es-419/.
ARTICLE_PATH = re.compile(rf"^/hc/(?:(?P<locale>{LOCALE_PATTERN})/)?articles/(?P<id>\d+)", re.I)
GROUP_PATH = re.compile(rf"^/hc/(?:{LOCALE_PATTERN}/)?(?:sections|categories)/\d+", re.I)
GENERAL_TITLE = {"en": "General", "zh-CN": "常规", "zh-TW": "一般", "ja": "一般"}


# --- Reading the export ----------------------------------------------------------------------


@dataclass
class _Source:
    """Where a record came from, to point at it in errors."""

    path: Path
    text: str

    def line_of(self, needle: str) -> int | None:
        position = self.text.find(needle)
        return self.text.count("\n", 0, position) + 1 if position >= 0 else None

    def where(self, value) -> tuple[Path, int | None]:
        """The file and the line where the JSON value `value` is first written."""
        return self.path, self.line_of(json.dumps(value, ensure_ascii=False))


def _load_json(path: Path) -> tuple[object, _Source]:
    text = read_text(path, code=None, hint="export the data again as UTF-8 JSON")
    try:
        return json.loads(text), _Source(path, text)
    except json.JSONDecodeError as exc:
        raise HelpgenError(f"invalid JSON: {exc.msg} (column {exc.colno})", path, exc.lineno,
                           "check that the export was saved completely: a cut-off download "
                           "ends in the middle of a record") from None


def _records(value, key: str, source: _Source) -> list[dict]:
    """A list of records from a list, or from an API response page {key: [...]}."""
    if isinstance(value, dict) and key in value:
        value = value[key]
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise HelpgenError(f"'{key}' must be a list of objects", source.path,
                           source.line_of(f'"{key}"'),
                           f'write it as the Help Center API returns it: {{"{key}": [{{…}}]}}')
    return value


def read_export(path: Path) -> dict[str, list[tuple[dict, _Source]]]:
    """The export's records by kind, each with the file it came from."""
    data: dict[str, list[tuple[dict, _Source]]] = {kind: [] for kind in FILES}
    if path.is_dir():
        found = False
        for kind in FILES:
            file = path / f"{kind}.json"
            if file.is_symlink() and contained(file, path) is None:
                raise HelpgenError(f"{kind}.json is a link to a file outside the export folder",
                                   file, None, "copy the file into the folder; helpgen reads "
                                   "only the export's own files")
            if file.is_file():
                found = True
                value, source = _load_json(file)
                data[kind] = [(r, source) for r in _records(value, kind, source)]
        if not found or not data["articles"] and not (path / "articles.json").is_file():
            raise HelpgenError("no articles.json in this folder", path, None,
                               "give a folder with categories.json, sections.json and "
                               "articles.json, or one JSON file with all three lists")
        return data
    if not path.is_file():
        raise HelpgenError("the export does not exist", path, None,
                           "give a JSON file or a folder with articles.json")
    value, source = _load_json(path)
    if not isinstance(value, dict) or "articles" not in value:
        raise HelpgenError("this is not a Help Center export: no 'articles' list", path, 1,
                           'the file should hold {"categories": […], "sections": […], '
                           '"articles": […]}')
    for kind in FILES:
        data[kind] = [(r, source) for r in _records(value.get(kind), kind, source)]
    return data


# --- HTML to Markdown ---------------------------------------------------------------------------


def _converter_class():
    from markdownify import MarkdownConverter

    class Converter(MarkdownConverter):
        """markdownify, with output that Python-Markdown reads the same way: nested list content
        indented by four spaces, heading ids kept (`{ #id }`), text that looks like HTML or like
        Markdown links and attributes (`[x](…)`, `{: …}`) kept as text, only safe URLs in links
        and images, embeds (iframes from VIDEO_HOSTS) kept as HTML."""

        def escape(self, text, parent_tags):
            if not text:
                return ""
            text = super().escape(text.replace("\\", "\\\\"), parent_tags)
            text = re.sub(r"([\[\]{}])", r"\\\1", text)
            text = re.sub(r"&(?=#?[A-Za-z0-9]+;)", "&amp;", text)
            return text.replace("<", "&lt;")

        def convert_a(self, el, text, parent_tags):
            href = str(el.get("href") or "")
            if not safe_url(href):
                return text
            el["href"] = markdown_destination(href)
            return super().convert_a(el, text, parent_tags)

        def convert_img(self, el, text, parent_tags):
            src = str(el.get("src") or "")
            alt = self.escape(str(el.get("alt") or ""), parent_tags)
            if not src or not safe_url(src):
                return alt
            el["src"], el["alt"] = markdown_destination(src), alt
            return super().convert_img(el, text, parent_tags)

        def convert_li(self, el, text, parent_tags):
            text = (text or "").strip()
            if not text:
                return "\n"
            parent = el.parent
            if parent is not None and parent.name == "ol":
                start = parent.get("start")
                start = int(start) if start and str(start).isdigit() else 1
                bullet = f"{start + len(el.find_previous_siblings('li'))}. "
            else:
                bullet = "- "
            indented = "\n".join("    " + line if line.strip() else ""
                                 for line in text.split("\n"))
            return bullet + indented[4:] + "\n"

        def convert_hN(self, n, el, text, parent_tags):
            result = super().convert_hN(n, el, text, parent_tags)
            anchor = el.get("id")
            if anchor and result.strip() and re.match(r"^[\w:.-]+$", anchor):
                result = result.rstrip("\n") + f" {{ #{anchor} }}\n\n"
            return result

        def convert_iframe(self, el, text, parent_tags):
            src = str(el.get("src") or "")
            if not video_host(src):
                return ""
            attrs = " ".join(f'{k}="{html.escape(str(v))}"' for k, v in (
                ("src", src), ("width", el.get("width")), ("height", el.get("height")),
                ("title", el.get("title"))) if v)
            return f"\n\n<iframe {attrs} allowfullscreen></iframe>\n\n"

    return Converter


def html_to_markdown(soup) -> str:
    converter = _converter_class()(heading_style="ATX", bullets="-", table_infer_header=True,
                                   escape_underscores=False, code_language_callback=_language)
    text = converter.convert_soup(soup)
    lines = [line.rstrip() if line.strip("\xa0 \t") else "" for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def _language(el) -> str | None:
    for node in (el, el.find("code")):
        for cls in (node.get("class") or []) if node is not None else []:
            if cls.startswith(("language-", "lang-")) and re.fullmatch(r"[\w+#.-]+", cls):
                return cls.split("-", 1)[1]
    return None


# --- The model -------------------------------------------------------------------------------


@dataclass
class _Group:
    id: object
    names: dict = field(default_factory=dict)            # helpgen locale -> name
    descriptions: dict = field(default_factory=dict)
    position: int | None = None
    parent: object = None                                 # category id of a section
    html_urls: list = field(default_factory=list)
    folder: str = ""
    taken: set = field(default_factory=set)               # casefolded names inside


@dataclass
class _Entry:
    """An article in one locale."""

    record: dict
    source: _Source
    locale: str                                           # helpgen locale


@dataclass
class _Article:
    id: object
    entries: dict = field(default_factory=dict)           # helpgen locale -> _Entry
    primary: _Entry | None = None
    section: _Group | None = None
    category: _Group | None = None
    name: str = ""

    @property
    def folder(self) -> str:
        return self.section.folder if self.section else self.category.folder

    def file(self, locale: str | None = None) -> str:
        translation = locale if locale != self.primary.locale else None
        return f"{self.folder}/{article_file(self.name, translation)}"

    @property
    def draft(self) -> bool:
        return self.primary.record.get("draft") is True


class _Importer:
    def __init__(self, data, writer: SiteWriter, report: ImportReport):
        self.data, self.writer, self.report = data, writer, report
        zendesk_locales = [str(r.get("locale")) for kind in FILES for r, _ in data[kind]
                           if r.get("locale")]
        zendesk_locales += [str(r.get("source_locale")) for r, _ in data["articles"]
                            if r.get("source_locale")]
        self.siblings = sorted(set(zendesk_locales))
        sources = Counter(helpgen_locale(str(code), self.siblings, source.where(code))
                          for r, source in data["articles"]
                          if (code := r.get("source_locale") or r.get("locale")))
        self.default = sources.most_common(1)[0][0] if sources else "en"
        self.locales: list[str] = [self.default]
        self.categories: dict[object, _Group] = {}
        self.sections: dict[object, _Group] = {}
        self.articles: dict[object, _Article] = {}
        self.category_names: set[str] = set()
        self.origin = ""

    def locale(self, code, source: _Source) -> str:
        """The helpgen locale of a Zendesk one (the default for none); a code that is no locale
        is an error at its line."""
        locale = helpgen_locale(str(code), self.siblings, source.where(code)) if code else \
            self.default
        if locale not in self.locales:
            self.locales.append(locale)
        return locale

    # Reading

    def read(self) -> None:
        for kind, target in (("categories", self.categories), ("sections", self.sections)):
            for record, source in self.data[kind]:
                key = _id(record, kind, source)
                group = target.setdefault(key, _Group(key))
                locale = self.locale(record.get("locale"), source)
                name = record.get("name") or record.get("title")
                if name:
                    group.names[locale] = str(name).strip()
                if record.get("description"):
                    group.descriptions[locale] = str(record["description"]).strip()
                if isinstance(record.get("position"), int) and (
                        group.position is None or locale == self.default):
                    group.position = record["position"]
                if kind == "sections":
                    group.parent = record.get("category_id", group.parent)
                    if record.get("parent_section_id"):
                        self.report.note(f"Section {key} is nested in section "
                                         f"{record['parent_section_id']} in Zendesk; helpgen "
                                         "has one level of sections, so it sits beside it.")
                if record.get("html_url"):
                    group.html_urls.append(str(record["html_url"]))
        for record, source in self.data["articles"]:
            key = _id(record, "articles", source)
            article = self.articles.setdefault(key, _Article(key))
            self._entry(article, record, source)
            for translation in record.get("translations") or ():
                if isinstance(translation, dict):
                    self._entry(article, {**record, **translation, "id": key}, source)
        for record, source in self.data["translations"]:
            if str(record.get("source_type", "Article")).lower() != "article":
                self._group_translation(record, source)
                continue
            key = record.get("source_id")
            if key not in self.articles:
                self.report.check("Translations of articles that are not in the export "
                                  "(skipped)", f"{record.get('locale')} translation of {key}")
                continue
            base = self.articles[key].primary.record
            self._entry(self.articles[key], {**base, **record, "id": key}, source)
        for article in self.articles.values():
            source_locale = article.primary.record.get("source_locale")
            wanted = self.locale(source_locale, article.primary.source) if source_locale else \
                self.default
            article.primary = article.entries.get(wanted) or article.entries.get(
                self.default) or next(iter(article.entries.values()))
        for url in (e.record.get("html_url") for a in self.articles.values()
                    for e in a.entries.values()):
            if url and split_url(str(url)).netloc:
                parts = split_url(str(url))
                self.origin = f"{parts.scheme}://{parts.netloc}"
                break

    def _entry(self, article: _Article, record: dict, source: _Source) -> None:
        locale = self.locale(record.get("locale"), source)
        if locale in article.entries and article.entries[locale].record is not record:
            existing = article.entries[locale].record
            if str(existing.get("locale")) != str(record.get("locale")):
                self.report.skip("Locales", f"{record.get('locale')} of article {article.id}: "
                                 f"{existing.get('locale')} already became {locale}")
                return
        article.entries[locale] = _Entry(record, source, locale)
        if article.primary is None:
            article.primary = article.entries[locale]

    def _group_translation(self, record: dict, source: _Source) -> None:
        kind = str(record.get("source_type", "")).lower()
        target = {"category": self.categories, "section": self.sections}.get(kind)
        group = target.get(record.get("source_id")) if target is not None else None
        if group is not None and record.get("title"):
            group.names[self.locale(record.get("locale"), source)] = str(record["title"]).strip()

    # Placing

    def place(self) -> None:
        general: _Group | None = None

        def fallback_category() -> _Group:
            nonlocal general
            if general is None:
                general = _Group("general", {loc: GENERAL_TITLE.get(loc, GENERAL_TITLE["en"])
                                             for loc in self.locales}, position=10_000)
                self.categories["general"] = general
                general.folder = category_name("general", self.category_names, self.locales)
            return general

        for category in sorted(self.categories.values(), key=_group_order):
            category.folder = category_name(
                name_slug(self._name(category), f"category-{category.id}"),
                self.category_names, self.locales)
        for section in sorted(self.sections.values(), key=_group_order):
            category = self.categories.get(section.parent)
            if category is None:
                category = fallback_category()
                self.report.check("Sections whose category is not in the export (put in "
                                  "General)", self._name(section))
            name = unique_name(name_slug(self._name(section), f"section-{section.id}"),
                               category.taken)
            section.folder = f"{category.folder}/{name}"
            section.parent = category.id
        for article in sorted(self.articles.values(), key=self._article_order):
            record = article.primary.record
            article.section = self.sections.get(record.get("section_id"))
            if article.section is None:
                article.category = fallback_category()
                self.report.check("Articles whose section is not in the export (put in "
                                  "General)", str(record.get("title")))
                taken = article.category.taken
            else:
                article.category = self.categories.get(article.section.parent) or \
                    fallback_category()
                taken = article.section.taken
            article.name = unique_name(name_slug(str(record.get("title") or ""),
                                                 f"article-{article.id}"), taken)

    def _article_order(self, article: _Article):
        record = article.primary.record
        position = record.get("position")
        return (position if isinstance(position, int) else 10**9,
                str(record.get("title") or "").casefold(), str(article.id))

    def _name(self, group: _Group) -> str:
        return group.names.get(self.default) or next(iter(group.names.values()), "") or \
            str(group.id)

    # Writing

    def new_urls(self) -> set[str]:
        urls = set()
        for locale in self.locales:
            prefix = "" if locale == self.default else f"{locale}/"
            urls.add(prefix)
            for group in (*self.categories.values(), *self.sections.values()):
                if group.folder:
                    urls.add(prefix + "".join(f"{p}/" for p in group.folder.split("/")))
            for article in self.articles.values():
                urls.add(article_url(tuple(article.folder.split("/")), article.name, prefix))
        return urls

    def write(self) -> None:
        from bs4 import BeautifulSoup

        aliases = Aliases(self.new_urls(), self.locales[1:])
        for article in sorted(self.articles.values(), key=lambda a: (a.folder, a.name)):
            primary = article.primary
            for locale, entry in sorted(article.entries.items(),
                                        key=lambda item: (item[1] is not primary, item[0])):
                record = entry.record
                is_primary = entry is primary
                title = " ".join(str(record.get("title") or record.get("name") or "").split())
                meta: dict = {"title": title or f"Article {article.id}"}
                if is_primary:
                    labels = [str(label) for label in record.get("label_names") or () if label]
                    meta["tags"] = list(dict.fromkeys(labels))
                    if isinstance(record.get("position"), int):
                        meta["order"] = record["position"]
                    if record.get("promoted") is True:
                        meta["promoted"] = True
                    if record.get("draft") is True:
                        meta["draft"] = True
                elif record.get("draft") is not None and bool(record["draft"]) != article.draft:
                    meta["draft"] = bool(record["draft"])
                updated = _date(record.get("updated_at") or record.get("edited_at"))
                if updated:
                    meta["updated"] = updated
                kept = []
                for old in self._old_urls(article, entry):
                    alias, why = aliases.accept(old)
                    if alias:
                        kept.append(alias)
                        self.report.count("old URLs kept")
                    elif why != SAME_URL:
                        self.report.note(f"{old} is not redirected: {why}.")
                meta["aliases"] = kept
                if record.get("user_segment_id"):
                    self.report.check("Articles that Zendesk showed only to some users (now "
                                      "public)", f"{meta['title']} ({article.file(locale)})")
                if record.get("outdated") is True:
                    self.report.check("Translations Zendesk marked as outdated",
                                      f"{meta['title']} ({article.file(locale)})")
                body_html, removed = clean_html(str(record.get("body") or ""))
                if removed:
                    self.report.skip(UNSAFE_HTML,
                                     f"{article.file(locale)}: {describe_removals(removed)}")
                soup = BeautifulSoup(body_html, "html.parser")
                self._links(soup, article, locale)
                body = html_to_markdown(soup)
                self.writer.article(article.file(locale), meta, body)
                if is_primary:
                    self.report.count("drafts (not published)" if article.draft else "articles")
                else:
                    self.report.count("translations")

    def _old_urls(self, article: _Article, entry: _Entry) -> list[str]:
        urls = []
        html_url = entry.record.get("html_url")
        if html_url:
            urls.append(unquote(split_url(str(html_url)).path))
        zendesk_locale = entry.record.get("locale")
        if zendesk_locale:
            urls.append(f"/hc/{zendesk_locale}/articles/{article.id}")
        return list(dict.fromkeys(u for u in urls if u))

    def _links(self, soup, article: _Article, locale: str) -> None:
        here = "articles/" + article.file(locale)
        for anchor in soup.find_all("a", href=True):
            href = anchor["href"].strip()
            parts = split_url(href)
            if parts.scheme not in ("", "http", "https") or (
                    not parts.path and not parts.netloc):
                continue
            local = not parts.netloc or self.origin.endswith("//" + parts.netloc)
            match = ARTICLE_PATH.match(parts.path) if local else None
            if match:
                target = self.articles.get(_same_type(match.group("id"), self.articles))
                if target is not None and not target.draft:
                    anchor["href"] = relative_link(here, "articles/" + target.file()) + (
                        "#" + parts.fragment if parts.fragment else "")
                    self.report.count("links between articles")
                    continue
                self.report.check("Links to articles that are not in the export or are drafts "
                                  "(kept pointing at Zendesk)", f"{article.file(locale)}: {href}")
            elif local and GROUP_PATH.match(parts.path):
                self.report.check("Links to Zendesk categories or sections (kept pointing at "
                                  "Zendesk)", f"{article.file(locale)}: {href}")
            if not parts.netloc and parts.path.startswith("/") and self.origin:
                anchor["href"] = urljoin(self.origin, href)
        for image in soup.find_all("img"):
            src = (image.get("src") or "").strip()
            if not src:
                continue
            if not split_url(src).netloc and self.origin and not src.startswith("data:"):
                src = image["src"] = urljoin(self.origin + "/", src)
            self.report.check("Images (not downloaded: still served from Zendesk)",
                              f"{article.file(locale)}: {src}")
        for frame in soup.find_all("iframe", src=True):
            self.report.check("Embedded videos and frames (kept as HTML)",
                              f"{article.file(locale)}: {frame.get('src')}")

    def write_groups(self) -> None:
        used = {a.folder for a in self.articles.values()} | \
            {a.category.folder for a in self.articles.values()}
        for groups, what in ((self.categories, "categories"), (self.sections, "sections")):
            for group in groups.values():
                if group.folder not in used:
                    continue
                names = {loc: group.names[loc] for loc in self.locales if loc in group.names}
                title = names if len(set(names.values())) > 1 else self._name(group)
                descriptions = {loc: group.descriptions[loc] for loc in self.locales
                                if loc in group.descriptions}
                description = descriptions if len(set(descriptions.values())) > 1 else \
                    next(iter(descriptions.values()), None)
                order = group.position + 1 if isinstance(group.position, int) and \
                    group.id != "general" else None
                self.writer.group(group.folder, {"title": title, "description": description,
                                                 "order": order})
                self.report.count(what)
                for url in group.html_urls:
                    self.report.skip("Old category and section URLs (helpgen redirects old "
                                     "article URLs only)", unquote(split_url(url).path))

    def write_settings(self) -> None:
        self.writer.config({"locales": {"default": self.default, "others": self.locales[1:]}})
        self.report.note("helpgen.yml sets only the locales: add site.title, site.url and "
                         "brand (logo, colors), which the export does not hold.")


def _group_order(group: _Group):
    return (group.position if isinstance(group.position, int) else 10**9, str(group.id))


def _id(record: dict, kind: str, source: _Source):
    key = record.get("id")
    if key is None or isinstance(key, (dict, list, bool)):
        title = record.get("title") or record.get("name")
        raise HelpgenError(f"a record in '{kind}' has no id", source.path,
                           source.line_of(json.dumps(title, ensure_ascii=False)) if title
                           else None, "every category, section and article needs its 'id'")
    return key


def _same_type(value: str, known: dict):
    """An id from a URL as the export writes ids (numbers or strings)."""
    if value in known:
        return value
    return int(value) if value.isdigit() and int(value) in known else value


def _date(value) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def import_zendesk(export: Path, dest: Path) -> ImportReport:
    """Import the Zendesk Help Center export at `export` into a new helpgen site folder."""
    check_dest(dest)
    data = read_export(export)
    report = ImportReport("Zendesk", str(export.resolve()))
    report.counts = dict.fromkeys(("articles", "translations", "drafts (not published)",
                                   "categories", "sections", "old URLs kept",
                                   "links between articles"), 0)
    with SiteWriter(dest) as writer:
        importer = _Importer(data, writer, report)
        importer.read()
        if not importer.articles:
            raise HelpgenError("the export has no articles", export, None,
                               "export the articles too (GET /api/v2/help_center/articles)")
        importer.place()
        importer.write()
        importer.write_groups()
        importer.write_settings()
        writer.text(REPORT_FILE, report.render())
        writer.commit()
    return report


__all__ = ["import_zendesk", "read_export", "html_to_markdown"]
