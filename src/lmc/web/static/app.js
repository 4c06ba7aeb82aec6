// Draws every chart embedded in the page as <script type="application/json" class="plotly-fig"> with the Plotly
// bundle served by the app (no CDN, no inline script: the Content-Security-Policy allows only this origin).
// A click on a point whose customdata is a path ("/pair/CHN-LAO") opens that page.
(function () {
  "use strict";
  function draw() {
    if (!window.Plotly) { return; }
    document.querySelectorAll("script.plotly-fig").forEach(function (node) {
      var target = document.getElementById(node.dataset.target);
      if (!target) { return; }
      var fig = JSON.parse(node.textContent);
      window.Plotly.newPlot(target, fig.data, fig.layout,
        {responsive: true, displaylogo: false, modeBarButtonsToRemove: ["sendDataToCloud"]}).then(function () {
        target.dataset.rendered = "1";
      });
      target.on && target.on("plotly_click", function (ev) {
        var p = ev && ev.points && ev.points[0];
        var link = p && p.customdata;
        if (typeof link === "string" && link.charAt(0) === "/") { window.location.assign(link); }
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
