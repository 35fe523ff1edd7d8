"""The built help center as a reader, a search engine and a web host see it.

Every test builds a small site (the `site` fixture plus a few files) or reads the bundled example
site, then looks only at the files helpgen wrote: URLs on disk, links between pages, what each page
shows, and the SEO files. Nothing here imports helpgen internals.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import material
import pytest
from bs4 import BeautifulSoup

from conftest import article, built, link_texts, parse_html, target_file, write_site

HOSTILE = '<script>alert(1)</script> & "quotes"'
HOSTILE_DESCRIPTION = "</script><script>alert(2)</script> it's & <b>bold</b>"
HOSTILE_TAGS = ("<script>alert(3)</script>", '"><img src=x onerror=alert(4)>')
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
              "x": "http://www.w3.org/1999/xhtml"}


def yaml_str(text: str) -> str:
    """`text` as a single-quoted YAML scalar (safe for any characters)."""
    return "'" + text.replace("'", "''") + "'"


# --- Reading HTML --------------------------------------------------------------------------

def page(out: Path, relative: str) -> BeautifulSoup:
    """The parsed page at `relative` (a URL like 'billing/' or a file path)."""
    return parse_html(read(out, relative))


def read(out: Path, relative: str) -> str:
    path = out / (relative + "index.html" if relative == "" or relative.endswith("/")
                  else relative)
    assert path.is_file(), f"{relative} was not written"
    return path.read_text(encoding="utf-8")


def meta(doc: BeautifulSoup, selector: str) -> str:
    """The content of the <meta> `selector` (like '[name="robots"]') picks."""
    return doc.select_one(f"meta{selector}").attrs["content"]


def section_list(doc: BeautifulSoup, heading_id: str) -> list[str]:
    """Link texts of the home page list under the heading with `heading_id`."""
    return link_texts(doc.select_one(f'section[aria-labelledby="{heading_id}"]'))


def nav_links(doc: BeautifulSoup, cls: str) -> list[tuple[str, str]]:
    return [(" ".join(a.text.split()), a.attrs["href"])
            for a in doc.select_one(f".{cls}").find_all("a")]


def jsonld(doc: BeautifulSoup) -> list:
    return json.loads(doc.select_one('script[type="application/ld+json"]').text)


# --- Following links -----------------------------------------------------------------------

def opens(out: Path, from_page: str, href: str) -> str:
    """The output file (relative, '/'-separated) that `href` on page `from_page` leads to."""
    page_path = out / (from_page + "index.html" if from_page == "" or from_page.endswith("/")
                       else from_page)
    target = target_file(out, page_path, href)
    assert target.is_file(), f"{href!r} on {from_page!r} leads to a missing file {target}"
    return target.relative_to(out.resolve()).as_posix()


def is_external(href: str) -> bool:
    parts = urlsplit(href)
    return bool(parts.scheme or parts.netloc) or href.startswith("#")


def internal_links(doc: BeautifulSoup) -> list[str]:
    """Every href/src/action on the page (and a meta refresh target) that stays on the site."""
    links = []
    for node in doc.find_all(True):
        for attribute in ("href", "src", "action"):
            value = node.attrs.get(attribute)
            if value and not is_external(value):
                links.append(value)
        if node.name == "meta" and node.attrs.get("http-equiv") == "refresh":
            links.append(node.attrs["content"].split("url=", 1)[1])
    return links


# --- Building ------------------------------------------------------------------------------

def html_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def all_text_files(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8", errors="replace")
            for p in sorted(out.rglob("*")) if p.is_file()}


# === 1. URL layout and files ===============================================================

def test_locales_and_page_kinds_are_written_at_their_urls(cli, site):
    """Default locale at the root, others under /<locale>/, pretty URLs for every page kind."""
    out = built(cli, site)
    for url in ("", "billing/", "billing/refunds/", "billing/refunds/request-a-refund/",
                "billing/refunds/policy/", "search/",
                "zh-CN/", "zh-CN/billing/", "zh-CN/billing/refunds/",
                "zh-CN/billing/refunds/request-a-refund/", "zh-CN/search/"):
        assert (out / url / "index.html").is_file(), url
    assert (out / "404.html").is_file() and (out / "zh-CN" / "404.html").is_file()
    assert page(out, "").find("html").attrs["lang"] == "en"
    assert page(out, "zh-CN/").find("html").attrs["lang"] == "zh-CN"
    assert page(out, "zh-CN/billing/refunds/request-a-refund/").find("h1").text == "申请退款"
    assert not (out / "en").exists(), "the default locale must not get a /en/ prefix"


def test_article_directly_in_a_category(cli, site):
    """`articles/<cat>/<name>.md` is published at /<cat>/<name>/, listed first on its category
    page, with home and category as breadcrumbs."""
    write_site(site, {"articles/billing/billing-overview.md": article("Zz billing overview")})
    out = built(cli, site)
    doc = page(out, "billing/billing-overview/")
    assert doc.find("h1").text == "Zz billing overview"
    assert [t for t, _ in nav_links(doc, "breadcrumbs")] == ["Acme Help", "Billing"]
    category = link_texts(page(out, "billing/").find("main").select_one(".section-grid"))
    assert category[0] == "Zz billing overview", category


def test_slug_overrides_the_file_name(cli, site):
    """`slug:` sets the URL segment in every locale (translations inherit it)."""
    write_site(site, {
        "articles/billing/refunds/request-a-refund.md": article(
            "Request a refund", order=1, slug="get-money-back"),
    })
    out = built(cli, site)
    assert (out / "billing/refunds/get-money-back/index.html").is_file()
    assert (out / "zh-CN/billing/refunds/get-money-back/index.html").is_file()
    assert not (out / "billing/refunds/request-a-refund").exists()
    assert not (out / "zh-CN/billing/refunds/request-a-refund").exists()


def test_unicode_file_name_is_kept_on_disk_and_percent_encoded_in_links(cli, site):
    """`退款政策.md` is served from `退款政策/index.html`; links to it are percent-encoded."""
    write_site(site, {
        "articles/billing/refunds/退款政策.md": article("Full refund terms", order=3),
        "articles/billing/refunds/request-a-refund.md": article(
            "Request a refund", "See the [terms](退款政策.md).", order=1),
    })
    out = built(cli, site)
    assert (out / "billing" / "refunds" / "退款政策" / "index.html").is_file()
    doc = page(out, "billing/refunds/request-a-refund/")
    href = doc.select_one("div.article-body").find("a").attrs["href"]
    assert href == "../" + quote("退款政策") + "/"
    assert opens(out, "billing/refunds/request-a-refund/", href) == \
        "billing/refunds/退款政策/index.html"
    section_hrefs = [a.attrs["href"] for a in page(out, "billing/refunds/").find(
        "main").find_all("a")]
    assert quote("退款政策") + "/" in section_hrefs
    # Canonical, og:url and the sitemap give the same percent-encoded address.
    encoded = "https://help.acme.example/billing/refunds/" + quote("退款政策") + "/"
    unicode_page = page(out, "billing/refunds/退款政策/")
    assert unicode_page.select_one('link[rel="canonical"]').attrs["href"] == encoded
    assert meta(unicode_page, '[property="og:url"]') == encoded
    assert encoded in sitemap(out)


# === 2. Links ==============================================================================

def test_every_link_in_the_example_site_opens_a_file(example_build):
    """Every internal href/src/action (and redirect target) of every page opens an existing file
    from disk: the site works from file:// and under any path. Only 404 pages, which are served
    at any address, may use links from the site root."""
    broken, checked = [], 0
    for file in html_files(example_build):
        relative = file.relative_to(example_build).as_posix()
        is_404 = file.name == "404.html"
        for href in internal_links(parse_html(file.read_text(encoding="utf-8"))):
            checked += 1
            if href.startswith("/") and not is_404:
                broken.append(f"{relative}: {href} (root-relative)")
            elif not target_file(example_build, file, href).is_file():
                broken.append(f"{relative}: {href}")
    assert checked > 2000
    assert not broken, "\n".join(broken[:30])


def test_example_site_has_no_raw_md_links(example_build):
    """Links to .md files are all rewritten to page URLs (but the head's link to the article's
    Markdown copy, test_machine_readable.py)."""
    offenders = []
    for page in html_files(example_build):
        doc = parse_html(page.read_text(encoding="utf-8"))
        for copy in doc.select('link[rel="alternate"][type="text/markdown"]'):
            copy.decompose()
        offenders += [f"{page.relative_to(example_build)}: {href}"
                      for href in internal_links(doc) if urlsplit(href).path.endswith(".md")]
    assert not offenders, offenders[:10]


def body_links(out: Path, url: str) -> dict[str, str]:
    """Link text -> href of the links in an article's body."""
    return {" ".join(a.text.split()): a.attrs.get("href")
            for a in page(out, url).select_one("div.article-body").find_all("a")
            if "headerlink" not in a.get("class", "").split()}


