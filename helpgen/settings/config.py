"""Stage 1, settings: reading and validating `helpgen.yml`.

The schema below is the whole user-facing contract of the file: an unknown key or a value of the
wrong type is an error naming the key, its line, and the nearest valid key.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from helpgen.errors import CODES, CONFIG, HelpgenError, Report, did_you_mean
from helpgen.settings.address import LINK_SCHEMES, url_scheme
from helpgen.settings.collect import (CONTACT_PATH, DEFAULT_RATE_LIMIT, DEFAULT_RETENTION_DAYS,
                                      EMAIL_SECURITY, EVENTS_PATH, FEEDBACK_PATH, FORWARD_KINDS,
                                      ZENDESK_APIS, CollectSettings, ForwardTarget, origin_of)
from helpgen.settings.colors import AA, LIGHT_SURFACE, contrast, readable_shade
from helpgen.settings.contact import (FORMATS, PROVIDERS, default_format, default_provider,
                                      fixed_format, missing_setting, provider_endpoint)
from helpgen.settings.images import intrinsic_size
from helpgen.settings.locales import (LOCALE_EXAMPLES, UI_FALLBACK, Text, as_text, canonical,
                                      is_locale, language, meant_locale, ui_strings_file)
from helpgen.settings.theme_folders import builtin_themes, theme_chain, ui_locales
from helpgen.settings.yamlio import KeyLines, parse_yaml, read_text

CONFIG_FILE = "helpgen.yml"

# A localized text is a string, or a map from locale code to string.
TEXT = "text"
STRINGS = "list of strings"

BANNER = "banner"            # a text, or {text: text, url: …}
BRAND_SCHEMA: dict = {
    "name": TEXT, "logo": str, "logo_dark": str, "favicon": str, "primary_color": str,
    "accent_color": str, "custom_css": str, "footer_text": TEXT, "banner": BANNER,
    "header_links": list, "footer_links": list,
    "fonts": {"body": str, "headings": str, "code": str, "files": list},
}
SCHEMA: dict = {
    "site": {"title": TEXT, "url": str, "description": TEXT},
    "brand": BRAND_SCHEMA,
    "theme": {"name": str, "custom_dir": str},
    "locales": {"default": str, "others": STRINGS, "untranslated": str},
    "brands": list,
    "contact": {"provider": str, "endpoint": str, "method": str, "format": str, "email": str,
                "subdomain": str, "fields": list, "success": TEXT, "error": TEXT,
                "turnstile_site_key": str, "hcaptcha_site_key": str},
    "feedback": {"endpoint": str},
    "analytics": {"endpoint": str},
    "collect": {"url": str, "origins": STRINGS, "allow_file_origin": bool, "retention_days": int,
                "rate_limit": int, "trusted_proxies": STRINGS, "forward": list},
    "check": {"stale_after_days": int, "errors": STRINGS, "ignore": STRINGS},
    "translations": {"outdated_notice": bool},
    "markdown": {"raw_html": object, "heading_ids": object},  # checked by _markdown_settings
}
BUILTIN_FIELDS = {"name": "text", "email": "email", "subject": "text", "category": "select",
                  "message": "textarea"}
FIELD_TYPES = ("text", "email", "tel", "textarea", "select", "checkbox")
FIELD_SCHEMA = {"name": str, "type": str, "label": TEXT, "required": bool, "options": list}
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Words that name a credential, in a key under contact/feedback/analytics or a parameter of a
# URL setting: all of them are published in the pages or widget.js, for every visitor to read.
# A name is split into words first (api_key, apiKey, X-Amz-Signature); a word here anywhere, or
# at the end of a compound (accesstoken, clientsecret), makes it a secret's name.
SECRET_WORDS = ("token", "secret", "password", "passwd", "pwd", "passphrase", "signature",
                "sig", "credential", "credentials", "auth", "authorization", "session",
                "sessionid", "apikey", "privatekey", "private", "jwt", "bearer", "hmac")
# These only as the whole name (?key=, ?code=): site_key, country_code are not secrets.
SECRET_NAMES = ("key", "code", "pass", "sid", "otp", "ticket")

DEFAULT_STALE_AFTER_DAYS = 365

COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
DEFAULT_PRIMARY_COLOR = "#0b62d6"
DEFAULT_ACCENT_COLOR = "#f5a524"
UNTRANSLATED = ("hide", "show_default")
BRAND_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
BRANDS_ENTRY_SCHEMA: dict = {"id": str, "name": TEXT, "description": TEXT, "url": str,
                             "brand": BRAND_SCHEMA, "categories": STRINGS, "locales": STRINGS,
                             "contact": SCHEMA["contact"]}


@dataclass(frozen=True)
class Config:
    """Validated site settings. Paths are absolute."""

    root: Path
    title: Text
    url: str | None
    description: Text
    brand: "BrandSettings"
    default_locale: str
    other_locales: tuple[str, ...]
    # False when helpgen.yml could not be read: the locales are then a guess, and a file name's
    # locale suffix cannot be judged.
    locales_known: bool = True
    untranslated: str = "hide"             # one of UNTRANSLATED
    theme_name: str = "default"
    theme_custom_dir: Path | None = None
    brands: tuple["BrandEntry", ...] = ()
    contact: "ContactSettings | None" = None
    feedback_endpoint: str | None = None
    analytics_endpoint: str | None = None
    collect: CollectSettings | None = None  # where `helpgen collect` receives what the site sends
    stale_after_days: int = DEFAULT_STALE_AFTER_DAYS      # check: an older `updated` is stale
    check_errors: tuple[str, ...] = ()     # check: codes whose warnings count as errors
    check_ignore: tuple[str, ...] = ()     # check: codes whose warnings are not reported
    outdated_notice: bool = True           # translations: an outdated one says so to readers
    raw_html: str = "keep"                 # markdown.raw_html, a mode of RAW_HTML
    heading_ids: str = "helpgen"           # markdown.heading_ids, one of HEADING_IDS

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
                         prefix: tuple[str, ...] = (), *, code: str) -> None:
    """Report unknown keys and wrong value types in `data` per `schema`, as problems with the
    code `code` (CONFIG in helpgen.yml, FRONT_MATTER in _category.yml)."""
    where = ".".join(prefix)
    if not isinstance(data, dict):
        report.error(f"'{where}' must be a mapping of keys to values", path,
                     lines.get(prefix), "indent its keys below it, e.g. '  title: ...'", code=code)
        return
    for key, value in data.items():
        key_path = (*prefix, str(key))
        dotted = ".".join(key_path)
        line = lines.get(key_path)
        if key not in schema:
            report.error(f"unknown key '{dotted}'", path, line, did_you_mean(str(key), schema),
                         code=code)
            continue
        expected = schema[key]
        if value is None:
            continue
        if isinstance(expected, dict):
            check_against_schema(value, expected, path, lines, report, key_path, code=code)
        elif not has_type(value, expected):
            report.error(f"'{dotted}' must be {describe_type(expected)}, not "
                         f"{describe_type(type(value))}", path, line, type_hint(expected),
                         code=code)


def has_type(value, expected) -> bool:
    if expected == TEXT:
        return isinstance(value, str) or (
            isinstance(value, dict) and all(isinstance(v, str) for v in value.values()))
    if expected == STRINGS:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected == BANNER:
        return isinstance(value, (str, dict))
    return isinstance(value, expected)


def type_hint(kind) -> str:
    """How to write a value of this kind in YAML."""
    return {str: 'put the value in quotes, e.g. "2.0" or "Yes"',
            int: "write a whole number, e.g. 3",
            bool: "write true or false",
            list: "write a list, e.g. [a, b]",
            dict: "indent its keys below it",
            TEXT: "write a string, or one per locale: {en: Billing, zh-CN: 账单}",
            STRINGS: "write a list of strings, e.g. [billing, refunds]",
            BANNER: "write a text, or  {text: Scheduled maintenance on May 3, url: /status/}"
            }.get(kind, "")


def describe_type(kind) -> str:
    names = {str: "a string", int: "a whole number", bool: "true or false", list: "a list",
             dict: "a mapping", TEXT: "a string or a map of locale to string",
             STRINGS: "a list of strings", BANNER: "a text or a mapping",
             type(None): "empty"}
    return names.get(kind, getattr(kind, "__name__", str(kind)))


def load_config(root: Path, report: Report) -> Config:
    """Read `root/helpgen.yml`. Problems go to `report`; a missing file raises HelpgenError."""
    root = root.resolve()
    path = root / CONFIG_FILE
    if not path.is_file():
        raise HelpgenError(f"no {CONFIG_FILE} in the site folder", root, None,
                           "run helpgen in a site folder, or create one with 'helpgen new DIR'",
                           code=CONFIG)
    text = read_text(path, code=CONFIG)
    readable = True
    try:
        data, lines = parse_yaml(text, path, code=CONFIG)
    except HelpgenError as error:
        report.add(error)
        data, lines, readable = None, {}, False
    data = {} if data is None else data
    if isinstance(data, dict):
        data = _without_secrets(data, path, lines, report)
    check_against_schema(data, SCHEMA, path, lines, report, code=CONFIG)
    if not isinstance(data, dict):
        data = {}

    def section(name) -> dict:
        value = data.get(name)
        return value if isinstance(value, dict) else {}

    def valid(section_name, key, kind, default=None):
        value = section(section_name).get(key)
        return value if value is not None and has_type(value, kind) else default

    # Settings that could not be read, or a locales section of the wrong shape, make the locales
    # a guess: the errors about them suffice.
    locales_known = readable and all(
        value is None or has_type(value, kind) for value, kind in (
            (data.get("locales"), dict), (section("locales").get("default"), str),
            (section("locales").get("others"), STRINGS)))
    default_locale = valid("locales", "default", str, "en")
    others = tuple(valid("locales", "others", STRINGS, []))
    for key, code in _locale_keys(default_locale, others):
        if not is_locale(code):
            spelled = canonical(code)
            report.error(f"'{code}' is not a locale code", path, lines.get(key),
                         (f"did you mean '{spelled}'? " if spelled else "")
                         + f"use codes like {LOCALE_EXAMPLES}", code=CONFIG)
    first_spelling: dict[str, str] = {}      # zh-CN and zh-cn are one locale
    for code in (default_locale, *others):
        first_spelling.setdefault(code.lower(), code)
    if len(first_spelling) <= len(others):
        report.error("a locale is listed twice", path, lines.get(("locales", "others")),
                     "list each locale once; the default locale goes only under 'default'",
                     code=CONFIG)
        others = tuple(first_spelling.values())[1:]

    url = _url(valid("site", "url", str), "site.url", lines.get(("site", "url")), path, report)

    untranslated = valid("locales", "untranslated", str, "hide")
    if untranslated not in UNTRANSLATED:
        report.error(f"locales.untranslated must be one of: {', '.join(UNTRANSLATED)}", path,
                     lines.get(("locales", "untranslated")), did_you_mean(untranslated,
                                                                         UNTRANSLATED), code=CONFIG)
        untranslated = "hide"

    brand_data = section("brand")
    brand = _brand(brand_data, {key: ("brand",) for key in brand_data}, root, path, lines,
                   report)
    collect = _collect(section("collect"), path, lines, report)
    contact = _contact(section("contact"), path, lines, report, collect=collect)
    return Config(
        root=root,
        title=as_text(valid("site", "title", TEXT, "Help Center")),
        url=url,
        description=as_text(valid("site", "description", TEXT, "")),
        brand=brand,
        default_locale=default_locale,
        other_locales=others,
        locales_known=locales_known,
        untranslated=untranslated,
        **_theme(section("theme"), (default_locale, *others), root, path, lines, report),
        brands=_brands(data.get("brands"), brand_data, (default_locale, *others), root, path,
                       lines, report, collect),
        contact=contact,
        feedback_endpoint=_endpoint(section("feedback"), ("feedback",), path, lines, report)
        or (collect.endpoint(FEEDBACK_PATH) if collect else None),
        analytics_endpoint=_endpoint(section("analytics"), ("analytics",), path, lines, report)
        or (collect.endpoint(EVENTS_PATH) if collect else None),
        collect=collect,
        **_check_settings(section("check"), path, lines, report),
        outdated_notice=valid("translations", "outdated_notice", bool, True),
        **_markdown_settings(section("markdown"), path, lines, report),
    )


def _locale_keys(default_locale: str, others: tuple[str, ...]):
    """Each locale code with its key path in helpgen.yml, for the line of a mistake."""
    return [(("locales", "default"), default_locale)] + [
        (("locales", "others", str(index)), code) for index, code in enumerate(others)]


WEB = ("http", "https")


def _url(url, what: str, line: int | None, path: Path, report: Report, schemes=WEB,
         path_example: str | None = None) -> str | None:
    """A URL setting (see url_problem); None, with an error at `line`, when it breaks the
    rule."""
    if not isinstance(url, str):
        return None
    problem = url_problem(url, what, schemes, path_example)
    if problem is None:
        return url
    message, hint = problem
    report.error(message, path, line, hint, code=CONFIG)
    return None


def url_problem(url: str, what: str, schemes=WEB, path_example: str | None = None
                ) -> tuple[str, str] | None:
    """What is wrong with `url`, the value of `what` (a setting, or --base-url), as (message,
    hint); None when it may be published. It reaches the pages or widget.js: a full URL with
    one of `schemes`, or, given `path_example`, a path on the help center like it (from the
    root if it starts with '/').

    A URL that starts with // (or a backslash, which browsers read as /) is another host's,
    whatever page it is on: it must say its scheme; an http(s) URL names its host. Credentials
    in a URL would reach every visitor."""
    written = url.strip()
    scheme = url_scheme(url)
    try:
        secret = _credentials(url)
        host = urlsplit(written).netloc
    except ValueError:                  # urlsplit: 'http://[::1' has no end to its host
        return (f"'{url}' cannot be read as an address",
                f"check {what} for a typing mistake, e.g. a '[' left open")
    if written[:2].replace("\\", "/") == "//":
        return (f"'{url}' names another host without saying its scheme",
                f"write {what} in full, e.g. https://" + written.lstrip("/\\"))
    if scheme not in schemes if scheme else path_example is None or (
            path_example.startswith("/") and not written.startswith("/")):
        return (f"'{url}' is not a link helpgen can publish",
                f"{what} takes a full address starting with "
                + " or ".join(f"{s}:" for s in schemes)
                + (f", or a path on this site such as {path_example}" if path_example
                   else ", e.g. https://help.example.com/"))
    if scheme in WEB and not host:
        return (f"'{url}' names no host",
                f"write {what} in full, e.g. https://help.example.com/")
    if secret:
        return (f"{what} carries credentials ({secret}) that every visitor could read: "
                "it is published in every page and in widget.js",
                "keep secrets on the backend's side: use a URL that needs no secret, e.g. "
                "a form backend or your own webhook that adds the credential on the server")
    return None


def _credentials(url: str) -> str | None:
    """What in `url` looks like a credential, or None: a user name or password before the host,
    a query or fragment parameter named like a secret (see SECRET_WORDS), or a value that looks
    like a key (a JSON Web Token, a long random string)."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        return "a user name or password before the host"
    for name, value in parse_qsl(parts.query, keep_blank_values=True) + parse_qsl(
            parts.fragment, keep_blank_values=True):
        if _is_secret_name(name):
            return f"the parameter '{name}'"
        if _looks_like_key(name) or _looks_like_key(value):
            return f"the value of '{name}', which looks like a key" if value else \
                "a value that looks like a key"
    return None


