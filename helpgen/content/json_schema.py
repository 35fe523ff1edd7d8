"""JSON Schemas of helpgen.yml, article front matter, _category.yml and _section.yml, for
editors (yaml-language-server completes and checks keys) and CI.

They are made from the schemas the build checks with (settings/config.py, content/sources.py)
and their value rules (enums, patterns), so the rules are written once. The package ships them
in helpgen/schemas/, which `helpgen new` copies into a site (IN_SITE); a test fails when they
differ from what this module makes. Run `python -m helpgen.content.json_schema` to write them anew.
"""

from __future__ import annotations

import json
from pathlib import Path

from helpgen.errors import CODES
from helpgen.settings.config import (BANNER, BRAND_ID, BRANDS_ENTRY_SCHEMA, BUILTIN_FIELDS,
                                     FORWARD_KEYS,
                                     COLOR, DEFAULT_ACCENT_COLOR, DEFAULT_PRIMARY_COLOR,
                                     DEFAULT_STALE_AFTER_DAYS, FIELD_NAME, FIELD_SCHEMA,
                                     FIELD_TYPES, HEADING_IDS, RAW_HTML, SCHEMA, STRINGS, TEXT,
                                     UNTRANSLATED, type_hint)
from helpgen.settings.collect import DEFAULT_RATE_LIMIT, DEFAULT_RETENTION_DAYS, FORWARD_KINDS
from helpgen.settings.contact import FORMATS, PROVIDERS
from helpgen.settings.locales import LOCALE_EXAMPLES, LOCALE_PATTERN
from helpgen.settings.theme_folders import builtin_themes
from helpgen.content.contexts import LABEL
from helpgen.content.audience import AUDIENCES
from helpgen.content.sources import (CATEGORY_SCHEMA, DATE, FRONT_MATTER_SCHEMA,
                                     SECTION_SCHEMA)

SHIPPED = Path(__file__).resolve().parent.parent / "schemas"
# Where `helpgen new` puts them in a site, for its YAML files' `$schema` modelines: in the site,
# they work offline and stay the version the site was checked with.
IN_SITE = Path(".helpgen", "schemas")
DIALECT = "https://json-schema.org/draft/2020-12/schema"
NULL = {"type": "null"}

_TEXT = {"anyOf": [{"type": "string"},
                   {"type": "object", "additionalProperties": {"type": "string"}}]}
_TYPES = {str: {"type": "string"}, int: {"type": "integer"}, bool: {"type": "boolean"},
          list: {"type": "array"}, dict: {"type": "object"}, object: {},
          TEXT: _TEXT, STRINGS: {"type": "array", "items": {"type": "string"}},
          # A mapping with `text` is a banner with a link; any other is a text per locale.
          BANNER: {"anyOf": [
              _TEXT["anyOf"][0], {**_TEXT["anyOf"][1], "not": {"required": ["text"]}},
              {"type": "object", "required": ["text"], "additionalProperties": False,
               "properties": {"text": _TEXT, "url": {"type": "string"}}}]},
          DATE: {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}}


def _enum(values, what: str) -> dict:
    return {"enum": list(values), "description": f"{what}: one of {', '.join(map(str, values))}"}


def _pattern(regex, description: str) -> dict:
    """A string's rule (a pattern checks only strings: a key's type still allows null)."""
    return {"pattern": getattr(regex, "pattern", regex), "description": description}


