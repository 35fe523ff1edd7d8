"""Contextual help: articles name the product's pages (`contexts:` in front matter,
`_category.yml`, `_section.yml`), the build writes a context map per locale beside widget.js,
and the widget on a matching product page opens with "Suggested for this page"."""

from __future__ import annotations

import http.server
import json
import threading

import pytest
from playwright.sync_api import expect

from conftest import article, built, serve_folder, write_site

MAP_PREFIX = "document.currentScript.helpgenContexts = "


def context_map(out, locale: str) -> dict:
    """The context map the widget loads for `locale`."""
    text = (out / f"_helpgen/contexts/{locale}.js").read_text(encoding="ascii")
    assert text.startswith(MAP_PREFIX) and text.endswith(";\n")
    return json.loads(text[len(MAP_PREFIX):-2])


def widget_settings(out) -> dict:
    text = (out / "widget.js").read_text(encoding="ascii")
    start = text.index("var SETTINGS = ") + len("var SETTINGS = ")
    return json.JSONDecoder().raw_decode(text[start:])[0]


def suggestions(found: dict) -> dict[str, list[str]]:
    """Each pattern with the titles of its articles, from a context map."""
    return {pattern: [found["articles"][n][1] for n in numbers]
            for pattern, _rank, numbers in found["rules"]}


def contexts_site(root, product_origin="http://localhost:8000"):
    """Billing articles for the invoices, plans and settings pages of a product; the category
    suggests them all on pages labelled billing; one article only on one origin."""
    return write_site(root, {
        "helpgen.yml": "site: {title: {en: Acme Help, zh-CN: Acme 帮助中心}}\n"
                       "locales: {default: en, others: [zh-CN]}\n",
        "articles/billing/_category.yml": "title: {en: Billing, zh-CN: 账单}\n"
                                          "contexts: [label:billing]\n",
        "articles/billing/invoices/download.md": article(
            "Download an invoice", order=1, contexts='["/invoices/*"]'),
        "articles/billing/invoices/download.zh-CN.md": article("下载发票"),
        "articles/billing/invoices/dispute.md": article(
            "Dispute a charge", order=2, contexts='["/invoices/*/dispute"]'),
        "articles/billing/invoices/dispute.zh-CN.md": article("对扣款提出异议"),
        "articles/billing/plans/change-plan.md": article(
            "Change your plan", promoted="true",
            contexts='["/invoices/*", "/settings?tab=plan*", "/app#/plans/*"]'),
        "articles/billing/plans/change-plan.zh-CN.md": article("更改套餐"),
        "articles/account/_category.yml": "title: {en: Account, zh-CN: 账户}\n",
        "articles/account/security/_section.yml": "title: {en: Security, zh-CN: 安全}\n"
                                                  "contexts: [/security/*]\n",
        "articles/account/security/reset-password.md": article(
            "Reset your password", contexts=f'["{product_origin}/profile*"]'),
        "articles/account/security/reset-password.zh-CN.md": article("重置密码"),
        "articles/account/security/two-factor.md": article(
            "Two-factor sign-in", contexts='["https://elsewhere.example/profile*"]'),
        "articles/account/security/two-factor.zh-CN.md": article(
            "两步验证", contexts='["/two-factor"]'),
        "articles/account/security/sessions.md": article("Signed-in devices"),
    })


# --- What the build writes ----------------------------------------------------------------


