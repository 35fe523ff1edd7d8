"""`helpgen import mkdocs`: a MkDocs project (Material theme, mkdocs-static-i18n) as a help center.

The project is read with MkDocs' own YAML loader (`!ENV`, `INHERIT`) and validated by MkDocs'
`load_config`, on a safe base loader: no `!!python/…` tag, plugin, hook or theme code runs, and
a plugin or theme that is not installed here does not stop the import. Plugins, Markdown
extensions and theme settings are read from the YAML as written.

The nav becomes helpgen's two levels: a top-level nav section is a category, a section inside it
a section, and anything deeper is flattened into that section in nav order. Top-level pages go
into an "Overview" category; pages that the nav leaves out into "More". Each page keeps its old
URL as an alias.

Material's look (palette, fonts, copyright, social and repo links, announcement bar, extra_css)
becomes brand settings that build with `--strict`; what has no helpgen equivalent is reported.
"""

from __future__ import annotations

import colorsys
import functools
import io
import logging
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import yaml

from helpgen.settings.colors import AA, LIGHT_SURFACE, contrast, readable_shade
from helpgen.settings.config import COLOR, FONT_STACK
from helpgen.errors import HelpgenError
from helpgen.importers.common import (REPORT_FILE, SAME_URL, UNSAFE_HTML, Aliases, ImportReport,
                                      SiteWriter, article_url, category_name, check_dest,
                                      clean_html, contained, describe_removals, helpgen_locale,
                                      name_slug, relative_link, split_url, unique_name,
                                      unsafe_url)
from helpgen.importers.includes import MARKDOWN_INCLUDE, SNIPPETS, Includes
from helpgen.importers.markdown_links import (first_heading, rewrite_links, unsafe_html,
                                              uses_macros, uses_snippets)
from helpgen.settings.locales import article_file, canonical
from helpgen.content.sanitize import safe_url
from helpgen.settings.address import LINK_SCHEMES
from helpgen.content.sources import INDEX_NAME, git_dates
from helpgen.content.urls import is_safe_slug, normalize_alias, relative_url

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")

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
# Readable names of sites often linked from Material's footer and header.
SITE_NAMES = {"github.com": "GitHub", "gitlab.com": "GitLab", "bitbucket.org": "Bitbucket",
              "x.com": "X", "twitter.com": "Twitter", "linkedin.com": "LinkedIn",
              "youtube.com": "YouTube", "discord.gg": "Discord", "discord.com": "Discord",
              "hub.docker.com": "Docker Hub", "pypi.org": "PyPI", "npmjs.com": "npm"}
OVERVIEW_TITLE = {"en": "Overview", "zh-CN": "概览", "zh-TW": "概覽", "ja": "概要"}
MORE_TITLE = {"en": "More", "zh-CN": "更多", "zh-TW": "更多", "ja": "その他"}
FRONT_MATTER_CARRIED = {"title", "description", "tags"}
OUTSIDE = "Files outside the project folder (not read)"
# The class names of MkDocs themes, which a project's stylesheets style: nothing in helpgen's
# pages has them.
THEME_CLASSES = {"Material": r"\.md-[\w-]+", "the readthedocs theme": r"\.(?:wy|rst)-[\w-]+"}
_SHORTCODE = re.compile(r":([a-z0-9_+]+(?:-[a-z0-9_+]+)*):")
# toc.slugify that makes the heading ids helpgen makes by default (as _CheckingLoader reads it).
HELPGEN_SLUGIFY = "!!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}"
MATERIAL_HUE = 225          # Material's --md-hue, which its hsla() colors are written with


# --- Reading mkdocs.yml ---------------------------------------------------------------------


class _CheckingLoader(yaml.SafeLoader):
    """YAML as MkDocs reads it (`!ENV`, `!relative`, `!!python/…` tags), except that no tag runs
    code: Python tags are read as the text of the tag."""


def _env_tag(loader, node):
    """`!ENV NAME` or `!ENV [NAME, OTHER, default]`; a variable that is not set and has no
    default is an error naming it (MkDocs would quietly read null)."""
    import yaml_env_tag
    names, has_default = [], False
    if isinstance(node, yaml.ScalarNode):
        names = [node.value]
    elif isinstance(node, yaml.SequenceNode):
        has_default = len(node.value) > 1
        names = [child.value for child in node.value[:-1 if has_default else None]]
    if names and not has_default and not any(str(name) in os.environ for name in names):
        listed = " or ".join(f"'{name}'" for name in names)
        raise HelpgenError(
            f"the environment variable {listed} is not set", getattr(loader, "source_path", None),
            node.start_mark.line + 1,
            f"set it before importing, or give a default: !ENV [{names[0]}, default]")
    return yaml_env_tag.construct_env_tag(loader, node)


