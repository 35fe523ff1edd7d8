"""The Content-Security-Policy in `_headers`: every page works under it in Chromium, served the
way Netlify and Cloudflare Pages serve `_headers`, with no violation reported."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from conftest import (CONTACT_CONFIG, EXAMPLE_SITE, GOOD, article, copy_tree, fill_contact,
                      serve_under_help, write_site)
from helpgen.output.host_files import headers_for

BANNER = """\
brand:
  banner: {text: Sync is paused on May 3., url: "https://status.acme.example/"}
"""
TABS = '=== "Web"\n\n    Open Settings.\n\n=== "Phone"\n\n    Tap the menu.\n'


def policy(out) -> str:
    return dict(headers_for((out / "_headers").read_text(), "/help/any/page/"))[
        "Content-Security-Policy"]


def directives(text: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in text.split("; ")}





@pytest.fixture
def endpoint_site(tmp_path, cli, receiver):
    """A site with contact, feedback and analytics at a local receiver, a banner, tabs and an
    old URL, built for /help/."""
    site = write_site(tmp_path / "help-src", {
        "helpgen.yml": CONTACT_CONFIG.format(receiver=receiver.url, format="json") + BANNER,
        "articles/billing/_category.yml": "title: {en: Billing, zh-CN: 账单}\n",
        "articles/billing/refunds/request-a-refund.md": article(
            "Request a refund", "## Steps\n\nOpen the invoice and choose Refund.\n\n" + TABS +
            "\n| Plan | Price |\n|:----:|------:|\n| Pro | 9 |\n",
            aliases=["/hc/en-us/articles/1-Refunds"]),
        "articles/billing/refunds/request-a-refund.zh-CN.md": article(
            "申请退款", "## 步骤\n\n打开发票，选择申请退款流程。"),
        "articles/account/security/reset-password.md": article(
            "Reset your password", "Use the reset link."),
    })
    result = cli("build", site, "-q", "--base-url", "/help/")
    assert result.exit_code == 0, result.output
    return site / "site"





def test_policy_names_the_endpoints_and_never_allows_inline_script(endpoint_site, receiver):
    found = directives(policy(endpoint_site))
    assert receiver.url in found["connect-src"] and receiver.url in found["form-action"]
    assert found["default-src"] == ["'self'"] and found["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in found["script-src"]
    assert "'unsafe-inline'" not in found["style-src"]
    headers = dict(headers_for((endpoint_site / "_headers").read_text(), "/help/"))
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def built_policy(site, cli, settings: str, files: dict[str, str] | None = None):
    with (site / "helpgen.yml").open("a") as config:
        config.write(settings)
    write_site(site, files or {})
    result = cli("build", site, "-q")
    assert result.exit_code == 0, result.output
    return directives(dict(headers_for((site / "site/_headers").read_text(), "/"))[
        "Content-Security-Policy"])


def test_captcha_origins_only_when_configured(site, cli):
    found = built_policy(site, cli, 'contact: {endpoint: /api/contact, '
                                    'turnstile_site_key: "0x4AAAAAAAB"}\n')
    assert "https://challenges.cloudflare.com" in found["script-src"]
    assert "https://challenges.cloudflare.com" in found["frame-src"]
    assert not any("hcaptcha" in source for sources in found.values() for source in sources)
    assert found["connect-src"] == ["'self'"]         # a path on the help center is 'self'


def test_zendesk_and_mailto_providers(site, cli, tmp_path):
    other = copy_tree(site, tmp_path / "mailto")
    zendesk = built_policy(site, cli, "contact: {provider: zendesk, subdomain: acme}\n")
    assert "https://acme.zendesk.com" in zendesk["connect-src"]
    mailto = built_policy(other, cli, "contact: {email: help@acme.example}\n")
    assert "mailto:" in mailto["form-action"]


def test_media_embedded_in_articles_is_allowed_by_origin(site, cli):
    """Imported articles keep their images where they were served (Zendesk), and raw HTML may
    embed a video: their origins are in the policy, and nothing else is."""
    found = built_policy(site, cli, "", {"articles/billing/refunds/policy.md": article(
        "Refund policy", "![chart](https://cdn.acme.example/chart.png)\n\n"
        '<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>\n')})
    assert found["img-src"] == ["'self'", "data:", "https://cdn.acme.example"]
    assert found["frame-src"] == ["'self'", "https://www.youtube-nocookie.com"]


@pytest.mark.browser
def test_every_feature_works_under_the_policy(watched, endpoint_site, receiver, tmp_path):
    page = watched
    server, root = serve_under_help(endpoint_site, tmp_path)
    assert "'self'" in page.goto(root).headers["content-security-policy"]
    page.locator("#home-search").fill("refund")
    expect(page.get_by_role("option", name=re.compile("Request a refund"))).to_be_visible()
    page.locator("#home-search").press("Enter")      # the search page, with results
    expect(page.locator("#search-results a", has_text="Request a refund")).to_be_visible()

    page.goto(root + "billing/refunds/request-a-refund/")
    expect(page.locator(".site-banner")).to_be_visible()
    page.locator(".banner-close").click()
    expect(page.locator(".site-banner")).to_be_hidden()
    page.locator(".scheme-toggle").click()
    assert page.locator("html").get_attribute("data-scheme") in ("light", "dark")
    tabs = page.locator(".tabbed-set").first
    tabs.locator(".tabbed-labels label").nth(1).click()
    expect(tabs.locator(".tabbed-block").nth(1)).to_be_visible()
    assert page.locator("th").first.evaluate("e => getComputedStyle(e).textAlign") == "center"
    page.locator("#feedback").get_by_role("button", name="Yes").click()
    expect(page.locator(".feedback-status")).not_to_be_empty()
    assert [json.loads(r["body"])["vote"] for r in receiver.posts("/feedback")] == ["yes"]

    page.goto(root + "contact/")
    fill_contact(page, **GOOD)
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#contact-status")).to_contain_text("Thank")
    assert json.loads(receiver.posts("/tickets")[0]["body"])["order_id"] == "A-17"

    page.goto(root + "embed/")
    expect(page.locator("pre code").first).to_contain_text("widget.js")
    page.goto(root + "404.html")
    expect(page.locator("#not-found-search")).to_be_visible()
    page.goto(root + "hc/en-us/articles/1-Refunds/#steps")     # a redirect page
    page.wait_for_url("**/billing/refunds/request-a-refund/#steps")

    (tmp_path / "host/help/product.html").write_text(
        f'<!doctype html><title>Product</title><script src="{root}widget.js" '
        'data-locale="zh-CN" async></script>')
    page.goto(root + "product.html")             # the widget on a page under the same policy
    launcher = page.get_by_role("button", name="帮助", exact=True)
    launcher.click()
    page.get_by_label("搜索答案").fill("退款")
    expect(page.get_by_role("link", name="申请退款")).to_be_visible()
    assert launcher.evaluate("el => getComputedStyle(el).position") == "fixed"
    server.shutdown()
    assert page.problems == []


@pytest.mark.browser
@pytest.mark.parametrize("theme", ["default", "docs"])
def test_example_site_pages_report_no_violation(watched, tmp_path, cli, theme):
    out = tmp_path / "out"
    source = copy_tree(EXAMPLE_SITE, tmp_path / "example")
    with (source / "helpgen.yml").open("a") as settings:
        settings.write(f"theme: {{name: {theme}}}\n")
    result = cli("build", source, "-o", out, "-q", "--base-url", "/help/")
    assert result.exit_code == 0, result.output
    server, root = serve_under_help(out, tmp_path)
    page = watched
    assert "'self'" in page.goto(root).headers["content-security-policy"]
    for path in ("", "zh-CN/", "billing/", "billing/refunds/", "invoices/creating/send-an-invoice/",
                 "contact/", "zh-CN/contact/", "embed/", "zh-CN/404.html"):
        page.goto(root + path)
        page.wait_for_load_state("networkidle")
    page.goto(root + "search/?q=refund")
    expect(page.locator("#search-results a").first).to_be_visible()
    if theme == "docs":                        # the sidebar opens from its button on phones
        page.set_viewport_size({"width": 400, "height": 800})
        page.goto(root + "billing/")
        page.locator(".sidebar-toggle").click()
        expect(page.locator("#sidebar-tree a").first).to_be_visible()
    server.shutdown()
    assert page.problems == []


def test_many_inline_styles_fit_the_hosts_line_limit(site, cli):
    """Cloudflare Pages reads `_headers` lines of up to 2,000 characters: past that, styles
    (never scripts) are allowed inline instead of by hash."""
    styles = "".join(f'<p style="margin-left: {n}px">Indented {n}.</p>\n' for n in range(40))
    found = built_policy(site, cli, "", {"articles/billing/refunds/policy.md": article(
        "Refund policy", styles)})
    assert found["style-src"] == ["'self'", "'unsafe-inline'"]
    assert any(source.startswith("'sha256-") for source in found["script-src"])
    lines = (site / "site/_headers").read_text().splitlines()
    assert max(map(len, lines)) <= 2000
