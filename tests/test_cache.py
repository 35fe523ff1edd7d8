"""The build cache and parallel conversion: rebuilds redo only what changed, and what changed
(an article, the config, a template, another article's URL) always shows."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3

import pytest

from helpgen.infra import cache
from helpgen.content import sources as load
from helpgen.infra import parallel
from helpgen.output import theme_folders as themes
from helpgen.pipeline import build

from conftest import article, rewrite_keeping_stat, tree, write_site


def html(site, page: str) -> str:
    return (site / "site" / page).read_text(encoding="utf-8")


POLICY = "articles/billing/refunds/policy.md"
REFUND = "articles/billing/refunds/request-a-refund.md"


def test_no_op_rebuild_converts_nothing_and_leaves_output_untouched(site, conversions):
    assert build(site).written
    first = len(conversions)
    assert first == 3                                  # two English articles, one Chinese
    stamp = (site / "site/index.html").stat().st_mtime_ns
    cache_stamp = (site / ".helpgen-cache/cache.sqlite").stat().st_mtime_ns
    result = build(site)
    assert len(conversions) == first and not result.changed
    assert (site / "site/index.html").stat().st_mtime_ns == stamp
    assert (site / ".helpgen-cache/cache.sqlite").stat().st_mtime_ns == cache_stamp


def test_editing_one_article_converts_only_it_and_updates_every_page_showing_it(
        site, conversions):
    build(site)
    before = len(conversions)
    write_site(site, {POLICY: article("Refund rules", "New text about refund windows.",
                                      order=2)})
    build(site)
    assert len(conversions) == before + 1
    assert "Refund rules" in html(site, "billing/refunds/policy/index.html")
    assert "Refund rules" in html(site, "billing/refunds/index.html")            # listing
    assert "Refund rules" in html(site, "billing/refunds/request-a-refund/index.html")  # next
    docs = (site / "site/_helpgen/search/en/d0.js").read_text(encoding="utf-8")
    assert "Refund rules" in docs and "Refund policy" not in docs


def test_config_change_reaches_every_page(site, conversions):
    build(site)
    config = (site / "helpgen.yml").read_text(encoding="utf-8")
    (site / "helpgen.yml").write_text(config.replace("Acme Help", "Acme Support"),
                                      encoding="utf-8")
    build(site)
    for page in ("index.html", "billing/index.html", "billing/refunds/policy/index.html",
                 "search/index.html", "404.html"):
        assert "Acme Support" in html(site, page), page


def test_template_change_reaches_every_page(site, tmp_path, monkeypatch):
    theme = shutil.copytree(themes.theme_dir(), tmp_path / "theme")
    monkeypatch.setattr("helpgen.output.theme_folders.theme_dir", lambda name: theme)
    build(site)
    footer = theme / "templates/partials/footer.html"
    footer.write_text(footer.read_text(encoding="utf-8").replace(
        "</footer>", "<p>Custom footer</p></footer>"), encoding="utf-8")
    build(site)
    for page in ("index.html", "zh-CN/index.html", "billing/refunds/policy/index.html"):
        assert "Custom footer" in html(site, page), page


def test_moving_a_linked_article_updates_links_in_cached_articles(site, conversions):
    """request-a-refund links to policy.md; renaming policy's slug must change that link even
    though request-a-refund itself did not change."""
    build(site)
    write_site(site, {POLICY: article("Refund policy", order=2, slug="refund-rules")})
    build(site)
    page = html(site, "billing/refunds/request-a-refund/index.html")
    assert 'href="../refund-rules/"' in page and 'href="../policy/"' not in page


def test_adding_a_missing_article_mends_links_to_it_in_cached_articles(site):
    """A link to an article that does not exist yet is broken; once the article is written,
    the linking article (unchanged, cached) must link to it and the warning must go."""
    write_site(site, {REFUND: article("Request a refund", "See [the form](form.md).")})
    first = build(site)
    assert any("form.md" in w.message for w in first.report.warnings)
    write_site(site, {"articles/billing/refunds/form.md": article("Refund form")})
    second = build(site)
    assert not any("form.md" in w.message for w in second.report.warnings)
    assert 'href="../form/"' in html(site, "billing/refunds/request-a-refund/index.html")


def test_unreadable_cache_is_ignored(site):
    build(site)
    (site / ".helpgen-cache/cache.sqlite").write_bytes(b"not a pickle")
    assert build(site).written
    assert "Refund policy" in html(site, "billing/refunds/policy/index.html")


def test_cached_and_parallel_builds_equal_a_cold_serial_build(tmp_path, monkeypatch):
    """Markdown, pages, search terms and index rows made in worker processes (a pool for any
    number of tasks here): the output, and a cached rebuild's, are the same bytes as a
    single-process build without cache."""
    files = {"helpgen.yml": "site: {title: Many, url: 'https://h.example/'}\n"}
    for n in range(60):
        files[f"articles/c{n % 3}/s{n % 4}/a{n}.md"] = article(
            f"Article {n}", f"Text {n}. See [next](a{n + 1}.md) and `code {n}`.\n\n## Part {n}")
    site = write_site(tmp_path / "many", files)
    monkeypatch.setattr(parallel, "MINIMUM", 2)
    on_every_core = build(site, tmp_path / "parallel")
    cached = build(site, tmp_path / "cached")
    assert on_every_core.written and cached.written
    monkeypatch.setattr(parallel, "MINIMUM", 10**6)
    serial = build(site, tmp_path / "serial", use_cache=False)
    assert serial.written
    assert tree(tmp_path / "parallel") == tree(tmp_path / "serial") == tree(tmp_path / "cached")


def test_static_files_have_content_hashed_names_and_long_cache_headers(site):
    build(site)
    out = site / "site"
    css = next((out / "_theme").glob("helpgen.*.css"))
    assert re.fullmatch(r"helpgen\.[0-9a-f]{8}\.css", css.name)
    page = html(site, "billing/refunds/policy/index.html")
    assert f'href="../../../_theme/{css.name}"' in page
    headers = (out / "_headers").read_text()
    assert f"/_theme/{css.name}\n  Cache-Control: public, max-age=31536000, immutable" in headers
    assert "/_helpgen/search/*\n  Cache-Control: public, max-age=300" in headers
    theme_css = themes.theme_dir() / "static/helpgen.css"
    assert css.read_bytes() == theme_css.read_bytes()


def test_precompressed_twins_match_their_files(site):
    import gzip

    import brotli
    build(site, precompress=True)
    out = site / "site"
    index = (out / "index.html").read_bytes()
    assert gzip.decompress((out / "index.html.gz").read_bytes()) == index
    assert brotli.decompress((out / "index.html.br").read_bytes()) == index
    assert not (out / "robots.txt.gz").exists()          # too small to gain anything


# --- Front matter cached by file stat -------------------------------------------------------


def test_edit_keeping_size_and_modification_time_is_reflected(site, monkeypatch):
    """An edit of the same length whose modification time is set back (touch -r, some sync
    tools) is still seen: writing moves the file's change time, which nobody can set back."""
    monkeypatch.setattr(load, "RACY_NANOSECONDS", 0)      # no re-reading by content here
    path = site / POLICY
    build(site)
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("Refund policy", "Refund POLICY"),
                    encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    build(site)
    assert "Refund POLICY" in html(site, "billing/refunds/policy/index.html")


