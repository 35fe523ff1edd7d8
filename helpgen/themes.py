"""Where the built-in themes are. Apart from render.py, which reads them, because the build's
check for changes (stamp.py) and the config's check of `theme.name` only need their folders."""

from __future__ import annotations

from pathlib import Path

import helpgen
from helpgen.errors import HelpgenError


def themes_root() -> Path:
    """The built-in themes: inside the installed package, or beside it in a source checkout."""
    package = Path(helpgen.__file__).parent
    for candidate in (package / "themes", package.parent / "themes"):
        if candidate.is_dir():
            return candidate
    raise HelpgenError("helpgen's themes are missing", package, None,
                       "reinstall helpgen: its package was not built with the themes/ folder")


def builtin_themes() -> list[str]:
    return sorted(p.name for p in themes_root().iterdir() if (p / "templates").is_dir())


def theme_dir(name: str = "default") -> Path:
    """The folder of the built-in theme `name`."""
    folder = themes_root() / name
    if name in builtin_themes():
        return folder
    raise HelpgenError(f"there is no built-in theme '{name}'", None, None,
                       "the built-in themes are: " + ", ".join(builtin_themes()))
