/* helpgen default theme: small enhancements; every page reads fine without this file. */
(function () {
  "use strict";

  // From file:// a link to "folder/" opens a directory listing: point such links at index.html.
  if (location.protocol === "file:") {
    var fix = function (anchor) {
      var href = anchor.getAttribute("href");
      if (href && !/^[a-z][a-z0-9+.-]*:|^\/\/|^#/i.test(href)) {
        var parts = href.split("#");
        if (/\/$/.test(parts[0]) || parts[0] === "." || parts[0] === "..") {
          parts[0] = parts[0].replace(/\/?$/, "/") + "index.html";
          anchor.setAttribute("href", parts.join("#"));
        }
      }
    };
    document.querySelectorAll("a[href]").forEach(fix);
    document.querySelectorAll("form[action]").forEach(function (form) {
      var action = form.getAttribute("action");
      if (/\/$/.test(action)) form.setAttribute("action", action + "index.html");
    });
    document.addEventListener("click", function (event) {
      var anchor = event.target.closest && event.target.closest("a[href]");
      if (anchor) fix(anchor);
    }, true);
  }

  var root = document.documentElement;
  var remember = function (key, value) {
    try {
      if (value) localStorage.setItem(key, value); else localStorage.removeItem(key);
    } catch (error) { /* storage unavailable: the choice lasts for this page */ }
  };

  // Color scheme: automatic → light → dark. The script in <head> applies a remembered choice
  // before the page is drawn; CSS shows the icon of the scheme in use.
  var toggle = document.querySelector(".scheme-toggle");
  if (toggle) {
    var labels = JSON.parse(toggle.getAttribute("data-labels"));
    var choices = ["system", "light", "dark"];
    var show = function (choice) {
      var text = labels.label + ": " + labels[choice];
      toggle.querySelector(".scheme-label").textContent = text;
      toggle.title = text;
    };
    show(root.getAttribute("data-scheme") || "system");
    toggle.addEventListener("click", function () {
      var current = choices.indexOf(root.getAttribute("data-scheme") || "system");
      var next = choices[(current + 1) % choices.length];
      if (next === "system") root.removeAttribute("data-scheme");
      else root.setAttribute("data-scheme", next);
      remember("helpgen-scheme", next === "system" ? null : next);
      show(next);
    });
  }

  // The announcement banner stays closed once closed, until its text changes (a new id).
  var bannerClose = document.querySelector(".banner-close");
  if (bannerClose) {
    bannerClose.addEventListener("click", function () {
      remember("helpgen-banner-" + root.getAttribute("data-banner"), "dismissed");
      root.classList.add("banner-dismissed");
      document.querySelector(".brand").focus();
    });
  }

  // "/" focuses the search box, as on most help centers.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.isContentEditable || /^(input|textarea|select)$/i.test(target.tagName)) return;
    var input = document.querySelector(".search-input");
    if (input) { event.preventDefault(); input.focus(); }
  });

  // Remember the article being read: the contact form sends it along.
  var title = document.getElementById("article-title");
  if (title) {
    try {
      sessionStorage.setItem("helpgen-last-article",
        JSON.stringify({ url: location.href, title: title.textContent }));
    } catch (error) { /* storage unavailable */ }
  }

  // "Copy as Markdown": copies the article's Markdown copy, named by the page's
  // <link rel="alternate" type="text/markdown">. Where it cannot be read or copied (a page
  // opened from file://, a blocked request, no clipboard), the status says so and links the file.
  var copyButton = document.querySelector(".copy-markdown");
  var markdown = document.querySelector('link[rel~="alternate"][type="text/markdown"]');
  if (copyButton && markdown) {
    var copyStrings = JSON.parse(copyButton.getAttribute("data-strings"));
    var copyStatus = document.querySelector(".copy-markdown-status");
    var load = function () {
      return fetch(markdown.href).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      });
    };
    var copy = function () {
      if (!window.fetch || !navigator.clipboard) throw new Error("no fetch or clipboard");
      if (!window.ClipboardItem) {
        return load().then(function (text) { return navigator.clipboard.writeText(text); });
      }
      // Safari copies only during the click: the item is handed over now, its text once loaded.
      return navigator.clipboard.write([new ClipboardItem({ "text/plain": load().then(
        function (text) { return new Blob([text], { type: "text/plain" }); }) })]);
    };
    copyButton.addEventListener("click", function () {
      copyStatus.textContent = "";
      new Promise(function (resolve) { resolve(copy()); }).then(function () {
        copyStatus.textContent = copyStrings.copied;
      }, function () {
        var open = document.createElement("a");
        open.href = markdown.href;
        open.textContent = copyStrings.open;
        copyStatus.textContent = copyStrings.failed + " ";
        copyStatus.appendChild(open);
      });
    });
  }

  // "Was this article helpful?": shown only where feedback.endpoint is configured.
  var feedback = document.getElementById("feedback");
  if (feedback && window.fetch) {
    var analytics = document.body.getAttribute("data-analytics-endpoint");
    var status = feedback.querySelector(".feedback-status");
    var comment = feedback.querySelector(".feedback-comment");
    var vote = null, voteId = null;
    var send = function (extra) {
      // vote_id: the comment that follows a vote is stored with it, not counted again.
      var payload = {
        article: feedback.getAttribute("data-article"), url: location.href,
        locale: feedback.getAttribute("data-locale"), vote: vote, vote_id: voteId
      };
      for (var key in extra) payload[key] = extra[key];
      return fetch(feedback.getAttribute("data-endpoint"), {
        method: "POST", mode: "cors", credentials: "omit", keepalive: true,
        headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload)
      }).then(function (response) { if (!response.ok) throw new Error(response.status); });
    };
    var strings = JSON.parse(document.getElementById("helpgen-feedback-strings").textContent);
    feedback.hidden = false;
    feedback.querySelectorAll("[data-vote]").forEach(function (button) {
      button.addEventListener("click", function () {
        vote = button.getAttribute("data-vote");
        voteId = window.crypto && crypto.randomUUID ? crypto.randomUUID()
          : String(Date.now()) + Math.random().toString(16).slice(2);
        feedback.querySelectorAll("[data-vote]").forEach(function (other) {
          other.setAttribute("aria-pressed", String(other === button));
          other.disabled = true;
        });
        send({}).then(function () { status.textContent = strings.thanks; },
                      function () { status.textContent = strings.error; });
        if (analytics && navigator.sendBeacon) {
          navigator.sendBeacon(analytics, new Blob([JSON.stringify({
            event: "feedback", detail: { article: feedback.getAttribute("data-article"), vote: vote },
            page_url: location.href })], { type: "text/plain" }));
        }
        comment.hidden = false;
        var contact = feedback.querySelector(".feedback-contact");
        if (contact && vote === "no") contact.hidden = false;
      });
    });
    comment.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = comment.elements.comment.value.trim();
      if (!text) return;
      send({ comment: text }).then(function () {
        comment.hidden = true;
        status.textContent = strings.thanks;
      }, function () { status.textContent = strings.error; });
    });
  }
})();