def test_file_rewritten_without_changing_its_stat_is_compared_by_content(site, monkeypatch):
    """Two writes of the same length within one timestamp tick leave size, times and inode as
    they were. The first build reads the file moments after the fixture wrote it, so on the
    next build it is compared by content (like git's "racily clean" files)."""
    build(site)
    rewrite_keeping_stat(monkeypatch, site / POLICY, "Refund policy", "Refund POLICY")
    build(site)
    assert "Refund POLICY" in html(site, "billing/refunds/policy/index.html")


def test_deleted_and_renamed_articles_are_reflected(site):
    build(site)
    (site / POLICY).rename(site / "articles/billing/refunds/refund-rules.md")
    (site / "articles/billing/refunds/request-a-refund.zh-CN.md").unlink()
    write_site(site, {REFUND: article("Request a refund", "See [rules](refund-rules.md).",
                                      order=1)})
    assert not build(site).report.failed
    out = site / "site"
    assert (out / "billing/refunds/refund-rules/index.html").is_file()
    assert not (out / "billing/refunds/policy").exists()
    assert not (out / "zh-CN/billing/refunds/request-a-refund").exists()
    assert 'href="../refund-rules/"' in html(site, "billing/refunds/request-a-refund/index.html")


def test_changed_asset_and_theme_static_file_are_copied(site, tmp_path, monkeypatch):
    theme = shutil.copytree(themes.theme_dir(), tmp_path / "theme")
    monkeypatch.setattr("helpgen.output.theme_folders.theme_dir", lambda name: theme)
    write_site(site, {"assets/note.txt": "version 1"})
    build(site)
    write_site(site, {"assets/note.txt": "version 2"})          # same size
    css = theme / "static/helpgen.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.custom-rule{}\n", encoding="utf-8")
    build(site)
    out = site / "site"
    assert (out / "assets/note.txt").read_text() == "version 2"
    [built_css] = (out / "_theme").glob("helpgen.*.css")
    assert ".custom-rule{}" in built_css.read_text(encoding="utf-8")
    assert built_css.name in html(site, "index.html")


