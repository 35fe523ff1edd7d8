/* helpgen serve: live reload and the build error overlay. Added to pages by `helpgen serve`
   when it sends them; never part of a built site. */
(function () {
  "use strict";
  var script = document.currentScript;
  var generation = script ? script.getAttribute("data-generation") : null;
  var OVERLAY_ID = "helpgen-error-overlay";
  var reloading = false;

  function reload() {
    if (!reloading) {
      reloading = true;
      window.location.reload();
    }
  }

  function element(tag, style, text) {
    var node = document.createElement(tag);
    if (style) node.style.cssText = style;   // not an attribute: the page's CSP allows this
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function hideProblems() {
    var old = document.getElementById(OVERLAY_ID);
    if (old) old.parentNode.removeChild(old);
  }

  function showProblems(data) {
    hideProblems();
    var problems = (data && data.problems) || [];
    var errors = problems.filter(function (p) { return p.severity === "error"; }).length;
    var overlay = element("div",
      "position:fixed;inset:0;z-index:2147483647;display:flex;align-items:flex-start;" +
      "justify-content:center;overflow:auto;padding:5vh 16px;box-sizing:border-box;" +
      "background:rgba(15,23,42,.72);font:16px/1.5 system-ui,-apple-system,'Segoe UI'," +
      "'PingFang SC','Microsoft YaHei',sans-serif;color:#0f172a;text-align:left;");
    overlay.id = OVERLAY_ID;
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-labelledby", OVERLAY_ID + "-title");
    overlay.setAttribute("aria-describedby", OVERLAY_ID + "-summary");
    var panel = element("div",
      "background:#fff;color:#0f172a;max-width:900px;width:100%;border-radius:10px;" +
      "border-top:6px solid #b91c1c;box-shadow:0 20px 50px rgba(0,0,0,.4);padding:20px 24px;" +
      "box-sizing:border-box;");
    var title = element("h2", "margin:0 0 4px;font-size:20px;line-height:1.3;color:#b91c1c;",
      "Build failed" + (errors ? ": " + errors + " error" + (errors === 1 ? "" : "s") : ""));
    title.id = OVERLAY_ID + "-title";
    var summary = element("p", "margin:0 0 12px;color:#334155;font-size:15px;",
      data && data.has_site
        ? "You are looking at the last version that built. Fix the problem and save: " +
          "this page reloads by itself."
        : "Nothing could be built yet. Fix the problem and save: this page reloads by itself.");
    summary.id = OVERLAY_ID + "-summary";
    var list = element("ul", "list-style:none;margin:0;padding:0;");
    problems.forEach(function (problem) {
      var item = element("li",
        "margin:0 0 10px;padding:10px 12px;background:#f8fafc;border:1px solid #e2e8f0;" +
        "border-radius:6px;");
      var where = problem.path ? problem.path + (problem.line ? ":" + problem.line : "") : "";
      var head = element("div",
        "font:600 14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;" +
        "word-break:break-all;color:" +
        (problem.severity === "error" ? "#b91c1c" : "#92400e") + ";");
      head.className = "helpgen-problem-location";
      head.textContent = (where ? where + ": " : "") + problem.severity;
      item.appendChild(head);
      item.appendChild(element("div", "white-space:pre-wrap;word-break:break-word;",
        problem.message));
      if (problem.hint) {
        item.appendChild(element("div", "white-space:pre-wrap;color:#475569;font-size:14px;",
          "hint: " + problem.hint));
      }
      list.appendChild(item);
    });
    var close = element("button",
      "margin-top:4px;font:inherit;padding:6px 14px;border:1px solid #94a3b8;border-radius:6px;" +
      "background:#fff;color:#0f172a;cursor:pointer;", "Close");
    close.type = "button";
    close.addEventListener("click", hideProblems);
    overlay.addEventListener("keydown", function (event) {
      if (event.key === "Escape") hideProblems();
    });
    panel.appendChild(title);
    panel.appendChild(summary);
    panel.appendChild(list);
    panel.appendChild(close);
    overlay.appendChild(panel);
    (document.body || document.documentElement).appendChild(overlay);
    close.focus();
  }

  function parse(event) {
    try { return JSON.parse(event.data); } catch (e) { return null; }
  }

  if (!window.EventSource) return;
  var source = null;

  function connect() {
    source = new EventSource("/__helpgen/events");
    source.addEventListener("hello", function (event) {
      var data = parse(event);
      if (data && data.generation !== generation) reload();
    });
    source.addEventListener("reload", function (event) {
      var data = parse(event);
      if (!data || data.generation !== generation) reload();
    });
    // A build error arrives as a message named "error"; EventSource also fires a plain "error"
    // event (without data) when the connection drops, and then reconnects by itself.
    source.addEventListener("error", function (event) {
      if (typeof event.data !== "string") return;
      var data = parse(event);
      if (data) showProblems(data);
    });
  }

  // Browsers allow a few connections per server: tabs in the background let theirs go, and
  // catch up ("hello" says whether the site changed meanwhile) when they are shown again.
  document.addEventListener("visibilitychange", function () {
    if (document.hidden && source) {
      source.close();
      source = null;
    } else if (!document.hidden && !source) {
      connect();
    }
  });
  if (!document.hidden) connect();
})();
