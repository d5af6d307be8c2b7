(function () {
  "use strict";
  // Draw every chart: its Vega-Lite spec is the JSON block its container names.
  // ast: true evaluates Vega expressions without eval, so a strict CSP holds.
  // A chart wider than its box is drawn again with narrower views (not scaled down, which
  // would shrink its text below reading size on a phone).
  var options = {
    actions: false,
    ast: true,
    renderer: "svg",
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true }
  };
  function rewrap(lines, chars) {
    var out = [];
    lines.forEach(function (line) {
      var cur = "";
      String(line).split(" ").forEach(function (w) {
        if (cur && (cur + " " + w).length > chars) { out.push(cur); cur = w; } else { cur = cur ? cur + " " + w : w; }
      });
      if (cur) { out.push(cur); }
    });
    return out;
  }
  function narrow(spec, excess, room) {
    if (Array.isArray(spec)) { spec.forEach(function (s) { narrow(s, excess, room); }); return; }
    if (!spec || typeof spec !== "object") { return; }
    if (typeof spec.width === "number") { spec.width = Math.max(110, spec.width - excess); }
    if (spec.title && Array.isArray(spec.title.text)) {
      spec.title.text = rewrap(spec.title.text, Math.floor(room / ((spec.title.fontSize || 16) * 0.6)));
    }
    ["vconcat", "hconcat", "layer", "concat"].forEach(function (k) { if (spec[k]) { narrow(spec[k], excess, room); } });
  }
  function draw(el, spec, tries) {
    return window.vegaEmbed(el, spec, options).then(function () {
      var svg = el.querySelector("svg");
      var room = el.clientWidth;
      var wide = svg ? parseFloat(svg.getAttribute("width")) : 0;
      if (tries > 0 && room > 0 && wide > room + 1) {
        var next = JSON.parse(JSON.stringify(spec));
        narrow(next, Math.ceil(wide - room) + 8, room);
        if (next.config && next.config.legend) {
          // a legend wider than the box: its labels are cut shorter each try (the view's
          // width alone cannot make room for it)
          var limit = next.config.legend.labelLimit;
          var excess = Math.ceil(wide - room) + 8;
          next.config.legend.labelLimit = Math.max(80, Math.min(room - 60, limit ? limit - excess : room - 60));
          next.config.legend.columns = 1;
        }
        return draw(el, next, tries - 1);
      }
    });
  }
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
    draw(el, spec, 4).then(
      function () { el.setAttribute("data-state", "drawn"); },
      function (err) {
        el.setAttribute("data-state", "failed");
        el.textContent = "This chart could not be drawn: " + (err && err.message);
      }
    );
  });
})();
