"""The project's languages: mkdocs-static-i18n's `languages` (both its 1.x list and 0.x mapping)
or theme.language, as helpgen locales with the URL prefix each had."""

from __future__ import annotations

from dataclasses import dataclass, field

from helpgen.importers.common import ImportReport, helpgen_locale


@dataclass
class _Language:
    code: str                # as MkDocs writes it: en, zh, zh_TW
    locale: str              # helpgen's: en, zh-CN, zh-TW
    link: str                # URL prefix of its pages: "" or "zh/"
    default: bool
    site_name: str | None = None
    site_description: str | None = None
    nav_translations: dict = field(default_factory=dict)


def _i18n_options(plugins: list[tuple[str, dict]]) -> dict | None:
    """The options of mkdocs-static-i18n when the project uses it."""
    return next((o for n, o in plugins if n in ("i18n", "mkdocs-static-i18n")
                 and o.get("enabled", True) is not False), None)


def _languages(plugins: list[tuple[str, dict]], theme: dict, report: ImportReport,
               where) -> tuple[list[_Language], str]:
    """The project's languages (default first) and its i18n docs_structure; `where(key)` is
    where a top-level setting is written, for errors."""
    options = _i18n_options(plugins)
    if options is None:
        code = str(theme.get("language") or "en")
        return [_Language(code, helpgen_locale(code, (), where("theme")), "", True)], "none"
    structure = str(options.get("docs_structure") or "suffix")
    entries = options.get("languages")
    if isinstance(entries, dict):           # mkdocs-static-i18n 0.x: {fr: Français} or {fr: {…}}
        default = str(options.get("default_language") or "en")
        entries = [{"locale": code, "default": code == default,
                    **(value if isinstance(value, dict) else {"name": value})}
                   for code, value in entries.items()]
        if default not in [e["locale"] for e in entries]:
            entries.insert(0, {"locale": default, "default": True})
    entries = [e for e in entries or () if isinstance(e, dict) and e.get("locale")]
    codes = [str(e["locale"]) for e in entries]
    languages, seen = [], set()
    for entry in entries:
        code = str(entry["locale"])
        if code == "null":
            continue
        if entry.get("build") is False:
            report.skip("Languages", f"{code}: not built by the project (build: false)")
            continue
        locale = helpgen_locale(code, codes, where("plugins"))
        if locale in seen:
            report.skip("Languages", f"{code}: another language already became {locale}")
            continue
        seen.add(locale)
        default = bool(entry.get("default"))
        link = str(entry.get("link") or ("/" if default else f"/{code}/")).strip("/")
        languages.append(_Language(
            code, locale, f"{link}/" if link else "", default,
            entry.get("site_name"), entry.get("site_description"),
            {str(k): str(v) for k, v in (entry.get("nav_translations") or {}).items()}))
        if entry.get("nav"):
            report.note(f"The {code} language has its own nav; the default language's nav "
                        "decides where pages go, and its titles come from each page.")
    if not languages:
        return [_Language("en", "en", "", True)], "none"
    if not any(lang.default for lang in languages):
        languages[0].default = True
    languages.sort(key=lambda lang: not lang.default)
    return languages, structure
