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

  // "/" focuses the search box, as on most help centers.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.isContentEditable || /^(input|textarea|select)$/i.test(target.tagName)) return;
    var input = document.querySelector(".search-input");
    if (input) { event.preventDefault(); input.focus(); }
  });
})();
