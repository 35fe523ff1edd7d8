"""`helpgen import gitbook`: a GitBook space synced to Git (or exported) as a help center.

`SUMMARY.md` is the nav (without it, the folder tree is, README.md first): a `## group` or a
top-level page with pages under it is a category, a page with pages under it inside a category
a section (the page first in it), anything deeper is flattened into that section in nav order;
top-level pages go into "Overview", pages the nav leaves out into "More". `.gitbook.yaml`'s
`root`, `structure` and `redirects` are read. GitBook blocks (`{% hint %}`, `{% tabs %}`,
`{% embed %}`, `{% file %}`…) are written as helpgen's admonitions, tabs and links
(helpgen/content/dialects.py), so no `{%` is left; files the pages use (`.gitbook/assets/…`)
are copied into `assets/`; each page keeps its GitBook URL as an alias.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from helpgen.content import dialects
from helpgen.content.sanitize import safe_url
from helpgen.content.urls import relative_url
from helpgen.errors import HelpgenError
from helpgen.importers.common import (REPORT_FILE, UNSAFE_HTML, Aliases, ImportReport,
                                      SiteWriter, article_url, category_name, check_dest,
                                      contained, describe_removals, name_slug, relative_link,
                                      split_url, unique_name, unsafe_url)
from helpgen.importers.markdown_links import (first_heading, rewrite_links, unsafe_html,
                                              uses_macros)
from helpgen.settings.yamlio import parse_yaml, read_text

OVERVIEW, MORE = "Overview", "More"
ASSETS = ".gitbook/assets/"
FRONT_MATTER_CARRIED = {"title", "description"}


@dataclass
class _Node:
    """An entry of the nav: a page (`src`, inside the root) or a group, and what is under it."""

    title: str | None
    src: str | None
    children: list["_Node"] = field(default_factory=list)
    titles_page: bool = True        # a folder's title is not its README's


@dataclass
class _Group:
    folder: str
    title: str
    order: int
    names: set = field(default_factory=set)


@dataclass
class _Placement:
    src: str
    group: _Group
    order: int
    title: str | None
    name: str = ""

    @property
    def file(self) -> str:
        return f"{self.group.folder}/{self.name}.md"


def _read_nav(summary: Path, root: Path, pages: set[str], report: ImportReport) -> list[_Node]:
    """SUMMARY.md's groups and nested lists of links as a tree."""
    top: list[_Node] = []
    stack: list[tuple[int, _Node]] = []         # (indentation, node) of the open list items
    group: _Node | None = None
    for line in read_text(summary).splitlines():
        heading = re.match(r"^#{2,6}\s+(.+?)\s*#*\s*$", line)
        if heading:
            group, stack = _Node(heading.group(1), None), []
            top.append(group)
            continue
        item = re.match(r"^(\s*)[*+-]\s+(?:\[(.*)\]\((.*)\)|(.*?))\s*$", line)
        if not item:
            continue
        indent = len(item.group(1).expandtabs(4))
        title = item.group(2) if item.group(3) is not None else item.group(4)
        target = (item.group(3) or "").strip()
        if target.startswith("<") and target.endswith(">"):
            target = target[1:-1]
        src = None
        if target:
            parts = split_url(target)
            src = posixpath.normpath(unquote(parts.path)) if not parts.scheme and \
                not parts.netloc and parts.path else None
            if src not in pages:
                report.skip("Nav links to other sites or missing pages", f"{title}: {target}")
                continue
        node = _Node(title, src)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        siblings = stack[-1][1].children if stack else group.children if group else top
        siblings.append(node)
        stack.append((indent, node))
    return top


