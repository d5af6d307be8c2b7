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
    var spec = JSON.parse(source.textContent);
    // a map as wide as its container takes the height its shape needs (usermeta.aspect)
    var aspect = spec.usermeta && spec.usermeta.aspect;
    if (aspect && spec.width === "container" && el.clientWidth > 0) {
      spec.height = Math.max(120, Math.round(el.clientWidth / aspect));
      if (spec.usermeta.maxHeight) { spec.height = Math.min(spec.height, spec.usermeta.maxHeight); }
    }
    window.vegaEmbed(el, spec, options).then(
      function () { el.setAttribute("data-state", "drawn"); },
      function (err) {
        el.setAttribute("data-state", "failed");
        el.textContent = "This chart could not be drawn: " + (err && err.message);
      }
    );
  });
})();
