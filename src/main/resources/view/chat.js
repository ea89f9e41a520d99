// One conversation as a chat: roles, timestamps, tool calls with their arguments, tool results,
// the judge's criteria and the lineage; for a rejected record, where and why it was dropped.

var ROLE_CLASS = { user: "user", client: "user", customer: "user", human: "user",
  assistant: "assistant", agent: "assistant", bot: "assistant", model: "assistant",
  tool: "tool", function: "tool", observation: "tool", system: "system" };

function roleClass(role) {
  return ROLE_CLASS[String(role || "").toLowerCase()] || "other";
}

function renderRecord(rec) {
  var out = el("div", { "class": "record", "data-id": rec.id });
  out.appendChild(el("h2", null, rec.id));
  if (rec.status === "rejected") {
    out.appendChild(el("div", { "class": "banner" }, "Rejected at ", el("b", null, rec.stage),
        ": ", el("b", null, rec.reason), rec.detail ? " — " + rec.detail : ""));
    if (rec.raw_response) {
      out.appendChild(el("details", null, el("summary", null, "raw backend response"),
          el("pre", null, rec.raw_response)));
    }
  }
  var chips = entries(rec.slice).map(function (kv) {
    return el("span", { "class": "chip" }, kv[0] + ": " + kv[1]);
  });
  out.appendChild(el("p", null, chips));
  var msgs = rec.messages || [];
  if (!msgs.length) out.appendChild(el("p", { "class": "hint" }, "(no messages: the element was"
      + " dropped before the dialogue was written)"));
  msgs.forEach(function (m, i) { out.appendChild(renderMessage(m, i)); });
  if (rec.judgement) out.appendChild(renderJudgement(rec.judgement));
  if (rec.lineage) {
    out.appendChild(el("h3", null, "Lineage"));
    out.appendChild(el("table", { "class": "lineage" }, entries(rec.lineage).map(function (kv) {
      return el("tr", null, el("th", null, kv[0]), el("td", null,
          typeof kv[1] === "object" ? JSON.stringify(kv[1]) : String(kv[1])));
    })));
  }
  return out;
}

function renderMessage(m, i) {
  var who = String(m.role) + (m.timestamp ? " · " + m.timestamp : "");
  var box = el("div", { "class": "msg " + roleClass(m.role), "data-index": i },
      el("span", { "class": "who" }, who));
  if (m.text !== undefined && m.text !== null) box.appendChild(document.createTextNode(m.text));
  (m.tool_calls || []).forEach(function (c) {
    box.appendChild(el("div", { "class": "call" },
        el("span", { "class": "call-name" }, "→ " + c.name + "()"),
        c.id ? el("span", { "class": "badge" }, c.id) : null,
        c.expect_error ? el("span", { "class": "badge err" }, "expects " + c.expect_error) : null,
        el("pre", null, pretty(c.arguments || {}))));
  });
  (m.tool_results || []).forEach(function (r) {
    box.appendChild(el("div", { "class": "result" },
        el("span", { "class": "call-name" }, "← " + r.name),
        el("span", { "class": r.ok ? "badge ok" : "badge err" }, r.ok ? "ok" : "error"),
        (r.ok ? r.output : r.error) === undefined || (r.ok ? r.output : r.error) === null ? null
            : el("pre", null, pretty(r.ok ? r.output : r.error))));
  });
  return box;
}

function renderJudgement(j) {
  var rows = entries(j.criteria).map(function (kv) {
    var c = kv[1] || {};
    return el("tr", null, el("td", null, kv[0]),
        el("td", { "class": c.passed ? "pass" : "fail" }, c.passed ? "pass" : "FAIL"),
        el("td", null, c.detail || ""));
  });
  return el("div", { "class": "judgement" },
      el("h3", null, "Judge: " + (j.passed ? "passed" : "failed") + ", score " + num(j.score)),
      el("table", null, el("tr", null, el("th", null, "criterion"), el("th", null, "verdict"),
          el("th", null, "detail")), rows));
}
