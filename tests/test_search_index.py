"""The prebuilt search index: lunr's scores, shards that hold what the browser looks for,
drafts and other locales kept out."""

from __future__ import annotations

import json
import re

import pytest
from lunr.builder import Builder
from lunr.pipeline import Pipeline

from helpgen import index as search_index
from helpgen.tokenizer import tokenize

from conftest import article, write_site

DATA = re.compile(r'^helpgenSearchData\("(\w+)","([^"]+)",(.*)\);\n$', re.S)


def read_data(path):
    match = DATA.match(path.read_text(encoding="utf-8"))
    assert match, path
    return match.group(1), match.group(2), json.loads(match.group(3))


def load_locale(out, locale):
    folder = out / "_helpgen" / "search" / locale
    _, _, manifest = read_data(folder / "manifest.js")
    postings = {}
    bounds = [None, *manifest["boundaries"], None]
    for number in range(len(bounds) - 1):
        _, key, shard = read_data(folder / f"s{number}.js")
        assert key == f"{locale}/{number}"
        low, high = bounds[number], bounds[number + 1]
        for term, _term_index, fields in shard:   # each shard holds one range of sorted terms
            assert (low is None or low <= term) and (high is None or term < high)
            postings[term] = fields
    documents = []
    for chunk in range((manifest["documents"] + manifest["chunk"] - 1) // manifest["chunk"]):
        documents += read_data(folder / f"d{chunk}.js")[2]
    return manifest, postings, documents


def test_scores_equal_lunr_builder(example_build):
    """Our counting is lunr.py's Builder, only faster: same terms, same field scores."""
    manifest, postings, documents = load_locale(example_build, "zh-CN")
    fields = manifest["fields"]
    builder = Builder()
    builder.pipeline, builder.search_pipeline = Pipeline(), Pipeline()
    builder.ref("id")
    for name, boost in search_index.FIELDS:
        builder.field(name, boost=boost)
    site_articles = _articles(example_build, "zh-CN")
    assert len(site_articles) == manifest["documents"] == len(documents)
    for doc, article_obj in enumerate(site_articles):
        texts = search_index.document_fields(article_obj)
        builder.add({"id": str(doc), **{name: tokenize(texts[name], "zh-CN")
                                        for name, _ in search_index.FIELDS}})
    lunr_index = builder.build()
    assert set(postings) == set(lunr_index.inverted_index)
    term_index = {term: posting["_index"] for term, posting in lunr_index.inverted_index.items()}
    for term, by_field in postings.items():
        for field, flat in by_field:
            for doc, score in zip(flat[::2], flat[1::2]):
                vector = lunr_index.field_vectors[f"{fields[field]}/{doc}"]
                expected = dict(zip(vector.elements[::2], vector.elements[1::2]))
                assert score == pytest.approx(expected[term_index[term]], abs=1e-3), term


_BUILT = {}


def _articles(out, locale):
    """The model the example build came from (rebuilt in memory, without writing)."""
    from conftest import EXAMPLE_SITE
    from helpgen.config import load_config
    from helpgen.errors import Report
    from helpgen.load import load_sources
    from helpgen.model import build_site
    if "site" not in _BUILT:
        report = Report()
        config = load_config(EXAMPLE_SITE, report)
        _BUILT["site"] = build_site(config, load_sources(config, report), report, None, "/")
    return next(l for l in _BUILT["site"].locales if l.code == locale).articles


def test_index_holds_each_locale_separately_and_no_drafts(example_build):
    for locale in ("en", "zh-CN", "zh-TW"):
        manifest, postings, documents = load_locale(example_build, locale)
        urls = [d[1] for d in documents]
        assert len(urls) == manifest["documents"] == len(_articles(example_build, locale)) > 0
        assert not any("mobile-app-sign-in-loop" in url for url in urls)  # the draft
        assert all(url.startswith("" if locale == "en" else f"{locale}/") for url in urls)
    _, zh_postings, zh_docs = load_locale(example_build, "zh-CN")
    assert "退款" in zh_postings and "申请" in zh_postings
    _, en_postings, _ = load_locale(example_build, "en")
    assert "退款" not in en_postings and "refund" in en_postings


def test_big_index_is_split_into_shards(tmp_path, cli):
    """Enough text for several shards: each shard file stays near the target size."""
    words = " ".join(f"word{n} 词{chr(0x4E00 + n)}{chr(0x4E80 + n)}" for n in range(600))
    files = {"helpgen.yml": "site: {title: Big}\n"}
    for n in range(60):
        files[f"articles/c/s/a{n}.md"] = article(f"Article {n}", words + f" unique{n}")
    site = write_site(tmp_path / "big", files)
    assert cli("build", site, "-q").exit_code == 0
    manifest, postings, _ = load_locale(site / "site", "en")
    assert len(manifest["boundaries"]) > 1
    sizes = [p.stat().st_size for p in (site / "site/_helpgen/search/en").glob("s*.js")]
    assert max(sizes) < 4 * search_index.SHARD_TARGET_BYTES
    assert "unique7" in postings