def _is_secret_name(name: str) -> bool:
    """Whether a key or parameter name says it holds a credential: api_key, apiKey,
    X-Amz-Signature, access_token, client-secret, pwd, code (alone)."""
    words = re.findall(r"[a-z]+|[0-9]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", name).lower())
    joined = "".join(words)
    return joined in SECRET_NAMES or any(
        word in SECRET_WORDS for word in words) or joined.endswith(SECRET_WORDS)


def _looks_like_key(text: str) -> bool:
    """A JSON Web Token, or a long string of random-looking letters and digits (by its
    Shannon entropy: words and dates repeat their characters far more)."""
    if re.fullmatch(r"eyJ[\w-]+\.[\w-]+\.[\w-]*", text):
        return True
    if len(text) < 24 or not re.fullmatch(r"[\w+/=.~-]+", text) or not (
            re.search(r"[0-9]", text) and re.search(r"[A-Za-z]", text)):
        return False
    counts = Counter(text).values()
    entropy = -sum(n / len(text) * math.log2(n / len(text)) for n in counts)
    hexadecimal = re.fullmatch(r"[0-9a-fA-F]+", text) is not None
    return entropy > (3.0 if hexadecimal else 4.0)


def _is_asset(root: Path, value) -> bool:
    if not isinstance(value, str):
        return False
    target = (root / value).resolve()
    return target.is_file() and (root / "assets").resolve() in target.parents


