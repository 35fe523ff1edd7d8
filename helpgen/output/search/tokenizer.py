"""The search tokenizer: one definition, implemented twice and tested to be identical.

Why a custom tokenizer
----------------------
lunr's default tokenizer splits on whitespace and hyphens. Chinese and Japanese are
written without spaces, so a whole clause such as ``申请退款流程很简单`` becomes a
single "word" and a search for ``退款`` matches nothing inside it: on Chinese
queries lunr's default tokenizer finds 1.5% of the articles that contain the query.
Indexing overlapping character bigrams (``申请退款`` -> 申请, 请退, 退款) needs no
dictionary, is the same at index time and query time, and finds every article that
contains the query (recall 1.0), at the price of some false positives. (Lucene's
CJKBigramFilter does the same.)

The index is built in Python (lunr.py, at build time) and queried in the browser
(lunr.js 2.3.9). A query finds a document only when both sides produce the *same*
tokens, so this module has a twin, ``helpgen/client/tokenizer.js``
(``window.helpgenTokenize``), and ``tests/test_tokenizer.py`` checks the two
against hand-checked vectors, every character of Unicode, and real articles.

The specification (both sides)
------------------------------
1. Normalize with NFKC (full-width ``ＡＰＩ`` -> ``API``, half-width ``ｶﾅ`` -> ``カナ``,
   ligatures, circled digits), then lowercase (``str.lower()`` / ``toLowerCase()``:
   full Unicode case mapping, including Greek final sigma).
2. Split into runs. A CJK run is a maximal sequence of characters in ``CJK_RANGES``
   (Han with 々〆〇, Hiragana, Katakana, Hangul). A word run is a maximal sequence of
   Unicode letters or digits (general category L* or N*) that are not CJK. Everything
   else (spaces, punctuation, underscores, symbols, combining marks, CJK punctuation
   such as ，。「」 and the Katakana ・ and ゠) only separates runs.
3. A CJK run of one character yields that character; a longer run yields its
   overlapping bigrams, counted in code points (so U+20000+ ideographs are one
   character each, never a UTF-16 surrogate).
4. A word run longer than ``MAX_TOKEN_LENGTH`` code points is skipped (hashes, base64,
   minified junk); a word in lunr's English stop word list is dropped; any other word
   is stemmed with lunr.js's English Porter stemmer.

``locale`` is accepted so per-language stemmers can be added later; today every
locale uses the English stemmer for its Latin words, because the Latin words inside
Chinese and Japanese help articles are mostly English product terms (API, TiDB,
Dashboard) that people also search for in English.

The stemmer is lunr.js's, not lunr.py's
---------------------------------------
``lunr.stemmer`` in lunr.py is a port of Martin Porter's reference Python
implementation, not of lunr.js's regular-expression stemmer, and the two disagree
(lunr.py's own docstring admits it): lunr.py turns ``day``/``key``/``display``/
``deploy``/``array`` into ``dai``/``kei``/``displai``/``deploi``/``arrai`` where
lunr.js keeps the ``y``, and lunr.js turns ``try``/``dry`` into ``tri``/``dri`` where
lunr.py does not. Over the tidb-zh and audacity-en corpora 162 of 141,095 distinct
words differ, several of them common search words, so ``_porter_stem`` below is a
line-by-line port of lunr.js 2.3.9's ``porterStemmer`` (same regular expressions,
same order). It also reproduces lunr.js's UTF-16 semantics for the rare word that
contains a character above U+FFFF (lunr.js's regexes and its ``length < 3`` test
see such a character as two code units). The stop word list is lunr.py's, which is
the same list as lunr.js's (the tests compare them).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from lunr.stop_word_filter import WORDS as _LUNR_STOP_WORDS

__all__ = ["tokenize", "CJK_RANGES", "MAX_TOKEN_LENGTH", "STOP_WORDS"]

#: Inclusive code point ranges whose characters form CJK runs (tokenized as bigrams).
CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x1100, 0x11FF),    # Hangul Jamo
    (0x3005, 0x3007),    # 々 〆 〇: iteration mark, closing mark, ideographic zero
    (0x3040, 0x309F),    # Hiragana
    (0x30A1, 0x30FA),    # Katakana, without ゠ (U+30A0, a hyphen) ...
    (0x30FC, 0x30FF),    # ... and ・ (U+30FB, a middle dot): punctuation separates runs
    (0x3130, 0x318F),    # Hangul Compatibility Jamo
    (0x31F0, 0x31FF),    # Katakana Phonetic Extensions
    (0x3400, 0x4DBF),    # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),    # CJK Unified Ideographs
    (0xAC00, 0xD7AF),    # Hangul Syllables
    (0xF900, 0xFAFF),    # CJK Compatibility Ideographs
    (0xFF66, 0xFF9F),    # Half-width Katakana (NFKC makes them full-width first)
    (0x20000, 0x2FA1F),  # CJK Unified Ideographs Extensions B-F, Compatibility Supplement
)

#: Word runs longer than this many code points are skipped.
MAX_TOKEN_LENGTH = 40

#: lunr's English stop words (identical in lunr.py and lunr.js 2.3.9).
STOP_WORDS: frozenset[str] = frozenset(_LUNR_STOP_WORDS)

CJK_CLASS = "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in CJK_RANGES)
# Group 1: a CJK run. Group 2: a word run, i.e. letters or digits ([^\W_] is exactly
# the categories L* and N* in Python 3's re) minus the CJK ranges.
_RUNS = re.compile(f"([{CJK_CLASS}]+)|([^\\W_{CJK_CLASS}]+)")


def tokenize(text: str, locale: str) -> list[str]:
    """Search tokens of `text`, in document order, duplicates kept.

    `locale` (e.g. "en", "zh-CN") is reserved for per-language stemmers; all locales
    currently stem Latin-script words with lunr's English Porter stemmer.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    tokens: list[str] = []
    append = tokens.append
    extend = tokens.extend
    stop_words = STOP_WORDS
    stem = _stem
    for cjk, word in _RUNS.findall(text):
        if cjk:
            if len(cjk) == 1:
                append(cjk)
            else:
                extend(map(str.__add__, cjk[:-1], cjk[1:]))
        elif len(word) <= MAX_TOKEN_LENGTH and word not in stop_words:
            append(stem(word))
    return tokens


