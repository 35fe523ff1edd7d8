"""Stage 4, index: a prebuilt, sharded lunr index per locale, loaded by lunr.js in the browser.

Why sharded: a single lunr index must download whole before the first result (8 MB gzip at 5,000
articles). Here the sorted term list is cut into ranges of about equal size (like Pagefind's
chunks), and the browser fetches only the shards whose range holds the query's terms (or, for the
word being typed, its prefix), then the titles of the documents it shows. Each shard
carries, per term, its postings with the BM25 score lunr would give; the browser rebuilds from
them the `invertedIndex` and `fieldVectors` of a `lunr.Index`, so lunr.js does the matching and
scoring. Scores are computed exactly as lunr's Builder computes them (same formula, same
rounding); tests compare the two.

Everything is delivered as scripts that call `helpgenSearchData(...)`, so it works from file://
where browsers refuse fetch().

Files, per locale, under `_helpgen/search/<locale>/`:
  manifest.js   fields, the first term of each shard after the first, document count, categories
  s<k>.js       shard k: [term, term index, [[field, [doc, score, ...]], ...]]
  d<c>.js       documents c*CHUNK … c*CHUNK+CHUNK-1: [title, url, category, section]
  x<doc>.js     the plain text of one document, for the snippet under a result
The code that reads them (lunr.js, tokenizer.js, engine.js) is written by the render stage.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict


from helpgen.cache import BuildCache, digest
from helpgen.model import Article, Locale, Site
from helpgen.render import OutputFile, to_json
from helpgen.tokenizer import tokenize

# Field name and boost: title ≫ tags and headings ≫ description ≫ body.
FIELDS = (("title", 10), ("tags", 5), ("headings", 5), ("description", 2), ("body", 1))
K1, B = 1.2, 0.75                # lunr's BM25 defaults
DOC_CHUNK = 128                  # documents per titles file
SNIPPET_TEXT_LIMIT = 4000        # characters of text kept per document for snippets
SHARD_TARGET_BYTES = 48_000      # aim for shards of about this size (uncompressed)
INDEX_VERSION = 1



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


def scored_postings(postings, lengths, document_count: int) -> dict[str, list]:
    """Each term's postings with lunr's score: idf · BM25 tf · field boost, rounded to 3 places."""
    averages = [sum(field) / document_count if document_count else 0 for field in lengths]
    scored = {}
    for term, by_field in postings.items():
        with_term = sum(len(docs) for docs in by_field.values())
        idf = math.log(1 + abs((document_count - with_term + 0.5) / (with_term + 0.5)))
        fields = []
        for field in sorted(by_field):
            boost, average = FIELDS[field][1], averages[field]
            flat = []
            for doc in sorted(by_field[field]):
                tf = by_field[field][doc]
                norm = K1 * (1 - B + B * (lengths[field][doc] / average)) + tf
                flat += [doc, round(idf * ((K1 + 1) * tf) / norm * boost, 3)]
            fields.append([field, flat])
        scored[term] = fields
    return scored


def split_into_shards(terms: list[str], scored: dict[str, list]) -> list[list[str]]:
    """Consecutive runs of the sorted terms, each about SHARD_TARGET_BYTES when written."""
    shards: list[list[str]] = [[]]
    size = 0
    for term in terms:
        weight = len(term.encode()) + 8 + 10 * sum(len(flat) for _, flat in scored[term])
        if size and size + weight > SHARD_TARGET_BYTES:
            shards.append([])
            size = 0
        shards[-1].append(term)
        size += weight
    return shards


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
            cache.get("terms", article_key)
    return files


def _locale_index(locale: Locale, articles, keys: list[str], cache: BuildCache
                  ) -> list[OutputFile]:
    folder = f"_helpgen/search/{locale.code}"
    postings, lengths = field_postings(articles, keys, locale.code, cache)
    scored = scored_postings(postings, lengths, len(articles))
    terms = sorted(scored)
    term_index = {term: index for index, term in enumerate(terms)}
    shards = split_into_shards(terms, scored)

    categories = [category.title for category in locale.categories]
    category_of = {article.key: index for index, category in enumerate(locale.categories)
                   for section in category.sections for article in section.articles}
    files = [OutputFile(f"{folder}/manifest.js", _script("manifest", locale.code, {
        "version": INDEX_VERSION, "fields": [name for name, _ in FIELDS],
        "boundaries": [shard[0] for shard in shards[1:]],
        "documents": len(articles), "chunk": DOC_CHUNK,
        "categories": categories}))]
    files += [OutputFile(f"{folder}/s{number}.js", _script(
        "shard", f"{locale.code}/{number}",
        [[term, term_index[term], scored[term]] for term in shard]))
        for number, shard in enumerate(shards)]
    for start in range(0, len(articles), DOC_CHUNK):
        chunk = [[a.title, a.url, category_of[a.key], a.section.title if a.section else ""]
                 for a in articles[start:start + DOC_CHUNK]]
        files.append(OutputFile(f"{folder}/d{start // DOC_CHUNK}.js",
                                _script("documents", f"{locale.code}/{start // DOC_CHUNK}",
                                        chunk)))
    for doc, article in enumerate(articles):
        files.append(OutputFile(f"{folder}/x{doc}.js", _script(
            "text", f"{locale.code}/{doc}", article.text[:SNIPPET_TEXT_LIMIT])))
    return files


def build_index(site: Site, cache: BuildCache | None = None) -> list[OutputFile]:
    cache = cache or BuildCache.disabled()
    files = []
    for locale in site.locales:
        files += locale_index(locale, cache)
    return files
