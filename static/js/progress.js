// A background job's progress (the summary PDF, a large upload): asks the page's data-progress-url every
// second and a half, moves the bar and its words, and reloads the page once the job has finished, when
// the server answers with the result (the PDF itself, or the page that says what went wrong).
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box || !window.fetch) {
    return;
  }
  var bar = box.querySelector("progress");
  var label = box.querySelector("[role=status]");
  var url = box.getAttribute("data-progress-url");

  function ask() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (state) {
        if (bar) {
          bar.value = state.percent;
          bar.textContent = state.percent + "%";
        }
        if (label) {
          label.textContent = state.label;
        }
        if (state.status === "ready" || state.status === "failed" || state.finished) {
          window.location.reload();
        } else {
          window.setTimeout(ask, 1500);
        }
      })
      .catch(function () {
        if (label) {
          label.textContent = "Lost touch with the server: reload the page to check again.";
        }
      });
  }
  window.setTimeout(ask, 1000);
})();