def test_new_helpgen_version_starts_cold(site, conversions, monkeypatch):
    build(site)
    before = len(conversions)
    monkeypatch.setattr(cache, "code_signature", lambda: "another signature")
    monkeypatch.setattr(cache, "code_version", lambda: "another version")
    build(site)
    assert len(conversions) == 2 * before
    monkeypatch.undo()
    assert "Refund policy" in html(site, "billing/refunds/policy/index.html")


def test_the_same_versions_installed_again_keep_the_cache(site, conversions, monkeypatch):
    """A fresh virtual environment (or a CI machine restoring .helpgen-cache) has new files
    with the same versions: their signature differs, the code version does not."""
    build(site)
    before = len(conversions)
    monkeypatch.setattr(cache, "code_signature", lambda: "installed again")
    result = build(site)
    assert not result.up_to_date and not result.changed     # a real build, reusing everything
    assert len(conversions) == before


def test_a_cache_restored_on_a_fresh_checkout_is_reused(site, conversions, monkeypatch):
    """CI restores .helpgen-cache (README's workflow) into a new checkout at the same path:
    new files with the same text and no output folder. Nothing is converted again."""
    build(site)
    before = len(conversions)
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.relative_to(site).parts[0] not in (".helpgen-cache", "site"):
            text = path.read_bytes()
            path.unlink()
            path.write_bytes(text)                   # a new file: new inode and times
    shutil.rmtree(site / "site")
    monkeypatch.setattr(cache, "code_signature", lambda: "another runner's installation")
    result = build(site)
    assert result.written and len(conversions) == before
    assert "Refund policy" in html(site, "billing/refunds/policy/index.html")


def test_a_library_without_a_file_is_compared_by_version_every_time(monkeypatch):
    """Installed where its files cannot be seen (a zip import), a library's upgrade would not
    show in the signature: there is then no signature to trust."""
    import importlib.util
    original = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None if name == "markdown"
                        else original(name))
    signatures = set()
    for _ in range(2):
        cache.code_signature.cache_clear()
        signatures.add(cache.code_signature())
    cache.code_signature.cache_clear()
    assert len(signatures) == 2


@pytest.mark.parametrize("library", ["markdown", "pymdownx", "jinja2", "pygments"])
def test_an_upgraded_library_is_another_code_version(monkeypatch, library):
    """Cached HTML was made by these libraries: a new version of one must not reuse it."""
    module = __import__(library)
    before = cache._code_version()
    monkeypatch.setattr(module, "__version__", module.__version__ + ".post1")
    assert cache._code_version() != before


# --- The output folder ----------------------------------------------------------------------


def test_one_edit_rewrites_only_changed_files(site):
    build(site)
    out = site / "site"
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    write_site(site, {POLICY: article("Refund policy", "Text about refund windows.", order=2)})
    build(site)
    rewritten = {p.relative_to(out).as_posix() for p, stamp in stamps.items()
                 if p.stat().st_mtime_ns != stamp}
    assert "billing/refunds/policy/index.html" in rewritten
    assert "zh-CN/index.html" not in rewritten and "robots.txt" not in rewritten
    assert not [p for p in out.rglob("*helpgen-new*")]


def test_output_file_edited_by_hand_is_restored(site):
    build(site)
    page = site / "site/billing/refunds/policy/index.html"
    original = page.read_bytes()
    page.write_bytes(original.replace(b"Refund policy", b"Hacked policy"))
    assert build(site).changed
    assert page.read_bytes() == original


def test_deleted_cache_still_leaves_unchanged_output_untouched(site):
    build(site)
    stamp = (site / "site/index.html").stat().st_mtime_ns
    shutil.rmtree(site / ".helpgen-cache")
    assert not build(site).changed
    assert (site / "site/index.html").stat().st_mtime_ns == stamp