# --- Brand, theme and several brands from one source ----------------------------------------


@dataclass(frozen=True)
class LinkSetting:
    title: Text
    url: str                     # with a scheme (https:, mailto:) or a path from the site root


@dataclass(frozen=True)
class FontFile:
    """A self-hosted font file, declared with @font-face."""

    family: str
    file: str                    # inside assets/, relative to the site folder
    weight: str
    style: str


@dataclass(frozen=True)
class BrandSettings:
    """`brand:` — how the help center looks. Asset paths are relative to the site folder."""

    name: Text = field(default_factory=dict)    # beside the logo; empty: the site title
    logo: str | None = None
    logo_dark: str | None = None
    logo_size: tuple[float, float] | None = None        # intrinsic; None: unknown
    logo_dark_size: tuple[float, float] | None = None
    favicon: str | None = None
    custom_css: str | None = None
    primary_color: str = DEFAULT_PRIMARY_COLOR
    accent_color: str = DEFAULT_ACCENT_COLOR
    body_font: str | None = None
    headings_font: str | None = None
    code_font: str | None = None
    font_files: tuple[FontFile, ...] = ()
    header_links: tuple[LinkSetting, ...] = ()
    footer_links: tuple[LinkSetting, ...] = ()
    footer_text: Text = field(default_factory=dict)
    banner: Text = field(default_factory=dict)  # the announcement; empty: no banner
    banner_url: str | None = None


