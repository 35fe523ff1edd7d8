"""The build cache and parallel conversion: rebuilds redo only what changed, and what changed
(an article, the config, a template, another article's URL) always shows.

Through `helpgen build` (how much it did: `--verbose`, see conftest.work_done), the files, and
faults at real boundaries (a full disk, another installation, one core). Only the preview
session's tests hold its in-memory cache in process, as `helpgen serve` does
(`BuildCache(remember=True)`, `build(cache=…)`)."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest

from helpgen.infra import cache
from helpgen.pipeline import build

from conftest import (BASIC_CONFIG, ROOT, Installation, article, fill, held_in_memory, tree,
                      work_done, write_site)


def html(site, page: str) -> str:
    return (site / "site" / page).read_text(encoding="utf-8")


POLICY = "articles/billing/refunds/policy.md"
REFUND = "articles/billing/refunds/request-a-refund.md"


def test_no_op_rebuild_converts_nothing_and_leaves_output_untouched(site, installation,
                                                                    settled):
    """Each build a process of its own, as on the command line. (Whether the cache file is
    written again is not asserted: the second build legitimately stores its new stamp, or, with
    files changed within seconds, that they have settled.)"""
    assert installation.build(site)["converted"] == 3  # two English articles, one Chinese
    stamp = (site / "site/index.html").stat().st_mtime_ns
    write_site(site, {"notes.txt": "a file of the site folder that is not published"})
    result = installation("build", site, "-v")        # a real build: an input changed
    assert "nothing changed" in result.stdout and work_done(result.stdout) == {
        "converted": 0, "rendered": 0, "indexed": 0, "scored": 0}
    assert (site / "site/index.html").stat().st_mtime_ns == stamp


def test_editing_one_article_converts_only_it_and_updates_every_page_showing_it(site, cli):
    cli.build(site)
    write_site(site, {POLICY: article("Refund rules", "New text about refund windows.",
                                      order=2)})
    assert cli.build(site)["converted"] == 1
    assert "Refund rules" in html(site, "billing/refunds/policy/index.html")
    assert "Refund rules" in html(site, "billing/refunds/index.html")            # listing
    assert "Refund rules" in html(site, "billing/refunds/request-a-refund/index.html")  # next
    docs = (site / "site/_helpgen/search/en/d0.js").read_text(encoding="utf-8")
    assert "Refund rules" in docs and "Refund policy" not in docs


def test_config_change_reaches_every_page(site, cli):
    cli.build(site)
    config = (site / "helpgen.yml").read_text(encoding="utf-8")
    (site / "helpgen.yml").write_text(config.replace("Acme Help", "Acme Support"),
                                      encoding="utf-8")
    cli.build(site)
    for page in ("index.html", "billing/index.html", "billing/refunds/policy/index.html",
                 "search/index.html", "404.html"):
        assert "Acme Support" in html(site, page), page


def test_moving_a_linked_article_updates_links_in_cached_articles(site, cli):
    """request-a-refund links to policy.md; renaming policy's slug must change that link even
    though request-a-refund itself did not change."""
    cli.build(site)
    write_site(site, {POLICY: article("Refund policy", order=2, slug="refund-rules")})
    cli.build(site)
    page = html(site, "billing/refunds/request-a-refund/index.html")
    assert 'href="../refund-rules/"' in page and 'href="../policy/"' not in page


def test_adding_a_missing_article_mends_links_to_it_in_cached_articles(site, cli):
    """A link to an article that does not exist yet is broken; once the article is written,
    the linking article (unchanged, cached) must link to it and the warning must go."""
    write_site(site, {REFUND: article("Request a refund", "See [the form](form.md).")})
    assert "form.md" in cli("build", site).stderr
    write_site(site, {"articles/billing/refunds/form.md": article("Refund form")})
    second = cli("build", site)
    assert second.exit_code == 0 and "form.md" not in second.stderr
    assert 'href="../form/"' in html(site, "billing/refunds/request-a-refund/index.html")


def test_unreadable_cache_is_ignored(site, cli):
    cli.build(site)
    (site / ".helpgen-cache/cache.sqlite").write_bytes(b"not a pickle")
    assert cli.build(site)["converted"] == 3
    assert "Refund policy" in html(site, "billing/refunds/policy/index.html")


def test_cached_and_parallel_builds_equal_a_cold_serial_build(tmp_path, cli, installation):
    """Markdown, pages, search terms and index rows made in worker processes (on every core
    this machine gives, for 60 articles), and a cached rebuild's (the articles' text read from
    the cache), are the same bytes as a build without cache on one core (a CI runner limited
    to one: no workers)."""
    files = {"helpgen.yml": "site: {title: Many, url: 'https://h.example/'}\n"}
    for n in range(60):
        files[f"articles/c{n % 3}/s{n % 4}/a{n}.md"] = article(
            f"Article {n}", f"Text {n} — 退款 ✓. See [next](a{n + 1}.md) and `code {n}`.\n\n"
            f"## Part {n} — 第{n}部分")
    site = write_site(tmp_path / "many", files)
    assert cli.build(site, "-o", tmp_path / "parallel")["converted"] == 60
    assert cli.build(site, "-o", tmp_path / "cached")["converted"] == 0
    installation.cores = {0}
    assert installation.build(site, "-o", tmp_path / "serial", "--no-cache")["converted"] == 60
    assert tree(tmp_path / "parallel") == tree(tmp_path / "serial") == tree(tmp_path / "cached")
    page = (tmp_path / "cached/c1/s1/a1/index.html").read_text(encoding="utf-8")
    assert "Text 1 — 退款 ✓" in page and "Part 1 — 第1部分" in page


def test_static_files_have_content_hashed_names_and_long_cache_headers(site, cli):
    cli.build(site)
    out = site / "site"
    css = next((out / "_theme").glob("helpgen.*.css"))
    assert re.fullmatch(r"helpgen\.[0-9a-f]{8}\.css", css.name)
    page = html(site, "billing/refunds/policy/index.html")
    assert f'href="../../../_theme/{css.name}"' in page
    headers = (out / "_headers").read_text()
    assert f"/_theme/{css.name}\n  Cache-Control: public, max-age=31536000, immutable" in headers
    assert "/_helpgen/search/*\n  Cache-Control: public, max-age=300" in headers
    assert css.read_bytes() == (ROOT / "themes/default/static/helpgen.css").read_bytes()


def test_precompressed_twins_match_their_files(site, cli):
    import gzip

    import brotli
    cli.build(site, "--precompress")
    out = site / "site"
    index = (out / "index.html").read_bytes()
    assert gzip.decompress((out / "index.html.gz").read_bytes()) == index
    assert brotli.decompress((out / "index.html.br").read_bytes()) == index
    assert not (out / "robots.txt.gz").exists()          # too small to gain anything


# --- Front matter cached by file stat -------------------------------------------------------


def test_edit_keeping_size_and_modification_time_is_reflected(site, cli, monkeypatch):
    """An edit of the same length whose modification time is set back (touch -r, some sync
    tools) is still seen: writing moves the file's change time, which nobody can set back."""
    monkeypatch.setenv("HELPGEN_SETTLE_SECONDS", "0")    # no re-reading by content here
    path = site / POLICY
    cli.build(site)
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("Refund policy", "Refund POLICY"),
                    encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    cli.build(site)
    assert "Refund POLICY" in html(site, "billing/refunds/policy/index.html")