def test_the_map_holds_each_pattern_with_its_articles_best_first(tmp_path, cli):
    out = built(cli, contexts_site(tmp_path / "help"))
    found = context_map(out, "en")
    assert suggestions(found) == {
        "label:billing": ["Change your plan", "Download an invoice", "Dispute a charge"],
        "https://elsewhere.example/profile*": ["Two-factor sign-in"],
        "http://localhost:8000/profile*": ["Reset your password"],
        "/invoices/*/dispute": ["Dispute a charge"],
        "/settings?tab=plan*": ["Change your plan"],
        "/app#/plans/*": ["Change your plan"],
        "/invoices/*": ["Change your plan", "Download an invoice"],
        "/security/*": ["Reset your password", "Signed-in devices", "Two-factor sign-in"],
    }
    # Labels first, then the longer the literal text the better; the promoted article first,
    # then the site's order (Invoices: Download, Dispute; Security: by title).
    ranks = [rank for _pattern, rank, _numbers in found["rules"]]
    assert ranks == sorted(ranks) and ranks[0] == 0
    assert found["articles"][0] == ["billing/plans/change-plan/", "Change your plan"]
    assert widget_settings(out)["locales"]["en"]["contexts"] == "_helpgen/contexts/en.js"


def test_a_translation_inherits_the_contexts_unless_it_sets_its_own(tmp_path, cli):
    out = built(cli, contexts_site(tmp_path / "help"))
    found = suggestions(context_map(out, "zh-CN"))
    assert found["/invoices/*"] == ["更改套餐", "下载发票"]
    assert found["/security/*"] == ["两步验证", "重置密码"]     # the section's, zh-CN's order
    assert found["/two-factor"] == ["两步验证"]                    # its own, not the original's
    assert "https://elsewhere.example/profile*" not in found
    assert context_map(out, "zh-CN")["articles"][0] == ["zh-CN/billing/plans/change-plan/",
                                                        "更改套餐"]


def test_patterns_are_written_as_browsers_write_addresses(tmp_path, cli):
    site = write_site(tmp_path / "help", {
        "helpgen.yml": "site: {title: Help}\n",
        "articles/billing/invoices.md": article("Invoices", contexts=(
            '["/账单/*", "HTTPS://App.Example.com:443/x", "https://app.example.com", '
            '"label:Billing", " /padded "]')),
    })
    found = context_map(built(cli, site), "en")
    assert [rule[0] for rule in found["rules"]] == [
        "label:billing", "https://app.example.com/x", "https://app.example.com/",
        "/padded", "/%E8%B4%A6%E5%8D%95/*"]    # "/账单/" is 4 characters long


def test_a_site_without_contexts_writes_no_map(tmp_path, cli, site):
    out = built(cli, site)
    assert not (out / "_helpgen/contexts").exists()
    assert all(locale["contexts"] is None
               for locale in widget_settings(out)["locales"].values())


def test_the_embed_page_names_the_labels_in_use(tmp_path, cli, site):
    page = (built(cli, contexts_site(tmp_path / "help")) / "embed/index.html").read_text()
    assert "Suggestions for each page" in page
    assert '<li><code>data-context="billing"</code></li>' in page
    assert "loads nothing until it is opened" not in page
    without = (built(cli, site) / "embed/index.html").read_text()
    assert "data-context" not in without and "loads nothing until it is opened" in without


def test_the_maps_are_cached_like_the_widget(tmp_path, cli):
    out = built(cli, contexts_site(tmp_path / "help"), "--base-url", "/help/")
    headers = (out / "_headers").read_text()
    assert "/help/_helpgen/contexts/*\n  Cache-Control: public, max-age=3600\n" in headers


def test_the_map_is_the_same_on_every_build(tmp_path, cli):
    site = contexts_site(tmp_path / "help")
    first = (built(cli, site, out=tmp_path / "a") / "_helpgen/contexts/en.js").read_bytes()
    assert (built(cli, site, out=tmp_path / "b") / "_helpgen/contexts/en.js").read_bytes() == first