def _python_name(loader, suffix, node):
    return f"!!python/name:{suffix}"


def _python_other(loader, suffix, node):
    # `!!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}` and the like: MkDocs
    # would call the function while reading the file. The importer only needs to know the tag
    # and its arguments, as text.
    if isinstance(node, yaml.MappingNode):
        args = loader.construct_mapping(node, deep=True)
    elif isinstance(node, yaml.SequenceNode):
        args = loader.construct_sequence(node, deep=True)
    else:
        args = loader.construct_scalar(node)
    written = yaml.safe_dump(args, default_flow_style=True, width=10_000).strip() \
        if args not in ("", [], {}) else ""
    return f"!!python/{suffix} {written.removesuffix('...').strip()}".strip()


_CheckingLoader.add_constructor("!ENV", _env_tag)
_CheckingLoader.add_constructor("!relative", lambda loader, node: loader.construct_scalar(node))
_CheckingLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", _python_name)
_CheckingLoader.add_multi_constructor(
    "tag:yaml.org,2002:python/tuple",
    lambda loader, suffix, node: loader.construct_sequence(node))
_CheckingLoader.add_multi_constructor("tag:yaml.org,2002:python/", _python_other)


def _parse_file(path: Path) -> tuple[dict, dict[str, int]]:
    """One YAML file of the INHERIT chain: its data and the line of each top-level key (read
    here first so that a mistake is reported with its file and line)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise HelpgenError("the file is not UTF-8 text", path, None,
                           "save it as UTF-8 in your editor") from None
    loader = _CheckingLoader(text)
    loader.source_path = path
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise HelpgenError(f"malformed YAML: {exc.problem or exc}", path,
                           mark.line + 1 if mark else None,
                           "check the indentation and quoting on this line") from None
    except yaml.YAMLError as exc:
        raise HelpgenError(f"malformed YAML: {exc}", path, None) from None
    finally:
        loader.dispose()
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise HelpgenError("mkdocs.yml must be a mapping of settings", path, 1,
                           "write settings as 'key: value' lines, e.g. site_name: My Docs")
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value} \
        if isinstance(node, yaml.MappingNode) else {}
    return data, lines


@dataclass
class _Settings:
    """The project's settings: validated by MkDocs (`config`) and as written (`raw`)."""

    path: Path
    config: object                                # mkdocs.config.defaults.MkDocsConfig
    raw: dict
    key_lines: dict[str, tuple[Path, int]]        # top-level key -> where it is written
    warnings: list[str] = field(default_factory=list)   # what MkDocs warned about

    def where(self, key: str) -> tuple[Path, int | None]:
        return self.key_lines.get(key, (self.path, None))


