"""The theme: its stack of folders (a custom_dir over the theme over the themes it extends),
its Jinja2 templates looked up through the whole stack, its static files and its UI strings.
Which folders make up a theme is settings/theme_folders.py's business (the settings check
`theme.name` against them); this module reads them."""

from __future__ import annotations

import re
import time
import traceback
from functools import cached_property
from pathlib import Path

import jinja2
from jinja2 import nodes

from helpgen.infra.cache import digest
from helpgen.errors import CONFIG, HelpgenError
from helpgen.infra.signatures import any_changed_lately, folder_signatures
from helpgen.output.assets import pygments_css
from helpgen.output.files import OutputFile
from helpgen.output.script_json import to_json
from helpgen.settings.locales import UI_FALLBACK, ui_fallbacks, ui_strings_file
from helpgen.settings.theme_folders import theme_chain
from helpgen.settings.yamlio import parse_yaml, read_text

_loaded_themes: dict[tuple, Theme] = {}
# An article's fields that show its body (content/model.py, Article).
_BODY_FIELDS = frozenset({"body", "body_html", "text", "toc"})
_BODY_WORDS = re.compile(r"body|text|toc|article\.html")    # templates worth parsing for them


def load_theme(name: str = "default", custom_dir: Path | None = None) -> Theme:
    """The built-in theme `name` with the themes it extends below it and `custom_dir` on top.

    Read once per process while none of the themes' files changes, so the builds of a live
    preview do not compile templates and parse UI strings again for every edit.
    """
    chain, settings = theme_chain(name)
    navigation = settings.get("navigation", False)
    signature = _folders_signature(custom_dir, *(folder for _, folder in chain))
    key = (tuple(chain), custom_dir, navigation, signature)
    theme = _loaded_themes.get(key)
    if theme is None:
        theme = Theme(chain, custom_dir, navigation=navigation)
        _loaded_themes.clear()
        if signature is not None:
            _loaded_themes[key] = theme
    return theme


def _folders_signature(*folders: Path | None) -> tuple | None:
    """Every file's signature below `folders`; None if one changed too recently to tell a
    later change apart by it (see infra/signatures.any_changed_lately)."""
    taken_at = time.time_ns()
    trees = tuple((str(folder), tuple(folder_signatures(folder)))
                  for folder in folders if folder and folder.is_dir())
    return None if any_changed_lately(trees, taken_at) else trees


