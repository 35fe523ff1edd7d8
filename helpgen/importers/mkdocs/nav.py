"""The nav and where each page goes: top-level sections become categories, their sections
sections, anything deeper is flattened; pages outside the nav go to "More". Then each placed
page's title, file name (old names first, letter case kept as a slug, index pages as folder
text) and new URL."""

from __future__ import annotations

import posixpath

from helpgen.importers.common import article_url, category_name, name_slug, split_url, unique_name
from helpgen.importers.markdown_links import first_heading
from helpgen.content.urls import is_safe_slug
from helpgen.importers.mkdocs.languages import _Language
from helpgen.importers.mkdocs.model import _Group, _Page, _Placement
from helpgen.importers.mkdocs.text import _plain_title, _title_icon

OVERVIEW_TITLE = {"en": "Overview", "zh-CN": "概览", "zh-TW": "概覽", "ja": "概要"}
MORE_TITLE = {"en": "More", "zh-CN": "更多", "zh-TW": "更多", "ja": "その他"}


def _nav_entry(item) -> tuple[str, str | None, object]:
    """("page", title, target) or ("section", title, children) for one nav item."""
    if isinstance(item, str):
        return "page", None, item
    if isinstance(item, dict) and len(item) == 1:
        title, value = next(iter(item.items()))
        if isinstance(value, list):
            return "section", str(title), value
        if isinstance(value, str):
            return "page", str(title), value
    return "other", None, item


def _is_index_file(base: str) -> bool:
    """index.md or README.md: the page MkDocs serves at its folder's URL."""
    return posixpath.splitext(posixpath.basename(base))[0].lower() in ("index", "readme")


def _sort_key(path: str):
    """MkDocs' file order: index/README first in each folder, then by name."""
    parts = path.split("/")
    stem = posixpath.splitext(parts[-1])[0].lower()
    return (*[(1, p) for p in parts[:-1]], (0 if stem in ("index", "readme") else 1, parts[-1]))


def _title_from_path(base: str) -> str:
    from mkdocs.utils import dirname_to_title
    stem = posixpath.splitext(posixpath.basename(base))[0]
    if stem.lower() in ("index", "readme"):
        parent = posixpath.basename(posixpath.dirname(base))
        return dirname_to_title(parent) if parent else "Home"
    return dirname_to_title(stem)


