/* helpgen default theme: the contact page. Keeps the draft, validates, sends through
 * HelpgenContact (_helpgen/contact.js), and suggests articles while the customer types. */
(function () {
  "use strict";

  var form = document.getElementById("contact-form");
  if (!form || !window.HelpgenContact) return;
  var C = window.HelpgenContact;
  var body = document.body;
  var locale = body.getAttribute("data-locale");
  var analytics = body.getAttribute("data-analytics-endpoint");
  var strings = JSON.parse(document.getElementById("helpgen-contact-strings").textContent);
  var status = document.getElementById("contact-status");
  var button = form.querySelector("button[type=submit]");
  var settings = {
    provider: form.getAttribute("data-provider"), endpoint: form.getAttribute("data-endpoint"),
    method: form.getAttribute("data-method"), format: form.getAttribute("data-format"),
    email: form.getAttribute("data-email")
  };
  var draft = new C.Draft("contact:" + locale);
  C.track(analytics, "contact_view", { locale: locale });

  function say(text, kind, action) {
    status.className = "form-status" + (kind ? " form-status-" + kind : "");
    status.textContent = text;
    if (action) {
      var retry = document.createElement("button");
      retry.type = "button";
      retry.className = "button-secondary";
      retry.textContent = strings.retry;
      retry.addEventListener("click", action);
      status.appendChild(document.createTextNode(" "));
      status.appendChild(retry);
    }
  }

  if (C.restore(form, draft.load())) say(strings.restored, "info");
  var query = new URLSearchParams(location.search).get("q");
  if (query && form.elements.subject && !form.elements.subject.value) form.elements.subject.value = query;

  C.watch(form, draft, strings);

  function send() {
    var data = C.values(form);
    draft.save(data);
    button.disabled = true;
    button.textContent = strings.sending;
    say(strings.sending, "info");
    C.submit(settings, data, C.context(locale), C.captchaToken(form)).then(function () {
      draft.clear();
      form.reset();
      say(strings.success, "success");
      status.focus();
    }, function () {
      say(strings.error, "error", send);
      status.focus();
    }).then(function () {
      button.disabled = false;
      button.textContent = strings.send;
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (C.isSpam(form)) { say(strings.success, "success"); return; }
    var invalid = C.validate(form, strings);
    if (invalid) { invalid.focus(); return; }
    send();
  });

  /* Deflection: the articles that best match what the customer is writing. */
  var aside = document.getElementById("contact-suggestions");
  var list = aside.querySelector("ul");
  var siteRoot = body.getAttribute("data-site-root");
  var timer = null, generation = 0;

  function suggest() {
    var text = ["subject", "message"].map(function (name) {
      return form.elements[name] ? form.elements[name].value : "";
    }).join(" ").trim().slice(0, 300);
    var current = ++generation;
    if (text.length < 2 || !window.helpgenSearchUI) { aside.hidden = true; return; }
    window.helpgenSearchUI.engine().then(function (search) {
      return search.match(text, false, true).then(function (matches) {
        return search.describe(matches.slice(0, 5));
      });
    }).then(function (results) {
      if (current !== generation) return;
      list.innerHTML = "";
      results.forEach(function (result) {
        var item = document.createElement("li"), link = document.createElement("a");
        link.href = siteRoot + result.url + (location.protocol === "file:" ? "index.html" : "");
        link.textContent = result.title;
        link.addEventListener("click", function () {
          C.track(analytics, "deflection", { article: result.url, query: text, locale: locale });
        });
        var where = document.createElement("span");
        where.className = "suggestion-trail";
        where.textContent = result.category;
        item.appendChild(link);
        item.appendChild(where);
        list.appendChild(item);
      });
      aside.hidden = results.length === 0;
    }).catch(function () { aside.hidden = true; });
  }

  ["subject", "message"].forEach(function (name) {
    if (form.elements[name]) {
      form.elements[name].addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(suggest, 300);
      });
    }
  });
  if (form.elements.subject && form.elements.subject.value) suggest();
})();