def read_settings(path: Path) -> _Settings:
    """Check every file of the INHERIT chain, then load the project with MkDocs' loader."""
    key_lines: dict[str, tuple[Path, int]] = {}
    chain, current = [], path
    while True:
        if current in chain:
            raise HelpgenError("INHERIT makes a loop", current, None,
                               "a file cannot inherit from itself")
        chain.append(current)
        data, lines = _parse_file(current)
        for key, line in lines.items():
            key_lines.setdefault(key, (current, line))
        parent = data.get("INHERIT")
        if parent is None:
            break
        target = (current.parent / str(parent)).resolve()
        if contained(target, path.parent) is None:
            raise HelpgenError(f"INHERIT names a file outside the project folder: {parent}",
                               current, lines.get("INHERIT"),
                               f"helpgen reads only files inside {path.parent}; copy the "
                               "inherited settings into the project")
        if not target.is_file():
            raise HelpgenError(f"INHERIT names a file that does not exist: {parent}", current,
                               lines.get("INHERIT"), f"looked for {target}")
        current = target

    from mkdocs import exceptions
    from mkdocs.config import load_config
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    with open(path, "rb") as handle:
        try:
            raw = yaml_load(handle, loader=get_yaml_loader(_CheckingLoader))
        except exceptions.ConfigurationError as exc:
            raise HelpgenError(str(exc), path, None) from None

    # MkDocs validates a plain copy of the merged settings: its own loader would construct the
    # `!!python/…` tags (calling functions, importing the project's modules) while reading.
    # Plugins, extensions, hooks and the theme are read from `raw` instead of being loaded, which
    # needs none of them installed and runs no third-party code.
    plain = {k: v for k, v in raw.items()
             if k not in ("INHERIT", "plugins", "markdown_extensions", "hooks", "theme")}
    messages: list[tuple[int, str]] = []

    class Collect(logging.Handler):
        def emit(self, record):
            messages.append((record.levelno, record.getMessage()))

    logger = logging.getLogger("mkdocs")
    handler, propagate = Collect(level=logging.WARNING), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        config = load_config(config_file=io.BytesIO(yaml.safe_dump(plain).encode("utf-8")),
                             config_file_path=str(path), plugins=[], markdown_extensions=[],
                             hooks=[], theme={"name": "mkdocs"})
    except (exceptions.Abort, exceptions.ConfigurationError) as exc:
        errors = [m for level, m in messages if level >= logging.ERROR] or [str(exc)]
        match = re.search(r"Config value '([^']+)': (.*)", errors[0], re.DOTALL)
        key, message = (match.group(1), match.group(2)) if match else (None, errors[0])
        where_path, where_line = key_lines.get(key, (path, None)) if key else (path, None)
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise HelpgenError(f"MkDocs cannot load this project: {message.strip()}{more}",
                           where_path, where_line,
                           "fix it so that 'mkdocs build' accepts the file, then import again"
                           ) from None
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
    return _Settings(path, config, raw, key_lines,
                     [m for level, m in messages if level < logging.ERROR])


def find_config(path: Path) -> Path:
    if path.is_dir():
        for name in CONFIG_NAMES:
            if (path / name).is_file():
                return (path / name).resolve()
        raise HelpgenError("no mkdocs.yml in this folder", path, None,
                           "give the path of the project's mkdocs.yml")
    if not path.is_file():
        raise HelpgenError("the file does not exist", path, None,
                           "give the path of the project's mkdocs.yml")
    return path.resolve()


# --- Plugins, extensions, theme --------------------------------------------------------------


def _named_items(value) -> list[tuple[str, dict]]:
    """A plugins or markdown_extensions list (or mapping) as (name, options) pairs."""
    items: list[tuple[str, dict]] = []
    if isinstance(value, dict):
        value = [{k: v} for k, v in value.items()]
    for entry in value or ():
        if isinstance(entry, str):
            items.append((entry, {}))
        elif isinstance(entry, dict):
            for name, options in entry.items():
                items.append((str(name), options if isinstance(options, dict) else {}))
    return items


def _extension_name(name: str) -> str:
    name = name.split(":")[0]
    for prefix in ("markdown.extensions.", "mdx_"):
        if name.startswith(prefix):
            name = name[len(prefix):]
    return name


@dataclass
class _Language:
    code: str                # as MkDocs writes it: en, zh, zh_TW
    locale: str              # helpgen's: en, zh-CN, zh-TW
    link: str                # URL prefix of its pages: "" or "zh/"
    default: bool
    site_name: str | None = None
    site_description: str | None = None
    nav_translations: dict = field(default_factory=dict)


def _i18n_options(plugins: list[tuple[str, dict]]) -> dict | None:
    """The options of mkdocs-static-i18n when the project uses it."""
    return next((o for n, o in plugins if n in ("i18n", "mkdocs-static-i18n")
                 and o.get("enabled", True) is not False), None)


