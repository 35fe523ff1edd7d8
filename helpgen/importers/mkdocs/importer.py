"""One MkDocs import from start to end: `import_mkdocs` and the `_Importer` that holds the
project while it is read, placed and written, built from the concerns of its sibling modules
(pages, nav, look). Here too: the site settings written to helpgen.yml (title, locales, heading
ids) and the report of the extensions, plugins and settings helpgen does not carry."""

from __future__ import annotations

from pathlib import Path

from helpgen.errors import HelpgenError
from helpgen.importers.common import (REPORT_FILE, ImportReport, SiteWriter, check_dest, contained,
                                      split_url)
from helpgen.importers.includes import MARKDOWN_INCLUDE, SNIPPETS, Includes
from helpgen.importers.markdown_links import first_heading
from helpgen.importers.mkdocs.languages import _i18n_options, _languages
from helpgen.importers.mkdocs.look import _Look
from helpgen.importers.mkdocs.model import _Group, _Page, _Placement
from helpgen.importers.mkdocs.nav import _Nav
from helpgen.importers.mkdocs.pages import _Pages
from helpgen.importers.mkdocs.settings import (_extension_name, _named_items, _Settings,
                                               find_config, read_settings)
from helpgen.importers.mkdocs.text import _title_icon

# Extensions helpgen always enables (or whose effect it has anyway), by their short names.
CARRIED_EXTENSIONS = {
    "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc",
    "fenced_code", "codehilite", "extra", "meta",
    "pymdownx.betterem", "pymdownx.caret", "pymdownx.details", "pymdownx.emoji",
    "pymdownx.highlight", "pymdownx.inlinehilite", "pymdownx.keys", "pymdownx.mark",
    "pymdownx.smartsymbols", "pymdownx.superfences", "pymdownx.tabbed", "pymdownx.tasklist",
    "pymdownx.tilde", "pymdownx.extra",
}
EXTENSION_NOTES = {
    "pymdownx.arithmatex": "math ($…$, $$…$$) is shown as written, not typeset",
    "pymdownx.magiclink": "bare URLs and @mentions are not turned into links",
    "pymdownx.critic": "CriticMarkup ({++ ++}, {-- --}) is shown as written",
    "pymdownx.progressbar": "progress bars are shown as text",
    "pymdownx.blocks.admonition": "/// admonition blocks are shown as written",
    "pymdownx.blocks.details": "/// details blocks are shown as written",
    "pymdownx.blocks.tab": "/// tab blocks are shown as written",
    "pymdownx.striphtml": "comments are kept in the HTML",
    "nl2br": "single line breaks do not become <br>",
    "sane_lists": "list parsing follows Python-Markdown's default rules",
    "wikilinks": "[[wiki links]] are shown as written",
    "plantuml_markdown": "PlantUML diagrams are shown as code",
}
PLUGIN_NOTES = {
    "macros": "Jinja macros and variables in pages are not expanded",
    "awesome-pages": ".pages files that order the nav are not read",
    "literate-nav": "a nav written in SUMMARY.md is not read",
    "blog": "blog posts, archives and categories are not made",
    "material/blog": "blog posts, archives and categories are not made",
    "mkdocstrings": "API reference generated from code is not imported",
    "gen-files": "pages generated at build time are not imported",
    "social": "social cards are not made",
    "material/social": "social cards are not made",
    "git-revision-date-localized": "the project is not a git checkout, so articles are dated "
                                   "by their files",
    "git-revision-date": "the project is not a git checkout, so articles are dated by their files",
    "glightbox": "images do not open in a lightbox",
    "mermaid2": "Mermaid diagrams are shown as code",
    "include-markdown": "{% include-markdown %} is not expanded",
    "minify": "helpgen writes its own HTML",
    "offline": "helpgen's output already works from disk",
    "material/offline": "helpgen's output already works from disk",
}
# Plugins whose job helpgen does itself or the importer carries.
CARRIED_PLUGINS = {"search", "material/search", "i18n", "tags", "material/tags", "redirects",
                   "privacy", "material/privacy"}
# Top-level settings the importer reads; other settings that are set are reported.
READ_SETTINGS = {"site_name", "site_url", "site_description", "nav", "docs_dir", "theme",
                 "markdown_extensions", "plugins", "use_directory_urls", "INHERIT", "site_dir",
                 "dev_addr", "strict", "validation", "watch", "exclude_docs", "not_in_nav",
                 "draft_docs", "remote_branch", "remote_name", "site_author", "copyright",
                 "extra", "extra_css", "repo_url", "repo_name"}
# Theme settings the importer reads (custom_dir is reported by itself).
THEME_READ = {"name", "logo", "favicon", "palette", "language", "font", "custom_dir"}
# toc.slugify that makes the heading ids helpgen makes by default (as _CheckingLoader reads it).
HELPGEN_SLUGIFY = "!!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}"