@dataclass(frozen=True)
class BrandEntry:
    """One entry of `brands:`: a complete site built from the shared articles."""

    id: str
    name: Text                   # the brand site's title
    description: Text
    url: str | None
    brand: BrandSettings         # the top-level brand settings with this entry's over them
    categories: tuple[str, ...] | None      # category folders it shows; None: all
    other_locales: tuple[str, ...]          # of the site's other locales, those it has
    contact: "ContactSettings | None"       # None: the top-level contact section


ASSET_KEYS = ("logo", "logo_dark", "favicon", "custom_css")
FONT_STACK = re.compile(r"^[\w\s,\"'.-]+$")


def _brand(data: dict, origin: dict[str, tuple[str, ...]], root: Path, path: Path,
           lines: KeyLines, report: Report) -> BrandSettings:
    """Brand settings from `data`, whose keys were written under the key paths in `origin`."""

    def line(key, *more):
        return lines.get((*origin.get(key, ("brand",)), key, *more))

    def value(key, kind):
        item = data.get(key)
        return item if item is not None and has_type(item, kind) else None

    settings: dict = {"name": as_text(value("name", TEXT)),
                      "footer_text": as_text(value("footer_text", TEXT))}
    for key in ASSET_KEYS:
        item = value(key, str)
        if item is None:
            continue
        if _is_asset(root, item):
            settings[key] = item
            if key in ("logo", "logo_dark"):
                settings[f"{key}_size"] = intrinsic_size(root / item)
        else:
            report.error(f"brand.{key} '{item}' is not a file in the assets/ folder", path,
                         line(key), "put the file in the site's assets/ folder and write e.g. "
                         f"assets/{'brand.css' if key == 'custom_css' else 'logo.svg'}",
                         code=CONFIG)
    for key, default in (("primary_color", DEFAULT_PRIMARY_COLOR),
                         ("accent_color", DEFAULT_ACCENT_COLOR)):
        color = value(key, str) or default
        if not COLOR.match(color):
            report.error(f"brand.{key} '{color}' is not a hex color", path, line(key),
                         'write it like "#0b62d6" (quoted)', code=CONFIG)
            color = default
        settings[key] = color
    primary = settings["primary_color"]
    if contrast(primary, LIGHT_SURFACE) < AA:
        shade = readable_shade(primary, LIGHT_SURFACE)
        report.warn(f"brand.primary_color '{primary}' is too light for text on a light page "
                    f"({contrast(primary, LIGHT_SURFACE):.1f}:1; WCAG AA needs {AA}:1)", path,
                    line("primary_color"), f"links will use the darker shade {shade}; choose "
                    "a darker color to keep your own", code=CONFIG)
    fonts = value("fonts", dict) or {}
    for key in ("body", "headings", "code"):
        stack = fonts.get(key)
        if isinstance(stack, str):
            if FONT_STACK.match(stack):
                settings[f"{key}_font"] = stack
            else:
                report.error(f"brand.fonts.{key} is not a font list", path,
                             line("fonts", key), 'write font names separated by commas, e.g. '
                             '"Inter, system-ui, sans-serif"', code=CONFIG)
    settings["font_files"] = _font_files(fonts.get("files"), line, root, path, report)
    for key in ("header_links", "footer_links"):
        settings[key] = _links(data.get(key), key, line, path, report)
    banner = data.get("banner")
    if isinstance(banner, dict) and "text" in banner:
        unknown = sorted(set(banner) - {"text", "url"})
        if unknown:
            report.error(f"unknown key 'brand.banner.{unknown[0]}'", path,
                         line("banner", unknown[0]), did_you_mean(unknown[0], ("text", "url")),
                         code=CONFIG)
        settings["banner"] = as_text(banner["text"]) if has_type(banner["text"], TEXT) else {}
        settings["banner_url"] = _link_url(banner.get("url"), "brand.banner.url",
                                           line("banner", "url"), path, report)
    elif has_type(banner, TEXT):
        settings["banner"] = as_text(banner)
    return BrandSettings(**settings)


def _font_files(entries, line, root: Path, path: Path, report: Report
                ) -> tuple[FontFile, ...]:
    files = []
    for index, entry in enumerate(entries if isinstance(entries, list) else ()):
        where = line("fonts", "files", str(index))
        if not (isinstance(entry, dict) and isinstance(entry.get("family"), str)
                and FONT_STACK.match(entry["family"]) and isinstance(entry.get("file"), str)):
            report.error("a font file is {family: …, file: assets/…}", path, where,
                         "e.g. - {family: Inter, file: assets/fonts/inter.woff2, "
                         "weight: 400 700}", code=CONFIG)
        elif not _is_asset(root, entry["file"]):
            report.error(f"font file '{entry['file']}' is not a file in the assets/ folder",
                         path, where, "put the file in the site's assets/ folder", code=CONFIG)
        else:
            files.append(FontFile(entry["family"], entry["file"],
                                  str(entry.get("weight", "400")).strip(),
                                  str(entry.get("style", "normal")).strip()))
    return tuple(files)


def _links(entries, key: str, line, path: Path, report: Report) -> tuple[LinkSetting, ...]:
    links = []
    for index, entry in enumerate(entries if isinstance(entries, list) else ()):
        where = line(key, str(index))
        if not (isinstance(entry, dict) and has_type(entry.get("title"), TEXT)
                and isinstance(entry.get("url"), str)):
            report.error(f"an entry of brand.{key} is {{title: …, url: …}}", path, where,
                         "e.g. - {title: Status, url: https://status.example.com/}", code=CONFIG)
            continue
        url = _link_url(entry["url"], f"brand.{key}", where, path, report)
        if url is not None:
            links.append(LinkSetting(as_text(entry["title"]), url))
    return tuple(links)


def _link_url(url, what: str, line: int | None, path: Path, report: Report) -> str | None:
    """A link from the brand settings: a full URL, or a path from the help center's root."""
    url = _url(url, what, line, path, report, LINK_SCHEMES, "contact/")
    return url if url is None or url_scheme(url) else url.lstrip("/")


