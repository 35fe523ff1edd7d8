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

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

from helpgen.errors import HelpgenError
from helpgen.importers.common import (
    REPORT_FILE,
    ImportReport,
    SiteWriter,
    folder_import,
    contained,
    split_url,
)
from helpgen.importers.markdown_links import first_heading
from helpgen.importers.page_tree import Node, PageTreeImporter, folder_nav, words
from helpgen.settings.yamlio import parse_yaml, read_text

ASSETS = ".gitbook/assets/"


def _read_nav(summary: Path, pages: set[str], report: ImportReport) -> list[Node]:
    """SUMMARY.md's groups and nested lists of links as a tree."""
    top: list[Node] = []
    stack: list[tuple[int, Node]] = []         # (indentation, node) of the open list items
    group: Node | None = None
    for line in read_text(summary, code=None).splitlines():
        heading = re.match(r"^#{2,6}\s+(.+?)\s*#*\s*$", line)
        if heading:
            group, stack = Node(heading.group(1), None), []
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
        node = Node(title, src)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        siblings = stack[-1][1].children if stack else group.children if group else top
        siblings.append(node)
        stack.append((indent, node))
    return top


class _GitBook(PageTreeImporter):
    def __init__(self, root: Path, writer: SiteWriter, report: ImportReport):
        super().__init__(root, writer, report)
        self.space = root
        self.readme, self.summary = "README.md", "SUMMARY.md"
        self.nav_file = self.summary

    def read_settings(self) -> None:
        """`.gitbook.yaml`: where the pages are, which files are the README and SUMMARY, and
        the redirects."""
        path = self.root / ".gitbook.yaml"
        if not path.is_file():
            return
        data, lines = parse_yaml(read_text(path, code=None), path, code=None)
        data = data if isinstance(data, dict) else {}
        folder = str(data.get("root") or ".")
        root = contained(self.root / folder, self.root)
        if root is None or not root.is_dir():
            raise HelpgenError(f"root names a folder that is not in the space: {folder}", path,
                               lines.get(("root",)), "give a folder inside this one, e.g. ./docs/")
        self.space = root
        structure = data.get("structure") if isinstance(data.get("structure"), dict) else {}
        self.readme = str(structure.get("readme") or self.readme)
        self.summary = self.nav_file = str(structure.get("summary") or self.summary)
        redirects = data.get("redirects")
        for old, new in (redirects.items() if isinstance(redirects, dict) else ()):
            self.redirects[str(old)] = posixpath.normpath(unquote(str(new)))

    def read_files(self) -> None:
        self.walk(self.space, lambda name: name.startswith(".") and name != ".gitbook",
                  lambda src: src.endswith(".md") and not src.startswith(".gitbook/")
                  and src != self.summary)
        self.files.pop(self.summary, None)
        if not self.pages:
            raise HelpgenError("no Markdown pages found", self.space, None,
                               "give the folder of the GitBook space (with SUMMARY.md)")

    def nav(self) -> list[Node]:
        summary = self.space / self.summary
        if summary.is_file():
            return _read_nav(summary, set(self.pages), self.report)
        self.report.note(f"There is no {self.summary}: the folder tree was used as the nav.")
        return folder_nav(set(self.pages), (self.readme,))

    def old_url(self, src: str) -> str:
        """Where GitBook published a page: its path without `.md`, a README at its folder."""
        if posixpath.basename(src) == self.readme:
            return posixpath.dirname(src)
        return posixpath.splitext(src)[0]

    def asset_name(self, src: str) -> str:
        return src.removeprefix(ASSETS)

    def write_settings(self) -> None:
        home = self.pages.get(self.readme)
        title = (home and (home[0].get("title") or first_heading(home[1]))) or \
            words(self.space.name)
        self.writer.config({"site": {"title": " ".join(str(title).split())},
                            "locales": {"default": "en"}})
        self.report.note("GitBook keeps the site's name, address, logo and colors outside the "
                         "repository: set site.title, site.url and brand in helpgen.yml. "
                         "Another language of the space is another GitBook space: import it "
                         "separately and add its pages as translations (page.zh-CN.md).")


def import_gitbook(source: Path, dest: Path) -> ImportReport:
    """Import the GitBook space in the folder `source` into a new helpgen site folder `dest`."""
    report = folder_import("GitBook", source, dest,
                           "give the folder of the GitBook space (with SUMMARY.md)",
                           ("pages", "categories", "sections", "old URLs kept",
                            "images and files copied"))
    with SiteWriter(dest) as writer:
        importer = _GitBook(source.resolve(), writer, report)
        importer.read_settings()
        importer.read_files()
        importer.place(importer.nav())
        importer.name_files((importer.readme,))
        importer.write(lambda meta: {"description": meta.get("description") if isinstance(
            meta.get("description"), str) else None})
        importer.report_front_matter({"title", "description"})
        importer.write_settings()
        importer.unused_files()
        writer.text(REPORT_FILE, report.render())
        writer.commit()
    return report