@pytest.mark.parametrize("written, line, message", [
    ('[/ok/*, ""]', 3, "the context '' is empty"),
    ("[javascript:alert(1)]", 3, "the context 'javascript:alert(1)' is not the address of a "
                                 "page of your product"),
    ("\n  - /fine\n  - billing/*", 5, "the context 'billing/*' does not start with '/'"),
    ("[//cdn.example.com/x]", 3, "names another host without saying its scheme"),
    ("[https://]", 3, "the context 'https://' names no host"),
    ("[label:two words]", 3, "contains a space"),
    ('["label:"]', 3, "the context 'label:' is empty"),
    ("/billing/*", 3, "'contexts' must be a list of strings"),
])
def test_a_bad_pattern_is_an_error_at_its_line(tmp_path, cli, written, line, message):
    site = write_site(tmp_path / "help", {
        "helpgen.yml": "site: {title: Help}\n",
        "articles/billing/invoices.md": article("Invoices", contexts=written),
    })
    result = cli("build", site)
    assert result.exit_code == 1
    assert f"articles/billing/invoices.md:{line}: error: " in result.stderr
    assert message in result.stderr and "hint: " in result.stderr
    assert not (site / "site").exists()


def test_a_bad_pattern_of_a_category_is_an_error_at_its_line(tmp_path, cli):
    site = write_site(tmp_path / "help", {
        "helpgen.yml": "site: {title: Help}\n",
        "articles/billing/_category.yml": "title: Billing\ncontexts:\n  - /billing/*\n"
                                          "  - mailto:billing@example.com\n",
        "articles/billing/invoices.md": article("Invoices"),
    })
    result = cli("build", site)
    assert result.exit_code == 1
    assert ("articles/billing/_category.yml:4: error: the context "
            "'mailto:billing@example.com' is not the address") in result.stderr


# --- The widget on a product page of another origin ----------------------------------------

PRODUCT_PAGE = """<!doctype html><html lang="en"><head><title>Acme app</title></head>
<body><h1>Acme app</h1>
<script src="{help}widget.js" data-locale="{locale}"{attributes} async></script></body></html>"""


class Product:
    """A single-page app on http://localhost:PORT/: every path serves the same page, with the
    widget of the help center at `help` under a strict Content-Security-Policy."""

    def __init__(self):
        self.page = ""
        product = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                body = product.page.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Security-Policy", product.policy)
                self.end_headers()
                self.wfile.write(body)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://localhost:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def serve(self, help_url: str, locale: str = "zh-CN", context: str | None = None) -> None:
        attributes = f' data-context="{context}"' if context is not None else ""
        self.page = PRODUCT_PAGE.format(help=help_url, locale=locale, attributes=attributes)
        self.policy = (f"default-src 'self'; script-src {help_url}; connect-src {help_url}; "
                       "style-src 'none'; object-src 'none'")


@pytest.fixture
def product():
    product = Product()
    yield product
    product.server.shutdown()


@pytest.fixture
def help_center(tmp_path, cli, product):
    """The help center on http://127.0.0.1:PORT/, built knowing the product's origin."""
    server, url = serve_folder(built(cli, contexts_site(tmp_path / "help", product.origin)))
    yield url
    server.shutdown()


@pytest.fixture
def page(browser):
    """A browser page; every console error and script error is kept in `page.problems`."""
    context = browser.new_context()
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    context.close()


def suggested(page, heading: str = "本页推荐"):
    """The links under "Suggested for this page" in the open panel."""
    return page.get_by_role("region", name=heading).get_by_role("link")


@pytest.mark.browser
def test_a_matching_page_opens_with_its_suggestions_best_first(page, product, help_center):
    product.serve(help_center)
    page.goto(product.origin + "/invoices/42/dispute")
    launcher = page.get_by_role("button", name="帮助（本页推荐 3 篇文章）")
    expect(launcher).to_be_visible()
    launcher.click()
    expect(suggested(page)).to_have_text(["对扣款提出异议", "更改套餐", "下载发票"])
    assert suggested(page).first.get_attribute("href") == \
        help_center + "zh-CN/billing/invoices/dispute/"
    expect(page.get_by_label("搜索答案")).to_be_focused()
    page.get_by_label("搜索答案").fill("密码")          # typing searches as before
    expect(page.get_by_role("link", name="重置密码")).to_be_visible()
    expect(page.get_by_role("region", name="本页推荐")).to_be_hidden()
    page.get_by_label("搜索答案").fill("")
    expect(suggested(page)).to_have_count(3)
    assert page.problems == []


