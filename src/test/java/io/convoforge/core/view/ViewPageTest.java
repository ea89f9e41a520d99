package io.convoforge.core.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.model.Json;
import io.convoforge.testing.SmallDatasets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report page's HTML without a browser: dataset text cannot leave the JSON island, the
 * policy allows only the page's own script and style, the sample is bounded and deterministic,
 * and the statistics count every record, not the sample.
 */
class ViewPageTest {
  @TempDir static Path tmp;
  static Path dir;

  @BeforeAll
  static void make() throws Exception {
    dir = SmallDatasets.copy(SmallDatasets.toolUse(60), tmp.resolve("crm"));
    SmallDatasets.plantXss(dir);
  }

  @Test
  void datasetTextCannotCloseTheJsonIsland() {
    String html = ViewPage.html(ViewData.of(dir, ViewData.Options.DEFAULT), "t</title><b>");
    // Exactly the page's two script elements, whatever the data holds.
    assertEquals(2, count(html, "<script"));
    assertEquals(2, count(html, "</script>"));
    assertFalse(html.contains("onerror=\""), "no attribute markup from the data");
    assertFalse(html.contains("window.__xss='close'</script>"));
    assertTrue(html.contains("\\u003cscript\\u003ewindow.__xss='script'\\u003c/script\\u003e"));
    assertTrue(html.contains("<title>t&lt;/title&gt;&lt;b&gt;</title>"));
    JsonNode records = Json.parse(island(html)).get("records");
    JsonNode planted = null;
    for (JsonNode r : records) {
      if (SmallDatasets.XSS_ID.equals(r.path("id").asText())) {
        planted = r;
      }
    }
    assertEquals(SmallDatasets.PAYLOAD, planted.get("messages").get(0).get("text").asText(),
        "the island parses back to the exact text");
  }

  @Test
  void thePolicyAllowsOnlyTheInlinedScriptAndStyle() {
    String html = ViewPage.html(ViewData.of(dir, new ViewData.Options(5, 1)), "t");
    Matcher m = Pattern.compile("content=\"(default-src 'none'; script-src '(sha256-[^']+)';"
        + " style-src '(sha256-[^']+)'; img-src data:[^\"]*)\"").matcher(html);
    assertTrue(m.find(), "a CSP meta element");
    String script = html.substring(html.lastIndexOf("<script>") + 8, html.lastIndexOf("</script>"));
    assertEquals(m.group(2), ViewPage.sha256(script));
    String css = html.substring(html.indexOf("<style>") + 7, html.indexOf("</style>"));
    assertEquals(m.group(3), ViewPage.sha256(css));
    String page = html.replace(island(html), "").replace("\"http://www.w3.org/2000/svg\"", "");
    assertFalse(page.contains("http://") || page.contains("https://") || page.contains("<link")
        || page.contains("@import") || page.contains("url("), "nothing refers to a host");
  }

  @Test
  void aPlaceholderInTheDataIsNotExpanded() {
    assertEquals("a {{CSS}} b", ViewPage.fill("a {{X}} b", Map.of("X", "{{CSS}}")));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theSampleIsBoundedAndTheStatisticsCountEverything() {
    Map<String, Object> small = ViewData.of(dir, new ViewData.Options(10, 0));
    Map<String, Object> s = (Map<String, Object>) small.get("sample");
    assertEquals(60L, s.get("accepted_total"));
    assertEquals(10, s.get("accepted_shown"));
    assertEquals(10, ((List<?>) small.get("records")).size());
    Map<Integer, Long> turns = (Map<Integer, Long>) ((Map<String, Object>) small.get("turns"))
        .get("counts");
    assertEquals(60L, turns.values().stream().mapToLong(Long::longValue).sum());
    assertEquals(1L, ((Map<String, Long>) small.get("rejected_by_reason")).values().stream()
        .mapToLong(Long::longValue).sum());
    Map<String, Map<String, Long>> bySlice = (Map<String, Map<String, Long>>)
        small.get("accepted_by_slice");
    assertEquals(60L, bySlice.get("outcome").values().stream().mapToLong(Long::longValue).sum());
    // Bottom-k by id hash: the same ids every time, and a bigger sample contains a smaller one.
    List<String> a = ids(small);
    assertEquals(a, ids(ViewData.of(dir, new ViewData.Options(10, 0))));
    assertTrue(ids(ViewData.of(dir, new ViewData.Options(20, 0))).containsAll(a));
  }

  @SuppressWarnings("unchecked")
  private static List<String> ids(Map<String, Object> d) {
    return ((List<com.fasterxml.jackson.databind.node.ObjectNode>) d.get("records")).stream()
        .map(o -> o.get("id").asText()).toList();
  }

  private static String island(String html) {
    int start = html.indexOf("id=\"cf-data\">") + "id=\"cf-data\">".length();
    return html.substring(start, html.indexOf("</script>", start));
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
