package io.convoforge.core.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.model.Json;
import io.convoforge.testing.Chromium;
import io.convoforge.testing.SmallDatasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report page in a real headless Chromium (CDP): it loads without console errors or CSP
 * violations, the charts and the list show the counts the data says, the filters narrow the
 * list, and the planted XSS payloads show as text and run nothing. Leaves a screenshot in
 * {@code target/view-report.png}. Skipped, saying so, when no chromium is installed ({@code
 * .ci/run} installs it).
 */
class ViewBrowserTest {
  @TempDir static Path tmp;
  static Chromium browser;
  static Map<String, Object> data;

  @BeforeAll
  static void open() throws Exception {
    Assumptions.assumeTrue(Chromium.binary() != null, "chromium is not installed: the browser"
        + " test is skipped (apt-get install chromium; .ci/run installs it)");
    Path dir = SmallDatasets.copy(SmallDatasets.toolUse(40), tmp.resolve("crm"));
    SmallDatasets.plantXss(dir);
    plantLlmAndDedup(dir);
    data = ViewData.of(dir, new ViewData.Options(25, 5));
    Path page = tmp.resolve("report.html");
    Files.writeString(page, ViewPage.html(data, "test"));
    browser = Chromium.launch();
    browser.navigate(page.toUri().toString());
  }

  /** What an offline run lacks: an llm section in the report and a near-duplicate removed. */
  static void plantLlmAndDedup(Path dir) throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode report =
        (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(Files.readString(
            dir.resolve("report.json")));
    report.set("llm", Json.parse("{\"stages\": {\"utterances\": {\"calls\": 40,"
        + " \"cache_hits\": 2, \"tokens_in\": 52000, \"tokens_out\": 9000,"
        + " \"throttled_seconds\": 1.5, \"est_cost_usd\": 0.0123, \"latency_ms_mean\": 812.5,"
        + " \"latency_ms_min\": 301, \"latency_ms_max\": 2400}}, \"total\": {\"calls\": 40,"
        + " \"tokens_in\": 52000, \"tokens_out\": 9000, \"est_cost_usd\": 0.0123}}"));
    Files.writeString(dir.resolve("report.json"), Json.write(report));
    String id = Json.parse(Files.readAllLines(io.convoforge.core.run.DatasetDir
        .conversationFiles(dir).get(0)).get(1)).get("id").asText();
    Files.writeString(dir.resolve("rejected-dedup.jsonl"), "{\"id\":\"dup-1\",\"slice\":{},"
        + "\"stage\":\"dedup\",\"reason\":\"near_duplicate:semantic\",\"detail\":"
        + "\"near-duplicate of " + id + " (cosine 0.9772)\",\"element\":{\"id\":\"dup-1\"}}\n");
  }

  @AfterAll
  static void close() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void loadsWithoutErrorsAndLeavesAScreenshot() throws Exception {
    assertTrue(browser.eval("window.cfReport && window.cfReport.ready === true").asBoolean());
    assertEquals(List.of(), browser.errors());
    browser.screenshot(Path.of("target/view-report.png"));
    assertTrue(Files.size(Path.of("target/view-report.png")) > 10_000);
  }

  @Test
  @SuppressWarnings("unchecked")
  void chartsAndListShowTheExpectedCounts() throws Exception {
    Map<String, Object> turns = (Map<String, Object>) ((Map<String, Object>) data.get("turns"))
        .get("counts");
    assertEquals(turns.size(), browser.eval(
        "document.querySelectorAll('#chart-turns rect.bar').length").asInt());
    long accepted = ((Number) ((Map<String, Object>) data.get("sample")).get("accepted_total"))
        .longValue();
    assertEquals(accepted, browser.eval("Array.from(document.querySelectorAll("
        + "'#chart-turns rect.bar')).reduce((s, r) => s + Number(r.dataset.value), 0)").asLong());
    assertEquals(2, browser.eval(
        "document.querySelectorAll('#chart-slice-outcome rect.bar').length").asInt());
    assertTrue(browser.eval("document.querySelectorAll('#chart-criteria rect.bar').length")
        .asInt() >= 5);
    int records = ((List<?>) data.get("records")).size();
    assertEquals(Math.min(100, records), browser.eval(
        "document.querySelectorAll('#list li').length").asInt());
    JsonNode gates = ((JsonNode) data.get("report")).path("gates").path("gates");
    assertTrue(gates.size() >= 8, "the tool-use recipe's gates: " + gates);
    assertEquals(gates.size(), browser.eval(
        "document.querySelectorAll('#gates tr.gate').length").asInt());
    assertEquals("0.97", browser.eval("document.querySelector('#chart-similarity-cosine"
        + " rect.bar').dataset.label").asText());
    assertEquals(1, browser.eval("document.querySelectorAll('#chart-latency rect.bar').length")
        .asInt());
    assertEquals("812.5", browser.eval("document.querySelector('#chart-latency rect.bar')"
        + ".dataset.value").asText());
    assertTrue(browser.eval("document.getElementById('run').textContent").asText()
        .contains("$0.0123"));
  }