class _Nav:
    """Placing the nav's pages in categories and sections, and naming them (a part of
    `_Importer`)."""

    # The nav

    def nav_items(self) -> list:
        nav = self.config["nav"]
        if nav is not None:
            return nav
        from mkdocs.utils import nest_paths
        order = [p.base for p in self._default_pages()]
        return nest_paths(order)

    def _default_pages(self) -> list[_Page]:
        pages = [p for (base, code), p in self.pages.items() if code == self.default.code]
        return sorted(pages, key=lambda p: _sort_key(p.base))

    def _nav_page(self, target: str) -> str | None:
        """The page base a nav entry points to, or None for a link."""
        if split_url(target).scheme or target.startswith("/"):
            return None
        target = posixpath.normpath(target).lstrip("./") if target not in ("", ".") else \
            "index.md"
        if self.structure == "folder":
            first, _, rest = target.partition("/")
            if first in self.by_code and rest:
                target = rest
        if any(base == target for base, _ in self.pages):
            return target
        return None

    def place_nav(self) -> None:
        overview: _Group | None = None
        position = 0
        for item in self.nav_items():
            position += 1
            kind, title, value = _nav_entry(item)
            if kind == "page":
                base = self._nav_page(value)
                if base is None:
                    self._nav_link(title, value)
                    continue
                if overview is None:
                    overview = self._category(OVERVIEW_TITLE["en"], position,
                                              titles=self._fixed_titles(OVERVIEW_TITLE),
                                              slug="overview")
                self._place(base, overview, title)
            elif kind == "section":
                category = self._category(title, position)
                for child in value:
                    kind2, title2, value2 = _nav_entry(child)
                    if kind2 == "page":
                        self._place_nav_page(title2, value2, category, direct=True)
                    elif kind2 == "section" and (only := self._only_index(value2)):
                        # A section of its index page alone is that page, at its old URL
                        # (helpgen publishes no folder page without an article in it).
                        self._place(only, category, title2)
                    elif kind2 == "section":
                        section = self._section(category, title2)
                        self._flatten(value2, section, [title, title2])
        leftovers = [p.base for p in self._default_pages() if p.base not in self.placements]
        leftovers += sorted({base for base, _ in self.pages if base not in self.placements
                             and base not in leftovers}, key=_sort_key)
        for base in [base for base in leftovers if self._included_only(base)]:
            leftovers.remove(base)
            self.report.skip("Pages that other pages include, not in the nav (their text is "
                             "in those pages; not articles)", base)
        if leftovers:
            more = self._category(MORE_TITLE["en"], 10_000,
                                  titles=self._fixed_titles(MORE_TITLE), slug="more")
            for base in leftovers:
                self._place(base, more, None)
                self.report.check("Pages that were not in the nav (now in the More category)",
                                  base)

    def _only_index(self, items) -> str | None:
        """The page of a nav section that lists only its `index.md` (or README.md)."""
        entries = [_nav_entry(item) for item in items]
        if len(entries) != 1 or entries[0][0] != "page":
            return None
        base = self._nav_page(entries[0][2])
        return base if base is not None and _is_index_file(base) else None

    def _included_only(self, base: str) -> bool:
        """Whether every language's file of page `base` is text other pages include."""
        return all(page.path.resolve() in self.includes.used
                   for (other, _), page in self.pages.items() if other == base)

    def _place_nav_page(self, title: str, value, group: _Group, direct: bool) -> None:
        """A nav entry into `group`: a page of the project, or a link (reported)."""
        base = self._nav_page(value)
        if base is None:
            self._nav_link(title, value)
        else:
            self._place(base, group, title, direct=direct)

    def _flatten(self, items, section: _Group, trail: list[str]) -> None:
        for item in items:
            kind, title, value = _nav_entry(item)
            if kind == "page":
                self._place_nav_page(title, value, section, direct=len(trail) == 2)
            elif kind == "section":
                self.report.note(f"The nav group '{' › '.join(trail + [title])}' was flattened "
                                 f"into the section '{trail[1]}' (helpgen has two levels).")
                self._flatten(value, section, trail + [title])

    def _nav_link(self, title, target) -> None:
        self.report.skip("Nav links to other sites or missing pages",
                         f"{title or target}: {target}")

    def _fixed_titles(self, titles: dict) -> dict:
        return {lang.locale: titles.get(lang.locale, titles["en"]) for lang in self.languages}

    def _translated(self, title: str) -> dict:
        """A nav section's label in every language that translates it, as plain text."""
        titles = {self.default.locale: _plain_title(title)}
        for lang in self.languages[1:]:
            if title in lang.nav_translations:
                titles[lang.locale] = _plain_title(lang.nav_translations[title])
        return titles

    def _category(self, title: str, order: int, titles: dict | None = None,
                  slug: str | None = None) -> _Group:
        titles = titles or self._translated(title)
        title = titles[self.default.locale]
        name = category_name(slug or name_slug(title, "category"), self.category_names,
                             [lang.locale for lang in self.languages])
        group = _Group(name, title, len(self.categories) + 1, titles)
        self.categories.append(group)
        self.groups[(name,)] = group
        return group

    def _section(self, category: _Group, title: str) -> _Group:
        titles = self._translated(title)
        name = unique_name(name_slug(titles[self.default.locale], "section"), category.names)
        group = _Group(f"{category.folder}/{name}", titles[self.default.locale],
                       sum(1 for k in self.groups if len(k) == 2 and k[0] == category.folder) + 1,
                       titles)
        self.groups[(category.folder, name)] = group
        return group

    def _place(self, base: str, group: _Group, nav_title: str | None,
               direct: bool = False) -> None:
        if base in self.placements:
            self.report.check("Pages listed more than once in the nav (imported once, at "
                              "the first place)", base)
            return
        order = sum(1 for p in self.placements.values() if p.group is group) + 1
        self.placements[base] = _Placement(base, group, order, nav_title, direct=direct)

    def _choose_indexes(self) -> None:
        """A nav section's own `index.md` (the page Material's navigation.indexes opens for
        the section) becomes the text of its category or section page, `_index.md`: the
        folder's URL, which was the page's URL, shows the same text with the same anchors.
        Not when the folder has nothing else: helpgen publishes no empty folder page."""
        for group in self.groups.values():
            placed = sorted((p for p in self.placements.values() if p.group is group),
                            key=lambda p: p.order)
            indexes = [p for p in placed if p.direct and _is_index_file(p.base)]
            # configuration/index.md, not configuration/log/index.md listed beside it
            index = min(indexes, key=lambda p: p.base.count("/"), default=None)
            if index is not None and any(
                    p is not index and (p.group.folder + "/").startswith(group.folder + "/")
                    for p in self.placements.values()):
                index.is_index = True

    # Names and titles

    def title(self, placement: _Placement, page: _Page, language: _Language) -> str:
        """The article's title on one line, as text; never empty (helpgen requires one)."""
        title = _plain_title(str(self._title(placement, page, language)))
        return title or _title_from_path(placement.base).strip() or "Untitled"

    def title_icon(self, placement: _Placement, page: _Page, language: _Language) -> str | None:
        """The icon the page's title showed before its text, as an `icon:` setting."""
        return _title_icon(self._title(placement, page, language))

    def _title(self, placement: _Placement, page: _Page, language: _Language) -> str:
        """The heading the page showed (its first `# heading`, else its `title:`); the nav label
        only for a page without one: MkDocs showed the label in the nav, not on the page."""
        meta_title = page.meta.get("title")
        heading = first_heading(page.body)
        if heading and _plain_title(heading):
            return heading
        if isinstance(meta_title, (str, int, float)) and str(meta_title).strip():
            return str(meta_title).strip()
        if placement.nav_title and language.default:
            return str(placement.nav_title)
        if placement.nav_title in language.nav_translations:
            return language.nav_translations[placement.nav_title]
        if not language.default:
            default = self.pages.get((placement.base, self.default.code))
            if default is not None:
                return self.title(placement, default, self.default)
        return _title_from_path(placement.base)

    def name_files(self) -> None:
        # Folders of sections are names inside their category, as are articles placed directly
        # in the category: they share one URL space.
        for key, group in self.groups.items():
            if len(key) == 2:
                self.groups[(key[0],)].names.add(key[1].casefold())
        self._choose_indexes()
        for placement in self.placements.values():
            if placement.is_index:
                continue
            page = self._any_page(placement.base)
            stem = posixpath.splitext(posixpath.basename(placement.base))[0]
            if _is_index_file(placement.base):
                parent = posixpath.basename(posixpath.dirname(placement.base))
                label = _plain_title(placement.nav_title or "") or \
                    self.title(placement, page, page.language)
                wanted = name_slug(label, "") or \
                    name_slug(parent, "home")
            else:
                wanted = name_slug(stem)
            placement.name = unique_name(wanted, placement.group.names)
        self._old_names_first()
        for placement in self.placements.values():
            self._keep_letter_case(placement)

    def _old_names_first(self) -> None:
        """Two pages that want one name in a section (`dns/fakeip.md` and
        `dns/server/fakeip.md`, flattened into one) are named in nav order; when the later one's
        old URL is the name's new URL, and the first one's is not, they swap names, so that old
        URL keeps its page."""
        def old_url(placement: _Placement) -> str | None:
            page = self.pages.get((placement.base, self.default.code))
            return page.old_url.removeprefix(self.default.link) if page else None

        by_url = {self.new_url(p, self.default): p for p in self.placements.values()}
        for placement in self.placements.values():
            holder = by_url.get(old_url(placement) or "")
            if holder is None or holder is placement or holder.group is not placement.group \
                    or placement.is_index or holder.is_index \
                    or old_url(holder) == self.new_url(holder, self.default):
                continue
            holder.name, placement.name = placement.name, holder.name
            by_url[self.new_url(holder, self.default)] = holder
            by_url[self.new_url(placement, self.default)] = placement

    def _keep_letter_case(self, placement: _Placement) -> None:
        """An old URL that differs from the new one only in the letter case of its last
        segment (`docker/DHCP/`, now `docker/dhcp/`) is kept as the article's `slug:`: helpgen
        cannot also write it as an alias (one file on case-insensitive disks), and hosts that
        match case exactly would answer it with 404."""
        page = self.pages.get((placement.base, self.default.code))
        if page is None or not self.use_directory_urls or placement.is_index:
            return
        old = page.old_url.removeprefix(self.default.link)
        new = self.new_url(placement, self.default)
        head, _, last = old.rstrip("/").rpartition("/")
        if old != new and old.casefold() == new.casefold() and \
                new.rstrip("/").rpartition("/")[0] == head and is_safe_slug(last):
            placement.slug = last

    def _any_page(self, base: str) -> _Page:
        return self.pages.get((base, self.default.code)) or next(
            p for (b, _), p in self.pages.items() if b == base)

    # New URLs

    def locale_prefix(self, language: _Language) -> str:
        return "" if language.default else f"{language.locale}/"

    def new_url(self, placement: _Placement, language: _Language) -> str:
        if placement.is_index:      # the folder's page
            *parents, name = placement.group.folder.split("/")
            return article_url(tuple(parents), name, self.locale_prefix(language))
        return article_url(tuple(placement.group.folder.split("/")), placement.name,
                           self.locale_prefix(language), placement.slug)

    def new_urls(self) -> set[str]:
        urls = set()
        for language in self.languages:
            prefix = self.locale_prefix(language)
            urls.add(prefix)
            for key in self.groups:
                urls.add(prefix + "".join(f"{part}/" for part in key))
            for placement in self.placements.values():
                urls.add(self.new_url(placement, language))
        return urls
