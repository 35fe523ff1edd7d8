"""What the GitBook and Docusaurus importers share: a folder of Markdown pages and a nav tree
over them, made into categories, sections and articles.

A top-level nav entry with entries under it (or a group) is a category, an entry with entries
under it inside a category a section (its own page first in it), anything deeper is flattened
into that section in nav order; top-level pages go into "Overview", pages the nav leaves out
into "More". Pages are written with their blocks of other tools as helpgen Markdown
(helpgen/content/dialects.py), links and files moved for their new places, and old URLs as
aliases; translations beside them as `name.<locale>.md`.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from helpgen.content import dialects
from helpgen.content.urls import relative_url
from helpgen.importers.common import (
    Aliases,
    ImportReport,
    SiteWriter,
    article_url,
    category_name,
    contained,
    name_slug,
    relative_link,
    unique_name,
)
from helpgen.importers.markdown_links import (
    first_heading,
    rewrite_page_links,
    uses_macros,
)
from helpgen.settings.locales import article_file
from helpgen.settings.yamlio import read_text

OVERVIEW, MORE = "Overview", "More"


@dataclass
class Node:
    """An entry of the nav: a page (`src`, inside the root) or a group, and what is under it."""

    title: str | None
    src: str | None
    children: list[Node] = field(default_factory=list)
    titles_page: bool = True        # a folder's title is not its index page's
    folder: str = ""                # the folder a node of the folder tree stands for


@dataclass
class Group:
    folder: str
    title: str
    order: int
    names: set = field(default_factory=set)
    titles: dict = field(default_factory=dict)      # locale -> title, for translations


@dataclass
class Placement:
    src: str
    group: Group
    order: int
    title: str | None
    name: str = ""


@dataclass
class Translation:
    meta: dict
    body: str
    old_url: str


def words(name: str) -> str:
    """A title made of a file or folder name: `getting_started` → "Getting started"."""
    return name.replace("-", " ").replace("_", " ").strip().capitalize()


def folder_nav(pages: set[str], index_names: tuple[str, ...], sort_key=None) -> list[Node]:
    """The folder tree as a nav: each folder's index page first, then its pages and folders
    (ordered by `sort_key(node)` when given)."""
    nodes: dict[str, Node] = {"": Node(None, None, folder="")}
    for src in sorted(pages, key=lambda p: (p.count("/"), p)):
        folder = posixpath.dirname(src)
        for depth in range(1, folder.count("/") + 2 if folder else 1):
            path = "/".join(folder.split("/")[:depth])
            if path not in nodes:
                nodes[path] = Node(words(posixpath.basename(path)), None, titles_page=False,
                                   folder=path)
                nodes[posixpath.dirname(path)].children.append(nodes[path])
        if posixpath.basename(src) in index_names and folder and nodes[folder].src is None:
            nodes[folder].src = src
        else:
            nodes[folder].children.append(Node(None, src))
    for node in nodes.values():
        node.children.sort(key=sort_key or (lambda n: n.src is None))   # pages, then folders
    return nodes[""].children


class PageTreeImporter:
    """Subclasses read their tool's settings and files into `pages`, `files` and
    `translations`, and say where a page was published (`old_url`)."""

    nav_file = "the nav"

    def __init__(self, root: Path, writer: SiteWriter, report: ImportReport):
        self.root, self.writer, self.report = root, writer, report
        self.pages: dict[str, tuple[dict, str]] = {}              # src -> (front matter, body)
        self.files: dict[str, Path] = {}                          # other files, by src
        self.translations: dict[str, dict[str, Translation]] = {}     # src -> locale -> …
        self.locales = ["en"]
        self.redirects: dict[str, str] = {}                       # old URL -> src
        self.groups: list[Group] = []
        self.category_names: set[str] = set()
        self.placements: dict[str, Placement] = {}

    # Reading

    def walk(self, folder: Path, skip_folder, is_page) -> None:
        """Read the pages under `folder` (`is_page(src)`) into `pages`, the other files into
        `files`; folders `skip_folder(name)` and anything outside the root are left out."""
        from mkdocs.utils.meta import get_data
        for here, folders, names in os.walk(folder):
            here = Path(here)
            for name in [n for n in folders if contained(here / n, self.root) is None]:
                self.report.skip("Files outside the folder imported (not read)",
                                 (here / name).relative_to(folder).as_posix())
            folders[:] = sorted(name for name in folders if not skip_folder(name)
                                and contained(here / name, self.root))
            for name in sorted(names):
                path = here / name
                src = path.relative_to(folder).as_posix()
                if contained(path, self.root) is None:
                    self.report.skip("Files outside the folder imported (not read)", src)
                elif is_page(src):
                    body, meta = get_data(read_text(path, code=None))
                    self.pages[src] = (meta if isinstance(meta, dict) else {}, body)
                else:
                    self.files[src] = path

    def old_url(self, src: str) -> str:
        raise NotImplementedError

    def prepare(self, src: str, body: str) -> str:
        """A page's body as helpgen Markdown: its blocks of other tools rewritten (tabs
        expanded first, as Python-Markdown expands them)."""
        return "\n".join(dialects.rewrite([line.expandtabs(4) for line in body.split("\n")]))

    # The nav

    def place(self, nav: list[Node]) -> None:
        overview = None
        for node in nav:
            if node.children or node.src is None:
                category = self.group(node.title or OVERVIEW, node=node)
                self._put(node, category)
                for child in node.children:
                    if child.children:
                        section = self.group(child.title or self.title(child.src), category,
                                             node=child)
                        self._put(child, section)
                        self._flatten(child.children, section)
                    else:
                        self._put(child, category)
            else:
                overview = overview or self.group(OVERVIEW, slug="overview")
                self._put(node, overview)
        left = [src for src in sorted(self.pages) if src not in self.placements]
        if left:
            more = self.group(MORE, slug="more")
            for src in left:
                self._put(Node(None, src), more)
                self.report.check(f"Pages that were not in {self.nav_file} (now in the More "
                                  "category)", src)

    def _flatten(self, nodes: list[Node], section: Group) -> None:
        pending = list(reversed(nodes))          # depth first, in nav order, without recursion
        while pending:
            node = pending.pop()
            self._put(node, section)
            pending.extend(reversed(node.children))

    def group(self, title: str, category: Group | None = None, slug: str | None = None,
              node: Node | None = None) -> Group:
        if category is None:
            folder = category_name(slug or name_slug(title, "category"), self.category_names,
                                   self.locales)
        else:
            folder = f"{category.folder}/{unique_name(name_slug(title, 'section'), category.names)}"
        siblings = [g for g in self.groups if posixpath.dirname(g.folder) ==
                    (category.folder if category else "")]
        group = Group(folder, title, len(siblings) + 1, titles=self.group_titles(title, node))
        self.groups.append(group)
        return group

    def group_titles(self, title: str, node: Node | None) -> dict:
        """The group's title in each locale (none: the same everywhere)."""
        return {}

    def _put(self, node: Node, group: Group) -> None:
        if node.src is None:
            return
        if node.src in self.placements:
            self.report.check(f"Pages listed more than once in {self.nav_file} (imported once, "
                              "at the first place)", node.src)
            return
        order = sum(1 for p in self.placements.values() if p.group is group) + 1
        self.placements[node.src] = Placement(node.src, group, order,
                                              node.title if node.titles_page else None)

    def title(self, src: str, nav_title: str | None = None, page=None) -> str:
        meta, body = page or self.pages[src]
        title = nav_title or meta.get("title") or first_heading(body)
        if not title:
            stem = posixpath.splitext(posixpath.basename(src))[0]
            title = words(stem if stem.lower() not in ("readme", "index") else
                          posixpath.basename(posixpath.dirname(src)) or "Home")
        return " ".join(str(title).split()) or "Untitled"

    def name_files(self, index_names: tuple[str, ...]) -> None:
        for key, group in [(g.folder, g) for g in self.groups if "/" in g.folder]:
            category = next(g for g in self.groups if g.folder == key.split("/")[0])
            category.names.add(key.split("/")[1].casefold())
        for placement in self.placements.values():
            stem = posixpath.splitext(posixpath.basename(placement.src))[0]
            wanted = name_slug(self.title(placement.src, placement.title), "page") \
                if posixpath.basename(placement.src) in index_names else name_slug(stem)
            placement.name = unique_name(wanted, placement.group.names)

    # Writing

    def prefix(self, locale: str) -> str:
        return "" if locale == self.locales[0] else f"{locale}/"

    def new_url(self, placement: Placement, locale: str) -> str:
        return article_url(tuple(placement.group.folder.split("/")), placement.name,
                           self.prefix(locale))

    def write(self, front_matter=lambda meta: {}) -> None:
        """Every placed page and its translations (`front_matter(meta)`: keys to keep beside
        the title, order and aliases), then the groups."""
        new_urls = set()
        for locale in self.locales:
            new_urls |= {self.prefix(locale)} | {self.prefix(locale) + g.folder + "/"
                                                  for g in self.groups}
            new_urls |= {self.new_url(p, locale) for p in self.placements.values()}
        aliases = Aliases(new_urls, self.locales[1:])
        extra: dict[str, list[str]] = {}
        for old, src in self.redirects.items():
            if src in self.placements:
                extra.setdefault(src, []).append(old)
            else:
                self.report.skip("Redirects to missing pages", f"{old} → {src}")
        for placement in sorted(self.placements.values(),
                                key=lambda p: (p.group.folder, p.order)):
            meta, body = self.pages[placement.src]
            versions = [(self.locales[0], meta, body,
                         [self.old_url(placement.src), *extra.get(placement.src, [])])]
            versions += [(locale, t.meta, t.body, [t.old_url]) for locale, t in
                         self.translations.get(placement.src, {}).items()]
            for locale, meta, body, old_urls in versions:
                default = locale == self.locales[0]
                title = self.title(placement.src, placement.title if default else None,
                                   (meta, body))
                front = {"title": title, **front_matter(meta),
                         "order": placement.order if default else None}
                kept = [alias for alias, _ in map(aliases.accept, old_urls) if alias]
                self.report.count("old URLs kept", len(kept))
                front["aliases"] = kept
                relative = f"{placement.group.folder}/" \
                    f"{article_file(placement.name, None if default else locale)}"
                text = self.rewrite_links(placement, relative, locale,
                                          self.prepare(placement.src, body))
                if uses_macros(text):
                    self.report.check("Pages with template tags (shown as written)",
                                      f"{placement.src} ({locale})")
                self.writer.article(relative, front, text)
                self.report.count("pages" if default else "translations")
        for group in self.groups:
            if any(p.group.folder == group.folder or p.group.folder.startswith(group.folder + "/")
                   for p in self.placements.values()):
                titles = {self.locales[0]: group.title, **group.titles}
                title = titles if len(set(titles.values())) > 1 else group.title
                self.writer.group(group.folder, {"title": title, "order": group.order})
                self.report.count("sections" if "/" in group.folder else "categories")

    def rewrite_links(self, placement: Placement, relative: str, locale: str, body: str) -> str:
        """Links to pages and files, for the article's new place; files copied to assets/."""
        article = "articles/" + relative
        page_url = self.new_url(placement, locale)

        def resolve(target: str, parts, kind: str) -> str | None:
            src = self.resolve(placement.src, unquote(parts.path))
            fragment = "#" + parts.fragment if parts.fragment else ""
            if src in self.placements:
                other = self.placements[src]
                if kind == "html":
                    return relative_url(page_url, self.new_url(other, locale)) + fragment
                return relative_link(article, f"articles/{other.group.folder}/"
                                              f"{article_file(other.name)}") + fragment
            if src in self.files:
                if str(self.files[src].resolve()) not in self.writer.assets:
                    self.report.count("images and files copied")
                site_path = self.writer.asset(self.files[src], self.asset_name(src))
                return (relative_url(page_url, site_path) if kind == "html" else
                        relative_link(article, site_path)) + fragment
            self.report.check("Links to a missing page or file (kept as written)",
                              f"{placement.src}: {target}")
            return None

        return rewrite_page_links(body, placement.src, self.report, resolve)

    def resolve(self, src: str, path: str) -> str:
        """The page or file a link of the page `src` names (a key of pages or files)."""
        return posixpath.normpath(posixpath.join(posixpath.dirname(src), path))

    def asset_name(self, src: str) -> str:
        return src

    def report_front_matter(self, carried: set[str]) -> None:
        for src, (meta, _) in self.pages.items():
            for key in sorted(set(meta) - carried):
                self.report.skip("Page front matter keys", f"{key} ({src})")

    def unused_files(self) -> None:
        unused = sorted(src for src, path in self.files.items()
                        if str(path.resolve()) not in self.writer.assets)
        if unused:
            self.report.note(f"{len(unused)} file(s) no page links to were not copied: "
                             + ", ".join(unused[:10]) + (" …" if len(unused) > 10 else ""))