def _theme(data: dict, locales: tuple[str, ...], root: Path, path: Path, lines: KeyLines,
           report: Report) -> dict:
    """`theme:` as Config fields: theme_name and theme_custom_dir. A locale without UI strings
    in the theme is a warning: the theme's buttons and labels fall back to English."""
    themes = builtin_themes()
    name = data.get("name", "default")
    if name not in themes:
        report.error(f"there is no built-in theme '{name}'", path, lines.get(("theme", "name")),
                     did_you_mean(str(name), themes, "the built-in themes are"), code=CONFIG)
        name = "default"
    custom_dir = None
    folder = data.get("custom_dir")
    if isinstance(folder, str):
        custom_dir = (root / folder).resolve()
        if not custom_dir.is_dir() or not (custom_dir == root or root in custom_dir.parents):
            report.error(f"theme.custom_dir '{folder}' is not a folder in the site folder", path,
                         lines.get(("theme", "custom_dir")),
                         "create it in the site folder, e.g. overrides/, and write "
                         "custom_dir: overrides", code=CONFIG)
            custom_dir = None
    translated = ui_locales([custom_dir, *(folder for _, folder in theme_chain(name)[0])])
    for key, code in _locale_keys(locales[0], locales[1:]):
        if is_locale(code) and not {code, language(code)} & translated:
            meant = meant_locale(code, translated)
            copy = f"{folder if custom_dir else 'overrides'}/{ui_strings_file(code)}"
            report.warn(f"the theme has no UI strings for '{code}': its buttons and labels "
                        "will be in English", path, lines.get(key),
                        (f"did you mean '{meant}'? Or translate them: " if meant else
                         "translate them: ") + f"copy the theme's {ui_strings_file(UI_FALLBACK)} "
                        f"to {copy} and set theme.custom_dir (see README, Themes)", code=CONFIG)
    return {"theme_name": name, "theme_custom_dir": custom_dir}


def _brands(entries, brand_data: dict, locales: tuple[str, ...], root: Path, path: Path,
            lines: KeyLines, report: Report, collect: CollectSettings | None
            ) -> tuple[BrandEntry, ...]:
    """`brands:`: each entry's settings over the top-level ones."""
    if entries is None:
        return ()
    result, seen = [], set()
    for index, entry in enumerate(entries):
        where = ("brands", str(index))
        line = lines.get(where)
        before = len(report.errors)
        check_against_schema(entry, BRANDS_ENTRY_SCHEMA, path, lines, report, where,
                             code=CONFIG)
        if not isinstance(entry, dict) or len(report.errors) > before:
            continue
        brand_id = entry.get("id")
        if not isinstance(brand_id, str) or not BRAND_ID.match(brand_id):
            report.error("a brand needs an 'id' of lowercase letters, digits and '-'", path,
                         line, "e.g. id: acme — it names the brand's folder in the output",
                         code=CONFIG)
            continue
        if brand_id in seen:
            report.error(f"two brands have the id '{brand_id}'", path, line,
                         "give each brand its own id", code=CONFIG)
            continue
        seen.add(brand_id)
        own = entry.get("brand") or {}
        merged = {**brand_data, **own}
        if isinstance(brand_data.get("fonts"), dict) and isinstance(own.get("fonts"), dict):
            merged["fonts"] = {**brand_data["fonts"], **own["fonts"]}
        origin = {key: ("brand",) for key in brand_data} | {
            key: (*where, "brand") for key in own}
        url = _url(entry.get("url"), "the brand url", lines.get((*where, "url")), path, report)
        categories = entry.get("categories")
        for position, folder in enumerate(categories or ()):
            if not (root / "articles" / folder).is_dir() or "/" in folder:
                report.error(f"brand '{brand_id}': no category folder '{folder}'", path,
                             lines.get((*where, "categories", str(position))),
                             did_you_mean(folder, _category_folders(root),
                                          "write the name of a folder in articles/"), code=CONFIG)
        brand_locales = entry.get("locales") or list(locales)
        unknown = [code for code in brand_locales if code not in locales]
        if unknown or locales[0] not in brand_locales:
            report.error(f"brand '{brand_id}': " + (f"'{unknown[0]}' is not one of the site's "
                         "locales" if unknown else f"the default locale '{locales[0]}' is "
                         "missing"), path, lines.get((*where, "locales")),
                         f"list some of: {', '.join(locales)}, always with {locales[0]}",
                         code=CONFIG)
        result.append(BrandEntry(
            id=brand_id, name=as_text(entry.get("name")),
            description=as_text(entry.get("description")), url=url,
            brand=_brand(merged, origin, root, path, lines, report),
            categories=tuple(categories) if categories is not None else None,
            other_locales=tuple(code for code in locales[1:] if code in brand_locales),
            contact=_contact(entry["contact"], path, lines, report, (*where, "contact"),
                             collect) if entry.get("contact") else None))
    return tuple(result)


def _category_folders(root: Path) -> list[str]:
    folder = root / "articles"
    return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


# --- Customer contact: the contact form, article feedback and analytics events ---------------


@dataclass(frozen=True)
class FormField:
    name: str                    # the key sent to the endpoint (the input's name attribute)
    type: str                    # one of FIELD_TYPES
    label: Text                  # empty: the theme's label for a built-in field
    required: bool
    options: tuple[tuple[str, Text], ...] = ()     # (value, label) for a select


@dataclass(frozen=True)
class ContactSettings:
    provider: str                # one of PROVIDERS
    endpoint: str | None
    method: str
    format: str                  # "json" or "form"
    email: str | None            # for the mailto: provider
    fields: tuple[FormField, ...]
    success: Text
    error: Text
    turnstile_site_key: str | None
    hcaptcha_site_key: str | None


def _without_secrets(data: dict, path: Path, lines: KeyLines, report: Report,
                     where: tuple[str, ...] = ()) -> dict:
    """Report credentials under contact/feedback/analytics (a brand's too), and leave them
    out."""
    cleaned = dict(data)
    for section_name in ("contact", "feedback", "analytics"):
        section_data = data.get(section_name)
        if not isinstance(section_data, dict):
            continue
        kept = {}
        for key, value in section_data.items():
            if _is_secret_name(str(key)):
                dotted = ".".join((*where, section_name, str(key)))
                report.error(f"'{dotted}' looks like a secret, and everything under "
                             f"'{section_name}' is published in the site for every visitor "
                             "to read", path, lines.get((*where, section_name, str(key))),
                             "remove it, and keep secrets on the backend's side: send the form "
                             "to an endpoint that adds credentials on the server (a form "
                             "backend or your own webhook)", code=CONFIG)
            else:
                kept[key] = value
        cleaned[section_name] = kept
    if not where and isinstance(data.get("brands"), list):
        cleaned["brands"] = [
            _without_secrets(entry, path, lines, report, ("brands", str(index)))
            if isinstance(entry, dict) else entry for index, entry in enumerate(data["brands"])]
    return cleaned


