"""Real help centers from ../shared/corpora: helpgen must cope with content written for other
tools (GitBook, a docs repository) at real sizes. Skipped when the corpora are not present.

The corpora are read only; every build writes to a temporary folder, and the one corpus that
needs a fix is copied first.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import CORPORA, Cli, link_targets, read_html, target_file

if not CORPORA.is_dir():
    pytest.skip(f"no corpora at {CORPORA}", allow_module_level=True)

AUDACITY = CORPORA / "audacity-en"
TIDB = CORPORA / "tidb-zh"
ALIAS_CONFLICT = re.compile(
    r"^(?P<file>articles/\S+\.md):(?P<line>\d+): error: the alias '(?P<alias>[^']+)' is "
    r"already taken by (?P<other>articles/\S+\.md)$")
SUMMARY = re.compile(r"^Build failed with (\d+) errors?; nothing was written\.$")


def article_pages(out: Path) -> list[Path]:
    return [p for p in out.rglob("index.html")
            if 'class="page-article"' in p.read_text(encoding="utf-8")]


def pages_built(stdout: str) -> int:
    match = re.search(r"Built (\d+) pages", stdout)
    assert match, stdout
    return int(match.group(1))


# --- Audacity (GitBook export, English) ----------------------------------------------------

@pytest.fixture(scope="module")
def audacity(tmp_path_factory):
    out = tmp_path_factory.mktemp("audacity") / "site"
    result = Cli()("build", AUDACITY, "-o", out)
    return result, out


def test_audacity_builds_all_articles(audacity):
    """The GitBook corpus builds (broken GitBook image links are only warnings) and publishes
    every one of its 129 articles."""
    result, out = audacity
    assert result.exit_code == 0, result.stderr[-3000:]
    assert "warning" in result.stdout and "error:" not in result.stderr
    assert len(article_pages(out)) == 129
    assert (out / "sitemap.xml").read_text(encoding="utf-8").count("<lastmod>") == 129
    assert not (AUDACITY / "site").exists(), "the corpus folder must stay untouched"


@pytest.mark.parametrize("url, title", [
    ("basics/general/keyboard-shortcuts/", None),
    ("community/contributing/translating/", None),
    ("basics/", "Basics"),
    ("", "Audacity Support"),
])
def test_audacity_pages_exist_and_link_correctly(audacity, url, title):
    """Category, section and article pages exist with a heading, and every link to a page on
    them is relative and opens a file."""
    _, out = audacity
    file = out / url / "index.html"
    assert file.is_file()
    page = read_html(file)
    heading = " ".join(page.find("h1").get_text().split())
    assert heading and (title is None or heading == title)
    # Page links (…/ or …/#anchor); GitBook's own dead links stay as written, with a warning.
    pages = [h for h in link_targets(page)
             if not urlsplit(h).scheme and urlsplit(h).path.endswith("/")]
    assert pages and not [h for h in pages if h.startswith("/")]
    assert [h for h in pages if not target_file(out, file, h).is_file()] == []


# --- TiDB (docs repository export, Simplified Chinese, 1,206 articles) ----------------------

@pytest.fixture(scope="module")
def tidb_failed(tmp_path_factory):
    """The corpus as it is: two articles claim the same old URLs."""
    out = tmp_path_factory.mktemp("tidb-failed") / "site"
    return Cli()("build", TIDB, "-o", out, "--quiet"), out


def conflicts(stderr: str) -> list[re.Match]:
    return [m for line in stderr.splitlines() if (m := ALIAS_CONFLICT.match(line))]


def test_tidb_fails_only_on_alias_conflicts(tidb_failed):
    """Every error is an alias conflict that names both files, with the line of the alias;
    the build writes nothing."""
    result, out = tidb_failed
    assert result.exit_code == 1
    error_lines = [line for line in result.stderr.splitlines() if ": error: " in line]
    found = conflicts(result.stderr)
    assert error_lines and len(found) == len(error_lines), error_lines
    for match in found:
        file, other, alias = match["file"], match["other"], match["alias"]
        assert file != other
        source_lines = (TIDB / file).read_text(encoding="utf-8").splitlines()
        assert alias in source_lines[int(match["line"]) - 1], match.group(0)
        assert alias in (TIDB / other).read_text(encoding="utf-8")
    summary = SUMMARY.match(result.stderr.splitlines()[-1])
    assert summary and int(summary.group(1)) == len(found)
    assert not out.exists()
    assert not [p for p in out.parent.iterdir()], "no temporary folder may be left behind"


@pytest.fixture(scope="module")
def tidb_fixed(tmp_path_factory, tidb_failed):
    """A copy of the corpus with the conflicting alias lines removed from the article the
    errors name; the original stays untouched."""
    root = tmp_path_factory.mktemp("tidb-fixed")
    copy = root / "tidb-zh"
    shutil.copytree(TIDB, copy)
    lines_to_drop: dict[str, set[int]] = {}
    for match in conflicts(tidb_failed[0].stderr):
        lines_to_drop.setdefault(match["file"], set()).add(int(match["line"]))
    assert lines_to_drop
    for file, numbers in lines_to_drop.items():
        path = copy / file
        lines = path.read_text(encoding="utf-8").split("\n")
        path.write_text("\n".join(line for index, line in enumerate(lines, 1)
                                  if index not in numbers), encoding="utf-8")
    out = root / "site"
    return Cli()("build", copy, "-o", out), out, copy


def test_tidb_builds_once_the_conflicts_are_removed(tidb_fixed):
    """Without the duplicate aliases the 1,206-article Chinese corpus builds."""
    result, out, _ = tidb_fixed
    assert result.exit_code == 0, result.stderr[-3000:]
    assert pages_built(result.stdout) > 1206
    assert len(article_pages(out)) == 1206


def test_tidb_home_page_is_in_chinese(tidb_fixed):
    """The home page shows the Chinese site title, Chinese UI and Chinese article titles."""
    _, out, _ = tidb_fixed
    home = read_html(out / "index.html")
    assert home.title.get_text().strip() == "TiDB 文档"
    assert home.find("h1").get_text().strip() == "TiDB 文档"
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN"' in html and "最近更新" in html
    recent = html.split('id="recent-heading"', 1)[1].split("</section>", 1)[0]
    titles = re.findall(r'<a href="[^"]+">([^<]+)</a>', recent)
    assert len(titles) == 6
    assert [t for t in titles if re.search(r"[\u4e00-\u9fff]", t)], titles


def test_tidb_root_relative_md_links_become_page_links(tidb_fixed):
    """`/sql-statements/sql-statement-select.md` (written for the docs repository's layout) links
    to the article's page, relative to the reader's page."""
    _, out, copy = tidb_fixed
    target = (out / "sql-statements/general/sql-statement-select/index.html").resolve()
    assert target.is_file()
    sources = sorted(p for p in (copy / "articles").rglob("*.md")
                     if "](/sql-statements/sql-statement-select.md" in p.read_text("utf-8"))
    assert sources
    checked = 0
    for source in sources[:5]:
        relative = source.relative_to(copy / "articles").with_suffix("")
        page = out / relative / "index.html"
        assert page.is_file(), page
        hrefs = link_targets(read_html(page))
        assert not [h for h in hrefs if urlsplit(h).path.endswith(".md")], page
        leading = [h for h in hrefs if "sql-statement-select/" in h]
        assert leading, page
        for href in leading:
            assert not href.startswith("/")
            assert target_file(out, page, href) == target
            checked += 1
    assert checked
