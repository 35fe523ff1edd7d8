"""The project's pages: the docs folder read as MkDocs reads it (without leaving the project),
each page's language, front matter and includes; then each page written as an article, with its
links rewritten, its old URLs (own, fallback copies, redirect_maps) as aliases and its git date;
files the pages link to are copied."""

from __future__ import annotations

import functools
import os
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

from helpgen.errors import HelpgenError
from helpgen.importers.common import SAME_URL, Aliases, contained, relative_link, split_url
from helpgen.importers.markdown_links import rewrite_page_links, uses_macros, uses_snippets
from helpgen.settings.locales import canonical
from helpgen.content.sources import git_dates
from helpgen.content.urls import normalize_alias, relative_url
from helpgen.importers.mkdocs.languages import _Language
from helpgen.importers.mkdocs.model import _Group, _Page, _Placement

FRONT_MATTER_CARRIED = {"title", "description", "tags"}
OUTSIDE = "Files outside the project folder (not read)"


def _url_key(url: str) -> str:
    """A URL of the old site as its host matched it: `guide/ccm`, `guide/ccm/` and
    `guide/ccm/index.html` are one page (hosts redirect a folder to its slash)."""
    url = url.lstrip("/")
    url = url[:-len("index.html")] if url == "index.html" or url.endswith("/index.html") else url
    return url.rstrip("/")


def _shallow(folder: Path) -> bool:
    """Whether `folder` is in a shallow git clone."""
    import subprocess
    try:
        return subprocess.run(["git", "-C", str(folder), "rev-parse", "--is-shallow-repository"],
                              capture_output=True, text=True).stdout.strip() == "true"
    except OSError:
        return False