def _folder_nav(root: Path, pages: set[str], readme: str) -> list[_Node]:
    """The folder tree as a nav: each folder's README first, then its pages and folders."""
    nodes: dict[str, _Node] = {"": _Node(None, None)}
    for src in sorted(pages, key=lambda p: (p.count("/"), p)):
        folder = posixpath.dirname(src)
        for depth in range(1, folder.count("/") + 2 if folder else 1):
            path = "/".join(folder.split("/")[:depth])
            if path not in nodes:
                nodes[path] = _Node(None, None, titles_page=False)
                nodes[posixpath.dirname(path)].children.append(nodes[path])
        if posixpath.basename(src) == readme and folder:
            nodes[folder].src = src
        else:
            nodes[folder].children.append(_Node(None, src))
    for path, node in nodes.items():
        node.children.sort(key=lambda n: n.src is None)           # pages, then folders
        if path and node.title is None:
            node.title = posixpath.basename(path).replace("-", " ").replace("_", " ").capitalize()
    return nodes[""].children


class _Importer:
    def __init__(self, root: Path, writer: SiteWriter, report: ImportReport):
        self.root, self.writer, self.report = root, writer, report
        self.readme, self.summary, self.redirects = "README.md", "SUMMARY.md", {}
        self.pages: dict[str, tuple[dict, str]] = {}              # src -> (front matter, body)
        self.files: dict[str, Path] = {}                          # other files, by src
        self.groups: list[_Group] = []
        self.category_names: set[str] = set()
        self.placements: dict[str, _Placement] = {}

    def read_settings(self) -> None:
        """`.gitbook.yaml`: where the pages are and which files are the README and SUMMARY."""
        path = self.root / ".gitbook.yaml"
        if not path.is_file():
            return
        data, lines = parse_yaml(read_text(path), path)
        data = data if isinstance(data, dict) else {}
        folder = str(data.get("root") or ".")
        root = contained(self.root / folder, self.root)
        if root is None or not root.is_dir():
            raise HelpgenError(f"root names a folder that is not in the space: {folder}", path,
                               lines.get(("root",)), "give a folder inside this one, e.g. ./docs/")
        self.root = root
        structure = data.get("structure") if isinstance(data.get("structure"), dict) else {}
        self.readme = str(structure.get("readme") or self.readme)
        self.summary = str(structure.get("summary") or self.summary)
        redirects = data.get("redirects")
        self.redirects = {str(k): str(v) for k, v in redirects.items()} \
            if isinstance(redirects, dict) else {}

    def read_files(self) -> None:
        from mkdocs.utils.meta import get_data
        for folder, folders, names in os.walk(self.root):
            here = Path(folder)
            for name in [n for n in folders if contained(here / n, self.root) is None]:
                self.report.skip("Files outside the space (not read)",
                                 (here / name).relative_to(self.root).as_posix())
            folders[:] = sorted(name for name in folders if (name == ".gitbook" or not
                                name.startswith(".")) and contained(here / name, self.root))
            for name in sorted(names):
                path = here / name
                src = path.relative_to(self.root).as_posix()
                if contained(path, self.root) is None:
                    self.report.skip("Files outside the space (not read)", src)
                elif name.endswith(".md") and not src.startswith(".gitbook/") and \
                        src != self.summary:
                    body, meta = get_data(read_text(path))
                    self.pages[src] = (meta if isinstance(meta, dict) else {}, body)
                elif src != self.summary:
                    self.files[src] = path
        if not self.pages:
            raise HelpgenError("no Markdown pages found", self.root, None,
                               "give the folder of the GitBook space (with SUMMARY.md)")

    # The nav

    def place(self) -> None:
        summary = self.root / self.summary
        nav = _read_nav(summary, self.root, set(self.pages), self.report) if \
            summary.is_file() else _folder_nav(self.root, set(self.pages), self.readme)
        if not summary.is_file():
            self.report.note(f"There is no {self.summary}: the folder tree was used as the nav.")
        overview = None
        for node in nav:
            if node.children or node.src is None:
                category = self._group(node.title or OVERVIEW)
                self._put(node, category)
                for child in node.children:
                    if child.children:
                        section = self._group(child.title or self._title(child.src), category)
                        self._put(child, section)
                        self._flatten(child.children, section)
                    else:
                        self._put(child, category)
            else:
                overview = overview or self._group(OVERVIEW, slug="overview")
                self._put(node, overview)
        left = [src for src in sorted(self.pages) if src not in self.placements]
        if left:
            more = self._group(MORE, slug="more")
            for src in left:
                self._put(_Node(None, src), more)
                self.report.check(f"Pages that were not in {self.summary} (now in the More "
                                  "category)", src)

    def _flatten(self, nodes: list[_Node], section: _Group) -> None:
        pending = list(reversed(nodes))          # depth first, in nav order, without recursion
        while pending:
            node = pending.pop()
            self._put(node, section)
            pending.extend(reversed(node.children))

    def _group(self, title: str, category: _Group | None = None, slug: str | None = None
               ) -> _Group:
        if category is None:
            name = category_name(slug or name_slug(title, "category"), self.category_names, ())
            folder = name
        else:
            folder = f"{category.folder}/{unique_name(name_slug(title, 'section'), category.names)}"
        siblings = [g for g in self.groups if posixpath.dirname(g.folder) ==
                    (category.folder if category else "")]
        group = _Group(folder, title, len(siblings) + 1)
        self.groups.append(group)
        return group

    def _put(self, node: _Node, group: _Group) -> None:
        if node.src is None:
            return
        if node.src in self.placements:
            self.report.check(f"Pages listed more than once in {self.summary} (imported once, "
                              "at the first place)", node.src)
            return
        order = sum(1 for p in self.placements.values() if p.group is group) + 1
        self.placements[node.src] = _Placement(node.src, group, order,
                                               node.title if node.titles_page else None)

    def _title(self, src: str, nav_title: str | None = None) -> str:
        meta, body = self.pages[src]
        title = nav_title or meta.get("title") or first_heading(body)
        if not title:
            stem = posixpath.splitext(posixpath.basename(src))[0]
            if stem == posixpath.splitext(self.readme)[0]:
                stem = posixpath.basename(posixpath.dirname(src)) or "Home"
            title = stem.replace("-", " ").replace("_", " ").capitalize()
        return " ".join(str(title).split()) or "Untitled"

    def name_files(self) -> None:
        for placement in self.placements.values():
            stem = posixpath.splitext(posixpath.basename(placement.src))[0]
            wanted = name_slug(self._title(placement.src, placement.title), "page") \
                if placement.src.endswith(self.readme) else name_slug(stem)
            placement.name = unique_name(wanted, placement.group.names)

    # Writing

    def old_url(self, src: str) -> str:
        """Where GitBook published a page: its path without `.md`, a README at its folder."""
        if posixpath.basename(src) == self.readme:
            return posixpath.dirname(src)
        return posixpath.splitext(src)[0]

    def write(self) -> None:
        new_urls = {""} | {article_url(tuple(p.group.folder.split("/")), p.name)
                           for p in self.placements.values()} | \
            {g.folder + "/" for g in self.groups}
        aliases = Aliases(new_urls)
        extra: dict[str, list[str]] = {}
        for old, new in self.redirects.items():
            target = posixpath.normpath(unquote(new))
            if target in self.placements:
                extra.setdefault(target, []).append(old)
            else:
                self.report.skip("Redirects to missing pages (.gitbook.yaml)", f"{old} → {new}")
        for placement in sorted(self.placements.values(),
                                key=lambda p: (p.group.folder, p.order)):
            meta, body = self.pages[placement.src]
            front = {"title": self._title(placement.src, placement.title),
                     "description": meta.get("description") if isinstance(
                         meta.get("description"), str) else None,
                     "order": placement.order}
            for key in sorted(set(meta) - FRONT_MATTER_CARRIED):
                self.report.skip("Page front matter keys", f"{key} ({placement.src})")
            kept = []
            for old in [self.old_url(placement.src), *extra.get(placement.src, [])]:
                alias, _ = aliases.accept(old)
                if alias:
                    kept.append(alias)
                    self.report.count("old URLs kept")
            front["aliases"] = kept
            body = "\n".join(dialects.rewrite(body.split("\n")))
            body = self.rewrite_links(placement, body)
            if uses_macros(body):
                self.report.check("Pages with template tags GitBook blocks do not explain "
                                  "(shown as written)", placement.src)
            self.writer.article(placement.file, front, body)
            self.report.count("pages")
        for group in self.groups:
            if any(p.group.folder == group.folder or p.group.folder.startswith(group.folder + "/")
                   for p in self.placements.values()):
                self.writer.group(group.folder, {"title": group.title, "order": group.order})
                self.report.count("sections" if "/" in group.folder else "categories")

    def rewrite_links(self, placement: _Placement, body: str) -> str:
        """Links to pages and files, for the article's new place; files copied to assets/."""
        article = "articles/" + placement.file
        page_url = article_url(tuple(placement.group.folder.split("/")), placement.name)
        removed: list[str] = []

        def replace(target: str, kind: str) -> str | None:
            if not safe_url(target):
                removed.append(unsafe_url(target, "image" if kind == "image" else "link"))
                return "#"
            parts = split_url(target)
            if parts.scheme or parts.netloc or not parts.path:
                return None
            src = posixpath.normpath(posixpath.join(posixpath.dirname(placement.src),
                                                    unquote(parts.path)))
            fragment = "#" + parts.fragment if parts.fragment else ""
            if src in self.placements:
                other = self.placements[src]
                if kind == "html":
                    return relative_url(page_url, article_url(
                        tuple(other.group.folder.split("/")), other.name)) + fragment
                return relative_link(article, "articles/" + other.file) + fragment
            if src in self.files:
                wanted = src[len(ASSETS):] if src.startswith(ASSETS) else src
                if str(self.files[src].resolve()) not in self.writer.assets:
                    self.report.count("images and files copied")
                site_path = self.writer.asset(self.files[src], wanted)
                return (relative_url(page_url, site_path) if kind == "html" else
                        relative_link(article, site_path)) + fragment
            self.report.check("Links to a missing page or file (kept as written)",
                              f"{placement.src}: {target}")
            return None

        body = rewrite_links(body, replace)
        if removed:
            self.report.skip(UNSAFE_HTML, f"{placement.src}: {describe_removals(removed)}")
        risky = unsafe_html(body)
        if risky:
            self.report.check("Raw HTML in pages that runs script or embeds other sites (kept "
                              "as written: remove or rewrite it)",
                              f"{placement.src}: {describe_removals(risky, 'has')}")
        return body

    def write_settings(self) -> None:
        home = self.pages.get(self.readme)
        title = (home and (home[0].get("title") or first_heading(home[1]))) or \
            self.root.name.replace("-", " ").replace("_", " ").capitalize()
        self.writer.config({"site": {"title": " ".join(str(title).split())},
                            "locales": {"default": "en"}})
        self.report.note("GitBook keeps the site's name, address, logo and colors outside the "
                         "repository: set site.title, site.url and brand in helpgen.yml. "
                         "Another language of the space is another GitBook space: import it "
                         "separately and add its pages as translations (page.zh-CN.md).")


def import_gitbook(source: Path, dest: Path) -> ImportReport:
    """Import the GitBook space in the folder `source` into a new helpgen site folder `dest`."""
    if not source.is_dir():
        raise HelpgenError("not a folder", source, None,
                           "give the folder of the GitBook space (with SUMMARY.md)")
    check_dest(dest)
    report = ImportReport("GitBook", str(source.resolve()))
    report.counts = dict.fromkeys(("pages", "categories", "sections", "old URLs kept",
                                   "images and files copied"), 0)
    with SiteWriter(dest) as writer:
        importer = _Importer(source.resolve(), writer, report)
        importer.read_settings()
        importer.read_files()
        importer.place()
        importer.name_files()
        importer.write()
        importer.write_settings()
        unused = sorted(src for src, path in importer.files.items()
                        if str(path.resolve()) not in writer.assets)
        if unused:
            report.note(f"{len(unused)} file(s) no page links to were not copied: "
                        + ", ".join(unused[:10]) + (" …" if len(unused) > 10 else ""))
        writer.text(REPORT_FILE, report.render())
        writer.commit()
    return report
