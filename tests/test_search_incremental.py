"""The search index of a live preview session, updated edit by edit: byte for byte what indexing
the same model from scratch gives, and made of the previous build's files wherever they stay.

`helpgen serve` makes each next content model from the previous one with `dataclasses.replace`
along the path to an edited article, so everything an edit did not touch is the same object;
these tests make models the same way from a real site's, and index them with the session's
cache (`remember`, then `next_build()`) against `build_index` without a cache."""

from __future__ import annotations

import random
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import article, write_site
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpgen.content.markup import BodyParts
from helpgen.content.model import Body, Site
from helpgen.errors import Report
from helpgen.infra.cache import CACHE_DIR, BuildCache
from helpgen.output.search import index
from helpgen.output.search.index import build_index
from helpgen.pipeline import read_site
from helpgen.settings.config import load_config

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from search_update import moved_to, relocated, with_article  # noqa: E402 - the copy helpers

ARTICLES = 160


def _words(rng: random.Random, count: int) -> list[str]:
    return ["".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3))
            for _ in range(count)]


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> Site:
    """A site of ARTICLES articles over three categories, enough words for several shards,
    each word in a few or in most articles, read as `helpgen build` reads it."""
    rng = random.Random(18)
    common, rare = _words(rng, 40), _words(rng, 900)
    files = {"helpgen.yml": "site: {title: Live, url: 'https://h.example/'}\n"}
    for n in range(ARTICLES):
        body = " ".join(rng.choice(common if rng.random() < 0.6 else rare)
                        for _ in range(30 + n % 50))
        files[f"articles/c{n % 3}/s{n % 4}/a{n}.md"] = article(
            f"{rng.choice(common).title()} {rng.choice(rare)} {n}",
            f"{body}.\n\n## {rng.choice(rare).title()}\n\n{' '.join(rng.sample(rare, 8))}.",
            tags=f"[{rng.choice(common)}, {rng.choice(rare)}]")
    site = write_site(tmp_path_factory.mktemp("live") / "site", files)
    report = Report()
    config = load_config(site, report)
    return read_site(config, report, BuildCache(config.root / CACHE_DIR)).sites[0]


def _cold(site: Site) -> list[tuple[str, bytes]]:
    return [(file.path, file.content) for file in build_index(site, BuildCache.disabled())]


def _other_body(site: Site, doc: int):
    """Article `doc`'s body replaced by another article's (a real conversion)."""
    donor = site.locales[0].articles[(doc * 7 + 3) % ARTICLES].body
    return lambda article: replace(article, body=donor)


def _sentence(words: str):
    def change(article):
        body = article.body
        return replace(article, body=Body(BodyParts.of(body.html, f"{body.text} {words}",
                                                       body.toc), f"{body.key} + {words}"))
    return change


def _title(title: str):
    return lambda article, *_: replace(article, title=title)


def _tags(tags: tuple[str, ...]):
    return lambda article: replace(article, tags=tags)


class Session:
    """The index as one live preview session builds it, build after build."""

    def __init__(self, folder: Path | None = None):
        self.cache = BuildCache(folder, remember=True)
        self.files = None

    def build(self, site: Site) -> list:
        if self.files is not None:
            self.cache = self.cache.next_build()
        self.files = build_index(site, self.cache)
        return self.files


# The size shards are cut at: as helpgen cuts them, and small, so that a row changed at the
# start of a shard, which can move the cut before it, is frequent.
SHARD_SIZES = pytest.mark.parametrize("shard_bytes", [index.SHARD_TARGET_BYTES, 120])


@SHARD_SIZES
def test_edits_in_a_session_index_what_a_cold_build_does(model, tmp_path, monkeypatch,
                                                         shard_bytes):
    """A body, a sentence, a title, tags, several edits in a row, an edit undone, a locale
    whose articles did not change: each build equals indexing the model from scratch, and
    every file whose bytes did not change is the previous build's object (the write stage
    skips those), the others being few."""
    monkeypatch.setattr(index, "SHARD_TARGET_BYTES", shard_bytes)
    session = Session(tmp_path / "cache")
    first = session.build(model)
    assert [(f.path, f.content) for f in first] == _cold(model)
    site = model
    edits = [_other_body(model, 5), _sentence("vexing quokka zylophones"), _title("Xylo kiwi"),
             _tags(("quokka",)), _sentence("and more"), _other_body(model, 90)]
    for number, change in enumerate(edits):
        previous = {f.path: f for f in session.files}
        site = with_article(site, (number * 37) % ARTICLES, change)
        files = session.build(site)
        assert [(f.path, f.content) for f in files] == _cold(site), number
        again = [f for f in files if f.path in previous and f.content == previous[f.path].content]
        assert all(f is previous[f.path] for f in again), number
        made = [f.path.rsplit("/", 1)[1] for f in files if f.path not in previous
                or f is not previous[f.path]]
        assert len([name for name in made if not name.startswith("s")]) <= 3, made
    same = replace(site, locales=(replace(site.locales[0], title="Other title"),))
    before = session.files
    assert session.build(same) == before          # no article changed: the same files
    assert all(new is old for new, old in zip(session.files, before))
    undone = with_article(same, 5, lambda article: model.locales[0].articles[5])
    assert [(f.path, f.content) for f in session.build(undone)] == _cold(undone)


