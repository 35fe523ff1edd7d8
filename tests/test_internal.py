"""Internal articles for support agents (`audience: internal`): kept out of the public site
entirely, in every locale and brand; `helpgen build --audience internal` builds the agents' help
center with all of them, badged, closed to search engines."""

from __future__ import annotations

import json
import urllib.request

import pytest
from bs4 import BeautifulSoup

from helpgen.commands.serve import LiveServer

from conftest import article, built, load_locale, serve_folder, write_site

CONFIG = """\
site:
  title: {en: Acme Help, zh-CN: Acme 帮助中心, zh-TW: Acme 說明中心}
  url: https://help.acme.example/
locales:
  default: en
  others: [zh-CN, zh-TW]
brands:
  - id: acme
  - id: beta
    name: Beta Help
"""
REFUNDS = "articles/billing/refunds"
# The public article's link to an internal one, and its line in the file.
LINK_LINE = 8

# What an internal article or folder is made of: none of it may be in the public site.
SECRETS = [
    # an internal folder (category): its title, slug, page text, alias
    "Zorblax playbooks", "zorblax-desk", "Kelpvortex", "kelpvortex-folder",
    # an internal article in it: title, slug, body phrase, tag, alias; and its translation
    "Quibbleton escalation", "quibbleton-escalation", "snorklewhistle", "frabjoustag",
    "quibbleton-alias", "奎布尔顿升级", "内部机密短语",
    # an internal article in a public section: title, slug, phrase, tag; its translations
    "Vexillary refund override", "vexillary-override", "plonk-override", "plonkstable",
    "glimmerbanktag",
    "維克斯退款覆蓋", "维克斯退款覆盖", "特别内部短语",
    # an internal section of a public category, and its article
    "Wuzzlefrump", "wuzzlefrump-desk", "Drizzlepop notes", "drizzlepop",
    # a category not marked internal whose articles all are
    "Snozzberry staff", "snozzberry", "Gobstopper rota",
    # an internal article of one brand only
    "Blorptastic beta tips", "blorptastic",
]


@pytest.fixture
def internal_site(tmp_path):
    return write_site(tmp_path / "site", {
        "helpgen.yml": CONFIG,
        "articles/billing/_category.yml": "title: {en: Billing, zh-CN: 账单, zh-TW: 帳單}\n",
        f"{REFUNDS}/_section.yml": "title: {en: Refunds, zh-CN: 退款, zh-TW: 退款}\n",
        f"{REFUNDS}/request-a-refund.md": article(
            "Request a refund", "Ask within 30 days.\n\nAgents may [go further]"
            "(plonk-override.md).", related="[policy.md, plonk-override.md]"),
        f"{REFUNDS}/request-a-refund.zh-CN.md": article("申请退款", "三十天内申请。"),
        f"{REFUNDS}/request-a-refund.zh-TW.md": article("申請退款", "三十天內申請。"),
        f"{REFUNDS}/policy.md": article("Refund policy", "We refund [requests]"
                                        "(request-a-refund.md).", tags="[refunds]"),
        f"{REFUNDS}/plonk-override.md": article(
            "Vexillary refund override", "Use the plonkstable form.", audience="internal",
            slug="vexillary-override", tags="[glimmerbanktag]", related="[policy.md]"),
        f"{REFUNDS}/plonk-override.zh-CN.md": article("维克斯退款覆盖", "特别内部短语。"),
        f"{REFUNDS}/plonk-override.zh-TW.md": article("維克斯退款覆蓋", "特别内部短语。"),
        "articles/billing/secret/_section.yml": "title: Wuzzlefrump desk\naudience: internal\n",
        "articles/billing/secret/drizzlepop.md": article("Drizzlepop notes", "Notes."),
        "articles/zorblax-desk/_category.yml": "title: Zorblax playbooks\naudience: internal\n",
        "articles/zorblax-desk/_index.md": "---\naliases: [/old/kelpvortex-folder/]\n---\n\n"
                                           "Kelpvortex introduction.\n",
        "articles/zorblax-desk/escalate/quibbleton-escalation.md": article(
            "Quibbleton escalation", "The snorklewhistle procedure.", tags="[frabjoustag]",
            aliases="[/old/quibbleton-alias/]"),
        "articles/zorblax-desk/escalate/quibbleton-escalation.zh-CN.md": article(
            "奎布尔顿升级", "内部机密短语。"),
        "articles/snozzberry/_category.yml": "title: Snozzberry staff\n",
        "articles/snozzberry/rota.md": article("Gobstopper rota", "Mondays.",
                                               audience="internal"),
        "articles/billing/refunds/blorptastic.md": article(
            "Blorptastic beta tips", "Beta only.", audience="internal", brands="[beta]"),
    })


