"""The search index of `helpgen build` with a cache: each build follows the index the last one
stored in the cache (the postings, the rows, the articles' keys) and changes what the edits
changed; every build's index files are byte for byte those of a cold build of the same input,
whatever it edited, and whatever became of the stored index."""

from __future__ import annotations

import random
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from conftest import BASIC_CONFIG, article, tree, write_site

from helpgen.infra.cache import CACHE_DIR

pytestmark = pytest.mark.usefixtures("settled")

ARTICLES = 48
SEARCH = "_helpgen/search"


@pytest.fixture
def help_site(tmp_path) -> Path:
    """ARTICLES articles over two categories of two sections, words shared by few or most
    articles, every fourth one translated to Chinese."""
    rng = random.Random(18)
    common = [f"com{n}" for n in range(20)]
    rare = [f"rar{n}" for n in range(300)]
    files = {"helpgen.yml": BASIC_CONFIG}
    for n in range(ARTICLES):
        place = f"articles/c{n % 2}/s{n % 4 // 2}/a{n}"
        words = " ".join(rng.choice(common if rng.random() < 0.6 else rare)
                         for _ in range(20 + n % 30))
        files[f"{place}.md"] = article(f"{rng.choice(common).title()} {rng.choice(rare)} {n}",
                                       f"{words}.\n\n## {rng.choice(rare)}\n\nEnd {n}.",
                                       tags=f"[{rng.choice(common)}]")
        if n % 4 == 0:
            files[f"{place}.zh-CN.md"] = article(f"账单 {n}", f"申请退款流程很简单 {n}。")
    return write_site(tmp_path / "site", files)


def _search_files(cli, site: Path, *options) -> dict:
    result = cli("build", site, "-q", *options)
    assert result.exit_code == 0, result.output
    return tree(site / "site" / SEARCH)


def _cold(cli, site: Path, tmp_path: Path) -> dict:
    """The index files of a build of `site`'s files without a cache."""
    copy = tmp_path / "cold"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(CACHE_DIR, "site"))
    return _search_files(cli, copy, "--no-cache")


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _retitle(path: Path, title: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join(f"title: {title}" if line.startswith("title:") else line
                              for line in lines), encoding="utf-8")


def _edits(site: Path):
    """(what, change of the site's files), the edits of several kinds a writer makes."""
    articles = site / "articles"
    return [
        ("a sentence", lambda: _append(articles / "c0/s0/a0.md", "\nOne more rar7 sentence.\n")),
        ("a word many articles hold", lambda: [
            _append(articles / f"c{n % 2}/s{n % 4 // 2}/a{n}.md", " com3 quokka")
            for n in range(0, ARTICLES, 3)]),
        ("a title", lambda: _retitle(articles / "c1/s0/a5.md", "Aardvark first")),
        ("an article added", lambda: write_site(site, {"articles/c0/s1/new.md": article(
            "Brand new", "com1 com2 rar9 quokka.")})),
        ("an article moved", lambda: (articles / "c0/s1/a6.md").rename(
            articles / "c1/s1/a6.md")),
        ("a translation", lambda: _append(articles / "c0/s0/a4.zh-CN.md", "\n还有一句话。\n")),
        ("an article removed", lambda: (articles / "c1/s1/a7.md").unlink()),
        ("two sentences, a tag", lambda: (
            _append(articles / "c0/s0/a8.md", "\nrar1 rar2.\n"),
            _append(articles / "c1/s0/a9.md", "\nthe end.\n"),
            _retitle(articles / "c1/s0/a13.md", "Zz top"))),
    ]


def test_warm_builds_after_edits_of_every_kind_index_as_a_cold_build(cli, help_site, tmp_path):
    """One build after another, each after an edit of another kind: the same index files as
    a cold build of the same files."""
    assert _search_files(cli, help_site) == _cold(cli, help_site, tmp_path)
    for what, edit in _edits(help_site):
        edit()
        assert _search_files(cli, help_site) == _cold(cli, help_site, tmp_path), what


def test_a_warm_build_indexes_the_edited_article_alone(cli, help_site):
    """After a sentence added to one article, the build tokenizes that article only, from the
    index the last build stored: not every article's terms from the cache (here deleted from
    the cache file, which a build would otherwise have to make again)."""
    cli.build(help_site)
    with closing(sqlite3.connect(help_site / CACHE_DIR / "cache.sqlite")) as db, db:
        db.execute("DELETE FROM entry WHERE kind = 'terms'")
    _append(help_site / "articles/c0/s0/a0.md", "\nOne more sentence.\n")
    assert cli.build(help_site)["indexed"] == 1


@pytest.mark.parametrize("damage", [
    "UPDATE entry SET value = x'8004' WHERE kind = 'index-state'",
    "UPDATE entry SET value = x'00' WHERE kind = 'index-state'",
    "DELETE FROM entry WHERE kind = 'index'",
    "DELETE FROM entry WHERE kind = 'index-state'",
])
def test_a_damaged_or_missing_stored_index_is_indexed_anew(cli, help_site, tmp_path, damage):
    """A stored index that cannot be read, or whose files are gone: the next build indexes
    the site anew, as a cold build does."""
    cli.build(help_site)
    with closing(sqlite3.connect(help_site / CACHE_DIR / "cache.sqlite")) as db, db:
        db.execute(damage)
    _append(help_site / "articles/c0/s0/a0.md", "\nOne more sentence.\n")
    assert _search_files(cli, help_site) == _cold(cli, help_site, tmp_path)


def test_a_stale_stored_index_is_followed_or_indexed_anew(cli, help_site, tmp_path):
    """The cache file of several builds ago put back (its stored index is of other
    articles), then another build's stored index in the current file (its files are gone):
    each next build indexes as a cold build."""
    cli.build(help_site)
    cache_file = help_site / CACHE_DIR / "cache.sqlite"
    old = tmp_path / "old.sqlite"
    shutil.copy(cache_file, old)
    for what, edit in _edits(help_site)[:3]:
        edit()
        cli.build(help_site)
    with closing(sqlite3.connect(cache_file)) as db, db:
        db.execute("ATTACH ? AS old", (str(old),))
        db.execute("DELETE FROM entry WHERE kind = 'index-state'")
        db.execute("INSERT INTO entry SELECT * FROM old.entry WHERE kind = 'index-state'")
    _append(help_site / "articles/c1/s0/a1.md", "\nrar4.\n")
    assert _search_files(cli, help_site) == _cold(cli, help_site, tmp_path)
    shutil.copy(old, cache_file)
    _append(help_site / "articles/c0/s1/a2.md", "\nrar5.\n")
    assert _search_files(cli, help_site) == _cold(cli, help_site, tmp_path)
