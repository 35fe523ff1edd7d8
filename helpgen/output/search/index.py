"""Stage 6, index: a prebuilt, sharded inverted index per locale, queried by engine.js.

Why sharded: a single index must download whole before the first result (8 MB gzip as one lunr
index at 5,000 articles). Here the sorted term list is cut into ranges of about equal size (like
Pagefind's chunks), and the browser fetches only the shards whose range holds the query's terms
(or, for the word being typed, its prefix), then the titles of the documents it shows.

Terms come from lunr's pipeline (search/tokenizer.py, twinned by client/tokenizer.js on lunr.js's
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

import functools
import itertools
import json
import math
import re
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter

from helpgen.infra import parallel
from helpgen.infra.cache import BuildCache, Step, StepRunner, digest
from helpgen.content.model import Article, Locale, Site
from helpgen.output.files import OutputFile
from helpgen.output.script_json import to_json
from helpgen.output.search.tokenizer import tokenize

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
    """The cache key of an article's search terms: a hash of the texts they come from (the
    body key stands for the headings and the body's text)."""
    return digest(locale, article.title, article.tags, article.description, article.body.key)


def document_terms(article: Article, locale: str) -> list[tuple[int, dict[str, int]]]:
    """Per field: (number of tokens, {term: count})."""
    texts = document_fields(article)
    terms = []
    for name, _ in FIELDS:
        tokens = tokenize(texts[name], locale)
        terms.append((len(tokens), dict(Counter(tokens))))
    return terms


class Postings:
    """{document: count} of one term in one field, as two arrays in document order: 8 bytes a
    posting, where a dict took about 40 and an int object per document. A worker that scores
    the term reads the arrays' memory and writes none of it (a dict's items are objects
    whose reference counts it would write to, copying each memory page of them it reads)."""

    __slots__ = ("counts", "docs")

    def __init__(self, docs: array | None = None, counts: array | None = None):
        self.docs, self.counts = (array("I"), array("I")) if docs is None else (docs, counts)

    def append(self, doc: int, count: int) -> None:
        """A document after every one held."""
        self.docs.append(doc)
        self.counts.append(count)

    def _at(self, doc: int) -> int:
        """Where `doc` is in the arrays, or -1."""
        at = bisect_left(self.docs, doc)
        return at if at < len(self.docs) and self.docs[at] == doc else -1

    def get(self, doc: int, default=None):
        at = self._at(doc)
        return self.counts[at] if at >= 0 else default

    def __getitem__(self, doc: int) -> int:
        at = self._at(doc)
        if at < 0:
            raise KeyError(doc)
        return self.counts[at]

    def __setitem__(self, doc: int, count: int) -> None:
        at = bisect_left(self.docs, doc)
        if at < len(self.docs) and self.docs[at] == doc:
            self.counts[at] = count
        else:
            self.docs.insert(at, doc)
            self.counts.insert(at, count)

    def __delitem__(self, doc: int) -> None:
        at = self._at(doc)
        if at < 0:
            raise KeyError(doc)
        del self.docs[at], self.counts[at]

    def __contains__(self, doc: int) -> bool:
        return self._at(doc) >= 0

    def counts_of(self, wanted) -> dict[int, int]:
        """{document: count} of those of the documents `wanted` held here, in one pass (a
        live edit checks its terms' risky postings this way: a look-up each cost three calls)."""
        docs, counts, end, found = self.docs, self.counts, len(self.docs), {}
        for doc in wanted:
            at = bisect_left(docs, doc)
            if at < end and docs[at] == doc:
                found[doc] = counts[at]
        return found

    def __iter__(self):
        return iter(self.docs)

    def __len__(self) -> int:
        return len(self.docs)

    def items(self):
        return zip(self.docs, self.counts)


TERMS_BATCH = 500                # articles tokenized at a time (see field_postings)


