"""Stage 4, index: a prebuilt, sharded inverted index per locale, queried by engine.js.

Why sharded: a single index must download whole before the first result (8 MB gzip as one lunr
index at 5,000 articles). Here the sorted term list is cut into ranges of about equal size (like
Pagefind's chunks), and the browser fetches only the shards whose range holds the query's terms
(or, for the word being typed, its prefix), then the titles of the documents it shows.

Terms come from lunr's pipeline (helpgen/tokenizer.py, twinned by client/tokenizer.js on lunr.js's
stemmer and stop words). Each posting carries its BM25 score, computed here as lunr's Builder does
(k1 1.2, b 0.75, field boosts, 3 places) with one deviation: idf counts the *documents* holding a
term, where lunr counts (field, document) pairs, which made a word in a title and a body look
twice as common and could push "document frequency" past the number of documents (lunr's
idf is then no longer decreasing: a word in 73% of articles scored lower than one in 99%).
The browser sums the stored scores; it does not rebuild a lunr.Index, whose per-document match
data cost 2.5–5 µs per matching document per term (50 ms for a title at 5,000 articles).

Ranking (engine.js): every term required; then the number of query terms in the title, then the
share of the title they cover (an article titled exactly as the query comes first), then the sum
of the scores. Title ≫ tags and headings ≫ description ≫ body, by the boosts below.

Everything is delivered as scripts that call `helpgenSearchData(...)`, so it works from file://
where browsers refuse fetch().

Files, per locale, under `_helpgen/search/<locale>/` (paths relative to the search root only):
  manifest.js   the first term of each shard after the first, document count, titles per
                chunk, categories, the score scale
  s<k>.js       shard k: [[term, title postings, other postings], ...], terms in code point order
  d<c>.js       documents c*CHUNK … c*CHUNK+CHUNK-1: [title, url, category, section]
  x<doc>.js     the start of one document's text (SNIPPET_TEXT_BYTES), for the snippet
Postings are strings over DIGITS, one entry per document in increasing order: the gap from the
previous document as a base-32 varint (high groups first, each but the last plus 32), then one
digit for the score (level k means SCORE_BASE * SCORE_STEP ** k), and for the title also one
digit for the number of distinct terms in that title. Other postings hold one score per
document: the sum over tags, headings, description and body.
The code that reads them (lunr.js, tokenizer.js, engine.js) is written by the render stage.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from collections import Counter, defaultdict

from helpgen.cache import BuildCache, digest
from helpgen.model import Article, Locale, Site
from helpgen.render import OutputFile, to_json
from helpgen.tokenizer import tokenize

# Field name and boost: title ≫ tags and headings ≫ description ≫ body.
FIELDS = (("title", 10), ("tags", 5), ("headings", 5), ("description", 2), ("body", 1))
K1, B = 1.2, 0.75                # lunr's BM25 defaults
DOC_CHUNK = 64                   # documents per titles file
SNIPPET_TEXT_BYTES = 1000        # UTF-8 bytes of text kept per document for its snippet
SHARD_TARGET_BYTES = 16_000      # aim for shards of about this size (uncompressed)
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-"
SCORE_BASE, SCORE_STEP = 0.01, 1.2   # score levels 0…63: 0.01 … 0.01·1.2⁶³ ≈ 970, ±10%
INDEX_VERSION = 2


def document_fields(article: Article) -> dict[str, str]:
    headings = []
    stack = list(article.toc)
    while stack:
        item = stack.pop(0)
        headings.append(item.title)
        stack[:0] = item.children
    return {"title": article.title, "tags": " ".join(article.tags),
            "headings": " ".join(headings), "description": article.description,
            "body": article.text}


def terms_key(article: Article, locale: str) -> str:
    """The cache key of an article's search terms: a hash of the texts they come from."""
    return digest(locale, tuple(document_fields(article).values()))


def document_terms(article: Article, locale: str, cache: BuildCache, key: str):
    """Per field: (number of tokens, {term: count}); cached by the article's text."""
    terms = cache.get("terms", key)
    if terms is None:
        texts = document_fields(article)
        terms = []
        for name, _ in FIELDS:
            tokens = tokenize(texts[name], locale)
            terms.append((len(tokens), dict(Counter(tokens))))
        cache.put("terms", key, terms)
    return terms


