"""The search index of one edit in a live preview session against indexing the same locale from
scratch, in one run (issue 18).

    python benchmarks/search_update.py [--size 10000] [--site FOLDER] [--edits 5]
                                       [--helpgen-root PATH]

Generates a corpus (benchmarks/corpus.py, `--size` English articles; the translations are left
out, one locale is measured) or uses the one in `--site`, and reads its content model as
`helpgen build` does (the Markdown is cached in FOLDER/.helpgen-cache-<code>/, one per helpgen
code measured). Then, in this process:

  1. the cold index: `build_index` of the model without a cache (every article tokenized);
  2. the session's first index, in a cache kept as `helpgen serve` keeps it (`remember`);
  3. `--edits` edits, each a sentence appended to one article's body (a new body key), and
     then one title edit: each a new model made as the live preview makes it, copies of the
     locale, category, section and article along the path to the edited article
     (`dataclasses.replace`), every other object the same; each indexed with
     `cache.next_build()`: an edit's time;
  4. the last edit's files compared byte for byte with a cold index of its model.

The garbage collector's generations are frozen before the edits, as serve does between builds.
Prints each time, the median body edit and its ratio to the cold index. `--helpgen-root`
measures another checkout's helpgen (the code before a change) with this script.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="English articles")
    parser.add_argument("--site", type=Path, help="a corpus folder to use (generated if absent)")
    parser.add_argument("--edits", type=int, default=5, help="body edits to time")
    parser.add_argument("--helpgen-root", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.helpgen_root.resolve()))
    sys.path.insert(1, str(ROOT))
    from benchmarks import corpus
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
        started = time.perf_counter()
        result = build_index(*arguments)
        seconds = time.perf_counter() - started
        print(f"{what:<44} {seconds:8.3f} s")
        return result, seconds

    _, cold = timed("cold index (no cache)", site, BuildCache.disabled())
    cache = BuildCache(None, remember=True)
    timed("session's first index", site, cache)
    gc.collect()
    gc.freeze()
    times = []
    for number in range(args.edits):
        doc = (number * 997 + 11) % count
        site = with_article(site, doc, lambda article, number=number: replace(
            article, body=Body(article.body.html, f"{article.text} Edit {number} of the ledger.",
                               article.body.toc, f"{article.body.key} edit {number}")))
        cache = cache.next_build()
        files, seconds = timed(f"body edit {number + 1} (article {doc})", site, cache)
        times.append(seconds)
    site = with_article(site, 5, lambda article: replace(article, title="Quokka " + article.title))
    cache = cache.next_build()
    files, _ = timed("title edit (article 5)", site, cache)
    gc.unfreeze()
    same = [(f.path, f.content) for f in files] == \
        [(f.path, f.content) for f in build_index(site, BuildCache.disabled())]
    edit = statistics.median(times)
    print(f"median body edit {edit:.3f} s = {edit / cold:.4f} of the cold index "
          f"({cold:.2f} s); last edit equals a cold index: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