def test_md_links_become_article_links_with_fragments(cli, site):
    """Relative and root-relative `.md` links point at the article page, keeping `#anchor`."""
    write_site(site, {
        "articles/billing/refunds/request-a-refund.md": article("Request a refund", (
            "Read the [policy](policy.md), its [time limits](policy.md#time-limits), "
            "the [root link](/billing/refunds/policy.md), a [moved link](/old-docs/policy.md) "
            "and the [plans](../plans/compare.md#prices)."), order=1),
        "articles/billing/plans/compare.md": article("Compare plans", "## Prices\n\nText."),
    })
    out = built(cli, site)
    url = "billing/refunds/request-a-refund/"
    links = body_links(out, url)
    assert links == {
        "policy": "../policy/", "time limits": "../policy/#time-limits",
        "root link": "../policy/", "moved link": "../policy/",
        "plans": "../../plans/compare/#prices",
    }
    assert opens(out, url, links["plans"]) == "billing/plans/compare/index.html"
    assert 'id="prices"' in read(out, "billing/plans/compare/")


def test_links_from_a_translation_prefer_the_readers_locale(cli, site):
    """In a zh-CN article, a link to a translated article stays in zh-CN; a link to an
    untranslated one goes to the default-locale page."""
    write_site(site, {
        "articles/billing/refunds/policy.zh-CN.md": article(
            "退款条款", "见[申请退款](request-a-refund.md#开始之前)。"),
        "articles/billing/refunds/request-a-refund.zh-CN.md": article(
            "申请退款", "## 开始之前\n\n请阅读[政策](policy.md)和[套餐](../plans/compare.md)。"),
        "articles/billing/plans/compare.md": article("Compare plans"),
    })
    out = built(cli, site)
    url = "zh-CN/billing/refunds/request-a-refund/"
    links = body_links(out, url)
    assert opens(out, url, links["政策"]) == "zh-CN/billing/refunds/policy/index.html"
    assert opens(out, url, links["套餐"]) == "billing/plans/compare/index.html"
    fragment_link = body_links(out, "zh-CN/billing/refunds/policy/")["申请退款"]
    assert unquote(fragment_link) == "../request-a-refund/#开始之前"


def test_images_in_assets_are_copied_and_linked_relatively(cli, site):
    """`![..](../../../assets/...)` is copied as is and linked relative to each locale's page."""
    image = b"<svg xmlns='http://www.w3.org/2000/svg'><rect width='1' height='1'/></svg>"
    (site / "assets" / "images").mkdir(parents=True)
    (site / "assets" / "images" / "refund form.svg").write_bytes(image)
    body = "![The form](../../../assets/images/refund%20form.svg)"
    write_site(site, {
        "articles/billing/refunds/request-a-refund.md": article("Request a refund", body),
        "articles/billing/refunds/request-a-refund.zh-CN.md": article("申请退款", body),
    })
    out = built(cli, site, "--strict")
    assert (out / "assets/images/refund form.svg").read_bytes() == image
    for url in ("billing/refunds/request-a-refund/", "zh-CN/billing/refunds/request-a-refund/"):
        src = page(out, url).select_one("div.article-body").find("img").attrs["src"]
        assert not src.startswith("/")
        assert opens(out, url, src) == "assets/images/refund form.svg"


@pytest.mark.parametrize("link, kind", [("missing.md", "article"),
                                         ("../../../assets/nope.png", "image")])
def test_broken_links_warn_with_file_and_line(cli, site, link, kind):
    """A link to a missing article or image is a warning naming file and line; --strict fails."""
    write_site(site, {"articles/billing/refunds/policy.md": article(
        "Refund policy", f"First line.\n\nSee [this]({link}) or ![this]({link}).")})
    result = cli("build", site, "-o", site.parent / "out")
    assert result.exit_code == 0
    assert re.search(r"articles/billing/refunds/policy\.md:7: warning: link to a missing "
                     + kind, result.stderr), result.stderr
    strict = cli("build", site, "-o", site.parent / "strict", "--strict")
    assert strict.exit_code == 1
    assert not (site.parent / "strict").exists()


# === 3. Translations ======================================================================

