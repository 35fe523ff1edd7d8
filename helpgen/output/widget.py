"""`widget.js`, the help button a product page embeds, and the snippet that embeds it."""

from __future__ import annotations

from helpgen.output.assets import CLIENT_DIR, SEARCH_SCRIPTS, Assets
from helpgen.output.script_json import to_json
from helpgen.content.model import Site


def widget_snippets(site: Site) -> list[tuple[str, str]]:
    """The line to paste into a product page, per locale."""
    source = site.address.absolute("widget.js") or f"{site.address.path}widget.js"
    return [(locale.code, f'<script src="{source}" data-locale="{locale.code}" async></script>')
            for locale in site.locales]


def widget_js(site: Site, strings: dict, assets: Assets) -> bytes:
    """`widget.js`: the embeddable help button, with this site's settings and UI strings."""
    settings = {"defaultLocale": site.default_locale, "locales": {},
                "scripts": [assets(path) for path in SEARCH_SCRIPTS]}
    for locale in site.locales:
        t = strings[locale.code]
        contact = locale.contact
        settings["locales"][locale.code] = {
            "home": locale.url, "searchPage": f"{locale.url}search/",
            "contactPage": contact.url if contact else None,
            "strings": {**t["widget"], "search": t["search"],
                        "form": {k: v for k, v in t["contact"].items() if isinstance(v, str)},
                        "errors": t["contact"]["errors"], "fields": t["contact"]["fields"]},
            "contact": None if contact is None or not contact.form.widget_sends else {
                "provider": contact.provider, "endpoint": contact.endpoint,
                "method": contact.method, "format": contact.format, "email": contact.email,
                "success": contact.success or t["contact"]["success"],
                "error": contact.error or t["contact"]["error"],
                "fields": [{"name": f.name, "type": f.type,
                            "label": f.label or t["contact"]["fields"].get(f.name, f.name),
                            "required": f.required, "options": f.options}
                           for f in contact.fields]},
        }
    # ASCII only: the product page that loads it may declare another character encoding.
    return ("/* helpgen help widget. */\n(function () {\nvar SETTINGS = "
            + to_json(settings, ascii_only=True)
            + ";\n" + (CLIENT_DIR / "contact.js").read_text(encoding="utf-8")
            + (CLIENT_DIR / "widget.js").read_text(encoding="utf-8") + "})();\n").encode()
