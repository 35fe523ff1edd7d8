/* helpgen search engine: loads the sharded, prebuilt index of one locale and queries it.
 *
 * Data files are scripts calling helpgenSearchData(kind, key, data), so they load from file://
 * too. Only the shards holding the query's terms are fetched, then the titles of the results
 * shown. Queries go through the same pipeline as the index (tokenizer.js on lunr.js's stemmer
 * and stop words); the BM25 scores stored in the shards are summed here, per document, which is
 * what lunr.Index.query did at several microseconds per matching document and term.
 * Requires lunr.js and tokenizer.js (window.helpgenTokenize) loaded before this file.
 * See helpgen/index.py for the file formats and the ranking.
 */
(function () {
  "use strict";

  var pending = Object.create(null);   // "kind:key" -> {promise, resolve, reject}

  window.helpgenSearchData = function (kind, key, data) {
    var slot = pending[kind + ":" + key];
    if (slot) slot.resolve(data);
  };

  function loadScript(src, kind, key) {
    var id = kind + ":" + key;
    if (pending[id]) return pending[id].promise;
    var slot = {};
    slot.promise = new Promise(function (resolve, reject) {
      slot.resolve = resolve;
      slot.reject = reject;
    });
    pending[id] = slot;
    var script = document.createElement("script");
    script.src = src;
    script.charset = "utf-8";   // host pages of the widget may use another encoding
    script.async = true;
    script.onerror = function () {
      delete pending[id];
      slot.reject(new Error("could not load " + src));
    };
    document.head.appendChild(script);
    return slot.promise;
  }

  var TRAILING_RUN = /[\p{L}\p{N}]+$/u;

  function isCjk(text) { return window.helpgenTokenize.hasCjk(text); }

  /* Compare strings by code point, as Python sorts the terms (JavaScript's < compares UTF-16
   * units, which orders characters above U+FFFF differently). */
  function compare(a, b) {
    var i = 0, j = 0;
    while (i < a.length && j < b.length) {
      var x = a.codePointAt(i), y = b.codePointAt(j);
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xffff ? 2 : 1;
      j += y > 0xffff ? 2 : 1;
    }
    return (a.length - i) - (b.length - j) < 0 ? -1 : (a.length - i) === (b.length - j) ? 0 : 1;
  }

  /* The shard whose range holds `term`: the number of shard boundaries at or before it. */
  function shardOf(term, boundaries) {
    var low = 0, high = boundaries.length;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (compare(boundaries[middle], term) <= 0) low = middle + 1; else high = middle;
    }
    return low;
  }

  /* The shards a clause needs: one for a whole term, the run covering a prefix's range. */
  function shardsFor(clause, boundaries) {
    var first = shardOf(clause.term, boundaries);
    if (!clause.wildcard) return [first];
    var last = shardOf(clause.term + "\u{10FFFF}", boundaries);
    var numbers = [];
    for (var n = first; n <= last; n++) numbers.push(n);
    return numbers;
  }

  function commonPrefix(a, b) {
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return a.slice(0, i);
  }

  /* The query's terms. Every term is required. While typing (`typing`), the word being typed is a
   * prefix: "refu" finds "refund", a CJK character finds the words it starts. */
  function plan(query, locale, typing) {
    var text = query.normalize("NFKC").toLowerCase();
    var trailing = typing ? TRAILING_RUN.exec(text) : null;
    var prefix = null;
    if (trailing) {
      var run = trailing[0];
      var chars = Array.from(run);
      if (isCjk(chars[chars.length - 1])) {
        if (chars.length === 1) { prefix = run; text = text.slice(0, trailing.index); }
      } else if (!isCjk(chars[0])) {
        var stemmed = window.helpgenTokenize(run, locale);
        var candidate = commonPrefix(run, stemmed.length ? stemmed[0] : run);
        if (Array.from(candidate).length >= 2) { prefix = candidate; text = text.slice(0, trailing.index); }
      }
    }
    var seen = Object.create(null);
    var clauses = [];
    window.helpgenTokenize(text, locale).forEach(function (term) {
      if (!seen[term]) { seen[term] = true; clauses.push({ term: term, wildcard: false }); }
    });
    if (prefix && !seen[prefix]) clauses.push({ term: prefix, wildcard: true });
    return clauses;
  }

  /* The first row of a shard's sorted rows whose term is not below `term`. */
  function lowerBound(rows, term) {
    var low = 0, high = rows.length;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (compare(rows[middle][0], term) < 0) low = middle + 1; else high = middle;
    }
    return low;
  }

  /* One shard: rows [term, title postings, other postings], decoded per term when first used. */
  function Shard(rows, manifest) {
    this.rows = rows;
    this.manifest = manifest;
    this.decoded = Object.create(null);
  }

  /* The rows a clause matches here: its term, or every term starting with it (`wildcard`). */
  Shard.prototype.find = function (clause) {
    var rows = this.rows, found = [], length = clause.term.length;
    for (var i = lowerBound(rows, clause.term); i < rows.length; i++) {
      var term = rows[i][0];
      if (clause.wildcard ? term.slice(0, length) !== clause.term : term !== clause.term) break;
      found.push(this.postings(i));
    }
    return found;
  };

  /* Decoded postings of row i: {docs, scores, lengths} for the title, {docs, scores} for the rest. */
  Shard.prototype.postings = function (i) {
    if (!this.decoded[i]) {
      var row = this.rows[i];
      this.decoded[i] = { title: decode(row[1], true, this.manifest), other: decode(row[2], false, this.manifest) };
    }
    return this.decoded[i];
  };

  function decode(text, withLengths, manifest) {
    var digit = manifest.digitValues, levels = manifest.levels;
    var docs = [], scores = [], lengths = [], doc = 0, i = 0;
    while (i < text.length) {
      var value = 0, d;
      do { d = digit[text.charCodeAt(i++)]; value = value * 32 + (d & 31); } while (d & 32);
      doc += value;
      docs.push(doc);
      scores.push(levels[digit[text.charCodeAt(i++)]]);
      if (withLengths) lengths.push(digit[text.charCodeAt(i++)]);
    }
    return { docs: docs, scores: scores, lengths: lengths };
  }

  /* The manifest, with lookup tables for decoding postings. */
  function prepare(manifest) {
    manifest.digitValues = new Uint8Array(128);
    manifest.levels = [];
    for (var k = 0; k < manifest.digits.length; k++) {
      manifest.digitValues[manifest.digits.charCodeAt(k)] = k;
      manifest.levels.push(manifest.scores[0] * Math.pow(manifest.scores[1], k));
    }
    return manifest;
  }

  function Engine(root, locale) {
    this.root = root;            // URL of the _helpgen/ folder, relative to the page
    this.locale = locale;
    this.folder = root + "search/" + locale + "/";
    this.shards = Object.create(null);
    this.manifest = loadScript(this.folder + "manifest.js", "manifest", locale).then(prepare);
  }

  Engine.prototype.shard = function (number) {
    if (!this.shards[number]) {
      this.shards[number] = Promise.all([
        this.manifest, loadScript(this.folder + "s" + number + ".js", "shard", this.locale + "/" + number)
      ]).then(function (loaded) { return new Shard(loaded[1], loaded[0]); });
    }
    return this.shards[number];
  };

  /* All matching documents, best first: [{doc, score, hits}]. Every clause must match (with
   * `any`, for long texts such as a contact message, one is enough and documents matching more
   * clauses come first). Then: more clauses in the title, a larger share of the title matched
   * (the article titled exactly as the query first), a higher sum of the stored scores. A
   * prefix clause scores, per document, its best term. */
  Engine.prototype.match = function (query, typing, any) {
    var self = this;
    return this.manifest.then(function (manifest) {
      var clauses = plan(query, self.locale, typing);
      if (!clauses.length) return [];
      var work = [];
      clauses.forEach(function (clause, c) {
        shardsFor(clause, manifest.boundaries).forEach(function (number) {
          work.push({ clause: c, number: number });
        });
      });
      return Promise.all(work.map(function (item) { return self.shard(item.number); })).then(function (shards) {
        var perClause = clauses.map(function () { return []; });
        shards.forEach(function (shard, i) {
          var c = work[i].clause;
          perClause[c] = perClause[c].concat(shard.find(clauses[c]));
        });
        return rank(perClause, manifest.documents, any);
      });
    });
  };

  function rank(perClause, documents, any) {
    var score = new Float64Array(documents), hits = new Uint16Array(documents);
    var titleHits = new Uint16Array(documents), titleTerms = new Uint8Array(documents);
    var best = new Float64Array(documents), inTitle = new Uint8Array(documents);
    perClause.forEach(function (postings) {
      var touched = [];
      postings.forEach(function (term) {
        /* Title and other postings are both in document order: walk them together. */
        var t = term.title, o = term.other, i = 0, j = 0;
        while (i < t.docs.length || j < o.docs.length) {
          var inT = i < t.docs.length ? t.docs[i] : Infinity, inO = j < o.docs.length ? o.docs[j] : Infinity;
          var d = Math.min(inT, inO), s = 0;
          if (inT === d) { s += t.scores[i]; inTitle[d] = 1; titleTerms[d] = t.lengths[i]; i++; }
          if (inO === d) { s += o.scores[j]; j++; }
          if (!best[d]) touched.push(d);
          if (s > best[d]) best[d] = s;
        }
      });
      touched.forEach(function (d) {
        score[d] += best[d];
        hits[d]++;
        titleHits[d] += inTitle[d];
        best[d] = 0;
        inTitle[d] = 0;
      });
    });
    var need = any ? 1 : perClause.length, results = [];
    for (var d = 0; d < documents; d++) {
      if (hits[d] >= need) {
        results.push({ doc: d, score: score[d], hits: hits[d], title: titleHits[d],
                       share: titleHits[d] ? titleHits[d] / titleTerms[d] : 0 });
      }
    }
    results.sort(function (a, b) {
      return b.hits - a.hits || b.title - a.title || b.share - a.share || b.score - a.score || a.doc - b.doc;
    });
    return results.map(function (r) { return { doc: r.doc, score: r.score, hits: r.hits }; });
  }

  /* Title, URL (relative to the site root), category and section of documents. */
  Engine.prototype.describe = function (matches) {
    var self = this;
    return this.manifest.then(function (manifest) {
      var chunks = Object.create(null);
      matches.forEach(function (match) { chunks[Math.floor(match.doc / manifest.chunk)] = true; });
      var numbers = Object.keys(chunks);
      return Promise.all(numbers.map(function (n) {
        return loadScript(self.folder + "d" + n + ".js", "documents", self.locale + "/" + n);
      })).then(function (loaded) {
        var byChunk = Object.create(null);
        numbers.forEach(function (n, i) { byChunk[n] = loaded[i]; });
        return matches.map(function (match) {
          var entry = byChunk[Math.floor(match.doc / manifest.chunk)][match.doc % manifest.chunk];
          return {
            doc: match.doc, score: match.score, title: entry[0], url: entry[1],
            categoryIndex: entry[2], category: manifest.categories[entry[2]], section: entry[3]
          };
        });
      });
    });
  };

  Engine.prototype.text = function (doc) {
    return loadScript(this.folder + "x" + doc + ".js", "text", this.locale + "/" + doc);
  };

  Engine.prototype.categories = function () {
    return this.manifest.then(function (manifest) { return manifest.categories; });
  };

  /* --- Presentation helpers: escaping, highlighting and snippets. --- */

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  /* A pattern matching what the query matched: words starting with a query word's stem (or the
   * typed prefix), and the query's CJK runs, or their bigrams where the whole run is absent. */
  function matcher(query, locale) {
    var text = query.normalize("NFKC").toLowerCase();
    var parts = [];
    (text.match(/[\p{L}\p{N}]+/gu) || []).forEach(function (run) {
      if (isCjk(run)) {
        var chars = Array.from(run);
        parts.push(escapeRegExp(run));
        for (var i = 0; i + 1 < chars.length; i++) parts.push(escapeRegExp(chars[i] + chars[i + 1]));
      } else {
        var stems = window.helpgenTokenize(run, locale);
        var stem = commonPrefix(run, stems.length ? stems[0] : run);
        if (stem.length >= 2) parts.push("(?<![\\p{L}\\p{N}])" + escapeRegExp(stem) + "[\\p{L}\\p{N}]*");
      }
    });
    if (!parts.length) return null;
    parts.sort(function (a, b) { return b.length - a.length; });
    var pattern = new RegExp(parts.join("|"), "giu");
    pattern.parts = parts;
    return pattern;
  }

  /* HTML: `text` escaped, with matches wrapped in <mark>. */
  function highlight(text, query, locale) {
    var pattern = matcher(query, locale);
    if (!pattern) return escapeHtml(text);
    var html = "", last = 0, found;
    while ((found = pattern.exec(text)) !== null) {
      if (!found[0].length) { pattern.lastIndex++; continue; }
      html += escapeHtml(text.slice(last, found.index)) + "<mark>" + escapeHtml(found[0]) + "</mark>";
      last = found.index + found[0].length;
    }
    return html + escapeHtml(text.slice(last));
  }

  /* About `length` characters of `text` around the first match, as highlighted HTML. */
  function snippet(text, query, locale, length) {
    length = length || 180;
    var pattern = matcher(query, locale), found = null;
    /* Centre on the most complete match: the whole phrase before its pieces. */
    for (var i = 0; pattern && !found && i < pattern.parts.length; i++) {
      found = new RegExp(pattern.parts[i], "iu").exec(text);
    }
    var start = found ? Math.max(0, found.index - Math.floor(length / 3)) : 0;
    var piece = text.slice(start, start + length);
    return (start > 0 ? "\u2026" : "") + highlight(piece, query, locale) +
      (start + length < text.length ? "\u2026" : "");
  }

  window.helpgenSearch = {
    open: function (root, locale) { return new Engine(root, locale); },
    escapeHtml: escapeHtml, highlight: highlight, snippet: snippet
  };
})();
