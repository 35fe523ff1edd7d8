"""`helpgen import mkdocs` and `helpgen import zendesk`: import, build with --strict, check."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from conftest import (built, link_targets, nearest_readable, parse_html, theme_backgrounds,
                      write_site)
from helpgen.importers.mkdocs import material_colors

FIXTURES = Path(__file__).parent / "fixtures"
ZENDESK_EXPORT = FIXTURES / "zendesk" / "export.json"
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9Q"
                       "DwADhgGAWjR9awAAAABJRU5ErkJggg==")
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8">'
       '<rect width="8" height="8"/></svg>')

BASE_YML = """\
theme:
  name: material
  language: en
  logo: assets/logo.svg
  favicon: assets/favicon.png
  palette:
    - scheme: default
      primary: indigo
      accent: pink
    - scheme: slate
      primary: indigo
  features: [navigation.tabs, content.code.copy]
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
  - toc:
      permalink: true
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
  - pymdownx.arithmatex:
      generic: true
plugins:
  - search
  - i18n:
      docs_structure: suffix
      languages:
        - locale: en
          default: true
          name: English
        - locale: zh
          name: 中文
          site_name: Acme 文档
          nav_translations:
            Getting started: 入门
            User guide: 用户指南
            Basics: 基础
  - macros
"""

MKDOCS_YML = """\
INHERIT: base.yml
site_name: !ENV [ACME_DOCS_NAME, "Acme Docs"]
site_url: https://docs.acme.example/
site_description: Everything about Acme.
copyright: Copyright 2026 Acme
nav:
  - Home: index.md
  - Getting started:
      - getting-started/install.md
      - Quick start: getting-started/quick-start.md
  - User guide:
      - Basics:
          - guide/basics/editing.md
          - Sharing documents: guide/basics/sharing.md
      - Advanced:
          - guide/advanced/automation.md
          - API:
              - API tokens: guide/advanced/api/tokens.md
      - Changelog: https://github.com/acme/acme/releases
  - FAQ: reference/faq.md