def _languages(plugins: list[tuple[str, dict]], theme: dict, report: ImportReport,
               where) -> tuple[list[_Language], str]:
    """The project's languages (default first) and its i18n docs_structure; `where(key)` is
    where a top-level setting is written, for errors."""
    options = _i18n_options(plugins)
    if options is None:
        code = str(theme.get("language") or "en")
        return [_Language(code, helpgen_locale(code, (), where("theme")), "", True)], "none"
    structure = str(options.get("docs_structure") or "suffix")
    entries = options.get("languages")
    if isinstance(entries, dict):           # mkdocs-static-i18n 0.x: {fr: Français} or {fr: {…}}
        default = str(options.get("default_language") or "en")
        entries = [{"locale": code, "default": code == default,
                    **(value if isinstance(value, dict) else {"name": value})}
                   for code, value in entries.items()]
        if default not in [e["locale"] for e in entries]:
            entries.insert(0, {"locale": default, "default": True})
    entries = [e for e in entries or () if isinstance(e, dict) and e.get("locale")]
    codes = [str(e["locale"]) for e in entries]
    languages, seen = [], set()
    for entry in entries:
        code = str(entry["locale"])
        if code == "null":
            continue
        if entry.get("build") is False:
            report.skip("Languages", f"{code}: not built by the project (build: false)")
            continue
        locale = helpgen_locale(code, codes, where("plugins"))
        if locale in seen:
            report.skip("Languages", f"{code}: another language already became {locale}")
            continue
        seen.add(locale)
        default = bool(entry.get("default"))
        link = str(entry.get("link") or ("/" if default else f"/{code}/")).strip("/")
        languages.append(_Language(
            code, locale, f"{link}/" if link else "", default,
            entry.get("site_name"), entry.get("site_description"),
            {str(k): str(v) for k, v in (entry.get("nav_translations") or {}).items()}))
        if entry.get("nav"):
            report.note(f"The {code} language has its own nav; the default language's nav "
                        "decides where pages go, and its titles come from each page.")
    if not languages:
        return [_Language("en", "en", "", True)], "none"
    if not any(lang.default for lang in languages):
        languages[0].default = True
    languages.sort(key=lambda lang: not lang.default)
    return languages, structure


@functools.cache
def material_colors(kind: str) -> dict[str, str]:
    """Material for MkDocs' named `primary` or `accent` colors (`indigo`, `deep-purple`…) as hex,
    read from the palette stylesheet of the installed mkdocs-material."""
    import material
    folder = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    colors: dict[str, str] = {}
    hue = MATERIAL_HUE
    for css in sorted(folder.glob("palette*.css")):
        text = css.read_text(encoding="utf-8")
        found = re.search(r"--md-hue:\s*(\d+)", text)
        hue = int(found.group(1)) if found else hue
        for selectors, body in re.findall(r"([^{}]*)\{([^{}]*)\}", text):
            value = re.search(rf"--md-{kind}-fg-color:\s*([^;]+)", body)
            hex_value = _css_color(value.group(1).strip(), hue) if value else None
            for selector in selectors.split(","):
                name = re.fullmatch(rf'\[data-md-color-{kind}="?([a-z-]+)"?\]', selector.strip())
                if hex_value and name and name.group(1) not in colors:
                    colors[name.group(1)] = hex_value
    return colors


def _css_color(value: str, hue: int) -> str | None:
    """A CSS color written as hex or hsl(a) (Material's way) as #rrggbb; None for others."""
    if COLOR.match(value):
        value = value.lower()
        return "#" + "".join(c * 2 for c in value[1:]) if len(value) == 4 else value
    match = re.match(r"hsla?\(\s*(var\(--md-hue\)|[\d.]+)(?:deg)?\s*,\s*([\d.]+)%\s*,"
                     r"\s*([\d.]+)%", value)
    if not match:
        return None
    h = hue if match.group(1).startswith("var") else float(match.group(1))
    r, g, b = colorsys.hls_to_rgb(h / 360, float(match.group(3)) / 100,
                                  float(match.group(2)) / 100)
    return "#" + "".join(f"{round(c * 255):02x}" for c in (r, g, b))


# --- Pages ---------------------------------------------------------------------------------


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