def leaks(out) -> dict[str, list[str]]:
    """Each file below `out` that holds any of SECRETS, with the ones it holds."""
    found = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        text = path.read_bytes().decode("utf-8", "replace").casefold()
        held = [secret for secret in SECRETS if secret.casefold() in text]
        if held:
            found[path.relative_to(out).as_posix()] = held
    return found


def test_the_public_site_holds_no_trace_of_internal_articles(cli, internal_site):
    """Title, body phrase, slug, tag, alias, folder title and text: in no page, search shard,
    sitemap, _redirects or any other file, in any locale or brand."""
    result = cli("build", internal_site)
    assert result.exit_code == 0, result.output
    out = internal_site / "site"
    assert (out / "acme/sitemap.xml").is_file()
    assert (out / "acme/billing/refunds/policy/index.html").is_file()
    assert (out / "acme/zh-TW/billing/refunds/request-a-refund/index.html").is_file()
    assert leaks(out) == {}
    # The link to the internal article keeps its text, not its address.
    page = BeautifulSoup((out / "acme/billing/refunds/request-a-refund/index.html")
                         .read_text(encoding="utf-8"), "html.parser")
    body = page.select_one(".article-body")
    assert "Agents may go further." in body.get_text()
    assert [a.get("href") for a in body.find_all("a")] == [None]
    related = [a.get_text() for a in page.select(".related a")]
    assert related == ["Refund policy"]
    # A folder whose articles are all internal has no page, in any locale.
    for gone in ("billing/secret", "snozzberry", "zh-CN/snozzberry", "zorblax-desk"):
        assert not (out / "acme" / gone).exists(), gone
    assert 'name="robots"' not in (out / "acme/index.html").read_text(encoding="utf-8")
    assert (out / "acme/robots.txt").read_text().startswith("User-agent: *\nAllow: /\n")
    # The build says where the public article links to an internal one, and nothing else: an
    # internal folder's _index.md is no "folder without articles" of the public site.
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert sorted(warnings) == [
        f"{REFUNDS}/request-a-refund.md:3: warning: related article is internal: "
        "'plonk-override.md'",
        f"{REFUNDS}/request-a-refund.md:{LINK_LINE}: warning: link to an internal article: "
        "'plonk-override.md'"]