@SHARD_SIZES
def test_many_bodies_replaced_one_after_another(model, monkeypatch, shard_bytes):
    """Twenty builds of one session, each replacing an article's body with another's."""
    monkeypatch.setattr(index, "SHARD_TARGET_BYTES", shard_bytes)
    rng = random.Random(1)
    session = Session()
    session.build(model)
    site = model
    for step in range(20):
        site = with_article(site, rng.randrange(ARTICLES),
                             _other_body(model, rng.randrange(ARTICLES)))
        assert [(f.path, f.content) for f in session.build(site)] == _cold(site), step


def test_a_swap_or_a_removal_in_a_session_indexes_what_a_cold_build_does(model):
    """Articles swapped within a section (one moved by one place), or one removed (not an
    edit in place: the locale is indexed as on the command line), and then edits in place
    follow from there."""
    session = Session()
    session.build(model)
    locale = model.locales[0]
    category = locale.categories[0]
    section = category.sections[0]
    swapped = (section.articles[1], section.articles[0], *section.articles[2:])
    for articles in (swapped, section.articles[1:]):
        sections = (replace(section, articles=articles), *category.sections[1:])
        site = replace(model, locales=(replace(locale, categories=(
            replace(category, sections=sections), *locale.categories[1:])),))
        assert [(f.path, f.content) for f in session.build(site)] == _cold(site)
        edited = with_article(site, 3, _sentence("quokka"))
        assert [(f.path, f.content) for f in session.build(edited)] == _cold(edited)


@SHARD_SIZES
def test_a_title_edit_or_a_move_in_a_session_makes_only_the_files_they_change(
        model, monkeypatch, shard_bytes):
    """A title edit that moves an article in its section, a move of an article to another
    category's section (a new key and URL), and back to the first category: each build equals
    indexing the model from scratch, and every file whose bytes did not change is the
    previous build's object (the locale is not indexed anew)."""
    monkeypatch.setattr(index, "SHARD_TARGET_BYTES", shard_bytes)
    session = Session()
    session.build(model)
    key = model.locales[0].categories[1].sections[2].articles[0].key
    moved = f"c2/s3/{key.rsplit('/', 1)[1]}"
    site = model
    for change in (lambda site: relocated(site, key, _title("Zz quokka")),
                   lambda site: moved_to(site, key, "c2/s3"),
                   lambda site: moved_to(site, moved, "c0/s1")):
        previous = {f.path: f for f in session.files}
        site = change(site)
        files = session.build(site)
        assert [(f.path, f.content) for f in files] == _cold(site)
        again = [f for f in files if f.path in previous and f.content == previous[f.path].content]
        assert again and all(f is previous[f.path] for f in again)


def test_an_edit_undone_with_two_moves_indexes_what_a_cold_build_does(model):
    """An edit in place, then in one build the edit undone and two articles moved (not one
    move: the locale is indexed anew from the session's rows, which the edit had changed)."""
    session = Session()
    session.build(model)
    site = with_article(model, 5, _other_body(model, 5))
    assert [(f.path, f.content) for f in session.build(site)] == _cold(site)
    site = with_article(site, 5, lambda article: model.locales[0].articles[5])
    for doc, title in ((20, "Aardvark"), (100, "Zz top")):
        site = relocated(site, site.locales[0].articles[doc].key, _title(title))
    assert [(f.path, f.content) for f in session.build(site)] == _cold(site)


def test_a_command_line_cache_indexes_edits_as_a_cold_build(model, tmp_path):
    """Without `remember` (helpgen build), an edit is indexed from the index the last build
    stored: the same bytes as a cold build."""
    folder = tmp_path / "cache"
    cache = BuildCache(folder)
    build_index(model, cache)
    cache.save()
    site = model
    for number, change in enumerate((_sentence("quokka"), _title("Kiwi"), _other_body(model, 2))):
        site = with_article(site, number * 50, change)
        cache = BuildCache(folder)
        assert [(f.path, f.content) for f in build_index(site, cache)] == _cold(site)
        cache.save()


