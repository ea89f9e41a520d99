package io.convoforge.core.view;

import io.convoforge.core.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The report page: one self-contained HTML file. The page's script and style are hand-written
 * resources ({@code /view/*.js}, {@code /view/page.css}) inlined at generation; the dataset is a
 * JSON island ({@code <script type="application/json">}) that the script reads and renders with
 * {@code textContent} and DOM nodes only, never as markup. The JSON has {@code <}, {@code >},
 * {@code &} and the line separators escaped, so no dataset text can close the island. A
 * Content-Security-Policy allows only the inlined script and style (by hash) and data: images:
 * the page can load nothing from the network and run no other script, whatever the data says.
 */
public final class ViewPage {
  /** The script files, concatenated in this order into the page's one script. */
  static final List<String> SCRIPTS = List.of("format.js", "charts.js", "chat.js", "page.js");

  private ViewPage() {}

  /** The HTML of the page for {@code data} ({@link ViewData#of}). */
  public static String html(Map<String, Object> data, String title) {
    StringBuilder js = new StringBuilder("\"use strict\";\n");
    for (String f : SCRIPTS) {
      js.append(resource(f)).append('\n');
    }
    String script = js.toString();
    String css = resource("page.css");
    String csp = "default-src 'none'; script-src '" + sha256(script) + "'; style-src '"
        + sha256(css) + "'; img-src data:; base-uri 'none'; form-action 'none'";
    return fill(resource("page.html"), Map.of("CSP", csp, "TITLE", escapeHtml(title), "CSS", css,
        "DATA", jsonForScript(Json.write(data)), "SCRIPT", script));
  }

  /**
   * The template with each {@code {{NAME}}} replaced, in one pass over the template only (so a
   * value that happens to contain a placeholder is never expanded).
   */
  static String fill(String template, Map<String, String> values) {
    StringBuilder sb = new StringBuilder(template.length()
        + values.values().stream().mapToInt(String::length).sum());
    int at = 0;
    while (true) {
      int open = template.indexOf("{{", at);
      if (open < 0) {
        break;
      }
      int close = template.indexOf("}}", open);
      String v = values.get(template.substring(open + 2, close));
      if (v == null) {
        throw new IllegalStateException("no value for " + template.substring(open, close + 2));
      }
      sb.append(template, at, open).append(v);
      at = close + 2;
    }
    return sb.append(template, at, template.length()).toString();
  }

  /**
   * JSON safe inside a script element: {@code <}, {@code >} and {@code &} (which JSON only has
   * inside strings) and U+2028/U+2029 as unicode escapes, so {@code </script>} or {@code
   * <!--} in the data cannot end or change the element.
   */
  static String jsonForScript(String json) {
    StringBuilder sb = new StringBuilder(json.length() + 64);
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      switch (c) {
        case '<' -> sb.append("\\u003c");
        case '>' -> sb.append("\\u003e");
        case '&' -> sb.append("\\u0026");
        case '\u2028' -> sb.append("\\u2028");
        case '\u2029' -> sb.append("\\u2029");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  static String escapeHtml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;").replace("'", "&#39;");
  }

  static String sha256(String s) {
    try {
      return "sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String resource(String name) {
    try (InputStream in = ViewPage.class.getResourceAsStream("/view/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource /view/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
