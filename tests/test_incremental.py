"""An edit re-renders the pages that show what it changed, and no others: each page's cache key
covers what it reads of every article (title, URL, order, body), so a body edit renders one page
and a title edit or a move only the pages that list the article. Checked through the render
probe (conftest.RENDER_PROBE: a page rendered again gets a new mark), in a preview session (the
cache kept in memory between builds, as `helpgen serve` keeps it) and on the command line, and
each against a cold build of the same input."""

from __future__ import annotations

import re

import pytest

from conftest import (BASIC_CONFIG, PROBE_THEME, RENDER_PROBE, article, render_marks,
                      rendered_again, tree, write_site)
from helpgen.infra.cache import CACHE_DIR, BuildCache
from helpgen.pipeline import build

REFUNDS = "articles/billing/refunds"


def dated(title: str, body: str = "Some text.", **meta) -> str:
    """An article with its date and description written: a body edit then changes nothing
    that a listing shows (neither the date, nor a description taken from the text)."""
    return article(title, body, updated="2026-03-01", description="About refunds.", **meta)


FILES = {
    **RENDER_PROBE,
    "helpgen.yml": BASIC_CONFIG + PROBE_THEME,
    "articles/billing/_category.yml": "title: {en: Billing, zh-CN: 账单}\norder: 1\n",
    f"{REFUNDS}/_section.yml": "title: {en: Refunds, zh-CN: 退款}\n",
    f"{REFUNDS}/request-a-refund.md": dated("Request a refund", order=1),
    f"{REFUNDS}/request-a-refund.zh-CN.md": dated("申请退款"),
    f"{REFUNDS}/policy.md": dated("Refund policy", "Refunds take a week.", order=2),
    f"{REFUNDS}/timing.md": dated("Refund timing", order=3),
    "articles/billing/plans/_section.yml": "title: Plans\n",
    "articles/billing/plans/upgrade.md": dated(
        "Upgrade your plan", related="[billing/refunds/policy.md]"),
    "articles/account/_category.yml": "title: Account\norder: 2\n",
    "articles/account/profile/_section.yml": "title: Profile\n",
    "articles/account/profile/name.md": dated("Change your name", order=1),
    "articles/account/profile/email.md": dated("Change your email", order=2),
}

EDITS = {   # name -> (files written, files deleted, the pages that must be rendered again)
    "body": ({f"{REFUNDS}/policy.md": dated("Refund policy", "Refunds take two weeks.",
                                              order=2)}, [],
             ["billing/refunds/policy/index.html"]),
    # Its page, and every page that lists it: home, its category and section, its neighbours
    # (previous / next) and the article that names it as related. And the other section
    # pages of its category, whose key covers the whole category (the built-in themes show
    # only its title there, a theme may show its other sections): no page of another category.
    "title": ({f"{REFUNDS}/policy.md": dated("Refund rules", "Refunds take a week.", order=2)},
              [], ["billing/index.html", "billing/plans/index.html",
                   "billing/plans/upgrade/index.html",
                   "billing/refunds/index.html", "billing/refunds/policy/index.html",
                   "billing/refunds/request-a-refund/index.html",
                   "billing/refunds/timing/index.html", "index.html"]),
    # Its page at its new address, the listings it left and joined (and the other section pages
    # of both categories), its old and new neighbours and the article that names it as related.
    "move": ({"articles/account/profile/policy.md": dated("Refund policy",
                                                            "Refunds take a week.", order=3)},
             [f"{REFUNDS}/policy.md"],
             ["account/index.html", "account/profile/email/index.html",
              "account/profile/index.html", "account/profile/policy/index.html",
              "billing/index.html", "billing/plans/index.html",
              "billing/plans/upgrade/index.html",
              "billing/refunds/index.html", "billing/refunds/request-a-refund/index.html",
              "billing/refunds/timing/index.html", "index.html"]),
}


@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize("session", [True, False], ids=["serve", "command line"])
def test_an_edit_renders_only_the_pages_that_show_what_it_changed(tmp_path, cli, edit, session):
    site = write_site(tmp_path / "site", FILES)
    live = tmp_path / "live"
    preview = BuildCache(site / CACHE_DIR, remember=True)

    def build_again():
        nonlocal preview
        if session:
            build(site, live, cache=preview)
            preview = preview.next_build()
        else:
            cli.build(site, "-o", live)

    build_again()
    marks = render_marks(live)
    written, deleted, expected = EDITS[edit]
    write_site(site, written)
    for path in deleted:
        (site / path).unlink()
    build_again()
    assert rendered_again(marks, live) == expected
    cli.build(site, "-o", tmp_path / "cold", "--no-cache")
    cold = tree(tmp_path / "cold")
    assert _unmarked(tree(live)) == _unmarked(cold)    # the probe's marks taken out


def _unmarked(files: dict) -> dict:
    """The files with the render probe's random marks taken out."""
    mark = re.compile(rb'<footer data-render="[^"]+">')
    return {path: content if content is None else mark.sub(b"", content)
            for path, content in files.items()}


def test_a_theme_whose_listings_show_the_text_renders_them_again_on_a_body_edit(tmp_path, cli):
    """A listing that reads its articles' bodies (here an excerpt of each) has them in its key:
    it shows the edit, as a cold build of the same input does."""
    site = write_site(tmp_path / "site", {
        **FILES, "overrides/templates/partials/article-list.html":
            '{% for article in articles %}<p>{{ article.title }}: {{ article.text[:40] }}</p>'
            '{% endfor %}\n'})
    cli.build(site, "-o", tmp_path / "live")
    written, _, _ = EDITS["body"]
    write_site(site, written)
    cli.build(site, "-o", tmp_path / "live")
    assert "Refunds take two weeks." in (tmp_path / "live/billing/refunds/index.html").read_text(
        encoding="utf-8")
    cli.build(site, "-o", tmp_path / "cold", "--no-cache")
    assert _unmarked(tree(tmp_path / "live")) == _unmarked(tree(tmp_path / "cold"))