def _endpoint(section_data: dict, where: tuple[str, ...], path: Path, lines: KeyLines,
              report: Report) -> str | None:
    key = (*where, "endpoint")
    return _url(section_data.get("endpoint"), ".".join(key), lines.get(key), path, report,
                path_example="/api/contact")


def _contact(data: dict, path: Path, lines: KeyLines, report: Report,
             where: tuple[str, ...] = ("contact",), collect: CollectSettings | None = None
             ) -> ContactSettings | None:
    """The contact form's settings; None when helpgen.yml has no contact section and no
    collector. A section that says nowhere to send (no provider, endpoint, subdomain or email)
    sends to the collector's contact endpoint.

    `where` is the section's key path, for line numbers: a brand may have its own section.
    """
    if collect and not {"provider", "endpoint", "subdomain", "email"} & set(data):
        data = {**data, "endpoint": collect.endpoint(CONTACT_PATH)}
    if not data:
        return None

    def choice(key, allowed, default):
        value = data.get(key, default)
        if value not in allowed:
            report.error(f"contact.{key} must be one of: {', '.join(allowed)}", path,
                         lines.get((*where, key)), did_you_mean(str(value), allowed), code=CONFIG)
            return default
        return value

    endpoint = _endpoint(data, where, path, lines, report)
    provider = choice("provider", PROVIDERS, default_provider(data))
    email = data.get("email") if isinstance(data.get("email"), str) else None
    missing = missing_setting(provider, data, email)
    if missing:
        keys = [(*where, key) for key in missing.keys] or [where]
        report.error(missing.message, path, next(filter(None, map(lines.get, keys)), None),
                     missing.hint, code=CONFIG)
    endpoint = provider_endpoint(provider, data, endpoint)
    form_format = choice("format", FORMATS, default_format(provider))
    method = str(data.get("method", "POST")).upper()
    if method not in ("POST", "PUT"):
        report.error("contact.method must be POST or PUT", path,
                     lines.get((*where, "method")), None, code=CONFIG)
        method = "POST"
    return ContactSettings(
        provider=provider, endpoint=endpoint, method=method,
        format=fixed_format(provider, form_format), email=email,
        fields=_fields(data.get("fields"), (*where, "fields"), path, lines, report),
        success=as_text(data.get("success")), error=as_text(data.get("error")),
        turnstile_site_key=data.get("turnstile_site_key"),
        hcaptcha_site_key=data.get("hcaptcha_site_key"))


def _fields(entries, key: tuple[str, ...], path: Path, lines: KeyLines, report: Report
            ) -> tuple[FormField, ...]:
    """`contact.fields`: built-in field names and custom fields; the built-ins by default."""
    if not isinstance(entries, list):
        entries = list(BUILTIN_FIELDS)
    fields, seen = [], set()
    for index, entry in enumerate(entries):
        where = (*key, str(index))
        line = lines.get(where)
        if isinstance(entry, str):
            if entry not in BUILTIN_FIELDS:
                report.error(f"unknown built-in field '{entry}'", path, line,
                             did_you_mean(entry, BUILTIN_FIELDS) + " Custom fields are written "
                             "as a mapping: {name: order_id, type: text, label: Order number}",
                             code=CONFIG)
                continue
            entry = {"name": entry}
        if not isinstance(entry, dict):
            report.error("a field is a built-in name or a mapping", path, line,
                         "e.g. - {name: order_id, type: text, label: Order number}", code=CONFIG)
            continue
        before = len(report.errors)
        check_against_schema(entry, FIELD_SCHEMA, path, lines, report, where, code=CONFIG)
        name = entry.get("name")
        if not isinstance(name, str) or not FIELD_NAME.match(name):
            report.error("a field needs a 'name' of lowercase letters, digits and _", path, line,
                         "e.g. name: order_id — it is the key sent with the submission",
                         code=CONFIG)
            continue
        builtin = name in BUILTIN_FIELDS
        kind = entry.get("type", BUILTIN_FIELDS.get(name, "text"))
        if kind not in FIELD_TYPES:
            report.error(f"field type '{kind}' is not one of: {', '.join(FIELD_TYPES)}", path,
                         lines.get((*where, "type"), line), did_you_mean(str(kind), FIELD_TYPES),
                         code=CONFIG)
            continue
        options = _options(entry.get("options"), (*where, "options"), path, lines, report)
        if kind == "select" and not options and name != "category":
            report.error(f"the select field '{name}' has no options", path, line,
                         "add  options: [first choice, second choice]", code=CONFIG)
        if name in seen:
            report.error(f"the field '{name}' is listed twice", path, line, "keep one", code=CONFIG)
        if len(report.errors) > before:
            continue
        seen.add(name)
        fields.append(FormField(name, kind, as_text(entry.get("label")),
                                bool(entry.get("required", builtin and name != "category")),
                                options))
    return tuple(fields)


def _options(entries, where, path, lines, report) -> tuple[tuple[str, Text], ...]:
    options = []
    for index, entry in enumerate(entries or ()):
        if isinstance(entry, str):
            options.append((entry, {"*": entry}))
        elif isinstance(entry, dict) and isinstance(entry.get("value"), str):
            options.append((entry["value"], as_text(entry.get("label", entry["value"]))))
        else:
            report.error("an option is a string or {value: …, label: …}", path,
                         lines.get((*where, str(index))), "e.g. - {value: a, label: Plan A}",
                         code=CONFIG)
    return tuple(options)


# --- helpgen collect -------------------------------------------------------------------------


