// Hand-written SVG charts: horizontal bars (with an optional target marker) and a vertical
// histogram. Every bar is a rect.bar carrying data-label and data-value, which the browser
// test counts.

/** A card with a title, a chart and an optional note. */
function card(id, title, chart, note) {
  return el("div", { "class": "card", id: id }, el("h3", null, title), chart,
      note ? el("p", { "class": "hint" }, note) : null);
}

/**
 * Horizontal bars: rows of {label, value, target?, text?}; value and target share the scale
 * max (default: the largest of them).
 */
function hbars(rows, opts) {
  opts = opts || {};
  var labelW = 140, barW = 190, rowH = 18, textW = 150;
  var max = opts.max || Math.max.apply(null, rows.map(function (r) {
    return Math.max(r.value || 0, r.target || 0);
  }).concat([1e-9]));
  var h = rows.length * rowH + 6;
  var s = svg("svg", { width: "100%", role: "img",
    viewBox: "0 0 " + (labelW + barW + textW) + " " + h });
  rows.forEach(function (r, i) {
    var y = i * rowH + 3;
    var lbl = String(r.label);
    s.appendChild(svg("text", { x: labelW - 6, y: y + 12, "text-anchor": "end" },
        svg("title", null, lbl), lbl.length > 24 ? lbl.slice(0, 23) + "…" : lbl));
    s.appendChild(svg("rect", { "class": r.bad ? "bar bad" : "bar", x: labelW, y: y + 2,
      width: Math.max(1, barW * (r.value || 0) / max), height: rowH - 7,
      "data-label": lbl, "data-value": r.value }, svg("title", null, lbl + ": " + (r.text || r.value))));
    if (r.target !== undefined && r.target !== null) {
      s.appendChild(svg("rect", { "class": "target", x: labelW + barW * r.target / max - 1,
        y: y, width: 3, height: rowH - 3, "data-target": r.target },
        svg("title", null, "target " + pct(r.target))));
    }
    s.appendChild(svg("text", { x: labelW + barW + 6, y: y + 12 }, r.text || num(r.value)));
  });
  return s;
}

/** A vertical histogram of bins [{label, value}]. */
function histogram(bins, opts) {
  opts = opts || {};
  var w = 460, h = 170, left = 40, bottom = 34, top = 8;
  var max = Math.max.apply(null, bins.map(function (b) { return b.value; }).concat([1]));
  var s = svg("svg", { width: "100%", role: "img", viewBox: "0 0 " + w + " " + h });
  var bw = (w - left - 8) / Math.max(1, bins.length);
  s.appendChild(svg("line", { "class": "axis", x1: left, y1: h - bottom, x2: w - 4,
    y2: h - bottom, stroke: "#ccc" }));
  s.appendChild(svg("text", { x: left - 4, y: top + 8, "text-anchor": "end" }, num(max)));
  s.appendChild(svg("text", { x: left - 4, y: h - bottom, "text-anchor": "end" }, "0"));
  var every = Math.ceil(bins.length / 16);
  bins.forEach(function (b, i) {
    var bh = (h - bottom - top) * b.value / max;
    var x = left + i * bw;
    s.appendChild(svg("rect", { "class": "bar", x: x + 1, y: h - bottom - bh,
      width: Math.max(1, bw - 2), height: bh, "data-label": b.label, "data-value": b.value },
      svg("title", null, b.label + ": " + num(b.value))));
    if (i % every === 0) {
      s.appendChild(svg("text", { x: x + bw / 2, y: h - bottom + 13, "text-anchor": "middle" },
          String(b.label)));
    }
  });
  if (opts.xlabel) {
    s.appendChild(svg("text", { x: left + (w - left) / 2, y: h - 4, "text-anchor": "middle",
      "class": "legend" }, opts.xlabel));
  }
  return s;
}