def test_file_rewritten_without_changing_its_stat_is_compared_by_content(site, cli, tmp_path,
                                                                         monkeypatch):
    """A second write within one timestamp tick leaves size, times and inode as they were
    (here: through a shared memory map, see held_in_memory). The first build reads the file
    moments after it changed, so the next build compares it by content (like git's "racily
    clean" files). That build writes to another folder: no stamp of an earlier build of it
    answers it, its articles are read. (A window of a minute: the first build may come seconds
    late on a busy machine.)"""
    monkeypatch.setenv("HELPGEN_SETTLE_SECONDS", "60")
    with held_in_memory(site / POLICY) as rewrite:
        cli.build(site)
        rewrite("Refund policy", "Refund POLICY")
        cli.build(site, "-o", tmp_path / "other")
    page = (tmp_path / "other/billing/refunds/policy/index.html").read_text(encoding="utf-8")
    assert "Refund POLICY" in page


def test_deleted_and_renamed_articles_are_reflected(site, cli):
    cli.build(site)
    (site / POLICY).rename(site / "articles/billing/refunds/refund-rules.md")
    (site / "articles/billing/refunds/request-a-refund.zh-CN.md").unlink()
    write_site(site, {REFUND: article("Request a refund", "See [rules](refund-rules.md).",
                                      order=1)})
    cli.build(site)
    out = site / "site"
    assert (out / "billing/refunds/refund-rules/index.html").is_file()
    assert not (out / "billing/refunds/policy").exists()
    assert not (out / "zh-CN/billing/refunds/request-a-refund").exists()
    assert 'href="../refund-rules/"' in html(site, "billing/refunds/request-a-refund/index.html")


