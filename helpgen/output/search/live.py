"""A locale's search index as a live preview session keeps it between builds, so that an edit
costs what it changes (issue 18).

The live preview makes each next content model from the previous one, sharing every object an
edit did not change (`helpgen serve`). So the articles whose object is new are the only ones
whose texts, title, URL or place can differ; an unchanged `Locale` object is the same index.
Kept here, per locale: its articles (by identity) and their search terms, the postings and
field lengths made of them, each term's row state (index.py's `term_rows`), the shards and
the output files. An edit then applies the edited articles' terms to the postings, puts the
edited articles' new postings in the rows of their terms (index.py's `_entries_hold`: the
other postings of such a row are not visited, unless the change of the term's weight can move
them), re-scores the terms whose levels the new average field lengths can move (found without
visiting the others: per averages scored with, the terms in order of their smallest room),
and new terms; it cuts again only the shards around a changed row, and makes again only the
files whose bytes change; every other file is the previous build's `OutputFile` object.

An article taken out at one place and put in at another (a title edit that moves it in its
section, or its file moved to another section: then under a new key) renumbers the documents
between by one (_renumber): their scores stay, so each row of a term they hold keeps its
postings, reordered, with the gaps at the ends of the run written again. What is neither
(articles added or removed, several moved, categories added or removed) is indexed anew by
index.py, from this index's rows.

A command-line build has no previous objects: each build makes a new model. It starts from
what the last build stored in the cache (StoredIndex: the postings as a few flat arrays, the
rows, the articles' keys and document entries; the files are the last build's "index"
entry) and follows the new locale the same way, an article counting as unchanged when its
key, its terms key (index.py's terms_key) and its body's key are; it reads the earlier terms
of an edited article from the postings (it holds no article's terms), and makes a snippet
file again only for a body that changed. A session stores its first build's state alike.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass
from itertools import pairwise

from helpgen.content.model import Article, Locale
from helpgen.infra.cache import BuildCache
from helpgen.output.files import OutputFile, StoredFile
from helpgen.output.search.index import (
    DOC_CHUNK,
    FIELDS,
    STATE_KIND,
    Postings,
    Shards,
    _encoded,
    _entries_hold,
    _length_norm,
    _renumbered,
    _still_holds,
    chunk_file,
    document_entry,
    document_terms,
    idf,
    least_room,
    manifest_file,
    shard_file,
    shift_bound,
    terms_key,
    text_file,
    text_file_renumbered,
    up_to,
)


class LiveIndex:
    """One locale's index and what it was made of (see the module docstring)."""

    KIND = "index-live"          # its cache kind: held in memory only (BuildCache.hold)

    def __init__(self, locale: Locale | None, articles, keys, terms, postings, lengths,
                 title_terms, entries, state, shards, manifest: OutputFile, shard_files,
                 chunk_files, text_files, usable: bool, texts: list[str] | None = None):
        # None: not what its files were made of (or restored: no Locale object is)
        self.locale: Locale | None = locale
        self.usable = usable     # False when two articles share a key (results name their
                                 # category by key)
        self.categories = locale.categories if locale is not None else []
        self.offsets = _offsets(locale) if locale is not None else []  # categories' first docs
        # terms: each article's document_terms; None where a build that is no live
        # preview's let go of them (then read from the postings, _terms_of)
        self.articles, self.keys, self.terms = list(articles), keys, terms
        # the key of each document's body, which its snippet file is made of
        self.texts = texts if texts is not None else [article.body.key for article in articles]
        self.postings, self.lengths, self.entries = postings, lengths, entries
        self.sums = [sum(field) for field in lengths]
        self.title_terms = title_terms
        self.state = state
        self.risk: dict[tuple, list[tuple[float, str]]] | None = None   # made when needed
        self.shards, self.starts = shards, [shard[0][0] if shard else "" for shard in shards]
        self.manifest, self.shard_files = manifest, shard_files
        self.chunk_files, self.text_files = chunk_files, text_files
        self.index_key = ""      # the cache key of the files indexed anew

    @classmethod
    def restored(cls, stored: StoredIndex, cache: BuildCache) -> LiveIndex | None:
        """The index a command-line build stored, with its files (the "index" entry it
        names); None if they are not all there, or two of its articles share a key (see
        `usable`)."""
        files = cache.get("index", stored.index_key)
        count = len(stored.keys)
        chunks = -(-count // DOC_CHUNK)
        postings = _unflat(stored)
        if files is None or postings is None or \
                len(files) != 1 + len(stored.starts) + chunks + count or \
                not len(stored.articles) == len(stored.texts) == len(stored.entries) == \
                len(stored.title_terms) == len(set(stored.articles)) == count:
            return None
        state = stored.state
        rows = [[term, *state[term][:2]] for term in sorted(state)]
        terms = [row[0] for row in rows]
        cuts = [0, *(bisect_left(terms, start) for start in stored.starts[1:]), len(rows)]
        shards = [rows[start:end] for start, end in pairwise(cuts)]
        index = cls(None, [_Indexed(key) for key in stored.articles], list(stored.keys), None,
                    postings, [list(field) for field in stored.lengths],
                    list(stored.title_terms), stored.entries, state, shards, files[0],
                    files[1:len(shards) + 1], files[len(shards) + 1:len(shards) + 1 + chunks],
                    files[len(shards) + 1 + chunks:], True, stored.texts)
        index.locale = _RESTORED
        index.categories = [None] * stored.categories   # no category is the same object
        index.offsets = [-1] * stored.categories
        index.index_key = stored.index_key
        return index

    def stored(self) -> StoredIndex:
        """What the cache keeps of this index (copies: a session changes it in place)."""
        return StoredIndex(STORED_VERSION, self.index_key, tuple(self.keys),
                           [article.key for article in self.articles], list(self.texts),
                           list(self.entries), len(self.categories),
                           [array("I", field) for field in self.lengths],
                           array("I", self.title_terms), dict(self.state), list(self.starts),
                           *_flat(self.postings))

    def keep(self, cache: BuildCache, rows_key: str) -> None:
        """Keep in the cache what a build of the same articles on the command line starts
        from (the first build's files and state: what this index was made from)."""
        cache.keep("index", self.index_key)
        cache.keep(STATE_KIND, rows_key)
        cache.keep_held("terms", self.keys, self.terms)

    def rows(self) -> tuple | None:
        """(term keys, row states) of the indexed documents, for index.py's term_rows; None
        after an update that stopped midway."""
        return None if getattr(self, "locale", None) is None else (tuple(self.keys), self.state)

    def files(self) -> list[OutputFile]:
        return [self.manifest, *self.shard_files, *self.chunk_files, *self.text_files]

    def follow(self, locale: Locale, cache: BuildCache, keys: list[str] | None = None
               ) -> bool:
        """Make this the index of `locale`, if it is the indexed locale with articles edited
        in place, or one moved; False (and nothing changed) otherwise. `keys`: the terms
        keys of `locale`'s articles, if known."""
        if getattr(self, "locale", None) is None:
            return False
        if locale is not self.locale:
            changed, move = self._changed(locale), None
            if changed is None:
                move = self._move(locale)
                if move is None:
                    return False
            self.locale = None           # until done: an error midway leaves it unusable
            rows = {}
            if move is not None:
                rows = self._renumber(*move[:2], locale.code)
                changed = {doc: placed for doc, placed in enumerate(move[2])
                           if placed[0] is not self.articles[doc]}
            self._update(locale, changed, cache, rows, move and move[:2], keys)
            self.locale = locale
        return True

    def _changed(self, locale: Locale) -> dict[int, tuple[Article, int]] | None:
        """{document: (article, category number)} of the articles that are new objects in
        place of the indexed ones with the same key; None if any article was added, removed
        or moved, or the categories are not as many."""
        if len(locale.categories) != len(self.categories):
            return None
        changed, doc, articles = {}, 0, self.articles
        for number, category in enumerate(locale.categories):
            if category is self.categories[number] and doc == self.offsets[number]:
                doc += category.article_count
                continue
            for section in category.sections:
                for article in section.articles:
                    if doc >= len(articles):
                        return None
                    if article is not articles[doc]:
                        if article.key != articles[doc].key:
                            return None
                        changed[doc] = (article, number)
                    elif self.entries[doc][2] != number:
                        return None
                    doc += 1
        return changed if doc == len(articles) else None

    def _move(self, locale: Locale) -> tuple[int, int, list] | None:
        """(p, q, [(article, category number) per document]) when the articles are the
        indexed ones with one taken out at document p and put in at q (those between move by
        one), under its key or a new one (its file moved): a title edit that moves an article
        in its section, or a move to another section; None otherwise."""
        if len(locale.categories) != len(self.categories):
            return None
        placed = [(article, number) for number, category in enumerate(locale.categories)
                  for section in category.sections for article in section.articles]
        new, old = [article.key for article, _ in placed], [a.key for a in self.articles]
        if len(new) != len(old) or new == old:
            return None
        lo = next(doc for doc, key in enumerate(new) if key != old[doc])
        hi = next(doc for doc in range(len(new) - 1, -1, -1) if new[doc] != old[doc])
        for p, q in ((lo, hi), (hi, lo)):
            if (new[p:q] == old[p + 1:q + 1] if p < q else new[q + 1:p + 1] == old[q:p]) \
                    and (new[q] == old[p] or new[q] not in old):
                return p, q, placed
        return None

    def _renumber(self, p: int, q: int, code: str) -> dict[str, list]:
        """Document p moved to q, those between by one toward p's place: the postings, the
        rows (_renumbered: their scores stay, only the order of their postings and the gaps at
        the ends of the documents that moved change), and the documents' lists. Returns the
        rows that changed, {term: row}."""
        lo, hi = min(p, q), max(p, q)
        step = -1 if p < q else 1
        rows, state, postings = {}, self.state, self.postings
        touched = [term for term, by_field in postings.items()
                   if any(bisect_left(docs.docs, lo) < bisect_right(docs.docs, hi)
                          for docs in by_field.values())]
        for term in touched:
            by_field = postings[term]
            entry = state[term]
            title = _renumbered(entry[0], 0, sorted(by_field.get(0, ())), p, q)
            other = _renumbered(entry[1], 1, sorted(set().union(
                *(docs for field, docs in by_field.items() if field))), p, q)
            risky = [tuple(sorted((room, _moved(doc, p, q, step), level)
                                  for room, doc, level in kind)) for kind in entry[5:7]]
            state[term] = (title, other, *entry[2:5], *risky, *entry[7:])
            if (title, other) != entry[:2]:
                rows[term] = [term, title, other]
            for docs in by_field.values():
                _move_postings(docs, p, q, step)
        for items in (self.articles, self.keys, self.terms, self.entries, self.title_terms,
                      self.text_files, self.texts, *self.lengths):
            if items is not None:
                items.insert(q, items.pop(p))
        for doc in range(lo, hi + 1):
            self.text_files[doc] = text_file_renumbered(code, doc, self.text_files[doc])
        return rows

    def _update(self, locale: Locale, changed: dict, cache: BuildCache, rows: dict,
                moved: tuple[int, int] | None, known: list[str] | None) -> None:
        code = locale.code
        keys = {doc: known[doc] if known is not None else terms_key(article, code)
                for doc, (article, _) in changed.items()}
        edited = [doc for doc, key in keys.items() if key != self.keys[doc]]
        edits, before = {}, self._terms_of(edited)
        for doc in edited:               # not looked up: a miss would read every stored one
            edits[doc] = (before[doc], document_terms(changed[doc][0], code))
            self.keys[doc] = keys[doc]
            cache.put("terms", keys[doc], edits[doc][1])
        if edits:
            rows.update(self._rescore(edits, self._apply(edits), cache))
        shards = self._reshard(rows) if rows else self.shards
        self._files(locale, changed, shards, moved)
        self.shards, self.starts = shards, [shard[0][0] if shard else "" for shard in shards]
        self.categories, self.offsets = locale.categories, _offsets(locale)

    def _terms_of(self, docs: list[int]) -> dict[int, list]:
        """{doc: its document_terms} of the indexed `docs`: those a session holds, else read
        from the postings in one pass (a command-line build holds none, and the cache would
        read every article's terms to find a few)."""
        if self.terms is not None:
            return {doc: self.terms[doc] for doc in docs}
        found = {doc: [(field[doc], {}) for field in self.lengths] for doc in docs}
        if found:
            wanted = sorted(found)
            for term, by_field in self.postings.items():
                for field, held in by_field.items():
                    for doc, count in held.counts_of(wanted).items():
                        found[doc][field][1][term] = count
        return found

    def _apply(self, edits: dict) -> dict[str, int]:
        """The edited documents' terms in place of their earlier ones; returns the change of
        document frequency of every term they held or hold (0 for most)."""
        postings, lengths = self.postings, self.lengths
        frequency: dict[str, int] = {}
        for doc, (before, after) in edits.items():
            for field, (_, counts) in enumerate(before):
                for term in counts:
                    by_field = postings[term]
                    docs = by_field[field]
                    del docs[doc]
                    if not docs:
                        del by_field[field]
                        if not by_field:
                            del postings[term]
            for field, (length, counts) in enumerate(after):
                self.sums[field] += length - lengths[field][doc]
                lengths[field][doc] = length
                for term, count in counts.items():
                    by_field = postings.setdefault(term, {})
                    docs = by_field.get(field)
                    if docs is None:
                        docs = by_field[field] = Postings()
                    docs[doc] = count
            held = [set().union(*(counts for _, counts in terms)) for terms in (before, after)]
            for term in held[0] | held[1]:
                frequency[term] = frequency.get(term, 0) + (term in held[1]) - (term in held[0])
            if self.terms is not None:
                self.terms[doc] = after
            self.title_terms[doc] = len(after[0][1])
        return frequency

    def _rescore(self, edits: dict, frequency: dict[str, int], cache: BuildCache
                 ) -> dict[str, list | None]:
        """The rows that changed, {term: row, or None if the term is gone}: the terms of the
        edited documents and those the new averages can move are checked as term_rows does,
        the others are not visited."""
        count, state, postings = len(self.articles), self.state, self.postings
        averages = [total / count for total in self.sums]
        norms = [_LazyNorms(field, average) for field, average in zip(self.lengths, averages)]
        if self.risk is None:
            self.risk = {}
            for term, entry in state.items():
                self.risk.setdefault(entry[3], []).append((least_room(entry), term))
            for ordered in self.risk.values():
                ordered.sort()
        shift: dict[tuple, float] = {}
        candidates = set(frequency)
        for scored_with, ordered in self.risk.items():
            bound = shift[scored_with] = shift_bound(scored_with, averages)
            # the terms with a room up to the bound (below 0: a level changed since scored)
            candidates.update(term for _, term in ordered[:up_to(ordered, bound)])
        rows, todo = {}, []
        for term in candidates:
            entry, by_field = state.get(term), postings.get(term)
            if by_field is None:
                if entry is not None:
                    self._risk_remove(term, state.pop(term))
                    rows[term] = None
                continue
            documents = (entry[2] if entry is not None else 0) + frequency.get(term, 0)
            weight = idf(count, documents)
            held = entry
            if entry is not None and term in frequency:
                held = _entries_hold(term, entry, edits, by_field, documents, weight)
            if held is not None:
                held = _still_holds(held, by_field, weight, averages, norms, shift)
            if held is not None:
                if held is not entry:
                    self._replace(term, held)
                    if held[:2] != entry[:2]:
                        rows[term] = [term, held[0], held[1]]
            else:
                todo.append((term, documents))
        for term, new in _encoded(todo, postings, count, averages, norms, self.title_terms,
                                  cache).items():
            old = state.get(term)
            self._replace(term, new)
            if old is None or old[:2] != new[:2]:
                rows[term] = [term, new[0], new[1]]
        return rows

    def _replace(self, term: str, entry: tuple) -> None:
        old = self.state.get(term)
        if old is not None:
            self._risk_remove(term, old)
        self.state[term] = entry
        self._risk_add(term, entry)

    def _risk_add(self, term: str, entry: tuple) -> None:
        insort(self.risk.setdefault(entry[3], []), (least_room(entry), term))

    def _risk_remove(self, term: str, entry: tuple) -> None:
        ordered = self.risk[entry[3]]
        del ordered[bisect_left(ordered, (least_room(entry), term))]
        if not ordered:
            del self.risk[entry[3]]

    def _reshard(self, rows: dict[str, list | None]) -> list:
        """The shards split_into_shards makes of the rows with `rows` changed: the shards
        around a change are cut again, the others are the same lists as before."""
        if not self.shards[0]:           # there were no rows
            cut = Shards()
            for term in sorted(rows):
                if rows[term] is not None:
                    cut.add(rows[term])
            return cut.done()
        located: dict[int, list] = {}
        for term in sorted(rows):
            located.setdefault(max(bisect_right(self.starts, term) - 1, 0), []).append(
                (term, rows[term]))
        cut = Shards()
        for number, shard in enumerate(self.shards):
            if number not in located and number + 1 not in located and cut.starts_at(shard[0]):
                cut.add_shard(shard)     # same rows, and the same row after them
                continue
            for row in _merged(shard, located.get(number, ())):
                cut.add(row)
        return cut.done()

    def _files(self, locale: Locale, changed: dict, shards, moved: tuple[int, int] | None
               ) -> None:
        """The files that differ made again; the others stay the same objects. `moved`: the
        documents p and q of a move (see _renumber), whose titles files are made again."""
        code, old = locale.code, self.shards
        self.manifest = _same(self.manifest, manifest_file(locale, shards, len(self.articles)))
        files = self.shard_files
        self.shard_files = [
            files[number] if number < len(old) and shard is old[number] else
            _same(files[number] if number < len(files) else None,
                  shard_file(code, number, shard)) for number, shard in enumerate(shards)]
        chunks = set(range(min(moved) // DOC_CHUNK, max(moved) // DOC_CHUNK + 1)) if moved \
            else set()
        for doc, (article, category) in changed.items():
            entry = document_entry(article, category)
            if entry != self.entries[doc]:
                self.entries[doc] = entry
                chunks.add(doc // DOC_CHUNK)
            if article.body.key != self.texts[doc]:
                self.text_files[doc] = _same(self.text_files[doc], text_file(code, doc, article))
                self.texts[doc] = article.body.key
            self.articles[doc] = article
        for number in chunks:
            self.chunk_files[number] = _same(self.chunk_files[number],
                                             chunk_file(code, number, self.entries))


class _LazyNorms:
    """BM25's length part of one field per document (index.py's _norms), computed for the
    documents asked for: an edit scores few."""

    __slots__ = ("average", "lengths")

    def __init__(self, lengths: list[int], average: float):
        self.lengths, self.average = lengths, average

    def __getitem__(self, doc: int) -> float:
        return _length_norm(self.lengths[doc], self.average)


def _offsets(locale: Locale) -> list[int]:
    offsets, doc = [], 0
    for category in locale.categories:
        offsets.append(doc)
        doc += category.article_count
    return offsets


def _moved(doc: int, p: int, q: int, step: int) -> int:
    """Where document `doc` goes when p moves to q (`step`: -1 if p < q, else 1)."""
    if doc == p:
        return q
    return doc + step if min(p, q) <= doc <= max(p, q) else doc


def _move_postings(docs: Postings, p: int, q: int, step: int) -> None:
    """`docs` with document p's posting (if any) moved to q, those between by one toward p's
    place (see _moved)."""
    start, end = bisect_left(docs.docs, min(p, q)), bisect_right(docs.docs, max(p, q))
    moved = sorted((_moved(doc, p, q, step), count)
                   for doc, count in zip(docs.docs[start:end], docs.counts[start:end]))
    docs.docs[start:end] = array("I", [doc for doc, _ in moved])
    docs.counts[start:end] = array("I", [count for _, count in moved])


def _merged(rows: list, changes) -> list:
    """`rows` (sorted by term) with the sorted (term, row or None) `changes` put in."""
    merged, at = [], 0
    for term, row in changes:
        while at < len(rows) and rows[at][0] < term:
            merged.append(rows[at])
            at += 1
        if at < len(rows) and rows[at][0] == term:
            at += 1
        if row is not None:
            merged.append(row)
    return merged + rows[at:]


def _same(old: OutputFile | StoredFile | None, new: OutputFile) -> OutputFile | StoredFile:
    """`old` if it has the bytes of `new`: the write stage skips a file it wrote before. A file
    a command-line build took from the cache is compared by digest (its bytes are not read)."""
    if old is None or old.size != new.size:
        return new
    same = old.digest == new.digest if isinstance(old, StoredFile) else old.content == new.content
    return old if same else new


STORED_VERSION = 1               # of StoredIndex's fields


@dataclass(slots=True)
class StoredIndex:
    """A locale's index as the cache keeps it for the next command-line build (kind
    index.STATE_KIND, one entry per locale): LiveIndex's state without the articles and the
    files (the "index" entry `index_key` holds those). The postings are five flat arrays,
    not an object per term and field: they load in milliseconds."""

    version: int
    index_key: str
    keys: tuple[str, ...]        # each document's terms key
    articles: list[str]          # each document's article key
    texts: list[str]             # each document's body key
    entries: list                # each document's document_entry
    categories: int              # how many categories
    lengths: list[array]         # per field, each document's length
    title_terms: array
    state: dict                  # each term's row state (index.py's term_rows)
    starts: list[str]            # each shard's first term
    terms: list[str]             # the postings (_flat)
    masks: bytes
    sizes: array
    docs: array
    counts: array

    @classmethod
    def of(cls, value) -> StoredIndex | None:
        """`value` (a cache entry) if it is a StoredIndex of this version."""
        return value if isinstance(value, cls) and value.version == STORED_VERSION else None

    def rows(self) -> tuple:
        """(terms keys, row states), what index.py's term_rows starts from."""
        return self.keys, self.state


class _Indexed:
    """An article of a restored index: its key alone (it is no article of the new model)."""

    __slots__ = ("key",)

    def __init__(self, key: str):
        self.key = key


_RESTORED = object()             # the `locale` of a restored index: no Locale object is it
# per mask of fields (bit k: field k), the fields in order
_MASK_FIELDS = [tuple(field for field in range(len(FIELDS)) if mask >> field & 1)
                for mask in range(1 << len(FIELDS))]


def _flat(postings: dict) -> tuple:
    """The postings {term: {field: Postings}} as (terms, the mask of each term's fields, the
    size of each (term, field)'s postings, then all their documents and all their counts)."""
    masks, sizes, docs, counts = bytearray(), array("I"), array("I"), array("I")
    for by_field in postings.values():
        fields = sorted(by_field)
        masks.append(sum(1 << field for field in fields))
        for field in fields:
            held = by_field[field]
            sizes.append(len(held.docs))
            docs += held.docs
            counts += held.counts
    return list(postings), bytes(masks), sizes, docs, counts


def _unflat(stored: StoredIndex) -> dict | None:
    """The postings of _flat's arrays; None if they do not fit together."""
    postings, at, segment = {}, 0, 0
    sizes, docs, counts = stored.sizes, stored.docs, stored.counts
    if len(stored.terms) != len(stored.masks) or len(docs) != len(counts):
        return None
    try:
        for term, mask in zip(stored.terms, stored.masks):
            by_field = postings[term] = {}
            for field in _MASK_FIELDS[mask]:
                end = at + sizes[segment]
                by_field[field] = Postings(docs[at:end], counts[at:end])
                at, segment = end, segment + 1
    except IndexError:
        return None
    return postings if at == len(docs) and segment == len(sizes) else None