def test_translation_lists_other_languages_and_switches_to_the_same_article(cli, site):
    """A translated article offers "also available in" and a language switcher that goes to the
    same article in the other locale."""
    out = built(cli, site)
    zh_url, en_url = "zh-CN/billing/refunds/request-a-refund/", "billing/refunds/request-a-refund/"
    zh = page(out, zh_url)
    also = zh.select_one("p.translations")
    assert [(a.attrs["hreflang"], a.text) for a in also.find_all("a")] == [("en", "English")]
    assert opens(out, zh_url, also.find("a").attrs["href"]) == en_url + "index.html"
    switcher = {a.attrs["hreflang"]: a.attrs["href"]
                for a in zh.select_one("nav.language-switcher").find_all("a")}
    assert opens(out, zh_url, switcher["en"]) == en_url + "index.html"
    assert opens(out, zh_url, switcher["zh-CN"]) == zh_url + "index.html"
    en_switcher = {a.attrs["hreflang"]: a.attrs["href"]
                   for a in page(out, en_url).select_one("nav.language-switcher").find_all("a")}
    assert opens(out, en_url, en_switcher["zh-CN"]) == zh_url + "index.html"


@pytest.mark.parametrize("url", ["billing/refunds/policy/", "search/"])
def test_untranslated_page_switches_to_the_locales_home(cli, site, url):
    """Where a page has no translation, the switcher goes to that locale's home page and the
    article shows no "also available in"."""
    out = built(cli, site)
    doc = page(out, url)
    switcher = {a.attrs["hreflang"]: a.attrs["href"]
                for a in doc.select_one("nav.language-switcher").find_all("a")}
    assert opens(out, url, switcher["zh-CN"]) == "zh-CN/index.html"
    assert not doc.select("p.translations")


def test_category_and_section_titles_are_localized(cli, site):
    """Locale maps in _category.yml / _section.yml show the title of the reader's locale."""
    out = built(cli, site)
    en_home, zh_home = page(out, ""), page(out, "zh-CN/")
    assert en_home.select_one("span.category-title").text == "Billing"
    assert zh_home.select_one("span.category-title").text == "账单"
    zh_article = page(out, "zh-CN/billing/refunds/request-a-refund/")
    assert [t for t, _ in nav_links(zh_article, "breadcrumbs")] == ["Acme 帮助中心", "账单", "退款"]
    assert page(out, "zh-CN/billing/refunds/").find("h1").text == "退款"


@pytest.mark.parametrize("url, count", [("", "2 articles"), ("zh-CN/", "1 篇文章")])
def test_article_counts_on_category_tiles_are_in_the_readers_language(cli, site, url, count):
    """The home page tile says how many articles the category has, in the page's language
    (also for exactly one article)."""
    out = built(cli, site)
    assert page(out, url).select_one("span.category-count").text == count


def test_untranslated_article_is_not_listed_in_other_locales(cli, site):
    """An article without a zh-CN file has no zh-CN page and is in no zh-CN list."""
    out = built(cli, site)
    assert not (out / "zh-CN/billing/refunds/policy").exists()
    for url in ("zh-CN/", "zh-CN/billing/", "zh-CN/billing/refunds/"):
        html = read(out, url)
        assert "Refund policy" not in html, url
    assert "Refund policy" in read(out, "billing/refunds/")


def test_translation_inherits_order_slug_and_promoted(cli, site):
    """A translation without `order`, `slug` or `promoted` takes them from the default-locale
    article: same URL segment, same position, listed as popular."""
    write_site(site, {
        "articles/billing/refunds/request-a-refund.md": article(
            "Request a refund", order=2, slug="refund-request", promoted="true"),
        "articles/billing/refunds/policy.md": article("Refund policy", order=1),
        "articles/billing/refunds/policy.zh-CN.md": article("退款政策"),
        # Without inherited order, "申请退款" would sort before "退款政策" by title.
    })
    out = built(cli, site)
    zh_section = page(out, "zh-CN/billing/refunds/").find("main").select_one("ul.article-list")
    assert link_texts(zh_section) == ["退款政策", "申请退款"]
    assert (out / "zh-CN/billing/refunds/refund-request/index.html").is_file()
    assert section_list(page(out, "zh-CN/"), "promoted-heading") == ["申请退款"]


# === 4. Drafts =============================================================================

@pytest.fixture
def draft_site(site):
    """The small site plus a promoted, recently updated draft (with a translation) that other
    articles link to and list as related."""
    return write_site(site, {
        "articles/billing/refunds/secret-plan.md": article(
            "Secret plan", order=2, draft="true", promoted="true", updated="2030-01-01"),
        "articles/billing/refunds/secret-plan.zh-CN.md": article("秘密计划"),
        "articles/billing/refunds/policy.md": article(
            "Refund policy", "Intro.\n\nSee the [plan](secret-plan.md).", order=3,
            related="[billing/refunds/secret-plan.md]"),
    })


def test_draft_is_not_published_anywhere(cli, draft_site):
    """A draft (and its translation) has no page and appears in no list, sitemap, pager,
    related list or home page."""
    out = built(cli, draft_site)
    assert not list(out.rglob("secret-plan"))
    for name, text in all_text_files(out).items():
        for needle in ("Secret plan", "秘密计划", "secret-plan/"):
            assert needle not in text, f"{needle!r} in {name}"
    # The pager now goes straight from the first to the third article.
    first = page(out, "billing/refunds/request-a-refund/")
    assert nav_links(first, "pager") == [("Next Refund policy", "../policy/")]


def test_translation_of_a_draft_can_opt_out(cli, draft_site):
    """A translation that sets `draft: false` is published although its original is a draft."""
    write_site(draft_site, {"articles/billing/refunds/secret-plan.zh-CN.md": article(
        "秘密计划", draft="false")})
    out = built(cli, draft_site)
    assert page(out, "zh-CN/billing/refunds/secret-plan/").find("h1").text == "秘密计划"
    assert "秘密计划" in link_texts(page(out, "zh-CN/billing/refunds/").find("main"))
    assert not (out / "billing/refunds/secret-plan").exists()
    assert "Secret plan" not in read(out, "billing/refunds/")


def test_links_to_a_draft_warn(cli, draft_site):
    """Linking to a draft (in the body or in `related`) warns with file and line."""
    result = cli("build", draft_site, "-o", draft_site.parent / "out")
    assert result.exit_code == 0
    assert re.search(r"policy\.md:9: warning: link to a missing article or file: "
                     r"'secret-plan\.md'", result.stderr), result.stderr
    assert re.search(r"policy\.md:4: warning: related article not found: "
                     r"'billing/refunds/secret-plan\.md'", result.stderr)


# === 5. Ordering and navigation ============================================================