class _Importer:
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
                        base = self._nav_page(value2)
                        if base is None:
                            self._nav_link(title2, value2)
                        else:
                            self._place(base, category, title2, direct=True)
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

    def _flatten(self, items, section: _Group, trail: list[str]) -> None:
        for item in items:
            kind, title, value = _nav_entry(item)
            if kind == "page":
                base = self._nav_page(value)
                if base is None:
                    self._nav_link(title, value)
                else:
                    self._place(base, section, title, direct=len(trail) == 2)
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

    # Writing

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
                meta = {"title": self.title(placement, page, language)}
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
        removed: list[str] = []

        def replace(target: str, kind: str) -> str | None:
            if not safe_url(target):
                removed.append(unsafe_url(target, "image" if kind == "image" else "link"))
                return "#"
            parts = split_url(target)
            if parts.scheme or parts.netloc or not parts.path or target.startswith("#"):
                return None
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

        body = rewrite_links(page.body, replace)
        if removed:
            self.report.skip(UNSAFE_HTML, f"{page.src}: {describe_removals(removed)}")
        risky = unsafe_html(body)
        if risky:
            self.report.check("Raw HTML in pages that runs script or embeds other sites (kept as "
                              "written: remove or rewrite it)",
                              f"{page.src}: {describe_removals(risky, 'has')}")
        return body

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
        from helpgen.content.markup import shortcode_icon
        index = next((p for p in self.placements.values() if p.group is group and p.is_index),
                     None)
        heading = first_heading(self._any_page(index.base).body) if index else None
        found = _SHORTCODE.search(heading or "")
        return shortcode_icon(found.group(0)) if found else None

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

    def _theme_file(self, value: str, what: str) -> str | None:
        if split_url(value).scheme:
            self.report.skip("Theme settings", f"theme.{what} at another site: {value}")
            return None
        folders = [self.docs_dir]
        custom = self.custom_dir()
        if custom:
            folders.append(custom)
        for folder in folders:
            file = self.inside(folder / value.lstrip("/"), f"theme.{what}")
            if file is not None and file.is_file():
                src = posixpath.normpath(value.lstrip("/"))
                if folder == self.docs_dir and src in self.other_files:
                    self.copied_assets.add(src)
                self.report.count("images and files copied")
                return self.writer.asset(file, posixpath.basename(value))
        self.report.check("Theme files that were not found", f"theme.{what}: {value}")
        return None

    def _logo(self) -> str | None:
        logo = self.theme.get("logo")
        if isinstance(logo, str) and logo:
            return self._theme_file(logo, "logo")
        icon = (self.theme.get("icon") or {}).get("logo") if isinstance(
            self.theme.get("icon"), dict) else None
        if isinstance(icon, str):
            from helpgen.content.markup import ICONS_DIR
            file = contained(ICONS_DIR / f"{icon}.svg", ICONS_DIR)
            if file is not None and file.is_file():
                return self.writer.asset(file, "logo.svg")
            self.report.check("Theme files that were not found", f"theme.icon.logo: {icon}")
        return None

    def _favicon(self) -> str | None:
        favicon = self.theme.get("favicon")
        return self._theme_file(favicon, "favicon") if isinstance(favicon, str) and favicon \
            else None

    def _palette(self) -> dict:
        """The palette scheme whose colors are carried: the light one when there are several."""
        palette = self.theme.get("palette")
        if isinstance(palette, dict):
            palette = [palette]
        schemes = [p for p in palette if isinstance(p, dict)] if isinstance(palette, list) else []
        if len(schemes) > 1:
            self.report.note("theme.palette has several color schemes (a light/dark toggle): "
                             "helpgen has its own light/dark toggle in the header and makes the "
                             "dark colors from brand.primary_color, so the light scheme's "
                             "colors were used.")
        light = [p for p in schemes if p.get("scheme", "default") != "slate"]
        chosen = next((p for p in light + schemes if p.get("primary") or p.get("accent")), {})
        if chosen.get("scheme") == "slate":
            self.report.note("The project showed Material's dark scheme (slate) only; helpgen's "
                             "pages follow the reader's system setting and the header toggle.")
        return chosen

    def _palette_color(self, palette: dict, kind: str, from_css: dict[str, str]) -> str | None:
        """theme.palette's `primary` or `accent` as hex; for `custom` (or none), the
        --md-<kind>-fg-color that extra_css sets."""
        value = str(palette.get(kind) or "custom").strip()
        name = value.lower().replace(" ", "-")
        if name == "custom":
            if palette.get(kind) and kind not in from_css:
                self.report.skip("Theme settings", f"theme.palette.{kind} 'custom' (extra_css "
                                 f"sets no --md-{kind}-fg-color that helpgen can read)")
            if kind in from_css:
                self.report.note(f"brand.{kind}_color is the --md-{kind}-fg-color that "
                                 f"extra_css sets ({from_css[kind]}).")
            return from_css.get(kind)
        if COLOR.match(value):
            return _css_color(value, MATERIAL_HUE)
        if kind == "primary" and name == "white":
            self.report.skip("Theme settings", f"theme.palette.primary '{value}' (too light for "
                             "links and buttons)")
            return None
        color = material_colors(kind).get(name)
        if color is None:
            self.report.skip("Theme settings", f"theme.palette.{kind} '{value}' (unknown color)")
        return color

    def _readable(self, primary: str | None) -> str | None:
        """`primary`, or the shade of it that helpgen's links would use when it is too light for
        text: helpgen's build warns about such a color, so `--strict` would fail."""
        if primary is None or contrast(primary, LIGHT_SURFACE) >= AA:
            return primary
        shade = readable_shade(primary, LIGHT_SURFACE)
        self.report.check("Colors", f"the primary color {primary} is too light for text on a "
                          f"light page ({contrast(primary, LIGHT_SURFACE):.1f}:1), so "
                          f"brand.primary_color is its darker shade {shade}, which links would "
                          f"use anyway; to keep {primary} for the header and buttons, write it "
                          "in helpgen.yml (the build then warns, and fails with --strict)")
        return shade

    def _fonts(self) -> dict:
        """theme.font's text and code fonts as font lists with system fallbacks."""
        font = self.theme.get("font")
        fonts, names = {}, []
        for key, target, fallback in (("text", "body", "system-ui, sans-serif"),
                                      ("code", "code", "ui-monospace, monospace")):
            name = font.get(key) if isinstance(font, dict) else None
            if not isinstance(name, str) or not name.strip():
                continue
            name = name.strip().strip("\"'")
            if "," in name or not FONT_STACK.match(name):
                self.report.skip("Theme settings", f"theme.font.{key} '{name}' (not a font name)")
                continue
            quoted = f'"{name}"' if re.search(r"(^|\s)[^A-Za-z\s]", name) else name
            fonts[target] = f"{quoted}, {fallback}"
            names.append(name)
        if names:
            self.report.note(f"Material loaded {' and '.join(names)} from Google Fonts; helpgen "
                             "fetches no font from a CDN, so readers who do not have the font "
                             "see the fallback in brand.fonts. To self-host it, put the font "
                             "files in assets/ and list them under brand.fonts.files, e.g. "
                             f"- {{family: {names[0]}, file: assets/fonts/{name_slug(names[0])}"
                             ".woff2, weight: 400 700}.")
        return fonts

    def _copyright(self) -> tuple[str | None, list[dict]]:
        """`copyright` (HTML) as plain text for brand.footer_text, and its links as footer links."""
        html = self.config.get("copyright")
        if not html:
            return None, []
        soup = self._clean_soup(str(html), "copyright")
        links = []
        for anchor in soup.find_all("a"):
            title = _text(anchor)
            url = str(anchor.get("href") or "").strip()
            if title and split_url(url).scheme in LINK_SCHEMES:
                links.append({"title": title, "url": url})
            else:
                why = "not a full address; add it to brand.footer_links with its path in " \
                    "the help center" if title else "it has no text to show as a footer link"
                label = f"'{title}' → {url or '(no address)'}" if title else \
                    url or "(no address)"
                self.report.skip("Settings", f"copyright: the link {label} ({why})")
        formatting = sorted({tag.name for tag in soup.find_all(True)} - {"a"})
        if formatting:
            self.report.skip("Settings", "copyright: HTML formatting ("
                             + ", ".join(f"<{tag}>" for tag in formatting)
                             + "); its text is brand.footer_text")
        if links:
            self.report.note("The links in copyright became brand.footer_links ("
                             + ", ".join(link["title"] for link in links)
                             + "); brand.footer_text is plain text.")
        return _text(soup) or None, links

    def _banner(self) -> str | dict | None:
        """Material's announcement bar (`{% block announce %}` in custom_dir's main.html) as
        brand.banner."""
        folder, custom = self.custom_dir(), self.theme.get("custom_dir")
        main = self.inside(folder / "main.html", "theme.custom_dir") if folder else None
        if main is None or not main.is_file():
            return None
        found = re.search(r"{%-?\s*block\s+announce\s*-?%}(.*?){%-?\s*endblock",
                          main.read_text(encoding="utf-8", errors="replace"), re.S)
        if not found or not found.group(1).strip():
            return None
        where = f"{{% block announce %}} in {custom}/main.html"
        if "{{" in found.group(1) or "{%" in found.group(1):
            self.report.check("Theme overrides (theme.custom_dir)", f"the announcement bar "
                              f"({where}) uses Jinja: write it as brand.banner by hand")
            return None
        soup = self._clean_soup(found.group(1), where)
        url = next((str(a["href"]) for a in soup.find_all("a", href=True)
                    if split_url(str(a["href"])).scheme in ("http", "https")), None)
        self.report.note(f"The announcement bar ({where}) became brand.banner, as plain text"
                         + (" with its first link." if url else "."))
        return {"text": _text(soup), "url": url} if url else _text(soup)

    def _social_links(self) -> list[dict]:
        """extra.social (Material's footer icons) as footer links."""
        extra = self.raw.get("extra")
        social = extra.get("social") if isinstance(extra, dict) else None
        links = []
        for entry in social if isinstance(social, list) else ():
            if not isinstance(entry, dict):
                continue
            url = str(entry.get("link") or "").strip()
            parts = split_url(url)
            name = str(entry.get("name") or "").strip()
            if parts.scheme not in LINK_SCHEMES:
                self.report.skip("Social links (extra.social)",
                                 f"{name or entry.get('icon') or url}: {url or '(no link)'} "
                                 "(not a full address, e.g. https://…)")
                continue
            host = (parts.hostname or "").removeprefix("www.")
            links.append({"title": name or SITE_NAMES.get(host) or host or parts.path,
                          "url": url})
        return links

    def _repo_link(self) -> list[dict]:
        """repo_url, which Material shows in the header, as a header link."""
        url = str(self.config.get("repo_url") or "")
        if split_url(url).scheme not in ("http", "https"):
            return []
        # MkDocs names the repository after its host when repo_name is not set.
        return [{"title": str(self.config["repo_name"]), "url": url}]

    def _extra_css(self) -> tuple[str | None, dict[str, str]]:
        """extra_css as brand.custom_css: the stylesheets, in order, in one file in assets/ (the
        files their url()s name copied along); and the colors it gives Material's variables."""
        parts, names = [], []
        for entry in self.config["extra_css"]:
            entry = str(entry)
            if split_url(entry).scheme or entry.startswith("//"):
                self.report.skip("Stylesheets (extra_css)", f"{entry} (at another site: "
                                 "helpgen loads no stylesheet from other sites)")
                continue
            src = posixpath.normpath(unquote(entry).lstrip("/"))
            file = self.other_files.get(src)
            if file is None:
                self.report.check("Theme files that were not found", f"extra_css: {entry}")
                continue
            try:
                text = file.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError:
                self.report.skip("Stylesheets (extra_css)", f"{entry} (not UTF-8 text)")
                continue
            self.copied_assets.add(src)
            parts.append(f"/* {entry} */\n{self._css_urls(text, src).strip()}\n")
            names.append(posixpath.basename(src))
        if not parts:
            return None, {}
        css = "\n".join(parts)
        self.report.count("images and files copied")
        path = self.writer.asset_bytes(names[0] if len(names) == 1 else "extra.css",
                                       css.encode("utf-8"))
        if len(names) > 1:
            self.report.note(f"The {len(names)} extra_css stylesheets were joined, in order, "
                             f"into {path} (brand.custom_css).")
        return path, self._report_material_css(css)

    def _css_urls(self, css: str, src: str) -> str:
        """`css` (the docs file `src`) with its relative url()s pointing at the copied files."""

        def replace(match: re.Match) -> str:
            target = match.group(2).strip()
            parts = split_url(target)
            if parts.scheme or parts.netloc or not parts.path:
                return match.group(0)
            path = posixpath.normpath(posixpath.join(posixpath.dirname(src),
                                                     unquote(parts.path)).lstrip("/"))
            if path not in self.other_files:
                self.report.check("Files named in extra_css that were not found (kept as "
                                  "written)", f"{src}: {target}")
                return match.group(0)
            new = posixpath.relpath(self.copy_asset(path), "assets")
            return f'url("{new}{target[len(parts.path):]}")'

        return re.sub(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""", replace, css)

    def _report_material_css(self, css: str) -> dict[str, str]:
        """Report the parts of `css` written for Material's pages; return the primary and accent
        colors it sets for the light scheme."""
        css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
        colors: dict[str, str] = {}
        for selector, body in re.findall(r"([^{}]*)\{([^{}]*)\}", css):
            if "slate" in selector:
                continue
            for kind, value in re.findall(r"--md-(primary|accent)-fg-color\s*:\s*([^;}!]+)",
                                          body):
                color = _css_color(value.strip(), MATERIAL_HUE)
                if color:
                    colors.setdefault(kind, color)
        variables = sorted(set(re.findall(r"(--md-[\w-]+)\s*:", css)))
        if variables:
            self.report.check("Stylesheets (extra_css)", "Material's CSS variables ("
                              + ", ".join(variables[:6]) + (" …" if len(variables) > 6 else "")
                              + ") do nothing in helpgen's theme, whose own are --hg-primary, "
                              "--hg-accent, --hg-font-body…; brand colors are set in helpgen.yml")
        selectors = " ".join(selector for selector, _ in re.findall(r"([^{}]*)\{([^{}]*)\}",
                                                                    css))
        for theme, pattern in THEME_CLASSES.items():
            classes = sorted(set(re.findall(pattern, selectors)))
            if classes:
                self.report.check("Stylesheets (extra_css)", f"rules for {theme}'s classes ("
                                  + ", ".join(classes[:6]) + (" …" if len(classes) > 6 else "")
                                  + ") match nothing in helpgen's pages; rewrite them for "
                                  "helpgen's theme")
        return colors

    def custom_dir(self) -> Path | None:
        """theme.custom_dir, resolved, when it is set and inside the project folder."""
        custom = self.theme.get("custom_dir")
        return self.inside(self.root / str(custom), "theme.custom_dir") if custom else None

    def _clean_soup(self, html: str, where: str):
        """HTML from the project, sanitized (what was removed is reported), parsed."""
        clean, removed = clean_html(html)
        if removed:
            self.report.skip(UNSAFE_HTML, f"{where}: {describe_removals(removed)}")
        return _soup(clean)

    def report_custom_dir(self) -> None:
        """theme.custom_dir: Material template overrides, which helpgen's theme cannot use."""
        custom, folder = self.theme.get("custom_dir"), self.custom_dir()
        if not folder:
            return
        files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                       if p.is_file()) if folder.is_dir() else []
        for file in files:
            self.report.skip("Theme overrides (theme.custom_dir)", f"{custom}/{file}")
        self.report.note(f"theme.custom_dir ({custom}) overrides Material's Jinja templates, "
                         "which helpgen's theme does not have: the overrides were not copied. "
                         "Rewrite what you need against helpgen's theme blocks (README, "
                         "\"Themes\") in a folder named by theme.custom_dir in helpgen.yml.")

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

    def report_unused_files(self) -> None:
        unused = sorted(src for src, file in self.other_files.items()
                        if src not in self.copied_assets
                        and file.resolve() not in self.includes.used)
        if unused:
            self.report.note(f"{len(unused)} other file(s) in {self.docs_dir.name}/ were not "
                             "linked from any page and were not copied: "
                             + ", ".join(unused[:10]) + (" …" if len(unused) > 10 else ""))


