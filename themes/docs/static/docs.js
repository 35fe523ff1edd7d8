/* docs theme: the sidebar opens and closes on small screens and shows the current page. */
(function () {
  "use strict";
  var toggle = document.querySelector(".sidebar-toggle");
  if (!toggle) return;
  toggle.addEventListener("click", function () {
    toggle.setAttribute("aria-expanded", String(toggle.getAttribute("aria-expanded") !== "true"));
  });
  var sidebar = toggle.parentNode;
  var current = sidebar.querySelector("[aria-current=page]");
  if (current && sidebar.scrollHeight > sidebar.clientHeight) {
    sidebar.scrollTop = current.offsetTop - sidebar.clientHeight / 3;
  }
})();
