"""What the live preview's build of a body edit makes besides the edited page (helpgen/session.py):
the files joined from every article (llms-full.txt, llms.txt, sitemap.xml, the feeds), the
security policy read from every page, and which files it writes. Each is made again from the
parts the edit changed, and each build's output is still what a cold build of the same input
makes."""

from __future__ import annotations

import os
import re
import time

import pytest

from conftest import article
from test_session import FILES, POLICY, REFUNDS, Preview

OLD = time.mktime((2020, 1, 2, 12, 0, 0, 0, 0, -1))     # a file's modification time, long ago


@pytest.fixture
def preview(tmp_path, cli):
    return Preview(tmp_path, cli)


def dated(preview: Preview) -> Preview:
    """The preview built again with every article last modified in 2020 (none has a date of
    its own but name.md): an edit then dates the edited article anew."""
    for path in (preview.site / "articles").rglob("*.md"):
        os.utime(path, (OLD, OLD))
    preview.edit({"helpgen.yml": FILES["helpgen.yml"] + "\n"})      # a full build
    assert preview.result.edited == 0
    return preview


def test_an_edit_that_dates_its_article_anew_updates_the_sitemap_and_the_feed(preview):
    preview = dated(preview)
    sitemap, feed = preview.session.out / "sitemap.xml", preview.session.out / "feed.xml"
    assert "2020-01-02" in sitemap.read_text(encoding="utf-8")
    preview.edit({POLICY: article("Refund policy", "Refunds take a day.", order=2,
                                  related="[billing/plans/upgrade.md]")})
    assert preview.result.edited == 1 and preview.matches_a_cold_build()
    today = time.strftime("%Y-%m-%d")
    assert re.search(r"billing/refunds/policy/</loc>\s*<lastmod>" + today,
                     sitemap.read_text(encoding="utf-8"))
    # The newest article now: the feed's first entry.
    assert feed.read_text(encoding="utf-8").split("<entry")[1].count("Refund policy") == 1
    # An edit that dates nothing anew leaves the sitemap as it was.
    before = sitemap.stat().st_mtime_ns
    preview.edit({POLICY: article("Refund policy", "Refunds take two days.", order=2,
                                  related="[billing/plans/upgrade.md]")})
    assert preview.result.edited == 1 and preview.matches_a_cold_build()
    assert sitemap.stat().st_mtime_ns == before


def test_an_edit_that_embeds_an_image_or_a_style_changes_the_policy_and_back(preview):
    headers = preview.session.out / "_headers"
    assert "images.example.com" not in headers.read_text(encoding="utf-8")
    table = "| Plan | Price |\n|:-----|------:|\n| Basic | 5 |\n"
    preview.edit({f"{REFUNDS}/timing.md": article(
        "Refund timing", f"![Chart](https://images.example.com/chart.png)\n\n{table}", order=3)})
    assert preview.result.edited == 1 and preview.matches_a_cold_build()
    policy = headers.read_text(encoding="utf-8")
    assert "https://images.example.com" in policy and "'unsafe-hashes'" in policy
    preview.edit({f"{REFUNDS}/timing.md": article(
        "Refund timing", "See [the policy](policy.md).", order=3)})
    assert preview.result.edited == 1 and preview.matches_a_cold_build()
    assert "images.example.com" not in headers.read_text(encoding="utf-8")


def test_an_edit_that_keeps_every_size_is_written(preview):
    """One word for another of its length: every file it changes keeps its size."""
    full = preview.session.out / "llms-full.txt"
    for text in ("Refunds take a year.", "Refunds take a week.", "Refunds take a year."):
        size = full.stat().st_size
        preview.edit({POLICY: article("Refund policy", text, order=2,
                                      related="[billing/plans/upgrade.md]")})
        assert preview.result.edited == 1 and preview.result.changed
        assert full.stat().st_size == size and text in full.read_text(encoding="utf-8")
        assert preview.matches_a_cold_build()


def test_an_edit_of_a_translation_leaves_the_other_locales_files_alone(preview):
    """Files of the default locale and of zh-TW, which the edit does not show, keep their
    modification times; those of zh-CN that show it change."""
    out = preview.session.out
    others = [out / name for name in ("llms-full.txt", "llms.txt", "sitemap.xml", "feed.xml",
                                      "zh-TW/llms-full.txt", "zh-TW/llms.txt")]
    before = [path.stat().st_mtime_ns for path in others]
    preview.edit({f"{REFUNDS}/request-a-refund.zh-CN.md": article("申请退款", "打开账单页面。")})
    assert preview.result.edited == 1 and preview.matches_a_cold_build()
    assert [path.stat().st_mtime_ns for path in others] == before
    assert "打开账单页面。" in (out / "zh-CN/llms-full.txt").read_text(encoding="utf-8")