"""

PAGES = {
    "docs/index.md": """\
        # Welcome to Acme

        Start with [installing Acme](getting-started/install.md#requirements) or read the
        [FAQ](reference/faq.md).

        ![The dashboard](images/dashboard.png)
        """,
    "docs/index.zh.md": """\
        # 欢迎使用 Acme

        先[安装 Acme](getting-started/install.md)。
        """,
    "docs/getting-started/install.md": """\
        ---
        description: Install Acme on your computer.
        tags: [setup]
        hide: [toc]
        ---

        # Install Acme

        ## Requirements

        You need Python 3.10.

        !!! note
            Admin rights are required.

        === "macOS"

            Run `brew install acme`.

        === "Windows"

            Run the installer.

        Next: [the quick start](quick-start.md). See the [dashboard](../images/dashboard.png).

        ```markdown
        A code example with a [link](not-rewritten.md).
        ```
        """,
    "docs/getting-started/install.zh.md": """\
        # 安装 Acme

        ## 要求

        下一步：[快速入门](quick-start.md)。
        """,
    "docs/getting-started/quick-start.md": """\
        # Quick start

        Back to [install](install.md#requirements). Sharing is in
        [the guide](../guide/basics/sharing.md).
        """,
    "docs/guide/basics/editing.md": """\
        # Editing documents

        Inline math $a^2$ and an [API token](../advanced/api/tokens.md).
        """,
    "docs/guide/basics/sharing.md": """\
        # Share a document

        <img src="../../images/dashboard.png" alt="Dashboard" width="300">

        This site is {{ config.site_name }}.
        """,
    "docs/guide/advanced/automation.md": """\
        Automation without a heading. See [editing](../basics/editing.md).
        """,
    "docs/guide/advanced/api/tokens.md": """\
        # API tokens

        Create one in settings; see the [install page](../../../../getting-started/install/).
        """,
    "docs/reference/faq.md": """\
        # Frequently asked questions

        Go [home](../index.md).
        """,
    "docs/orphan.md": """\
        # Release notes

        Not in the nav.
        """,
}


def make_mkdocs_project(root: Path) -> Path:
    write_site(root, {"base.yml": BASE_YML, "mkdocs.yml": MKDOCS_YML, **PAGES,
                      "docs/assets/logo.svg": SVG})
    (root / "docs/assets/favicon.png").write_bytes(PNG)
    (root / "docs/images").mkdir(parents=True, exist_ok=True)
    (root / "docs/images/dashboard.png").write_bytes(PNG)
    return root / "mkdocs.yml"


@pytest.fixture
def mkdocs_project(tmp_path, monkeypatch):
    monkeypatch.delenv("ACME_DOCS_NAME", raising=False)
    return make_mkdocs_project(tmp_path / "acme-docs")


def page(out: Path, url: str) -> str:
    return (out / url / "index.html").read_text(encoding="utf-8")


def redirects(out: Path) -> dict[str, str]:
    lines = (out / "_redirects").read_text(encoding="utf-8").splitlines()
    return {unquote(line.split()[0]): unquote(line.split()[1]) for line in lines}


def assert_old_url_works(out: Path, old: str, new: str) -> None:
    """`old` (a site-root path) redirects to `new`: a redirect page and a _redirects line."""
    old = "/" + old.strip("/") + "/"
    assert (out / old.strip("/") / "index.html").is_file(), old
    assert redirects(out).get(old) == new, (old, redirects(out).get(old))
    html = (out / old.strip("/") / "index.html").read_text(encoding="utf-8")
    assert "refresh" in html.lower()


def hrefs(html: str) -> list[str]:
    return link_targets(parse_html(html))


# --- MkDocs -----------------------------------------------------------------------------------


def test_mkdocs_import_builds_and_keeps_every_page_title_translation_and_url(
        cli, mkdocs_project, tmp_path):
    dest = tmp_path / "help"
    result = cli("import", "mkdocs", mkdocs_project, dest)
    assert result.exit_code == 0, result.output
    assert "not carried" in result.output and "IMPORT-REPORT.md" in result.output
    out = built(cli, dest, "--strict")

    # Settings carried into helpgen.yml, and nothing else.
    settings = yaml.safe_load((dest / "helpgen.yml").read_text(encoding="utf-8"))
    assert settings == {
        "site": {"title": {"en": "Acme Docs", "zh-CN": "Acme 文档"},
                 "url": "https://docs.acme.example/", "description": "Everything about Acme."},
        "brand": {"logo": "assets/logo.svg", "favicon": "assets/favicon.png",
                  "primary_color": "#4051b5", "accent_color": "#f50056",
                  "footer_text": "Copyright 2026 Acme"},
        "locales": {"default": "en", "others": ["zh-CN"], "untranslated": "show_default"},
        "markdown": {"heading_ids": "mkdocs"},
    }
    assert (dest / "assets/logo.svg").read_text() == SVG
    assert (out / "assets/favicon.png").read_bytes() == PNG

    # Every page, at its new place, with the title its heading (or the nav, or its file name)
    # gave: the heading is what MkDocs showed on the page.
    expected = {
        "overview/home/": "Welcome to Acme",
        "overview/faq/": "Frequently asked questions",
        "getting-started/install/": "Install Acme",
        "getting-started/quick-start/": "Quick start",
        "user-guide/basics/editing/": "Editing documents",
        "user-guide/basics/sharing/": "Share a document",
        "user-guide/advanced/automation/": "Automation",
        "user-guide/advanced/tokens/": "API tokens",       # third nav level, flattened
        "more/orphan/": "Release notes",                    # not in the nav
    }
    for url, title in expected.items():
        assert f"<title>{title} – Acme Docs</title>" in page(out, url), url
    assert len(list((dest / "articles").rglob("*.md"))) == len(expected) + 2
    # Category and section pages, with titles translated by nav_translations.
    assert "User guide" in page(out, "user-guide/")
    assert "<title>Advanced" in page(out, "user-guide/advanced/")
    assert "入门" in page(out, "zh-CN/getting-started/")
    assert yaml.safe_load((dest / "articles/user-guide/_category.yml").read_text("utf-8")) == {
        "title": {"en": "User guide", "zh-CN": "用户指南"}, "order": 3}

    # Translations: under /zh-CN/, with their own titles.
    assert "安装 Acme" in page(out, "zh-CN/getting-started/install/")
    assert "欢迎使用 Acme" in page(out, "zh-CN/overview/home/")
    assert (dest / "articles/getting-started/install.zh-CN.md").is_file()

    # Every old MkDocs URL (use_directory_urls) still leads to its page.
    old_urls = {
        "guide/basics/editing/": "/user-guide/basics/editing/",
        "guide/basics/sharing/": "/user-guide/basics/sharing/",
        "guide/advanced/automation/": "/user-guide/advanced/automation/",
        "guide/advanced/api/tokens/": "/user-guide/advanced/tokens/",
        "reference/faq/": "/overview/faq/",
        "orphan/": "/more/orphan/",
        "zh/": "/zh-CN/overview/home/",
        "zh/getting-started/install/": "/zh-CN/getting-started/install/",
    }
    for old, new in old_urls.items():
        assert_old_url_works(out, old, new)
    # Pages whose URL did not change need no redirect: they are still there.
    for same in ("getting-started/install/", "getting-started/quick-start/"):
        assert "article-body" in page(out, same) or "<article" in page(out, same)

    # Links between pages were moved with the pages, anchors kept; images copied.
    home = page(out, "overview/home/")
    assert "../../getting-started/install/#requirements" in hrefs(home)
    assert "../faq/" in hrefs(home)
    images = [src for src in hrefs(home) if src.endswith(".png")]
    assert images and all((out / "overview/home" / src).resolve().is_file() for src in images)
    assert "../../../getting-started/install/" in hrefs(page(out, "user-guide/advanced/tokens/"))
    assert "../../../guide/basics/sharing/" not in hrefs(page(out, "getting-started/quick-start/"))
    assert "../../user-guide/basics/sharing/" in hrefs(page(out, "getting-started/quick-start/"))
    sharing = page(out, "user-guide/basics/sharing/")
    raw_img = re.search(r'<img src="([^"]+)" alt="Dashboard"', sharing).group(1)
    assert (out / "user-guide/basics/sharing" / raw_img).resolve().is_file()
    install = page(out, "getting-started/install/")
    assert 'class="admonition note"' in install and "tabbed-set" in install
    assert "not-rewritten.md" in install                # code blocks are left alone
    zh_install = page(out, "zh-CN/getting-started/install/")
    # No zh-CN version: shown in English under /zh-CN/, as mkdocs-static-i18n's fallback did.
    assert "../quick-start/" in hrefs(zh_install)
    assert "Quick start" in page(out, "zh-CN/getting-started/quick-start/")
    # Front matter carried: description and tags; MkDocs-only keys left out.
    install_md = (dest / "articles/getting-started/install.md").read_text(encoding="utf-8")
    assert "description: Install Acme on your computer." in install_md
    assert "hide:" not in install_md and "- setup" in install_md

    report = (dest / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    for expected_text in ("macros: Jinja macros", "pymdownx.arithmatex", "Changelog",
                          "guide/basics/sharing.md", "orphan.md", "several color schemes",
                          "theme.features", "hide (getting-started/install.md)",
                          "'User guide › Advanced › API' was flattened"):
        assert expected_text in report, expected_text
    for carried in ("- search", "- i18n", "- admonition", "pymdownx.tabbed:"):
        assert carried not in report


def test_mkdocs_env_tag_sets_the_site_name(cli, mkdocs_project, tmp_path, monkeypatch):
    monkeypatch.setenv("ACME_DOCS_NAME", "Acme Knowledge Base")
    result = cli("import", "mkdocs", mkdocs_project, tmp_path / "help")
    assert result.exit_code == 0, result.output
    settings = yaml.safe_load((tmp_path / "help/helpgen.yml").read_text(encoding="utf-8"))
    assert settings["site"]["title"]["en"] == "Acme Knowledge Base"


def test_mkdocs_without_nav_maps_the_folder_tree(cli, tmp_path):
    project = write_site(tmp_path / "proj", {
        "mkdocs.yml": """\
            site_name: Plain
            site_url: https://example.com/docs/
            use_directory_urls: false
            plugins:
              - search
              - redirects:
                  redirect_maps:
                    old/about-us.md: about.md
                    elsewhere.md: https://example.com/
            """,
        "docs/index.md": "Welcome, no heading. See [setup](setup/install.md).\n",
        "docs/about.md": "# About us\n",
        "docs/setup/index.md": "# Setting up\n",
        "docs/setup/install.md": "# Install\n\n[Back](../index.md)\n",
        "docs/setup/linux/apt.md": "# With apt\n",
        "docs/setup/linux/more/deep.md": "# Deep page\n\n[apt](../apt.md)\n",
        "docs/advanced_topics/tuning.md": "Tuning text.\n",
        "docs/notes.txt": "not linked\n",
    })
    dest = tmp_path / "help"
    result = cli("import", "mkdocs", project, dest)           # a folder: finds mkdocs.yml
    assert result.exit_code == 0, result.output
    out = built(cli, dest, "--strict")
    files = sorted(p.relative_to(dest / "articles").as_posix()
                   for p in (dest / "articles").rglob("*.md"))
    assert files == ["advanced-topics/tuning.md", "overview/about.md", "overview/home.md",
                     "setup/_index.md", "setup/install.md", "setup/linux/apt.md",
                     "setup/linux/deep.md"]      # setup/index.md: the Setup page's own text
    assert yaml.safe_load((dest / "articles/setup/linux/_section.yml").read_text())["title"] \
        == "Linux"
    assert yaml.safe_load((dest / "articles/advanced-topics/_category.yml").read_text())[
        "title"] == "Advanced topics"
    assert "Tuning" in page(out, "advanced-topics/tuning/")
    assert "About us" in page(out, "overview/about/")
    # use_directory_urls: false → old URLs end in .html; site_url's path is kept.
    assert redirects(out)["/docs/setup/linux/more/deep.html"] == "/docs/setup/linux/deep/"
    assert redirects(out)["/docs/old/about-us.html"] == "/docs/overview/about/"   # mkdocs-redirects
    assert (out / "about.html").is_file()
    assert "../apt/" in hrefs(page(out, "setup/linux/deep/"))
    report = (dest / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    assert "notes.txt" in report and "elsewhere.md → https://example.com/" in report


def test_mkdocs_i18n_folder_structure(cli, tmp_path):
    project = write_site(tmp_path / "proj", {
        "mkdocs.yml": """\
            site_name: Folder Docs
            theme: {name: material, palette: {primary: deep purple}}
            plugins:
              - i18n:
                  docs_structure: folder
                  languages:
                    - {locale: en, default: true, name: English}
                    - {locale: zh_TW, name: 繁體中文}
            """,
        "docs/en/index.md": "# Home\n\n[Guide](guide/intro.md) ![logo](img/a.svg)\n",
        "docs/en/img/a.svg": SVG,
        "docs/en/guide/intro.md": "# Intro\n",
        "docs/zh_TW/index.md": "# 首頁\n\n[指南](guide/intro.md) ![logo](../en/img/a.svg)\n",
        "docs/zh_TW/guide/intro.md": "# 介紹\n",
    })
    dest = tmp_path / "help"
    assert cli("import", "mkdocs", project / "mkdocs.yml", dest).exit_code == 0
    out = built(cli, dest, "--strict")
    settings = yaml.safe_load((dest / "helpgen.yml").read_text(encoding="utf-8"))
    assert settings["locales"] == {"default": "en", "others": ["zh-TW"]}
    # Material's palette CSS: [data-md-color-primary=deep-purple]{--md-primary-fg-color:#7e56c2
    assert settings["brand"]["primary_color"] == "#7e56c2"
    assert "介紹" in page(out, "zh-TW/guide/intro/")
    assert redirects(out)["/zh_TW/guide/intro/"] == "/zh-TW/guide/intro/"


def test_mkdocs_missing_image_is_reported_and_build_warns(cli, tmp_path):
    project = write_site(tmp_path / "proj", {
        "mkdocs.yml": "site_name: Docs\n",
        "docs/index.md": "# Home\n\n![gone](img/missing.png) [gone](nowhere.md)\n",
    })
    dest = tmp_path / "help"
    assert cli("import", "mkdocs", project / "mkdocs.yml", dest).exit_code == 0
    report = (dest / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    assert "index.md: img/missing.png" in report and "index.md: nowhere.md" in report
    result = cli("build", dest, "--quiet")            # builds; the broken image is a warning
    assert result.exit_code == 0 and "missing.png" in result.output


def test_material_palette_colors_come_from_the_installed_theme():
    colors = material_colors("primary")
    assert colors["indigo"] == "#4051b5"
    assert colors["teal"] == "#009485"
    assert {"deep-purple", "blue-grey", "black"} <= set(colors)
    assert all(re.fullmatch(r"#[0-9a-f]{6}", value) for value in colors.values())


def test_material_accent_colors_come_from_the_installed_theme():
    colors = material_colors("accent")
    assert colors["pink"] == "#f50056" and colors["amber"] == "#ffaa00"
    assert "white" not in colors and len(colors) == 16


MATERIAL_LOOK_YML = """\
    site_name: Look Docs
    repo_url: https://github.com/acme/look
    copyright: >
      Copyright &copy; 2026 <a href="https://acme.example/">Acme Inc.</a> –
      <b>All rights reserved</b>.<br><a href="/license/">License</a>
      <a href="https://creativecommons.org/licenses/by/4.0/"><img src="cc.svg" alt=""></a>
    extra:
      analytics: {provider: google, property: G-XXXX}
      social:
        - {icon: fontawesome/brands/github, link: "https://github.com/acme"}
        - {icon: fontawesome/brands/mastodon, link: "https://fosstodon.org/@acme",
           name: Acme on Mastodon}
        - {icon: fontawesome/solid/rss, link: /feed.xml}
        - {icon: fontawesome/solid/paper-plane, link: "mailto:help@acme.example"}
        - {icon: fontawesome/solid/globe, link: "https://acme.example/"}
    extra_css:
      - stylesheets/extra.css
      - stylesheets/fonts.css
      - https://cdn.example.com/theme.css
    theme:
      name: material
      custom_dir: overrides
      font: {text: Inter, code: Source Code Pro}
      palette:
        - media: "(prefers-color-scheme)"
          toggle: {icon: material/brightness-auto, name: Follow the system}
        - scheme: default
          primary: custom
          accent: deep orange
        - scheme: slate
          primary: custom
          accent: lime
    """


def test_mkdocs_material_look_becomes_brand_settings(cli, tmp_path):
    project = write_site(tmp_path / "proj", {
        "mkdocs.yml": MATERIAL_LOOK_YML,
        "docs/index.md": "# Home\n",
        "docs/stylesheets/extra.css": """\
            :root { --md-primary-fg-color: #0E7490; --md-primary-fg-color--light: #22d3ee; }
            [data-md-color-scheme="slate"] { --md-primary-fg-color: #ffffff; }
            .md-header { box-shadow: none; }
            """,
        "docs/stylesheets/fonts.css": """\
            @font-face { font-family: Brand; src: url("../fonts/brand.woff2") format("woff2"),
                         url(missing.woff) format("woff"); }
            body { background: url(data:image/png;base64,AAAA); }
            """,
        "docs/fonts/brand.woff2": "not really a font",
        "overrides/main.html": """\
            {% extends "base.html" %}
            {% block announce %}
              Sync is paused on <b>May 3</b>. <a href="https://status.acme.example/">Status</a>
            {% endblock %}
            """,
        "overrides/partials/footer.html": "<footer></footer>\n",
    })
    dest = tmp_path / "help"
    result = cli("import", "mkdocs", project, dest)
    assert result.exit_code == 0, result.output
    out = built(cli, dest, "--strict")

    brand = yaml.safe_load((dest / "helpgen.yml").read_text(encoding="utf-8"))["brand"]
    assert brand == {
        # primary: custom → the --md-primary-fg-color of extra_css's light scheme
        "primary_color": "#0e7490",
        "accent_color": "#ff6e42",       # Material's deep-orange --md-accent-fg-color
        "fonts": {"body": "Inter, system-ui, sans-serif",
                  "code": "Source Code Pro, ui-monospace, monospace"},
        "header_links": [{"title": "GitHub", "url": "https://github.com/acme/look"}],
        "footer_links": [{"title": "Acme Inc.", "url": "https://acme.example/"},
                         {"title": "GitHub", "url": "https://github.com/acme"},
                         {"title": "Acme on Mastodon", "url": "https://fosstodon.org/@acme"},
                         {"title": "help@acme.example", "url": "mailto:help@acme.example"}],
        "footer_text": "Copyright © 2026 Acme Inc. – All rights reserved. License",
        "banner": {"text": "Sync is paused on May 3. Status",
                   "url": "https://status.acme.example/"},
        "custom_css": "assets/extra.css",
    }
    # The stylesheets joined in order, their url()s pointing at the copied files.
    css = (out / "assets/extra.css").read_text(encoding="utf-8")
    assert css.index("stylesheets/extra.css") < css.index("stylesheets/fonts.css")
    assert 'url("fonts/brand.woff2")' in css and "url(data:image/png;base64,AAAA)" in css
    assert (out / "assets/fonts/brand.woff2").read_text() == "not really a font"
    home = page(out, "overview/home/")
    assert 'href="../../assets/extra.css"' in home
    assert 'href="https://fosstodon.org/@acme">Acme on Mastodon</a>' in home
    assert 'href="https://github.com/acme/look">GitHub</a>' in home
    assert "Copyright © 2026 Acme Inc. – All rights reserved. License" in home
    assert "--hg-font-body: Inter, system-ui, sans-serif;" in home
    assert "Sync is paused on May 3. Status" in home

    report = (dest / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    for expected_text in (
            "https://cdn.example.com/theme.css (at another site",
            "stylesheets/fonts.css: missing.woff",
            "Material's CSS variables (--md-primary-fg-color, --md-primary-fg-color--light)",
            "Material's classes (.md-header)",
            "brand.primary_color is the --md-primary-fg-color that extra_css sets (#0e7490)",
            "fontawesome/solid/rss: /feed.xml (not a full address",
            "copyright: the link 'License' → /license/",
            "copyright: HTML formatting (<b>, <img>)",
            "copyright: the link https://creativecommons.org/licenses/by/4.0/ (it has no text "
            "to show as a footer link)",
            "The links in copyright became brand.footer_links (Acme Inc.)",
            "Material loaded Inter and Source Code Pro from Google Fonts",
            "list them under brand.fonts.files",
            "- overrides/main.html", "- overrides/partials/footer.html",
            "helpgen's theme blocks (README, \"Themes\")",
            "helpgen has its own light/dark toggle", "- extra.analytics",
            "The announcement bar ({% block announce %} in overrides/main.html) became "
            "brand.banner, as plain text with its first link.",
            "The 2 extra_css stylesheets were joined, in order, into assets/extra.css"):
        assert expected_text in report, expected_text
    for carried in ("- theme.font\n", "- theme.palette\n", "- copyright\n", "- extra_css\n",
                    "- repo_url\n", "- extra\n", "other file(s)"):
        assert carried not in report, carried


def test_mkdocs_material_look_without_fonts_or_readable_colors(cli, tmp_path):
    project = write_site(tmp_path / "proj", {
        "mkdocs.yml": """\
            site_name: Plain Look
            extra_css: [css/theme.css]
            theme:
              name: material
              font: false
              palette: {scheme: slate, primary: "#2094F3", accent: custom}
            """,
        "docs/index.md": "# Home\n",
        "docs/css/theme.css": "h1 { letter-spacing: -0.02em; }\n",
    })
    dest = tmp_path / "help"
    assert cli("import", "mkdocs", project, dest).exit_code == 0
    out = built(cli, dest, "--strict")
    brand = yaml.safe_load((dest / "helpgen.yml").read_text(encoding="utf-8"))["brand"]
    # A primary color too light for links (2.8:1 on the theme's #eef1f5) becomes the shade
    # helpgen's links would use (so that --strict builds); font: false → helpgen's own fonts.
    lights, _ = theme_backgrounds(out)
    assert brand == {"primary_color": nearest_readable("#2094f3", lights, "#000000"),
                     "custom_css": "assets/theme.css"}
    assert (dest / "assets/theme.css").read_text() == \
        "/* css/theme.css */\nh1 { letter-spacing: -0.02em; }\n"
    report = (dest / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    for expected_text in ("theme.palette.accent 'custom' (extra_css sets no "
                          "--md-accent-fg-color", "the primary color #2094f3 is too light for "
                          "text on a light page (2.8:1), so brand.primary_color is its darker "
                          f"shade {brand['primary_color']}", "Material's dark scheme (slate) only"):
        assert expected_text in report, expected_text
    for absent in ("Google Fonts", "theme.font", "Material's CSS variables", "joined"):
        assert absent not in report, absent


def test_mkdocs_plugin_not_installed_and_hooks_do_not_run(cli, tmp_path):
    project = write_site(tmp_path / "proj", {
        "mkdocs.yml": """\
            site_name: Docs
            theme: {name: some-theme-not-installed}
            hooks: [hooks.py]
            plugins: [search, awesome-pages, {blog: {enabled: false}}]
            markdown_extensions:
              - plantuml_markdown
              - pymdownx.superfences:
                  custom_fences: [{name: mermaid, class: mermaid}]
            """,
        "hooks.py": "raise SystemExit('hook ran')\n",
        "docs/index.md": "# Home\n",
    })
    dest = tmp_path / "help"
    result = cli("import", "mkdocs", project / "mkdocs.yml", dest)
    assert result.exit_code == 0, result.output
    report = (dest / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    assert "awesome-pages" in report and "plantuml_markdown" in report
    assert "mermaid" in report and "hooks" in report and "blog" not in report
    built(cli, dest, "--strict")


def test_mkdocs_errors(cli, tmp_path):
    # No such file: a usage error.
    result = cli("import", "mkdocs", tmp_path / "nope.yml", tmp_path / "a")
    assert result.exit_code == 2 and "does not exist" in result.output
    # A folder without mkdocs.yml.
    (tmp_path / "empty").mkdir()
    result = cli("import", "mkdocs", tmp_path / "empty", tmp_path / "a")
    assert result.exit_code == 1 and "no mkdocs.yml" in result.output
    # Malformed YAML: file and line, no traceback.
    bad = write_site(tmp_path / "bad", {"mkdocs.yml": "site_name: Docs\nnav:\n  - Home: index.md\n"
                                        "   - broken: [\n", "docs/index.md": "# Home\n"})
    result = cli("import", "mkdocs", bad / "mkdocs.yml", tmp_path / "a")
    assert result.exit_code == 1
    assert re.search(r"mkdocs\.yml:[45]: error: malformed YAML", result.output), result.output
    assert "Traceback" not in result.output
    # Malformed YAML in the inherited file points at that file.
    inherit = write_site(tmp_path / "inh", {"mkdocs.yml": "INHERIT: base.yml\nsite_name: X\n",
                                            "base.yml": "theme:\n  name: [material\n",
                                            "docs/index.md": "# Home\n"})
    result = cli("import", "mkdocs", inherit / "mkdocs.yml", tmp_path / "a")
    assert result.exit_code == 1 and re.search(r"base\.yml:\d+: error", result.output)
    # INHERIT of a missing file, and a docs_dir that does not exist: the line of the setting.
    missing = write_site(tmp_path / "mis", {"mkdocs.yml": "site_name: X\nINHERIT: gone.yml\n"})
    result = cli("import", "mkdocs", missing / "mkdocs.yml", tmp_path / "a")
    assert result.exit_code == 1 and "mkdocs.yml:2: error: INHERIT" in result.output
    no_docs = write_site(tmp_path / "nod", {"mkdocs.yml": "site_name: X\ndocs_dir: pages\n"})
    result = cli("import", "mkdocs", no_docs / "mkdocs.yml", tmp_path / "a")
    assert result.exit_code == 1 and "mkdocs.yml:2: error: MkDocs cannot load" in result.output
    # A page that is not UTF-8 fails the import after writing started: nothing is left behind.
    latin = write_site(tmp_path / "latin", {"mkdocs.yml": "site_name: X\n",
                                            "docs/index.md": "# Home\n"})
    (latin / "docs/caf.md").write_bytes("# Café\n".encode("latin-1"))
    result = cli("import", "mkdocs", latin / "mkdocs.yml", tmp_path / "a")
    assert result.exit_code == 1 and "caf.md: error: the page is not UTF-8" in result.output
    assert not (tmp_path / "a").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".a.import-")]


def test_mkdocs_python_tags_are_read_not_run(cli, tmp_path, monkeypatch):
    """Material projects write `!!python/object/apply:pymdownx.slugs.slugify {…}`; MkDocs calls
    such functions while reading. The importer reads the tags as text and calls nothing."""
    monkeypatch.chdir(tmp_path)
    project = write_site(tmp_path / "proj", {
        "mkdocs.yml": """\
            site_name: Docs
            markdown_extensions:
              - toc:
                  slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}
              - pymdownx.superfences:
                  custom_fences:
                    - name: run
                      class: run
                      format: !!python/object/apply:os.system ['touch pwned']
                    - name: local
                      class: local
                      format: !!python/name:tools.not_importable.render
            """,
        "docs/index.md": "# Home\n\nText.\n",
    })
    result = cli("import", "mkdocs", project / "mkdocs.yml", tmp_path / "help")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "pwned").exists()
    report = (tmp_path / "help/IMPORT-REPORT.md").read_text(encoding="utf-8")
    assert "custom fences (run, local)" in report and "toc.slugify" in report
    # That slugify is helpgen's own, so headings keep their ids without markdown.heading_ids.
    settings = yaml.safe_load((tmp_path / "help/helpgen.yml").read_text(encoding="utf-8"))
    assert "markdown" not in settings


def test_import_refuses_a_non_empty_destination(cli, mkdocs_project, tmp_path):
    dest = tmp_path / "help"
    dest.mkdir()
    (dest / "keep.txt").write_text("mine")
    for args in (("mkdocs", mkdocs_project), ("zendesk", ZENDESK_EXPORT)):
        result = cli("import", *args, dest)
        assert result.exit_code == 1, result.output
        assert "not empty" in result.output and "never overwrites" in result.output
    assert [p.name for p in dest.iterdir()] == ["keep.txt"]
    # An empty folder is fine.
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli("import", "zendesk", ZENDESK_EXPORT, empty).exit_code == 0
    assert (empty / "helpgen.yml").is_file()


# --- Zendesk ----------------------------------------------------------------------------------


def zendesk_records():
    return json.loads(ZENDESK_EXPORT.read_text(encoding="utf-8"))


def check_zendesk_site(cli, dest: Path) -> None:
    out = built(cli, dest, "--strict")
    data = zendesk_records()
    published = {}
    for record in data["articles"]:
        if record["locale"] == "en-us" and not record["draft"]:
            published[record["id"]] = record
    # Every article and its title; the old URL redirects to it.
    by_old = redirects(out)
    for record in published.values():
        old = unquote(urlsplit(record["html_url"]).path) + "/"
        new = by_old[old]
        assert record["title"] in page(out, new.strip("/") + "/"), record["title"]
        assert_old_url_works(out, old, new)
        assert by_old[f"/hc/en-us/articles/{record['id']}/"] == new
    # Translations under /zh-CN/, with their old URLs (percent-decoded paths).
    zh = [r for r in data["articles"] if r["locale"] == "zh-cn"] + data["translations"]
    assert zh
    for record in zh:
        old = unquote(urlsplit(record["html_url"]).path) + "/"
        new = by_old[old]
        assert new.startswith("/zh-CN/")
        assert record["title"] in page(out, new.strip("/") + "/")
    # The draft is not published, nor redirected.
    draft = next(r for r in data["articles"] if r["draft"])
    assert not any(draft["title"] in html.read_text(encoding="utf-8")
                   for html in out.rglob("*.html"))
    assert not any(str(draft["id"]) in old for old in by_old)
    assert not list(out.rglob("sign-in-with-sso"))
    # Categories and sections with translated titles and descriptions.
    assert "账单" in page(out, "zh-CN/billing/")
    assert "Plans, payments and refunds." in page(out, "billing/")
    # Links between articles point at the imported pages (anchors kept).
    reset = page(out, "account-sign-in/signing-in/reset-your-password/")
    assert "../../security/set-up-two-factor-authentication/#h_recovery" in hrefs(reset)
    assert "../change-your-email-address/" in hrefs(reset)
    assert 'id="h_recovery"' in page(out, "account-sign-in/security/"
                                          "set-up-two-factor-authentication/")
    # Images stay links to Zendesk; HTML-looking text stays text; tables are tables.
    assert "https://acme.zendesk.com/hc/article_attachments/8801/reset-link.png" in hrefs(reset)
    email = page(out, "account-sign-in/signing-in/change-your-email-address/")
    assert "<script>alert" not in email and "&lt;script&gt;alert(1)" in email
    twofa = page(out, "account-sign-in/security/set-up-two-factor-authentication/")
    assert "<table>" in twofa and "Google Authenticator" in twofa
    assert '<code class="language-bash">' in twofa or "language-bash" in twofa
    # Promoted articles are on the home page; labels became tags.
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "Reset your password" in home and "Update your payment method" in home
    reset_md = (dest / "articles/account-sign-in/signing-in/reset-your-password.md").read_text(
        encoding="utf-8")
    meta = yaml.safe_load(reset_md.split("---")[1])
    assert meta["tags"] == ["password", "sign-in"] and meta["promoted"] is True
    assert str(meta["updated"]) == "2024-03-18"
    # The report lists what was not downloaded or not carried.
    report = (dest / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    assert "reset-link.png" in report and "invoice.png" in report
    assert "999000111-Old-pricing" in report and "youtube.com/embed/abc123" in report
    assert "/hc/en-us/sections/300003-Payments" in report


def test_zendesk_import_builds_and_keeps_every_article_translation_and_url(cli, tmp_path):
    dest = tmp_path / "help"
    result = cli("import", "zendesk", ZENDESK_EXPORT, dest)
    assert result.exit_code == 0, result.output
    assert "7 articles" in result.output and "3 translations" in result.output
    settings = yaml.safe_load((dest / "helpgen.yml").read_text(encoding="utf-8"))
    assert settings == {"locales": {"default": "en", "others": ["zh-CN"]}}
    check_zendesk_site(cli, dest)


def test_zendesk_export_as_a_folder_of_api_responses(cli, tmp_path):
    data = zendesk_records()
    export = tmp_path / "export"
    export.mkdir()
    for kind in ("categories", "sections", "articles", "translations"):
        page_data = {kind: data[kind], "next_page": None, "count": len(data[kind])}
        (export / f"{kind}.json").write_text(json.dumps(page_data, ensure_ascii=False),
                                             encoding="utf-8")
    dest = tmp_path / "help"
    result = cli("import", "zendesk", export, dest)
    assert result.exit_code == 0, result.output
    check_zendesk_site(cli, dest)


def test_zendesk_errors(cli, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "articles": [\n    {"id": 1, "title": "A",}\n  ]\n}\n')
    result = cli("import", "zendesk", broken, tmp_path / "a")
    assert result.exit_code == 1
    assert re.search(r"broken\.json:3: error: invalid JSON", result.output), result.output
    assert "Traceback" not in result.output
    other = tmp_path / "other.json"
    other.write_text('{"tickets": []}')
    result = cli("import", "zendesk", other, tmp_path / "a")
    assert result.exit_code == 1 and "no 'articles' list" in result.output
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{\n "categories": [],\n "articles": "x"\n}')
    result = cli("import", "zendesk", wrong, tmp_path / "a")
    assert result.exit_code == 1 and "'articles' must be a list" in result.output
    no_id = tmp_path / "noid.json"
    no_id.write_text('{"articles": [\n{"title": "Lost", "body": ""}\n]}')
    result = cli("import", "zendesk", no_id, tmp_path / "a")
    assert result.exit_code == 1 and "noid.json:2: error: a record in 'articles' has no id" \
        in result.output
    result = cli("import", "zendesk", tmp_path / "missing.json", tmp_path / "a")
    assert result.exit_code == 2
    assert not (tmp_path / "a").exists()


def test_zendesk_articles_without_sections_and_name_clashes(cli, tmp_path):
    export = tmp_path / "export.json"
    export.write_text(json.dumps({"articles": [
        {"id": 1, "title": "Search", "locale": "en-us", "body": "<p>One</p>",
         "html_url": "https://x.zendesk.com/hc/en-us/articles/1-Search"},
        {"id": 2, "title": "Search", "locale": "en-us", "body": "<p>Two</p>",
         "html_url": "https://x.zendesk.com/hc/en-us/articles/2-Search"},
        {"id": 3, "title": "账单说明", "locale": "en-us", "body": "<p>三</p>"},
    ]}), encoding="utf-8")
    dest = tmp_path / "help"
    assert cli("import", "zendesk", export, dest).exit_code == 0
    names = sorted(p.name for p in (dest / "articles/general").glob("*.md"))
    assert names == ["search-2.md", "search.md", "账单说明.md"]
    out = built(cli, dest, "--strict")
    assert "三" in page(out, "general/账单说明/")


def test_zendesk_locale_codes_are_spelled_as_helpgen_spells_them(cli, tmp_path):
    """A language with one variant becomes the bare language (sr-latn → sr); with several,
    each keeps its region or script in helpgen's spelling (pt_PT → pt-PT, es-419)."""
    export = tmp_path / "export.json"
    export.write_text(json.dumps({"articles": [
        {"id": number, "title": f"Article {number}", "locale": code, "body": "<p>Text</p>"}
        for number, code in enumerate(["en-us", "pt-br", "pt_PT", "es-419", "es-es", "sr-latn"],
                                      start=1)]}), encoding="utf-8")
    dest = tmp_path / "help"
    assert cli("import", "zendesk", export, dest).exit_code == 0
    locales = yaml.safe_load((dest / "helpgen.yml").read_text(encoding="utf-8"))["locales"]
    assert locales == {"default": "en", "others": ["pt-BR", "pt-PT", "es-419", "es-ES", "sr"]}
