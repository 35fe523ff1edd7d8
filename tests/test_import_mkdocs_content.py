"""`helpgen import mkdocs`: what pages hold beyond links — titles, included files, section index
pages, dates — and a report without noise. Each test is a minimal reproduction of a real project
(pi-hole/docs, SagerNet/sing-box, a readthedocs-theme site)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import material
import pytest
import yaml

from conftest import built, parse_html, write_site


def imported(cli, project: Path, dest: Path) -> str:
    """Import `project` into `dest`; returns IMPORT-REPORT.md."""
    result = cli("import", "mkdocs", project / "mkdocs.yml", dest)
    assert result.exit_code == 0, result.output
    return (dest / "IMPORT-REPORT.md").read_text(encoding="utf-8")


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def yaml_file(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def page(out: Path, url: str) -> str:
    return (out / url / "index.html").read_text(encoding="utf-8")


# --- Titles (issue 19, item 6) -----------------------------------------------------------------


def test_titles_are_the_page_headings_as_text_and_nav_labels_only_fill_in(cli, tmp_path):
    project = write_site(tmp_path / "proj", {
        "mkdocs.yml": """\
            site_name: Docs
            theme: {name: material}
            markdown_extensions: [attr_list, pymdownx.emoji]
            nav:
              - Home: index.md
              - Guides:
                  - 'The &nbsp<samp>pihole</samp>&nbsp Command': main/pihole-command.md
                  - Clients: clients.md
                  - Short label: long.md
                  - No heading: bare.md
            """,
        "docs/index.md": "# :material-home: Home\n\nWelcome.\n",
        "docs/main/pihole-command.md": "Text without a heading.\n",
        "docs/clients.md": "# :material-cellphone-link: Graphical Clients :rocket:\n\nText.\n",
        "docs/long.md": "# A much longer heading on the page\n\nText.\n",
        "docs/bare.md": "Just text.\n",
    })
    dest = tmp_path / "help"
    imported(cli, project, dest)
    out = built(cli, dest, "--strict")
    titles = {path.relative_to(dest / "articles").as_posix(): front_matter(path)["title"]
              for path in (dest / "articles").rglob("*.md")}
    assert titles == {
        "overview/home.md": "Home",                              # icon left out
        "guides/pihole-command.md": "The pihole Command",        # HTML label as its text
        "guides/clients.md": "Graphical Clients 🚀",             # emoji as the character
        "guides/long.md": "A much longer heading on the page",  # the page's heading, not the label
        "guides/bare.md": "No heading",                          # the label fills in
    }
    html = page(out, "guides/clients/")
    assert "<title>Graphical Clients 🚀 – Docs</title>" in html
    assert ":material" not in html and "&lt;samp" not in page(out, "guides/")
    assert not any(":material" in p.name or "material-" in p.name for p in out.rglob("*"))
    # The icon the heading showed is drawn before the title, on the page and in its section's
    # list: the bundled SVG of material/cellphone-link, never in <title> or the URL.
    icons = {path.relative_to(dest / "articles").as_posix(): front_matter(path).get("icon")
             for path in (dest / "articles").rglob("*.md")}
    assert icons["guides/clients.md"] == "material/cellphone-link"
    assert icons["overview/home.md"] == "material/home"
    assert icons["guides/long.md"] is None
    drawn = (Path(material.__file__).parent / "templates/.icons/material/cellphone-link.svg"
             ).read_text().split(' d="')[1].split('"')[0]
    heading = parse_html(html).find("h1")
    assert heading.get_text(strip=True) == "Graphical Clients 🚀"
    assert drawn in str(heading.find("svg"))
    listed = parse_html(page(out, "guides/")).find("a", string=None, href="clients/")
    assert listed is not None and drawn in str(listed.find("svg"))
    assert "<svg" not in html.split("</title>")[0].split("<title>")[1]


# --- Dates (item 9) ----------------------------------------------------------------------------


def git(folder: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@example.invalid",
           "GIT_COMMITTER_NAME": "a", "GIT_COMMITTER_EMAIL": "a@example.invalid"}
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", "-C", str(folder), *args], check=True, env=env, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_articles_are_dated_by_their_pages_git_history(cli, tmp_path):
    project = write_site(tmp_path / "proj", {
        "mkdocs.yml": "site_name: Docs\nplugins: [search, git-revision-date-localized]\n",
        "docs/index.md": "# Home\n",
        "docs/old.md": "# Old page\n",
        "docs/new.md": "# New page\n",
    })
    git(project, "init", "-q")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "first", date="2021-03-04T10:00:00+00:00")
    (project / "docs/new.md").write_text("# New page\n\nEdited.\n", encoding="utf-8")
    git(project, "commit", "-q", "-am", "edit", date="2024-11-12T10:00:00+00:00")
    dest = tmp_path / "help"
    report = imported(cli, project, dest)
    assert str(front_matter(dest / "articles/overview/old.md")["updated"]) == "2021-03-04"
    assert str(front_matter(dest / "articles/overview/new.md")["updated"]) == "2024-11-12"
    out = built(cli, dest, "--strict")
    recent = parse_html((out / "index.html").read_text(encoding="utf-8"))
    assert "2024-11-12" in page(out, "overview/new/") and "2021-03-04" in page(out, "overview/old/")
    assert recent.get_text().index("New page") < recent.get_text().index("Old page")
    assert "git-revision-date-localized" not in report


def test_without_git_the_dates_plugin_is_reported(cli, tmp_path):
    project = write_site(tmp_path / "proj", {
        "mkdocs.yml": "site_name: Docs\nplugins: [search, git-revision-date-localized]\n",
        "docs/index.md": "# Home\n",
    })
    report = imported(cli, project, tmp_path / "help")
    assert "git-revision-date-localized: the project is not a git checkout" in report
    assert "updated" not in front_matter(tmp_path / "help/articles/overview/home.md")


# --- Report noise (item 10) --------------------------------------------------------------------


def test_footnotes_are_not_missing_files_and_theme_css_is_noted(cli, tmp_path):
    project = write_site(tmp_path / "proj", {
        "mkdocs.yml": """\
            site_name: Docs
            theme: {name: readthedocs}
            markdown_extensions: [footnotes]
            extra_css: [css/extra.css]
            """,
        "docs/index.md": """\
            # Home

            Set it up like this.[^guide] Missing: [gone](gone.md).

            [^guide]: Guide based on [this guide](https://example.com/guide)
            [^*]: Case-insensitive by default
            """,
        "docs/css/extra.css": ".wy-nav-content { max-width: 1200px; }\n"
                              ".rst-content code { color: red; }\n",
    })
    dest = tmp_path / "help"
    report = imported(cli, project, dest)
    assert "index.md: gone.md" in report
    assert "Guide" not in report and "Case-insensitive" not in report
    assert "the readthedocs theme's classes (.rst-content, .wy-nav-content)" in report
    out = built(cli, dest)
    assert 'class="footnote' in page(out, "overview/home/")


# --- Included files (item 5) -------------------------------------------------------------------


def test_included_files_are_written_into_the_pages(cli, tmp_path):
    project = write_site(tmp_path / "proj", {
        "mkdocs.yml": """\
            site_name: Docs
            theme: {name: material}
            markdown_extensions:
              - abbr
              - markdown_include.include:
                  base_path: docs
              - pymdownx.snippets:
                  auto_append:
                    - docs/abbreviations.md
            nav:
              - API: api/index.md
              - Setup: setup.md
            """,
        "docs/abbreviations.md": "*[DNS]: Domain Name Service\n*[API]: Application Programming "
                                 "Interface\n",
        "docs/api/index.md": """\
            # The API

            The API answers DNS questions. See [setup](../setup.md).

            {!snippets/warning.md!}

            {!../secret.md!} {!snippets/gone.md!}

            {!abbreviations.md!}
            """,
        "docs/snippets/warning.md": "!!! warning\n    Restart after changing DNS.\n",
        "docs/setup.md": """\
            # Setup

            --8<-- "docs/snippets/steps.md"

            --8<--
            docs/snippets/warning.md
            --8<--

            ;--8<-- "shown as written"
            """,
        "docs/snippets/steps.md": "1. Install the [API](api/index.md) client.\n"
                                  "2. Set DNS.\n",
        "secret.md": "project secret\n",
    })
    (tmp_path / "outside.md").write_text("outside the project\n", encoding="utf-8")
    (project / "docs/snippets/link.md").symlink_to(tmp_path / "outside.md")
    (project / "docs/setup.md").write_text(
        (project / "docs/setup.md").read_text() + '\n--8<-- "docs/snippets/link.md"\n')
    dest = tmp_path / "help"
    report = imported(cli, project, dest)
    out = built(cli, dest, "--strict")
    api, setup = page(out, "overview/api/"), page(out, "overview/setup/")
    for html in (api, setup):
        assert '<abbr title="Domain Name Service">DNS</abbr>' in html
        assert "{!" not in html and '--8<-- "docs' not in html
        assert 'class="admonition warning"' in html
    assert 'href="../api/"' in setup                 # links in included text are moved too
    assert '"shown as written"</p>' in setup           # an escaped directive is text
    assert "project secret" in api                       # inside the project: included
    assert "outside the project" not in setup
    assert "docs/snippets/link.md" in report and "gone.md" in report
    # The abbreviations file, not in the nav, is not an article of its own.
    assert not list((dest / "articles").rglob("abbreviations*.md"))
    assert "pymdownx.snippets: --8<--" not in report and "not expanded" not in report


# --- Section index pages (item 4) --------------------------------------------------------------


def test_a_sections_index_page_is_its_folder_pages_text_at_the_old_url(cli, tmp_path,
                                                                       monkeypatch):
    project = write_site(tmp_path / "proj", {
        "mkdocs.yml": """\
            site_name: Box
            theme: {name: material, features: [navigation.indexes]}
            markdown_extensions: [attr_list, pymdownx.emoji]
            plugins:
              - i18n:
                  docs_structure: suffix
                  languages:
                    - {locale: en, default: true, name: English}
                    - {locale: zh, name: 简体中文, nav_translations: {Configuration: 配置}}
            nav:
              - Home:
                  - index.md
                  - Change Log: changelog.md
              - Configuration:
                  - Log: configuration/log/index.md
                  - configuration/index.md
                  - DNS:
                      - configuration/dns/index.md
                      - FakeIP: configuration/dns/fakeip.md
              - Graphical Clients:
                  - clients/index.md
                  - Android: clients/android.md
            """,
        "docs/index.md": "# :material-home: Home\n\nWelcome.\n",
        "docs/changelog.md": "# Change Log\n\nAll changes.\n",
        "docs/configuration/index.md": "# Configuration\n\n## Structure\n\nThe file.\n",
        "docs/configuration/index.zh.md": "# 配置\n\n## 结构\n\n文件。\n",
        "docs/configuration/log/index.md": "# Log\n\n## Level\n\nHow much.\n",
        "docs/configuration/dns/index.md": """\
            # DNS

            ## Fields

            See [FakeIP](fakeip.md#range) and [the structure](../index.md#structure).
            """,
        "docs/configuration/dns/index.zh.md": "# DNS\n\n## 字段\n\n见 [FakeIP](fakeip.md)。\n",
        "docs/configuration/dns/fakeip.md": """\
            # FakeIP

            ## Range

            Back to [the fields](index.md#fields).
            """,
        "docs/configuration/dns/fakeip.zh.md": "# FakeIP\n\n## 范围\n",
        "docs/clients/index.md": "# :material-cellphone-link: Graphical Clients\n\nApps.\n",
        "docs/clients/index.zh.md": "# 图形界面客户端\n\n没有翻译的页面。\n",
        "docs/clients/android.md": "# Android\n\nThe app.\n",
    })
    dest = tmp_path / "help"
    imported(cli, project, dest)
    out = built(cli, dest, "--strict")
    articles = dest / "articles"
    assert sorted(p.relative_to(articles).as_posix() for p in articles.rglob("*.md")) == [
        "configuration/_index.md", "configuration/_index.zh-CN.md",
        "configuration/dns/_index.md", "configuration/dns/_index.zh-CN.md",
        "configuration/dns/fakeip.md", "configuration/dns/fakeip.zh-CN.md",
        "configuration/log.md",
        "graphical-clients/_index.md", "graphical-clients/_index.zh-CN.md",
        "graphical-clients/android.md", "home/_index.md", "home/changelog.md"]
    # The old URLs of the index pages are their folders' pages, with the text and its anchors.
    dns = parse_html(page(out, "configuration/dns/"))
    assert dns.select_one(".page-text").find(id="fields") is not None
    assert dns.find("a", string="FakeIP")["href"] == "fakeip/#range"
    assert dns.find("a", string="the structure")["href"] == "../#structure"
    assert dns.select_one(".article-list a")["href"] == "fakeip/"        # the listing stays
    assert parse_html(page(out, "configuration/")).find(id="structure") is not None
    # The ids MkDocs' default toc gave (markdown.heading_ids: mkdocs): _1 for 配置, _2 for 结构
    assert parse_html(page(out, "zh-CN/configuration/")).select_one(".page-text h2")["id"] == "_2"
    redirects = (out / "_redirects").read_text(encoding="utf-8")
    assert "/zh/configuration/ /zh-CN/configuration/ 301" in redirects
    assert "/zh/configuration/dns/ /zh-CN/configuration/dns/ 301" in redirects
    fakeip = parse_html(page(out, "configuration/dns/fakeip/"))
    assert fakeip.find("a", string="the fields")["href"] == "../#fields"
    # A page of the section that is not its index stays an article, at its old URL.
    assert "How much." in page(out, "configuration/log/")
    assert "Apps." in page(out, "graphical-clients/")
    # The icon of its heading is the category's icon, on its tile and page.
    assert yaml_file(articles / "graphical-clients/_category.yml")["icon"] == \
        "material/cellphone-link"
    assert parse_html(page(out, "graphical-clients/")).select_one(".category-icon svg")
    assert not any("material" in p.as_posix() for p in out.rglob("*"))
    # No zh page of the clients is translated: the zh site shows the English ones
    # (fallback_to_default), under the zh index's text.
    assert "没有翻译的页面。" in page(out, "zh-CN/graphical-clients/")
    monkeypatch.chdir(dest)
    problems = json.loads(cli("check", ".", "--format", "json").stdout)["problems"]
    assert [p for p in problems if p["code"] != "missing-translation"] == []


def test_a_nav_section_of_its_index_page_alone_keeps_its_url(cli, tmp_path):
    """sing-box's `Log: [configuration/log/index.md]`: helpgen makes no section page without an
    article, so the page is an article of the category, at the section's old URL."""
    project = write_site(tmp_path / "proj", {
        "mkdocs.yml": """\
            site_name: Box
            nav:
              - Configuration:
                  - configuration/index.md
                  - Log:
                      - configuration/log/index.md
                  - DNS: configuration/dns.md
            """,
        "docs/index.md": "# Home\n",
        "docs/configuration/index.md": "# Configuration\n\nSee [the level](log/index.md#level).\n",
        "docs/configuration/log/index.md": "# Log\n\n## Level\n\nHow much.\n",
        "docs/configuration/dns.md": "# DNS\n",
    })
    dest = tmp_path / "help"
    imported(cli, project, dest)
    out = built(cli, dest, "--strict")
    log = parse_html(page(out, "configuration/log/"))
    assert log.find(id="level") is not None and "How much." in log.text
    assert parse_html(page(out, "configuration/")).find("a", string="the level")["href"] == \
        "log/#level"

def test_a_translated_index_with_no_page_to_show_it_on_is_reported(cli, tmp_path):
    """Without fallback_to_default, a section none of whose pages is translated has no page in
    that language: its translated index is left out, and the report names it."""
    project = write_site(tmp_path / "proj", {
        "mkdocs.yml": """\
            site_name: Box
            plugins:
              - i18n:
                  docs_structure: suffix
                  fallback_to_default: false
                  languages:
                    - {locale: en, default: true, name: English}
                    - {locale: zh, name: 简体中文}
            nav:
              - Home: index.md
              - Clients:
                  - clients/index.md
                  - Android: clients/android.md
            """,
        "docs/index.md": "# Home\n",
        "docs/index.zh.md": "# 首页\n",
        "docs/clients/index.md": "# Clients\n\nApps.\n",
        "docs/clients/index.zh.md": "# 客户端\n\n没有翻译的页面。\n",
        "docs/clients/android.md": "# Android\n\nThe app.\n",
    })
    dest = tmp_path / "help"
    report = imported(cli, project, dest)
    out = built(cli, dest, "--strict")
    assert "clients/index.zh.md" in report and not (out / "zh-CN/clients").exists()
    assert "Apps." in page(out, "clients/")
    assert not (dest / "articles/clients/_index.zh-CN.md").exists()


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_shallow_clone_gives_no_dates(cli, tmp_path):
    origin = write_site(tmp_path / "origin", {"mkdocs.yml": "site_name: Docs\n",
                                              "docs/index.md": "# Home\n"})
    git(origin, "init", "-q")
    git(origin, "add", ".")
    git(origin, "commit", "-q", "-m", "first", date="2021-03-04T10:00:00+00:00")
    (origin / "docs/index.md").write_text("# Home\n\nMore.\n", encoding="utf-8")
    git(origin, "commit", "-q", "-am", "second", date="2024-11-12T10:00:00+00:00")
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", "proj")
    report = imported(cli, tmp_path / "proj", tmp_path / "help")
    assert "updated" not in front_matter(tmp_path / "help/articles/overview/home.md")
    assert "shallow git clone" in report