class Theme:
    """A stack of theme folders, most specific first: `custom_dir`, the theme, the theme it
    extends, and so on. Each may hold templates/, static/ (copied to _theme/), i18n/<locale>.yml;
    a file in a higher folder replaces the same file below it, UI strings merge key by key.

    Templates are looked up by name through the whole stack, so a partial overridden anywhere is
    used by every template. `theme/<name>` is the selected theme's own version (without
    custom_dir) and `<theme>/<name>` that theme's version, for a template that extends the one
    it replaces: `{% extends "theme/base.html" %}`.
    """

    def __init__(self, chain: list[tuple[str, Path]], custom_dir: Path | None = None, *,
                 navigation: bool = False):
        self.folders = ([custom_dir] if custom_dir else []) + [folder for _, folder in chain]
        self.navigation = navigation       # templates get the locale's `navigation` tree
        self._strings: dict[str, dict] = {}
        chain_folders = [folder for _, folder in chain]

        def templates(folders: list[Path]) -> jinja2.FileSystemLoader:
            return jinja2.FileSystemLoader([folder / "templates" for folder in folders])

        prefixes = {name: templates(chain_folders[index:])
                    for index, (name, _) in enumerate(chain)}
        prefixes["theme"] = templates(chain_folders)
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader([jinja2.PrefixLoader(prefixes),
                                        templates(self.folders)]),
            autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
            lstrip_blocks=True, keep_trailing_newline=True)
        self.env.filters["json"] = to_json

    def _files(self, subfolder: str) -> dict[str, Path]:
        """Relative path → file, the highest folder's file winning."""
        found: dict[str, Path] = {}
        for folder in reversed(self.folders):
            base = folder / subfolder
            found.update((p.relative_to(base).as_posix(), p)
                         for p in base.rglob("*") if p.is_file())
        return found

    @cached_property
    def fingerprint(self) -> str:
        """A hash of every file of every folder: a changed template re-renders every page."""
        return digest(self.navigation, *(
            (index, p.relative_to(folder).as_posix(), p.read_bytes())
            for index, folder in enumerate(self.folders)
            for p in sorted(folder.rglob("*")) if p.is_file()))

    @cached_property
    def listings_read_bodies(self) -> bool:
        """Whether a template other than article.html may read an article's body: names one of
        its body fields (`body`, `body_html`, `text`, `toc`; `brand.banner.text` is the
        banner's), by attribute, subscript or a filter's `attribute=`, or includes
        article.html. Read from the templates' syntax once per theme: only then does the cache
        key of a page listing articles (home, category, section…) cover their bodies, so that
        editing a body re-renders its article's page alone with the built-in themes, and the
        listings too with a theme that shows excerpts."""
        seen = set()                     # a file is listed under each prefix that reaches it
        for name in self.env.list_templates():
            if name.rsplit("/", 1)[-1] == "article.html":
                continue
            source, filename, _ = self.env.loader.get_source(self.env, name)
            if filename in seen or not _BODY_WORDS.search(source):
                continue
            seen.add(filename)
            for node in self.env.parse(source).find_all((nodes.Getattr, nodes.Const)):
                if isinstance(node, nodes.Const):
                    if node.value in _BODY_FIELDS or (isinstance(node.value, str) and
                                                      node.value.endswith("article.html")):
                        return True
                elif node.attr in _BODY_FIELDS and not (
                        node.attr == "text" and isinstance(node.node, nodes.Getattr)
                        and node.node.attr == "banner"):
                    return True
        return False

    def strings(self, code: str) -> dict:
        """UI strings for the locale `code`: its file over the language's file over English;
        for each, the highest folder's strings over those below (a translation beats an English
        override). Read once per theme (every brand's pages, the widget, the brands page)."""
        if code in self._strings:
            return self._strings[code]
        strings = self._strings[code] = {}
        for fallback in reversed(ui_fallbacks(code)):
            for folder in reversed(self.folders):
                path = folder / ui_strings_file(fallback)
                if path.is_file():
                    _merge(strings, _ui_strings(path))
        return strings

    @cached_property
    def static_files(self) -> list[OutputFile]:
        """The static/ folders under `_theme/`, plus the code highlighting colors."""
        files = [OutputFile(f"_theme/{name}", path.read_bytes())
                 for name, path in sorted(self._files("static").items())]
        files.append(OutputFile("_theme/pygments.css", pygments_css().encode()))
        return files

    def render(self, template: str, context: dict) -> bytes:
        """A page; a mistake in a template becomes an error at its file and line."""
        try:
            return self.env.get_template(template).render(context).encode("utf-8")
        except jinja2.TemplateSyntaxError as error:
            raise HelpgenError(f"template: {error.message}", error.filename, error.lineno,
                               "fix the template (Jinja2 syntax)", code=CONFIG) from None
        except Exception as error:
            frame = next((f for f in reversed(traceback.extract_tb(error.__traceback__))
                          if any(Path(f.filename).is_relative_to(folder)
                                 for folder in self.folders)), None)
            if frame is None:
                raise
            raise HelpgenError(f"template: {type(error).__name__}: {error}", frame.filename,
                               frame.lineno, f"while rendering {template}; check the names "
                               "this template uses (README, Themes)", code=CONFIG) from None


def _ui_strings(path: Path) -> dict:
    """A theme's i18n/<locale>.yml (a custom_dir's is the writer's file): UI strings by key."""
    data = parse_yaml(read_text(path, code=CONFIG), path, code=CONFIG)[0]
    if data is not None and not isinstance(data, dict):
        raise HelpgenError("UI strings must be 'key: text' lines", path, 1,
                           "copy the keys you change from the theme's "
                           + ui_strings_file(UI_FALLBACK), code=CONFIG)
    return data or {}


def _merge(target: dict, source: dict) -> None:
    """Deep-merge UI strings: a locale's file may translate part of a group."""
    for key, value in source.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value
