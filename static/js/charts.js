/* Draws every chart on the page. Each chart is an element with data-figure="ID", where ID
   names a <script type="application/json"> written by Django's json_script holding
   {"data": [...], "layout": {...}}. No figure code lives in the page, so a strict
   Content-Security-Policy (script-src 'self') can be switched on.

   plotly.js is large, so it is fetched and run only when a chart comes near the screen (the
   address is this script's data-plotly attribute), and charts are drawn as they come near it,
   one per task, so the page stays responsive. Printing, or a page laid out for print (the PDF
   renderer), draws every chart. */
(function () {
  "use strict";
  // showSendToCloud: plotly.js otherwise offers "Share chart...", which uploads the figure to Plotly's cloud.
  var CONFIG = { displaylogo: false, responsive: true, showSendToCloud: false,
                 modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"],
                 toImageButtonOptions: { format: "png", scale: 2 } };
  // How far outside the window a chart starts being drawn, so it is ready as it scrolls in.
  var AHEAD = "200px 0px";
  var PLOTLY_URL = document.currentScript && document.currentScript.getAttribute("data-plotly");

  var waiting = [];        // charts near the screen, to be drawn in order
  var plotly = null;       // a promise of window.Plotly once its script is asked for
  var observer = null;
  var drawing = false;

  function loadPlotly() {
    if (!plotly) {
      plotly = new Promise(function (resolve, reject) {
        if (window.Plotly || !PLOTLY_URL) { resolve(); return; }
        var script = document.createElement("script");
        script.src = PLOTLY_URL;
        script.onload = function () { resolve(); };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return plotly;
  }

  function draw(element) {
    if (element.classList.contains("chart-drawn")) { return; }
    if (observer) { observer.unobserve(element); }
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

  // One chart per task: the browser handles input and paints between charts.
  function drawNext() {
    if (!waiting.length) { drawing = false; return; }
    draw(waiting.shift());
    setTimeout(drawNext, 0);
  }

  function queue(elements) {
    if (!elements.length) { return; }
    elements.forEach(function (element) {
      if (waiting.indexOf(element) < 0) { waiting.push(element); }
    });
    loadPlotly().then(function () {
      if (!drawing) { drawing = true; setTimeout(drawNext, 0); }
    });
  }

  function charts() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-figure]"));
  }

  // Before printing there is no time to wait: every chart not yet drawn is drawn at once.
  function drawAllNow() {
    if (window.Plotly) {
      waiting = [];
      charts().forEach(draw);
    } else {
      queue(charts());
    }
  }

  function resizeAll() {
    document.querySelectorAll(".chart-drawn").forEach(function (element) {
      window.Plotly.Plots.resize(element);
    });
  }

  function start() {
    var printing = window.matchMedia ? window.matchMedia("print") : null;
    if (!("IntersectionObserver" in window) || (printing && printing.matches)) {
      queue(charts());
    } else {
      observer = new IntersectionObserver(function (entries) {
        queue(entries.filter(function (entry) { return entry.isIntersecting; })
                     .map(function (entry) { return entry.target; }));
      }, { rootMargin: AHEAD });
      charts().forEach(function (element) { observer.observe(element); });
    }
    // Charts laid out for the screen are too wide for paper: fit them to the page before printing.
    window.addEventListener("beforeprint", function () { drawAllNow(); resizeAll(); });
    window.addEventListener("afterprint", resizeAll);
    if (printing && printing.addEventListener) {
      printing.addEventListener("change", function (event) { if (event.matches) { drawAllNow(); } });
    }
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
