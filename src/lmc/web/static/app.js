// Draws every chart embedded in the page as <script type="application/json" class="plotly-fig"> with the Plotly
// bundle served by the app (no CDN, no inline script: the Content-Security-Policy allows only this origin).
// A click on a point whose customdata is a path ("/pair/CHN-LAO"), or on a filled shape whose trace's meta is one
// (a country on the map), opens that page. Long work shows a busy state: forms marked .busy-form disable their
// button and show a spinner with the seconds elapsed; PDF links (.pdf-link) are fetched with the same indicator
// and saved when ready.
(function () {
  "use strict";
  function linkOf(p) {
    if (!p) { return null; }
    if (typeof p.customdata === "string" && p.customdata.charAt(0) === "/") { return p.customdata; }
    var meta = p.data && p.data.meta;
    return (typeof meta === "string" && meta.charAt(0) === "/") ? meta : null;
  }
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
        var link = linkOf(ev && ev.points && ev.points[0]);
        if (link) { window.location.assign(link); }
      });
    });
  }
  function busy(after, text) {
    var span = document.createElement("span");
    span.className = "busy";
    span.setAttribute("role", "status");
    var t0 = Date.now();
    function tick() { span.textContent = text + " … " + Math.floor((Date.now() - t0) / 1000) + " s"; }
    tick();
    var timer = window.setInterval(tick, 500);
    after.insertAdjacentElement("afterend", span);
    return function () { window.clearInterval(timer); span.remove(); };
  }
  function busyForms() {
    var text = document.body.dataset.busy || "…";
    document.querySelectorAll("form.busy-form").forEach(function (form) {
      form.addEventListener("submit", function () {
        var button = form.querySelector("button[type=submit], button:not([type])");
        if (!button || button.disabled) { return; }
        button.disabled = true;
        form.setAttribute("aria-busy", "true");
        busy(button, text);
      });
    });
    window.addEventListener("pageshow", function (ev) {  // back button: the page comes back from the cache
      if (!ev.persisted) { return; }
      document.querySelectorAll("form.busy-form button[disabled]").forEach(function (b) { b.disabled = false; });
      document.querySelectorAll(".busy").forEach(function (s) { s.remove(); });
    });
  }
  function pdfLinks() {
    document.querySelectorAll("a.pdf-link").forEach(function (a) {
      a.addEventListener("click", function (ev) {
        if (a.dataset.loading === "1") { ev.preventDefault(); return; }
        if (!window.fetch || !window.URL || !window.URL.createObjectURL) { return; }  // plain download instead
        ev.preventDefault();
        a.dataset.loading = "1";
        a.setAttribute("aria-busy", "true");
        var done = busy(a, a.dataset.busy || "…");
        fetch(a.href, {credentials: "same-origin"}).then(function (r) {
          if (!r.ok) { throw new Error("HTTP " + r.status); }
          return r.blob();
        }).then(function (blob) {
          var url = window.URL.createObjectURL(blob);
          var tmp = document.createElement("a");
          tmp.href = url;
          tmp.download = a.getAttribute("download") || "";
          document.body.appendChild(tmp);
          tmp.click();
          tmp.remove();
          window.setTimeout(function () { window.URL.revokeObjectURL(url); }, 60000);
        }).catch(function () {
          window.location.assign(a.href);  // let the server's error page speak
        }).finally(function () {
          done();
          a.dataset.loading = "";
          a.removeAttribute("aria-busy");
        });
      });
    });
  }
  function start() { draw(); busyForms(); pdfLinks(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