class _Importer(_Pages, _Nav, _Look):
    """One import: the project's settings, its pages, where they go and what they become."""

    def __init__(self, settings: _Settings, writer: SiteWriter, report: ImportReport):
        self.settings, self.writer, self.report = settings, writer, report
        self.config, self.raw = settings.config, settings.raw
        self.root = settings.path.parent
        self.docs_dir = Path(self.config["docs_dir"]).resolve()
        if contained(self.docs_dir, self.root) is None:
            where, line = settings.where("docs_dir")
            raise HelpgenError(f"docs_dir is outside the project folder: "
                               f"{self.raw.get('docs_dir')}", where, line,
                               f"helpgen reads only files inside {self.root}")
        self.use_directory_urls = bool(self.config["use_directory_urls"])
        theme = self.raw.get("theme")
        self.theme = theme if isinstance(theme, dict) else {"name": theme}
        self.plugins = _named_items(self.raw.get("plugins", ["search"]))
        self.languages, self.structure = _languages(self.plugins, self.theme, report,
                                                    settings.where)
        self.default = self.languages[0]
        # mkdocs-static-i18n publishes a page that has no translation in every language, in
        # the default one (fallback_to_default, true unless set otherwise).
        self.fallback = len(self.languages) > 1 and \
            (_i18n_options(self.plugins) or {}).get("fallback_to_default") is not False
        self.by_code = {lang.code: lang for lang in self.languages}
        self.pages: dict[tuple[str, str], _Page] = {}        # (base, language code) -> page
        self.by_src: dict[str, _Page] = {}
        self.other_files: dict[str, Path] = {}               # docs-relative -> file
        self.categories: list[_Group] = []
        self.category_names: set[str] = set()
        self.placements: dict[str, _Placement] = {}          # base -> placement
        self.groups: dict[tuple, _Group] = {}
        self.copied_assets: set[str] = set()
        self.carried_plugins = set(CARRIED_PLUGINS)
        self.loading: _Page | None = None
        self.includes = Includes(self.root, [(_extension_name(name), options) for name, options
                                             in _named_items(self.raw.get("markdown_extensions"))],
                                 self.inside, self._missing_include)

    # Groups and settings

    def write_groups(self) -> None:
        used = {p.group.folder for p in self.placements.values()}
        for key, group in self.groups.items():
            if group.folder not in used and not any(f.startswith(group.folder + "/")
                                                    for f in used):
                continue
            titles = group.titles
            title = titles if len(set(titles.values())) > 1 else group.title
            meta = {"title": title, "order": group.order}
            if len(key) == 1:
                meta["icon"] = self._group_icon(group)
            self.writer.group(group.folder, meta)
            self.report.count("categories" if len(key) == 1 else "sections")

    def _group_icon(self, group: _Group) -> str | None:
        """The icon in the heading of a category's index page (`# :material-cellphone-link:
        Graphical Clients`): helpgen shows a category's icon on its tile and page."""
        index = next((p for p in self.placements.values() if p.group is group and p.is_index),
                     None)
        return _title_icon(first_heading(self._any_page(index.base).body)) if index else None

    def write_settings(self) -> None:
        raw, config = self.raw, self.config
        title = {lang.locale: lang.site_name for lang in self.languages if lang.site_name}
        site_name = str(config["site_name"])
        title = {self.default.locale: site_name, **title} if title else site_name
        if isinstance(title, dict) and len(set(title.values())) == 1:
            title = site_name
        description = {lang.locale: lang.site_description for lang in self.languages
                       if lang.site_description}
        if config.get("site_description"):
            description = {self.default.locale: str(config["site_description"]), **description}
        if isinstance(description, dict) and len(set(description.values())) <= 1:
            description = next(iter(description.values()), None)
        url = config.get("site_url")
        if url and split_url(str(url)).scheme not in ("http", "https"):
            self.report.skip("Settings", f"site_url '{url}' (not an http(s) address)")
            url = None
        palette = self._palette()
        custom_css, css_colors = self._extra_css()
        footer_text, copyright_links = self._copyright()
        footer_links = []
        for link in copyright_links + self._social_links():
            if link["url"] not in [known["url"] for known in footer_links]:
                footer_links.append(link)
        brand = {"logo": self._logo(), "favicon": self._favicon(),
                 "primary_color": self._readable(
                     self._palette_color(palette, "primary", css_colors)),
                 "accent_color": self._palette_color(palette, "accent", css_colors),
                 "fonts": self._fonts(), "header_links": self._repo_link(),
                 "footer_links": footer_links, "footer_text": footer_text,
                 "banner": self._banner(), "custom_css": custom_css}
        fallback = any(self._fallback_urls(page) for page in self._default_pages())
        locales = {"default": self.default.locale,
                   "others": [lang.locale for lang in self.languages[1:]],
                   "untranslated": "show_default" if fallback else None}
        if fallback:
            self.report.note("Pages without a translation are shown in the default language "
                             "in every locale (locales.untranslated: show_default), as "
                             "mkdocs-static-i18n's fallback_to_default did; their old URLs in "
                             "the other languages lead to the default-language page.")
        self.writer.config({"site": {"title": title, "url": str(url) if url else None,
                                     "description": description},
                            "brand": brand, "locales": locales,
                            "markdown": {"heading_ids": self.heading_ids()}})
        for key in raw:
            if key not in READ_SETTINGS and raw.get(key) not in (None, [], {}, ""):
                self.report.skip("Settings", f"{key}")
        extra = raw.get("extra") if isinstance(raw.get("extra"), dict) else {}
        for key in extra:
            if key != "social" and extra[key] not in (None, [], {}, ""):
                self.report.skip("Settings", f"extra.{key}")
        for key in sorted(self.theme):
            if key in THEME_READ or key == "icon" and \
                    set((self.theme.get("icon") or {})) <= {"logo"}:
                continue
            if self.theme.get(key) not in (None, [], {}, ""):
                self.report.skip("Theme settings", f"theme.{key}")
        name = self.theme.get("name")
        if name not in (None, "material"):
            self.report.note(f"The project used the '{name}' theme; helpgen has its own theme.")

    def report_extensions_and_plugins(self) -> None:
        for name, options in _named_items(self.raw.get("markdown_extensions")):
            short = _extension_name(name)
            if short in (MARKDOWN_INCLUDE, SNIPPETS):
                self.report.note(f"{short}: the files pages include were written into the "
                                 "articles.")
                for option in sorted({"headingOffset", "inheritHeadingDepth", "url_download"}
                                     & {key for key, value in options.items() if value}):
                    self.report.skip("Markdown extensions", f"{short}: {option} (included "
                                     "text is written as it is in its file; nothing is "
                                     "downloaded)")
                continue
            if short in CARRIED_EXTENSIONS:
                if short == "pymdownx.superfences" and options.get("custom_fences"):
                    names = ", ".join(str(f.get("name")) for f in options["custom_fences"]
                                      if isinstance(f, dict))
                    self.report.skip("Markdown extensions", f"pymdownx.superfences custom "
                                     f"fences ({names}): shown as code blocks")
                continue
            self.report.skip("Markdown extensions",
                             f"{short}: {EXTENSION_NOTES.get(short, 'not available in helpgen')}")
        for name, options in self.plugins:
            if options.get("enabled", True) is False or name in self.carried_plugins:
                continue
            self.report.skip("Plugins", f"{name}: {PLUGIN_NOTES.get(name, 'no equivalent')}")

    def heading_ids(self) -> str | None:
        """markdown.heading_ids that gives headings the ids the MkDocs pages had: `mkdocs` for
        the toc extension's own slugify, None (helpgen's default) when the project's
        toc.slugify is helpgen's; another slugify or separator is reported."""
        toc = next((o for n, o in _named_items(self.raw.get("markdown_extensions"))
                    if _extension_name(n) == "toc"), {})
        slugify = " ".join(str(toc.get("slugify") or "").split())
        separator = str(toc.get("separator", "-"))
        if slugify == HELPGEN_SLUGIFY and separator == "-":
            self.report.note("toc.slugify is pymdownx.slugs.slugify (lowercase), as helpgen's "
                             "own: headings keep their ids.")
            return None
        if slugify or separator != "-":
            self.report.check("Heading ids", f"toc.slugify {slugify or '(MkDocs default)'} "
                              f"with separator '{separator}': helpgen makes heading ids as "
                              "MkDocs' default does (markdown.heading_ids: mkdocs) or as "
                              "pymdownx.slugs.slugify with case: lower (helpgen), so links to "
                              "#anchors of headings may not find them")
            return None if slugify else "mkdocs"
        self.report.note("markdown.heading_ids is mkdocs: headings keep the ids MkDocs gave "
                         "them (ASCII only: a Chinese heading's id is _1, _2…), so links to "
                         "#anchors keep working. Remove it for helpgen's ids, which keep "
                         "Chinese letters, once no old link needs them.")
        return "mkdocs"


def import_mkdocs(config_path: Path, dest: Path) -> ImportReport:
    """Import the MkDocs project at `config_path` into a new helpgen site folder `dest`."""
    path = find_config(config_path)
    check_dest(dest)
    settings = read_settings(path)
    report = ImportReport("MkDocs", str(path))
    report.counts = dict.fromkeys(("pages", "translations", "categories", "sections",
                                   "old URLs kept", "images and files copied"), 0)
    for warning in settings.warnings:
        report.note(f"MkDocs said: {warning}")
    with SiteWriter(dest) as writer:
        importer = _Importer(settings, writer, report)
        importer.read_files()
        for page in importer.pages.values():
            importer.load_page(page)
        importer.place_nav()
        importer.name_files()
        importer.write_articles()
        importer.write_groups()
        importer.write_settings()
        importer.report_custom_dir()
        importer.report_extensions_and_plugins()
        importer.report_unused_files()
        writer.text(REPORT_FILE, report.render())
        writer.commit()
    return report
