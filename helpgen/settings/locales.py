"""The one owner of locales: the rule for locale codes (in helpgen.yml, in article file names
`name.zh-CN.md`, in a theme's UI strings `i18n/zh-CN.yml` and in what the importers read), the
article file names, localized texts and the order of fallbacks.

A code is BCP 47 in short: a language of 2 or 3 letters, then optionally a script of 4 letters
and a region of 2 letters or 3 digits, joined by '-': en, zh-CN, zh-Hant-TW, es-419.
"""

from __future__ import annotations

import difflib
import re

LOCALE_PATTERN = r"[a-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"
_LOCALE = re.compile(LOCALE_PATTERN)
# What a writer may have meant as a locale: other separators and cases, longer subtags.
_LOCALE_LIKE = re.compile(r"[A-Za-z]{2,3}(?:[-_](?:[A-Za-z]{2,8}|[0-9]{3}))+")
UI_FALLBACK = "en"      # the language every theme's UI strings are written in
LOCALE_EXAMPLES = "en, zh-CN, zh-Hant-TW, ja, pt-BR, es-419"      # for hints

Text = dict[str, str]
"""A localized string: locale code -> text; the key "*" holds a text given for every locale."""


def is_locale(code: str) -> bool:
    return _LOCALE.fullmatch(code) is not None


def canonical(code: str) -> str | None:
    """`code` as helpgen spells it (zh_cn → zh-CN, ZH-hant-tw → zh-Hant-TW, pt_BR → pt-BR), or
    None when it is not a locale code in any spelling."""
    language, *rest = code.replace("_", "-").split("-")
    spelled = "-".join([language.lower()] + [part.title() if len(part) == 4 else part.upper()
                                             for part in rest])
    return spelled if is_locale(spelled) else None


def looks_like_locale(text: str) -> bool:
    """Whether `text` (e.g. a file name's suffix) reads as an attempt at a locale code."""
    return canonical(text) is not None or _LOCALE_LIKE.fullmatch(text) is not None


def meant_locale(text: str, locales) -> str | None:
    """The one of `locales` that `text` probably means: the same code spelled differently
    (zh_cn for zh-CN), else one of the same language (zh for zh-CN), else the nearest."""
    spelled = canonical(text)
    if spelled in locales:
        return spelled
    language = text.replace("_", "-").split("-")[0].lower()
    same_language = [code for code in locales if code.split("-")[0] == language]
    if same_language:
        return same_language[0]
    by_lower = {code.lower(): code for code in locales}
    close = difflib.get_close_matches(text.replace("_", "-").lower(), by_lower, n=1, cutoff=0.6)
    return by_lower[close[0]] if close else None


def language(code: str) -> str:
    """The language of a locale code: zh for zh-Hant-TW."""
    return code.split("-")[0]


def article_file(name: str, code: str | None = None) -> str:
    """The file name of article `name` in the locale `code`: `name.zh-CN.md`, or `name.md` for
    the default locale (None). split_article_file is its inverse."""
    return f"{name}.{code}.md" if code else f"{name}.md"


def ui_strings_file(code: str) -> str:
    """Where a theme folder keeps the UI strings of the locale `code`: `i18n/zh-CN.yml`."""
    return f"i18n/{code}.yml"


def split_article_file(file_name: str, locales) -> tuple[str, str | None]:
    """An article's file name as (name, locale): `refunds.zh-CN.md` -> (refunds, zh-CN). The
    locale is None (the default locale's file) when the last dotted suffix is not one of
    `locales`: `v1.2.md` -> (v1.2, None)."""
    stem = file_name.removesuffix(".md")
    name, dot, suffix = stem.rpartition(".")
    return (name, suffix) if dot and suffix in locales else (stem, None)


def fallbacks(code: str, locales) -> tuple[str, ...]:
    """Where something missing in the locale `code` (a text, an article) is looked for, in
    order: in `code`, then in `locales` as given (the site's locales: the default one first)."""
    return (code, *locales)


def ui_fallbacks(code: str) -> tuple[str, ...]:
    """Whose UI strings a page in the locale `code` uses, the first that has a string winning:
    zh-Hant-TW, then zh, then English (every theme has all its strings in English)."""
    return (code, language(code), UI_FALLBACK)


def as_text(value) -> Text:
    """A localized text from a YAML value: a string is the text for every locale."""
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    return {"*": str(value)} if value is not None else {}


def localize(text: Text, code: str, default_locale: str) -> str:
    """The text for the locale `code`, else the one for every locale ("*"), else the default
    locale's, else any: `fallbacks` over those, the text's own locales last."""
    for key in fallbacks(code, ("*", default_locale, *text)):
        if key in text:
            return text[key]
    return ""
