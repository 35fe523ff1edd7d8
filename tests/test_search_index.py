"""The prebuilt search index: lunr's BM25 with document idf, shards that hold what the browser
looks for, drafts and other locales kept out.

The expected scores come from outside helpgen: numbers worked out by hand from the formulas, and
lunr.py building the same documents, with each stored score decoded from the shards as the
browser reads them."""

from __future__ import annotations

import math
import re

import lunr
import pytest
from lunr.idf import idf as lunr_idf

from helpgen.output.search import index as search_index
from helpgen.output.search.tokenizer import tokenize

from conftest import (BASIC_CONFIG, EXAMPLE_SITE, Cli, article, load_locale, read_search_data,
                      write_site)

# Four articles of plain English words (none that lunr.py's stemmer, a port of Porter's
# reference code, stems apart from lunr.js's, which helpgen uses: no "day", "pay"), each with
# every field, so that lunr.py sees the same texts: the description when it is written, the
# body's "## " headings both as headings and in the body's text.
TINY = {
    "refunds": ("Refund policy", "[billing, refunds]", "How refunds work",
                "Refunds reach your card within five working weeks.\n\n## Partial refunds\n\n"
                "A partial refund returns part of an invoice."),
    "cards": ("Update your card", "[billing]", "Change the card you settle with",
              "Open billing settings and replace the card. The new card is charged next month."),
    "invoices": ("Send an invoice", "[]", "Email invoices to customers",
                 "Invoices are emailed as PDF. Customers settle by card or bank transfer."),
    "password": ("Reset your password", "[]", "Sign in again after a lost password",
                 "Click the reset link in the email we send you."),
}
BOOSTS = {"title": 10, "tags": 5, "headings": 5, "description": 2, "body": 1}   # README: titles
# weigh most, then tags and headings, then the description, then the body


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """(manifest, {term: (title postings, other postings)}, titles by document) of TINY, built."""
    files = {"helpgen.yml": "site: {title: Tiny}\n"}
    for slug, (title, tags, description, body) in TINY.items():
        files[f"articles/help/all/{slug}.md"] = article(title, body, tags=tags,
                                                         description=description)
    site = write_site(tmp_path_factory.mktemp("tiny") / "src", files)
    assert Cli()("build", site, "-q").exit_code == 0
    manifest, postings, documents = load_locale(site / "site", "en")
    return manifest, postings, [document[0] for document in documents]


def _level(score: float) -> int:
    """The score level a shard stores for `score` (helpgen/output/search/index.py: level k is
    0.01 · 1.2^k, the nearest in log scale)."""
    return round(math.log(score / 0.01) / math.log(1.2))


def test_title_scores_are_bm25_worked_out_by_hand(tiny):
    """score = idf · (k1 + 1) · tf / (k1 · (1 − b + b · length / average length) + tf) · boost,
    with lunr's k1 = 1.2, b = 0.75, idf = ln(1 + (N − n + 0.5) / (n + 0.5)) over the N = 4
    articles, n of them holding the term. Every title here has two terms (stop words such as
    "your" and "an" dropped), so the average title is 2 long and a term once in a title of 2
    has a tf part of 2.2 · 1 / (1.2 · 1 + 1) = 1; the title's boost is 10.
      "refund", in 1 article:  idf = ln(1 + 3.5 / 1.5) = 1.2040 → 12.040 → level 39 (12.25)
      "card", in 3 articles:   idf = ln(1 + 1.5 / 3.5) = 0.3567 → 3.567 → level 32 (3.42)
    (level k stands for 0.01 · 1.2^k: ln(1204) / ln(1.2) = 38.9, ln(356.7) / ln(1.2) = 32.2).
    A rarer word weighs more: with idf's smoothing at 1 instead of 0.5, "refund" would score
    10.12 (level 38); with the title weighing as the body, 1.204 (level 26)."""
    _, postings, titles = tiny
    levels = {term: {titles[doc]: (_level(score), size) for doc, (score, size)
                     in postings[term][0].items()} for term in ("refund", "card")}
    assert levels == {"refund": {"Refund policy": (39, 2)}, "card": {"Update your card": (32, 2)}}


