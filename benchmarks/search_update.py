"""The search index of one edit in a live preview session against indexing the same locale from
scratch, in one run (issue 18).

    python benchmarks/search_update.py [--size 10000] [--site FOLDER] [--edits 5]
                                       [--moves title near far] [--compare-each]
                                       [--helpgen-root PATH] [--command-line]

Generates a corpus (benchmarks/corpus.py, `--size` English articles; the translations are left
out) or uses the one in `--site` (with its translations: every locale is indexed, the edits
are in the first), and reads its content model as `helpgen build` does (the Markdown is
cached in FOLDER/.helpgen-cache-<code>/, one per helpgen code measured). Then, in this
process:

  1. the cold index: `build_index` of the model without a cache (every article tokenized);
  2. the session's first index, in a cache kept as `helpgen serve` keeps it (`remember`);
  3. `--edits` edits, each a sentence appended to one article's body (a new body key), then
     a title edit that moves the article in its section (placed by its new title), a move of
     an article (with its translations: a new key and URL) to the next section, and one from
     the first category to the last: each a new model made as the live preview makes it,
     copies of the locale, category, section and article along the paths to the edited
     articles (`dataclasses.replace`), every other object the same; each indexed with
     `cache.next_build()`: an edit's time;
  4. the last edit's files (with --compare-each: those of the title edit and of each move)
     compared byte for byte with a cold index of its model.

With `--command-line`, the index is that of `helpgen build` with a cache instead: step 2
indexes into a cache folder and saves it, and each edit indexes with a new `BuildCache` of that
folder (from what the last one stored, no object of the previous model used) and saves it;
the time of each save (the stored index pickled and written) and the size of the stored
index states are printed too.

The garbage collector's generations are frozen before the edits, as serve does between builds.
Prints each time (wall, and the CPU time of this process: a cold index also runs workers),
the median body edit and its ratio to the cold index. `--helpgen-root`
measures another checkout's helpgen (the code before a change) with this script.
"""

from __future__ import annotations

import argparse
import bisect
import gc
import hashlib
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def with_article(site, doc: int, change):
    """`site` with its first locale's article number `doc` replaced by change(article), as the
    live preview makes the next model: copies along the path to it, everything else shared."""
    locale = site.locales[0]
    categories = list(locale.categories)
    for number, category in enumerate(categories):
        sections = list(category.sections)
        for place, section in enumerate(sections):
            if doc < len(section.articles):
                articles = list(section.articles)
                articles[doc] = change(articles[doc])
                sections[place] = replace(section, articles=tuple(articles))
                categories[number] = replace(category, sections=tuple(sections))
                locale = replace(locale, categories=tuple(categories))
                return replace(site, locales=(locale, *site.locales[1:]))
            doc -= len(section.articles)
    raise IndexError(doc)


def relocated(site, key: str, change, section_key: str | None = None, every_locale=False):
    """`site` with the article `key` replaced by change(article, section) and put where its
    title sorts (sections order articles without an `order` by title) in `section`, the one
    keyed `section_key` (its own if None): a title edit, or with every_locale its file (and
    its translations') moved there. Copies along the paths to the two sections, everything
    else shared."""
    locales = list(site.locales)
    for number, locale in enumerate(locales[:None if every_locale else 1]):
        sections = [list(category.sections) for category in locale.categories]
        found = [(c, s, a) for c, category in enumerate(sections)
                 for s, section in enumerate(category)
                 for a, article in enumerate(section.articles) if article.key == key]
        if not found:
            continue
        c, s, a = found[0]
        to_c, to_s = (c, s) if section_key is None else next(
            (c, s) for c, category in enumerate(sections) for s, section in enumerate(category)
            if section.key == section_key)
        article = change(sections[c][s].articles[a], sections[to_c][to_s])
        sections[c][s] = replace(sections[c][s], articles=tuple(
            other for place, other in enumerate(sections[c][s].articles) if place != a))
        articles = list(sections[to_c][to_s].articles)
        articles.insert(bisect.bisect([(other.title.casefold(), other.key) for other in articles],
                                      (article.title.casefold(), article.key)), article)
        sections[to_c][to_s] = replace(sections[to_c][to_s], articles=tuple(articles))
        locales[number] = replace(locale, categories=tuple(
            category if all(new is old for new, old in zip(sections[n], category.sections))
            else replace(category, sections=tuple(sections[n]))
            for n, category in enumerate(locale.categories)))
    return replace(site, locales=tuple(locales))


