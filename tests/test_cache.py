"""The build cache and parallel conversion: rebuilds redo only what changed, and what changed
(an article, the config, a template, another article's URL) always shows."""

from __future__ import annotations

import re
import shutil

import pytest

from helpgen import bodies, render
from helpgen.build import build
from helpgen.markup import MarkdownRenderer

from conftest import article, write_site


@pytest.fixture
def conversions(monkeypatch):
    """Counts Markdown conversions done in this process."""
    calls = []
    original = MarkdownRenderer.convert

    def counting(self, body, *args, **kwargs):
        calls.append(body)
        return original(self, body, *args, **kwargs)

    monkeypatch.setattr(MarkdownRenderer, "convert", counting)
    monkeypatch.setattr(bodies, "PARALLEL_MINIMUM", 10**6)     # count in this process
    return calls


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def html(site, page: str) -> str:
    return (site / "site" / page).read_text(encoding="utf-8")


POLICY = "articles/billing/refunds/policy.md"
REFUND = "articles/billing/refunds/request-a-refund.md"


def test_no_op_rebuild_converts_nothing_and_leaves_output_untouched(site, conversions):
    assert build(site).written
    first = len(conversions)
    assert first == 3                                  # two English articles, one Chinese
    stamp = (site / "site/index.html").stat().st_mtime_ns
    cache_stamp = (site / ".helpgen-cache/cache.sqlite").stat().st_mtime_ns
    result = build(site)
    assert len(conversions) == first and not result.changed
    assert (site / "site/index.html").stat().st_mtime_ns == stamp
    assert (site / ".helpgen-cache/cache.sqlite").stat().st_mtime_ns == cache_stamp


def test_editing_one_article_converts_only_it_and_updates_every_page_showing_it(
        site, conversions):
    build(site)
    before = len(conversions)
    write_site(site, {POLICY: article("Refund rules", "New text about refund windows.",
                                      order=2)})
    build(site)
    assert len(conversions) == before + 1
    assert "Refund rules" in html(site, "billing/refunds/policy/index.html")
    assert "Refund rules" in html(site, "billing/refunds/index.html")            # listing
    assert "Refund rules" in html(site, "billing/refunds/request-a-refund/index.html")  # next
    docs = (site / "site/_helpgen/search/en/d0.js").read_text(encoding="utf-8")
    assert "Refund rules" in docs and "Refund policy" not in docs


def test_config_change_reaches_every_page(site, conversions):
    build(site)
    config = (site / "helpgen.yml").read_text(encoding="utf-8")
    (site / "helpgen.yml").write_text(config.replace("Acme Help", "Acme Support"),
                                      encoding="utf-8")
    build(site)
    for page in ("index.html", "billing/index.html", "billing/refunds/policy/index.html",
                 "search/index.html", "404.html"):
        assert "Acme Support" in html(site, page), page


def test_template_change_reaches_every_page(site, tmp_path, monkeypatch):
    theme = shutil.copytree(render.theme_dir(), tmp_path / "theme")
    monkeypatch.setattr("helpgen.render.theme_dir", lambda name: theme)
    build(site)
    footer = theme / "templates/partials/footer.html"
    footer.write_text(footer.read_text(encoding="utf-8").replace(
        "</footer>", "<p>Custom footer</p></footer>"), encoding="utf-8")
    build(site)
    for page in ("index.html", "zh-CN/index.html", "billing/refunds/policy/index.html"):
        assert "Custom footer" in html(site, page), page


def test_moving_a_linked_article_updates_links_in_cached_articles(site, conversions):
    """request-a-refund links to policy.md; renaming policy's slug must change that link even
    though request-a-refund itself did not change."""
    build(site)
    write_site(site, {POLICY: article("Refund policy", order=2, slug="refund-rules")})
    build(site)
    page = html(site, "billing/refunds/request-a-refund/index.html")
    assert 'href="../refund-rules/"' in page and 'href="../policy/"' not in page


def test_unreadable_cache_is_ignored(site):
    build(site)
    (site / ".helpgen-cache/cache.sqlite").write_bytes(b"not a pickle")
    assert build(site).written
    assert "Refund policy" in html(site, "billing/refunds/policy/index.html")


def test_cached_and_parallel_builds_equal_a_cold_serial_build(tmp_path, monkeypatch):
    """Enough articles for the process pool; its output, and a cached rebuild's, are the same
    bytes as a single-process build without cache."""
    files = {"helpgen.yml": "site: {title: Many, url: 'https://h.example/'}\n"}
    for n in range(60):
        files[f"articles/c{n % 3}/s{n % 4}/a{n}.md"] = article(
            f"Article {n}", f"Text {n}. See [next](a{n + 1}.md) and `code {n}`.\n\n## Part {n}")
    site = write_site(tmp_path / "many", files)
    parallel = build(site, tmp_path / "parallel")
    cached = build(site, tmp_path / "cached")
    assert parallel.written and cached.written
    monkeypatch.setattr(bodies, "PARALLEL_MINIMUM", 10**6)
    serial = build(site, tmp_path / "serial", use_cache=False)
    assert serial.written
    assert tree(tmp_path / "parallel") == tree(tmp_path / "serial") == tree(tmp_path / "cached")


def test_static_files_have_content_hashed_names_and_long_cache_headers(site):
    build(site)
    out = site / "site"
    css = next((out / "_theme").glob("helpgen.*.css"))
    assert re.fullmatch(r"helpgen\.[0-9a-f]{8}\.css", css.name)
    page = html(site, "billing/refunds/policy/index.html")
    assert f'href="../../../_theme/{css.name}"' in page
    headers = (out / "_headers").read_text()
    assert f"/_theme/{css.name}\n  Cache-Control: public, max-age=31536000, immutable" in headers
    assert "/_helpgen/search/*\n  Cache-Control: public, max-age=300" in headers
    theme_css = render.theme_dir() / "static/helpgen.css"
    assert css.read_bytes() == theme_css.read_bytes()


def test_precompressed_twins_match_their_files(site):
    import gzip

    import brotli
    build(site, precompress=True)
    out = site / "site"
    index = (out / "index.html").read_bytes()
    assert gzip.decompress((out / "index.html.gz").read_bytes()) == index
    assert brotli.decompress((out / "index.html.br").read_bytes()) == index
    assert not (out / "robots.txt.gz").exists()          # too small to gain anything