def field_postings(articles, keys: list[str], locale: str, run_steps: StepRunner,
                   keep_terms: bool = False):
    """The postings of each term, {term: {field: Postings}}, the field lengths and the number
    of distinct title terms per document, as lunr's Builder counts them; and if `keep_terms`
    (a live preview's index keeps them) each article's document_terms, else None. Each
    article's terms are a step of `run_steps` keyed by its texts (`keys`), run TERMS_BATCH
    articles at a time: their dicts, many times the size of the postings, are let go of once
    counted."""
    postings: dict[str, dict[int, Postings]] = {}
    lengths = [[0] * len(articles) for _ in FIELDS]
    title_terms, terms = [], [] if keep_terms else None
    for start in range(0, len(articles), TERMS_BATCH):
        batch = run_steps("terms", [
            Step(key, functools.partial(document_terms, article, locale))
            for article, key in zip(articles[start:start + TERMS_BATCH],
                                    keys[start:start + TERMS_BATCH])], per_conversion=4)
        for doc, document in enumerate(batch, start):
            for field, (length, counts) in enumerate(document):
                lengths[field][doc] = length
                for term, count in counts.items():
                    by_field = postings.get(term)
                    if by_field is None:
                        by_field = postings[term] = {}
                    held = by_field.get(field)
                    if held is None:
                        held = by_field[field] = Postings()
                    held.append(doc, count)
            title_terms.append(len(document[0][1]))
        if keep_terms:
            terms += batch
    return postings, lengths, title_terms, terms


def idf(document_count: int, with_term: int) -> float:
    """lunr's idf formula over the number of documents holding the term (never more than all)."""
    return math.log(1 + (document_count - with_term + 0.5) / (with_term + 0.5))


def _norms(lengths, document_count: int) -> tuple[list[float], list[list[float]]]:
    """The average length of each field, and per field and document BM25's length part of the
    denominator, K1 · (1 − B + B · length / average) (arrays: the workers that score terms
    read them without copying them, see Postings)."""
    averages = [sum(field) / document_count if document_count else 0 for field in lengths]
    return averages, [array("d", [_length_norm(length, average) for length in field])
                      if average else array("d") for field, average in zip(lengths, averages)]


def _length_norm(length: int, average: float) -> float:
    return K1 * (1 - B + B * (length / average))


def _bm25(weight: float, tf: int, norm: float, boost: int) -> float:
    """One field's score of a term in a document, before rounding."""
    return weight * ((K1 + 1) * tf) / (norm + tf) * boost


def _term_scores(by_field, weight: float, norms) -> dict[int, dict[int, float]]:
    """{field: {doc: score}} of one term: _bm25 rounded to 3 places (its expression written
    out, the same floats: the loop of a cold build, where a call per posting cost 10%)."""
    scored = {}
    for field, docs in by_field.items():
        boost, norm = FIELDS[field][1], norms[field]
        scored[field] = {doc: round(weight * ((K1 + 1) * tf) / (norm[doc] + tf) * boost, 3)
                         for doc, tf in docs.items()}
    return scored


def _levels_held(entry: tuple, by_field, weight: float, norms, bound: float) -> tuple:
    """The row state `entry` with its postings too close to a level boundary to count in the
    margin, those whose room (see _exact_room) is not above `bound`, at the levels they have
    now: each whose level changed is put in the row (_spliced), its room made -1 (its level
    no longer the one scored with: checked again on every rebuild)."""
    risky = [{doc: level for _, doc, level in postings[:up_to(postings, bound)]}
             for postings in entry[5:7]]
    if not risky[0] and not risky[1]:
        return entry
    scored = _term_scores({field: docs.counts_of(risky[field > 0])
                           for field, docs in by_field.items()}, weight, norms)
    moved = [{doc: now for doc, level in levels.items()
              if (now := bisect_right(_LEVEL_BOUNDS, scores[doc])) != level}
             for scores, levels in ((scored.get(0, {}), risky[0]), (_summed(scored), risky[1]))]
    if not moved[0] and not moved[1]:
        return entry
    rows, postings = list(entry[:2]), list(entry[5:7])
    for kind, levels in enumerate(moved):
        if levels:
            rows[kind] = _spliced(rows[kind], kind, _row_documents(by_field, kind),
                                  {doc: (True, level) for doc, level in levels.items()})
            postings[kind] = tuple(sorted((-1.0, doc, levels[doc]) if doc in levels else
                                          (room, doc, level)
                                          for room, doc, level in postings[kind]))
    return (*rows, *entry[2:5], *postings, *entry[7:])


