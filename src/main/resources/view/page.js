// The report page: reads the JSON island and renders the run, funnel, gates, charts and the
// conversation browser. window.cfReport exposes the state to the browser test.

var DATA = JSON.parse(document.getElementById("cf-data").textContent);
var REPORT = DATA.report || {};
var PAGE = 100;
var state = { status: "", reason: "", slice: {}, verdict: "", q: "", shown: PAGE, selected: null };

function renderRun() {
  var t = REPORT.timing || {}, llm = (REPORT.llm || {}).total;
  document.title = "convoforge · " + (REPORT.recipe || "dataset");
  clear(document.getElementById("title")).appendChild(document.createTextNode(
      "convoforge · " + (REPORT.recipe || "dataset")));
  var facts = [["family", REPORT.kind], ["backend", REPORT.backend], ["model", REPORT.model],
    ["runner", REPORT.runner], ["seed", REPORT.seed], ["run id", REPORT.run_id],
    ["finished", t.finished_at], ["pipeline time", t.pipeline_seconds !== undefined
        ? num(t.pipeline_seconds) + " s" : null],
    ["sampled", num(REPORT.sampled)], ["accepted", num(DATA.sample.accepted_total)],
    ["rejected", num(DATA.sample.rejected_total)],
    ["LLM cost", llm ? usd(llm.est_cost_usd) : null],
    ["LLM tokens", llm ? num(llm.tokens_in) + " in / " + num(llm.tokens_out) + " out" : null],
    ["LLM calls", llm ? num(llm.calls) : null],
    ["stages", (REPORT.stages || []).join(" → ")], ["directory", DATA.sample.dir]];
  var dl = document.getElementById("run");
  facts.forEach(function (f) {
    if (f[1] === undefined || f[1] === null || f[1] === "") return;
    dl.appendChild(el("div", null, el("dt", null, f[0]), el("dd", null, String(f[1]))));
  });
}

function renderFunnel() {
  var t = document.getElementById("funnel");
  t.appendChild(el("tr", null, el("th", null, "stage"), el("th", { "class": "num" }, "in"),
      el("th", { "class": "num" }, "created"), el("th", { "class": "num" }, "out"),
      el("th", { "class": "num" }, "rejected"), el("th", null, "rejected by reason")));
  (REPORT.funnel || []).forEach(function (s) {
    var chips = entries(s.rejected).map(function (kv) {
      var c = el("button", { type: "button", "class": "chip reason-link", "data-reason": kv[0] },
          kv[0] + " " + num(kv[1]));
      c.addEventListener("click", function () { showReason(kv[0]); });
      return c;
    });
    t.appendChild(el("tr", { "data-stage": s.stage }, el("td", null, s.stage),
        el("td", { "class": "num" }, num(s["in"])), el("td", { "class": "num" }, num(s.created)),
        el("td", { "class": "num" }, num(s.out)),
        el("td", { "class": "num" }, num(s.rejected_total)), el("td", null, chips)));
  });
}

function showReason(reason) {
  state.status = "rejected";
  state.reason = reason;
  state.shown = PAGE;
  syncFilters();
  renderList();
  document.getElementById("browser-section").scrollIntoView();
}

function renderGates() {
  var g = REPORT.gates || {}, t = document.getElementById("gates");
  if (!g.gates) { t.appendChild(el("tr", null, el("td", null, "no gates in report.json"))); return; }
  t.appendChild(el("tr", null, el("th", null, "gate"), el("th", null, "expected"),
      el("th", null, "actual"), el("th", null, "result")));
  entries(g.gates).forEach(function (kv) {
    t.appendChild(el("tr", { "class": "gate", "data-passed": kv[1].passed },
        el("td", null, kv[0]), el("td", null, kv[1].expected), el("td", null, kv[1].actual),
        el("td", { "class": kv[1].passed ? "pass" : "fail" }, kv[1].passed ? "pass" : "FAIL")));
  });
}

