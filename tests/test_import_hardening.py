"""Hostile and messy input to `helpgen import`: no script in the built pages, no file read from
outside the imported project, clean errors, nothing written outside DEST."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from conftest import HOSTILE_BODY, parse_html, unsafe, write_site

def article_body(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    body = parse_html(html).select_one(".article-body")
    assert body is not None, html[:500]
    return str(body)


def import_zendesk(cli, tmp_path, articles, name="help"):
    export = tmp_path / "export.json"
    export.write_text(json.dumps({"articles": articles}), encoding="utf-8")
    dest = tmp_path / name
    return cli("import", "zendesk", export, dest), dest


# --- 1. Imported HTML is sanitized ----------------------------------------------------------


def test_zendesk_import_removes_scripts_event_attributes_and_foreign_iframes(cli, tmp_path):
    result, dest = import_zendesk(cli, tmp_path, [
        {"id": 1, "title": "Hostile", "locale": "en-us", "body": HOSTILE_BODY}])
    assert result.exit_code == 0, result.output
    markdown = (dest / "articles/general/hostile.md").read_text(encoding="utf-8")
    assert "evil.example" not in markdown and "onload" not in markdown
    built = cli("build", dest)
    assert built.exit_code == 0, built.output
    body = article_body(dest / "site/general/hostile/index.html")
    assert unsafe(body) == []
    soup = parse_html(body)
    assert not soup.find_all(["script", "style", "object", "embed", "form", "input"])
    # Only the https video from an allowed host is still embedded; the text is kept.
    assert [f["src"] for f in soup.find_all("iframe")] == [
        "https://www.youtube-nocookie.com/embed/abc123"]
    assert "four" in body and "[five](javascript:alert(10))" in soup.get_text()
    assert not soup.find("h2", attrs={"onclick": True}) and "Heading" in body
    report = (dest / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    line = next(line for line in report.splitlines() if line.startswith("- general/hostile.md"))
    for removed in ("removed the address 'https://evil.example/\" onload=\"alert(4)' (src of "
                    "<iframe>, not an allowed video host)",
                    "removed the address 'http://player.vimeo.com/video/1' (src of <iframe>, not "
                    "an allowed video host)",
                    "removed the address 'javascript:alert(1)' (href of <a>)",
                    "removed the address 'vbscript:msgbox(1)' (href of <a>)",
                    "removed the onclick attribute of <a>", "removed the onerror attribute of <img>",
                    "removed the address 'data:text/html;base64,PHNjcmlwdD4=' (src of <img>)",
                    "removed <script>", "removed <object>", "removed <form>", "removed <input>"):
        assert removed in line, (removed, line)


def test_mkdocs_copyright_and_announcement_bar_are_sanitized(cli, tmp_path):
    project = write_site(tmp_path / "proj", {
        "mkdocs.yml": """\
            site_name: Docs
            copyright: 'Made by <a href="javascript:alert(1)">us</a> <img src=x onerror=alert(2)>'
            theme: {name: material, custom_dir: overrides}
            """,
        "overrides/main.html": """\
            {% extends "base.html" %}
            {% block announce %}<a href="javascript:alert(3)" onclick="alert(4)">New!</a>
            <a href="https://acme.example/news">Read</a>{% endblock %}
            """,
        "docs/index.md": "# Home\n\n[Click](javascript:alert(5)) ![i](data:image/png;base64,x)"
                         "\n\n<div onclick=\"alert(6)\">raw</div>\n\n`<b onclick=code>`\n",
    })
    dest = tmp_path / "help"
    result = cli("import", "mkdocs", project / "mkdocs.yml", dest)
    assert result.exit_code == 0, result.output
    page = (dest / "articles/overview/home.md").read_text(encoding="utf-8")
    assert "javascript:" not in page and "data:" not in page and "[Click](#)" in page
    settings = (dest / "helpgen.yml").read_text(encoding="utf-8")
    assert "javascript" not in settings and "onerror" not in settings
    brand = yaml.safe_load(settings)["brand"]
    assert brand["banner"] == {"text": "New! Read", "url": "https://acme.example/news"}
    report = (dest / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    assert "copyright: removed the address 'javascript:alert(1)' (href of <a>), removed the " \
        "onerror attribute of <img>" in report
    assert "main.html: removed the address 'javascript:alert(3)' (href of <a>), removed the " \
        "onclick attribute of <a>" in report
    assert "index.md: removed a javascript: link, removed a data: image" in report
    assert "index.md: has the onclick attribute of <div>" in report  # raw HTML in pages


VIDEOS = {"https://www.youtube.com/embed/a": True, "https://vimeo.com/event/1/embed": True,
          "https://player.vimeo.com/video/1": True, "https://fast.wistia.net/embed/iframe/x": True,
          "https://www.loom.com/embed/x": True, "http://www.youtube.com/embed/b": False,
          "https://youtube.com.evil.example/embed/c": False, "https://notyoutube.com/d": False}


def test_import_and_build_keep_the_same_video_iframes(cli, tmp_path):
    """One rule for embedded videos: an iframe an article may show once built with
    `raw_html: sanitize` is kept by `helpgen import`, and no other."""
    iframes = "\n".join(f'<iframe src="{src}"></iframe>' for src in VIDEOS)
    result, dest = import_zendesk(cli, tmp_path, [
        {"id": 1, "title": "Videos", "locale": "en-us", "body": f"<p>Watch</p>\n{iframes}"}])
    assert result.exit_code == 0, result.output
    assert cli("build", dest).exit_code == 0
    imported = parse_html(article_body(dest / "site/general/videos/index.html"))
    site = write_site(tmp_path / "site", {
        "helpgen.yml": "site: {title: {en: X}, url: https://help.acme.example/}\n"
                       "locales: {default: en}\nmarkdown: {raw_html: sanitize}\n",
        "articles/general/_category.yml": "title: {en: General}\n",
        "articles/general/videos.md": f"---\ntitle: Videos\n---\n\nWatch\n\n{iframes}\n"})
    assert cli("build", site).exit_code == 0
    built = parse_html(article_body(site / "site/general/videos/index.html"))
    kept = [src for src, allowed in VIDEOS.items() if allowed]
    for soup in (imported, built):
        assert [f.get("src") for f in soup.find_all("iframe") if f.get("src")] == kept


# --- 2. No file is read from outside the project --------------------------------------------


def test_mkdocs_import_reads_no_file_outside_the_project(cli, tmp_path):
    secret = tmp_path / "secret"
    secret.mkdir()
    marker = "TOP-SECRET-MARKER"
    for name in ("passwd.svg", "key.png", "style.css", "main.html"):
        (secret / name).write_text(f"<svg>{marker}</svg>" if name != "main.html" else
                                   f"{{% block announce %}}{marker}{{% endblock %}}")
    (secret / "page.md").write_text(f"# Secret page\n\n{marker}\n")
    project = write_site(tmp_path / "proj", {
        "mkdocs.yml": """\
            site_name: Docs
            theme:
              name: material
              logo: ../../secret/passwd.svg
              favicon: linked-key.png
            extra_css: [linked.css, css/site.css]
            """,
        "docs/index.md": "# Home\n\n![key](linked-key.png) ![up](../secret/key.png)\n",
        "docs/css/site.css": "body { background: url(../../../secret/key.png) }\n",
    })
    docs = project / "docs"
    (docs / "linked-key.png").symlink_to(secret / "key.png")
    (docs / "linked.css").symlink_to(secret / "style.css")
    (docs / "linked.md").symlink_to(secret / "page.md")
    (docs / "linked-folder").symlink_to(secret, target_is_directory=True)
    (docs / "loop").symlink_to(docs, target_is_directory=True)
    dest = tmp_path / "help"
    result = cli("import", "mkdocs", project / "mkdocs.yml", dest)
    assert result.exit_code == 0, result.output
    for file in dest.rglob("*"):
        if file.is_file() and file.name != "IMPORT-REPORT.md":
            assert marker not in file.read_text(encoding="utf-8", errors="replace"), file
    report = (dest / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    outside = report.split("### Files outside the project folder (not read)")[1]
    for shown in ("theme.logo: ../secret/passwd.svg", "docs_dir: docs/linked-key.png",
                  "docs_dir: docs/linked.css", "docs_dir: docs/linked.md",
                  "docs_dir: docs/linked-folder"):
        assert shown in outside, (shown, outside)
    assert cli("build", dest).exit_code == 0

    # theme.custom_dir outside the project is not listed, nor its announcement bar read.
    (project / "mkdocs.yml").write_text("site_name: Docs\ntheme:\n  name: material\n"
                                        "  custom_dir: ../secret\n")
    result = cli("import", "mkdocs", project / "mkdocs.yml", tmp_path / "help2")
    assert result.exit_code == 0, result.output
    assert marker not in (tmp_path / "help2/helpgen.yml").read_text(encoding="utf-8")
    report = (tmp_path / "help2/IMPORT-REPORT.md").read_text(encoding="utf-8")
    assert "theme.custom_dir: ../secret" in report and "passwd.svg" not in report


def test_mkdocs_docs_dir_and_inherit_outside_the_project_are_errors(cli, tmp_path):
    write_site(tmp_path / "elsewhere", {"index.md": "# Elsewhere\n",
                                        "base.yml": "site_name: Elsewhere\n"})
    project = write_site(tmp_path / "proj", {"mkdocs.yml": "site_name: X\n"
                                             "docs_dir: ../elsewhere\n"})
    result = cli("import", "mkdocs", project / "mkdocs.yml", tmp_path / "a")
    assert result.exit_code == 1, result.output
    assert "mkdocs.yml:2: error: docs_dir is outside the project folder" in result.output
    (project / "mkdocs.yml").write_text("site_name: X\nINHERIT: ../elsewhere/base.yml\n")
    (project / "docs").mkdir()
    (project / "docs/index.md").write_text("# Home\n")
    result = cli("import", "mkdocs", project / "mkdocs.yml", tmp_path / "a")
    assert result.exit_code == 1, result.output
    assert "mkdocs.yml:2: error: INHERIT names a file outside the project folder" \
        in result.output
    assert not (tmp_path / "a").exists() and "Traceback" not in result.output


def test_zendesk_folder_export_refuses_a_link_to_a_file_outside(cli, tmp_path):
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps({"articles": [{"id": 1, "title": "Secret", "body": "x"}]}))
    export = tmp_path / "export"
    export.mkdir()
    (export / "articles.json").symlink_to(outside)
    result = cli("import", "zendesk", export, tmp_path / "help")
    assert result.exit_code == 1, result.output
    assert "articles.json: error: articles.json is a link to a file outside the export " \
        "folder" in result.output
    assert not (tmp_path / "help").exists()


# --- 3. A missing !ENV variable is named ----------------------------------------------------


def test_mkdocs_missing_env_variable_is_named_with_its_line(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("HELPGEN_TEST_SITE_URL", raising=False)
    project = write_site(tmp_path / "proj", {
        "mkdocs.yml": "site_name: X\nsite_url: !ENV HELPGEN_TEST_SITE_URL\n",
        "docs/index.md": "# Home\n"})
    result = cli("import", "mkdocs", project / "mkdocs.yml", tmp_path / "a")
    assert result.exit_code == 1, result.output
    assert "mkdocs.yml:2: error: the environment variable 'HELPGEN_TEST_SITE_URL' is not set" \
        in result.output
    assert "!ENV [HELPGEN_TEST_SITE_URL, default]" in result.output
    # With a default, or with the variable set, the import goes through.
    (project / "mkdocs.yml").write_text(
        "site_name: X\nsite_url: !ENV [HELPGEN_TEST_SITE_URL, 'https://x.example/']\n")
    assert cli("import", "mkdocs", project / "mkdocs.yml", tmp_path / "b").exit_code == 0
    monkeypatch.setenv("HELPGEN_TEST_SITE_URL", "https://y.example/")
    (project / "mkdocs.yml").write_text("site_name: X\nsite_url: !ENV HELPGEN_TEST_SITE_URL\n")
    assert cli("import", "mkdocs", project / "mkdocs.yml", tmp_path / "c").exit_code == 0
    assert "https://y.example/" in (tmp_path / "c/helpgen.yml").read_text(encoding="utf-8")


# --- 4. Messy names (found by test_import_properties.py) ------------------------------------


def test_blank_and_very_long_titles_make_sites_that_build(cli, tmp_path):
    result, dest = import_zendesk(cli, tmp_path, [
        {"id": 1, "title": " \t ", "locale": "en-us", "body": "<p>One</p>"},
        {"id": 2, "title": "账" * 300, "locale": "en-us", "body": "<p>Two</p>"}])
    assert result.exit_code == 0, result.output
    assert cli("build", dest).exit_code == 0
    assert "Article 1" in (dest / "site/general/article-1/index.html").read_text(
        encoding="utf-8")
    assert all(len(p.name.encode()) < 255 for p in (dest / "articles/general").iterdir())
    project = write_site(tmp_path / "proj", {
        "mkdocs.yml": f"site_name: Docs\nnav:\n  - ' ': index.md\n  - {'x' * 300}: a.md\n",
        "docs/index.md": "Home\n", "docs/a.md": "A\n"})
    result = cli("import", "mkdocs", project / "mkdocs.yml", tmp_path / "help2")
    assert result.exit_code == 0, result.output
    built = cli("build", tmp_path / "help2")
    assert built.exit_code == 0, built.output


def test_zendesk_locale_that_is_not_a_locale_code_is_an_error_at_its_line(cli, tmp_path):
    export = tmp_path / "export.json"
    export.write_text('{"articles": [\n{"id": 1, "title": "A", "locale": "en-us"},\n'
                      '{"id": 1, "title": "B", "locale": "../.."}\n]}', encoding="utf-8")
    result = cli("import", "zendesk", export, tmp_path / "help")
    assert result.exit_code == 1, result.output
    assert "export.json:3: error: '../..' is not a locale code" in result.output


def test_deeply_nested_html_is_flattened_not_a_crash(cli, tmp_path):
    depth = 1000                    # deeper than Python's recursion limit
    result, dest = import_zendesk(cli, tmp_path, [
        {"id": n, "title": f"Deep {tag}", "locale": "en-us",
         "body": open_ * depth + f"deep text {n}" + close * depth}
        for n, (tag, open_, close) in enumerate((
            ("div", "<div>", "</div>"), ("list", "<ul><li>", "</li></ul>"),
            ("quote", "<blockquote>", "</blockquote>")), start=1)])
    assert result.exit_code == 0, result.output
    built = cli("build", dest)
    assert built.exit_code == 0, built.output
    for n, name in enumerate(("deep-div", "deep-list", "deep-quote"), start=1):
        assert f"deep text {n}" in (dest / f"site/general/{name}/index.html").read_text(
            encoding="utf-8")
    report = (dest / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    assert "general/deep-list.md: removed the formatting of elements nested more than 40 " \
        "levels deep (their text is kept)" in report


def test_addresses_that_cannot_be_read_are_dropped_not_a_crash(cli, tmp_path):
    result, dest = import_zendesk(cli, tmp_path, [
        {"id": 1, "title": "V6", "locale": "en-us", "html_url": "https://[oops/hc/articles/1",
         "body": '<a href="http://[::1">a</a><img src="https://[x/a.png">'}])
    assert result.exit_code == 0, result.output
    assert cli("build", dest).exit_code == 0
    project = write_site(tmp_path / "proj", {
        "mkdocs.yml": "site_name: X\nnav:\n  - Home: index.md\n  - Bad: 'http://[oops'\n"
                      "extra:\n  social:\n    - link: 'https://[x'\n",
        "docs/index.md": "# Home\n\n[x](http://[oops) ![i](https://[y/a.png)\n"})
    result = cli("import", "mkdocs", project / "mkdocs.yml", tmp_path / "help2")
    assert result.exit_code == 0, result.output
    built = cli("build", tmp_path / "help2")
    assert built.exit_code == 0, built.output
    report = (tmp_path / "help2/IMPORT-REPORT.md").read_text(encoding="utf-8")
    assert "index.md: removed an unreadable link address, removed an unreadable image " \
        "address" in report


def test_an_old_url_on_a_page_helpgen_makes_in_another_locale_is_left_out(cli, tmp_path):
    """An old address that would land on a generated page of a translation (/zh-cn/search/)
    is not made an alias, so the imported site builds; the report says why."""
    result, dest = import_zendesk(cli, tmp_path, [
        {"id": 1, "title": "Refunds", "locale": "en-us", "body": "<p>One</p>",
         "html_url": "https://acme.zendesk.com/hc/en-us/articles/1-Refunds"},
        {"id": 1, "title": "退款", "locale": "zh-cn", "body": "<p>一</p>",
         "html_url": "https://acme.zendesk.com/zh-CN/search"}])
    assert result.exit_code == 0, result.output
    built = cli("build", dest, "--strict")
    assert built.exit_code == 0, built.output
    assert "/zh-CN/search" in (dest / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    assert "zh-CN/search" not in (dest / "articles/general/refunds.zh-CN.md").read_text(
        encoding="utf-8")
