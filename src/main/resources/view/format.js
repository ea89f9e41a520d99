// Helpers shared by the page's scripts. Dataset text only ever becomes text nodes or
// attribute values set with setAttribute; no markup is parsed from data anywhere.
var SVG_NS = "http://www.w3.org/2000/svg";

/** An element with attributes and children (strings become text nodes). */
function el(tag, attrs) {
  var e = document.createElement(tag);
  setAttrs(e, attrs);
  for (var i = 2; i < arguments.length; i++) append(e, arguments[i]);
  return e;
}

/** An SVG element with attributes and children. */
function svg(tag, attrs) {
  var e = document.createElementNS(SVG_NS, tag);
  setAttrs(e, attrs);
  for (var i = 2; i < arguments.length; i++) append(e, arguments[i]);
  return e;
}

function setAttrs(e, attrs) {
  if (!attrs) return;
  Object.keys(attrs).forEach(function (k) {
    if (attrs[k] === null || attrs[k] === undefined || attrs[k] === false) return;
    if (/^on/i.test(k) || k === "href" || k === "src" || k === "style") {
      throw new Error("attribute " + k + " is never set by this page");
    }
    e.setAttribute(k, String(attrs[k]));
  });
}

function append(e, c) {
  if (c === null || c === undefined || c === false) return;
  if (Array.isArray(c)) { c.forEach(function (x) { append(e, x); }); return; }
  e.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
}

function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); return e; }

function num(n) {
  if (n === null || n === undefined || n === "") return "–";
  var x = Number(n);
  if (!isFinite(x)) return String(n);
  return Math.abs(x) >= 1000 || x === Math.round(x) ? Math.round(x).toLocaleString("en-US")
      : String(Math.round(x * 1000) / 1000);
}

function pct(x) { return (Math.round(Number(x) * 1000) / 10) + "%"; }

function usd(x) { return "$" + (Number(x) < 1 ? Number(x).toFixed(4) : Number(x).toFixed(2)); }

function entries(o) { return o ? Object.keys(o).map(function (k) { return [k, o[k]]; }) : []; }

/** Pretty JSON of a value, as text. */
function pretty(v) {
  if (typeof v === "string") return v;
  try { return JSON.stringify(v, null, 2); } catch (e) { return String(v); }
}