EDIT = st.one_of(
    st.builds(lambda doc, donor: (doc, "body", donor), st.integers(0, ARTICLES - 1),
              st.integers(0, ARTICLES - 1)),
    st.builds(lambda doc, words: (doc, "sentence", words), st.integers(0, ARTICLES - 1),
              st.sampled_from(["quokka", "the end", "zylophones vexing quokka kiwi", "a"])),
    st.builds(lambda doc, title: (doc, "title", title), st.integers(0, ARTICLES - 1),
              st.sampled_from(["Kiwi", "Quokka zylophones", "X"])),
    st.builds(lambda doc, tags: (doc, "tags", tags), st.integers(0, ARTICLES - 1),
              st.lists(st.sampled_from(["kiwi", "quokka", "bank"]), max_size=2).map(tuple)),
    st.builds(lambda doc: (doc, "undo", None), st.integers(0, ARTICLES - 1)),
    st.builds(lambda doc, title: (doc, "placed", title), st.integers(0, ARTICLES - 1),
              st.sampled_from(["Aardvark", "Mmm", "Zz top"])),
    st.builds(lambda doc, section: (doc, "move", section), st.integers(0, ARTICLES - 1),
              st.sampled_from([f"c{c}/s{s}" for c in range(3) for s in range(4)])))


def _change(kind: str, value, original, originals):
    """What EDIT draws, as a change of an article; "undo": back to its `original`."""
    if kind == "body":
        return lambda article: replace(article, body=originals[value].body)
    if kind == "undo":
        return lambda article: original
    return {"sentence": _sentence, "title": _title, "tags": _tags}[kind](value)


@SHARD_SIZES
@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(EDIT, min_size=1, max_size=3), min_size=1, max_size=4))
def test_any_edits_in_a_session_index_what_a_cold_build_does(model, monkeypatch, shard_bytes,
                                                             builds):
    """Whatever articles a build edits, and however many builds in a row."""
    monkeypatch.setattr(index, "SHARD_TARGET_BYTES", shard_bytes)
    session = Session()
    session.build(model)
    site = model
    for edits in builds:
        site = _edited(site, edits, model.locales[0].articles)
        assert [(f.path, f.content) for f in session.build(site)] == _cold(site)


def _edited(site: Site, edits, originals) -> Site:
    """`site` with EDIT's `edits` made (`originals`: the articles "undo" goes back to)."""
    for doc, kind, value in edits:
        key = site.locales[0].articles[doc].key
        if kind == "placed":         # a title edit that moves it in its section
            site = relocated(site, key, _title(value))
        elif kind == "move":
            site = moved_to(site, key, value)
        else:
            site = with_article(site, doc, _change(kind, value, originals[doc], originals))
    return site


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(EDIT, min_size=1, max_size=3), min_size=1, max_size=4))
def test_any_edits_on_the_command_line_index_what_a_cold_build_does(model, builds):
    """`helpgen build` after `helpgen build`, each from the index the last one stored in the
    cache file (search/live.py's StoredIndex), whatever articles it edited."""
    with tempfile.TemporaryDirectory() as folder:
        cache = BuildCache(Path(folder))
        build_index(model, cache)
        cache.save()
        site = model
        for edits in builds:
            site = _edited(site, edits, model.locales[0].articles)
            cache = BuildCache(Path(folder))
            assert [(f.path, f.content) for f in build_index(site, cache)] == _cold(site)
            cache.save()


def test_a_session_locale_is_its_own_after_a_failed_update(model):
    """A build that stops midway (here: an article whose body is not a Body) leaves nothing
    half-updated for the next build of the session."""
    session = Session()
    session.build(model)
    broken = with_article(model, 4, lambda article: replace(article, body=None))
    with pytest.raises(AttributeError):
        session.build(broken)
    site = with_article(model, 4, _sentence("quokka"))
    assert [(f.path, f.content) for f in session.build(site)] == _cold(site)



def test_an_edit_scores_no_row_again_for_the_edited_article_alone(model):
    """A word of an article's body in place of another of its words: the same lengths, the
    same document frequencies, but both words' scores in that article change by a level or
    more. Their rows keep every other article's postings: the session puts the article's new
    postings in them, scoring no row again (`build --verbose` counts rows scored)."""
    session = Session()
    session.build(model)
    doc, (twice, once) = next((doc, _twice_and_once(article)) for doc, article
                              in enumerate(model.locales[0].articles) if _twice_and_once(article))

    def swapped(article):
        body = article.body
        return replace(article, body=Body(BodyParts.of(
            body.html, body.text.replace(twice, once, 1), body.toc), f"{body.key} swapped"))
    site = with_article(model, doc, swapped)
    assert [(f.path, f.content) for f in session.build(site)] == _cold(site)
    assert session.cache.made["scored"] == 0


def _twice_and_once(article) -> tuple[str, str] | None:
    """A word found twice in the article's body and one found once, neither in its title,
    tags or description (the description, the start of the text, holds the body's first
    words): the whole words, if any."""
    elsewhere = f"{article.title} {article.description} {article.tags}".lower()
    counts: dict[str, int] = {}
    for word in article.text.replace(".", " ").split():
        counts[word] = counts.get(word, 0) + 1
    twice, once = ([word for word, count in counts.items()
                    if count == times and word.lower() not in elsewhere] for times in (2, 1))
    return (twice[0], once[0]) if twice and once else None
