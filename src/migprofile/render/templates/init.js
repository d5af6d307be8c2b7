(function () {
  "use strict";
  // Draw every chart: its Vega-Lite spec is the JSON block its container names.
  // ast: true evaluates Vega expressions without eval, so a strict CSP holds.
  var options = {
    actions: false,
    ast: true,
    renderer: "svg",
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true }
  };
  var charts = document.querySelectorAll("[data-spec]");
  Array.prototype.forEach.call(charts, function (el) {
    var source = document.getElementById(el.getAttribute("data-spec"));
    if (!source || typeof window.vegaEmbed !== "function") {
      el.setAttribute("data-state", "failed");
      el.textContent = "This chart could not be drawn: the chart library did not load.";
      return;
    }
    window.vegaEmbed(el, JSON.parse(source.textContent), options).then(
      function () { el.setAttribute("data-state", "drawn"); },
      function (err) {
        el.setAttribute("data-state", "failed");
        el.textContent = "This chart could not be drawn: " + (err && err.message);
      }
    );
  });
})();