def test_the_internal_build_has_every_article_badged_and_closed_to_crawlers(cli, internal_site):
    result = cli("build", internal_site, "--audience", "internal")
    assert result.exit_code == 0, result.output
    out = internal_site / "internal-site"            # not the public site's folder
    assert not (internal_site / "site").exists()
    for path in ("acme/billing/refunds/vexillary-override/index.html",
                 "acme/zh-CN/billing/refunds/vexillary-override/index.html",
                 "acme/zorblax-desk/escalate/quibbleton-escalation/index.html",
                 "acme/zh-CN/zorblax-desk/escalate/quibbleton-escalation/index.html",
                 "acme/billing/secret/drizzlepop/index.html", "acme/snozzberry/rota/index.html",
                 "beta/billing/refunds/blorptastic/index.html",
                 "acme/old/quibbleton-alias/index.html"):
        assert (out / path).is_file(), path
    assert not (out / "acme/billing/refunds/blorptastic").exists()     # another brand's
    for locale, badge in (("", "Internal"), ("zh-CN/", "内部"), ("zh-TW/", "內部")):
        page = BeautifulSoup((out / f"acme/{locale}billing/refunds/vexillary-override/"
                              "index.html").read_text(encoding="utf-8"), "html.parser")
        assert page.select_one(".article-header .internal-badge").get_text() == badge
        listing = BeautifulSoup((out / f"acme/{locale}billing/refunds/index.html")
                                .read_text(encoding="utf-8"), "html.parser")
        badged = [li.a.get_text() for li in listing.select(".article-list li")
                  if li.select_one(".internal-badge")]
        assert len(badged) == 1 and badged[0] in ("Vexillary refund override", "维克斯退款覆盖",
                                                  "維克斯退款覆蓋")
    public = BeautifulSoup((out / "acme/billing/refunds/policy/index.html")
                           .read_text(encoding="utf-8"), "html.parser")
    assert public.select(".internal-badge") == []
    # The link and the related article that the public site leaves out are there.
    request = BeautifulSoup((out / "acme/billing/refunds/request-a-refund/index.html")
                            .read_text(encoding="utf-8"), "html.parser")
    assert [a["href"] for a in request.select(".article-body a")] == ["../vexillary-override/"]
    assert "internal article" not in result.stderr
    for brand in ("acme", "beta"):
        assert (out / brand / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"
        assert not (out / brand / "sitemap.xml").exists()
        assert "X-Robots-Tag: noindex" in (out / brand / "_headers").read_text()
        pages = list((out / brand).rglob("*.html"))
        assert len(pages) > 20
        for page in pages:
            robots = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select(
                'meta[name="robots"]')
            assert [m["content"].split(",")[0] for m in robots] == ["noindex"], page
    # Its own search index has the internal articles.
    documents = [d[0] for d in load_locale(out / "acme", "en")[2]]
    assert "Vexillary refund override" in documents and "Quibbleton escalation" in documents
    public_out = built(cli, internal_site)
    assert "Vexillary refund override" not in [d[0] for d in load_locale(public_out / "acme",
                                                                          "en")[2]]


def test_a_public_build_after_an_internal_one_is_clean(cli, internal_site, settled):
    """Into the same folder, or another one: neither the no-op stamp nor the build cache may
    give the public site what the internal build made."""
    out = internal_site / "out"
    for _ in range(2):
        assert cli("build", internal_site, "-o", out, "--audience", "internal").exit_code == 0
        assert leaks(out)
        assert cli("build", internal_site, "-o", out).exit_code == 0
        assert leaks(out) == {}
        assert "noindex" not in (out / "acme/billing/refunds/policy/index.html").read_text(
            encoding="utf-8")
    assert cli("build", internal_site, "--audience", "internal").exit_code == 0
    assert cli("build", internal_site, "-o", out).exit_code == 0
    assert leaks(out) == {}
    assert leaks(internal_site / "internal-site")


def test_the_internal_site_does_not_go_to_the_public_folder(cli, internal_site):
    result = cli("build", internal_site, "--audience", "internal", "-o", internal_site / "site")
    assert result.exit_code == 1
    assert "the internal help center is not written to the public site's folder" in \
        result.stderr
    assert not (internal_site / "site").exists()


def checked(cli, site, *options) -> list[dict]:
    """`helpgen check --format json`, run in the site folder (paths are relative to it)."""
    result = cli("check", ".", "--format", "json", "--as-of", "2026-03-01", *options)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["problems"]


def test_check_reports_links_from_public_articles_to_internal_ones(cli, internal_site,
                                                                  monkeypatch):
    monkeypatch.chdir(internal_site)
    problems = [(p["path"], p["line"], p["code"], p["message"])
                for p in checked(cli, internal_site) if p["code"] == "internal-link"]
    assert problems == [
        (f"{REFUNDS}/request-a-refund.md", 3, "internal-link",
         "related article is internal: 'plonk-override.md'"),
        (f"{REFUNDS}/request-a-refund.md", LINK_LINE, "internal-link",
         "link to an internal article: 'plonk-override.md'")]
    assert not [p for p in checked(cli, internal_site, "--audience", "internal")
                if p["code"] == "internal-link"]
    write_site(internal_site, {"helpgen.yml": CONFIG + "check:\n  ignore: [internal-link]\n"})
    assert not [p for p in checked(cli, internal_site) if p["code"] == "internal-link"]


def test_check_reads_internal_articles_too(cli, internal_site, monkeypatch):
    """Their broken links are found, though the public site does not have them; with
    --audience public only the public site is checked."""
    monkeypatch.chdir(internal_site)
    write_site(internal_site, {f"{REFUNDS}/plonk-override.md": article(
        "Vexillary refund override", "See [the form](form.md).", audience="internal")})
    broken = [(p["path"], p["code"]) for p in checked(cli, internal_site)
              if "form.md" in p["message"]]
    assert broken == [(f"{REFUNDS}/plonk-override.md", "broken-link")]
    assert not [p for p in checked(cli, internal_site, "--audience", "public")
                if "form.md" in p["message"]]


@pytest.mark.parametrize("files, path, line, message", [
    ({f"{REFUNDS}/policy.md": article("Refund policy", audience="interal")},
     f"{REFUNDS}/policy.md", 3, "'audience' must be one of: public, internal (not 'interal')"),
    ({"articles/zorblax-desk/escalate/public.md": article("Open", audience="public")},
     "articles/zorblax-desk/escalate/public.md", 3,
     "'audience: public' cannot apply here: its folder is internal "
     "(articles/zorblax-desk/_category.yml)"),
    ({"articles/zorblax-desk/escalate/_section.yml": "audience: public\n"},
     "articles/zorblax-desk/escalate/_section.yml", 1, "'audience: public' cannot apply here"),
    ({f"{REFUNDS}/plonk-override.zh-TW.md": article("維克斯退款覆蓋", audience="public")},
     f"{REFUNDS}/plonk-override.zh-TW.md", 3,
     "'audience: public' cannot apply here: the article it translates is internal "
     "(plonk-override.md)"),
])
def test_an_audience_that_cannot_be_is_an_error(cli, internal_site, files, path, line, message):
    write_site(internal_site, files)
    result = cli("build", internal_site)
    assert result.exit_code == 1
    assert f"{path}:{line}: error: {message}" in result.stderr
    assert not (internal_site / "site").exists()
    if "interal" in message:
        assert "did you mean 'internal'?" in result.stderr


@pytest.mark.browser
def test_searching_finds_internal_articles_only_in_the_internal_site(browser, cli,
                                                                    internal_site):
    public = built(cli, internal_site)
    internal = internal_site / "internal-site"
    assert cli("build", internal_site, "--audience", "internal").exit_code == 0
    page = browser.new_page()
    try:
        for out, expected in ((internal, ["Vexillary refund override"]), (public, [])):
            server, url = serve_folder(out)
            try:
                page.goto(url + "acme/search/?q=plonkstable")
                page.wait_for_selector(".search-count")
                titles = page.locator(".search-results-list .result-title").all_inner_texts()
                assert titles == expected, out
            finally:
                server.shutdown()
    finally:
        page.close()


def test_the_live_preview_shows_the_agents_site(internal_site):
    """`helpgen serve --audience internal`."""
    server = LiveServer(internal_site, "127.0.0.1", 0, echo=lambda *args, **kwargs: None,
                        audience="internal").start()
    try:
        with urllib.request.urlopen(server.url + "acme/billing/refunds/vexillary-override/",
                                    timeout=30) as response:
            assert 'class="internal-badge"' in response.read().decode()
        with urllib.request.urlopen(server.url + "acme/robots.txt", timeout=30) as response:
            assert response.read() == b"User-agent: *\nDisallow: /\n"
    finally:
        server.stop()


def test_the_docs_theme_badges_internal_articles_in_its_sidebar(cli, internal_site):
    write_site(internal_site, {"helpgen.yml": CONFIG + "theme: {name: docs}\n"})
    assert cli("build", internal_site, "--audience", "internal").exit_code == 0
    page = BeautifulSoup((internal_site / "internal-site/acme/zh-TW/billing/refunds/"
                          "request-a-refund/index.html").read_text(encoding="utf-8"),
                         "html.parser")
    badged = [li.a.get_text() for li in page.select(".docs-sidebar .nav-section li")
              if li.select_one(".internal-badge")]
    assert badged == ["維克斯退款覆蓋"]
    assert page.select_one(".internal-badge").get_text() == "內部"


def test_a_new_site_keeps_the_agents_site_out_of_git(cli, tmp_path):
    """The starter's .gitignore lists both output folders: an internal site built on a writer's
    machine is not committed (and then published) by accident."""
    assert cli("new", tmp_path / "new").exit_code == 0
    ignored = (tmp_path / "new/.gitignore").read_text().split()
    assert "internal-site/" in ignored and "site/" in ignored
