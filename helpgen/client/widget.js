/* helpgen help widget: a Help button for any product page. Built into widget.js with SETTINGS
 * and HelpgenContact before it. Usage:
 *   <script src="https://help.example.com/widget.js" data-locale="zh-CN" async></script>
 * Everything lives in a shadow root, so the host page's styles and ours never meet. The search
 * runtime and index load from the help center on first open. When the locale has a context map,
 * it loads at once: the panel then opens with the articles suggested for the page (its address,
 * and the labels of the line's data-context), and the button shows how many. */
var script = document.currentScript;
var base = script.src.replace(/[^/]*$/, "");
var requested = script.getAttribute("data-locale") || document.documentElement.lang || "";
var localeCode = SETTINGS.locales[requested] ? requested :
  Object.keys(SETTINGS.locales).filter(function (code) {
    return code.split("-")[0] === requested.split("-")[0];
  })[0] || SETTINGS.defaultLocale;
var locale = SETTINGS.locales[localeCode];
var s = locale.strings;

var STYLE = [
  ":host { all: initial; }",
  "* { box-sizing: border-box; font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif; }",
  ".launcher { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; display: flex; align-items: center; gap: 8px;",
  "  border: 0; border-radius: 999px; padding: 12px 18px; background: #1b2430; color: #fff; font-size: 15px; font-weight: 600; cursor: pointer; box-shadow: 0 6px 20px rgba(0,0,0,.25); }",
  ".launcher:focus-visible, button:focus-visible, a:focus-visible, input:focus-visible, textarea:focus-visible, select:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }",
  ".panel { position: fixed; right: 20px; bottom: 80px; z-index: 2147483000; width: min(380px, calc(100vw - 24px)); max-height: min(600px, calc(100vh - 110px));",
  "  display: flex; flex-direction: column; background: #fff; color: #1b2430; border-radius: 14px; box-shadow: 0 12px 40px rgba(0,0,0,.28); overflow: hidden; font-size: 15px; line-height: 1.5; }",
  ".panel[hidden] { display: none; }",
  "header { display: flex; align-items: center; justify-content: space-between; padding: 14px 16px; background: #1b2430; color: #fff; }",
  "h2 { margin: 0; font-size: 16px; }",
  ".close { background: transparent; border: 0; color: #fff; font-size: 22px; line-height: 1; cursor: pointer; padding: 2px 8px; border-radius: 6px; }",
  ".body { padding: 14px 16px; overflow-y: auto; }",
  "label { display: block; font-weight: 600; font-size: 14px; margin: 10px 0 4px; }",
  "input, textarea, select { width: 100%; font: inherit; padding: 9px 11px; border: 1px solid #9aa5b1; border-radius: 8px; background: #fff; color: #1b2430; }",
  "ul { list-style: none; margin: 8px 0; padding: 0; }",
  "li a { display: block; padding: 8px 6px; border-radius: 8px; color: #0b57d0; text-decoration: none; font-weight: 600; }",
  "li a:hover { background: #eef1f5; }",
  "li span { display: block; color: #4f5b6a; font-size: 13px; font-weight: 400; }",
  "mark { background: #ffe082; color: inherit; }",
  ".status { color: #4f5b6a; font-size: 14px; margin: 6px 0; }",
  ".error { color: #b3261e; font-size: 13px; margin: 2px 0 0; min-height: 0; }",
  ".actions { display: flex; gap: 8px; flex-wrap: wrap; margin-top: 12px; }",
  ".primary, .secondary { font: inherit; font-weight: 600; border-radius: 999px; padding: 9px 16px; cursor: pointer; }",
  ".primary { background: #1b2430; color: #fff; border: 0; }",
  ".secondary { background: #fff; color: #1b2430; border: 1px solid #9aa5b1; }",
  ".center { display: inline-block; margin-top: 6px; font-size: 14px; color: #0b57d0; }",
  ".trap { position: absolute; left: -9999px; }",
  ".badge { display: inline-flex; align-items: center; justify-content: center; min-width: 22px; height: 22px; padding: 0 6px;",
  "  border-radius: 999px; background: #fff; color: #1b2430; font-size: 13px; font-weight: 700; }",
  ".badge[hidden], .suggested[hidden] { display: none; }",
  "h3 { margin: 14px 0 0; font-size: 13px; font-weight: 600; color: #4f5b6a; }"
].join("\n");