def _row_documents(by_field, kind: int):
    """The documents of a term's title postings (`kind` 0) or other postings (1)."""
    return by_field.get(0, {}) if kind == 0 else \
        set().union(*(docs for field, docs in by_field.items() if field))


def up_to(ordered, bound: float) -> int:
    """How many of the `ordered` tuples start with a number no more than `bound`."""
    return bisect_left(ordered, (math.nextafter(bound, math.inf),))


def least_room(entry: tuple) -> float:
    """The smallest change of the averages (relative, see shift_bound) that can move a level
    of the row state `entry`: its margin, or its first risky posting's room, less what the
    change of its term's weight since it was scored takes of it."""
    room = min((entry[4], *(risky[0][0] for risky in entry[5:7] if risky)))
    return (1 + room) / (1 + entry[8]) - 1 - 1e-12 if entry[8] else room


def _documents(by_field) -> int:
    """How many documents hold a term, in any field."""
    return len(set().union(*by_field.values())) if len(by_field) > 1 \
        else len(next(iter(by_field.values())))


def term_rows(previous: tuple | None, postings, lengths, title_terms: list[int],
              keys: list[str], cache: BuildCache) -> tuple[list[list[str]], dict]:
    """[term, title postings, other postings] per term, in term order; and each term's row
    state (see _encoded).

    A rebuild after an edit re-scores only the terms it can change: those of the edited
    articles, those whose document frequency changed, and those whose score levels the new
    average field lengths can move. Adding a sentence to one body changes the average body
    length, hence every body score, by about 10⁻⁵ of itself, while a level spans ±10%: each
    term remembers how close its scores were to a level boundary (its margins, see
    encode_postings) and the averages and weight it was scored with. The row of a term of an
    edited article gets the article's new postings put in, its other postings kept (see
    _entries_hold). `previous`: the rows of an earlier build of the locale, (the articles' term
    keys, the row states), right for any input since those keys are compared here; None if
    there are none.
    """
    count = len(keys)
    averages, norms = _norms(lengths, count)
    known, edits = {}, {}
    edited: dict[str, set[int]] = {}     # term -> the edited documents holding it, then or now
    if previous is not None and len(previous[0]) == count:
        known = previous[1]
        for doc, (old, new) in enumerate(zip(previous[0], keys)):
            if old != new:
                edits[doc] = (cache.get("terms", old), cache.get("terms", new))
                for document in edits[doc]:
                    for _, terms in document or ():
                        for term in terms:
                            edited.setdefault(term, set()).add(doc)
        if any(before is None for before, _ in edits.values()):
            edits = None                 # their earlier terms are gone: encode their terms
    shift: dict[tuple, float] = {}       # averages scored with -> bound on the change
    state, todo = {}, []                 # todo: (term, documents) to score and encode
    terms = sorted(postings)
    for term in terms:
        by_field = postings[term]
        documents = _documents(by_field)
        entry = known.get(term)
        if entry is not None and term in edited:
            entry = _entries_hold(term, entry, {doc: edits[doc] for doc in edited[term]},
                                  by_field, documents, idf(count, documents)) if edits else None
        if entry is not None and entry[2] == documents:
            entry = _still_holds(entry, by_field, idf(count, documents), averages, norms, shift)
            if entry is not None:
                state[term] = entry
                continue
        todo.append((term, documents))
    state.update(_encoded(todo, postings, count, averages, norms, title_terms, cache))
    return [[term, state[term][0], state[term][1]] for term in terms], state


def _still_holds(entry: tuple, by_field, weight: float, averages, norms, shift: dict
                 ) -> tuple | None:
    """The row state `entry` of a term, scored with the averages and the weight it names, as
    scoring `by_field` with `averages` and `weight` gives it, or None if it must be encoded
    again: its scores moved less than its margin, and its risky postings that could move
    are checked (_levels_held). `shift` holds the bound on the move of the averages per
    averages scored with."""
    scored_with = entry[3]
    bound = shift.get(scored_with)
    if bound is None:
        bound = shift[scored_with] = shift_bound(scored_with, averages)
    if entry[8]:                         # and the weight, since it was scored with entry[7]
        bound = (1 + bound) * (1 + entry[8]) - 1
    return _levels_held(entry, by_field, weight, norms, bound) if bound < entry[4] else None


