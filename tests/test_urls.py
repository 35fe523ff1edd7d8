"""Links between output pages are relative, so a site works from file://, a domain root or any
sub-path: each link must lead from its page to its target."""

from __future__ import annotations

import posixpath

import pytest

from helpgen.content.urls import relative_url


@pytest.mark.parametrize("page, target, link", [
    ("", "billing/", "billing/"),
    ("billing/refunds/policy/", "billing/", "../../"),
    ("billing/refunds/policy/", "billing/refunds/policy/", "./"),
    ("billing/refunds/policy/", "", "../../../"),
    ("billing/refunds/policy/", "billing/refunds/request/#how-long", "../request/#how-long"),
    ("zh-CN/billing/", "billing/", "../../billing/"),
    ("404.html", "search/", "search/"),
    ("billing/", "assets/logo.svg", "../assets/logo.svg"),
    ("zh-CN/", "zh-CN/账单/退款/", "%E8%B4%A6%E5%8D%95/%E9%80%80%E6%AC%BE/"),
    ("a/b/", "a/b c/", "../b%20c/"),
])
def test_links_lead_from_the_page_to_the_target(page, target, link):
    assert relative_url(page, target) == link


@pytest.mark.parametrize("page", ["", "a/", "a/b/", "a/b/c/", "x/y/", "a/x.html"])
@pytest.mark.parametrize("target", ["", "a/", "a/b/", "a/b/c/d/", "x/", "a/b/file.js", "x/y/z/"])
def test_a_relative_link_resolves_to_its_target(page, target):
    """Resolved against the page's URL as a browser does, the link is the target again."""
    base = "/" + (page if page.endswith("/") or not page else posixpath.dirname(page) + "/")
    resolved = posixpath.normpath(posixpath.join(base, relative_url(page, target)))
    expected = posixpath.normpath("/" + target)
    assert resolved == expected
