"""Where the built-in themes are, which theme each extends, and which locales have UI strings:
what the settings check `theme.name` and the locales against (config.py), before any stage
reads a theme. Apart from output/theme.py, which reads the folders, because that check and the
build's check for changes (infra/stamp.py) need only the folders."""

from __future__ import annotations

from pathlib import Path

import helpgen
from helpgen.errors import CONFIG, HelpgenError
from helpgen.settings.locales import ui_strings_file
from helpgen.settings.yamlio import parse_yaml, read_text

THEME_SETTINGS = {"extends": str, "navigation": bool}


def themes_root() -> Path:
    """The built-in themes: inside the installed package, or beside it in a source checkout."""
    package = Path(helpgen.__file__).parent
    for candidate in (package / "themes", package.parent / "themes"):
        if candidate.is_dir():
            return candidate
    raise HelpgenError("helpgen's themes are missing", package, None,
                       "reinstall helpgen: its package was not built with the themes/ folder",
                       code=CONFIG)


def builtin_themes() -> list[str]:
    return sorted(p.name for p in themes_root().iterdir() if (p / "templates").is_dir())


def theme_dir(name: str = "default") -> Path:
    """The folder of the built-in theme `name`."""
    folder = themes_root() / name
    if name in builtin_themes():
        return folder
    raise HelpgenError(f"there is no built-in theme '{name}'", None, None,
                       "the built-in themes are: " + ", ".join(builtin_themes()), code=CONFIG)


def theme_chain(name: str) -> tuple[list[tuple[str, Path]], dict]:
    """The built-in theme `name` and the themes it extends, most specific first, with their
    `theme.yml` settings merged (the most specific theme's winning)."""
    chain: list[tuple[str, Path]] = []
    settings: dict = {}
    while name:
        if name in dict(chain):
            raise HelpgenError(f"theme '{chain[0][0]}' extends itself through '{name}'",
                               theme_dir(chain[-1][0]) / "theme.yml", None,
                               "remove `extends` from one of these themes", code=CONFIG)
        folder = theme_dir(name)
        chain.append((name, folder))
        own = _theme_settings(folder)
        settings = {**own, **settings}
        name = own.get("extends")
    return chain, settings


def _theme_settings(folder: Path) -> dict:
    """A theme's `theme.yml`: which theme it extends and the flags it sets."""
    path = folder / "theme.yml"
    if not path.is_file():
        return {}
    settings = parse_yaml(read_text(path, code=CONFIG), path, code=CONFIG)[0] or {}
    wrong = [key for key, value in settings.items() if not isinstance(
        value, THEME_SETTINGS.get(key, ()))] if isinstance(settings, dict) else ["(not a map)"]
    if wrong:
        raise HelpgenError(f"'{wrong[0]}' is not a theme setting", path, None,
                           "theme.yml may set: extends (a theme name), navigation (true/false)",
                           code=CONFIG)
    return settings


def ui_locales(folders) -> set[str]:
    """The locales whose UI strings (i18n/<locale>.yml) one of `folders` has."""
    return {path.stem for folder in folders if folder
            for path in folder.glob(ui_strings_file("*"))}
