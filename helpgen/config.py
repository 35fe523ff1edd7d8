"""Reading and validating `helpgen.yml`.

The schema below is the whole user-facing contract of the file: an unknown key or a value of the
wrong type is an error naming the key, its line, and the nearest valid key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from helpgen.errors import HelpgenError, Report, did_you_mean
from helpgen.yamlio import KeyLines, parse_yaml, read_text

CONFIG_FILE = "helpgen.yml"

# A localized text is a string, or a map from locale code to string.
TEXT = "text"
STRINGS = "list of strings"

SCHEMA: dict = {
    "site": {"title": TEXT, "url": str, "description": TEXT},
    "brand": {"logo": str, "favicon": str, "primary_color": str},
    "locales": {"default": str, "others": STRINGS},
    "contact": {"provider": str, "endpoint": str, "method": str, "format": str, "email": str,
                "subdomain": str, "fields": list, "success": TEXT, "error": TEXT,
                "turnstile_site_key": str, "hcaptcha_site_key": str},
    "feedback": {"endpoint": str},
    "analytics": {"endpoint": str},
    "check": {"stale_after_days": int, "errors": STRINGS, "ignore": STRINGS},
}
PROVIDERS = ("generic", "netlify", "zendesk", "mailto")
FORMATS = ("json", "form")
BUILTIN_FIELDS = {"name": "text", "email": "email", "subject": "text", "category": "select",
                  "message": "textarea"}
FIELD_TYPES = ("text", "email", "tel", "textarea", "select", "checkbox")
FIELD_SCHEMA = {"name": str, "type": str, "label": TEXT, "required": bool, "options": list}
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Key names that hold credentials. Everything under contact/feedback/analytics is published in
# the site's pages, so such a value would reach every visitor's browser.
SECRET_KEY = re.compile(r"token|secret|password|passwd|api[_-]?key|auth|credential|private",
                        re.I)

# The problem codes of `helpgen check` (helpgen/check.py), for check.errors and check.ignore.
CHECK_CODES = ("broken-link", "broken-anchor", "missing-image", "orphan-asset",
               "missing-translation", "stale", "duplicate-title", "front-matter", "structure",
               "config")
DEFAULT_STALE_AFTER_DAYS = 365

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
    contact: "ContactSettings | None" = None
    feedback_endpoint: str | None = None
    analytics_endpoint: str | None = None
    stale_after_days: int = DEFAULT_STALE_AFTER_DAYS      # check: an older `updated` is stale
    check_errors: tuple[str, ...] = ()     # check: codes whose warnings count as errors
    check_ignore: tuple[str, ...] = ()     # check: codes whose warnings are not reported

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
    text = read_text(path)
    try:
        data, lines = parse_yaml(text, path)
    except HelpgenError as error:
        report.add(error)
        data, lines = {}, {}
    data = {} if data is None else data
    if isinstance(data, dict):
        data = _without_secrets(data, path, lines, report)
    check_against_schema(data, SCHEMA, path, lines, report)
    if not isinstance(data, dict):
        data = {}

    def section(name) -> dict:
        value = data.get(name)
        return value if isinstance(value, dict) else {}

    def valid(section_name, key, kind, default=None):
        value = section(section_name).get(key)
        return value if value is not None and has_type(value, kind) else default

    brand = section("brand")
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
        contact=_contact(section("contact"), path, lines, report),
        feedback_endpoint=_endpoint(section("feedback"), ("feedback",), path, lines, report),
        analytics_endpoint=_endpoint(section("analytics"), ("analytics",), path, lines, report),
        **_check_settings(section("check"), path, lines, report),
    )


def _is_asset(root: Path, value) -> bool:
    if not isinstance(value, str):
        return False
    target = (root / value).resolve()
    return target.is_file() and (root / "assets").resolve() in target.parents


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


def _without_secrets(data: dict, path: Path, lines: KeyLines, report: Report) -> dict:
    """Report credentials under contact/feedback/analytics, and leave them out."""
    cleaned = dict(data)
    for section_name in ("contact", "feedback", "analytics"):
        section_data = data.get(section_name)
        if not isinstance(section_data, dict):
            continue
        kept = {}
        for key, value in section_data.items():
            if SECRET_KEY.search(str(key)) and not str(key).endswith("site_key"):
                report.error(f"'{section_name}.{key}' looks like a secret, and everything under "
                             f"'{section_name}' is published in the site for every visitor "
                             "to read", path, lines.get((section_name, str(key))),
                             "remove it; send the form to an endpoint that adds credentials on "
                             "the server (a form backend or your own webhook)")
            else:
                kept[key] = value
        cleaned[section_name] = kept
    return cleaned


def _endpoint(section_data: dict, where: tuple[str, ...], path: Path, lines: KeyLines,
              report: Report) -> str | None:
    url = section_data.get("endpoint")
    if not isinstance(url, str):
        return None
    parts = urlsplit(url)
    key = (*where, "endpoint")
    if parts.scheme not in ("http", "https") and not url.startswith("/"):
        report.error(f"'{'.'.join(key)}' must be an http(s) URL or a path on this site",
                     path, lines.get(key), "write it in full, e.g. https://forms.example.com/x")
        return None
    if parts.username or parts.password or any(
            SECRET_KEY.search(name) for name in re.findall(r"([^&=?]+)=", parts.query)):
        report.error(f"'{'.'.join(key)}' carries credentials, which every visitor could read",
                     path, lines.get(key),
                     "use an endpoint that needs no secret in the URL; keep tokens on a server")
        return None
    return url


def _contact(data: dict, path: Path, lines: KeyLines, report: Report) -> ContactSettings | None:
    """The contact form's settings; None when helpgen.yml has no contact section."""
    if not data:
        return None
    where = ("contact",)

    def choice(key, allowed, default):
        value = data.get(key, default)
        if value not in allowed:
            report.error(f"contact.{key} must be one of: {', '.join(allowed)}", path,
                         lines.get((*where, key)), did_you_mean(str(value), allowed))
            return default
        return value

    endpoint = _endpoint(data, where, path, lines, report)
    provider = choice("provider", PROVIDERS, "mailto" if "endpoint" not in data and
                      "subdomain" not in data else "generic" if "subdomain" not in data
                      else "zendesk")
    email = data.get("email") if isinstance(data.get("email"), str) else None
    if provider == "zendesk":
        subdomain = data.get("subdomain")
        if not (isinstance(subdomain, str) and re.fullmatch(r"[a-z0-9][a-z0-9-]*", subdomain)):
            report.error("contact.subdomain is needed for the zendesk provider", path,
                         lines.get((*where, "subdomain")) or lines.get((*where, "provider")),
                         "write your Zendesk subdomain, e.g. subdomain: acme for "
                         "acme.zendesk.com")
        else:
            endpoint = f"https://{subdomain}.zendesk.com/api/v2/requests.json"
    elif provider == "mailto" and not email:
        report.error("the contact form needs an endpoint or an email address", path,
                     lines.get(where), "add  endpoint: https://…  (where submissions are "
                     "sent) or  email: support@example.com  under contact:")
    elif provider == "generic" and not endpoint:
        report.error("contact.endpoint is missing", path, lines.get(where),
                     "add  endpoint: https://…  — the URL that receives submissions")
    form_format = choice("format", FORMATS, "form" if provider == "netlify" else "json")
    method = str(data.get("method", "POST")).upper()
    if method not in ("POST", "PUT"):
        report.error("contact.method must be POST or PUT", path,
                     lines.get((*where, "method")), None)
        method = "POST"
    return ContactSettings(
        provider=provider, endpoint=endpoint, method=method,
        format="json" if provider == "zendesk" else form_format, email=email,
        fields=_fields(data.get("fields"), path, lines, report),
        success=as_text(data.get("success")), error=as_text(data.get("error")),
        turnstile_site_key=data.get("turnstile_site_key"),
        hcaptcha_site_key=data.get("hcaptcha_site_key"))