# --- Versions of helpgen and its libraries: real other installations -------------------------


def test_changed_asset_and_theme_static_file_are_copied(site, installation):
    write_site(site, {"assets/note.txt": "version 1"})
    installation.build(site)
    write_site(site, {"assets/note.txt": "version 2"})          # same size
    css = installation.folder / "themes/default/static/helpgen.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.custom-rule{}\n", encoding="utf-8")
    installation.build(site)
    out = site / "site"
    assert (out / "assets/note.txt").read_text() == "version 2"
    [built_css] = (out / "_theme").glob("helpgen.*.css")
    assert ".custom-rule{}" in built_css.read_text(encoding="utf-8")
    assert built_css.name in html(site, "index.html")


def test_new_helpgen_version_starts_cold(site, installation):
    assert installation.build(site)["converted"] == 3
    init = installation.folder / "helpgen/__init__.py"
    init.write_text(re.sub(r'__version__ = "([^"]+)"', r'__version__ = "\1.post1"',
                           init.read_text(encoding="utf-8")), encoding="utf-8")
    assert installation("--version").stdout.strip().endswith(".post1")
    assert installation.build(site)["converted"] == 3
    assert "Refund policy" in html(site, "billing/refunds/policy/index.html")


def test_the_same_versions_installed_again_keep_the_cache(site, installation, tmp_path):
    """A fresh virtual environment (or a CI machine restoring .helpgen-cache) has new files
    with the same versions: a real build (the files are new), reusing everything."""
    installation.build(site)
    again = Installation(tmp_path / "installed-again")
    assert again.build(site) == {"converted": 0, "rendered": 0, "indexed": 0, "scored": 0}


def test_a_cache_restored_on_a_fresh_checkout_is_reused(site, installation, tmp_path):
    """CI restores .helpgen-cache (README's workflow) into a new checkout at the same path, on
    another runner's installation: new files with the same text and no output folder. Nothing
    is converted again."""
    installation.build(site)
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.relative_to(site).parts[0] not in (".helpgen-cache", "site"):
            text = path.read_bytes()
            path.unlink()
            path.write_bytes(text)                   # a new file: new inode and times
    shutil.rmtree(site / "site")
    assert Installation(tmp_path / "runner").build(site)["converted"] == 0
    assert "Refund policy" in html(site, "billing/refunds/policy/index.html")


def test_a_site_moved_elsewhere_keeps_its_cache(site, cli, tmp_path):
    """A CI runner restoring .helpgen-cache into a checkout at another path, or a writer
    renaming the site's folder: nothing is converted or rendered again (every article was
    converted again before), and a problem found when an article was converted is reported
    at the file's new place."""
    write_site(site, {"articles/billing/refunds/broken.md": article(
        "Broken", "See [the missing page](../nowhere.md).")})
    cli("build", site)
    moved = tmp_path / "renamed"
    shutil.copytree(site, moved)             # new files: new inodes and times
    result = cli("build", moved, "--verbose")
    assert result.exit_code == 0, result.stderr
    assert work_done(result.stdout) == {"converted": 0, "rendered": 0, "indexed": 0,
                                        "scored": 0}
    assert "articles/billing/refunds/broken.md:5: warning: link to a missing" in result.stderr
    assert str(site) not in result.stderr + result.stdout