# What a context pattern starts with (content/contexts.py checks the rest).
CONTEXT = rf"^\s*(/[^/]|/$|[hH][tT][tT][pP][sS]?://|{LABEL}\S)"
_LOCALE = _pattern(f"^{LOCALE_PATTERN}$", f"a locale code, e.g. {LOCALE_EXAMPLES}")
# Value rules beyond a key's type, by the last two keys of its path (brands.N.brand.logo is
# (brand, logo), like brand.logo); merged over the type.
_RULES = {
    ("locales", "default"): _LOCALE,
    ("locales", "others"): {"items": _LOCALE},
    ("locales", "untranslated"): _enum(UNTRANSLATED, "untranslated articles"),
    ("theme", "name"): _enum(builtin_themes(), "a built-in theme"),
    ("brand", "primary_color"): {**_pattern(COLOR, "a hex color, quoted"),
                                 "default": DEFAULT_PRIMARY_COLOR},
    ("brand", "accent_color"): {**_pattern(COLOR, "a hex color, quoted"),
                                "default": DEFAULT_ACCENT_COLOR},
    ("contact", "provider"): _enum(PROVIDERS, "where submissions go"),
    ("contact", "format"): _enum(FORMATS, "how submissions are encoded"),
    ("fields", "name"): _pattern(FIELD_NAME, "the key sent with the submission"),
    ("fields", "type"): _enum(FIELD_TYPES, "the input's type"),
    ("check", "stale_after_days"): {"minimum": 1, "default": DEFAULT_STALE_AFTER_DAYS},
    ("check", "errors"): {"items": _enum(CODES, "a problem code")},
    ("check", "ignore"): {"items": _enum(CODES, "a problem code")},
    ("markdown", "raw_html"): _enum([True, False, *RAW_HTML], "raw HTML in articles"),
    ("markdown", "heading_ids"): {**_enum(HEADING_IDS, "how headings' #anchors are made"),
                                  "default": HEADING_IDS[0]},
    ("audience",): _enum(AUDIENCES, "who sees it (internal: only the agents' help center, "
                         "built with --audience internal; a folder's covers its articles)"),
    ("brands", "id"): _pattern(BRAND_ID, "lowercase letters, digits and '-'; names the "
                               "brand's folder"),
    ("collect", "url"): {"description": "Where readers' browsers reach helpgen collect; the site "
                         "sends contact submissions, feedback and search events there"},
    ("collect", "origins"): {"description": "More browser origins that may send (scheme and "
                             "host), beyond site.url and the brands' url"},
    ("collect", "retention_days"): {"minimum": 1, "default": DEFAULT_RETENTION_DAYS},
    ("collect", "rate_limit"): {"minimum": 1, "default": DEFAULT_RATE_LIMIT,
                                "description": "Requests a minute from one reader"},
    ("collect", "forward"): {"description": "Where contact submissions are forwarded; secrets "
                             "only as names of environment variables (…_env)",
                             "items": {"type": "object", "required": ["type"], "properties": {
                                 "type": _enum(FORWARD_KINDS, "the kind of target"),
                                 **{key: {"type": "string"} for keys in FORWARD_KEYS.values()
                                    for part in keys for key in part},
                                 "name": {"type": "string"}},
                                 "additionalProperties": False}},
    ("contexts",): {"description": "The product's pages whose help widget suggests the "
                    "article(s): paths (/billing/*), full addresses "
                    "(https://app.example.com/invoices/*) or label:NAME; * matches any characters",
                    "items": {"type": "string", "pattern": CONTEXT}},
}


def _value(kind, key_path: tuple[str, ...], rules: dict) -> dict:
    """The JSON Schema of one key's value: its type (or section), then any rule of its key
    path. An empty value (null) passes the type but for a date: the build takes it as the key
    left out; a rule may refuse it (an enum, a type of its own)."""
    schema = _object(kind, key_path, rules) if isinstance(kind, dict) else dict(_TYPES[kind])
    if kind in (TEXT, STRINGS, BANNER):
        hint = type_hint(kind)
        schema["description"] = hint[:1].upper() + hint[1:]
    if "anyOf" in schema:
        schema["anyOf"] = [*schema["anyOf"], NULL]
    elif "type" in schema and kind != DATE:
        schema["type"] = [schema["type"], "null"]
    return {**schema, **rules.get(key_path[-2:], {})}


def _object(schema: dict, key_path: tuple[str, ...] = (), rules: dict = _RULES,
            strict: bool = True) -> dict:
    """A section of keys; `strict`: no other keys (the build's check_against_schema)."""
    return {"type": "object", "additionalProperties": not strict, "properties": {
        key: _value(kind, (*key_path, key), rules) for key, kind in schema.items()}}


def schemas() -> dict[str, dict]:
    """Each schema by its file name in helpgen/schemas/."""
    field = {**_object(FIELD_SCHEMA, ("fields",)), "required": ["name"]}
    rules = {**_RULES, ("contact", "fields"): {"items": {"anyOf": [
        _enum(BUILTIN_FIELDS, "a built-in field"), field]}}}
    rules[("brands",)] = {"items": _object(BRANDS_ENTRY_SCHEMA, ("brands",), rules)}
    front_rules = {**_RULES, ("title",): {"type": "string", **_pattern(r"\S", "a title")}}
    made = {
        "helpgen.schema.json": ("helpgen.yml", "Site settings of a helpgen help center",
                                _object(SCHEMA, rules=rules)),
        "front-matter.schema.json": (
            "Article front matter", "The keys between the --- lines at the top of an article; "
            "other keys are left alone",
            {**_object(FRONT_MATTER_SCHEMA, rules=front_rules, strict=False),
             "required": ["title"]}),
        "category.schema.json": ("_category.yml", "A category folder's title, description, "
                                 "icon, order and audience", _object(CATEGORY_SCHEMA)),
        "section.schema.json": ("_section.yml", "A section folder's title, description, "
                                "order and audience", _object(SECTION_SCHEMA)),
    }
    return {name: {"$schema": DIALECT, "title": title, "description": description, **schema}
            for name, (title, description, schema) in made.items()}


def as_json(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    for file_name, schema in schemas().items():
        (SHIPPED / file_name).write_text(as_json(schema), encoding="utf-8")
