"""Every URL helpgen generates, in every locale and brand, is reserved: an alias (or a slug, or a
folder) that would land on one fails the build at the article's file and the alias's line,
instead of silently replacing a search page, a contact page or a 404 page. Aliases are paths
from the site root; they are normalised as a browser requests them, and refused, with the
reason, when they cannot be a path inside the output folder."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import BASIC_CONFIG, article, write_site

POLICY = "articles/billing/refunds/policy.md"
REFUND_ZH = "articles/billing/refunds/request-a-refund.zh-CN.md"
CONTACT = "contact:\n  email: support@acme.example\n"
BRANDS = """\
brands:
  - {id: acme, name: {en: Acme Help, zh-CN: Acme 帮助}}
  - {id: bolt, name: Bolt Support, locales: [en]}
"""
FIRST_ALIAS_LINE = 5


def with_aliases(title: str, *aliases: str) -> str:
    """An article listing `aliases` one per line, the first on FIRST_ALIAS_LINE."""
    items = [f"  - {json.dumps(alias)}" for alias in aliases]
    return "\n".join(["---", f"title: {title}", "order: 2", "aliases:", *items, "---", "",
                      "Text.", ""])


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def errors_in(output: str) -> list[tuple[str, str, str]]:
    """(where, message, hint) of each error printed."""
    lines = output.splitlines()
    found = []
    for number, line in enumerate(lines):
        match = re.match(r"^(\S.*?): error: (.*)$", line)
        if match:
            hint = lines[number + 1] if number + 1 < len(lines) else ""
            found.append((match[1], match[2], hint))
    return found


@pytest.fixture(params=["site", "brand"])
def variant(request, site):
    """The bilingual site with a contact page, alone or as two brands (acme: en and zh-CN,
    bolt: en only); returns the site folder and the folder its zh-CN pages go to."""
    config = BASIC_CONFIG + CONTACT + (BRANDS if request.param == "brand" else "")
    write_site(site, {"helpgen.yml": config})
    return site, "acme/" if request.param == "brand" else ""


def failed_build(cli, site: Path, files: dict[str, str]) -> list[tuple[str, str, str]]:
    """Build the good site, write `files`, build again: exit 1, errors with hints, the first
    build's output untouched."""
    assert cli("build", site, "--quiet").exit_code == 0
    before = snapshot(site / "site")
    write_site(site, files)
    result = cli("build", site)
    output = result.stdout + result.stderr
    assert result.exit_code == 1, output
    assert "Traceback" not in output, output
    assert snapshot(site / "site") == before, "a failed build changed the output"
    errors = errors_in(result.stderr)
    assert errors, output
    assert all(hint.startswith("  hint: ") for _, _, hint in errors), output
    return errors


def the_error(errors, where: str, *words: str) -> tuple[str, str, str]:
    found = [e for e in errors if e[0] == where and all(w in e[1] for w in words)]
    assert len(found) == 1, (where, words, errors)
    return found[0]


# Generated pages of the non-default locale, and what any locale's root reserves.
TAKEN_IN_ZH = ["/zh-CN/search/", "/zh-CN/search", "/zh-CN/search/index.html",
               "/zh-CN/contact/", "/zh-CN/404.html", "/zh-CN/404.html/x/", "/zh-CN/",
               "/zh-CN/index.html", "/zh-CN/_theme/helpgen.css", "/zh-CN/_helpgen/x.js",
               "/zh-CN/billing/", "/zh-CN/billing/refunds/index.html",
               "/zh-CN/billing/refunds/request-a-refund/",
               "/zh-CN/billing/refunds/request-a-refund/index.html/x", "/zh-CN/feed.xml",
               "/zh-CN/opensearch.xml/x",
               "/zh-CN/billing/refunds/request-a-refund/index.md", "/zh-CN/llms.txt",
               "/zh-CN/llms-full.txt"]
TAKEN_AT_ROOT = ["/search/", "/contact/", "/embed/", "/404.html", "/sitemap.xml",
                 "/robots.txt", "/_redirects", "/_headers", "/widget.js", "/_theme/x.css",
                 "/_helpgen/search/en/x.json", "/assets/logo.svg", "/", "/index.html",
                 "/billing/refunds/request-a-refund/", "/sitemap.xml/x", "/feed.xml",
                 "/opensearch.xml", "/llms.txt", "/llms-full.txt",
                 "/billing/refunds/request-a-refund/index.md"]


@pytest.mark.parametrize("alias", TAKEN_IN_ZH + TAKEN_AT_ROOT)
def test_an_alias_cannot_replace_a_generated_page(cli, variant, alias):
    """Each alias onto a page or file helpgen makes is an error at its own line, whichever
    locale's page it is and whether the site is one brand of several."""
    site, _ = variant
    errors = failed_build(cli, site, {POLICY: with_aliases("Refund policy", "/fine/", alias)})
    where, message, hint = the_error(errors, f"{POLICY}:{FIRST_ALIAS_LINE + 1}",
                                     f"the alias '{alias}'", "already taken by")
    assert "remove this alias" in hint
    assert len(errors) == 1, errors


def test_the_silently_replaced_pages_stay_helpgens(cli, variant):
    """The zh-CN search, contact and 404 pages used to be overwritten by redirect pages."""
    site, _ = variant
    aliases = ("/zh-CN/search/", "/zh-CN/contact/", "/zh-CN/404.html")
    errors = failed_build(cli, site, {POLICY: with_aliases("Refund policy", *aliases)})
    for number, alias in enumerate(aliases):
        the_error(errors, f"{POLICY}:{FIRST_ALIAS_LINE + number}", f"'{alias}'",
                  "a page helpgen makes")


