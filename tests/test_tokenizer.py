"""The search tokenizer exists twice, in Python (index time,
helpgen/output/search/tokenizer.py) and in JavaScript (query time, helpgen/client/tokenizer.js).
A query only finds an article when both produce the same tokens, so these tests prove them
identical: on hand-checked vectors, on every assigned Unicode character, on the whole vocabulary
of the real corpora, and on real article bodies in a real headless Chromium."""

from __future__ import annotations

import json
import random
import re
import unicodedata
from pathlib import Path

import mkdocs
import pytest

from conftest import CORPORA
from helpgen.settings.locales import LOCALE_PATTERN
from helpgen.output.search.tokenizer import STOP_WORDS, tokenize

ROOT = Path(__file__).resolve().parent.parent
VECTORS_FILE = Path(__file__).resolve().parent / "tokenizer_vectors.json"
TOKENIZER_JS = ROOT / "helpgen" / "client" / "tokenizer.js"
LUNR_JS = Path(mkdocs.__file__).parent / "contrib" / "search" / "templates" / "search" / "lunr.js"
EXAMPLE_ARTICLES = ROOT / "example-site" / "articles"
CORPUS_SAMPLE = 200

VECTORS = json.loads(VECTORS_FILE.read_text(encoding="utf-8"))
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n.*?\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
LOCALE_SUFFIX = re.compile(rf"\.({LOCALE_PATTERN})\.md\Z")


def vector_id(vector: dict) -> str:
    return f"{vector['locale']}:{vector['text'][:24]!r}"


def body(path: Path) -> str:
    return FRONT_MATTER.sub("", path.read_text(encoding="utf-8"), count=1)


def article_locale(path: Path, default: str) -> str:
    match = LOCALE_SUFFIX.search(path.name)
    return match.group(1) if match else default


def first_difference(expected: list[str], got: list[str]) -> str:
    for i, (a, b) in enumerate(zip(expected, got)):
        if a != b:
            return f"token {i}: python {a!r} vs js {b!r}; context {expected[max(0, i - 3):i + 4]}"
    return f"lengths differ: python {len(expected)} vs js {len(got)}"


# --- Python only ------------------------------------------------------------------------


def test_vectors_file_is_big_and_covers_every_locale():
    assert len(VECTORS) >= 60
    assert {"en", "zh-CN", "zh-TW", "ja"} <= {v["locale"] for v in VECTORS}
    for vector in VECTORS:
        assert set(vector) <= {"locale", "text", "tokens", "note"}
        assert all(isinstance(token, str) and token for token in vector["tokens"])


@pytest.mark.parametrize("vector", VECTORS, ids=vector_id)
def test_python_tokenizer_matches_vector(vector):
    assert tokenize(vector["text"], vector["locale"]) == vector["tokens"]


def test_spec_examples():
    assert tokenize("申请退款流程", "zh-CN") == ["申请", "请退", "退款", "款流", "流程"]
    assert tokenize("API 密钥", "zh-CN") == ["api", "密钥"]
    assert tokenize("Resetting passwords", "en") == ["reset", "password"]
    assert tokenize("退", "zh-CN") == ["退"]


def test_stop_words_are_lunr_js_stop_words():
    """lunr.py's list (used in Python) is word for word the list inside lunr.js."""
    source = LUNR_JS.read_text(encoding="utf-8")
    match = re.search(r"lunr\.stopWordFilter = lunr\.generateStopWordFilter\(\[(.*?)\]\)",
                      source, re.DOTALL)
    assert match, "lunr.js no longer defines its stop words the way this test expects"
    assert set(re.findall(r"'([^']*)'", match.group(1))) == STOP_WORDS


def test_locale_does_not_change_tokens_yet():
    text = "Resetting the API keys 重设密钥"
    assert {tuple(tokenize(text, locale)) for locale in ("en", "zh-CN", "zh-TW", "ja", "xx")} \
        == {("reset", "api", "key", "重设", "设密", "密钥")}


# --- Python and JavaScript in headless Chromium -------------------------------------


@pytest.fixture(scope="module")
def js(browser):
    """A blank page with lunr.js (from the installed mkdocs) and tokenizer.js loaded;
    calling it evaluates `helpgenTokenize` over a list of [text, locale] pairs at once."""
    assert LUNR_JS.is_file(), LUNR_JS
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_content("<html><head></head><body></body></html>")
    page.add_script_tag(path=str(LUNR_JS))
    page.add_script_tag(path=str(TOKENIZER_JS))
    assert page.evaluate("lunr.version") == "2.3.9"
    assert page.evaluate("typeof window.helpgenTokenize") == "function"

    def run(items: list[tuple[str, str]]) -> list[list[str]]:
        # One JSON string each way: much faster than Playwright's per-value serialization.
        result = json.loads(page.evaluate(
            "s => JSON.stringify(JSON.parse(s).map(item => window.helpgenTokenize(item[0], item[1])))",
            json.dumps(items)))
        assert not errors, errors
        return result

    run.page = page
    yield run
    context.close()


