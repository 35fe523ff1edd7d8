"""What an import is made of: a page in one language (`_Page`), a category or section
(`_Group`), and where a page goes in it (`_Placement`). Shared by the nav and page modules."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from helpgen.settings.locales import article_file
from helpgen.content.sources import INDEX_NAME
from helpgen.importers.mkdocs.languages import _Language


@dataclass
class _Page:
    """One Markdown file of the project in one language."""

    src: str                 # path inside docs_dir (POSIX)
    path: Path
    base: str                # src without the language: "guide/install.md"
    language: _Language
    old_url: str             # where MkDocs published it, from the site root: "zh/guide/install/"
    meta: dict = field(default_factory=dict)
    body: str = ""


@dataclass
class _Group:
    folder: str              # "guide" or "guide/basics"
    title: str
    order: int
    titles: dict = field(default_factory=dict)     # locale -> title
    names: set = field(default_factory=set)        # casefolded names taken inside


@dataclass
class _Placement:
    base: str
    group: _Group
    order: int
    nav_title: str | None
    name: str = ""
    direct: bool = False     # a page of the nav section itself, not of a group flattened into it
    is_index: bool = False   # the section's index.md, now its folder page's text (_index.md)
    slug: str | None = None  # the old URL's last segment, when only its letter case differs

    @property
    def file(self) -> str:
        return self.translation_file(None)

    def translation_file(self, locale: str | None) -> str:
        name = INDEX_NAME if self.is_index else self.name
        return f"{self.group.folder}/{article_file(name, locale)}"