def shift_bound(scored_with, averages) -> float:
    """A bound on the relative change of any score scored with the average field lengths
    `scored_with` when they become `averages`."""
    return max(_relative_shift(before, now) for before, now in zip(scored_with, averages))


def _encoded(todo: list[tuple[str, int]], postings, count: int, averages, norms,
             title_terms, cache: BuildCache) -> dict[str, tuple]:
    """The row state of each (term, documents) of `todo`, scored with `averages`: (title
    postings, other postings, documents, averages, margin, risky title postings, risky other
    postings, weight, weight shift); a risky posting is (room, document, level). The weight
    is the idf scored with, and the weight shift a bound on the relative change from it to
    the idf of `documents` (0 here; see _entries_hold)."""
    weights = [idf(count, documents) for _, documents in todo]
    encoded = itertools.chain.from_iterable(parallel.run([
        functools.partial(_scored_and_encoded, [postings[term] for term, _ in
                                                todo[start:start + ENCODE_BATCH]],
                          weights[start:start + ENCODE_BATCH], norms, title_terms)
        for start in range(0, len(todo), ENCODE_BATCH)]))
    cache.tally("scored", len(todo))
    averages = tuple(averages)
    return {term: (title, other, documents, averages, margin, risky_title, risky_other,
                   weight, 0.0)
            for (term, documents), weight, (title, other, margin, risky_title, risky_other)
            in zip(todo, weights, encoded)}


ENCODE_BATCH = 20                # terms scored per task, about one Markdown conversion's time


def _scored_and_encoded(terms: list, weights: list[float], norms, title_terms: list[int]
                        ) -> list[tuple]:
    """encode_postings of the scores of terms (`terms` their postings, `weights` their idf):
    a task for `parallel.run` (a cold build scores every term, on every core). Each term's
    postings are made dicts here, in the worker, for _exact_room's look-ups by document."""
    encoded = []
    for postings, weight in zip(terms, weights):
        by_field = {field: dict(docs.items()) for field, docs in postings.items()}
        encoded.append(encode_postings(_term_scores(by_field, weight, norms), title_terms,
                                       functools.partial(_exact_room, by_field, weight, norms)))
    return encoded


def _entries_hold(term: str, entry: tuple, edits: dict, by_field, documents: int,
                  weight: float) -> tuple | None:
    """The row state `entry` with the edited documents' postings of `term` made again, or None
    if the row must be encoded again; `by_field` the term's postings after the edits, held by
    `documents` documents, hence `weight`.

    An edit changes an article's own postings only: they are scored again with their new
    counts and lengths but with the averages and the weight the row was scored with, so the
    row stays one scored with those (and is then checked like any other kept row, the change
    of its weight counting as a change of its scores), and those whose level or title size
    changed are put in its postings in place of theirs (_spliced): the row's other postings
    are not visited. The new margins join the row's.
    """
    title, other, _, scored_with, margin, risky_title, risky_other, scored_weight, _ = entry
    risky, moved = [], False             # its new risky postings; whether one was risky
    changes: tuple[dict, dict] = ({}, {})   # per kind: {doc: (had a posting, new cell)}
    # The levels the row has of its risky postings (see _levels_held)
    recorded = [{doc: level for _, doc, level in postings} for postings in entry[5:7]]
    for doc, (before, after) in edits.items():
        old, new = (_doc_postings(terms, term, scored_with, scored_weight)
                    for terms in (before, after))
        if old is None or new is None:
            return None                  # a field empty in every document then
        for kind, (was, now) in enumerate(zip(old[0], new[0])):
            if was is not None and doc in recorded[kind]:
                was = (recorded[kind][doc], was[1])
            if was != now:
                changes[kind][doc] = (was is not None, now and "".join(
                    DIGITS[digit] for digit in now if digit is not None))
        moved = moved or any(room is not None and room < RISKY for room in old[1])
        for kind, room in enumerate(new[1]):
            if room is None:
                continue
            if room < RISKY:
                risky.append((kind, (room, doc, new[0][kind][0])))
            else:
                margin = min(margin, room)
    if changes[0]:
        title = _spliced(title, 0, _row_documents(by_field, 0), changes[0])
    if changes[1]:
        other = _spliced(other, 1, _row_documents(by_field, 1), changes[1])
    # An edited document's posting was risky when its earlier room, computed alike, was below
    # RISKY: the risky postings stay as they are unless one was or is.
    if moved or risky:
        kept = [[posting for posting in postings if posting[1] not in edits]
                for postings in (risky_title, risky_other)]
        for kind, posting in risky:
            kept[kind].append(posting)
        risky_title, risky_other = (tuple(sorted(postings)) for postings in kept)
    return (title, other, documents, scored_with, margin, risky_title, risky_other,
            scored_weight, _weight_shift(scored_weight, weight))