def _collect(data: dict, path: Path, lines: KeyLines, report: Report) -> CollectSettings | None:
    """`collect:`; None without a `url`, which is what makes the site send to a collector."""
    url = _url(data.get("url"), "collect.url", lines.get(("collect", "url")), path, report)
    if url is None:
        if data and "url" not in data:
            report.error("collect.url is missing", path, lines.get(("collect",)),
                         "add  url: https://support-api.example.com/  — where 'helpgen "
                         "collect' is reachable from your readers' browsers", code=CONFIG)
        return None
    origins = []
    for index, origin in enumerate(_strings(data.get("origins"))):
        line = lines.get(("collect", "origins", str(index)))
        if _url(origin, "collect.origins", line, path,
                                               report) is None:
            continue
        if urlsplit(origin).path not in ("", "/") or urlsplit(origin).query:
            report.error(f"'{origin}' is not an origin", path, line,
                         f"write only the scheme and host, e.g. {origin_of(origin)}",
                         code=CONFIG)
            continue
        origins.append(origin_of(origin))
    numbers = {}
    for key, default in (("retention_days", DEFAULT_RETENTION_DAYS),
                         ("rate_limit", DEFAULT_RATE_LIMIT)):
        value = data.get(key, default)
        if not has_type(value, int) or value < 1:
            if has_type(value, int):
                report.error(f"collect.{key} must be at least 1", path,
                             lines.get(("collect", key)),
                             "e.g. retention_days: 365" if key == "retention_days"
                             else "requests a minute from one reader, e.g. rate_limit: 60",
                             code=CONFIG)
            value = default
        numbers[key] = value
    proxies = []
    for index, address in enumerate(_strings(data.get("trusted_proxies", ["127.0.0.1"]))):
        try:
            proxies.append(str(ipaddress.ip_network(address, strict=False)))
        except ValueError:
            report.error(f"'{address}' is not an IP address or network", path,
                         lines.get(("collect", "trusted_proxies", str(index))),
                         "write the address of your reverse proxy, e.g. 127.0.0.1 or "
                         "10.0.0.0/8", code=CONFIG)
    allow_file = data.get("allow_file_origin", False)
    forward = data.get("forward")
    return CollectSettings(url.rstrip("/") + "/", tuple(origins),
                           allow_file if isinstance(allow_file, bool) else False,
                           numbers["retention_days"], numbers["rate_limit"], tuple(proxies),
                           _forward_targets(forward if isinstance(forward, list) else [],
                                            path, lines, report))


# collect.forward: the keys of each kind of target; the first of each tuple must be written.
FORWARD_KEYS = {"email": (("to", "from", "smtp"), ("security", "user", "password_env")),
                "webhook": (("url",), ("secret_env",)),
                "zendesk": (("email", "token_env"), ("subdomain", "url", "api")),
                "freshdesk": (("api_key_env",), ("domain", "url"))}
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
HOST = re.compile(r"^[A-Za-z0-9.-]+(?::(\d{1,5}))?$")


def _forward_targets(entries: list, path: Path, lines: KeyLines, report: Report
                     ) -> tuple[ForwardTarget, ...]:
    """collect.forward: each entry a target of one kind, its secret named by an environment
    variable (a secret written in helpgen.yml is refused: the file is in the repository)."""
    targets, names = [], set()
    for index, entry in enumerate(entries):
        where = ("collect", "forward", str(index))
        line = lines.get(where)
        kind = entry.get("type") if isinstance(entry, dict) else None
        if kind not in FORWARD_KINDS:
            report.error(f"collect.forward: a target has a type, one of {', '.join(FORWARD_KINDS)}",
                         path, lines.get((*where, "type"), line),
                         did_you_mean(str(kind), FORWARD_KINDS) if kind else
                         "e.g. - {type: email, to: support@example.com, from: help@example.com, "
                         "smtp: smtp.example.com}", code=CONFIG)
            continue
        needed, optional = FORWARD_KEYS[kind]
        before = len(report.errors)
        for key, value in entry.items():
            if key not in ("type", "name", *needed, *optional):
                secret = _is_secret_name(str(key))
                report.error(f"collect.forward: '{key}' is not a setting of a {kind} target",
                             path, lines.get((*where, str(key)), line),
                             "write the name of the environment variable that holds the secret "
                             f"instead, e.g. {(needed + optional)[-1]}: HELPGEN_"
                             f"{kind.upper()}_SECRET" if secret else
                             did_you_mean(str(key), (*needed, *optional, "name")), code=CONFIG)
            elif not isinstance(value, str):
                report.error(f"collect.forward: '{key}' must be a string", path,
                             lines.get((*where, str(key)), line), type_hint(str), code=CONFIG)
            elif key.endswith("_env") and not ENV_NAME.match(value):
                report.error(f"collect.forward: '{value}' is not the name of an environment "
                             "variable", path, lines.get((*where, str(key)), line),
                             f"write its name, e.g. {key}: HELPGEN_{kind.upper()}_SECRET, and "
                             "set that variable where helpgen collect runs", code=CONFIG)
        missing = [key for key in needed if key not in entry]
        if kind == "zendesk" and not {"subdomain", "url"} & set(entry):
            missing.append("subdomain")
        if kind == "freshdesk" and not {"domain", "url"} & set(entry):
            missing.append("domain")
        if missing:
            report.error(f"collect.forward: a {kind} target needs '{missing[0]}'", path, line,
                         FORWARD_EXAMPLES[kind], code=CONFIG)
        if len(report.errors) > before:
            continue
        target = _forward_target(kind, entry, index, where, path, lines, report)
        if len(report.errors) > before or target is None:
            continue
        if target.name in names:
            report.error(f"collect.forward: two targets are named '{target.name}'", path, line,
                         "give each its own  name:", code=CONFIG)
            continue
        names.add(target.name)
        targets.append(target)
    return tuple(targets)


FORWARD_EXAMPLES = {
    "email": "e.g. - {type: email, to: support@example.com, from: help@example.com, smtp: "
             "smtp.example.com:587, user: help@example.com, password_env: HELPGEN_SMTP_PASSWORD}",
    "webhook": "e.g. - {type: webhook, url: https://hooks.example.com/helpgen, secret_env: "
               "HELPGEN_WEBHOOK_SECRET}",
    "zendesk": "e.g. - {type: zendesk, subdomain: acme, email: agent@acme.com, token_env: "
               "HELPGEN_ZENDESK_TOKEN}",
    "freshdesk": "e.g. - {type: freshdesk, domain: acme, api_key_env: HELPGEN_FRESHDESK_KEY}"}