def test_a_library_without_a_file_is_compared_by_version_every_time(site, installation,
                                                                     tmp_path, monkeypatch):
    """Installed where its files cannot be seen (here Markdown imported from a zip file), a
    library's upgrade would not show in files' signatures: no build is answered without
    building, but the cache is still used."""
    monkeypatch.setenv("HELPGEN_SETTLE_SECONDS", "0")
    import markdown
    archive = tmp_path / "markdown.zip"
    folder = Path(markdown.__file__).parent
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in folder.rglob("*.py"):
            zipped.write(path, path.relative_to(folder.parent).as_posix())
    installation.libraries = [archive]
    assert installation.build(site)["converted"] == 3
    assert installation.build(site) == {"converted": 0, "rendered": 0, "indexed": 0,
                                        "scored": 0}


@pytest.mark.parametrize("library", ["markdown", "pymdownx", "jinja2", "pygments"])
def test_an_upgraded_library_is_another_code_version(site, installation, tmp_path, library):
    """Cached HTML was made by these libraries: a new version of one must not reuse it."""
    installation.build(site)
    module = __import__(library)
    upgraded = tmp_path / "upgraded"
    copy = shutil.copytree(Path(module.__file__).parent, upgraded / library,
                           ignore=shutil.ignore_patterns("__pycache__"))
    with open(copy / "__init__.py", "a", encoding="utf-8") as init:
        init.write('\n__version__ = __version__ + ".post1"\n')
    installation.libraries = [upgraded]
    assert installation.build(site)["converted"] == 3


# --- The output folder ----------------------------------------------------------------------


def test_one_edit_rewrites_only_changed_files(site, cli):
    cli.build(site)
    out = site / "site"
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    write_site(site, {POLICY: article("Refund policy", "Text about refund windows.", order=2)})
    cli.build(site)
    rewritten = {p.relative_to(out).as_posix() for p, stamp in stamps.items()
                 if p.stat().st_mtime_ns != stamp}
    assert "billing/refunds/policy/index.html" in rewritten
    assert "zh-CN/index.html" not in rewritten and "robots.txt" not in rewritten
    assert not [p for p in out.rglob("*helpgen-new*")]


def test_output_file_edited_by_hand_is_restored(site, cli):
    cli.build(site)
    page = site / "site/billing/refunds/policy/index.html"
    original = page.read_bytes()
    page.write_bytes(original.replace(b"Refund policy", b"Hacked policy"))
    assert "nothing changed" not in cli("build", site).stdout
    assert page.read_bytes() == original


def test_deleted_cache_still_leaves_unchanged_output_untouched(site, cli):
    cli.build(site)
    stamp = (site / "site/index.html").stat().st_mtime_ns
    shutil.rmtree(site / ".helpgen-cache")
    result = cli("build", site, "-v")
    assert "nothing changed" in result.stdout and work_done(result.stdout)["converted"] == 3
    assert (site / "site/index.html").stat().st_mtime_ns == stamp


def test_cache_keeps_only_what_the_last_build_used(site, cli):
    """Edits replace entries instead of adding to them: the cache does not grow. (An edited
    article's previous search terms are kept one build longer, for the index to compare.)"""
    def rows():
        with sqlite3.connect(site / ".helpgen-cache/cache.sqlite") as db:
            return db.execute("SELECT COUNT(*) FROM entry").fetchone()[0]

    cli.build(site)
    first = rows()
    counts = []
    for n in range(4):
        write_site(site, {POLICY: article("Refund policy", f"Version {n}.", order=2)})
        cli.build(site)
        counts.append(rows())
    assert counts == [first + 1] * 4


def test_a_build_too_large_to_hold_its_entries_keeps_them_all(tmp_path, cli):
    """A build writes its entries to the file as it goes once there are many (a thousand: here
    200 articles' sources, bodies, terms, pages …), so they need not all fit in memory: the
    next build still finds every one, and the entries written early are not taken for unused
    ones when the build ends."""
    files = {"helpgen.yml": "site: {title: Many}\n"}
    for n in range(200):
        files[f"articles/c{n % 4}/s{n % 5}/a{n}.md"] = article(f"Article {n}", f"Text {n}.")
    site = write_site(tmp_path / "large", files)
    assert cli.build(site)["converted"] == 200
    with sqlite3.connect(site / ".helpgen-cache/cache.sqlite") as db:
        entries = db.execute("SELECT COUNT(*) FROM entry").fetchone()[0]
    assert entries > cache.FLUSH_ENTRIES
    write_site(site, {"articles/c0/s0/a0.md": article("Article 0", "New text.")})
    assert cli.build(site)["converted"] == 1
    assert "New text." in (site / "site/c0/s0/a0/index.html").read_text(encoding="utf-8")