class _Pages:
    """Reading the docs folder and writing its pages as articles (a part of `_Importer`)."""

    # Reading the docs folder

    def _docs_files(self) -> list:
        """docs_dir's files as MkDocs' get_files lists them, walked without leaving the project:
        a symlink to a file or folder outside it is reported and skipped, and a symlink to a
        folder that holds it (a loop) is not followed (get_files follows every symlink)."""
        from mkdocs.structure.files import File, set_exclusions
        by_dest: dict[str, File] = {}
        for folder, folders, names in os.walk(self.docs_dir, followlinks=True):
            here = Path(folder)
            real_here = here.resolve()
            for name in sorted(folders):
                real = self.inside(here / name, "docs_dir")
                if real is None or real_here.is_relative_to(real):      # outside, or a loop
                    folders.remove(name)
            folders.sort()
            for name in sorted(names, key=lambda n: (os.path.splitext(n)[0] not in
                                                     ("index", "README"), n)):
                if self.inside(here / name, "docs_dir") is None:
                    continue
                file = File(os.path.relpath(here / name, self.docs_dir), str(self.docs_dir),
                            "/site", self.use_directory_urls)
                by_dest[file.dest_uri] = file           # index.md wins over README.md
        files = list(by_dest.values())
        set_exclusions(files, self.config)
        return files

    def inside(self, path: Path, what: str) -> Path | None:
        """`path` resolved when it is inside the project folder; otherwise reported, None."""
        real = contained(path, self.root)
        if real is None:
            shown = os.path.relpath(os.path.abspath(path), self.root)
            self.report.skip(OUTSIDE, f"{what}: {shown} (it leads to {Path(path).resolve()})")
        return real

    def read_files(self) -> None:
        from mkdocs.structure.files import File
        files = self._docs_files()
        codes = {lang.code for lang in self.languages}
        for file in files:
            if file.inclusion.is_excluded():
                continue
            src = file.src_uri
            if not file.is_documentation_page():
                self.other_files[src] = Path(file.abs_src_path)
                continue
            base, code = self._split_language(src, codes)
            if code is None:
                self.report.skip("Pages in languages the i18n plugin does not build", src)
                continue
            language = self.by_code[code]
            url = File(base, str(self.docs_dir), "/site", self.use_directory_urls).url
            url = unquote("" if url == "./" else url)
            page = _Page(src, Path(file.abs_src_path), base, language, language.link + url)
            if (base, code) in self.pages:
                # page.md and page.en.md both exist: MkDocs uses page.md for the default.
                if src != base:
                    continue
            self.pages[(base, code)] = page
            self.by_src[src] = page
        if not self.pages:
            raise HelpgenError("no Markdown pages found", self.docs_dir, None,
                               "check docs_dir in mkdocs.yml")

    def _split_language(self, src: str, codes: set[str]) -> tuple[str, str | None]:
        default = self.default.code
        if self.structure == "suffix":
            stem, ext = posixpath.splitext(src)
            head, dot, suffix = stem.rpartition(".")
            if dot and "/" not in suffix and canonical(suffix):
                return head + ext, suffix if suffix in codes else None
            return src, default
        if self.structure == "folder":
            first, _, rest = src.partition("/")
            if rest and canonical(first):
                return rest, first if first in codes else None
            return src, default
        return src, default

    def load_page(self, page: _Page) -> None:
        from mkdocs.utils.meta import get_data
        try:
            text = page.path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise HelpgenError("the page is not UTF-8 text", page.path, None,
                               "save it as UTF-8 in your editor") from None
        body, meta = get_data(text)
        if text.startswith("---") and not meta and re.match(r"^---\s*\n.*?\n---", text, re.S):
            self.report.check("Front matter that MkDocs could not read (kept as text)",
                              page.src)
        self.loading = page
        page.body, page.meta = self.includes.expand(body), meta if isinstance(meta, dict) else {}

    def _missing_include(self, directive: str, written: str) -> None:
        self.report.check(f"Included files that were not found ({directive}; left out)",
                          f"{self.loading.src if self.loading else 'mkdocs.yml'}: {written}")

    # Writing

    def write_articles(self) -> None:
        aliases = Aliases(self.new_urls(), [lang.locale for lang in self.languages[1:]])
        redirect_maps = self._redirect_maps()
        dates = self._git_dates()
        for placement in sorted(self.placements.values(), key=lambda p: (p.group.folder,
                                                                           p.order)):
            for language in self.languages:
                page = self.pages.get((placement.base, language.code))
                if page is None:
                    continue
                if placement.is_index and not self._has_pages(placement.group, language):
                    self.report.check("Section index pages whose section has no other page in "
                                      "their language (helpgen makes no page for it: not "
                                      "imported)", page.src)
                    continue
                relative = placement.file if language.default else \
                    placement.translation_file(language.locale)
                meta = {"title": self.title(placement, page, language),
                        "icon": self.title_icon(placement, page, language)}
                if language.default or (placement.base, self.default.code) not in self.pages:
                    meta["order"] = placement.order      # the article's primary file
                    meta["slug"] = placement.slug
                for key in ("description",):
                    if isinstance(page.meta.get(key), str) and page.meta[key].strip():
                        meta[key] = page.meta[key].strip()
                tags = page.meta.get("tags")
                if isinstance(tags, list) and tags:
                    meta["tags"] = [str(t) for t in tags if t is not None]
                if dates.get(page.path.resolve()):
                    meta["updated"] = dates[page.path.resolve()]
                for key in sorted(set(page.meta) - FRONT_MATTER_CARRIED):
                    self.report.skip("Page front matter keys", f"{key} ({page.src})")
                kept = []
                old_urls = [page.old_url] + redirect_maps.get((placement.base, language.code),
                                                              []) + \
                    [url for url, _ in self._fallback_urls(page)]
                for old in old_urls:
                    alias, why = aliases.accept(old)
                    if alias:
                        kept.append(alias)
                        self.report.count("old URLs kept")
                    elif why == SAME_URL and normalize_alias("/" + old) != \
                            self.new_url(placement, language):
                        self.report.note(self._same_url_note(old, page, placement, language))
                    elif why != SAME_URL and old.strip("/"):
                        self.report.note(f"/{old} is not redirected: {why}.")
                if kept:
                    meta["aliases"] = kept
                if placement.is_index:       # the folder's title is its nav section's label
                    if meta.get("tags"):
                        self.report.skip("Page front matter keys", f"tags ({page.src}: now the "
                                         "text of a category or section page, which has none)")
                    meta = {key: meta[key] for key in ("description", "aliases") if key in meta}
                body = self.rewrite(page, placement, language, relative)
                if uses_macros(page.body):
                    self.report.check("Pages with macros or template variables (shown as "
                                      "written)", page.src)
                if self.includes.snippets is None and uses_snippets(page.body):
                    self.report.check("Pages with --8<-- snippet includes (not expanded)",
                                      page.src)
                self.writer.article(relative, meta, body)
                self.report.count("translations" if not language.default else "pages")

    def _git_dates(self) -> dict:
        """The last commit date of each page, when the project is a git checkout with its
        history (a shallow clone would date every page by its one commit)."""
        dates = git_dates(self.docs_dir)
        if dates and _shallow(self.docs_dir):
            self.report.check("Dates", "the project is a shallow git clone, so its pages' "
                              "history is not there: the articles have no `updated:`. Fetch it "
                              "(git fetch --unshallow) and import again")
            return {}
        if dates:
            self.carried_plugins |= {"git-revision-date", "git-revision-date-localized"}
            self.report.note("Each article's `updated:` is the date of its page's last git "
                             "commit in the project.")
        return dates

    def _has_pages(self, group: _Group, language: _Language) -> bool:
        """Whether an article of `group` (or of a section in it) is shown in `language`: its
        own translation, or (fallback_to_default) the default language's page."""
        shown = {language.code, self.default.code} if self.fallback else {language.code}
        return any(not p.is_index and (p.group.folder + "/").startswith(group.folder + "/")
                   and any((p.base, code) in self.pages for code in shown)
                   for p in self.placements.values())

    def _same_url_note(self, old: str, page: _Page, placement: _Placement,
                       language: _Language) -> str:
        """Why the old URL `old`, which the new site uses itself, does not lead to `page`."""
        new = self.new_url(placement, language)
        if normalize_alias("/" + old).casefold() == new.casefold():
            return (f"/{old} is not redirected to /{new}: the two differ only in letter case, "
                    "and helpgen writes one file for both (as case-insensitive disks do); "
                    "hosts that match case exactly answer /" + old + " with 404.")
        other = next((p for p in self.placements.values()
                      if self.new_url(p, language) == normalize_alias("/" + old)), None)
        shown = f"the page {other.base}" if other else \
            "the category or section page of the same name"
        return f"/{old} now shows {shown} instead of the page {page.src}."

    def _fallback_urls(self, page: _Page) -> list[tuple[str, _Language]]:
        """The old URLs where mkdocs-static-i18n showed the default-language `page` in the
        languages it has no translation in (fallback_to_default), with those languages."""
        if not self.fallback or not page.language.default:
            return []
        path = page.old_url.removeprefix(page.language.link)
        return [(lang.link + path, lang) for lang in self.languages[1:]
                if (page.base, lang.code) not in self.pages]

    def _redirect_maps(self) -> dict[tuple[str, str], list[str]]:
        """mkdocs-redirects' `redirect_maps` (old page -> page) as extra old URLs."""
        from mkdocs.structure.files import File
        options = next((o for n, o in self.plugins if n == "redirects"), None) or {}
        result: dict[tuple[str, str], list[str]] = {}
        for old, new in (options.get("redirect_maps") or {}).items():
            base = self._nav_page(str(new).split("#")[0])
            if base is None:
                self.report.skip("Redirects to other sites", f"{old} → {new}")
                continue
            url = File(str(old), str(self.docs_dir), "/site", self.use_directory_urls).url
            result.setdefault((base, self.default.code), []).append(
                unquote("" if url == "./" else url))
        return result

    # Links

    def rewrite(self, page: _Page, placement: _Placement, language: _Language,
                relative: str) -> str:
        page_url = self.new_url(placement, language)

        def resolve(target: str, parts, kind: str) -> str | None:
            path = unquote(parts.path)
            fragment = "#" + parts.fragment if parts.fragment else ""
            found = self._resolve(page, path)
            if found is None:
                page_like = kind != "image" and (path.endswith((".md", "/")) or
                                                 not posixpath.splitext(path)[1])
                self.report.check(f"Links to a missing {'page' if page_like else 'image or file'}"
                                  " (kept as written)", f"{page.src}: {target}")
                return None
            site_path, target_placement, explicit = found
            if target_placement is not None and (kind == "html" or explicit not in (None,
                                                                                   language)):
                # A page in the language the link names (a URL written for it), else the
                # reader's when it is translated: raw HTML is not rewritten by helpgen.
                target_language = explicit or (language if (target_placement.base,
                                                            language.code) in self.pages
                                               else self.default)
                return relative_url(page_url, self.new_url(target_placement, target_language)) \
                    + fragment
            if kind == "html":
                return relative_url(page_url, site_path) + fragment
            return relative_link("articles/" + relative, site_path) + fragment

        return rewrite_page_links(page.body, page.src, self.report, resolve)

    def _resolve(self, page: _Page, path: str
                 ) -> tuple[str, _Placement | None, _Language | None] | None:
        """Where a link target of `page` now is: (site-folder path, placement, the language a
        URL names). A path is a docs file as MkDocs resolves it (relative to the page's file,
        or `/` from docs_dir), else a URL as the old site served it (relative to the page's old
        URL, or `/` from the site's root)."""
        here = posixpath.dirname(page.src)
        if path.startswith("/"):
            src = posixpath.normpath(path.lstrip("/"))
        else:
            src = posixpath.normpath(posixpath.join(here, path))
        candidates = [src]
        if self.structure == "folder":
            first, _, rest = src.partition("/")
            if first in self.by_code:
                candidates += [f"{self.default.code}/{rest}", rest]
        for candidate in candidates:
            target = self.by_src.get(candidate)
            if target is None and candidate.endswith(".md"):
                base, code = self._split_language(candidate, set(self.by_code))
                if code is not None and base in self.placements:
                    target = self._any_page(base)
            if target is not None and target.base in self.placements:
                placement = self.placements[target.base]
                return "articles/" + placement.file, placement, None
            if candidate in self.other_files:
                return self.copy_asset(candidate), None, None
        url = self._old_url_path(page, path)
        if url is None:
            return None
        found = self.old_urls.get(_url_key(url))
        if found is not None:
            return "articles/" + found[0].file, *found
        if url in self.other_files:
            return self.copy_asset(url), None, None
        return None

    def _old_url_path(self, page: _Page, path: str) -> str | None:
        """The link `path` of `page` as the browser read it on the old site: a path from the
        site's root (under site_url's path), or None when it leads outside the site."""
        if path.startswith("/"):
            base = split_url(str(self.config.get("site_url") or "")).path.rstrip("/") + "/"
            if not (path + "/").startswith(base):
                return None
            joined = path[len(base):]
        else:
            old_dir = page.old_url if page.old_url.endswith("/") or not page.old_url else \
                posixpath.dirname(page.old_url) + "/"
            joined = old_dir + path
        url = posixpath.normpath(joined) if joined else "."
        if url == ".." or url.startswith("../"):
            return None
        return ("" if url == "." else url) + ("/" if path.endswith("/") else "")

    @functools.cached_property
    def old_urls(self) -> dict[str, tuple[_Placement, _Language]]:
        """Every URL the old site served a page at (its own, a fallback copy in another
        language, a redirect_maps entry), by _url_key: the page's placement and language."""
        found: dict[str, tuple[_Placement, _Language]] = {}
        redirected = self._redirect_maps()
        for (base, code), page in self.pages.items():
            placement = self.placements.get(base)
            if placement is None:
                continue
            language = self.by_code[code]
            urls = [(page.old_url, language), *self._fallback_urls(page),
                    *((url, language) for url in redirected.get((base, code), ()))]
            for url, shown_in in urls:
                found.setdefault(_url_key(url), (placement, shown_in))
        return found

    def copy_asset(self, src: str) -> str:
        wanted = src
        if self.structure == "folder":
            first, _, rest = src.partition("/")
            if first in self.by_code and rest:
                wanted = rest
        if wanted.startswith("assets/"):
            wanted = wanted[len("assets/"):]
        site_path = self.writer.asset(self.other_files[src], wanted)
        if src not in self.copied_assets:
            self.copied_assets.add(src)
            self.report.count("images and files copied")
        return site_path

    def report_unused_files(self) -> None:
        unused = sorted(src for src, file in self.other_files.items()
                        if src not in self.copied_assets
                        and file.resolve() not in self.includes.used)
        if unused:
            self.report.note(f"{len(unused)} other file(s) in {self.docs_dir.name}/ were not "
                             "linked from any page and were not copied: "
                             + ", ".join(unused[:10]) + (" …" if len(unused) > 10 else ""))
