"""Each locale's Atom feed (`feed.xml`) and OpenSearch description (`opensearch.xml`), as feed
readers and browsers read them: parsed by feedparser and an XML parser, every address leading to
a built page, linked from the head of every page of the locale; written only when the site's
address is known."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest

from conftest import (BASIC_CONFIG, article, built, read_html, serve_folder, target_file,
                      write_site)

EXAMPLE_URL = "https://help.tallybook.example/"
EXAMPLE_LOCALES = {"": "en", "zh-CN/": "zh-CN", "zh-TW/": "zh-TW"}
OPENSEARCH = {"os": "http://a9.com/-/spec/opensearch/1.1/"}


def feed(out: Path, locale_root: str = ""):
    """The locale's feed, parsed as a feed reader does; it must parse cleanly."""
    parsed = feedparser.parse((out / locale_root / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def opensearch(out: Path, locale_root: str = "") -> ET.Element:
    return ET.fromstring((out / locale_root / "opensearch.xml").read_bytes())


def page_of(out: Path, site_url: str, url: str) -> Path:
    """The built file an absolute URL of the site serves."""
    assert url.startswith(site_url), url
    path = unquote(urlsplit(url).path)[len(urlsplit(site_url).path):]
    return out / path / "index.html" if path.endswith("/") or not path else out / path


def dated(title: str, day: str, **meta) -> str:
    return article(title, f"About {title.lower()}.", updated=day, **meta)


def test_each_locale_has_a_feed_of_its_articles_newest_first(example_build):
    """feedparser reads every feed without complaint; entries come newest first (one day's by
    title), each with its page's title, description and language, at an address that is a
    built page of that locale; the feed was updated when its newest article was."""
    for root, code in EXAMPLE_LOCALES.items():
        parsed = feed(example_build, root)
        assert parsed.feed.language == code
        assert parsed.feed.title == read_html(example_build / root / "index.html").find(
            "meta", property="og:site_name")["content"]
        assert parsed.feed.link == EXAMPLE_URL + root
        entries = parsed.entries
        assert entries
        order = [(-dt.date(*e.updated_parsed[:3]).toordinal(), e.title) for e in entries]
        assert order == sorted(order)
        assert parsed.feed.updated == entries[0].updated
        assert len({e.id for e in entries}) == len(entries)
        for entry in entries:
            assert entry.id == entry.link and entry.link.startswith(EXAMPLE_URL + root)
            page = read_html(page_of(example_build, EXAMPLE_URL, entry.link))
            assert page.html["lang"] == code == entry.title_detail.language
            assert page.find("link", rel="canonical")["href"] == entry.link
            assert page.h1.get_text(" ", strip=True) == entry.title
            assert page.find("meta", attrs={"name": "description"})["content"] == entry.summary
            assert page.find("time", datetime=True)["datetime"].startswith(entry.updated[:10])


def test_chinese_titles_are_written_as_characters(example_build):
    """The zh-CN and zh-TW feeds carry their titles as written (UTF-8, not character
    references or question marks)."""
    for root, title in (("zh-CN/", "申请退款"), ("zh-TW/", "申請退款")):
        raw = (example_build / root / "feed.xml").read_bytes().decode("utf-8")
        assert f"<title>{title}</title>" in raw
        assert title in [entry.title for entry in feed(example_build, root).entries]
        assert "&#" not in raw


def test_drafts_and_untranslated_copies_stay_out_of_the_feed(cli, site):
    """A draft has no page, so no entry; with `untranslated: show_default` a locale shows
    copies of the articles it lacks, but its feed lists only what was written in its language."""
    write_site(site, {
        "helpgen.yml": BASIC_CONFIG + "  untranslated: show_default\n",
        "articles/billing/refunds/secret.md": dated("Secret plans", "2030-01-01", draft="true"),
    })
    out = built(cli, site)
    assert (out / "zh-CN/billing/refunds/policy/index.html").is_file()     # a copy
    links = {root: [entry.link for entry in feed(out, root).entries] for root in ("", "zh-CN/")}
    assert links["zh-CN/"] == ["https://help.acme.example/zh-CN/billing/refunds/request-a-refund/"]
    assert sorted(links[""]) == ["https://help.acme.example/billing/refunds/policy/",
                                 "https://help.acme.example/billing/refunds/request-a-refund/"]


def test_control_characters_in_an_article_leave_the_feed_readable(cli, site):
    """XML cannot carry most control characters at all; an article's text may (its
    description is taken from it): the feed leaves them out."""
    write_site(site, {"articles/billing/refunds/policy.md": article(
        "Refund policy", "Refunds\x0c take \x08five\x1b days\ufffe.")})
    out = built(cli, site)
    summaries = {entry.title: entry.summary for entry in feed(out).entries}
    assert summaries["Refund policy"] == "Refunds take five days."


def test_a_feed_lists_the_newest_fifty(cli, tmp_path):
    """The feed is the recent changes, bounded; the sitemap lists every article. Its date is
    the newest article's, not the build's. The newest of the whole locale, in two
    categories here."""
    files = {"helpgen.yml": "site: {title: Acme Help, url: 'https://help.acme.example/'}\n"}
    for number in range(55):
        day = dt.date(2020, 1, 1) + dt.timedelta(days=number // 2)   # two a day
        files[f"articles/{('guides', 'tips')[number % 2]}/topics/guide-{number:02d}.md"] = dated(
            f"Guide {number:02d}", day.isoformat())
    out = built(cli, write_site(tmp_path / "many", files))
    entries = feed(out).entries
    assert len(entries) == 50
    assert [e.title for e in entries[:3]] == ["Guide 54", "Guide 52", "Guide 53"]
    # Guides 04 and 05 share the oldest day listed: the one first by title is in.
    assert [e.title for e in entries[-3:]] == ["Guide 06", "Guide 07", "Guide 04"]
    assert {e.title for e in entries} == {f"Guide {n:02d}" for n in range(6, 55)} | {"Guide 04"}
    assert feed(out).feed.updated == "2020-01-28T00:00:00Z"


def test_feeds_and_search_descriptions_are_the_same_bytes_on_every_build(cli, site, tmp_path):
    """Nothing in them comes from the clock or the build: two builds, the second without the
    cache and into another folder, write the same bytes."""
    first = built(cli, site)
    second = built(cli, site, "--no-cache", out=tmp_path / "again")
    for name in ("feed.xml", "opensearch.xml", "zh-CN/feed.xml", "zh-CN/opensearch.xml"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_every_page_links_its_locales_feed_and_search_description(example_build):
    """Each page of a locale (404 included: its links start from the site root) names that
    locale's feed and search description in its head, titled with the locale's title."""
    checked = 0
    for file in example_build.rglob("*.html"):
        html = read_html(file)
        if html.body is None or not html.body.get("data-locale"):
            continue                        # redirect pages
        root = next(r for r, c in EXAMPLE_LOCALES.items() if c == html.body["data-locale"])
        title = html.find("meta", property="og:site_name")["content"]
        for kind, name in (("application/atom+xml", "feed.xml"),
                           ("application/opensearchdescription+xml", "opensearch.xml")):
            links = html.head.find_all("link", type=kind)
            assert len(links) == 1, (file, kind)
            assert links[0]["rel"] == ("search" if "opensearch" in kind else "alternate")
            assert links[0]["title"] == title
            assert target_file(example_build, file, links[0]["href"]) == \
                (example_build / root / name).resolve(), file
        checked += 1
    assert checked > 100


def test_the_search_description_points_at_the_search_page(example_build):
    """Browsers offer the help center as a search engine: the template, with a word put in,
    is the locale's search page with `?q=`; the name fits OpenSearch's 16 characters."""
    names = {"": "Tallybook Help", "zh-CN/": "Tallybook 帮助中心",
             "zh-TW/": "Tallybook 說明中心"}
    for root, code in EXAMPLE_LOCALES.items():
        description = opensearch(example_build, root)
        assert description.findtext("os:ShortName", namespaces=OPENSEARCH) == names[root]
        assert description.findtext("os:Language", namespaces=OPENSEARCH) == code
        assert description.findtext("os:InputEncoding", namespaces=OPENSEARCH) == "UTF-8"
        home = read_html(example_build / root / "index.html")
        assert description.findtext("os:Description", namespaces=OPENSEARCH) == \
            home.find("meta", attrs={"name": "description"})["content"]
        image = description.find("os:Image", OPENSEARCH)
        assert image.get("type") == "image/svg+xml"
        assert page_of(example_build, EXAMPLE_URL, image.text).is_file()
        urls = {url.get("type"): url for url in description.findall("os:Url", OPENSEARCH)}
        template = urls["text/html"].get("template")
        assert template == f"{EXAMPLE_URL}{root}search/?q={{searchTerms}}"
        search = template.replace("{searchTerms}", "refund")
        assert urlsplit(search).query == "q=refund"
        assert 'id="search-results"' in page_of(
            example_build, EXAMPLE_URL, search.split("?")[0]).read_text(encoding="utf-8")
        assert urls["application/opensearchdescription+xml"].get("template") == \
            f"{EXAMPLE_URL}{root}opensearch.xml"


@pytest.mark.parametrize("title, name", [
    ("Acme Corporation Customer Help", "Acme Corporation"),
    ("Café Crème Help Centre", "Café Crème Help"),
    ("非常长的帮助中心名称用于测试截断功能", "非常长的帮助中心名称用于测试截…"),
    ("Supercalifragilisticexpialidocious", "Supercalifragil…"),
    ("Abcdefghijklmne\u0301xyz", "Abcdefghijklmn…"),
])
def test_a_long_title_is_shortened_to_a_name_of_sixteen_characters(cli, site, title, name):
    """The first words that fit; else cut with "…", between any two characters in Chinese,
    never between a letter and its accent."""
    write_site(site, {"helpgen.yml": BASIC_CONFIG.replace(
        "{en: Acme Help, zh-CN: Acme 帮助中心}", json.dumps(title))})
    out = built(cli, site)
    assert opensearch(out).findtext("os:ShortName", namespaces=OPENSEARCH) == name
    assert len(name) <= 16


def test_without_the_sites_address_there_are_no_feeds(cli, site):
    """Feeds and search descriptions need absolute addresses: without `site.url` (or with
    --base-url giving a path only) neither is written nor linked; a full --base-url is used."""
    write_site(site, {"helpgen.yml": BASIC_CONFIG.replace(
        "  url: https://help.acme.example/\n", "")})
    for options in ((), ("--base-url", "/help/")):
        out = built(cli, site, *options)
        assert not list(out.rglob("feed.xml")) and not list(out.rglob("opensearch.xml"))
        head = read_html(out / "zh-CN/index.html").head
        assert not head.find_all("link", type="application/atom+xml")
        assert not head.find_all("link", rel="search")
        assert "feed.xml" not in (out / "_headers").read_text()
    out = built(cli, site, "--base-url", "https://docs.acme.example/help/")
    assert feed(out, "zh-CN/").feed.link == "https://docs.acme.example/help/zh-CN/"
    assert opensearch(out).find("os:Url", OPENSEARCH).get("template") == \
        "https://docs.acme.example/help/search/?q={searchTerms}"


def test_a_locale_without_articles_of_its_own_has_no_feed(cli, site, settled):
    """A feed without entries would have no date to give: zh-TW, declared but not translated,
    keeps its search description. Its first article brings the feed, linked from every zh-TW
    page, those kept from the last build too."""
    write_site(site, {"helpgen.yml": BASIC_CONFIG.replace("[zh-CN]", "[zh-CN, zh-TW]")})
    out = built(cli, site)
    assert not (out / "zh-TW/feed.xml").exists()
    assert opensearch(out, "zh-TW/").findtext("os:Language", namespaces=OPENSEARCH) == "zh-TW"
    for page in ("zh-TW/index.html", "zh-TW/search/index.html"):
        head = read_html(out / page).head
        assert not head.find_all("link", type="application/atom+xml")
        assert head.find("link", rel="search")
    write_site(site, {"articles/billing/refunds/policy.zh-TW.md": article("退款政策")})
    built(cli, site)
    assert [entry.title for entry in feed(out, "zh-TW/").entries] == ["退款政策"]
    for page in ("zh-TW/index.html", "zh-TW/search/index.html", "zh-TW/404.html"):
        assert read_html(out / page).head.find("link", type="application/atom+xml"), page


def test_each_brand_has_its_own_feeds(cli, site):
    """Per brand and locale: its own articles at its own address."""
    from conftest import TWO_BRANDS
    write_site(site, {
        "helpgen.yml": TWO_BRANDS,
        "articles/devices/_category.yml": "title: {en: Devices, zh-CN: 设备}\n",
        "articles/devices/pair.md": article("Pair a device", "Hold the button.", brands="[bolt]"),
        "articles/devices/pair.zh-CN.md": article("配对设备", "按住按钮。"),
    })
    out = built(cli, site)
    acme, bolt = "https://help.acme.example/acme/", "https://support.bolt.example/"
    for brand, address, titles in (("acme", acme, {"Request a refund", "Refund policy"}),
                                   ("bolt", bolt, {"Pair a device"})):
        parsed = feed(out / brand)
        assert {entry.title for entry in parsed.entries} == titles
        for entry in parsed.entries:
            assert page_of(out / brand, address, entry.link).is_file()
        assert opensearch(out / brand).find("os:Url", OPENSEARCH).get("template") == \
            f"{address}search/?q={{searchTerms}}"
    assert [e.title for e in feed(out / "bolt", "zh-CN/").entries] == ["配对设备"]
    assert feed(out / "acme").feed.title == "Acme Help"


def test_hosts_are_told_the_feeds_types(example_build):
    """`_headers` gives feed.xml and opensearch.xml their own types (Netlify and Cloudflare
    Pages would send any .xml as application/xml)."""
    from helpgen.output.host_files import headers_for
    rules = (example_build / "_headers").read_text()
    for root in EXAMPLE_LOCALES:
        assert ("Content-Type", "application/atom+xml; charset=utf-8") in \
            headers_for(rules, f"/{root}feed.xml")
        assert ("Content-Type", "application/opensearchdescription+xml; charset=utf-8") in \
            headers_for(rules, f"/{root}opensearch.xml")
    assert not any(name == "Content-Type" for name, _ in headers_for(rules, "/sitemap.xml"))


@pytest.mark.browser
def test_the_search_engine_address_shows_results(browser, example_build):
    """What a browser opens when the help center is its search engine: the template with the
    reader's words, on the served site, lists articles."""
    server, url = serve_folder(example_build)
    try:
        for root, word, title in (("", "refund", "Request a refund"),
                                  ("zh-CN/", "退款", "申请退款")):
            template = opensearch(example_build, root).find("os:Url", OPENSEARCH).get(
                "template")
            page = browser.new_page()
            page.goto(template.replace(EXAMPLE_URL, url).replace("{searchTerms}", word))
            page.wait_for_selector(".search-count")
            assert title in page.locator(".search-results-list .result-title").all_inner_texts()
            page.close()
    finally:
        server.shutdown()
