"""The "Copy as Markdown" button of an article: in Chromium, served with the site's `_headers`, it
copies the article's Markdown copy from the keyboard and says so in the page's language; where
it cannot copy it says so and links the file; without JavaScript it is not there; every UI
locale of both built-in themes has its words."""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from click.testing import CliRunner
from playwright.sync_api import expect

from conftest import (EXAMPLE_SITE, FOCUS_STYLE, ROOT, article, copy_tree, read_html,
                      serve_under_help, write_site)
from helpgen.commands.cli import main

ARTICLE = "billing/refunds/request-a-refund/"
LABELS = {"en": "Copy as Markdown", "zh-CN": "复制为 Markdown", "zh-TW": "複製為 Markdown"}
COPIED = {"en": "Markdown copied to the clipboard.", "zh-CN": "已将 Markdown 复制到剪贴板。",
          "zh-TW": "已將 Markdown 複製到剪貼簿。"}
LOCALE_ROOTS = {"en": "", "zh-CN": "zh-CN/", "zh-TW": "zh-TW/"}
# Simplified characters whose Traditional forms (複為將貼無開) zh-TW must use instead.
SIMPLIFIED = "复为将贴无开"


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """(output folder, URL): the example site built for /help/ and served there with its
    `_headers`, as a static host serves it."""
    root = tmp_path_factory.mktemp("copy-markdown")
    out = root / "out"
    result = CliRunner().invoke(main, ["build", str(copy_tree(EXAMPLE_SITE, root / "source")),
                                       "-o", str(out), "--strict", "--quiet",
                                       "--base-url", "/help/"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    server, url = serve_under_help(out, root)
    yield out, url
    server.shutdown()


def copy_button(page):
    return page.locator(".copy-markdown")


def clipboard(page) -> str:
    return page.evaluate("navigator.clipboard.readText()")


def allow_clipboard(page, url: str) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)


@pytest.mark.browser
@pytest.mark.parametrize("clipboard_item", [True, False], ids=["clipboard-item", "write-text"])
def test_tab_and_enter_copy_the_articles_markdown(watched, example, clipboard_item):
    """Both ways of writing to the clipboard: an item handed over during the click (Safari
    needs that; Chromium has it too), and writeText once the text is loaded (older browsers)."""
    out, url = example
    page = watched
    allow_clipboard(page, url)
    if not clipboard_item:
        page.add_init_script("delete window.ClipboardItem")
    page.goto(url + ARTICLE)
    for _ in range(40):                          # the skip link, the header, then the article
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('copy-markdown')"):
            break
    button = copy_button(page)
    expect(button).to_be_focused()
    expect(button).to_have_accessible_name("Copy as Markdown")
    assert button.evaluate(FOCUS_STYLE) and button.evaluate("e => e.matches(':focus-visible')")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text=COPIED["en"])).to_be_visible()
    markdown = (out / ARTICLE / "index.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Request a refund\n")
    assert clipboard(page) == markdown
    assert Axe().run(page).response["violations"] == []
    assert page.problems == []


@pytest.mark.browser
@pytest.mark.parametrize("locale", ["zh-CN", "zh-TW"])
def test_the_button_speaks_the_pages_language_and_space_copies(watched, example, locale):
    out, url = example
    page = watched
    allow_clipboard(page, url)
    page.goto(url + LOCALE_ROOTS[locale] + ARTICLE)
    button = page.get_by_role("button", name=LABELS[locale], exact=True)
    button.focus()
    page.keyboard.press("Space")
    expect(page.locator(".copy-markdown-status")).to_have_text(COPIED[locale])
    markdown = (out / LOCALE_ROOTS[locale] / ARTICLE / "index.md").read_text(encoding="utf-8")
    title = read_html(out / LOCALE_ROOTS[locale] / ARTICLE / "index.html").h1.get_text()
    assert markdown.startswith(f"# {title}\n") and clipboard(page) == markdown
    assert page.problems == []


@pytest.mark.browser
@pytest.mark.parametrize("where", ["missing", "file"])
def test_where_it_cannot_copy_it_says_so_and_links_the_markdown(watched, example, where):
    """A Markdown copy the server does not give (a 404: the text of an error page is not the
    article) and a page opened from file://, whose fetch browsers block: the status says so
    and offers the Markdown file itself."""
    out, url = example
    page = watched
    if where == "missing":
        allow_clipboard(page, url)               # it is the missing file that stops it
        page.route("**/*.md", lambda route: route.fulfill(status=404, body="Not found"))
        page.goto(url + "zh-TW/" + ARTICLE)
    else:
        page.goto((out / "zh-TW" / ARTICLE / "index.html").as_uri())
    copy_button(page).click()
    status = page.locator(".copy-markdown-status")
    expect(status).to_contain_text("無法在此複製 Markdown。")
    link = status.get_by_role("link", name="開啟 Markdown 檔案")
    markdown = page.locator('link[type="text/markdown"]').evaluate("e => e.href")
    assert link.evaluate("e => e.href") == markdown and markdown.endswith(".md")
    assert page.problems == []


@pytest.mark.browser
def test_the_button_takes_its_place_before_the_script_and_hides_without_it(browser, example):
    """No layout shift: the stylesheet lays the button out, so the article starts at the same
    place whether the theme's script has run or not. Without JavaScript, and in print, the
    button is not there."""
    url = example[1] + ARTICLE

    def opened(block_script: bool = False, **options):
        """(whether the button shows, where the article's body starts, whether it prints)."""
        context = browser.new_context(**options)
        page = context.new_page()
        if block_script:
            page.route("**/_theme/helpgen*.js", lambda route: route.abort())
        page.goto(url)
        shown = copy_button(page).is_visible()
        top = page.locator(".article-body").bounding_box()["y"]
        page.emulate_media(media="print")
        printed = copy_button(page).is_visible()
        context.close()
        return shown, top, printed

    shown, top, printed = opened()
    assert shown and not printed
    assert opened(block_script=True) == (True, top, False)
    assert opened(java_script_enabled=False)[0] is False


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
