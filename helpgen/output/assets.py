"""The site's static files under content-hashed names: the theme's static/ folders, the code
highlighting colors and helpgen's browser code (search, widget, contact form)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import mkdocs
from pygments.formatters import HtmlFormatter

from helpgen.infra.cache import digest
from helpgen.output.files import OutputFile

if TYPE_CHECKING:
    from helpgen.output.theme import Theme

CLIENT_DIR = Path(__file__).parent.parent / "client"
LUNR_JS = Path(mkdocs.__file__).parent / "contrib" / "search" / "templates" / "search" / "lunr.js"
SEARCH_SCRIPTS = ("_helpgen/lunr.js", "_helpgen/tokenizer.js", "_helpgen/engine.js")
PYGMENTS_LIGHT, PYGMENTS_DARK = "default", "github-dark"


class Assets:
    """Static files under content-hashed names, so hosts may cache them for a year.

    Templates ask for `asset('_theme/helpgen.css')` and get `_theme/helpgen.1a2b3c4d.css`.
    """

    def __init__(self, files: list[OutputFile]):
        self.files: list[OutputFile] = []
        self.names: dict[str, str] = {}
        for file in files:
            stem, dot, extension = file.path.rpartition(".")
            hashed = f"{stem}.{digest(file.content)[:8]}{dot}{extension}"
            self.names[file.path] = hashed
            self.files.append(OutputFile(hashed, file.content))

    def __call__(self, path: str) -> str:
        return self.names[path]


def static_assets(theme: Theme) -> Assets:
    """The theme's static files and helpgen's browser code (with lunr.js from mkdocs)."""
    # lunr.js registers itself with an AMD or CommonJS loader when the page has one (a product
    # page with the widget may: require.js would then fail on an anonymous module); hidden from
    # both, it always sets `window.lunr`.
    runtime = [OutputFile("_helpgen/lunr.js", b"(function (define, module, exports) {\n"
                          + LUNR_JS.read_bytes() + b"\n}).call(window);\n")]
    runtime += [OutputFile(f"_helpgen/{name}", (CLIENT_DIR / name).read_bytes())
                for name in ("tokenizer.js", "engine.js", "contact.js")]
    return Assets(theme.static_files + runtime)


def pygments_css() -> str:
    """Code colors for the scheme in use: the system's, unless the reader chose one with the
    theme's toggle (`data-scheme` on <html>). Each style applies alone, so no token keeps a
    color meant for the other background."""

    def rules(style: str, selector: str) -> str:
        return HtmlFormatter(style=style).get_style_defs(f"{selector} .highlight")

    return "".join(
        f"@media (prefers-color-scheme: {scheme}) {{\n"
        f"{rules(style, f':root:not([data-scheme={other}])')}\n}}\n"
        f"{rules(style, f':root[data-scheme={scheme}]')}\n"
        for scheme, other, style in (("light", "dark", PYGMENTS_LIGHT),
                                     ("dark", "light", PYGMENTS_DARK)))