def test_precompressed_twins_are_made_once_and_follow_edits(site, cli):
    import gzip

    made = cli.build(site, "--precompress")["compressed"]
    again = cli("build", site, "--precompress", "-v")
    assert made and "nothing changed" in again.stdout
    assert work_done(again.stdout).get("compressed", 0) == 0     # nothing compressed again
    write_site(site, {POLICY: article("Refund rules", "Text. " * 300, order=2)})
    edited = cli.build(site, "--precompress")["compressed"]
    page = site / "site/billing/refunds/policy/index.html"
    assert gzip.decompress(page.with_name("index.html.gz").read_bytes()) == page.read_bytes()
    assert 0 < edited < made                             # only what the edit changed


def test_cache_deleted_during_a_preview_session_is_written_again(site):
    """`helpgen serve` keeps one cache for its session; deleting .helpgen-cache meanwhile (to
    start cold) must not leave later builds writing to the deleted file."""
    session = cache.BuildCache(site / ".helpgen-cache", remember=True)
    build(site, cache=session)
    shutil.rmtree(site / ".helpgen-cache")
    write_site(site, {POLICY: article("Refund rules", order=2)})
    build(site, cache=session.next_build())
    with sqlite3.connect(site / ".helpgen-cache/cache.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM entry").fetchone()[0] > 0


def test_conversions_are_kept_when_writing_the_site_fails(site, cli, small_disk):
    """The cache is saved while the output is written: after a full disk is freed, the next
    build does not convert everything again."""
    out = small_disk / "public"
    fill(small_disk, leave=16 * 1024)
    failed = cli("build", site, "-o", out)
    assert failed.exit_code == 1 and "No space left on device" in failed.stderr
    (small_disk / "filler").unlink()
    assert cli.build(site, "-o", out)["converted"] == 0
    assert "Refund policy" in (out / "billing/refunds/policy/index.html").read_text()


def test_a_full_disk_under_the_cache_still_builds_the_site(site, cli, small_disk, tmp_path):
    """The cache is optional: when the disk holding it is full (here the site folder is on a
    full 4 MB disk), the site is built all the same and the build says the cache was not saved;
    once there is space, the next build saves every entry, and the one after reuses them."""
    site = shutil.copytree(site, small_disk / "site")
    out = tmp_path / "public"
    fill(small_disk, leave=16 * 1024)
    full = cli("build", site, "-o", out)
    assert full.exit_code == 0, full.stderr
    assert "warning: the build cache was not saved: database or disk is full" in full.stderr
    assert "Refund policy" in (out / "billing/refunds/policy/index.html").read_text()
    (small_disk / "filler").unlink()
    freed = cli("build", site, "-o", out)
    assert freed.exit_code == 0 and "warning" not in freed.stderr
    assert cli.build(site, "-o", out)["converted"] == 0


def test_brands_sharing_articles_reuse_them_from_the_cache(site, cli):
    """Brands built together share articles, so each entry is asked for once per brand: a
    later build finds it for both."""
    write_site(site, {"helpgen.yml": BASIC_CONFIG + "brands:\n  - {id: acme}\n  - {id: bolt}\n"})
    assert cli.build(site)["converted"] == 3
    write_site(site, {REFUND: article("Request a refund", "Read the [rules](policy.md).",
                                      order=1)})
    assert cli.build(site)["converted"] == 1
    for brand in ("acme", "bolt"):
        page = html(site, f"{brand}/billing/refunds/request-a-refund/index.html")
        assert "Read the" in page and "Refund policy" in html(site, f"{brand}/billing/refunds/"
                                                                      "policy/index.html")


def test_search_terms_outlive_a_build_that_reuses_the_index(site, cli):
    """A build whose indexed text did not change (here: a config edit) reuses each locale's
    index whole, and keeps the articles' search terms for the next edit."""
    cli.build(site)
    config = (site / "helpgen.yml").read_text(encoding="utf-8")
    (site / "helpgen.yml").write_text(config.replace("Acme Help", "Acme Support"),
                                      encoding="utf-8")
    work = cli.build(site)
    assert work["rendered"] > 0 and work["indexed"] == work["scored"] == 0
    write_site(site, {POLICY: article("Refund policy", "New wording.", order=2)})
    assert cli.build(site)["indexed"] == 1                # the other articles' terms were kept