@pytest.fixture
def ordered_site(site):
    """Categories, sections and articles whose `order` disagrees with alphabetical order."""
    files = {
        "articles/zebra/_category.yml": "title: Zebra\norder: 1\n",
        "articles/apple/_category.yml": "title: Apple\n",
        "articles/mango/_category.yml": "title: Mango\n",
        "articles/billing/_category.yml": "title: {en: Billing, zh-CN: 账单}\norder: 2\n",
        "articles/zebra/later/_section.yml": "title: Later\norder: 1\n",
        "articles/zebra/alpha/_section.yml": "title: Alpha\norder: 2\n",
        "articles/zebra/beta/_section.yml": "title: Beta\n",
        "articles/apple/s/x.md": article("X"),
        "articles/mango/s/x.md": article("X"),
        "articles/zebra/alpha/x.md": article("X"),
        "articles/zebra/beta/x.md": article("X"),
    }
    for name, title, order in (("a", "Cherry", 2), ("b", "Banana", 1), ("c", "Durian", None),
                               ("d", "Apricot", None), ("e", "Elder", 3)):
        meta = {"order": order} if order is not None else {}
        files[f"articles/zebra/later/{name}.md"] = article(title, **meta)
    return write_site(site, files)


def test_order_sorts_categories_sections_and_articles(cli, ordered_site):
    """`order` comes first; unordered items follow, sorted by title."""
    out = built(cli, ordered_site)
    home = page(out, "")
    assert [s.text for s in home.select("span.category-title")] == \
        ["Zebra", "Billing", "Apple", "Mango"]
    category = page(out, "zebra/")
    assert [h.text for h in category.find("main").find_all("h2")] == ["Later", "Alpha", "Beta"]
    section = page(out, "zebra/later/").find("main").select_one("ul.article-list")
    assert link_texts(section) == ["Banana", "Cherry", "Elder", "Apricot", "Durian"]


def test_previous_and_next_stay_within_the_section(cli, ordered_site):
    """The pager links to the neighbours in the section's order, with none past the ends."""
    out = built(cli, ordered_site)
    assert nav_links(page(out, "zebra/later/b/"), "pager") == [("Next Cherry", "../a/")]
    assert nav_links(page(out, "zebra/later/a/"), "pager") == [
        ("Previous Banana", "../b/"), ("Next Elder", "../e/")]
    assert nav_links(page(out, "zebra/later/c/"), "pager") == [("Previous Apricot", "../d/")]
    assert not page(out, "zebra/alpha/x/").select(".pager")


def test_related_articles_are_linked(cli, site):
    """`related` (paths inside articles/, or relative to the file) lists titled links, in the
    reader's locale when translated."""
    write_site(site, {
        "articles/billing/refunds/policy.md": article(
            "Refund policy", related="[billing/refunds/request-a-refund.md, ../plans/compare.md]"),
        "articles/billing/refunds/policy.zh-CN.md": article("退款政策"),
        "articles/billing/plans/compare.md": article("Compare plans"),
    })
    out = built(cli, site, "--strict")
    en = page(out, "billing/refunds/policy/").select_one("section.related")
    assert [(" ".join(a.text.split()), a.attrs["href"]) for a in en.find_all("a")] == [
        ("Request a refund", "../request-a-refund/"), ("Compare plans", "../../plans/compare/")]
    zh_url = "zh-CN/billing/refunds/policy/"
    zh = page(out, zh_url).select_one("section.related")
    assert link_texts(zh) == ["申请退款", "Compare plans"]
    assert [opens(out, zh_url, a.attrs["href"]) for a in zh.find_all("a")] == [
        "zh-CN/billing/refunds/request-a-refund/index.html", "billing/plans/compare/index.html"]


@pytest.mark.parametrize("url, crumbs", [
    ("billing/", [("Acme Help", "")]),
    ("billing/refunds/", [("Acme Help", ""), ("Billing", "billing/")]),
    ("billing/refunds/policy/", [("Acme Help", ""), ("Billing", "billing/"),
                                 ("Refunds", "billing/refunds/")]),
    ("zh-CN/billing/refunds/", [("Acme 帮助中心", "zh-CN/"), ("账单", "zh-CN/billing/")]),
])
def test_breadcrumbs_lead_up_the_hierarchy(cli, site, url, crumbs):
    """Breadcrumbs name and link every level above the page, in its locale."""
    out = built(cli, site)
    links = nav_links(page(out, url), "breadcrumbs")
    assert [(text, opens(out, url, href)) for text, href in links] == \
        [(text, target + "index.html") for text, target in crumbs]


def test_home_lists_popular_and_recently_updated_articles(cli, site):
    """Popular articles are the promoted ones; recently updated is newest first, with the date
    formatted for the locale."""
    write_site(site, {
        "articles/billing/refunds/request-a-refund.md": article(
            "Request a refund", order=1, promoted="true", updated="2026-03-18"),
        "articles/billing/refunds/request-a-refund.zh-CN.md": article(
            "申请退款", updated="2026-03-18"),
        "articles/billing/refunds/policy.md": article("Refund policy", updated="2026-05-02"),
        "articles/billing/refunds/old.md": article("Old news", updated="2025-12-31"),
        "articles/billing/refunds/newest.md": article("Newest", updated="2026-11-30"),
    })
    out = built(cli, site)
    home = page(out, "")
    assert section_list(home, "promoted-heading") == ["Request a refund"]
    recent = home.select_one('section[aria-labelledby="recent-heading"]')
    assert link_texts(recent) == ["Newest", "Refund policy", "Request a refund", "Old news"]
    assert [t.text for t in recent.find_all("time")] == [
        "November 30, 2026", "May 2, 2026", "March 18, 2026", "December 31, 2025"]
    zh_recent = page(out, "zh-CN/").select_one('section[aria-labelledby="recent-heading"]')
    assert [t.text for t in zh_recent.find_all("time")] == ["2026年3月18日"]


@pytest.mark.parametrize("url, shown", [
    ("billing/refunds/request-a-refund/", "March 18, 2026"),
    ("zh-CN/billing/refunds/request-a-refund/", "2026年3月18日"),
])
def test_updated_date_is_shown_per_locale(cli, site, url, shown):
    """`updated` from the front matter is shown on the article, formatted for its locale."""
    write_site(site, {
        "articles/billing/refunds/request-a-refund.md": article(
            "Request a refund", order=1, updated="2026-03-18"),
        "articles/billing/refunds/request-a-refund.zh-CN.md": article(
            "申请退款", updated="2026-03-18"),
    })
    out = built(cli, site)
    time = page(out, url).select_one("header.article-header").find("time")
    assert (time.text, time.attrs["datetime"]) == (shown, "2026-03-18")


# === 6. Escaping ===========================================================================