function el(tag, attrs, children) {
  var node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (key) {
    if (key === "text") node.textContent = attrs[key];
    else node.setAttribute(key, attrs[key]);
  });
  (children || []).forEach(function (child) { node.appendChild(child); });
  return node;
}

function pageUrl(url) { return base + url; }

var host = el("div", { "data-helpgen-widget": "" });
var root = host.attachShadow({ mode: "open" });
/* A constructed style sheet is not an inline style, so a page whose Content-Security-Policy
 * forbids inline styles still shows the widget; older browsers get a <style> element. */
if (root.adoptedStyleSheets && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
  var sheet = new CSSStyleSheet();
  sheet.replaceSync(STYLE);
  root.adoptedStyleSheets = [sheet];
} else {
  root.appendChild(el("style", { text: STYLE }));
}
var badge = el("span", { "class": "badge", "aria-hidden": "true", hidden: "" });
var launcher = el("button", { type: "button", "class": "launcher", "aria-expanded": "false",
  "aria-controls": "helpgen-panel" }, [document.createTextNode(s.launcher), badge]);
var title = el("h2", { id: "helpgen-title", text: s.title });
var close = el("button", { type: "button", "class": "close", "aria-label": s.close, text: "\u00d7" });
var content = el("div", { "class": "body" });
var panel = el("div", { id: "helpgen-panel", "class": "panel", role: "dialog",
  "aria-labelledby": "helpgen-title", hidden: "" }, [el("header", {}, [title, close]), content]);
root.appendChild(launcher);
root.appendChild(panel);

var searchLoaded = null;
function searchEngine() {
  if (!searchLoaded) {
    var present = [window.lunr, window.helpgenTokenize, window.helpgenSearch];
    searchLoaded = SETTINGS.scripts.reduce(function (previous, path, index) {
      return previous.then(function () {
        if (present[index]) return null;
        return new Promise(function (resolve, reject) {
          var tag = document.createElement("script");
          tag.src = base + path;
          tag.charset = "utf-8";
          tag.onload = resolve;
          tag.onerror = reject;
          document.head.appendChild(tag);
        });
      });
    }, Promise.resolve()).then(function () {
      return window.helpgenSearch.open(base + "_helpgen/", localeCode);
    });
    searchLoaded.catch(function () { searchLoaded = null; });
  }
  return searchLoaded;
}

/* Contextual help. The map: the locale's articles that name pages ([url, title]) and its rules
 * ([pattern, rank, article numbers], by rank), made by helpgen/output/widget.py; the patterns
 * are defined in helpgen/content/contexts.py. */
var MAX_SUGGESTED = 5;
var contextMap = null, suggested = [], suggestedBox = null, searchInput = null;

function globMatches(pattern, text) {
  return new RegExp("^" + pattern.split("*").map(function (part) {
    return part.replace(/[\\^$.|?+()[\]{}]/g, "\\$&");
  }).join("[^]*") + "$").test(text);
}

function matches(pattern, labels) {
  if (pattern.indexOf("label:") === 0) return labels.indexOf(pattern.slice(6)) >= 0;
  var hash = pattern.indexOf("#"), beforeHash = hash < 0 ? pattern : pattern.slice(0, hash);
  return globMatches(pattern, (pattern.charAt(0) === "/" ? "" : location.origin) +
    location.pathname + (beforeHash.indexOf("?") < 0 ? "" : location.search) +
    (hash < 0 ? "" : location.hash));
}

/* The articles suggested for the page as it is now: those of every rule it matches, by the
 * rank of the best one, then in the map's order (promoted first, then the site's). */