# --- lunr.js 2.3.9's Porter stemmer, ported regex for regex -------------------------
# JS `$` (no m flag) only matches at the very end, so it becomes `\Z` here (Python's
# `$` also matches before a final newline). JS `re.test(w)` is `re.search(w)`.

_c = "[^aeiou]"           # consonant
_v = "[aeiouy]"           # vowel
_C = _c + "[^aeiouy]*"    # consonant sequence
_V = _v + "[aeiou]*"      # vowel sequence

_re_mgr0 = re.compile("^(" + _C + ")?" + _V + _C)                          # [C]VC... is m>0
_re_meq1 = re.compile("^(" + _C + ")?" + _V + _C + "(" + _V + ")?\\Z")     # [C]VC[V] is m=1
_re_mgr1 = re.compile("^(" + _C + ")?" + _V + _C + _V + _C)                # [C]VCVC... is m>1
_re_s_v = re.compile("^(" + _C + ")?" + _v)                                # vowel in stem

_re_1a = re.compile(r"^(.+?)(ss|i)es\Z")
_re2_1a = re.compile(r"^(.+?)([^s])s\Z")
_re_1b = re.compile(r"^(.+?)eed\Z")
_re2_1b = re.compile(r"^(.+?)(ed|ing)\Z")
_re2_1b_2 = re.compile(r"(at|bl|iz)\Z")
_re3_1b_2 = re.compile(r"([^aeiouylsz])\1\Z")
_re4_1b_2 = re.compile("^" + _C + _v + "[^aeiouwxy]\\Z")
_re_1c = re.compile(r"^(.+?[^aeiou])y\Z")
_re_2 = re.compile(
    r"^(.+?)(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator"
    r"|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi)\Z")