def _weight_shift(before: float, now: float) -> float:
    """A bound on the relative change of a score when its term's weight (idf, never 0) goes
    from `before` to `now`, plus room for floating-point error."""
    return 0.0 if before == now else abs(now / before - 1) + 1e-9


# One posting as encode_postings writes it: the gap (varint), the level, and in the title the
# title size: per kind (0 title, 1 other), the pattern of one.
_HIGH, _LOW = (re.escape(DIGITS[32:]), re.escape(DIGITS[:32]))
_POSTING = tuple(re.compile(f"[{_HIGH}]*[{_LOW}]" + "." * width) for width in (2, 1))


def _spliced(text: str, kind: int, documents, changes: dict) -> str:
    """The postings `text` of one kind with `changes` made: {doc: (whether `text` has its
    posting, its new posting without the gap, or its new level alone, or None)};
    `documents` holds the row's documents after the changes. Only the changed postings and
    the gaps after them are written again."""
    docs = sorted({*(doc for doc in documents if doc not in changes),
                   *(doc for doc, (had, _) in changes.items() if had)})
    postings = _POSTING[kind].findall(text)
    width = 2 - kind
    for doc in sorted(changes, reverse=True):
        had, posting = changes[doc]
        at = bisect_left(docs, doc)
        if isinstance(posting, int):     # a new level, the title size as it was
            posting = DIGITS[posting] + postings[at][len(postings[at]) - width + 1:]
        if had:
            del docs[at], postings[at]
        if posting is not None:
            docs.insert(at, doc)
            postings.insert(at, posting)
        for place in (at, at + 1):
            if place < len(docs):
                gap = docs[place] - (docs[place - 1] if place else 0)
                postings[place] = (_GAPS[gap] if gap < len(_GAPS) else _varint(gap)) + \
                    postings[place][-width:]
    return "".join(postings)


def _renumbered(text: str, kind: int, docs: list[int], p: int, q: int) -> str:
    """The postings `text` of one kind (of the sorted documents `docs`) when document p moves
    to q and those between move by one toward p's place: p's posting is moved, and the gaps
    at the ends of the documents that moved are written again (those between stay)."""
    postings = _POSTING[kind].findall(text)
    width = 2 - kind
    at = bisect_left(docs, p)
    had = at < len(docs) and docs[at] == p
    if had:
        del docs[at]
        posting = postings.pop(at)[-width:]
    start, end = bisect_left(docs, min(p, q)), bisect_right(docs, max(p, q))
    step = -1 if p < q else 1
    docs[start:end] = [doc + step for doc in docs[start:end]]
    places = {start, end}
    if had:
        at = bisect_left(docs, q)
        docs.insert(at, q)
        postings.insert(at, posting)
        places = {place + (place >= at) for place in places} | {at, at + 1}
    for place in places:
        if place < len(docs):
            gap = docs[place] - (docs[place - 1] if place else 0)
            postings[place] = (_GAPS[gap] if gap < len(_GAPS) else _varint(gap)) + \
                postings[place][-width:]
    return "".join(postings)


def _doc_postings(terms, term: str, averages: tuple, weight: float):
    """One document's ((title level, title size), (other level, None)) for `term` (None
    where it has no posting), scored with `averages`, and the rooms of those two levels;
    None if a field it has was empty in every document then."""
    by_field, norms = {}, [[] for _ in FIELDS]
    for field, (length, counts) in enumerate(terms):
        if counts.get(term):
            if not averages[field]:
                return None
            by_field[field] = {0: counts[term]}
            norms[field] = [_length_norm(length, averages[field])]
    scored = _term_scores(by_field, weight, norms)
    size = min(len(terms[0][1]), len(DIGITS) - 1)
    levels, rooms = [], []
    for kind, (score, extra) in enumerate(((scored.get(0, {}).get(0), size),
                                           (_summed(scored).get(0), None))):
        if score is None:
            levels.append(None)
            rooms.append(None)
            continue
        level = bisect_right(_LEVEL_BOUNDS, score)
        levels.append((level, extra))
        rooms.append(_exact_room(by_field, weight, norms, kind, 0, score, level))
    return tuple(levels), rooms


