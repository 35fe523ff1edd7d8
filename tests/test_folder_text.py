"""A category's or section's own text: `_index.md` in its folder, shown above the listing, with
its headings' anchors, its links checked like an article's, and its translations."""

from __future__ import annotations

import json

from conftest import article, built, parse_html, write_site

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a5d600000000"
                    "49454e44ae426082")


def read(out, url: str) -> str:
    return (out / url / "index.html").read_text(encoding="utf-8")


def test_folder_text_is_shown_on_category_and_section_pages(cli, site):
    write_site(site, {
        "articles/billing/_index.md": """\
            # Billing

            How we bill. ![Card](../../assets/card.png)

            ## Payment methods

            Cards and [refunds](refunds/policy.md#rules).
            """,
        "articles/billing/refunds/_index.zh-CN.md": """\
            ## 退款须知

            十四天内。
            """,
        "articles/account/_index.md": """\
            ---
            title: Your account
            description: Sign in and stay safe.
            aliases: [/docs/account/]
            ---

            ## Signing in

            Use your email.
            """,
        "articles/account/sign-in.md": article("Sign in",
                                               "See [the overview](_index.md#signing-in)."),
        "articles/billing/refunds/policy.md": article("Refund policy", "## Rules\n\nNone.",
                                                      order=2),
    })
    (site / "assets").mkdir()
    (site / "assets/card.png").write_bytes(PNG)
    out = built(cli, site, "--strict")
    billing = parse_html(read(out, "billing/"))
    text = billing.select_one(".page-text")
    assert text.find("h2", id="payment-methods") is not None          # its anchors
    assert text.find("h1") is None and len(billing.find_all("h1")) == 1   # `# Billing` dropped
    assert text.find("a", string="refunds")["href"] == "refunds/policy/#rules"
    assert (out / "billing" / text.find("img")["src"]).resolve().is_file()
    assert billing.select(".article-list a")                          # the listing is still there
    # The section's text in zh-CN only: an English reader gets the listing alone.
    assert "退款须知" in read(out, "zh-CN/billing/refunds/")
    assert parse_html(read(out, "zh-CN/billing/refunds/")).find(id="退款须知") is not None
    assert "page-text" not in read(out, "billing/refunds/")
    # Front matter gives the folder's title and description, as _category.yml would.
    account = parse_html(read(out, "account/"))
    assert account.find("h1").get_text() == "Your account"
    assert account.find("title").get_text().startswith("Your account – ")
    assert account.select_one(".lead").get_text() == "Sign in and stay safe."
    assert "Your account" in read(out, "")                            # the home page's tiles
    assert "/docs/account/ /account/ 301" in (out / "_redirects").read_text(encoding="utf-8")
    assert 'url=../../account/"' in read(out, "docs/account/")
    # A link to `_index.md` leads to the folder's page, anchor kept.
    sign_in = parse_html(read(out, "account/sign-in/"))
    assert sign_in.find("a", string="the overview")["href"] == "../#signing-in"
    # No page of its own, and nothing is left over.
    assert not (out / "billing/index").exists() and not (out / "billing/_index").exists()


def test_check_reports_problems_in_folder_text_at_their_lines(cli, site, monkeypatch):
    write_site(site, {
        "articles/billing/_index.md": """\
            ---
            description: All about billing.
            ---

            ## Payment methods

            See [the policy](refunds/gone.md) and [rules](refunds/request-a-refund.md#nope).
            """,
        "articles/billing/refunds/policy.md": article(
            "Refund policy", "Read [billing](../_index.md#payment-methods) and "
            "[this](../_index.md#missing)."),
    })
    monkeypatch.chdir(site)
    result = cli("check", ".", "--format", "json")
    problems = {(p["path"], p["line"], p["code"]) for p in json.loads(result.stdout)["problems"]}
    assert ("articles/billing/_index.md", 7, "broken-link") in problems
    assert ("articles/billing/_index.md", 7, "broken-anchor") in problems
    assert ("articles/billing/refunds/policy.md", 5, "broken-anchor") in problems
    assert not any("payment-methods" in p["message"]
                   for p in json.loads(result.stdout)["problems"])
    build = cli("build", ".")
    assert build.exit_code == 0 and "articles/billing/_index.md:7: warning" in build.output


def test_folder_text_front_matter_errors(cli, site):
    write_site(site, {"articles/billing/_index.md": "---\ntitle: Money\n---\n\nText.\n",
                      "articles/billing/refunds/_index.md": "---\n\nicon: x\n---\n\nText.\n",
                      "articles/billing/refunds/_index.fr.md": "Texte.\n"})
    result = cli("build", site)
    assert result.exit_code == 1
    # _category.yml sets the title already; one place decides it.
    assert "articles/billing/_index.md:2: error: 'title' is set both here and in " \
        "_category.yml" in result.output
    assert "articles/billing/refunds/_index.md:3: error: unknown key 'icon'" in result.output
    assert "_index.fr.md: error: 'fr' is not one of this site's locales" in result.output
    assert not (site / "site").exists()


def test_folder_text_without_articles_to_show_it_with_warns(cli, site):
    write_site(site, {"articles/faq/_index.md": "## Questions\n\nAsk us.\n",
                      "articles/billing/refunds/_index.zh-CN.md": "退款。\n"})
    (site / "articles/billing/refunds/request-a-refund.zh-CN.md").unlink()
    result = cli("build", site, "--strict")
    assert result.exit_code == 1
    for path, locale in (("articles/faq/_index.md", "en"),
                         ("articles/billing/refunds/_index.zh-CN.md", "zh-CN")):
        assert f"{path}: error: not published: this folder has no published article in " \
            f"{locale}" in result.output


def test_a_rebuild_shows_the_edited_folder_text(cli, site):
    write_site(site, {"articles/billing/refunds/_index.md": "## Before\n\nOld text.\n"})
    out = built(cli, site)
    assert "Old text." in read(out, "billing/refunds/")
    write_site(site, {"articles/billing/refunds/_index.md": "## After\n\nNew text.\n"})
    out = built(cli, site)
    html = read(out, "billing/refunds/")
    assert "New text." in html and 'id="after"' in html and "Old text." not in html
    (site / "articles/billing/refunds/_index.md").unlink()
    assert "page-text" not in read(built(cli, site), "billing/refunds/")