@pytest.mark.browser
def test_a_full_address_matches_on_its_origin_only(page, product, help_center):
    product.serve(help_center, locale="en")
    page.goto(product.origin + "/profile?tab=security")
    page.get_by_role("button", name="Help, 1 article suggested for this page").click()
    expect(suggested(page, "Suggested for this page")).to_have_text(["Reset your password"])
    assert page.problems == []


@pytest.mark.browser
def test_a_pattern_with_a_query_matches_the_query(page, product, help_center):
    product.serve(help_center)
    page.goto(product.origin + "/settings?tab=plans&from=menu")
    page.get_by_role("button", name="帮助（本页推荐 1 篇文章）").click()
    expect(suggested(page)).to_have_text(["更改套餐"])
    page.goto(product.origin + "/settings?tab=profile")
    page.wait_for_load_state("networkidle")
    launcher = page.get_by_role("button", name="帮助", exact=True)
    launcher.click()
    expect(page.get_by_label("搜索答案")).to_be_focused()
    expect(page.get_by_role("region")).to_have_count(0)
    assert page.problems == []


@pytest.mark.browser
def test_the_suggestions_follow_a_single_page_app(page, product, help_center):
    """Hash routes and history.pushState change the suggestions, also in the open panel; back
    (popstate) brings the earlier ones back; a page that matches nothing has no count."""
    product.serve(help_center)
    page.goto(product.origin + "/app#/plans/pro")
    launcher = page.get_by_role("button", name="帮助（本页推荐 1 篇文章）")
    launcher.click()
    expect(suggested(page)).to_have_text(["更改套餐"])
    page.evaluate("location.hash = '#/home'")
    expect(page.get_by_role("region")).to_have_count(0)
    expect(page.get_by_role("button", name="帮助", exact=True)).to_be_visible()
    page.evaluate("history.pushState({}, '', '/invoices/7')")
    expect(suggested(page)).to_have_text(["更改套餐", "下载发票"])
    expect(page.get_by_role("button", name="帮助（本页推荐 2 篇文章）")).to_be_visible()
    page.evaluate("history.replaceState({}, '', '/invoices/7/dispute')")
    expect(suggested(page)).to_have_text(["对扣款提出异议", "更改套餐", "下载发票"])
    page.go_back()
    expect(page).to_have_url(product.origin + "/app#/home")
    expect(page.get_by_role("region")).to_have_count(0)
    page.go_back()
    expect(suggested(page)).to_have_text(["更改套餐"])
    assert page.problems == []


@pytest.mark.browser
def test_a_label_on_the_widget_line_suggests_its_articles(page, product, help_center):
    product.serve(help_center, context="onboarding, Billing")
    page.goto(product.origin + "/invoices/1")
    page.get_by_role("button", name="帮助（本页推荐 3 篇文章）").click()
    # The label's articles first (the promoted one, then the site's order), then no repeats.
    expect(suggested(page)).to_have_text(["更改套餐", "下载发票", "对扣款提出异议"])
    page.evaluate("document.querySelector('script[data-context]').dataset.context = 'x'")
    expect(suggested(page)).to_have_text(["更改套餐", "下载发票"])
    assert page.problems == []


@pytest.mark.browser
def test_a_page_that_matches_nothing_shows_the_widget_as_before(page, product, help_center):
    product.serve(help_center)
    page.goto(product.origin + "/dashboard")
    page.wait_for_load_state("networkidle")
    launcher = page.get_by_role("button", name="帮助", exact=True)
    assert launcher.inner_text() == "帮助"
    launcher.click()
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.get_by_role("region")).to_have_count(0)
    expect(page.get_by_role("link")).to_have_text(["打开帮助中心"])
    assert page.problems == []