def _relative_shift(before: float, now: float) -> float:
    """A bound on the relative change of a BM25 score when its field's average length goes
    from `before` to `now` (the length part of its denominator scales by at most before/now),
    plus room for floating-point error."""
    if before == now:
        return 0.0
    if not before or not now:
        return math.inf
    change = abs(before / now - 1)
    return change / (1 - change) + 1e-9 if change < 0.5 else math.inf


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


_GAPS = [_varint(gap) for gap in range(4096)]

# Per level, the bounds around it: a score r has level k when _LOWER[k] <= r < _UPPER[k].
_LOWER = [-math.inf, *_LEVEL_BOUNDS]
_UPPER = [*_LEVEL_BOUNDS, math.inf]
_ROUNDING = 0.0006               # > the error of a score rounded to 3 places, with float error
_OTHER_ROUNDING = _ROUNDING * (len(FIELDS) - 1)     # of a sum of the other fields' scores
RISKY = 0.002                    # a posting whose room is below this is checked on each edit
                                 # that can move it


def _room(score: float, level: int, rounding: float) -> float:
    """How much a score (rounded within `rounding`) can change, as a share of itself, and keep
    its level: a level stays while the unrounded score x' (within `rounding` of its rounded r')
    stays `rounding` inside its bounds: |x' - x| <= room * x, x <= r + rounding."""
    below, above = score - _LOWER[level], _UPPER[level] - score
    return ((below if below < above else above) - 2 * rounding) / (score + rounding)


def _cell_room(score: float) -> float:
    """How much an unrounded score can change, as a share of itself, and still round to the
    same 3 places: x rounds to k/1000 on ((k − ½)/1000, (k + ½)/1000), less 10⁻¹² for the
    floats at the ends."""
    cell = round(round(score, 3) * 1000)
    return min(score - (cell - 0.5) / 1000, (cell + 0.5) / 1000 - score) / score - 1e-12


def _exact_room(by_field, weight: float, norms, kind: int, doc: int, score: float,
                level: int) -> float:
    """The room of `doc`'s title posting (`kind` 0) or other posting (1), whose rounded
    `score` has `level`: the level's room, or if larger the room every field's score has
    before it rounds to another value (then the rounded scores, their sum in the fields'
    order and its level are all the same). Small scores, of common words, are few rounding
    steps from a level boundary, so that only this second room tells most of them safe."""
    cells = math.inf
    for field in _KIND_FIELDS[kind]:
        tf = by_field[field].get(doc) if field in by_field else None
        if tf is not None:
            cells = min(cells, _cell_room(_bm25(weight, tf, norms[field][doc],
                                                FIELDS[field][1])))
    return max(_room(score, level, _OTHER_ROUNDING if kind else _ROUNDING), cells)


_KIND_FIELDS = ((0,), tuple(range(1, len(FIELDS))))     # the title; the other fields


def _summed(by_field: dict[int, dict[int, float]]) -> dict[int, float]:
    """{doc: score} over the fields but the title, summed in the fields' order (FIELDS): the
    same floats however the postings were gathered."""
    other: dict[int, float] = {}
    for field in sorted(by_field):
        if field:
            for doc, score in by_field[field].items():
                other[doc] = other.get(doc, 0) + score
    return other


