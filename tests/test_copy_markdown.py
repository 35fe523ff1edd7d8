"""The "Copy as Markdown" button of an article: every UI locale of both built-in themes has its
words."""

from __future__ import annotations

import json

from conftest import ROOT, article, read_html, write_site

# Simplified characters whose Traditional forms (複為將貼無開) zh-TW must use instead.
SIMPLIFIED = "复为将贴无开"


def test_every_ui_locale_of_both_themes_translates_the_button(tmp_path, cli):
    """Each UI locale's own words (not English ones), and Traditional characters in zh-TW."""
    others = sorted({p.stem for p in (ROOT / "themes").glob("*/i18n/*.yml")} - {"en"})
    for theme in ("default", "docs"):
        site = write_site(tmp_path / theme, {
            "helpgen.yml": f"site: {{title: Help}}\nlocales: {{default: en, others: {others}}}\n"
                           f"theme: {{name: {theme}}}\n",
            "articles/a/_category.yml": "title: A\n",
            "articles/a/b/page.md": article("Page"),
            **{f"articles/a/b/page.{code}.md": article(code) for code in others},
        })
        result = cli("build", site, "-q")
        assert result.exit_code == 0, result.output
        words = {}
        for code in ["en", *others]:
            page = site / "site" / ("" if code == "en" else code) / "a/b/page/index.html"
            button = read_html(page).select_one("button.copy-markdown")
            words[code] = {"label": button.get_text(strip=True),
                           **json.loads(button["data-strings"])}
        assert set(words["en"]) == {"label", "copied", "failed", "open"}
        assert all(words["en"].values()), words["en"]
        for code in others:
            untranslated = [key for key, text in words[code].items()
                            if not text or text == words["en"][key]]
            assert not untranslated, f"{theme} theme, {code}: {untranslated} not translated"
        assert not set(SIMPLIFIED) & set("".join(words["zh-TW"].values())), words["zh-TW"]