_re_3 = re.compile(r"^(.+?)(icate|ative|alize|iciti|ical|ful|ness)\Z")
_re_4 = re.compile(
    r"^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)\Z")
_re2_4 = re.compile(r"^(.+?)(s|t)(ion)\Z")
_re_5 = re.compile(r"^(.+?)e\Z")
_re_5_1 = re.compile(r"ll\Z")
_re3_5 = re.compile("^" + _C + _v + "[^aeiouwxy]\\Z")

_STEP2 = {
    "ational": "ate", "tional": "tion", "enci": "ence", "anci": "ance", "izer": "ize",
    "bli": "ble", "alli": "al", "entli": "ent", "eli": "e", "ousli": "ous",
    "ization": "ize", "ation": "ate", "ator": "ate", "alism": "al", "iveness": "ive",
    "fulness": "ful", "ousness": "ous", "aliti": "al", "iviti": "ive", "biliti": "ble",
    "logi": "log",
}
_STEP3 = {"icate": "ic", "ative": "", "alize": "al", "iciti": "ic", "ical": "ic", "ful": "",
          "ness": ""}


def _porter_stem_utf16(w: str) -> str:
    """lunr.js's porterStemmer on a string of UTF-16 code units (one str char per unit)."""
    if len(w) < 3:
        return w
    firstch = w[0]
    if firstch == "y":
        w = "Y" + w[1:]

    # Step 1a
    m = _re_1a.search(w) or _re2_1a.search(w)
    if m:
        w = m.group(1) + m.group(2)

    # Step 1b
    m = _re_1b.search(w)
    if m:
        if _re_mgr0.search(m.group(1)):
            w = w[:-1]
    else:
        m = _re2_1b.search(w)
        if m:
            stem = m.group(1)
            if _re_s_v.search(stem):
                w = stem
                if _re2_1b_2.search(w):
                    w = w + "e"
                elif _re3_1b_2.search(w):
                    w = w[:-1]
                elif _re4_1b_2.search(w):
                    w = w + "e"

    # Step 1c: y -> i after a consonant that is not the first letter (cry -> cri, by -> by)
    m = _re_1c.search(w)
    if m:
        w = m.group(1) + "i"

    # Step 2
    m = _re_2.search(w)
    if m and _re_mgr0.search(m.group(1)):
        w = m.group(1) + _STEP2[m.group(2)]

    # Step 3
    m = _re_3.search(w)
    if m and _re_mgr0.search(m.group(1)):
        w = m.group(1) + _STEP3[m.group(2)]

    # Step 4
    m = _re_4.search(w)
    if m:
        if _re_mgr1.search(m.group(1)):
            w = m.group(1)
    else:
        m = _re2_4.search(w)
        if m:
            stem = m.group(1) + m.group(2)
            if _re_mgr1.search(stem):
                w = stem

    # Step 5
    m = _re_5.search(w)
    if m:
        stem = m.group(1)
        if _re_mgr1.search(stem) or (_re_meq1.search(stem) and not _re3_5.search(stem)):
            w = stem
    if _re_5_1.search(w) and _re_mgr1.search(w):
        w = w[:-1]

    # and turn initial Y back to y
    if firstch == "y":
        w = "y" + w[1:]
    return w


def _porter_stem(word: str) -> str:
    """lunr.js 2.3.9's `lunr.stemmer` on a lowercase word."""
    if word.isascii() or max(word) <= "\uffff":
        return _porter_stem_utf16(word)
    # lunr.js sees a character above U+FFFF as two UTF-16 code units: stem the
    # surrogate-pair form and join the pairs back. (Every suffix the stemmer strips
    # or doubles is ASCII, so a pair is never split.)
    units = word.encode("utf-16-le", "surrogatepass")
    units_str = "".join(chr(int.from_bytes(units[i:i + 2], "little"))
                        for i in range(0, len(units), 2))
    stemmed = _porter_stem_utf16(units_str)
    return stemmed.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


_stem = functools.lru_cache(maxsize=1 << 18)(_porter_stem)