def encode_postings(by_field: dict[int, dict[int, float]], title_terms: list[int], room_of
                    ) -> tuple[str, str, float, tuple, tuple]:
    """(title postings, other postings) of one term, in the shard format above; its margin:
    if every unrounded score changes by less than this share of itself, rounding them again
    gives the same levels; and, for the title and the other postings, the (room, document,
    level) of those left out of the margin, too close to a level boundary (less than RISKY),
    by room.
    `room_of(kind, doc, score, level)` tells a posting's room more closely (_exact_room)."""
    other = _summed(by_field)
    margin = math.inf

    def encode(scores, lengths, rounding, kind):
        nonlocal margin
        text, previous, risky, lowest = [], 0, [], margin
        for doc in sorted(scores):
            score = scores[doc]
            level = bisect_right(_LEVEL_BOUNDS, score)
            gap = doc - previous
            entry = (_GAPS[gap] if gap < len(_GAPS) else _varint(gap)) + DIGITS[level]
            if lengths is not None:
                count = lengths[doc]
                entry += DIGITS[count] if count < len(DIGITS) else DIGITS[-1]
            text.append(entry)
            previous = doc
            room = _room(score, level, rounding)
            if room < RISKY:
                room = room_of(kind, doc, score, level)
            if room < RISKY:
                risky.append((room, doc, level))
            elif room < lowest:
                lowest = room
        margin = lowest
        return "".join(text), tuple(sorted(risky))

    title, risky_title = encode(by_field.get(0, {}), title_terms, _ROUNDING, 0)
    others, risky_other = encode(other, None, _OTHER_ROUNDING, 1)
    return title, others, margin, risky_title, risky_other


def split_into_shards(rows: list[list[str]]) -> list[list[list[str]]]:
    """Consecutive runs of the rows (sorted by term), each about SHARD_TARGET_BYTES written."""
    shards = Shards()
    for row in rows:
        shards.add(row)
    return shards.done()


class Shards:
    """Rows cut into shards as they come: a row starts a new shard when the shard so far would
    pass SHARD_TARGET_BYTES with it."""

    def __init__(self):
        self._shards: list[list[list[str]]] = []
        self._rows: list[list[str]] = []
        self._size = 0

    def starts_at(self, row: list[str]) -> bool:
        """Whether `row` comes first in its shard."""
        return not self._rows or self._size + _row_weight(row) > SHARD_TARGET_BYTES

    def add(self, row: list[str]) -> None:
        weight = _row_weight(row)
        if self._size and self._size + weight > SHARD_TARGET_BYTES:
            self._shards.append(self._rows)
            self._rows, self._size = [], 0
        self._rows.append(row)
        self._size += weight

    def add_shard(self, shard: list[list[str]]) -> None:
        """A shard made earlier of the same rows, when its first row starts_at() here."""
        if self._rows:
            self._shards.append(self._rows)
        self._shards.append(shard)
        self._rows, self._size = [], 0

    def done(self) -> list[list[list[str]]]:
        return [*self._shards, self._rows] if self._rows or not self._shards else self._shards


def _row_weight(row: list[str]) -> int:
    return sum(len(part.encode()) + 3 for part in row)


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
    return _script_start(kind, key) + f"{to_json(data, True)});\n".encode()


def _script_start(kind: str, key: str) -> bytes:
    return f"helpgenSearchData({json.dumps(kind)},{json.dumps(key)},".encode()


def manifest_file(locale: Locale, shards, documents: int) -> OutputFile:
    return OutputFile(f"_helpgen/search/{locale.code}/manifest.js", _script(
        "manifest", locale.code, {
            "version": INDEX_VERSION, "boundaries": [shard[0][0] for shard in shards[1:]],
            "documents": documents, "chunk": DOC_CHUNK,
            "categories": [category.title for category in locale.categories],
            "digits": DIGITS, "scores": [SCORE_BASE, SCORE_STEP]}))


def shard_file(code: str, number: int, shard) -> OutputFile:
    return OutputFile(f"_helpgen/search/{code}/s{number}.js",
                      _script("shard", f"{code}/{number}", shard))


def document_entry(article: Article, category: int) -> list:
    """What the results show of an article: [title, url, category number, section title]."""
    return [article.title, article.url, category, article.section.title if article.section
            else ""]


def chunk_file(code: str, number: int, entries) -> OutputFile:
    """The document entries numbered number * DOC_CHUNK … number * DOC_CHUNK + DOC_CHUNK - 1."""
    return OutputFile(f"_helpgen/search/{code}/d{number}.js", _script(
        "documents", f"{code}/{number}", entries[number * DOC_CHUNK:(number + 1) * DOC_CHUNK]))


def text_file(code: str, doc: int, article: Article) -> OutputFile:
    return OutputFile(f"_helpgen/search/{code}/x{doc}.js",
                      _script("text", f"{code}/{doc}", snippet_source(article.text)))