function renderCharts() {
  var box = document.getElementById("charts");
  var slices = REPORT.slices || {};
  entries(DATA.accepted_by_slice).forEach(function (kv) {
    var key = kv[0], acc = kv[1], rep = slices[key] || {}, targets = (REPORT.slice_targets || {})[key];
    var total = 0, sampled = 0;
    entries(acc).forEach(function (v) { total += v[1]; });
    entries(rep).forEach(function (v) { sampled += v[1].sampled || 0; });
    var values = entries(acc).sort(function (a, b) { return b[1] - a[1]; });
    var rows = values.slice(0, 30).map(function (v) {
      var target = targets ? targets[v[0]] : sampled > 0 ? ((rep[v[0]] || {}).sampled || 0) / sampled : null;
      return { label: v[0], value: v[1] / total, target: target,
        text: pct(v[1] / total) + " (" + num(v[1]) + ")" };
    });
    var note = (targets ? "Orange: the recipe's target share." : sampled > 0
        ? "Orange: the share sampled at the source (the plan)." : "No target: assigned after the source.")
        + (values.length > 30 ? " Top 30 of " + values.length + " values." : "");
    box.appendChild(card("chart-slice-" + key, "Slice mix: " + key + " (accepted share)",
        hbars(rows, { max: Math.max.apply(null, rows.map(function (r) {
          return Math.max(r.value, r.target || 0); })) }), note));
  });
  var turns = entries(DATA.turns.counts).map(function (kv) { return { label: kv[0], value: kv[1] }; });
  box.appendChild(card("chart-turns", "Turns per conversation", histogram(turns,
      { xlabel: DATA.turns.label }), turns.length ? "Over all " + num(DATA.sample.accepted_total)
      + " accepted conversations." : "No accepted conversations."));
  var crit = entries((REPORT.judge || {}).criteria).map(function (kv) {
    return { label: kv[0], value: kv[1].pass_rate, bad: kv[1].pass_rate < 1,
      text: pct(kv[1].pass_rate) + " (" + num(kv[1].passed) + "/" + num(kv[1].judged) + ")" };
  });
  if (crit.length) box.appendChild(card("chart-criteria", "Judge criteria pass rates",
      hbars(crit, { max: 1 }), "Over every judged dialogue, accepted or rejected."));
  entries(DATA.similarity).forEach(function (kv) {
    var bins = entries(kv[1]).map(function (b) { return { label: b[0], value: b[1] }; });
    box.appendChild(card("chart-similarity-" + kv[0], "Near-duplicates removed: " + kv[0]
        + " similarity", histogram(bins, { xlabel: kv[0] + " similarity to the dialogue kept" }),
        "Similarity of each removed dialogue to the one kept."));
  });
  var llm = entries((REPORT.llm || {}).stages).filter(function (kv) { return kv[1].calls > 0; });
  if (llm.length) {
    box.appendChild(card("chart-latency", "LLM call latency by stage (mean, ms)", hbars(
        llm.map(function (kv) {
          var s = kv[1];
          return { label: kv[0], value: s.latency_ms_mean || 0, text: num(s.latency_ms_mean) + " ms"
              + (s.latency_ms_max ? " (" + num(s.latency_ms_min) + "–" + num(s.latency_ms_max) + ")" : "") };
        })), null));
    box.appendChild(card("llm-cost", "LLM calls, tokens and cost by stage", el("table", null,
        el("tr", null, el("th", null, "stage"), el("th", { "class": "num" }, "calls"),
            el("th", { "class": "num" }, "cache hits"), el("th", { "class": "num" }, "tokens in"),
            el("th", { "class": "num" }, "tokens out"), el("th", { "class": "num" }, "throttled s"),
            el("th", { "class": "num" }, "cost")),
        llm.map(function (kv) {
          var s = kv[1];
          return el("tr", null, el("td", null, kv[0]), el("td", { "class": "num" }, num(s.calls)),
              el("td", { "class": "num" }, num(s.cache_hits)), el("td", { "class": "num" }, num(s.tokens_in)),
              el("td", { "class": "num" }, num(s.tokens_out)),
              el("td", { "class": "num" }, num(s.throttled_seconds)),
              el("td", { "class": "num" }, usd(s.est_cost_usd)));
        })), null));
  }
  document.getElementById("charts-note").textContent = "Statistics cover every record of the"
      + " dataset (" + num(DATA.sample.accepted_total) + " accepted, " + num(DATA.sample.rejected_total)
      + " rejected), not only the sample below.";
}

function sampleNote() {
  var s = DATA.sample, all = s.accepted_shown === s.accepted_total && s.rejected_shown === s.rejected_total;
  return all ? "All " + num(s.accepted_total) + " accepted and " + num(s.rejected_total)
      + " rejected records are in this page."
      : "This page holds a sample: " + num(s.accepted_shown) + " of " + num(s.accepted_total)
      + " accepted conversations (the ids with the smallest hashes: uniform and the same every"
      + " time) and up to " + num(s.rejected_per_reason) + " rejected per reason (" + num(s.rejected_shown)
      + " of " + num(s.rejected_total) + "). For more, run ./convoforge view DIR --sample N"
      + " --rejected-sample M, or read DIR/conversations*.jsonl and DIR/rejected*.jsonl"
      + " (grep '\"reason\":\"REASON\"' DIR/rejected*.jsonl).";
}

function haystack(r) {
  if (r._q === undefined) {
    r._q = [r.id, r.reason, r.detail, JSON.stringify(r.slice), JSON.stringify(r.messages)]
        .join("\n").toLowerCase();
  }
  return r._q;
}