def moved_to(site, key: str, section_key: str):
    """`site` with the article `key` moved, in every locale, to the section `section_key` (which
    holds articles): its key, URL, category and section those of a file in that folder."""
    new_key = f"{section_key}/{key.rsplit('/', 1)[1]}"

    def change(article, section):
        return replace(article, key=new_key, url=article.url.replace(key, new_key),
                       category=section.articles[0].category, section=section.articles[0].section)
    return relocated(site, key, change, section_key, every_locale=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="English articles")
    parser.add_argument("--site", type=Path, help="a corpus folder to use (generated if absent)")
    parser.add_argument("--edits", type=int, default=5, help="body edits to time")
    parser.add_argument("--helpgen-root", type=Path, default=ROOT)
    parser.add_argument("--moves", nargs="*", default=["title", "near", "far"],
                        choices=["title", "near", "far"],
                        help="which of the title edit, the move to the next section and the "
                             "move to the last category to time (all by default)")
    parser.add_argument("--compare-each", action="store_true",
                        help="compare each title edit and move with a cold index, not the last")
    parser.add_argument("--command-line", action="store_true",
                        help="time helpgen build's index (a cache folder) instead of serve's")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.helpgen_root.resolve()))
    sys.path.insert(1, str(ROOT))
    from benchmarks import corpus
    from helpgen.content.markup import BodyParts
    from helpgen.content.model import Body
    from helpgen.errors import Report
    from helpgen.infra.cache import BuildCache
    from helpgen.output.search.index import build_index
    from helpgen.pipeline import read_site
    from helpgen.settings.config import load_config

    site_dir = args.site or Path(tempfile.mkdtemp(prefix="search-update-")) / "site"
    if not (site_dir / "helpgen.yml").is_file():
        corpus.generate(site_dir, args.size)
        for translation in site_dir.glob("articles/**/*.*.md"):
            translation.unlink()
    code = hashlib.blake2b(str(args.helpgen_root.resolve()).encode(), digest_size=4).hexdigest()
    started = time.perf_counter()
    report = Report()
    config = load_config(site_dir, report)
    disk = BuildCache(site_dir / f".helpgen-cache-{code}")
    site = read_site(config, report, disk).sites[0]
    disk.save()
    count = len(site.locales[0].articles)
    print(f"helpgen from {args.helpgen_root}; {site_dir}: {count} articles "
          f"(model read in {time.perf_counter() - started:.1f} s)")

    def timed(what, *arguments):
        started, cpu = time.perf_counter(), time.process_time()
        result = build_index(*arguments)
        seconds = time.perf_counter() - started
        print(f"{what:<44} {seconds:8.3f} s (this process's CPU {time.process_time() - cpu:.3f} s)")
        return result, seconds

    _, cold = timed("cold index (no cache)", site, BuildCache.disabled())
    stored = Path(tempfile.mkdtemp(prefix="search-update-cache-")) if args.command_line \
        else None

    def next_cache(cache):
        """The cache of the next build: a session's, or a new one of the folder."""
        if not args.command_line:
            return cache.next_build()
        started = time.perf_counter()
        cache.save()
        print(f"{'  cache saved':<44} {time.perf_counter() - started:8.3f} s")
        return BuildCache(stored)
    if args.command_line:
        cache = BuildCache(stored)
        timed("first index, into a cache folder", site, cache)
    else:
        cache = BuildCache(None, remember=True)
        timed("session's first index", site, cache)
    gc.collect()
    gc.freeze()
    times = []
    for number in range(args.edits):
        doc = (number * 997 + 11) % count
        site = with_article(site, doc, lambda article, number=number: replace(
            article, body=Body(BodyParts.of(article.body.html,
                                            f"{article.text} Edit {number} of the ledger.",
                                            article.body.toc),
                               f"{article.body.key} edit {number}")))
        cache = next_cache(cache)
        files, seconds = timed(f"body edit {number + 1} (article {doc})", site, cache)
        times.append(seconds)
    categories = site.locales[0].categories
    middle = categories[len(categories) // 2].sections[0]
    first, last = categories[0].sections[0], categories[-1].sections[-1]
    moves = [
        (f"title edit (article {middle.articles[1].key}), placed by its new title",
         lambda site: relocated(site, middle.articles[1].key, lambda article, _: replace(
             article, title="Quokka " + article.title))),
        (f"move of {middle.articles[0].key} to the next section",
         lambda site: moved_to(site, middle.articles[0].key, categories[len(categories) // 2]
                               .sections[1].key)),
        (f"move of {first.articles[0].key} to the last category",
         lambda site: moved_to(site, first.articles[0].key, last.key))]
    moves = [move for move, kind in zip(moves, ("title", "near", "far")) if kind in args.moves]
    same = True

    def compare():
        gc.unfreeze()
        equal = [(f.path, f.content) for f in files] == \
            [(f.path, f.content) for f in build_index(site, BuildCache.disabled())]
        print(f"  equals a cold index: {'yes' if equal else 'NO'}")
        gc.freeze()
        return equal
    for what, change in moves:
        site = change(site)
        cache = next_cache(cache)
        files, _ = timed(what, site, cache)
        if args.compare_each or what == moves[-1][0]:
            same = compare() and same
    if not moves:
        same = compare()
    gc.unfreeze()
    if args.command_line:
        next_cache(cache)
        _stored_size(stored)
        shutil.rmtree(stored)
    edit = statistics.median(times)
    print(f"median body edit {edit:.3f} s = {edit / cold:.4f} of the cold index "
          f"({cold:.2f} s); edits equal a cold index: {'yes' if same else 'NO'}")
    return 0 if same else 1


def _stored_size(folder: Path) -> None:
    """The size of the stored index states in the cache file, and the time to load each."""
    import pickle
    import sqlite3
    with sqlite3.connect(folder / "cache.sqlite") as db:
        for key, blob in db.execute("SELECT key, value FROM entry WHERE kind = 'index-state'"):
            started = time.perf_counter()
            pickle.loads(blob)
            print(f"  stored index state {key}: {len(blob) / 1e6:.1f} MB, "
                  f"loaded in {time.perf_counter() - started:.3f} s")


if __name__ == "__main__":
    sys.exit(main())
