/* helpgen search engine: loads the sharded, prebuilt lunr index of one locale and queries it.
 *
 * Data files are scripts calling helpgenSearchData(kind, key, data), so they load from file://
 * too. Only the shards holding the query's terms are fetched, then the titles of the results
 * shown. Requires lunr.js and tokenizer.js (window.helpgenTokenize) loaded before this file.
 * See helpgen/index.py for the file formats.
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

  var CJK = /[\u1100-\u11ff\u3040-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]|[\ud840-\ud87e][\udc00-\udfff]/;
  var TRAILING_RUN = /[\p{L}\p{N}]+$/u;

  function isCjk(text) { return CJK.test(text); }

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

  function buildShard(data, fields) {
    var inverted = Object.create(null);
    var vectors = Object.create(null);
    var terms = [];
    data.forEach(function (entry) {
      var term = entry[0], termIndex = entry[1], postings = entry[2];
      var posting = { _index: termIndex };
      fields.forEach(function (field) { posting[field] = Object.create(null); });
      postings.forEach(function (fieldPostings) {
        var field = fields[fieldPostings[0]], flat = fieldPostings[1];
        for (var i = 0; i < flat.length; i += 2) {
          var ref = String(flat[i]);
          posting[field][ref] = {};
          var vectorKey = field + "/" + ref;
          (vectors[vectorKey] || (vectors[vectorKey] = [])).push(termIndex, flat[i + 1]);
        }
      });
      inverted[term] = posting;
      terms.push(term);
    });
    var fieldVectors = Object.create(null);
    Object.keys(vectors).forEach(function (key) { fieldVectors[key] = new lunr.Vector(vectors[key]); });
    terms.sort();   // lunr's TokenSet wants JavaScript's string order
    return new lunr.Index({
      invertedIndex: inverted, fieldVectors: fieldVectors, fields: fields,
      tokenSet: lunr.TokenSet.fromArray(terms), pipeline: new lunr.Pipeline()
    });
  }

  function Engine(root, locale) {
    this.root = root;            // URL of the _helpgen/ folder, relative to the page
    this.locale = locale;
    this.folder = root + "search/" + locale + "/";
    this.shards = Object.create(null);
    this.manifest = loadScript(this.folder + "manifest.js", "manifest", locale);
  }

  Engine.prototype.shard = function (number) {
    var self = this;
    if (!this.shards[number]) {
      this.shards[number] = Promise.all([
        this.manifest, loadScript(this.folder + "s" + number + ".js", "shard", this.locale + "/" + number)
      ]).then(function (loaded) { return buildShard(loaded[1], loaded[0].fields); });
    }
    return this.shards[number];
  };

  /* All matching documents, best first: [{doc, score}]. Every clause must match: a clause's
   * score is summed over the shards it spans, and a document must score for every clause.
   * With `any` (for long texts such as a contact message) a document needs one clause, and
   * documents matching more clauses come first. */
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
      return Promise.all(work.map(function (item) { return self.shard(item.number); })).then(function (indexes) {
        var perClause = clauses.map(function () { return Object.create(null); });
        indexes.forEach(function (index, i) {
          var clause = clauses[work[i].clause], scores = perClause[work[i].clause];
          index.query(function (q) {
            q.term(clause.term, {
              usePipeline: false, presence: lunr.Query.presence.REQUIRED,
              wildcard: clause.wildcard ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE
            });
          }).forEach(function (result) {
            scores[result.ref] = (scores[result.ref] || 0) + result.score;
          });
        });
        var total = Object.create(null), hits = Object.create(null);
        perClause.forEach(function (scores) {
          Object.keys(scores).forEach(function (ref) {
            total[ref] = (total[ref] || 0) + scores[ref];
            hits[ref] = (hits[ref] || 0) + 1;
          });
        });
        return Object.keys(total).filter(function (ref) {
          return any || hits[ref] === clauses.length;
        }).map(function (ref) {
          return { doc: Number(ref), score: total[ref], hits: hits[ref] };
        }).sort(function (a, b) { return b.hits - a.hits || b.score - a.score || a.doc - b.doc; });
      });
    });
  };

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