def assert_same(items: list[tuple[str, str]], js_tokens: list[list[str]], labels=None):
    mismatches = []
    for n, ((text, locale), got) in enumerate(zip(items, js_tokens, strict=True)):
        expected = tokenize(text, locale)
        if expected != got:
            label = labels[n] if labels else repr(text[:40])
            mismatches.append(f"{label} ({locale}): {first_difference(expected, got)}")
    assert not mismatches, f"{len(mismatches)} differ:\n" + "\n".join(mismatches[:20])


@pytest.mark.browser
def test_js_tokenizer_matches_vectors(js):
    got = js([(v["text"], v["locale"]) for v in VECTORS])
    wrong = [f"{vector_id(v)}: expected {v['tokens']}, js gave {tokens}"
             for v, tokens in zip(VECTORS, got) if tokens != v["tokens"]]
    assert not wrong, "\n".join(wrong)


@pytest.mark.browser
def test_js_tokenizer_needs_no_page_features(js):
    """Plain script: works in a blank page and is callable re-entrantly and repeatedly."""
    assert js.page.evaluate("""() => {
        const a = helpgenTokenize('申请退款 refunds', 'zh-CN');
        const b = helpgenTokenize('申请退款 refunds', 'zh-CN');
        return JSON.stringify(a) === JSON.stringify(b) ? a : null;
    }""") == ["申请", "请退", "退款", "refund"]


@pytest.mark.browser
def test_js_tokenizer_works_from_file_url(browser, tmp_path):
    """Loaded with ordinary <script src> tags from disk, as the built site does."""
    page_file = tmp_path / "search.html"
    page_file.write_text(
        f'<!doctype html><meta charset="utf-8"><script src="{LUNR_JS.as_uri()}"></script>'
        f'<script src="{TOKENIZER_JS.as_uri()}"></script>', encoding="utf-8")
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(page_file.as_uri())
        assert page.evaluate("helpgenTokenize('如何申请退款？ Refunds', 'zh-CN')") == \
            ["如何", "何申", "申请", "请退", "退款", "refund"]
        assert not errors, errors
    finally:
        page.close()


@pytest.mark.browser
def test_every_unicode_character_tokenizes_the_same(js):
    """Each assigned code point on its own (in Python's Unicode version): the same
    normalization, case mapping and letter/digit/CJK classification on both sides."""
    chars = [chr(cp) for cp in range(0x110000)
             if unicodedata.category(chr(cp)) not in ("Cn", "Cs", "Co")]
    items = [(f"{c} x{c}x {c}{c}", "en") for c in chars]
    assert_same(items, js(items), labels=[f"U+{ord(c):04X}" for c in chars])


@pytest.mark.browser
def test_stemmer_agrees_on_whole_corpus_vocabulary(js):
    """Every distinct word in the example site and the corpora, stemmed on both sides."""
    roots = [EXAMPLE_ARTICLES] + [CORPORA / name / "articles" for name in ("tidb-zh", "audacity-en")]
    if not all(root.is_dir() for root in roots):
        pytest.skip(f"no corpora at {CORPORA}")
    words: set[str] = set()
    for root in roots:
        for path in root.rglob("*.md"):
            text = unicodedata.normalize("NFKC", path.read_text(encoding="utf-8")).lower()
            words.update(re.findall(r"[^\W_]+", text))
    items = [(word, "en") for word in sorted(words)]
    assert_same(items, js(items))


@pytest.mark.browser
def test_example_site_articles_tokenize_the_same(js):
    paths = sorted(EXAMPLE_ARTICLES.rglob("*.md"))
    assert len(paths) >= 40
    items = [(body(p), article_locale(p, "en")) for p in paths]
    assert {locale for _, locale in items} >= {"en", "zh-CN", "zh-TW"}
    assert_same(items, js(items), labels=[str(p.relative_to(EXAMPLE_ARTICLES)) for p in paths])


@pytest.mark.browser
@pytest.mark.parametrize("corpus, locale", [("tidb-zh", "zh-CN"), ("audacity-en", "en")])
def test_corpus_sample_tokenizes_the_same(js, corpus, locale):
    articles = CORPORA / corpus / "articles"
    if not articles.is_dir():
        pytest.skip(f"no corpora at {CORPORA}")
    paths = sorted(articles.rglob("*.md"))
    paths = sorted(random.Random(20240615).sample(paths, min(CORPUS_SAMPLE, len(paths))))
    items = [(body(p), article_locale(p, locale)) for p in paths]
    assert_same(items, js(items), labels=[str(p.relative_to(articles)) for p in paths])