def test_cache_keeps_only_what_the_last_build_used(site):
    """Edits replace entries instead of adding to them: the cache does not grow. (An edited
    article's previous search terms are kept one build longer, for the index to compare.)"""
    def rows():
        with sqlite3.connect(site / ".helpgen-cache/cache.sqlite") as db:
            return db.execute("SELECT COUNT(*) FROM entry").fetchone()[0]

    build(site)
    first = rows()
    counts = []
    for n in range(4):
        write_site(site, {POLICY: article("Refund policy", f"Version {n}.", order=2)})
        build(site)
        counts.append(rows())
    assert counts == [first + 1] * 4


def test_precompressed_twins_are_made_once_and_follow_edits(site, monkeypatch):
    import gzip

    from helpgen.output import write
    calls = []
    original = write.brotli.compress
    monkeypatch.setattr(write.brotli, "compress", lambda data: calls.append(1) or original(data))
    build(site, precompress=True)
    made = len(calls)
    assert made and not build(site, precompress=True).changed
    assert len(calls) == made                            # nothing compressed again
    write_site(site, {POLICY: article("Refund rules", "Text. " * 300, order=2)})
    build(site, precompress=True)
    page = site / "site/billing/refunds/policy/index.html"
    assert gzip.decompress(page.with_name("index.html.gz").read_bytes()) == page.read_bytes()
    assert made < len(calls) < 2 * made                  # only what the edit changed


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


def test_conversions_are_kept_when_writing_the_site_fails(site, conversions, monkeypatch):
    """The cache is saved while the output is written: after a full disk is freed, the next
    build does not convert everything again."""
    from helpgen.output import write
    from helpgen.errors import HelpgenError

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(write, "_write_file", disk_full)
        with pytest.raises(HelpgenError, match="No space left"):
            build(site)
    converted = len(conversions)
    assert converted == 3 and build(site).written
    assert len(conversions) == converted
    assert "Refund policy" in html(site, "billing/refunds/policy/index.html")


def test_a_failure_while_saving_in_the_background_is_saved_over(site, conversions, monkeypatch):
    """Saving on another thread that fails (a locked or damaged file) leaves save() to write
    every entry itself."""
    original, calls = cache._insert, []

    def failing_once(db, entries):
        calls.append(len(entries))
        if len(calls) == 1:
            raise sqlite3.OperationalError("database is locked")
        return original(db, entries)

    monkeypatch.setattr(cache, "_insert", failing_once)
    build(site)
    assert len(calls) == 2 and calls[1] > calls[0]      # the second call wrote them all
    converted = len(conversions)
    assert not build(site).changed and len(conversions) == converted


def test_a_bug_while_saving_in_the_background_is_reported_once_by_the_build(site, monkeypatch,
                                                                            capsys):
    def broken(db, entries):
        raise TypeError("cannot pickle")

    monkeypatch.setattr(cache, "_insert", broken)
    with pytest.raises(TypeError, match="cannot pickle"):
        build(site)
    assert "Exception in thread" not in capsys.readouterr().err


def test_an_entry_asked_for_twice_in_one_build_is_found_both_times(site):
    """Brands built together share articles, so their entries are asked for once per brand."""
    build(site)
    reader = cache.BuildCache(site / ".helpgen-cache")
    key = next(iter(sqlite3.connect(site / ".helpgen-cache/cache.sqlite").execute(
        "SELECT key FROM entry WHERE kind = 'body'")))[0]
    first = reader.get("body", key)
    assert first is not None and reader.get("body", key) == first


def test_search_terms_outlive_a_build_that_reuses_the_index_without_reading_them(
        site, monkeypatch):
    """A build whose indexed text did not change (here: a config edit) reuses each locale's
    index whole: it keeps the articles' search terms for the next edit but does not read them."""
    from helpgen.output.search import index
    build(site)
    config = (site / "helpgen.yml").read_text(encoding="utf-8")
    (site / "helpgen.yml").write_text(config.replace("Acme Help", "Acme Support"),
                                      encoding="utf-8")
    read = []
    original_read = cache.BuildCache._read
    monkeypatch.setattr(cache.BuildCache, "_read",
                        lambda self, kind, key: read.append(kind) or original_read(self, kind, key))
    assert build(site).changed
    assert "index" in read and "terms" not in read
    tokenized = []
    tokenize = index.tokenize
    monkeypatch.setattr(index, "tokenize",
                        lambda text, locale: tokenized.append(text) or tokenize(text, locale))
    write_site(site, {POLICY: article("Refund policy", "New wording.", order=2)})
    build(site)
    assert "New wording." in tokenized
    assert len(tokenized) == len(index.FIELDS)          # the other articles' terms were kept


WORDS = "alpha beta gamma delta epsilon zeta theta kappa lambda sigma omega".split()