@pytest.fixture
def hostile_out(cli, site):
    """A site where a category, a section and an article have titles, description and tags
    that are HTML/JS; neighbours link to the article as previous/next and related."""
    title = yaml_str(HOSTILE)
    write_site(site, {
        "articles/billing/_category.yml": f"title: {title}\nicon: material/credit-card\n",
        "articles/billing/refunds/_section.yml": f"title: {title}\n",
        "articles/billing/refunds/a-first.md": article(
            "First", order=1, related="[billing/refunds/hostile.md]"),
        "articles/billing/refunds/hostile.md": article(
            title, order=2, promoted="true", description=yaml_str(HOSTILE_DESCRIPTION),
            tags="[" + ", ".join(map(yaml_str, HOSTILE_TAGS)) + "]",
            aliases="[/old/hostile/]", updated="2030-01-01"),
        "articles/billing/refunds/z-last.md": article("Last", order=3),
        "articles/billing/refunds/request-a-refund.md": article("Request a refund", order=4),
        "articles/billing/refunds/policy.md": article("Refund policy", order=5),
    })
    return built(cli, site, "--strict")


def test_hostile_text_never_becomes_markup_in_pages(hostile_out):
    """No page, sitemap or redirects file contains the injected markup itself, and the only
    inline scripts are helpgen's own."""
    files = {name: text for name, text in all_text_files(hostile_out).items()
             if name.endswith((".html", ".xml", ".txt", "_redirects"))}
    assert sum("alert(1)" in text for text in files.values()) > 5
    for name, text in files.items():
        assert "<script>alert" not in text, name
        assert "<img src=x" not in text, name
        assert "<b>bold" not in text, name
    for file in html_files(hostile_out):
        doc = parse_html(file.read_text(encoding="utf-8"))
        assert not [n for n in doc.find_all(True) if "onerror" in n.attrs], file
        for script in doc.find_all("script"):
            if script.attrs.get("type") in ("application/ld+json", "application/json"):
                json.loads(script.text)
            else:
                assert "alert(" not in script.text, file


def test_hostile_text_never_appears_raw_in_any_output_file(hostile_out):
    """Not even the search data or any other file written beside the pages carries
    `<script>alert` as is: data meant for scripts escapes `<` the way JSON-LD does."""
    offenders = [name for name, text in all_text_files(hostile_out).items()
                 if "<script>alert" in text or "<img src=x" in text]
    assert not offenders


def test_hostile_article_page_shows_the_text_as_written(hostile_out):
    """Title element, h1, meta description, Open Graph and tag metadata show the text exactly."""
    doc = page(hostile_out, "billing/refunds/hostile/")
    assert doc.find("title").text == f"{HOSTILE} – Acme Help"
    assert doc.find("h1").text == HOSTILE
    assert meta(doc, '[name="description"]') == HOSTILE_DESCRIPTION
    assert meta(doc, '[property="og:title"]') == f"{HOSTILE} – Acme Help"
    assert meta(doc, '[property="og:description"]') == HOSTILE_DESCRIPTION
    assert [m.attrs["content"] for m in doc.select('meta[property="article:tag"]')] == \
        list(HOSTILE_TAGS)
    assert [li.text for li in doc.select_one("ul.tags").find_all("li")] == list(HOSTILE_TAGS)
    assert [t for t, _ in nav_links(doc, "breadcrumbs")] == ["Acme Help", HOSTILE, HOSTILE]


def test_hostile_json_ld_cannot_close_its_script(hostile_out):
    """JSON-LD parses, holds the exact text, and never contains a raw `</script>`."""
    raw = read(hostile_out, "billing/refunds/hostile/")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', raw, re.S).group(1)
    assert "</" not in block and "<script" not in block.lower()
    article_data, crumbs = json.loads(block)
    assert article_data["headline"] == HOSTILE
    assert article_data["description"] == HOSTILE_DESCRIPTION
    assert [item["name"] for item in crumbs["itemListElement"]] == \
        ["Acme Help", HOSTILE, HOSTILE, HOSTILE]


@pytest.mark.parametrize("url, where", [
    ("", "promoted"), ("", "recent"), ("", "category"),
    ("billing/", "listing"), ("billing/refunds/", "listing"),
    ("billing/refunds/a-first/", "next"), ("billing/refunds/a-first/", "related"),
    ("billing/refunds/z-last/", "previous"), ("billing/refunds/z-last/", "crumbs"),
    ("old/hostile/", "redirect"),
])
def test_hostile_titles_are_escaped_where_they_are_listed(hostile_out, url, where):
    """Lists, pagers, related links, breadcrumbs and redirect pages show the hostile title as
    text."""
    doc = page(hostile_out, url)
    found = {
        "promoted": lambda: section_list(doc, "promoted-heading"),
        "recent": lambda: section_list(doc, "recent-heading"),
        "category": lambda: [s.text for s in doc.select("span.category-title")],
        "listing": lambda: link_texts(doc.find("main")),
        "next": lambda: [a.text for a in doc.select("a.pager-next")],
        "previous": lambda: [a.text for a in doc.select("a.pager-previous")],
        "related": lambda: link_texts(doc.select_one("section.related")),
        "crumbs": lambda: [t for t, _ in nav_links(doc, "breadcrumbs")],
        "redirect": lambda: [doc.find("title").text, *link_texts(doc)],
    }[where]()
    assert any(text == HOSTILE or text.endswith(" " + HOSTILE) for text in found), found


# === 7. SEO files =========================================================================

def sitemap(out: Path) -> dict[str, ET.Element]:
    root = ET.fromstring((out / "sitemap.xml").read_bytes())
    return {url.find("s:loc", SITEMAP_NS).text: url for url in root.findall("s:url", SITEMAP_NS)}


def published_pages(out: Path) -> set[str]:
    """URLs of the output pages a search engine may index: every page without
    `<meta name="robots" content="noindex">` (search, 404 and redirect pages have it)."""
    pages = set()
    for file in html_files(out):
        doc = parse_html(file.read_text(encoding="utf-8"))
        if any("noindex" in (m.attrs.get("content") or "")
               for m in doc.select('meta[name="robots"]')):
            continue
        pages.add(file.relative_to(out).as_posix().removesuffix("index.html"))
    return pages


def test_sitemap_lists_every_published_page_of_every_locale(example_build):
    """sitemap.xml has one absolute URL per indexable page, in every locale."""
    base = "https://help.tallybook.example/"
    locs = set(sitemap(example_build))
    for kind in ("", "billing/", "billing/refunds/", "billing/refunds/request-a-refund/"):
        for locale in ("", "zh-CN/", "zh-TW/"):
            assert base + locale + kind in locs
    assert not any(loc.endswith(("/search/", "404.html")) or "/hc/" in loc for loc in locs)
    expected = {base + quote(url) for url in published_pages(example_build)}
    assert locs == expected
    assert any("/zh-CN/" in loc for loc in locs) and any("/zh-TW/" in loc for loc in locs)


