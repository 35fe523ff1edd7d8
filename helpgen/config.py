"""Reading and validating `helpgen.yml`.

The schema below is the whole user-facing contract of the file: an unknown key or a value of the
wrong type is an error naming the key, its line, and the nearest valid key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from helpgen.errors import HelpgenError, Report, did_you_mean
from helpgen.yamlio import KeyLines, parse_yaml

CONFIG_FILE = "helpgen.yml"

# A localized text is a string, or a map from locale code to string.
TEXT = "text"
STRINGS = "list of strings"

SCHEMA: dict = {
    "site": {"title": TEXT, "url": str, "description": TEXT},
    "brand": {"logo": str, "favicon": str, "primary_color": str},
    "locales": {"default": str, "others": STRINGS},
    # The contact form's settings; the contact-form feature defines their behaviour.
    "contact": {"endpoint": str, "method": str, "format": str, "provider": str, "fields": list,
                "success": TEXT, "error": TEXT, "turnstile_site_key": str,
                "hcaptcha_site_key": str},
}

LOCALE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
DEFAULT_PRIMARY_COLOR = "#0b62d6"


Text = dict[str, str]
"""A localized string: locale code -> text; the key "*" holds a text given for every locale."""


def localize(text: Text, locale: str, default_locale: str) -> str:
    """The text for `locale`, falling back to the default locale's, then to any."""
    for key in (locale, "*", default_locale):
        if key in text:
            return text[key]
    return next(iter(text.values()), "")


def as_text(value) -> Text:
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    return {"*": str(value)} if value is not None else {}


@dataclass(frozen=True)
class Config:
    """Validated site settings. Paths are absolute."""

    root: Path
    title: Text
    url: str | None
    description: Text
    logo: str | None
    favicon: str | None
    primary_color: str
    default_locale: str
    other_locales: tuple[str, ...]
    contact: dict = field(default_factory=dict)

    @property
    def locales(self) -> tuple[str, ...]:
        return (self.default_locale, *self.other_locales)

    @property
    def articles_dir(self) -> Path:
        return self.root / "articles"

    @property
    def assets_dir(self) -> Path:
        return self.root / "assets"


def check_against_schema(data, schema: dict, path: Path, lines: KeyLines, report: Report,
                         prefix: tuple[str, ...] = ()) -> None:
    """Report unknown keys and wrong value types in `data` per `schema`."""
    where = ".".join(prefix)
    if not isinstance(data, dict):
        report.error(f"'{where}' must be a mapping of keys to values", path,
                     lines.get(prefix), "indent its keys below it, e.g. '  title: ...'")
        return
    for key, value in data.items():
        key_path = (*prefix, str(key))
        dotted = ".".join(key_path)
        line = lines.get(key_path)
        if key not in schema:
            report.error(f"unknown key '{dotted}'", path, line, did_you_mean(str(key), schema))
            continue
        expected = schema[key]
        if value is None:
            continue
        if isinstance(expected, dict):
            check_against_schema(value, expected, path, lines, report, key_path)
        elif not has_type(value, expected):
            report.error(f"'{dotted}' must be {describe_type(expected)}, not "
                         f"{describe_type(type(value))}", path, line, type_hint(expected))


def has_type(value, expected) -> bool:
    if expected == TEXT:
        return isinstance(value, str) or (
            isinstance(value, dict) and all(isinstance(v, str) for v in value.values()))
    if expected == STRINGS:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, expected)


def type_hint(kind) -> str:
    """How to write a value of this kind in YAML."""
    return {str: 'put the value in quotes, e.g. "2.0" or "Yes"',
            int: "write a whole number, e.g. 3",
            bool: "write true or false",
            list: "write a list, e.g. [a, b]",
            dict: "indent its keys below it",
            TEXT: "write a string, or one per locale: {en: Billing, zh-CN: 账单}",
            STRINGS: "write a list of strings, e.g. [billing, refunds]"}.get(kind, "")


def describe_type(kind) -> str:
    names = {str: "a string", int: "a whole number", bool: "true or false", list: "a list",
             dict: "a mapping", TEXT: "a string or a map of locale to string",
             STRINGS: "a list of strings", type(None): "empty"}
    return names.get(kind, getattr(kind, "__name__", str(kind)))


def load_config(root: Path, report: Report) -> Config:
    """Read `root/helpgen.yml`. Problems go to `report`; a missing file raises HelpgenError."""
    root = root.resolve()
    path = root / CONFIG_FILE
    if not path.is_file():
        raise HelpgenError(f"no {CONFIG_FILE} in {root}", root, None,
                           "run helpgen in a site folder, or create one with 'helpgen new DIR'")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise HelpgenError("the file is not UTF-8 text", path, None,
                           "save it as UTF-8 in your editor") from None
    try:
        data, lines = parse_yaml(text, path)
    except HelpgenError as error:
        report.add(error)
        data, lines = {}, {}
    data = {} if data is None else data
    check_against_schema(data, SCHEMA, path, lines, report)
    if not isinstance(data, dict):
        data = {}

    def section(name) -> dict:
        value = data.get(name)
        return value if isinstance(value, dict) else {}

    def valid(section_name, key, kind, default=None):
        value = section(section_name).get(key)
        return value if value is not None and has_type(value, kind) else default

    site, brand, locales = section("site"), section("brand"), section("locales")
    default_locale = valid("locales", "default", str, "en")
    others = tuple(valid("locales", "others", STRINGS, []))
    for key, code in [(("locales", "default"), default_locale)] + [
            (("locales", "others"), code) for code in others]:
        if not LOCALE_CODE.match(code):
            report.error(f"'{code}' is not a locale code", path, lines.get(key),
                         "use codes like en, zh-CN, zh-TW, ja, pt-BR")
    if default_locale in others or len(set(others)) != len(others):
        report.error("a locale is listed twice", path, lines.get(("locales", "others")),
                     "list each locale once; the default locale goes only under 'default'")

    url = valid("site", "url", str)
    if url is not None and urlsplit(url).scheme not in ("http", "https"):
        report.error(f"site.url '{url}' is not an http(s) address", path,
                     lines.get(("site", "url")), "write it in full, e.g. https://help.example.com/")
        url = None

    color = valid("brand", "primary_color", str, DEFAULT_PRIMARY_COLOR)
    if not COLOR.match(color):
        report.error(f"brand.primary_color '{color}' is not a hex color", path,
                     lines.get(("brand", "primary_color")), "write it like \"#0b62d6\" (quoted)")
        color = DEFAULT_PRIMARY_COLOR

    for key in ("logo", "favicon"):
        value = brand.get(key)
        if isinstance(value, str) and not _is_asset(root, value):
            report.error(f"brand.{key} '{value}' is not a file in the assets/ folder", path,
                         lines.get(("brand", key)),
                         f"put the file in {root / 'assets'} and write e.g. assets/logo.svg")

    return Config(
        root=root,
        title=as_text(valid("site", "title", TEXT, "Help Center")),
        url=url,
        description=as_text(valid("site", "description", TEXT, "")),
        logo=valid("brand", "logo", str) if _is_asset(root, brand.get("logo")) else None,
        favicon=valid("brand", "favicon", str) if _is_asset(root, brand.get("favicon")) else None,
        primary_color=color,
        default_locale=default_locale,
        other_locales=others,
        contact=section("contact"),
    )


def _is_asset(root: Path, value) -> bool:
    if not isinstance(value, str):
        return False
    target = (root / value).resolve()
    return target.is_file() and (root / "assets").resolve() in target.parents
