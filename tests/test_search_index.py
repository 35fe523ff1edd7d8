"""The prebuilt search index: lunr's BM25 with document idf, shards that hold what the browser
looks for, drafts and other locales kept out."""

from __future__ import annotations

import pytest
from lunr.builder import Builder
from lunr.idf import idf as lunr_idf
from lunr.pipeline import Pipeline

from helpgen.output.search import index as search_index
from helpgen.infra.cache import BuildCache
from helpgen.output.search.tokenizer import tokenize

from conftest import BASIC_CONFIG, article, load_locale, read_search_data, write_site


def _scored(locale):
    articles = _articles(locale)
    keys = [search_index.terms_key(a, locale) for a in articles]
    postings, lengths = search_index.field_postings(articles, keys, locale, BuildCache.disabled())
    return postings, search_index.scored_postings(postings, lengths, len(articles))


def test_scores_are_lunr_bm25_with_document_idf():
    """Field scores are lunr.py's Builder's, except that idf counts documents, not (field,
    document) pairs: per term, every score differs from lunr's by one factor, the ratio of the
    two idfs, and a term in the title and the body of one article counts once."""
    articles = _articles("zh-CN")
    builder = Builder()
    builder.pipeline, builder.search_pipeline = Pipeline(), Pipeline()
    builder.ref("id")
    for name, boost in search_index.FIELDS:
        builder.field(name, boost=boost)
    for doc, article_obj in enumerate(articles):
        texts = search_index.document_fields(article_obj)
        builder.add({"id": str(doc), **{name: tokenize(texts[name], "zh-CN")
                                        for name, _ in search_index.FIELDS}})
    lunr_index = builder.build()
    fields = [name for name, _ in search_index.FIELDS]
    postings, scored = _scored("zh-CN")
    assert set(scored) == set(lunr_index.inverted_index)
    deviating = 0
    for term, by_field in scored.items():
        lunr_posting = lunr_index.inverted_index[term]
        documents = {doc for docs in by_field.values() for doc in docs}
        ratio = (search_index.idf(len(articles), len(documents))
                 / lunr_idf(lunr_posting, len(articles)))
        deviating += abs(ratio - 1) > 0.01
        for field, docs in by_field.items():
            for doc, score in docs.items():
                vector = lunr_index.field_vectors[f"{fields[field]}/{doc}"]
                expected = dict(zip(vector.elements[::2], vector.elements[1::2]))
                # both rounded to 3 places, lunr's before the ratio
                assert score == pytest.approx(expected[lunr_posting["_index"]] * ratio,
                                              abs=5e-4 * (ratio + 1) + 1e-9), term
    assert deviating > 100       # terms in several fields: the documented deviation shows


def test_shards_hold_each_terms_scores_and_title_lengths(example_build):
    """What the browser decodes: per term the title score and the title's number of distinct
    terms, and one score for the other fields (their sum), each to within one score level."""
    manifest, shards, _ = load_locale(example_build, "zh-CN")
    postings, scored = _scored("zh-CN")
    assert set(shards) == set(scored)
    title_terms = {}
    for by_field in postings.values():
        for doc in by_field.get(0, ()):
            title_terms[doc] = title_terms.get(doc, 0) + 1
    step = manifest["scores"][1]
    for term, (title, other) in shards.items():
        by_field = scored[term]
        assert {d: title_terms[d] for d in by_field.get(0, {})} == {d: n for d, (_, n) in title.items()}
        sums = {}
        for field, docs in by_field.items():
            for doc, score in docs.items():
                if field:
                    sums[doc] = sums.get(doc, 0) + score
        assert set(sums) == set(other)
        for written, exact in [(title, by_field.get(0, {})), (other, sums)]:
            for doc, score in exact.items():
                if score >= manifest["scores"][0]:
                    assert step ** -0.5 <= written[doc][0] / score <= step ** 0.5, term


_BUILT = {}


def _articles(locale):
    """The model the example build came from (rebuilt in memory, without writing)."""
    from conftest import EXAMPLE_SITE
    from helpgen.settings.config import load_config
    from helpgen.errors import Report
    from helpgen.content.sources import load_sources
    from helpgen.content.model import build_site
    if "site" not in _BUILT:
        report = Report()
        config = load_config(EXAMPLE_SITE, report)
        _BUILT["site"] = build_site(config, load_sources(config, report), report, None, "/")
    return next(l for l in _BUILT["site"].locales if l.code == locale).articles


def test_index_holds_each_locale_separately_and_no_drafts(example_build):
    for locale in ("en", "zh-CN", "zh-TW"):
        manifest, postings, documents = load_locale(example_build, locale)
        urls = [d[1] for d in documents]
        assert len(urls) == manifest["documents"] == len(_articles(locale)) > 0
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


def test_snippet_texts_are_the_start_of_each_article_cut_at_a_sentence(tmp_path, cli):
    """Snippet files stay small (SNIPPET_TEXT_BYTES of UTF-8 at most, in English or Chinese)
    and end with a whole sentence; a short article is kept whole."""
    files = {"helpgen.yml": BASIC_CONFIG,
             "articles/c/s/long.md": article("Long", "Refunds take five days to arrive. " * 80),
             "articles/c/s/long.zh-CN.md": article("长文", "退款需要五个工作日才能到账。" * 80),
             "articles/c/s/short.md": article("Short", "One sentence only")}
    site = write_site(tmp_path / "snip", files)
    assert cli("build", site, "-q").exit_code == 0
    for locale, end in (("en", "arrive."), ("zh-CN", "到账。")):
        folder = site / "site/_helpgen/search" / locale
        _, _, documents = load_locale(site / "site", locale)
        doc = next(i for i, d in enumerate(documents) if d[0] in ("Long", "长文"))
        text = read_search_data(folder / f"x{doc}.js")[2]
        assert len(text.encode()) <= search_index.SNIPPET_TEXT_BYTES
        assert len(text.encode()) > search_index.SNIPPET_TEXT_BYTES * 0.8 and text.endswith(end)
    _, _, documents = load_locale(site / "site", "en")
    short = next(i for i, d in enumerate(documents) if d[0] == "Short")
    assert read_search_data(site / "site/_helpgen/search/en" / f"x{short}.js")[2] == "One sentence only"