def _forward_target(kind: str, entry: dict, index: int, where: tuple[str, ...], path: Path,
                    lines: KeyLines, report: Report) -> ForwardTarget | None:
    """One target's settings, its values checked (the keys were, by _forward_targets)."""
    text = {key: value for key, value in entry.items() if isinstance(value, str)}
    name = text.get("name", kind if index == 0 else f"{kind}-{index + 1}")

    def choice(key, allowed, default):
        value = text.get(key, default)
        if value not in allowed:
            report.error(f"collect.forward: '{key}' must be one of: {', '.join(allowed)}", path,
                         lines.get((*where, key)), did_you_mean(value, allowed), code=CONFIG)
        return value

    def url(key, what):
        return _url(text.get(key), what, lines.get((*where, key)), path, report)

    if kind == "email":
        host = HOST.match(text.get("smtp", ""))
        if host is None or (host.group(1) and not 0 < int(host.group(1)) < 65536):
            report.error(f"collect.forward: '{text.get('smtp')}' is not an SMTP server", path,
                         lines.get((*where, "smtp")), "write its host and port, e.g. "
                         "smtp.example.com:587", code=CONFIG)
            return None
        port = int(host.group(1) or 587)
        return ForwardTarget(kind, name, to=text["to"], sender=text["from"],
                             smtp_host=text["smtp"].split(":")[0], smtp_port=port,
                             security=choice("security", EMAIL_SECURITY,
                                             "ssl" if port == 465 else "starttls"),
                             user=text.get("user"), secret_env=text.get("password_env"))
    if kind == "webhook":
        return ForwardTarget(kind, name, url=url("url", "collect.forward's url"),
                             secret_env=text.get("secret_env"))
    account = text.get("subdomain") or text.get("domain")
    if account is not None and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", account):
        report.error(f"collect.forward: '{account}' is not a {kind} subdomain", path,
                     lines.get(where),
                     "write the first part of your account's address, e.g. acme for "
                     f"acme.{kind}.com", code=CONFIG)
        return None
    address = url("url", f"collect.forward's {kind} url") if "url" in text else \
        f"https://{account}.{kind}.com"
    if kind == "zendesk":
        return ForwardTarget(kind, name, url=address, user=text["email"],
                             api=choice("api", ZENDESK_APIS, "tickets"),
                             secret_env=text["token_env"])
    return ForwardTarget(kind, name, url=address, secret_env=text["api_key_env"])


def _strings(value) -> list[str]:
    """A list of strings as written; nothing when it is not one (check_against_schema says)."""
    return value if has_type(value, STRINGS) else []


# --- helpgen check ---------------------------------------------------------------------------


def _check_settings(data: dict, path: Path, lines: KeyLines, report: Report) -> dict:
    """`check:` settings as Config fields: stale_after_days, check_errors, check_ignore."""
    days = data.get("stale_after_days", DEFAULT_STALE_AFTER_DAYS)
    if not has_type(days, int) or days < 1:
        if has_type(days, int):
            report.error("check.stale_after_days must be at least 1", path,
                         lines.get(("check", "stale_after_days")),
                         "write a number of days, e.g. stale_after_days: 365", code=CONFIG)
        days = DEFAULT_STALE_AFTER_DAYS
    codes = {}
    for key in ("errors", "ignore"):
        value = data.get(key)
        listed = []
        for index, code in enumerate(value if has_type(value, STRINGS) else ()):
            if code not in CODES:
                report.error(f"check.{key}: unknown problem code '{code}'", path,
                             lines.get(("check", key, str(index))) or lines.get(("check", key)),
                             did_you_mean(code, CODES, "the codes are"), code=CONFIG)
            elif code not in listed:
                listed.append(code)
        codes[key] = tuple(listed)
    for code in sorted(set(codes["errors"]) & set(codes["ignore"])):
        report.error(f"'{code}' is listed under both check.errors and check.ignore", path,
                     lines.get(("check", "ignore")), "keep it in one of the two lists", code=CONFIG)
    return {"stale_after_days": days, "check_errors": codes["errors"],
            "check_ignore": codes["ignore"]}


# --- markdown --------------------------------------------------------------------------------


# markdown.raw_html as written in helpgen.yml -> the mode of content/markup.py's renderer: true
# keeps raw HTML as written, false shows it as text, sanitize keeps what content/sanitize.py allows.
RAW_HTML = {"true": "keep", "false": "escape", "sanitize": "sanitize"}
# markdown.heading_ids: how a heading's id is made from its text. helpgen keeps Unicode letters
# (`退款政策` stays); mkdocs is MkDocs' default (Python-Markdown's toc slugify: ASCII only, so a
# Chinese heading gets `_1`, `_2`…), which `helpgen import mkdocs` writes so old #anchors work.
HEADING_IDS = ("helpgen", "mkdocs")


def _markdown_settings(data: dict, path: Path, lines: KeyLines, report: Report) -> dict:
    """`markdown:` settings as Config fields: raw_html, heading_ids."""
    settings = {}
    value = data.get("raw_html", True)
    written = str(value).lower() if isinstance(value, bool) else value
    if isinstance(written, str) and written in RAW_HTML:
        settings["raw_html"] = RAW_HTML[written]
    else:
        report.error(f"markdown.raw_html must be true, false or sanitize, not '{value}'", path,
                     lines.get(("markdown", "raw_html")),
                     did_you_mean(str(value), RAW_HTML, "write one of")
                     + " (true keeps raw HTML in articles as written, false shows it as text, "
                     "sanitize keeps only safe HTML)", code=CONFIG)
    ids = data.get("heading_ids", "helpgen")
    if ids in HEADING_IDS:
        settings["heading_ids"] = ids
    else:
        report.error(f"markdown.heading_ids must be helpgen or mkdocs, not '{ids}'", path,
                     lines.get(("markdown", "heading_ids")),
                     did_you_mean(str(ids), HEADING_IDS, "write one of")
                     + " (mkdocs makes heading ids as MkDocs did, so links into a site moved "
                     "from MkDocs keep their #anchors)", code=CONFIG)
    return settings