def many_articles(config: str = "site: {title: Many, url: 'https://h.example/'}\n") -> dict:
    """60 articles in three categories whose bodies mix a few words in different amounts."""
    files = {"helpgen.yml": config}
    for n in range(60):
        body = " ".join(WORDS[(n * k) % len(WORDS)] for k in range(1, 40 + n % 17))
        files[f"articles/c{n % 3}/s{n % 4}/a{n}.md"] = article(f"Article {n} {WORDS[n % 11]}",
                                                               body)
    return files


def count_encoded_terms(monkeypatch) -> list:
    """A list that gets an entry each time the index encodes a term's postings (in this
    process: no worker processes)."""
    from helpgen.output.search import index
    monkeypatch.setattr(parallel, "MINIMUM", 10**6)
    encoded = []
    encode = index.encode_postings
    monkeypatch.setattr(index, "encode_postings", lambda by_field, *args: encoded.append(
        by_field) or encode(by_field, *args))
    return encoded


def test_edits_in_a_preview_session_rescore_few_terms_and_equal_a_cold_build(
        tmp_path, monkeypatch):
    """An edit changes the average body length, so every body score moves a little; the index
    re-scores only the terms whose levels can move, and its files are still the bytes a cold
    build makes of the same input."""
    site = write_site(tmp_path / "many", many_articles())
    encoded = count_encoded_terms(monkeypatch)
    session = cache.BuildCache(site / ".helpgen-cache", remember=True)
    build(site, tmp_path / "live", cache=session)
    every_term = len(encoded)
    for n in (5, 17, 42):
        path = next(site.glob(f"articles/*/*/a{n}.md"))
        path.write_text(path.read_text(encoding="utf-8") + f"\nOne more line {n}.\n",
                        encoding="utf-8")
        session = session.next_build()
        encoded.clear()
        build(site, tmp_path / "live", cache=session)
        assert encoded and len(encoded) < every_term / 2
    build(site, tmp_path / "cold", use_cache=False)
    assert tree(tmp_path / "live") == tree(tmp_path / "cold")


EDITS = {   # name -> (front matter, body) -> (front matter, body)
    "sentence": lambda meta, body: (meta, body + "\nAnother line about invoices.\n"),
    "word dropped": lambda meta, body: (meta, body.split(" ", 1)[1]),
    "words repeated": lambda meta, body: (meta, body + "\n\n" + body[:80]),
    "tags": lambda meta, body: (meta + "tags: [invoices, extra]\n", body),
    "title": lambda meta, body: (meta.replace("title: Article", "title: Old article"), body),
}


@pytest.mark.parametrize("session", [True, False], ids=["serve", "command line"])
def test_every_kind_of_edit_gives_the_index_a_cold_build_makes(tmp_path, session):
    """Kept rows (an edited article's levels unchanged, or checked again) must never differ
    from what scoring everything again gives, whatever the edit."""
    site = write_site(tmp_path / "many", many_articles())
    live = cache.BuildCache(site / ".helpgen-cache", remember=True)
    build(site, tmp_path / "live", cache=live)
    for number, (name, edit) in enumerate(EDITS.items()):
        for n in (number, number + 30):
            path = next(site.glob(f"articles/*/*/a{n}.md"))
            meta, _, body = path.read_text(encoding="utf-8")[4:].partition("---\n")
            meta, body = edit(meta, body)
            path.write_text(f"---\n{meta}---\n{body}", encoding="utf-8")
        live = live.next_build() if session else cache.BuildCache(site / ".helpgen-cache")
        build(site, tmp_path / "live", cache=live)
        build(site, tmp_path / "cold", use_cache=False)
        assert tree(tmp_path / "live") == tree(tmp_path / "cold"), name


def test_each_brand_keeps_its_own_index_rows_for_the_next_edit(tmp_path, monkeypatch):
    """Two brands with different articles in the same locale: an edit re-scores few terms in
    each, instead of one brand's rows replacing the other's."""
    site = write_site(tmp_path / "brands", many_articles(
        "site: {title: Many, url: 'https://h.example/'}\n"
        "brands:\n  - {id: all}\n  - {id: some, categories: [c0]}\n"))
    encoded = count_encoded_terms(monkeypatch)
    session = cache.BuildCache(site / ".helpgen-cache", remember=True)
    build(site, tmp_path / "live", cache=session)
    every_term = len(encoded)
    path = site / "articles/c0/s0/a0.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    encoded.clear()
    build(site, tmp_path / "live", cache=session.next_build())
    assert encoded and len(encoded) < every_term / 4