function pageSuggestions() {
  if (!contextMap) return [];
  var labels = (script.getAttribute("data-context") || "").toLowerCase().split(/[\s,]+/);
  var best = {};
  contextMap.rules.forEach(function (rule) {
    if (!matches(rule[0], labels)) return;
    rule[2].forEach(function (number) { if (!(number in best)) best[number] = rule[1]; });
  });
  return Object.keys(best).map(Number).sort(function (a, b) {
    return best[a] - best[b] || a - b;
  }).slice(0, MAX_SUGGESTED).map(function (number) { return contextMap.articles[number]; });
}

function refreshSuggestions() {
  var found = pageSuggestions();
  if (JSON.stringify(found) === JSON.stringify(suggested)) return;
  suggested = found;
  badge.textContent = String(found.length);
  badge.hidden = !found.length;
  if (found.length) launcher.setAttribute("aria-label", HelpgenContact.format(
    found.length === 1 && s.launcher_suggested_one ? s.launcher_suggested_one : s.launcher_suggested_other,
    { count: found.length }));
  else launcher.removeAttribute("aria-label");
  drawSuggested();
}

/* "Suggested for this page" in the search view, shown while nothing is typed. */
function drawSuggested() {
  if (!suggestedBox) return;
  suggestedBox.innerHTML = "";
  if (suggested.length) {
    suggestedBox.appendChild(el("h3", { id: "helpgen-suggested", text: s.suggested }));
    suggestedBox.appendChild(el("ul", {}, suggested.map(function (article) {
      return el("li", {}, [el("a", { href: pageUrl(article[0]), target: "_blank",
        rel: "noopener", text: article[1] })]);
    })));
  }
  toggleSuggested();
}

function toggleSuggested() {
  if (suggestedBox) suggestedBox.hidden = !suggested.length || !!searchInput.value.trim();
}

/* Single-page apps change the address without loading a page: follow them. */
function followNavigation() {
  ["pushState", "replaceState"].forEach(function (name) {
    var original = history[name];
    history[name] = function () {
      var result = original.apply(this, arguments);
      refreshSuggestions();
      return result;
    };
  });
  window.addEventListener("popstate", refreshSuggestions);
  window.addEventListener("hashchange", refreshSuggestions);
  if (window.MutationObserver) new MutationObserver(refreshSuggestions).observe(script,
    { attributes: true, attributeFilter: ["data-context"] });
}

if (locale.contexts) {
  var mapScript = el("script", { src: base + locale.contexts, charset: "utf-8" });
  mapScript.onload = function () {
    contextMap = mapScript.helpgenContexts || null;
    refreshSuggestions();
  };
  document.head.appendChild(mapScript);
  followNavigation();
}

function showSearch() {
  content.innerHTML = "";
  var input = searchInput = el("input", { id: "helpgen-q", type: "search", autocomplete: "off" });
  var results = el("div", { "aria-live": "polite" });
  suggestedBox = el("section", { "class": "suggested", "aria-labelledby": "helpgen-suggested" });
  content.appendChild(el("label", { "for": "helpgen-q", text: s.search_label }));
  content.appendChild(input);
  content.appendChild(suggestedBox);
  content.appendChild(results);
  drawSuggested();
  var actions = el("div", { "class": "actions" });
  if (locale.contact || locale.contactPage) {
    var contact = el("button", { type: "button", "class": "secondary", text: s.contact });
    contact.addEventListener("click", function () {
      if (locale.contact) showContact(input.value.trim());
      else window.open(pageUrl(locale.contactPage), "_blank", "noopener");
    });
    actions.appendChild(contact);
  }
  content.appendChild(actions);
  content.appendChild(el("a", { "class": "center", href: pageUrl(locale.home), target: "_blank",
    rel: "noopener", text: s.open_center }));
  var timer = null, generation = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    toggleSuggested();
    timer = setTimeout(function () {
      var query = input.value.trim(), current = ++generation;
      if (!query) { results.innerHTML = ""; return; }
      searchEngine().then(function (search) {
        return search.match(query, true).then(function (matches) {
          return search.describe(matches.slice(0, 6)).then(function (found) {
            if (current !== generation) return;
            HelpgenContact.recordSearch(query);
            results.innerHTML = "";
            results.appendChild(el("p", { "class": "status", text: found.length ?
              HelpgenContact.format(matches.length === 1 && s.search.results_one ? s.search.results_one : s.search.results_other, { count: matches.length, query: query }) :
              HelpgenContact.format(s.search.no_results, { query: query }) }));
            var list = el("ul");
            found.forEach(function (result) {
              var link = el("a", { href: pageUrl(result.url), target: "_blank", rel: "noopener" });
              link.innerHTML = helpgenSearch.highlight(result.title, query, localeCode);
              link.appendChild(el("span", { text: result.category }));
              list.appendChild(el("li", {}, [link]));
            });
            results.appendChild(list);
          });
        });
      }).catch(function () {
        results.textContent = s.search.error;
      });
    }, 150);
  });
  input.focus();
}

