"""The built example site in a real headless Chromium: from file://, over http, under a
sub-path, with no request to any other host."""

from __future__ import annotations

import shutil
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from playwright.sync_api import expect

from conftest import EXAMPLE_SITE, copy_tree, serve_folder
from helpgen.commands.cli import main

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


@pytest.fixture(scope="module")
def http_root(example_build, tmp_path_factory):
    """The example site served over http from a sub-path (/help/), like a CDN folder."""
    root = tmp_path_factory.mktemp("http")
    shutil.copytree(example_build, root / "help")
    server, url = serve_folder(root)
    yield url + "help/"
    server.shutdown()


def click_through(page, start: str) -> None:
    """Home → a category tile → a section → an article → the language switcher."""
    page.goto(start)
    page.locator(".category-tile a", has_text="Billing").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Billing"
    page.locator(".section-block h2 a", has_text="Refunds").click()
    page.get_by_role("link", name="Request a refund").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Request a refund"
    page.locator(".language-switcher").get_by_role("link", name="简体中文").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert "退款" in page.locator("h1").inner_text()
    assert page.url.split("#")[0].rstrip("/").endswith(
        ("zh-CN/billing/refunds/request-a-refund", "request-a-refund/index.html"))
    assert not page.errors


def test_navigation_works_from_file_url(page, example_build):
    """Customers who open the site from disk can follow every kind of link."""
    click_through(page, (example_build / "index.html").as_uri())
    assert page.url.startswith("file://") and page.url.endswith("index.html")


def test_navigation_works_over_http_under_a_sub_path(page, http_root):
    click_through(page, http_root)
    assert urlsplit(page.url).path.startswith("/help/zh-CN/")


def test_pages_request_nothing_from_other_hosts(page, http_root):
    """No fonts, scripts or trackers from elsewhere: every request stays on the site's host."""
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    for path in ("", "zh-CN/", "account/security/reset-password/", "billing/", "search/?q=x"):
        page.goto(http_root + path)
        page.wait_for_load_state("networkidle")
    hosts = {urlsplit(url).netloc for url in requested if not url.startswith("data:")}
    assert hosts == {urlsplit(http_root).netloc}


def test_content_tabs_switch_without_javascript(browser, example_build):
    """Tabs are CSS only: readable and switchable with JavaScript off."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((example_build / "account/security/reset-password/index.html").as_uri())
    tabs = page.locator(".tabbed-set").first
    blocks = tabs.locator(".tabbed-block")
    assert blocks.nth(0).is_visible() and not blocks.nth(1).is_visible()
    tabs.locator(".tabbed-labels label").nth(1).click()
    assert blocks.nth(1).is_visible() and not blocks.nth(0).is_visible()
    context.close()


def test_slash_focuses_search_and_search_form_submits(page, example_build):
    page.goto((example_build / "billing/index.html").as_uri())
    page.keyboard.press("/")
    focused = page.evaluate("document.activeElement.getAttribute('name')")
    assert focused == "q"
    page.keyboard.type("refund")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/search/index.html?q=refund" in page.url


def test_mobile_layout_has_no_horizontal_scroll(browser, example_build):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    for path in ("index.html", "zh-CN/index.html", "account/security/reset-password/index.html",
                 "zh-CN/billing/refunds/request-a-refund/index.html"):
        page.goto((example_build / path).as_uri())
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, path
    context.close()


@pytest.fixture(scope="module")
def published_under_help(tmp_path_factory):
    """The example site built with --base-url /help/ and served from the folder above its
    output, as a host serving it at https://example.com/help/ would."""
    root = tmp_path_factory.mktemp("published")
    result = CliRunner().invoke(main, ["build", str(copy_tree(EXAMPLE_SITE, root / "source")),
                                       "-o", str(root / "www" / "help"), "--base-url", "/help/",
                                       "--quiet"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    server, url = serve_folder(root / "www")
    yield url + "help/"
    server.shutdown()


# Old URLs of the example site (its articles' `aliases:`, nested two and four folders deep),
# the page each now redirects to, and a section far down that page.
OLD_URLS = [
    ("hc/en-us/articles/360001234-Reset-your-password/", "account/security/reset-password/",
     "still-need-the-code-from-your-authenticator"),
    ("developers/authentication/", "integrations/api/api-keys/", "rotate-or-revoke-a-key"),
]


def assert_old_url_lands_on_the_section(page, old: str, new: str, section: str) -> None:
    """Opening `old#section` ends on `new#section`, scrolled to that section's heading."""
    page.goto(f"{old}#{section}")
    page.wait_for_url(lambda url: url.split("#")[0] != old)
    assert page.url == f"{new}#{section}"
    expect(page.locator(f"#{section}")).to_be_in_viewport()
    assert page.evaluate("document.querySelector(':target').id") == section
    assert not page.errors


@pytest.mark.parametrize("old, new, section", OLD_URLS)
def test_an_old_url_with_a_section_opens_that_section_over_http_under_a_base_path(
        page, published_under_help, old, new, section):
    assert_old_url_lands_on_the_section(page, published_under_help + old,
                                        published_under_help + new, section)


@pytest.mark.parametrize("old, new, section", OLD_URLS)
def test_an_old_url_with_a_section_opens_that_section_from_file_url(
        page, example_build, old, new, section):
    """From disk the new page is its folder's index.html, as links are (not a folder listing)."""
    assert_old_url_lands_on_the_section(page, (example_build / old / "index.html").as_uri(),
                                        (example_build / new / "index.html").as_uri(), section)


def test_the_header_does_not_shift_when_the_logo_loads(browser, http_root):
    """On a phone, the header and the logo's box are the same before the logo arrives and
    after (Lighthouse measured a layout shift of 0.36 on the contact page without its size)."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    held = []
    page.route("**/logo*.svg", lambda route: held.append(route))    # waits to be let through
    page.goto(http_root + "contact/", wait_until="domcontentloaded")
    boxes = ".site-header, .brand-logo, .brand-name"

    def layout():
        return [page.locator(selector).first.bounding_box() for selector in boxes.split(", ")]

    before = layout()
    assert held and not page.evaluate("document.querySelector('.brand-logo').complete")
    for route in held:
        route.continue_()
    page.wait_for_function("document.querySelector('.brand-logo').naturalWidth > 0")
    assert layout() == before
    assert before[1]["width"] > 0
    context.close()