def _url_key(url: str) -> str:
    """A URL of the old site as its host matched it: `guide/ccm`, `guide/ccm/` and
    `guide/ccm/index.html` are one page (hosts redirect a folder to its slash)."""
    url = url.lstrip("/")
    url = url[:-len("index.html")] if url == "index.html" or url.endswith("/index.html") else url
    return url.rstrip("/")


def _soup(html: str):
    """`html` parsed, with each <br> a space, for `_text`."""
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(html, "html.parser")
    for br in soup.find_all("br"):
        br.replace_with(" ")
    return soup


def _text(soup) -> str:
    """The text of HTML on one line, as helpgen's plain-text brand settings want it."""
    return " ".join(soup.get_text().split())


def _shallow(folder: Path) -> bool:
    """Whether `folder` is in a shallow git clone."""
    import subprocess
    try:
        return subprocess.run(["git", "-C", str(folder), "rev-parse", "--is-shallow-repository"],
                              capture_output=True, text=True).stdout.strip() == "true"
    except OSError:
        return False


def _plain_title(text: str) -> str:
    """A title as helpgen shows it, plain text: HTML (`The&nbsp;<samp>pihole</samp> Command`)
    as its text, an emoji shortcode (`:smile:`) as the emoji, and the icon shortcodes of Material
    (`:material-home:`) left out: a title is text in lists, tabs and URLs."""
    from pymdownx import twemoji_db

    def shortcode(match: re.Match) -> str:
        emoji = twemoji_db.emoji.get(twemoji_db.aliases.get(match.group(0), match.group(0)))
        if emoji is None:
            return match.group(0) if "-" not in match.group(1) else ""
        return "".join(chr(int(code, 16)) for code in emoji["unicode"].split("-"))

    text = _SHORTCODE.sub(shortcode, text)
    return _text(_soup(text)) if "<" in text or "&" in text else " ".join(text.split())


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


__all__ = ["import_mkdocs", "material_colors", "read_settings", "find_config"]
