"""A build after an edit takes the unchanged files from the cache by their path, digest and size:
their bytes, stored apart in the cache, are read only to write or compare a file the output does
not already have (one edited or deleted by hand), and bytes that are missing or damaged there
make the file again, never a broken or empty one. Each build's output equals a cold build's of
the same input (with --precompress, and with brands)."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing

import pytest

from conftest import TWO_BRANDS, article, copy_tree, tree, write_site

POLICY = "articles/billing/refunds/policy.md"
PAGE = "billing/refunds/policy/index.html"
OTHER = "billing/refunds/request-a-refund/index.html"


def cold(cli, site, tmp_path, *options) -> dict:
    """The output of a cold build of `site`'s input (a copy without output or cache)."""
    copy = copy_tree(site, tmp_path / "cold")
    cli.build(copy, *options)
    return tree(copy / "site")


def stored_bytes(site, change: str) -> None:
    """Change the bytes of the output files the cache stores (`change`: SQL on `content`)."""
    with closing(sqlite3.connect(site / ".helpgen-cache/cache.sqlite")) as db, db:
        assert db.execute("SELECT COUNT(*) FROM content").fetchone()[0]
        db.execute(change)


def edit(site, text: str = "Refunds take two weeks.") -> None:
    """One sentence of one article changed: only its page shows it (its date and description,
    which listings show, are written)."""
    write_site(site, {POLICY: article("Refund policy", text, order=2, updated="2026-03-01",
                                      description="About refunds.")})


@pytest.fixture
def site(site):
    edit(site, "Refunds take a week.")
    return site


@pytest.mark.parametrize("options", [(), ("--precompress",)])
def test_pages_edited_or_deleted_by_hand_after_an_edit_get_their_bytes_back(
        site, cli, tmp_path, options):
    cli.build(site, *options)
    edit(site)
    assert cli.build(site, *options)["rendered"] == 1
    out = site / "site"
    (out / OTHER).write_bytes(b"edited by hand")
    (out / "zh-CN/index.html").unlink()
    (out / "billing/refunds/policy/index.md").unlink()
    result = cli.build(site, *options)
    assert result["rendered"] == 0
    assert tree(out) == cold(cli, site, tmp_path, *options)


@pytest.mark.parametrize("change", ["DELETE FROM content", "UPDATE content SET value = x'00'",
                                    "UPDATE content SET value = x''"])
def test_missing_or_damaged_bytes_in_the_cache_make_the_file_again(site, cli, tmp_path,
                                                                    change):
    """Pages, Markdown copies and compressed twins (the search index: see below)."""
    cli.build(site, "--precompress")
    stored_bytes(site, change + " WHERE kind != 'index'")
    shutil.rmtree(site / "site")          # every file is written again, from the cache
    cli.build(site, "--precompress")
    expected = cold(cli, site, tmp_path, "--precompress")
    assert tree(site / "site") == expected
    # What was made again was stored again: the next build needs nothing made.
    (site / "site" / PAGE).unlink()
    assert cli.build(site, "--precompress")["rendered"] == 0
    assert tree(site / "site") == expected


def test_a_damaged_search_index_in_the_cache_stops_one_build_and_is_made_by_the_next(
        site, cli, tmp_path):
    cli.build(site)
    stored_bytes(site, "UPDATE content SET value = x'00' WHERE kind = 'index'")
    shutil.rmtree(site / "site")
    result = cli("build", site)
    assert result.exit_code == 1 and "the build cache's copy of _helpgen/search/" in \
        result.stderr and "build again" in result.stderr
    assert not (site / "site").exists()
    cli.build(site)
    assert tree(site / "site") == cold(cli, site, tmp_path)


def test_an_edit_needs_no_stored_bytes_of_the_pages_it_leaves_alone(site, cli, tmp_path):
    """Were they read, their loss (bytes gone from the cache) would render them again."""
    cli.build(site)
    stored_bytes(site, "DELETE FROM content")
    edit(site)
    assert cli.build(site)["rendered"] == 1
    assert tree(site / "site") == cold(cli, site, tmp_path)


def test_brands_after_an_edit_equal_a_cold_build(site, cli, tmp_path):
    write_site(site, {"helpgen.yml": TWO_BRANDS,
                      "articles/devices/_category.yml": "title: {en: Devices, zh-CN: 设备}\n",
                      "articles/devices/pair.md": article("Pair a device", brands="[bolt]")})
    cli.build(site, "--precompress")
    edit(site)
    cli.build(site, "--precompress")
    (site / "site/acme" / PAGE).unlink()
    (site / "site/bolt/devices/pair/index.html").unlink()
    (site / "site/acme" / OTHER).write_bytes(b"edited by hand")
    cli.build(site, "--precompress")
    assert tree(site / "site") == cold(cli, site, tmp_path, "--precompress")


def test_the_live_preview_reads_stored_files_with_their_bytes(site, tmp_path):
    """`helpgen serve` starts from the cache a command-line build left, and compares the
    files it made with its own next build's by their bytes."""
    from helpgen.infra.cache import CACHE_DIR, BuildCache
    from helpgen.pipeline import build

    from conftest import Cli

    Cli().build(site)
    preview = BuildCache(site / CACHE_DIR, remember=True)
    first = build(site, out=tmp_path / "preview", cache=preview)
    assert first.work.get("page", 0) == 0
    edit(site)
    build(site, out=tmp_path / "preview", cache=preview.next_build())
    preview.close()
    assert tree(tmp_path / "preview") == cold(Cli(), site, tmp_path)


def test_files_compressed_by_workers_read_their_stored_bytes(tmp_path, cli):
    """The first --precompress build after plain ones compresses every page it takes from the
    cache, on worker processes (each reads the stored bytes on a connection of its own)."""
    files = {"helpgen.yml": "site: {title: Many}\n"}
    for n in range(80):
        files[f"articles/c{n % 2}/s{n % 3}/a{n}.md"] = article(f"Article {n}", "Text. " * 200)
    site = write_site(tmp_path / "many", files)
    cli.build(site)
    assert cli.build(site, "--precompress")["rendered"] == 0
    assert tree(site / "site") == cold(cli, site, tmp_path, "--precompress")