def field_postings(articles, keys: list[str], locale: str, cache: BuildCache):
    """Term frequencies per (term, field, doc) and field lengths, as lunr's Builder counts them."""
    postings: dict[str, dict[int, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    lengths = [[0] * len(articles) for _ in FIELDS]
    for doc, article in enumerate(articles):
        for field, (length, counts) in enumerate(
                document_terms(article, locale, cache, keys[doc])):
            lengths[field][doc] = length
            for term, count in counts.items():
                postings[term][field][doc] = count
    return postings, lengths


def idf(document_count: int, with_term: int) -> float:
    """lunr's idf formula over the number of documents holding the term (never more than all)."""
    return math.log(1 + (document_count - with_term + 0.5) / (with_term + 0.5))


def scored_postings(postings, lengths, document_count: int) -> dict[str, dict]:
    """{term: {field: {doc: score}}}: lunr's idf · BM25 tf · field boost, rounded to 3 places,
    with idf over documents (see the module docstring)."""
    averages = [sum(field) / document_count if document_count else 0 for field in lengths]
    scored = {}
    for term, by_field in postings.items():
        weight = idf(document_count, len(set().union(*by_field.values())))
        fields = {}
        for field, docs in by_field.items():
            boost, average, length = FIELDS[field][1], averages[field], lengths[field]
            fields[field] = {
                doc: round(weight * ((K1 + 1) * tf) / (K1 * (1 - B + B * (length[doc] / average))
                                                       + tf) * boost, 3)
                for doc, tf in docs.items()}
        scored[term] = fields
    return scored


# Upper bounds of the score levels but the last, half a step (in log scale) above each level.
_LEVEL_BOUNDS = [SCORE_BASE * SCORE_STEP ** (level + 0.5) for level in range(len(DIGITS) - 1)]


def _varint(value: int) -> str:
    if value < 32:
        return DIGITS[value]
    groups = [value & 31]
    while value > 31:
        value >>= 5
        groups.append(value & 31)
    return "".join(DIGITS[group + 32] for group in reversed(groups[1:])) + DIGITS[groups[0]]


def encode_postings(by_field: dict[int, dict[int, float]], title_terms: list[int]
                    ) -> tuple[str, str]:
    """(title postings, other postings) of one term, in the shard format above."""
    other: dict[int, float] = {}
    for field, docs in by_field.items():
        if field:
            for doc, score in docs.items():
                other[doc] = other.get(doc, 0) + score

    def encode(scores, lengths):
        text, previous = [], 0
        for doc in sorted(scores):
            text.append(_varint(doc - previous))
            text.append(DIGITS[bisect_right(_LEVEL_BOUNDS, scores[doc])])
            if lengths is not None:
                text.append(DIGITS[min(lengths[doc], len(DIGITS) - 1)])
            previous = doc
        return "".join(text)

    return encode(by_field.get(0, {}), title_terms), encode(other, None)


def split_into_shards(rows: list[list[str]]) -> list[list[list[str]]]:
    """Consecutive runs of the rows (sorted by term), each about SHARD_TARGET_BYTES written."""
    shards: list[list[list[str]]] = [[]]
    size = 0
    for row in rows:
        weight = sum(len(part.encode()) + 3 for part in row)
        if size and size + weight > SHARD_TARGET_BYTES:
            shards.append([])
            size = 0
        shards[-1].append(row)
        size += weight
    return shards


_SENTENCE_END = re.compile(r"[.!?。！？]")
_SPACE = re.compile(r"\s")


def snippet_source(text: str) -> str:
    """The start of `text`, at most SNIPPET_TEXT_BYTES in UTF-8, ending at a sentence end, or
    else a space, when one falls in the last fifth (enough for the snippets of most results)."""
    data = text.encode("utf-8")
    if len(data) <= SNIPPET_TEXT_BYTES:
        return text
    head = data[:SNIPPET_TEXT_BYTES].decode("utf-8", "ignore")
    for boundary in (_SENTENCE_END, _SPACE):
        ends = [match.end() for match in boundary.finditer(head, len(head) * 4 // 5)]
        if ends:
            return head[:ends[-1]].rstrip()
    return head


def _script(kind: str, key: str, data) -> bytes:
    return f"helpgenSearchData({json.dumps(kind)},{json.dumps(key)},{to_json(data, True)});\n".encode()


def locale_index(locale: Locale, cache: BuildCache) -> list[OutputFile]:
    """The index files of one locale; reused whole when no indexed text or title changed."""
    articles = locale.articles
    keys = [terms_key(article, locale.code) for article in articles]
    key = digest(locale.code, tuple(keys), tuple(
        (category.title, tuple((a.url, section.title) for section in category.sections
                               for a in section.articles)) for category in locale.categories))
    files = cache.get("index", key)
    if files is None:
        files = _locale_index(locale, articles, keys, cache)
        cache.put("index", key, files)
    else:
        for article_key in keys:          # keep the terms for the next edit's rebuild
            cache.keep("terms", article_key)
    return files


def _locale_index(locale: Locale, articles, keys: list[str], cache: BuildCache
                  ) -> list[OutputFile]:
    folder = f"_helpgen/search/{locale.code}"
    postings, lengths = field_postings(articles, keys, locale.code, cache)
    scored = scored_postings(postings, lengths, len(articles))
    title_terms = [0] * len(articles)
    for by_field in postings.values():
        for doc in by_field.get(0, ()):
            title_terms[doc] += 1
    rows = [[term, *encode_postings(scored[term], title_terms)] for term in sorted(scored)]
    shards = split_into_shards(rows)

    categories = [category.title for category in locale.categories]
    category_of = {article.key: index for index, category in enumerate(locale.categories)
                   for section in category.sections for article in section.articles}
    files = [OutputFile(f"{folder}/manifest.js", _script("manifest", locale.code, {
        "version": INDEX_VERSION, "boundaries": [shard[0][0] for shard in shards[1:]],
        "documents": len(articles), "chunk": DOC_CHUNK, "categories": categories,
        "digits": DIGITS, "scores": [SCORE_BASE, SCORE_STEP]}))]
    files += [OutputFile(f"{folder}/s{number}.js", _script(
        "shard", f"{locale.code}/{number}", shard)) for number, shard in enumerate(shards)]
    for start in range(0, len(articles), DOC_CHUNK):
        chunk = [[a.title, a.url, category_of[a.key], a.section.title if a.section else ""]
                 for a in articles[start:start + DOC_CHUNK]]
        files.append(OutputFile(f"{folder}/d{start // DOC_CHUNK}.js",
                                _script("documents", f"{locale.code}/{start // DOC_CHUNK}",
                                        chunk)))
    for doc, article in enumerate(articles):
        files.append(OutputFile(f"{folder}/x{doc}.js", _script(
            "text", f"{locale.code}/{doc}", snippet_source(article.text))))
    return files


def build_index(site: Site, cache: BuildCache | None = None) -> list[OutputFile]:
    cache = cache or BuildCache.disabled()
    files = []
    for locale in site.locales:
        files += locale_index(locale, cache)
    return files