function showContact(subject) {
  var settings = locale.contact;
  suggestedBox = null;
  content.innerHTML = "";
  var form = el("form", { novalidate: "" });
  var status = el("p", { "class": "status", role: "status", tabindex: "-1" });
  form.appendChild(status);
  settings.fields.forEach(function (field) {
    var id = "helpgen-field-" + field.name;
    var control;
    if (field.type === "textarea") control = el("textarea", { id: id, name: field.name, rows: "5" });
    else if (field.type === "select") {
      control = el("select", { id: id, name: field.name }, [el("option", { value: "", text: s.form.choose })]);
      field.options.forEach(function (option) {
        control.appendChild(el("option", { value: option[0], text: option[1] }));
      });
    } else control = el("input", { id: id, name: field.name, type: field.type === "checkbox" ? "checkbox" : field.type });
    if (field.required) control.setAttribute("required", "");
    control.setAttribute("aria-describedby", "error-" + field.name);
    var label = el("label", { "for": id, text: field.label + (field.required ? "" : " " + s.form.optional) });
    form.appendChild(label);
    form.appendChild(control);
    form.appendChild(el("p", { "class": "error field-error", id: "error-" + field.name, "data-label": field.label }));
  });
  form.appendChild(el("input", { "class": "trap", name: "company_website", tabindex: "-1",
    autocomplete: "off", "aria-hidden": "true" }));
  var send = el("button", { type: "submit", "class": "primary", text: s.form.send });
  var back = el("button", { type: "button", "class": "secondary", text: s.back });
  back.addEventListener("click", showSearch);
  form.appendChild(el("div", { "class": "actions" }, [send, back]));
  content.appendChild(form);

  var draft = new HelpgenContact.Draft("widget:" + localeCode);
  HelpgenContact.restore(form, draft.load());
  if (subject && form.elements.subject && !form.elements.subject.value) form.elements.subject.value = subject;
  var strings = { required: s.errors.required, email: s.errors.email };
  HelpgenContact.watch(form, draft, strings);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (HelpgenContact.isSpam(form)) { status.textContent = settings.success; return; }
    var invalid = HelpgenContact.validate(form, strings);
    if (invalid) { invalid.focus(); return; }
    send.disabled = true;
    status.textContent = s.form.sending;
    HelpgenContact.submit(settings, HelpgenContact.values(form), HelpgenContact.context(localeCode)).then(function () {
      draft.clear();
      form.reset();
      status.textContent = settings.success;
    }, function () {
      status.textContent = settings.error;
    }).then(function () { send.disabled = false; status.focus(); });
  });
  (form.elements.name || form.elements[0]).focus();
}

function open() {
  panel.hidden = false;
  launcher.setAttribute("aria-expanded", "true");
  showSearch();
}

function shut() {
  panel.hidden = true;
  launcher.setAttribute("aria-expanded", "false");
  launcher.focus();
}

launcher.addEventListener("click", function () { if (panel.hidden) open(); else shut(); });
close.addEventListener("click", shut);
panel.addEventListener("keydown", function (event) { if (event.key === "Escape") shut(); });

function attach() { document.body.appendChild(host); }
if (document.body) attach(); else document.addEventListener("DOMContentLoaded", attach);