def test_a_translations_alias_is_checked_at_its_own_line(cli, variant):
    """A translation's aliases are its own: the error names the translation's file."""
    site, _ = variant
    errors = failed_build(cli, site, {
        REFUND_ZH: with_aliases("申请退款", "/旧/", "/zh-CN/contact/index.html")})
    the_error(errors, f"{REFUND_ZH}:{FIRST_ALIAS_LINE + 1}", "'/zh-CN/contact/index.html'",
              "already taken")


def test_an_alias_onto_a_locale_brand_lacks_is_free_in_that_brand(cli, site):
    """bolt is published in English only: nothing of its own is at /zh-CN/search/, so an
    article only bolt shows may keep that old URL there."""
    write_site(site, {"helpgen.yml": BASIC_CONFIG + CONTACT + BRANDS,
                      POLICY: with_aliases("Refund policy", "/zh-CN/search/").replace(
                          "order: 2", "order: 2\nbrands: [bolt]")})
    result = cli("build", site, "--quiet")
    assert result.exit_code == 0, result.output
    out = site / "site"
    assert "policy" in (out / "bolt/zh-CN/search/index.html").read_text()
    assert 'id="search-results"' in (out / "acme/zh-CN/search/index.html").read_text()


@pytest.mark.parametrize("alias, reason", [
    ("../outside/", "would leave the output folder"),
    ("/a/../../b/", "would leave the output folder"),
    ("/%2e%2e/%2e%2e/etc/", "would leave the output folder"),
    ("https://evil.example/x", "would leave the output folder"),
    ("javascript:alert(1)", "would leave the output folder"),
    ("/a\\b/", "has a backslash"),
    ("/tab\there/", "control character"),
    ("/nul%00/", "control character"),
    ("/bad-%ff/", "percent-escape"),
    ("/" + "长" * 80 + "/", "too long"),
])
def test_an_alias_that_is_not_a_path_inside_the_site_is_an_error(cli, variant, alias, reason):
    site, _ = variant
    errors = failed_build(cli, site, {POLICY: with_aliases("Refund policy", "/fine/", alias)})
    where, message, hint = the_error(errors, f"{POLICY}:{FIRST_ALIAS_LINE + 1}", reason)
    assert "\t" not in message and "\0" not in message
    assert "paths from the site root" in hint
    assert len(errors) == 1, errors


@pytest.mark.parametrize("alias, page", [
    ("/a//b", "a/b/index.html"),
    ("//old///page/", "old/page/index.html"),
    ("/./kb/./refund.html", "kb/refund.html"),
    ("/old?id=5#top", "old/index.html"),
    ("/hc/%E8%B4%A6%E5%8D%95", "hc/账单/index.html"),
    ("/zh-CN/旧页面", "zh-CN/旧页面/index.html"),
])
def test_aliases_are_normalised_as_browsers_request_them(cli, variant, alias, page):
    """`//`, `.`, a query or fragment and percent-escapes: the redirect page is where a host
    looks for that URL, and `_redirects` lists it once, encoded."""
    site, prefix = variant
    write_site(site, {POLICY: with_aliases("Refund policy", alias)})
    result = cli("build", site, "--quiet")
    assert result.exit_code == 0, result.output
    out = site / "site" / prefix
    assert "billing/refunds/policy/" in (out / page).read_text(encoding="utf-8")
    redirects = (out / "_redirects").read_text()
    assert redirects.count("/billing/refunds/policy/ 301") == 1, redirects


def test_the_same_old_url_written_twice_is_one_redirect(cli, site):
    write_site(site, {POLICY: with_aliases("Refund policy", "/old", "/old/", "/old/index.html")})
    result = cli("build", site, "--quiet")
    assert result.exit_code == 0, result.output
    assert (site / "site/_redirects").read_text().count("/old/ ") == 1


def test_an_alias_cannot_need_a_folder_where_another_is_a_file(cli, site):
    """`/old.html` is a file; `/old.html/x/` would need a folder of the same name."""
    errors = failed_build(cli, site, {
        POLICY: with_aliases("Refund policy", "/old.html", "/OLD.html/x/")})
    the_error(errors, f"{POLICY}:{FIRST_ALIAS_LINE + 1}", "'/OLD.html/x/'", "already taken by",
              POLICY)


def test_a_slug_too_long_for_a_file_name_is_an_error(cli, variant):
    site, _ = variant
    errors = failed_build(cli, site, {POLICY: article("Refund policy", slug="a" * 240)})
    the_error(errors, f"{POLICY}:3", "cannot be used in a URL")


@pytest.mark.parametrize("folder", ["search", "_theme", "zh-CN", "contact"])
def test_a_category_named_like_a_generated_page_is_one_error(cli, variant, folder):
    """Reserved in every locale, reported once for the folder."""
    site, _ = variant
    errors = failed_build(cli, site, {f"articles/{folder}/a.md": article("A")})
    assert [e[0] for e in errors] == [f"articles/{folder}"], errors
    assert "reserved" in errors[0][2]


@pytest.mark.parametrize("others", ["[en, zh-CN]", "[zh-CN, zh-CN]"])
def test_a_locale_listed_twice_is_one_error_in_helpgen_yml(cli, site, others):
    """Its pages are not claimed twice: no clash of a page with itself is reported."""
    config = BASIC_CONFIG.replace("others: [zh-CN]", f"others: {others}")
    errors = failed_build(cli, site, {"helpgen.yml": config})
    assert [(where, message) for where, message, _ in errors] == [
        ("helpgen.yml:6", "a locale is listed twice")], errors