  @Test
  void filtersNarrowTheList() throws Exception {
    String set = "(sel, v) => { const s = document.querySelector(sel); s.value = v;"
        + " s.dispatchEvent(new Event('change')); }";
    browser.eval("(" + set + ")('select[data-filter=status]', 'rejected')");
    assertEquals(2, browser.eval("document.querySelectorAll('#list li').length").asInt());
    assertEquals(0, browser.eval(
        "document.querySelectorAll('#list li:not([data-status=rejected])').length").asInt());
    browser.eval("(" + set + ")('select[data-filter=status]', '')");
    browser.eval("(" + set + ")('select[data-filter=\"slice:outcome\"]', 'failure')");
    JsonNode outcomes = browser.eval("window.cfReport.data.records.filter(r => r.slice.outcome"
        + " === 'failure').length");
    assertEquals(outcomes.asInt(), browser.eval("window.cfReport.matching").asInt());
    browser.eval("(" + set + ")('select[data-filter=\"slice:outcome\"]', '')");
    // An id no other record mentions (a dedup rejection names the conversation it copies).
    String id = browser.eval("(() => { const rs = window.cfReport.data.records;"
        + " return rs.find(r => rs.filter(x => JSON.stringify(x).includes(r.id)).length === 1)"
        + ".id; })()").asText();
    browser.eval("(() => { const q = document.querySelector('input[data-filter=q]');"
        + " q.value = " + Json.write(id) + "; q.dispatchEvent(new Event('input')); })()");
    assertEquals(1, browser.eval("document.querySelectorAll('#list li').length").asInt());
    browser.eval("(() => { const q = document.querySelector('input[data-filter=q]');"
        + " q.value = ''; q.dispatchEvent(new Event('input')); })()");
  }

  @Test
  void aClickedRejectionReasonListsItsRecords() throws Exception {
    browser.eval("window.cfReport.showReason('judge_failed:' + " + Json.write(SmallDatasets.IMG)
        + ")");
    assertEquals(1, browser.eval("window.cfReport.matching").asInt());
    assertEquals("rejected-xss", browser.eval("document.querySelector('#list li').dataset.id")
        .asText());
    browser.eval("window.cfReport.showReason(''); window.cfReport.state.status = '';"
        + " window.cfReport.renderList()");
  }

  @Test
  void xssPayloadsShowAsTextAndRunNothing() throws Exception {
    browser.eval("window.cfReport.showRecord(window.cfReport.data.records.find(r => r.id === "
        + Json.write(SmallDatasets.XSS_ID) + "))");
    String text = browser.eval("document.getElementById('detail').textContent").asText();
    assertTrue(text.contains(SmallDatasets.SCRIPT), text);
    assertTrue(text.contains(SmallDatasets.IMG));
    assertTrue(text.contains(SmallDatasets.LINK));
    assertTrue(text.contains(SmallDatasets.XSS_ID));
    browser.eval("window.cfReport.showRecord(window.cfReport.data.records.find(r => r.id ==="
        + " 'rejected-xss'))");
    assertTrue(browser.eval("document.getElementById('detail').textContent").asText()
        .contains(SmallDatasets.CLOSE));
    assertTrue(browser.eval("typeof window.__xss === 'undefined'").asBoolean());
    assertEquals(0, browser.eval("document.querySelectorAll('main img, main script,"
        + " main a[href^=javascript], main [onerror]').length").asInt());
    assertEquals(2, browser.eval("document.querySelectorAll('script').length").asInt());
    assertEquals(List.of(), browser.errors());
  }

  @Test
  void aBlockedScriptIsReportedAsAnError() throws Exception {
    // The error collection itself must see what the other tests rely on it to see.
    Path page = tmp.resolve("blocked.html");
    Files.writeString(page, "<!DOCTYPE html><meta http-equiv=\"Content-Security-Policy\""
        + " content=\"default-src 'none'\"><p>x</p><script>window.ran = 1</script>");
    try (Chromium other = Chromium.launch()) {
      other.navigate(page.toUri().toString());
      assertTrue(other.eval("typeof window.ran === 'undefined'").asBoolean());
      assertTrue(other.errors().stream().anyMatch(e -> e.contains("Content Security Policy")),
          other.errors().toString());
    }
  }
}
