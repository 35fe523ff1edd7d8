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

The package holds one concern a module: `settings` (reading mkdocs.yml), `languages` (i18n),
`model` (pages, groups, placements), `nav` (placing and naming pages), `pages` (reading and
writing pages, links, old URLs, dates), `look` (Material's look as brand settings), `text`
(HTML and shortcodes as plain text) and `importer` (one import, start to end).
"""

from helpgen.importers.mkdocs.importer import import_mkdocs
from helpgen.importers.mkdocs.look import material_colors
from helpgen.importers.mkdocs.settings import find_config, read_settings

__all__ = ["import_mkdocs", "material_colors", "read_settings", "find_config"]
