/* Draws every chart on the page. Each chart is an element with data-figure="ID", where ID
   names a <script type="application/json"> written by Django's json_script holding
   {"data": [...], "layout": {...}}. No figure code lives in the page, so a strict
   Content-Security-Policy (script-src 'self') can be switched on. */
(function () {
  "use strict";
  // showSendToCloud: plotly.js otherwise offers "Share chart...", which uploads the figure to Plotly's cloud.
  var CONFIG = { displaylogo: false, responsive: true, showSendToCloud: false,
                 modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"],
                 toImageButtonOptions: { format: "png", scale: 2 } };

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-figure"));
    if (!source || !window.Plotly) { return; }
    var figure = JSON.parse(source.textContent);
    element.classList.add("chart-drawn");
    window.Plotly.newPlot(element, figure.data, figure.layout, CONFIG).then(hideDrawing);
  }

  // The figure's caption names the chart and the table under it holds its numbers, so screen
  // readers skip the drawing's loose tick and legend text (the tool bar stays reachable).
  function hideDrawing(element) {
    element.querySelectorAll("svg.main-svg").forEach(function (svg) {
      svg.setAttribute("aria-hidden", "true");
    });
  }

  function resizeAll() {
    document.querySelectorAll(".chart-drawn").forEach(function (element) {
      window.Plotly.Plots.resize(element);
    });
  }

  function start() {
    document.querySelectorAll("[data-figure]").forEach(draw);
    // Charts laid out for the screen are too wide for paper: fit them to the page before printing.
    window.addEventListener("beforeprint", resizeAll);
    window.addEventListener("afterprint", resizeAll);
    // A chart inside a closed <details> has no width until it is opened.
    document.querySelectorAll("details").forEach(function (details) {
      details.addEventListener("toggle", resizeAll);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