def _fields(entries, path: Path, lines: KeyLines, report: Report) -> tuple[FormField, ...]:
    """`contact.fields`: built-in field names and custom fields; the built-ins by default."""
    if not isinstance(entries, list):
        entries = list(BUILTIN_FIELDS)
    fields, seen = [], set()
    for index, entry in enumerate(entries):
        where = ("contact", "fields", str(index))
        line = lines.get(where)
        if isinstance(entry, str):
            if entry not in BUILTIN_FIELDS:
                report.error(f"unknown built-in field '{entry}'", path, line,
                             did_you_mean(entry, BUILTIN_FIELDS) + " Custom fields are written "
                             "as a mapping: {name: order_id, type: text, label: Order number}")
                continue
            entry = {"name": entry}
        if not isinstance(entry, dict):
            report.error("a field is a built-in name or a mapping", path, line,
                         "e.g. - {name: order_id, type: text, label: Order number}")
            continue
        before = len(report.errors)
        check_against_schema(entry, FIELD_SCHEMA, path, lines, report, where)
        name = entry.get("name")
        if not isinstance(name, str) or not FIELD_NAME.match(name):
            report.error("a field needs a 'name' of lowercase letters, digits and _", path, line,
                         "e.g. name: order_id — it is the key sent with the submission")
            continue
        builtin = name in BUILTIN_FIELDS
        kind = entry.get("type", BUILTIN_FIELDS.get(name, "text"))
        if kind not in FIELD_TYPES:
            report.error(f"field type '{kind}' is not one of: {', '.join(FIELD_TYPES)}", path,
                         lines.get((*where, "type"), line), did_you_mean(str(kind), FIELD_TYPES))
            continue
        options = _options(entry.get("options"), (*where, "options"), path, lines, report)
        if kind == "select" and not options and name != "category":
            report.error(f"the select field '{name}' has no options", path, line,
                         "add  options: [first choice, second choice]")
        if name in seen:
            report.error(f"the field '{name}' is listed twice", path, line, "keep one")
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
                         lines.get((*where, str(index))), "e.g. - {value: a, label: Plan A}")
    return tuple(options)


