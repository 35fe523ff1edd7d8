/*
 * helpgen search tokenizer (query time). The twin of helpgen/tokenizer.py (index time):
 * both must return exactly the same tokens for the same text, or searches miss.
 * tests/test_tokenizer.py runs both over hand-checked vectors, every Unicode character
 * and real articles. Read the Python module's docstring for the why; in short:
 *
 *   1. NFKC, then toLowerCase().
 *   2. CJK runs (Han, Hiragana, Katakana, Hangul; ranges below) -> the character itself
 *      when alone, else overlapping bigrams counted in code points, not UTF-16 units.
 *   3. Word runs (Unicode letters and digits that are not CJK) -> skipped when longer
 *      than 40 code points, dropped when a lunr English stop word, else lunr.stemmer.
 *      Everything else (space, punctuation, "_", symbols, marks) separates runs.
 *
 * `locale` is reserved for per-language stemmers: every locale currently uses lunr's
 * English stemmer for Latin words. Needs lunr.js (lunr.stemmer, lunr.stopWordFilter)
 * loaded first. Plain script: no modules, no build step, works from file://.
 */
(function (root) {
  "use strict";

  if (typeof root.lunr === "undefined") {
    throw new Error("helpgen tokenizer.js: load lunr.js before tokenizer.js");
  }
  var lunr = root.lunr;

  var MAX_TOKEN_LENGTH = 40;

  // Keep in step with CJK_RANGES in helpgen/tokenizer.py.
  var CJK =
    "\\u1100-\\u11FF" +       // Hangul Jamo
    "\\u3005-\\u3007" +       // 々 〆 〇
    "\\u3040-\\u309F" +       // Hiragana
    "\\u30A1-\\u30FA" +       // Katakana, without ゠ (U+30A0) ...
    "\\u30FC-\\u30FF" +       // ... and ・ (U+30FB): punctuation
    "\\u3130-\\u318F" +       // Hangul Compatibility Jamo
    "\\u31F0-\\u31FF" +       // Katakana Phonetic Extensions
    "\\u3400-\\u4DBF" +       // CJK Unified Ideographs Extension A
    "\\u4E00-\\u9FFF" +       // CJK Unified Ideographs
    "\\uAC00-\\uD7AF" +       // Hangul Syllables
    "\\uF900-\\uFAFF" +       // CJK Compatibility Ideographs
    "\\uFF66-\\uFF9F" +       // Half-width Katakana
    "\\u{20000}-\\u{2FA1F}";  // CJK Extensions B-F, Compatibility Supplement

  // Group 1: a CJK run. Group 2: a word run (letters/digits that are not CJK).
  var RUNS = new RegExp(
    "([" + CJK + "]+)|((?:(?![" + CJK + "])[\\p{L}\\p{N}])+)", "gu");

  function codePointLength(s) {
    return s.length <= MAX_TOKEN_LENGTH ? s.length : Array.from(s).length;
  }

  // Does a text hold a CJK character? (engine.js: typed CJK prefixes, highlighting)
  var HAS_CJK = new RegExp("[" + CJK + "]", "u");

  root.helpgenTokenize = function (text, locale) {
    var s = String(text).normalize("NFKC").toLowerCase();
    var tokens = [];
    var runs = new RegExp(RUNS);  // own lastIndex: safe to call re-entrantly
    var m, chars, i, word;
    while ((m = runs.exec(s)) !== null) {
      if (m[1] !== undefined) {
        chars = Array.from(m[1]);  // code points: U+20000+ is one character
        if (chars.length === 1) {
          tokens.push(chars[0]);
        } else {
          for (i = 0; i < chars.length - 1; i++) tokens.push(chars[i] + chars[i + 1]);
        }
      } else {
        word = m[2];
        if (codePointLength(word) > MAX_TOKEN_LENGTH) continue;
        if (!lunr.stopWordFilter(new lunr.Token(word))) continue;
        tokens.push(lunr.stemmer(new lunr.Token(word)).toString());
      }
    }
    return tokens;
  };
  root.helpgenTokenize.hasCjk = function (text) { return HAS_CJK.test(text); };
})(typeof window !== "undefined" ? window : self);