def test_scores_are_lunr_bm25_with_document_idf(tiny):
    """Every stored score is lunr.py's for the same documents and field boosts, except that
    idf counts documents, not (field, document) pairs (helpgen/output/search/index.py): lunr.py's
    own idf over the documents holding the term stands for it. Per term and article: the title's
    score and the sum of the other fields' scores, each within the half step of its stored
    level."""
    manifest, postings, titles = tiny
    documents = []
    for title, tags, description, body in TINY.values():
        documents.append({"id": title, "title": title, "tags": " ".join(tags[1:-1].split(", ")),
                          "headings": " ".join(re.findall(r"^## (.*)$", body, re.M)),
                          "description": description, "body": body.replace("## ", "")})
    built = lunr.lunr(ref="id", fields=[{"field_name": name, "boost": boost}
                                        for name, boost in BOOSTS.items()], documents=documents)
    assert set(postings) == set(built.inverted_index)
    step = manifest["scores"][1]
    deviating = 0
    for term, (title, other) in postings.items():
        posting = built.inverted_index[term]
        holding = set().union(*(posting[name] for name in BOOSTS))
        ratio = lunr_idf({"all": dict.fromkeys(holding)}, len(TINY)) / lunr_idf(posting, len(TINY))
        deviating += ratio != 1
        expected = ({}, {})
        for name in BOOSTS:
            for ref in posting[name]:
                vector = built.field_vectors[f"{name}/{ref}"]
                weight = dict(zip(vector.elements[::2], vector.elements[1::2]))[posting["_index"]]
                kind = expected[name != "title"]
                kind[titles.index(ref)] = kind.get(titles.index(ref), 0) + weight * ratio
        for stored, exact in zip((title, other), expected):
            assert set(stored) == set(exact), term
            for doc, score in exact.items():
                rounding = 5e-4 * len(BOOSTS) * (ratio + 1)   # lunr rounds each field's score
                assert (score - rounding) * step ** -0.5 <= stored[doc][0] \
                    <= (score + rounding) * step ** 0.5, (term, titles[doc], score)
    assert deviating > 5          # words in several fields of an article: the deviation shows


def test_shards_hold_each_titles_terms_and_their_number(example_build):
    """What the browser decodes: a term's title postings are the articles whose title holds it,
    each with the number of distinct terms of that title; every term has a posting."""
    for locale in ("en", "zh-CN"):
        _, shards, documents = load_locale(example_build, locale)
        title_terms = [set(tokenize(document[0], locale)) for document in documents]
        for term, (title, other) in shards.items():
            assert title or other, term
            assert {doc: size for doc, (_, size) in title.items()} == {
                doc: len(terms) for doc, terms in enumerate(title_terms) if term in terms}, term


def _published(locale: str) -> int:
    """The example site's articles in `locale` that are not drafts, counted from its files."""
    suffix = "" if locale == "en" else f".{locale}"
    return sum(1 for path in (EXAMPLE_SITE / "articles").rglob("*.md")
               if re.fullmatch(r"[^.]+" + re.escape(suffix) + r"\.md", path.name)
               and not re.search(r"^draft: true$", path.read_text(encoding="utf-8"), re.M))


def test_index_holds_each_locale_separately_and_no_drafts(example_build):
    for locale in ("en", "zh-CN", "zh-TW"):
        manifest, postings, documents = load_locale(example_build, locale)
        urls = [d[1] for d in documents]
        assert len(urls) == manifest["documents"] == _published(locale) > 0
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


def test_each_article_is_found_by_its_own_word_in_a_large_site(tmp_path, cli):
    """A site of more articles than are tokenized at a time (index.py's TERMS_BATCH): the
    word that only one article has, in its title and its body, finds that article and no
    other, wherever it is."""
    count = search_index.TERMS_BATCH + 40
    files = {"helpgen.yml": BASIC_CONFIG}
    for n in range(count):
        files[f"articles/c{n % 3}/s/a{n}.md"] = article(f"Ledger {n}", f"Only here: tally{n}.")
    site = write_site(tmp_path / "large", files)
    assert cli("build", site, "-q").exit_code == 0
    _, postings, documents = load_locale(site / "site", "en")
    assert len(documents) == count
    for doc, (title, *_) in enumerate(documents):
        [term] = tokenize(f"tally{title.split()[1]}", "en")
        assert [set(kind) for kind in postings[term]] == [set(), {doc}], title
        assert doc in postings[title.split()[1]][0], title      # the number, in the title