def test_sitemap_has_hreflang_alternates_and_lastmod(example_build):
    """Translated pages list every locale and x-default; articles carry their `updated`."""
    base = "https://help.tallybook.example/"
    entries = sitemap(example_build)
    for loc in (base + "account/security/reset-password/",
                base + "zh-TW/account/security/reset-password/"):
        entry = entries[loc]
        links = {link.get("hreflang"): link.get("href")
                 for link in entry.findall("x:link", SITEMAP_NS)}
        assert links == {"en": base + "account/security/reset-password/",
                         "zh-CN": base + "zh-CN/account/security/reset-password/",
                         "zh-TW": base + "zh-TW/account/security/reset-password/",
                         "x-default": base + "account/security/reset-password/"}
    assert entries[base + "account/security/reset-password/"].find(
        "s:lastmod", SITEMAP_NS).text == "2026-03-18"
    assert entries[base + "zh-TW/account/security/reset-password/"].find(
        "s:lastmod", SITEMAP_NS).text == "2026-03-25"
    articles = [e for e in entries.values() if e.find("s:lastmod", SITEMAP_NS) is not None]
    assert len(articles) == sum(1 for p in html_files(example_build)
                                if 'class="page-article"' in p.read_text(encoding="utf-8"))


def test_every_hreflang_alternate_is_a_published_page(example_build):
    """Alternates in the sitemap and in page heads only name pages that exist, and each page
    lists itself among its alternates."""
    base = "https://help.tallybook.example/"

    def exists(url: str) -> bool:
        assert url.startswith(base), url
        return (example_build / unquote(url[len(base):]) / "index.html").is_file()

    checked = 0
    for loc, entry in sitemap(example_build).items():
        hrefs = [link.get("href") for link in entry.findall("x:link", SITEMAP_NS)]
        assert not hrefs or loc in hrefs, loc
        for href in hrefs:
            assert exists(href), (loc, href)
            checked += 1
    for file in html_files(example_build):
        for link in parse_html(file.read_text(encoding="utf-8")).select(
                'link[rel="alternate"][hreflang]'):
            assert exists(link.attrs["href"]), (file, link.attrs)
            checked += 1
    assert checked > 500


@pytest.mark.parametrize("url", ["account/security/reset-password/",
                                 "zh-TW/account/security/reset-password/"])
def test_page_head_names_each_translation_with_its_locale(example_build, url):
    """Search engines pick the reader's language from the page head's alternates: each names
    its own locale's page, and x-default the default locale's."""
    base = "https://help.tallybook.example/"
    links = {link.attrs["hreflang"]: link.attrs["href"]
             for link in page(example_build, url).select('link[rel="alternate"][hreflang]')}
    assert links == {"en": base + "account/security/reset-password/",
                     "zh-CN": base + "zh-CN/account/security/reset-password/",
                     "zh-TW": base + "zh-TW/account/security/reset-password/",
                     "x-default": base + "account/security/reset-password/"}


@pytest.mark.parametrize("name, url", [
    ("Setup v2.1 (beta).md", "billing/refunds/setup-v2-1-beta/"),
    ("Two  Words.md", "billing/refunds/two-words/"),
    ("退款 政策.md", "billing/refunds/退款-政策/"),
])
def test_file_names_become_readable_urls(cli, site, name, url):
    """Lowercase, spaces and dots as one '-', other punctuation dropped, Unicode letters kept."""
    write_site(site, {f"articles/billing/refunds/{name}": article("Named")})
    out = built(cli, site)
    assert (out / url / "index.html").is_file(), sorted(
        p.relative_to(out).as_posix() for p in (out / "billing/refunds").iterdir())