def text_file_renumbered(code: str, doc: int, file: OutputFile) -> OutputFile:
    """The text_file of another document number with the same text (`file`'s)."""
    text = file.content.split(b",", 2)[2]       # the kind and key hold no comma
    return OutputFile(f"_helpgen/search/{code}/x{doc}.js",
                      _script_start("text", f"{code}/{doc}") + text)


STATE_KIND = "index-state"       # cache kind of a locale's index state (live.StoredIndex)


def locale_index(locale: Locale, cache: BuildCache, site_path: str = "/") -> list[OutputFile]:
    """The index files of one locale; reused whole when no indexed text or title changed.
    `site_path` (the site's base path) tells apart the same locale of several brands.

    A live preview session (`cache.remember`) keeps each locale's index in memory
    (search/live.py) and changes there what an edit changed; it indexes anew a locale it has
    not got in memory, even when the cache file holds its files, so that the session's
    first edit costs what the others do. A command-line build starts from the index state
    the last build stored (live.StoredIndex) and changes what differs from it the same way;
    what neither can follow is indexed anew, from the stored rows (term_rows)."""
    # they use this module's functions
    from helpgen.output.search.live import LiveIndex, StoredIndex
    rows_key = site_path + locale.code
    live = cache.get(LiveIndex.KIND, rows_key) if cache.remember else None
    if live is not None and live.follow(locale, cache):
        live.keep(cache, rows_key)
        cache.hold(LiveIndex.KIND, rows_key, live)
        return live.files()
    articles = locale.articles
    keys = [terms_key(article, locale.code) for article in articles]
    key = digest(locale.code, tuple(keys), tuple(
        (category.title, tuple((a.url, section.title) for section in category.sections
                               for a in section.articles)) for category in locale.categories))
    files = None if cache.remember else cache.get("index", key)
    if files is not None:
        for article_key in keys:          # keep the terms for a rebuild from scratch
            cache.keep("terms", article_key)
        cache.keep(STATE_KIND, rows_key)
        return files
    stored = None if live is not None else StoredIndex.of(cache.get(STATE_KIND, rows_key))
    followed = None if cache.remember or stored is None else LiveIndex.restored(stored, cache)
    if followed is not None and followed.follow(locale, cache, keys):
        live = followed
        for article_key in keys:          # kept for a rebuild from scratch
            cache.keep("terms", article_key)
    else:
        # A session's index holds the rows as its edits left them; else the stored ones.
        previous = live.rows() if live is not None else stored and stored.rows()
        live = _locale_index(locale, articles, keys, previous, cache)
    live.index_key = key
    files = live.files()
    cache.put("index", key, files)
    cache.put(STATE_KIND, rows_key, live.stored())
    if cache.remember and live.usable:
        cache.hold(LiveIndex.KIND, rows_key, live)
    return files


def _locale_index(locale: Locale, articles, keys: list[str], previous: tuple | None,
                  cache: BuildCache):
    """The index of one locale, made anew: a LiveIndex (search/live.py), which a live preview
    keeps."""
    from helpgen.output.search.live import LiveIndex
    postings, lengths, title_terms, terms = field_postings(articles, keys, locale.code,
                                                           cache.run, keep_terms=cache.remember)
    rows, state = term_rows(previous, postings, lengths, title_terms, keys, cache)
    shards = split_into_shards(rows)
    category_of = {article.key: index for index, category in enumerate(locale.categories)
                   for section in category.sections for article in section.articles}
    entries = [document_entry(article, category_of[article.key]) for article in articles]
    code = locale.code
    return LiveIndex(
        locale, articles, keys, terms, postings, lengths, title_terms, entries, state, shards,
        manifest_file(locale, shards, len(articles)),
        [shard_file(code, number, shard) for number, shard in enumerate(shards)],
        [chunk_file(code, number, entries) for number in range(-(-len(articles) // DOC_CHUNK))],
        [text_file(code, doc, article) for doc, article in enumerate(articles)],
        usable=len(category_of) == len(articles))


def build_index(site: Site, cache: BuildCache | None = None) -> list[OutputFile]:
    cache = cache or BuildCache.disabled()
    files = []
    for locale in site.locales:
        files += locale_index(locale, cache, site.address.path)
    return files
