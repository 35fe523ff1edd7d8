"""`helpgen import mkdocs` keeps every old URL, heading anchor and link of the MkDocs site.

Each project here is a minimal reproduction of what broke on real sites (issue 19): it is built
with the real `mkdocs build`, imported and built with helpgen, and benchmarks/mkdocs_fidelity.py
walks the two sites as a browser would (see there).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, built, write_site

sys.path.insert(0, str(ROOT / "benchmarks"))
from mkdocs_fidelity import compare, measure          # noqa: E402

pytest.importorskip("material")

# A Material site with mkdocs-static-i18n and Chinese translations (the sing-box layout).
MATERIAL_ZH = {
    "mkdocs.yml": """\
        site_name: Proxy Docs
        site_url: https://docs.example.org/
        theme: {name: material}
        markdown_extensions:
          - toc: {permalink: true}
          - admonition
          - attr_list
        plugins:
          - search
          - i18n:
              docs_structure: suffix
              languages:
                - {locale: en, default: true, name: English}
                - {locale: zh, name: 简体中文}
        nav:
          - Home: index.md
          - Configuration:
              - Route: configuration/route/index.md
              - CCM: configuration/route/ccm.md
              - Rule action: configuration/rule_action.md
              - DNS:
                  - DNS server:
                      - FakeIP: configuration/dns/server/fakeip.md
                  - FakeIP: configuration/dns/fakeip.md
          - Migration: migration.md
          - Docker:
              - DHCP: docker/DHCP.md
        """,
    "docs/index.md": "# Home\n\nWelcome. See [the route](configuration/route/index.md).\n",
    "docs/index.zh.md": "# 首页\n\n欢迎。见[路由](configuration/route/index.md)。\n",
    "docs/configuration/route/index.md": """\
        # Route

        ## Enable / Disable

        See [CCM](./ccm), the [route action](../rule_action#route) and
        [sniffing](/configuration/rule_action/#sniff).

        ## Route

        The same words as the page's title.
        """,
    "docs/configuration/route/index.zh.md": """\
        # 路由

        ## 启用 / 禁用

        见 [CCM](./ccm)、[路由动作](../rule_action#route)，以及英文的
        [迁移说明](/migration/#migrate-geoip-to-rule-sets)。

        ## 迁移 GeoIP 到规则集

        ## 路由

        ## 规则
        """,
    "docs/configuration/route/ccm.md": "# CCM\n\n## Fields\n\nBack to [route](../).\n",
    "docs/configuration/route/ccm.zh.md": "# CCM\n\n## 字段\n\n回到[路由](../)。\n",
    "docs/configuration/rule_action.md": "# Rule action\n\n## Route\n\n## Sniff\n",
    "docs/configuration/rule_action.zh.md": "# 规则动作\n\n## 路由\n\n## 嗅探\n",
    # Flattened into one section, both want the name `fakeip`: /configuration/dns/fakeip/
    # must keep showing dns/fakeip.md.
    "docs/configuration/dns/server/fakeip.md": "# FakeIP server\n\n## Server fields\n\nA "
                                               "DNS server that answers with fake addresses.\n",
    "docs/configuration/dns/fakeip.md": "# FakeIP\n\n## Range\n\nThe addresses FakeIP "
                                        "gives out, for IPv4 and IPv6.\n",
    "docs/migration.md": """\
        # Migration

        ## Migrate GeoIP to rule sets

        ## 1.8.0 — what's new?
        """,
    "docs/migration.zh.md": "# 迁移\n\n## 迁移 GeoIP 到规则集\n\n## 1.8.0 有什么新变化？\n",
    # English only: mkdocs-static-i18n shows it under /zh/ too (fallback_to_default).
    "docs/docker/DHCP.md": "# DHCP\n\n## Options\n\nSee the [CCM](/configuration/route/ccm/).\n",
}

# A plain readthedocs-theme site without nav, with .html URLs, footnotes and accents.
READTHEDOCS = {
    "mkdocs.yml": """\
        site_name: Plain Docs
        theme: {name: readthedocs}
        use_directory_urls: false
        markdown_extensions: [attr_list, footnotes]
        """,
    "docs/index.md": "# Plain Docs\n\nStart with [setup](guide/setup.html#before-you-begin).\n",
    "docs/guide/setup.md": """\
        # Setup

        ## Before you begin

        Read the [FAQ](../faq.md#can-i-use-it-offline) first.[^1]

        ## Café & Crème: configuring it

        ## Before you begin

        ### Step 1 {#first-step}

        [^1]: A footnote.
        """,
    "docs/faq.md": """\
        # FAQ

        ## Can I use it offline?

        Yes: see [setup](guide/setup.html#cafe-creme-configuring-it) and
        [step one](guide/setup.html#first-step).
        """,
}


def project(tmp_path: Path, files: dict[str, str]) -> Path:
    return write_site(tmp_path / "project", files) / "mkdocs.yml"


def assert_everything_kept(result) -> None:
    assert result.urls and result.anchors and result.links
    assert not (result.lost_urls or result.lost_anchors or result.lost_ids or
                result.lost_links), \
        result.summary() + "\n" + result.misses()


def test_material_site_with_chinese_translations_keeps_urls_anchors_and_links(tmp_path):
    """Chinese headings keep MkDocs' ids (`_1`, `geoip`), punctuation keeps its single dash
    (`enable-disable`), URL-style links (`./ccm`, `../rule_action#route`, `/configuration/…`)
    lead to the articles, a link from Chinese to an English page stays English, the English-only
    page stays at /zh/…, and /docker/DHCP/ keeps its capitals."""
    result = measure(project(tmp_path, MATERIAL_ZH), tmp_path / "work")
    assert_everything_kept(result)
    assert result.anchors >= 15 and result.links >= 8
    dest = tmp_path / "work/import"
    settings = yaml.safe_load((dest / "helpgen.yml").read_text(encoding="utf-8"))
    assert settings["markdown"] == {"heading_ids": "mkdocs"}
    assert settings["locales"]["untranslated"] == "show_default"
    report = (dest / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    assert "missing image or file" not in report and "Links to a missing" not in report
    assert "fallback_to_default" in report and "heading_ids" in report


def test_plain_readthedocs_site_keeps_urls_anchors_and_links(tmp_path):
    """.html URLs, accents dropped from ids (`cafe-creme-…`), a repeated heading (`_1`), an
    explicit `{#id}` and footnotes."""
    result = measure(project(tmp_path, READTHEDOCS), tmp_path / "work")
    assert_everything_kept(result)
    assert result.anchors >= 5


def test_the_comparison_sees_a_lost_url_anchor_and_link(tmp_path):
    """The harness itself: a page, an anchor and a link that the helpgen site lost are found."""
    work = tmp_path / "work"
    measure(project(tmp_path, MATERIAL_ZH), work)
    new = work / "helpgen-site"
    (new / "migration/index.html").unlink()                       # an old URL gone
    page = new / "configuration/rule-action/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace('id="sniff"', 'id="sniffing"'),
                    encoding="utf-8")                              # an anchor changed
    result = compare(work / "mkdocs-site", new, ("", "zh/"))
    assert "/migration/" in result.lost_urls
    assert any(item.startswith("/configuration/rule_action/#sniff ") for item in
               result.lost_anchors)
    assert any("/configuration/rule_action/#sniff" in item for item in result.lost_links)
    # An old URL that now shows another page is lost too.
    ccm = new / "configuration/ccm/index.html"
    ccm.write_text(ccm.read_text(encoding="utf-8").replace(
        "Back to", "Nothing like the old page: a page about something else, forward to"),
        "utf-8")
    assert "/configuration/route/ccm/ (leads to /configuration/ccm/, another page)" in \
        compare(work / "mkdocs-site", new, ("", "zh/")).lost_urls


# --- markdown.heading_ids, as helpgen's own commands see it ------------------------------------


def heading_site(root: Path, heading_ids: str | None) -> Path:
    setting = f"markdown:\n  heading_ids: {heading_ids}\n" if heading_ids else ""
    return write_site(root, {
        "helpgen.yml": "site:\n  title: Docs\n" + setting,
        "articles/guide/migration.md": "---\ntitle: Migration\n---\n\n# 迁移\n\n"
                                       "## 迁移 GeoIP 到规则集\n\n## 迁移\n\n## Enable / Disable\n",
        "articles/guide/links.md": "---\ntitle: Links\n---\n\n[a](migration.md#geoip) "
                                   "[b](migration.md#_2) [c](migration.md#enable-disable) "
                                   "[d](migration.md#_1)\n",
    })


def test_heading_ids_mkdocs_gives_headings_mkdocs_ids_and_check_agrees(cli, tmp_path):
    site = heading_site(tmp_path / "site", "mkdocs")
    result = cli("check", site, "--strict")
    assert result.exit_code == 0, result.output
    html = (built(cli, site, "--strict") / "guide/migration/index.html").read_text("utf-8")
    # The leading `# 迁移`, replaced by the title, keeps its id `_1` where it was.
    assert '<span id="_1"></span>' in html
    for anchor in ('id="geoip"', 'id="_2"', 'id="enable-disable"'):
        assert anchor in html
    assert 'href="#geoip"' in html                  # the table of contents uses them too


def test_heading_ids_default_is_unchanged_and_check_reports_old_ids(cli, tmp_path):
    site = heading_site(tmp_path / "site", None)
    html = (built(cli, site) / "guide/migration/index.html").read_text("utf-8")
    assert 'id="迁移-geoip-到规则集"' in html and 'id="enable--disable"' in html
    assert 'id="_1"' not in html
    result = cli("check", site, "--format", "json")
    codes = [p["code"] for p in yaml.safe_load(result.stdout)["problems"]]
    assert codes.count("broken-anchor") == 4


def test_heading_ids_must_be_a_known_value(cli, tmp_path):
    site = heading_site(tmp_path / "site", "material")
    result = cli("build", site)
    assert result.exit_code == 1
    assert "helpgen.yml:4: error: markdown.heading_ids must be helpgen or mkdocs, not " \
        "'material'" in result.output
    assert "mkdocs" in result.output
