/* helpgen contact core: drafts, context, validation and submission of the contact form.
 * Shared by the contact page (loaded as _helpgen/contact.js) and widget.js (bundled in it).
 * Providers: generic (JSON or form-encoded, to any endpoint), netlify, zendesk (anonymous
 * Requests API) and mailto. No dependency on the page; exposes HelpgenContact. */
var HelpgenContact = (function () {
  "use strict";

  var SEARCHES_KEY = "helpgen-searches", ARTICLE_KEY = "helpgen-last-article";
  var HONEYPOT = "company_website";

  function storage(kind) {
    try { return window[kind]; } catch (error) { return null; }   // blocked in some iframes
  }

  /* A draft kept in localStorage: survives reloads, failed submissions and closed tabs. */
  function Draft(key) { this.key = "helpgen-draft:" + key; }
  Draft.prototype.load = function () {
    var store = storage("localStorage");
    try { return JSON.parse((store && store.getItem(this.key)) || "null"); } catch (e) { return null; }
  };
  Draft.prototype.save = function (values) {
    var store = storage("localStorage");
    if (store) store.setItem(this.key, JSON.stringify(values));
  };
  Draft.prototype.clear = function () {
    var store = storage("localStorage");
    if (store) store.removeItem(this.key);
  };

  function sessionList(key) {
    var store = storage("sessionStorage");
    try { return JSON.parse((store && store.getItem(key)) || "[]"); } catch (e) { return []; }
  }

  /* Remember what the customer tried in this visit, to send with the request. */
  function recordSearch(query) {
    var store = storage("sessionStorage"), list = sessionList(SEARCHES_KEY);
    query = String(query).trim();
    if (!store || !query || list[list.length - 1] === query) return;
    list.push(query);
    store.setItem(SEARCHES_KEY, JSON.stringify(list.slice(-20)));
  }

  function recordArticle(url, title) {
    var store = storage("sessionStorage");
    if (store) store.setItem(ARTICLE_KEY, JSON.stringify({ url: url, title: title }));
  }

  function context(locale) {
    var store = storage("sessionStorage"), article = null;
    try { article = JSON.parse((store && store.getItem(ARTICLE_KEY)) || "null"); } catch (e) {}
    return {
      page_url: location.href, locale: locale,
      article_url: article ? article.url : "", article_title: article ? article.title : "",
      searches: sessionList(SEARCHES_KEY)
    };
  }

  function values(form) {
    var result = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || element.name === HONEYPOT || element.type === "hidden") return;
      if (element.type === "checkbox") result[element.name] = element.checked ? "yes" : "";
      else if (element.tagName !== "BUTTON") result[element.name] = element.value;
    });
    return result;
  }

  function restore(form, saved) {
    if (!saved) return false;
    var restored = false;
    Object.keys(saved).forEach(function (name) {
      var element = form.elements[name];
      if (!element || !saved[name] || element.name === HONEYPOT) return;
      if (element.type === "checkbox") element.checked = saved[name] === "yes";
      else element.value = saved[name];
      restored = true;
    });
    return restored;
  }

  function format(template, vars) {
    return String(template || "").replace(/\{(\w+)\}/g, function (_, key) { return vars[key]; });
  }

  /* Check the form; mark each problem next to its field (aria-invalid + described-by text).
   * Returns the first invalid element, or null. */
  function validate(form, strings) {
    var first = null;
    Array.prototype.forEach.call(form.querySelectorAll("input, textarea, select"), function (el) {
      if (!el.name || el.name === HONEYPOT || el.type === "hidden") return;
      var message = "", error = form.querySelector("#error-" + el.name) ||
        el.parentNode.querySelector(".field-error");
      var label = error ? error.getAttribute("data-label") : el.name;
      var empty = el.type === "checkbox" ? !el.checked : !el.value.trim();
      if (el.required && empty) message = format(strings.required, { label: label });
      else if (el.type === "email" && el.value && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(el.value.trim())) {
        message = strings.email;
      }
      if (error) error.textContent = message;
      if (message) { el.setAttribute("aria-invalid", "true"); first = first || el; }
      else el.removeAttribute("aria-invalid");
    });
    return first;
  }

  /* As the reader types: keep the draft, and let a marked problem go as they fix it. Cleared on
   * blur instead, its message would move Send up between the press and the release of a click
   * on it, and that click would send nothing. */
  function watch(form, draft, strings) {
    form.addEventListener("input", function (event) {
      draft.save(values(form));
      if (event.target.getAttribute("aria-invalid")) validate(form, strings);
    });
  }

  function isSpam(form) {
    var trap = form.elements[HONEYPOT];
    return !!(trap && trap.value);
  }

  function captchaToken(form) {
    var field = form.querySelector("[name='cf-turnstile-response'], [name='h-captcha-response']");
    return field ? { name: field.name, value: field.value } : null;
  }

  function flatContext(ctx) {
    return {
      context_page_url: ctx.page_url, context_locale: ctx.locale,
      context_article_url: ctx.article_url, context_article_title: ctx.article_title,
      context_searches: ctx.searches.join(" | ")
    };
  }

  function summary(data, ctx) {
    var lines = [data.message || ""];
    Object.keys(data).forEach(function (name) {
      if (["name", "email", "subject", "message"].indexOf(name) < 0 && data[name]) {
        lines.push(name + ": " + data[name]);
      }
    });
    lines.push("", "\u2014", "Page: " + ctx.page_url, "Locale: " + ctx.locale);
    if (ctx.article_url) lines.push("Article: " + ctx.article_title + " " + ctx.article_url);
    if (ctx.searches.length) lines.push("Searches: " + ctx.searches.join(" | "));
    return lines.join("\n");
  }

  /* The request each provider expects. */
  function request(settings, data, ctx, captcha) {
    var extra = captcha ? [[captcha.name, captcha.value]] : [];
    if (settings.provider === "zendesk") {
      return {
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ request: {
          requester: { name: data.name || data.email, email: data.email },
          subject: data.subject || (data.message || "").slice(0, 60),
          comment: { body: summary(data, ctx) }
        } })
      };
    }
    if (settings.format === "form" || settings.provider === "netlify") {
      var params = new URLSearchParams();
      if (settings.provider === "netlify") params.append("form-name", "contact");
      var flat = flatContext(ctx);
      Object.keys(data).forEach(function (k) { params.append(k, data[k]); });
      Object.keys(flat).forEach(function (k) { params.append(k, flat[k]); });
      extra.forEach(function (pair) { params.append(pair[0], pair[1]); });
      return { headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: params.toString() };
    }
    var payload = {};
    Object.keys(data).forEach(function (k) { payload[k] = data[k]; });
    payload.context = ctx;
    extra.forEach(function (pair) { payload[pair[0]] = pair[1]; });
    return { headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload) };
  }

  /* Send the form. Resolves on a 2xx answer; rejects on a network error or another status. */
  function submit(settings, data, ctx, captcha) {
    if (settings.provider === "mailto") {
      var subject = encodeURIComponent(data.subject || "");
      var body = encodeURIComponent(summary(data, ctx));
      window.location.href = "mailto:" + settings.email + "?subject=" + subject + "&body=" + body;
      return Promise.resolve();
    }
    var req = request(settings, data, ctx, captcha);
    var endpoint = settings.provider === "netlify" ? (settings.endpoint || location.pathname) : settings.endpoint;
    return fetch(endpoint, {
      method: settings.method || "POST", mode: "cors", credentials: "omit",
      headers: req.headers, body: req.body
    }).then(function (response) {
      if (!response.ok) throw new Error("the server answered " + response.status);
      return response;
    });
  }

  /* An optional analytics event, only when the site configured an endpoint. */
  function track(endpoint, event, detail) {
    if (!endpoint) return;
    var body = JSON.stringify({ event: event, detail: detail, page_url: location.href });
    try {
      if (navigator.sendBeacon && navigator.sendBeacon(endpoint, new Blob([body], { type: "text/plain" }))) return;
    } catch (error) { /* fall through */ }
    fetch(endpoint, { method: "POST", mode: "no-cors", keepalive: true, body: body }).catch(function () {});
  }

  return {
    Draft: Draft, recordSearch: recordSearch, recordArticle: recordArticle, context: context,
    values: values, restore: restore, validate: validate, watch: watch, isSpam: isSpam,
    format: format,
    captchaToken: captchaToken, submit: submit, track: track
  };
})();
if (typeof window !== "undefined" && !window.HelpgenContact) window.HelpgenContact = HelpgenContact;