# --- helpgen check ---------------------------------------------------------------------------


def _check_settings(data: dict, path: Path, lines: KeyLines, report: Report) -> dict:
    """`check:` settings as Config fields: stale_after_days, check_errors, check_ignore."""
    days = data.get("stale_after_days", DEFAULT_STALE_AFTER_DAYS)
    if not has_type(days, int) or days < 1:
        if has_type(days, int):
            report.error("check.stale_after_days must be at least 1", path,
                         lines.get(("check", "stale_after_days")),
                         "write a number of days, e.g. stale_after_days: 365")
        days = DEFAULT_STALE_AFTER_DAYS
    codes = {}
    for key in ("errors", "ignore"):
        value = data.get(key)
        listed = []
        for index, code in enumerate(value if has_type(value, STRINGS) else ()):
            if code not in CHECK_CODES:
                hint = did_you_mean(code, CHECK_CODES)
                if not hint.startswith("did you mean"):
                    hint = "the codes are: " + ", ".join(CHECK_CODES)
                report.error(f"check.{key}: unknown problem code '{code}'", path,
                             lines.get(("check", key, str(index))) or lines.get(("check", key)),
                             hint)
            elif code not in listed:
                listed.append(code)
        codes[key] = tuple(listed)
    for code in sorted(set(codes["errors"]) & set(codes["ignore"])):
        report.error(f"'{code}' is listed under both check.errors and check.ignore", path,
                     lines.get(("check", "ignore")), "keep it in one of the two lists")
    return {"stale_after_days": days, "check_errors": codes["errors"],
            "check_ignore": codes["ignore"]}