def test_robots_txt_points_to_the_sitemap(example_build):
    """robots.txt allows crawling and names the absolute sitemap URL."""
    text = (example_build / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in text
    assert "Sitemap: https://help.tallybook.example/sitemap.xml" in text.splitlines()


@pytest.mark.parametrize("url", ["billing/refunds/退款政策/", "zh-CN/billing/", ""])
def test_canonical_and_og_url_are_absolute(example_build, url):
    """Canonical link and og:url are the page's absolute URL."""
    doc = page(example_build, url)
    expected = "https://help.tallybook.example/" + url
    assert unquote(doc.select_one('link[rel="canonical"]').attrs["href"]) == expected
    assert unquote(meta(doc, '[property="og:url"]')) == expected


def test_json_ld_describes_the_article_and_its_breadcrumbs(example_build):
    """JSON-LD holds an Article with the right headline and a BreadcrumbList up to it."""
    data = jsonld(page(example_build, "zh-CN/account/security/reset-password/"))
    by_type = {item["@type"]: item for item in data}
    assert by_type["Article"]["headline"] == "重置密码"
    assert by_type["Article"]["inLanguage"] == "zh-CN"
    assert by_type["Article"]["dateModified"] == "2026-03-20"
    crumbs = by_type["BreadcrumbList"]["itemListElement"]
    assert [c["name"] for c in crumbs] == ["Tallybook 帮助中心", "账户管理", "登录与安全", "重置密码"]
    assert crumbs[-1]["item"] == \
        "https://help.tallybook.example/zh-CN/account/security/reset-password/"


@pytest.fixture
def alias_site(site):
    """The small site with two old URLs (one without a trailing slash, one .html) for the
    refund article."""
    return write_site(site, {"articles/billing/refunds/request-a-refund.md": article(
        "Request a refund", order=1, aliases="[/hc/en-us/articles/123-Refunds, /kb/refund.html]")})


def test_translation_aliases_redirect_to_the_translation(cli, alias_site):
    """A translation's own `aliases` forward to the page in its locale."""
    write_site(alias_site, {"articles/billing/refunds/request-a-refund.zh-CN.md": article(
        "申请退款", aliases="[/zh/旧的退款页面]")})
    out = built(cli, alias_site)
    doc = page(out, "zh/旧的退款页面/")
    target = doc.select_one('meta[http-equiv="refresh"]').attrs["content"].split("url=", 1)[1]
    assert opens(out, "zh/旧的退款页面/", target) == \
        "zh-CN/billing/refunds/request-a-refund/index.html"
    assert f"/zh/{quote('旧的退款页面')}/ /zh-CN/billing/refunds/request-a-refund/ 301" in \
        (out / "_redirects").read_text(encoding="utf-8").splitlines()


def test_aliases_make_redirect_pages_and_redirects_file(cli, alias_site):
    """Each alias gets a page at the old path that forwards (relatively) to the article, and a
    `_redirects` line for hosts that read one."""
    out = built(cli, alias_site)
    for old in ("hc/en-us/articles/123-Refunds/", "kb/refund.html"):
        doc = page(out, old)
        refresh = doc.select_one('meta[http-equiv="refresh"]').attrs["content"]
        assert refresh.startswith("0; url=")
        target = refresh.split("url=", 1)[1]
        assert not target.startswith(("/", "http"))
        assert opens(out, old, target) == "billing/refunds/request-a-refund/index.html"
        assert meta(doc, '[name="robots"]') == "noindex"
    lines = (out / "_redirects").read_text(encoding="utf-8").splitlines()
    assert lines == ["/hc/en-us/articles/123-Refunds/ /billing/refunds/request-a-refund/ 301",
                     "/kb/refund.html /billing/refunds/request-a-refund/ 301"]


@pytest.mark.parametrize("base_url, absolute, path", [
    ("/docs/", "https://help.acme.example/docs/", "/docs/"),
    ("https://cdn.example.org/help/", "https://cdn.example.org/help/", "/help/"),
])
def test_base_url_sets_absolute_urls_only(cli, alias_site, base_url, absolute, path):
    """--base-url moves canonical URLs, the sitemap, `_redirects` and 404 links under the base;
    every other link stays relative."""
    out = built(cli, alias_site, "--base-url", base_url)
    url = "billing/refunds/request-a-refund/"
    doc = page(out, url)
    assert doc.select_one('link[rel="canonical"]').attrs["href"] == absolute + url
    assert meta(doc, '[property="og:url"]') == absolute + url
    assert jsonld(doc)[0]["url"] == absolute + url
    assert set(sitemap(out)) == {absolute + p for p in published_pages(out)}
    assert f"Sitemap: {absolute}sitemap.xml" in (out / "robots.txt").read_text()
    assert (out / "_redirects").read_text().splitlines()[0] == \
        f"{path}hc/en-us/articles/123-Refunds/ {path}{url} 301"
    for not_found, home in (("404.html", path), ("zh-CN/404.html", path + "zh-CN/")):
        links = internal_links(page(out, not_found))
        assert links and all(link.startswith(path) for link in links), links
        assert home in links
        assert any(re.fullmatch(rf"{path}_theme/helpgen\.[0-9a-f]{{8}}\.css", link)
                   for link in links), links
    for file in html_files(out):
        if file.name != "404.html":
            rooted = [h for h in internal_links(parse_html(file.read_text(encoding="utf-8")))
                      if h.startswith("/")]
            assert not rooted, (file, rooted)
    assert opens(out, url, doc.select_one("a.brand").attrs["href"]) == "index.html"
    redirect = page(out, "hc/en-us/articles/123-Refunds/")
    assert redirect.select_one('link[rel="canonical"]').attrs["href"] == absolute + url
    refresh = redirect.select_one('meta[http-equiv="refresh"]').attrs["content"]
    assert opens(out, "hc/en-us/articles/123-Refunds/", refresh.split("url=", 1)[1]) == \
        url + "index.html"


# === 8. Determinism =======================================================================

def test_two_builds_are_byte_identical(cli, example_build, example_site, tmp_path):
    """Building the same input twice (here from another folder) gives the same files with the
    same bytes."""
    again = built(cli, example_site, "--strict", "--quiet", out=tmp_path / "again")
    first = {p.relative_to(example_build).as_posix(): p for p in example_build.rglob("*")
             if p.is_file()}
    second = {p.relative_to(again).as_posix(): p for p in again.rglob("*") if p.is_file()}
    assert sorted(first) == sorted(second)
    differing = [name for name in first if first[name].read_bytes() != second[name].read_bytes()]
    assert not differing, differing[:10]


# === 9. Markdown features =================================================================

FEATURES = '''\
# A heading that duplicates the title

Press :material-cog: to open settings.

!!! note "Heads up"
    Admonition body.

??? question "Why?"
    Collapsed answer.

=== "Web"
    Web steps.

=== "Mobile"
    Mobile steps.

| Plan | Price |
|------|-------|
| Solo | 5     |

A claim.[^1]

[^1]: The footnote text.

- [x] Done item
- [ ] Open item

```python
def greet(name):
    return "hi " + name
```
'''


@pytest.fixture
def features_out(cli, site):
    """The small site plus one article using every Markdown feature, built with --strict."""
    write_site(site, {"articles/billing/refunds/features.md": article("All the features",
                                                                      FEATURES)})
    return built(cli, site, "--strict")


@pytest.mark.parametrize("feature, cls, text", [
    ("admonition", "admonition", "Admonition body."),
    ("details", None, "Collapsed answer."),
    ("tabs", "tabbed-set", "Mobile steps."),
    ("table", None, "Solo"),
    ("footnote", "footnote", "The footnote text."),
    ("task list", "task-list", "Open item"),
])
def test_markdown_blocks_render(features_out, feature, cls, text):
    """Material-for-MkDocs style blocks become their HTML structures."""
    body = page(features_out, "billing/refunds/features/").select_one("div.article-body")
    tag = {"details": "details", "table": "table"}.get(feature)
    element = body.select_one((tag or "") + (f".{cls}" if cls else ""))
    assert text in element.text
    if feature == "task list":
        boxes = element.select('input[type="checkbox"]')
        assert [("checked" in b.attrs) for b in boxes] == [True, False]


@pytest.mark.parametrize("body, shown, not_shown", [
    ("Copyright (c) 2026, 1/2 cup --> the 3rd step.", "Copyright © 2026, ½ cup → the 3rd step.",
     None),
    ("Type `(c) 1/2 -->` as it is.", "Type (c) 1/2 --> as it is.", "©"),
    ("Nothing special here.", "Nothing special here.", "©"),
])
def test_smart_symbols_are_replaced_outside_code_only(cli, site, body, shown, not_shown):
    """Material's smartsymbols: (c), fractions, arrows, ordinals; code is left as typed."""
    write_site(site, {"articles/billing/refunds/symbols.md": article("Symbols", body)})
    out = built(cli, site)
    text = " ".join(page(out, "billing/refunds/symbols/").select_one(
        "div.article-body").text.split())
    assert shown in text
    assert not_shown is None or not_shown not in text


def test_emoji_and_icons_need_no_other_host(cli, site):
    """`:smile:` is the character itself (Material would load Twemoji's picture from a CDN);
    `:material-…:` icons are inline SVG."""
    write_site(site, {"articles/billing/refunds/emoji.md": article(
        "Emoji", "Thanks :smile: Pay by :material-credit-card:.")})
    out = built(cli, site)
    body = page(out, "billing/refunds/emoji/").select_one("div.article-body")
    assert "Thanks 😄" in body.text
    assert body.find_all("svg") and not body.find_all("img")
    # (An SVG's xmlns names a namespace; it is never fetched.)
    assert not [f"{e.name} {name}={value}" for e in body.find_all(True)
                for name, value in e.attrs.items() if name != "xmlns" and "//" in value]


def test_code_is_highlighted_with_a_stylesheet(features_out):
    """Fenced code gets Pygments token spans, and the page links an existing pygments.css."""
    url = "billing/refunds/features/"
    doc = page(features_out, url)
    code = doc.select_one("div.highlight")
    tokens = {cls for span in code.find_all("span") for cls in span.get("class", "").split()}
    assert {"k", "nf"} <= tokens, tokens
    assert "return" in code.text
    hrefs = [link.attrs["href"] for link in doc.select('link[rel="stylesheet"]')]
    css = next(h for h in hrefs if "pygments." in h)
    served = opens(features_out, url, css)
    assert re.fullmatch(r"_theme/pygments\.[0-9a-f]{8}\.css", served), served
    assert ".highlight .k" in (features_out / served).read_text()


def icon_path_data(name: str) -> str:
    svg = (Path(material.__file__).parent / "templates/.icons" / f"{name}.svg").read_text()
    return re.search(r' d="([^"]+)"', svg).group(1)


def test_icons_render_as_inline_svg(features_out):
    """`:material-cog:` in text and a category's `icon` become inline SVG of that icon."""
    body = page(features_out, "billing/refunds/features/").select_one("div.article-body")
    paths = [p.attrs.get("d") for p in body.find_all("path")]
    assert icon_path_data("material/cog") in paths
    tile = page(features_out, "").select_one("li.category-tile")
    assert icon_path_data("material/credit-card") in [p.attrs.get("d") for p in
                                                       tile.find_all("path")]


def test_leading_heading_is_dropped(features_out):
    """A `# Title` at the top of the body is not shown: the page has exactly one h1."""
    doc = page(features_out, "billing/refunds/features/")
    assert [h.text for h in doc.find_all("h1")] == ["All the features"]
    assert "duplicates the title" not in read(features_out, "billing/refunds/features/")


# === 10. The example site =================================================================

def article_pages(out: Path, prefix: str = "") -> list[str]:
    """Article pages under `prefix`, not counting other locales' folders."""
    others = ("zh-CN/", "zh-TW/")
    found = []
    for file in html_files(out / prefix if prefix else out):
        relative = file.relative_to(out).as_posix()
        if not prefix and relative.startswith(others):
            continue
        if 'class="page-article"' in file.read_text(encoding="utf-8"):
            found.append(relative)
    return found


def test_example_site_is_a_full_trilingual_help_center(example_build):
    """30+ English articles, a Simplified Chinese version of the site and some Traditional
    Chinese pages; the draft is left out."""
    english = article_pages(example_build)
    simplified = article_pages(example_build, "zh-CN")
    traditional = article_pages(example_build, "zh-TW")
    assert len(english) >= 30
    assert len(simplified) >= 30
    assert 5 <= len(traditional) < len(english)
    assert page(example_build, "zh-TW/").find("h1").text == "Tallybook 說明中心"
    assert not (example_build / "troubleshooting/sign-in/mobile-app-sign-in-loop").exists()


def test_example_hostile_title_is_escaped(example_build):
    """The import-contacts article's title with quotes, `&` and `<beta>` shows as text."""
    title = 'Import contacts from "CSV" files & spreadsheets <beta>'
    url = "getting-started/setup/import-contacts/"
    raw = read(example_build, url)
    assert "<beta>" not in raw
    doc = parse_html(raw)
    assert doc.find("h1").text == title
    assert doc.find("title").text.startswith(title)
    assert jsonld(doc)[0]["headline"] == title
    for listing in ("getting-started/setup/", "getting-started/"):
        assert "<beta>" not in read(example_build, listing)
        assert title in link_texts(page(example_build, listing).find("main"))


def test_article_with_only_a_heading_builds(tmp_path, cli):
    """An empty article (just `# Title`) is published empty, and a broken link in the next
    article is reported against that article, not this one."""
    site = write_site(tmp_path / "empty", {
        "helpgen.yml": "site: {title: T}\n",
        "articles/a/b/a-empty.md": "---\ntitle: Empty\n---\n\n# Empty\n",
        "articles/a/b/b-full.md": "---\ntitle: Full\n---\n\nSee [x](missing.md).\n",
    })
    result = cli("build", site)
    assert result.exit_code == 0, result.output
    assert "b-full.md:5: warning: link to a missing article" in result.stderr
    assert "a-empty.md" not in result.stderr
    assert (site / "site/a/b/a-empty/index.html").exists()


def test_an_articles_icon_is_drawn_before_its_title(cli, site):
    """`icon:` in an article's front matter draws that icon before its title on its page and
    in lists; a translation takes it; `<title>` and the search index stay text."""
    write_site(site, {"articles/billing/refunds/request-a-refund.md": article(
        "Request a refund", "Text.", order=1, icon="material/cash-refund")})
    out = built(cli, site)
    drawn = icon_path_data("material/cash-refund")
    for url in ("billing/refunds/request-a-refund/", "zh-CN/billing/refunds/request-a-refund/"):
        heading = page(out, url).find("h1")
        assert drawn in [p.attrs.get("d") for p in heading.find_all("path")], url
        assert "<svg" not in str(page(out, url).find("title"))
    listed = page(out, "billing/refunds/").find("a", href="request-a-refund/")
    assert drawn in [p.attrs.get("d") for p in listed.find_all("path")]
    other = page(out, "billing/refunds/").find("a", href="policy/")
    assert other.find("svg") is None
    index = [p.read_text() for p in (out / "_helpgen" / "search").rglob("*.js")]
    assert index and not any("<svg" in text or "cash-refund" in text for text in index)


def test_an_unknown_article_icon_is_reported_at_its_line(cli, site):
    write_site(site, {"articles/billing/refunds/policy.md":
                      "---\ntitle: Refund policy\nicon: material/cash-refnd\n---\n\nText.\n"})
    result = cli("build", str(site), "--strict")
    assert result.exit_code == 1
    assert "articles/billing/refunds/policy.md:3" in result.output
    assert "unknown icon 'material/cash-refnd'" in result.output
    assert "did you mean 'material/cash-refund'" in result.output