WORDS = "alpha beta gamma delta epsilon zeta theta kappa lambda sigma omega".split()


def many_articles(config: str = "site: {title: Many, url: 'https://h.example/'}\n") -> dict:
    """60 articles in three categories whose bodies mix a few words in different amounts."""
    files = {"helpgen.yml": config}
    for n in range(60):
        body = " ".join(WORDS[(n * k) % len(WORDS)] for k in range(1, 40 + n % 17))
        files[f"articles/c{n % 3}/s{n % 4}/a{n}.md"] = article(f"Article {n} {WORDS[n % 11]}",
                                                               body)
    return files


def test_edits_in_a_preview_session_rescore_few_terms_and_equal_a_cold_build(tmp_path, cli):
    """An edit changes the average body length, so every body score moves a little; the index
    re-scores only the terms whose levels can move, and its files are still the bytes a cold
    build makes of the same input."""
    site = write_site(tmp_path / "many", many_articles())
    session = cache.BuildCache(site / ".helpgen-cache", remember=True)
    every_term = build(site, tmp_path / "live", cache=session).work["scored"]
    for n in (5, 17, 42):
        path = next(site.glob(f"articles/*/*/a{n}.md"))
        path.write_text(path.read_text(encoding="utf-8") + f"\nOne more line {n}.\n",
                        encoding="utf-8")
        session = session.next_build()
        scored = build(site, tmp_path / "live", cache=session).work["scored"]
        assert 0 < scored < every_term / 2
    cli.build(site, "-o", tmp_path / "cold", "--no-cache")
    assert tree(tmp_path / "live") == tree(tmp_path / "cold")


EDITS = {   # name -> (front matter, body) -> (front matter, body)
    "sentence": lambda meta, body: (meta, body + "\nAnother line about invoices.\n"),
    "word dropped": lambda meta, body: (meta, body.split(" ", 1)[1]),
    "words repeated": lambda meta, body: (meta, body + "\n\n" + body[:80]),
    "tags": lambda meta, body: (meta + "tags: [invoices, extra]\n", body),
    "title": lambda meta, body: (meta.replace("title: Article", "title: Old article"), body),
}


@pytest.mark.parametrize("session", [True, False], ids=["serve", "command line"])
def test_every_kind_of_edit_gives_the_index_a_cold_build_makes(tmp_path, cli, session):
    """Kept rows (an edited article's levels unchanged, or checked again) must never differ
    from what scoring everything again gives, whatever the edit. The preview's builds (one
    cache in memory for the session, as `helpgen serve` keeps it) or `helpgen build`'s."""
    site = write_site(tmp_path / "many", many_articles())
    preview = cache.BuildCache(site / ".helpgen-cache", remember=True)

    def build_live():
        nonlocal preview
        if not session:
            return cli.build(site, "-o", tmp_path / "live")
        build(site, tmp_path / "live", cache=preview)
        preview = preview.next_build()

    build_live()
    for number, (name, edit) in enumerate(EDITS.items()):
        for n in (number, number + 30):
            path = next(site.glob(f"articles/*/*/a{n}.md"))
            meta, _, body = path.read_text(encoding="utf-8")[4:].partition("---\n")
            meta, body = edit(meta, body)
            path.write_text(f"---\n{meta}---\n{body}", encoding="utf-8")
        build_live()
        cli.build(site, "-o", tmp_path / "cold", "--no-cache")
        assert tree(tmp_path / "live") == tree(tmp_path / "cold"), name


def test_each_brand_keeps_its_own_index_rows_for_the_next_edit(tmp_path, cli):
    """Two brands with different articles in the same locale: an edit re-scores few terms in
    each, instead of one brand's rows replacing the other's."""
    site = write_site(tmp_path / "brands", many_articles(
        "site: {title: Many, url: 'https://h.example/'}\n"
        "brands:\n  - {id: all}\n  - {id: some, categories: [c0]}\n"))
    every_term = cli.build(site)["scored"]
    path = site / "articles/c0/s0/a0.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert 0 < cli.build(site)["scored"] < every_term / 4
