"""Where a relative link in an article leads: the tables the model builds, and the lookup.

Kept apart from the model builder and free of callbacks so that it can be handed to the
processes that convert Markdown in parallel (content/bodies.py).
"""

from __future__ import annotations

import difflib
import functools
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from helpgen.settings.locales import fallbacks, split_article_file

# What `LinkTable.resolve` gives for a link to a page this site leaves out on purpose (an
# internal article, in the public site): the converter removes the link's address.
WITHHELD = ""


@dataclass(frozen=True)
class LinkTable:
    articles_dir: Path
    assets_dir: Path
    locales: tuple[str, ...]                  # the default locale first
    file_keys: dict[str, str]                 # normalised source path -> article key
    urls: dict[tuple[str, str], str]          # (locale, key) -> URL of the published article
    keys_by_name: dict[str, frozenset[str]]   # file name without locale and .md -> keys
    withheld: frozenset[str] = frozenset()    # normalised paths of articles left out on purpose

    def article_url(self, locale: str, key: str) -> str | None:
        """The URL of an article in `locale`, else in the default locale, else in any."""
        for code in fallbacks(locale, self.locales):
            url = self.urls.get((code, key))
            if url:
                return url
        return None

    def key_of_file(self, path: Path) -> str | None:
        return self.file_keys.get(os.path.normpath(path))

    def is_withheld(self, path: Path) -> bool:
        """Whether `path` is an article this site leaves out on purpose (an internal one)."""
        return os.path.normpath(path) in self.withheld

    def unique_key_named(self, file_name: str) -> str | None:
        """For links written against another folder layout (`/sql/select.md` in content moved
        from a docs repository): the one article with that file name, if exactly one exists."""
        name = split_article_file(file_name, self.locales)[0]
        keys = self.keys_by_name.get(name, frozenset())
        return next(iter(keys)) if len(keys) == 1 else None

    def resolve(self, source: Path, locale: str, target: str) -> str | None:
        """The site-root URL a link `target` in the file `source` leads to, None, or
        WITHHELD."""
        if target.endswith(".md"):
            file = self.articles_dir / target.lstrip("/") if target.startswith("/") \
                else source.parent / target
            key = self.key_of_file(file)
            if key is None and self.is_withheld(file):
                return WITHHELD
            if key is None and target.startswith("/"):
                key = self.unique_key_named(file.name)
            return self.article_url(locale, key) if key else None
        file = Path(os.path.normpath(source.parent / target))
        if self.assets_dir in file.parents and file.is_file():
            return "assets/" + file.relative_to(self.assets_dir).as_posix()
        return self._page_url(source, locale, target) if target.endswith("/") else None

    def _page_url(self, source: Path, locale: str, target: str) -> str | None:
        """A link written as the URL of an article's page (`../../guide/migration/`), read from
        the page of `source` in `locale`: that page, in the locale its URL names, if it is
        published (`helpgen import mkdocs` writes such links where a page linked to another
        language on purpose)."""
        here = self.urls.get((locale, self.key_of_file(source) or ""))
        if here is None:
            return None
        url = os.path.normpath(os.path.join("/" + here, target)).lstrip("/") + "/"
        return url if url in self.page_urls else None

    @functools.cached_property
    def page_urls(self) -> frozenset[str]:
        return frozenset(self.urls.values())

    def suggest(self, source: Path, locale: str, target: str) -> str | None:
        """For a link `target` to a missing article: the published article the writer most
        likely meant (the same file name elsewhere, else the closest name), as a path relative
        to `source`, the way the writer would type it; None when nothing is near."""
        parts = urlsplit(target)
        path = unquote(parts.path)
        if not path.endswith(".md"):
            return None
        files = {Path(file): key for file, key in self.file_keys.items()
                 if self.article_url(locale, key)}
        name = path.rsplit("/", 1)[-1]
        names = {file.name for file in files}
        ending = sorted(n for n in names if n.endswith("-" + name))  # a flattened folder's name
        close = [name] if name in names else ending or \
            difflib.get_close_matches(name, sorted(names), n=1, cutoff=0.8)
        if len(close) != 1:
            return None
        written = os.path.normpath(source.parent / path.lstrip("/"))
        best = max((file for file in files if file.name == close[0]),
                   key=lambda file: difflib.SequenceMatcher(None, str(file), written).ratio())
        found = Path(os.path.relpath(best, source.parent)).as_posix()
        return found + (f"#{parts.fragment}" if parts.fragment else "")
