/* A table wider than the screen scrolls sideways inside its .table-wrap box. Keyboard users must
   be able to scroll it too (WCAG 2.1.1), so a box that overflows becomes a focusable region named
   after its table's caption; one that fits is left out of the tab order. */
(function () {
  "use strict";

  function mark(wrap) {
    var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    if (scrolls && !wrap.hasAttribute("tabindex")) {
      var caption = wrap.querySelector("caption");
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
      wrap.classList.add("scrolls");
    } else if (!scrolls && wrap.classList.contains("scrolls")) {
      ["tabindex", "role", "aria-label"].forEach(function (name) { wrap.removeAttribute(name); });
      wrap.classList.remove("scrolls");
    }
  }

  function markAll() {
    document.querySelectorAll(".table-wrap").forEach(mark);
  }

  var pending = null;
  function later() {
    window.clearTimeout(pending);
    pending = window.setTimeout(markAll, 100);
  }

  function start() {
    markAll();
    window.addEventListener("resize", later);
    // A table in a closed <details> has no width until it is opened.
    document.querySelectorAll("details").forEach(function (details) {
      details.addEventListener("toggle", markAll);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
