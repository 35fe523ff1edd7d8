/* helpgen default theme: search as you type in every search box, and the search results page.
 * The search runtime (lunr.js, tokenizer.js, engine.js) and the index load on first use only.
 * Everything inserted into the page is escaped (helpgenSearch.escapeHtml / highlight). */
(function () {
  "use strict";

  var body = document.body;
  var config = {
    root: body.getAttribute("data-search-root"),
    scripts: (body.getAttribute("data-search-scripts") || "").split(" "),
    siteRoot: body.getAttribute("data-site-root"),
    locale: body.getAttribute("data-locale"),
    searchPage: body.getAttribute("data-search-page"),
    contactPage: body.getAttribute("data-contact-page"),
    analytics: body.getAttribute("data-analytics-endpoint")
  };
  var stringsElement = document.getElementById("helpgen-search-strings");
  var t = stringsElement ? JSON.parse(stringsElement.textContent) : {};
  var SUGGESTIONS = 6, PAGE_SIZE = 20, DEBOUNCE = 120;
  var enginePromise = null;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(script);
    });
  }

  function engine() {
    if (!enginePromise) {
      enginePromise = config.scripts.reduce(function (previous, src) {
        return previous.then(function () { return loadScript(src); });
      }, Promise.resolve()).then(function () {
        return window.helpgenSearch.open(config.root, config.locale);
      });
      enginePromise.catch(function () { enginePromise = null; });
    }
    return enginePromise;
  }

  function format(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  function countText(count, query) {
    var key = count === 1 && t.results_one ? "results_one" : "results_other";
    return format(t[key], { count: count, query: query });
  }

  /* A link to a page, from this page; from file:// folders need their index.html. */
  function pageHref(url) {
    var href = config.siteRoot + url;
    if (location.protocol === "file:" && /\/$/.test(href)) href += "index.html";
    return href;
  }

  function searchPageHref(query) {
    var href = config.searchPage;
    if (location.protocol === "file:") href += "index.html";
    return href + "?q=" + encodeURIComponent(query);
  }

  function debounce(fn, wait) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, wait);
    };
  }

  /* Remember the search for the contact form; report searches that found nothing. A search
   * counts once the customer pauses typing, or leaves the page. */
  var pendingSearch = null, searchTimer = null;
  function flushSearch() {
    clearTimeout(searchTimer);
    var search = pendingSearch;
    pendingSearch = null;
    if (!search) return;
    try {
      var list = JSON.parse(sessionStorage.getItem("helpgen-searches") || "[]");
      if (list[list.length - 1] !== search.query) list.push(search.query);
      sessionStorage.setItem("helpgen-searches", JSON.stringify(list.slice(-20)));
    } catch (error) { /* storage unavailable */ }
    // A search that found something is a `search`, one that found nothing `zero_results`.
    if (config.analytics && navigator.sendBeacon) {
      navigator.sendBeacon(config.analytics, new Blob([JSON.stringify({
        event: search.total ? "search" : "zero_results",
        detail: { query: search.query, locale: config.locale, results: search.total },
        page_url: location.href })], { type: "text/plain" }));
    }
  }
  function noted(query, total) {
    pendingSearch = { query: query, total: total };
    clearTimeout(searchTimer);
    searchTimer = setTimeout(flushSearch, 1000);
  }
  window.addEventListener("pagehide", flushSearch);
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("a[href]")) flushSearch();
  }, true);

  function contactLink(query) {
    if (!config.contactPage) return "";
    var href = config.contactPage + (location.protocol === "file:" ? "index.html" : "");
    return '<p class="search-contact">' + helpgenSearch.escapeHtml(t.contact_prompt || "") + " " +
      '<a href="' + helpgenSearch.escapeHtml(href + "?q=" + encodeURIComponent(query)) + '">' +
      helpgenSearch.escapeHtml(t.contact_link || "") + "</a></p>";
  }

  function trail(result) {
    return helpgenSearch.escapeHtml(result.section ? result.category + " › " + result.section : result.category);
  }

  /* --- Suggestions under every search box (a combobox with a listbox of results). --- */

  function Suggestions(input, index) {
    this.input = input;
    this.form = input.form;
    this.active = -1;
    this.generation = 0;
    this.list = document.createElement("div");
    this.list.className = "search-suggestions";
    this.list.id = "search-suggestions-" + index;
    this.list.hidden = true;
    this.form.appendChild(this.list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.list.id);
    var self = this;
    var update = debounce(function () { self.update(); }, DEBOUNCE);
    input.addEventListener("focus", function () { engine(); }, { once: true });
    input.addEventListener("input", update);
    input.addEventListener("keydown", function (event) { self.key(event); });
    document.addEventListener("click", function (event) {
      if (!self.form.contains(event.target)) self.close();
    });
  }

  Suggestions.prototype.options = function () {
    return this.list.querySelectorAll("[role=option]");
  };

  Suggestions.prototype.update = function () {
    var self = this, query = this.input.value.trim(), generation = ++this.generation;
    if (!query) { this.close(); return; }
    engine().then(function (search) {
      return search.match(query, true).then(function (matches) {
        return search.describe(matches.slice(0, SUGGESTIONS)).then(function (results) {
          if (generation !== self.generation) return;
          noted(query, matches.length);
          self.render(query, results, matches.length, search);
        });
      });
    }).catch(function () {
      if (generation === self.generation) self.message(t.error);
    });
  };

  Suggestions.prototype.render = function (query, results, total, search) {
    var self = this;
    var html = '<p class="suggestions-status" role="status">' +
      helpgenSearch.escapeHtml(total ? countText(total, query) : format(t.no_results, { query: query })) + "</p>";
    if (results.length) {
      html += '<ul role="listbox" aria-label="' + helpgenSearch.escapeHtml(t.suggestions) + '">';
      results.forEach(function (result, i) {
        html += '<li role="option" id="' + self.list.id + "-" + i + '" aria-selected="false">' +
          '<a tabindex="-1" href="' + helpgenSearch.escapeHtml(pageHref(result.url)) + '">' +
          '<span class="suggestion-title">' + helpgenSearch.highlight(result.title, query, config.locale) + "</span>" +
          '<span class="suggestion-trail">' + trail(result) + "</span>" +
          '<span class="suggestion-snippet" data-doc="' + result.doc + '"></span></a></li>';
      });
      html += "</ul>";
    }
    html += total ? '<a class="suggestions-all" href="' + helpgenSearch.escapeHtml(searchPageHref(query)) + '">' +
      helpgenSearch.escapeHtml(t.see_all) + "</a>" : contactLink(query);
    this.list.innerHTML = html;
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.open();
    results.forEach(function (result) {
      search.text(result.doc).then(function (text) {
        var slot = self.list.querySelector('.suggestion-snippet[data-doc="' + result.doc + '"]');
        if (slot) slot.innerHTML = helpgenSearch.snippet(text, query, config.locale, 110);
      });
    });
  };

  Suggestions.prototype.message = function (text) {
    this.list.innerHTML = '<p class="suggestions-status" role="status">' + helpgenSearch.escapeHtml(text) + "</p>";
    this.open();
  };

  Suggestions.prototype.open = function () {
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  Suggestions.prototype.close = function () {
    this.list.hidden = true;
    this.active = -1;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  };

  Suggestions.prototype.select = function (index) {
    var options = this.options();
    if (!options.length) return;
    this.active = (index + options.length) % options.length;
    for (var i = 0; i < options.length; i++) options[i].setAttribute("aria-selected", String(i === this.active));
    this.input.setAttribute("aria-activedescendant", options[this.active].id);
    options[this.active].scrollIntoView({ block: "nearest" });
  };

  Suggestions.prototype.key = function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (this.list.hidden) { if (this.input.value.trim()) this.update(); return; }
      event.preventDefault();
      this.select(this.active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter" && !this.list.hidden && this.active >= 0) {
      event.preventDefault();
      location.href = this.options()[this.active].querySelector("a").getAttribute("href");
    } else if (event.key === "Escape") {
      if (!this.list.hidden) { event.preventDefault(); this.close(); }
      else if (this.input.value) { event.preventDefault(); this.input.value = ""; }
    }
  };

  /* --- The search results page. --- */

  function ResultsPage(container, input) {
    this.container = container;
    this.input = input;
    this.category = null;
    this.generation = 0;
    var self = this;
    var query = new URLSearchParams(location.search).get("q") || "";
    input.value = query;
    input.addEventListener("input", debounce(function () {
      var value = input.value.trim();
      history.replaceState(null, "", value ? "?q=" + encodeURIComponent(value) : location.pathname);
      self.category = null;
      self.run(value);
    }, DEBOUNCE));
    container.addEventListener("click", function (event) {
      var filter = event.target.closest("[data-category]");
      if (filter) {
        var value = filter.getAttribute("data-category");
        self.category = value === "" ? null : Number(value);
        self.show();
      }
      var more = event.target.closest(".search-more");
      if (more) { self.shown += PAGE_SIZE; self.show(); }
    });
    if (query.trim()) this.run(query.trim());
  }

  ResultsPage.prototype.run = function (query) {
    var self = this, generation = ++this.generation;
    this.query = query;
    if (!query) { this.container.innerHTML = ""; return; }
    this.container.setAttribute("aria-busy", "true");
    /* The first page of results first; the titles of the rest (for the category filters) after,
     * so the first results need only a few small downloads. */
    engine().then(function (search) {
      self.search = search;
      return search.match(query, true).then(function (matches) {
        return search.describe(matches.slice(0, PAGE_SIZE)).then(function (results) {
          if (generation !== self.generation) return;
          noted(query, matches.length);
          self.total = matches.length;
          self.results = results;
          self.shown = PAGE_SIZE;
          self.show();
          if (matches.length > results.length) {
            return search.describe(matches).then(function (all) {
              if (generation !== self.generation) return;
              self.results = all;
              self.show();
            });
          }
        });
      });
    }).catch(function () {
      if (generation === self.generation) {
        self.container.innerHTML = '<p class="search-error">' + helpgenSearch.escapeHtml(t.error) + "</p>";
      }
    }).then(function () { self.container.removeAttribute("aria-busy"); });
  };

  ResultsPage.prototype.show = function () {
    var self = this, query = this.query, escape = helpgenSearch.escapeHtml;
    var results = this.results.filter(function (r) {
      return self.category === null || r.categoryIndex === self.category;
    });
    var html = '<p class="search-count" role="status">' + escape(
      this.total ? countText(this.total, query) : format(t.no_results, { query: query })) + "</p>";
    if (!this.total) {
      html += '<p class="search-tips">' + escape(t.tips) + "</p>" + contactLink(query);
      this.container.innerHTML = html;
      return;
    }
    var counts = Object.create(null), order = [];
    this.results.forEach(function (r) {
      if (!(r.categoryIndex in counts)) { counts[r.categoryIndex] = 0; order.push(r); }
      counts[r.categoryIndex]++;
    });
    if (order.length > 1 && this.results.length === this.total) {
      html += '<div class="search-filters" role="group" aria-label="' + escape(t.filter) + '">' +
        '<button type="button" data-category="" aria-pressed="' + (self.category === null) + '">' +
        escape(t.all_categories) + " (" + this.results.length + ")</button>";
      order.forEach(function (r) {
        html += '<button type="button" data-category="' + r.categoryIndex + '" aria-pressed="' +
          (self.category === r.categoryIndex) + '">' + escape(r.category) + " (" + counts[r.categoryIndex] + ")</button>";
      });
      html += "</div>";
    }
    html += '<ol class="search-results-list">';
    results.slice(0, this.shown).forEach(function (r) {
      html += '<li><a class="result-title" href="' + escape(pageHref(r.url)) + '">' +
        helpgenSearch.highlight(r.title, query, config.locale) + "</a>" +
        '<p class="result-trail">' + trail(r) + "</p>" +
        '<p class="result-snippet" data-doc="' + r.doc + '"></p></li>';
    });
    html += "</ol>";
    if (results.length > this.shown) {
      html += '<button type="button" class="search-more">' + escape(t.more) + "</button>";
    }
    this.container.innerHTML = html;
    results.slice(0, this.shown).forEach(function (r) {
      self.search.text(r.doc).then(function (text) {
        var slot = self.container.querySelector('.result-snippet[data-doc="' + r.doc + '"]');
        if (slot) slot.innerHTML = helpgenSearch.snippet(text, query, config.locale);
      });
    });
  };

  window.helpgenSearchUI = { engine: engine };

  var resultsContainer = document.getElementById("search-results");
  var pageInput = document.getElementById("search-page-input");
  if (resultsContainer && pageInput) {
    new ResultsPage(resultsContainer, pageInput);
  }
  var inputs = document.querySelectorAll(".search-input");
  for (var i = 0; i < inputs.length; i++) {
    if (inputs[i] !== pageInput) new Suggestions(inputs[i], i);
  }
})();