function matches(r) {
  if (state.status && r.status !== state.status) return false;
  if (state.reason && r.reason !== state.reason) return false;
  var keys = Object.keys(state.slice);
  for (var i = 0; i < keys.length; i++) {
    if (state.slice[keys[i]] && (r.slice || {})[keys[i]] !== state.slice[keys[i]]) return false;
  }
  var j = r.judgement;
  if (state.verdict === "passed" && !(j && j.passed)) return false;
  if (state.verdict === "failed" && !(j && !j.passed)) return false;
  if (state.verdict === "unjudged" && j) return false;
  if (state.verdict.indexOf("criterion:") === 0) {
    var c = j && j.criteria ? j.criteria[state.verdict.slice(10)] : null;
    if (!c || c.passed) return false;
  }
  if (state.q && haystack(r).indexOf(state.q.toLowerCase()) < 0) return false;
  return true;
}

function select(label, key, options, onChange) {
  var s = el("select", { "data-filter": key }, options.map(function (o) {
    return el("option", { value: o[0] }, o[1]);
  }));
  s.addEventListener("change", function () { onChange(s.value); state.shown = PAGE; renderList(); });
  return el("label", null, label, s);
}

function renderFilters() {
  var f = document.getElementById("filters"), recs = DATA.records;
  f.appendChild(select("status", "status", [["", "all"], ["accepted", "accepted"],
    ["rejected", "rejected"]], function (v) { state.status = v; }));
  var reasons = entries(DATA.rejected_by_reason).map(function (kv) { return [kv[0], kv[0] + " (" + num(kv[1]) + ")"]; });
  f.appendChild(select("reason", "reason", [["", "any"]].concat(reasons),
      function (v) { state.reason = v; if (v) state.status = "rejected"; syncFilters(); }));
  var sliceValues = {};
  recs.forEach(function (r) {
    entries(r.slice).forEach(function (kv) { (sliceValues[kv[0]] = sliceValues[kv[0]] || {})[kv[1]] = 1; });
  });
  Object.keys(sliceValues).sort().forEach(function (k) {
    f.appendChild(select(k, "slice:" + k, [["", "any"]].concat(Object.keys(sliceValues[k]).sort()
        .map(function (v) { return [v, v]; })), function (v) { state.slice[k] = v; }));
  });
  var crits = {};
  recs.forEach(function (r) { if (r.judgement) Object.keys(r.judgement.criteria || {}).forEach(function (c) { crits[c] = 1; }); });
  f.appendChild(select("verdict", "verdict", [["", "any"], ["passed", "judge passed"],
    ["failed", "judge failed"], ["unjudged", "not judged"]].concat(Object.keys(crits).sort()
      .map(function (c) { return ["criterion:" + c, "failed " + c]; })), function (v) { state.verdict = v; }));
  var q = el("input", { type: "search", placeholder: "search text, ids, tools…", "data-filter": "q" });
  q.addEventListener("input", function () { state.q = q.value; state.shown = PAGE; renderList(); });
  f.appendChild(el("label", null, "search", q));
}

function syncFilters() {
  document.querySelectorAll("#filters select").forEach(function (s) {
    var k = s.getAttribute("data-filter");
    s.value = k === "status" ? state.status : k === "reason" ? state.reason : s.value;
  });
}

function renderList() {
  var list = clear(document.getElementById("list"));
  var hits = DATA.records.filter(matches);
  hits.slice(0, state.shown).forEach(function (r) {
    var j = r.judgement;
    var li = el("li", { "class": "item", "data-id": r.id, "data-status": r.status },
        el("div", { "class": "id" }, r.id),
        el("div", { "class": "meta" }, r.status === "rejected" ? "rejected: " + r.reason
            : "accepted" + (j ? ", score " + num(j.score) : ""), " · ",
            entries(r.slice).map(function (kv) { return kv[1]; }).join(" · ")));
    li.addEventListener("click", function () { showRecord(r); });
    list.appendChild(li);
  });
  var extra = state.reason && DATA.rejected_by_reason[state.reason] > hits.length
      ? " (" + num(DATA.rejected_by_reason[state.reason]) + " rejected for " + state.reason
        + " in all; the rest are in DIR/rejected*.jsonl)" : "";
  document.getElementById("match-count").textContent = num(hits.length) + " of "
      + num(DATA.records.length) + " records in this page match" + extra;
  document.getElementById("more").hidden = hits.length <= state.shown;
  window.cfReport.matching = hits.length;
}

function showRecord(r) {
  state.selected = r.id;
  document.querySelectorAll("#list li").forEach(function (li) {
    li.classList.toggle("sel", li.getAttribute("data-id") === r.id);
  });
  clear(document.getElementById("detail")).appendChild(renderRecord(r));
}

window.cfReport = { state: state, data: DATA, showReason: showReason, showRecord: showRecord,
  renderList: renderList, matching: 0 };
renderRun();
renderFunnel();
renderGates();
renderCharts();
document.getElementById("sample-note").textContent = sampleNote();
renderFilters();
document.getElementById("more").addEventListener("click", function () {
  state.shown += PAGE; renderList();
});
renderList();
if (DATA.records.length) showRecord(DATA.records.filter(matches)[0]);
window.cfReport.ready = true;
