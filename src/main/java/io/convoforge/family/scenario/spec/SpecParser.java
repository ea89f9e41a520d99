package io.convoforge.family.scenario.spec;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.input.InputException;
import io.convoforge.core.input.Problem;
import io.convoforge.family.scenario.model.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a prompt specification line by line, as markdown allows: CRLF or LF, trailing spaces,
 * {@code -}/{@code *}/{@code +} bullets, keys in any case, headings before and after the
 * catalogue, fenced code (never read as headings). Collects every problem before failing.
 */
final class SpecParser {
  static final List<String> REQUIRED = List.of("intent", "tone", "progression");
  private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})(?:[ \\t]+(.*?))?$");
  private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)");
  private static final Pattern ENTRY = Pattern.compile("^(\\S+)[ \\t]+[—–-][ \\t]+(\\S.*)$");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,39}");
  private static final Pattern BULLET = Pattern.compile("^ {0,3}[-*+][ \\t]+(.*)$");
  private static final Pattern KEY_VALUE = Pattern.compile("^([^:]{1,60}?)[ \\t]*:[ \\t]*(.*)$");
  private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]*");

  private final String file;
  private final String text;
  private final String[] lines;
  private final List<Problem> problems = new ArrayList<>();

  SpecParser(String file, String text) {
    this.file = file;
    this.text = text;
    String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
    this.lines = body.split("\r\n|\r|\n", -1);
  }

  PromptSpec parse() {
    int fmEnd = frontMatterEnd();
    FrontMatter fm = null;
    if (fmEnd > 0) {
      StringBuilder yaml = new StringBuilder();
      for (int i = 1; i < fmEnd; i++) {
        yaml.append(lines[i]).append('\n');
      }
      try {
        fm = FrontMatter.parse(yaml.toString(), 2);
      } catch (FrontMatter.Malformed e) {
        problem(e.line, e.getMessage());
      }
    }
    Header h = fm == null ? null : header(fm);
    String catalogue = h == null ? "Scenarios" : h.catalogue;
    int catalogueKeyLine = fm == null ? 1 : fm.line("/catalogue");
    Body body = body(fmEnd < 0 ? 0 : fmEnd + 1, catalogue, catalogueKeyLine);
    if (!problems.isEmpty() || h == null) {
      throw new InputException(problems);
    }
    String sha = sha256(text);
    return new PromptSpec(file, "p-" + sha.substring(0, 12), sha, h.title, h.language, h.first,
        h.turns, catalogue, h.company, h.timing, body.system, body.scenarios);
  }

  /** The index of the closing {@code ---} line, or -1 (with a problem) when there is none. */
  private int frontMatterEnd() {
    if (!lines[0].strip().equals("---")) {
      problem(1, "expected YAML front matter: a first line '---', the keys (title, language,"
          + " turns…), then a line '---'");
      return -1;
    }
    for (int i = 1; i < lines.length; i++) {
      String l = lines[i].strip();
      if (l.equals("---") || l.equals("...")) {
        return i;
      }
    }
    problem(1, "the front matter opened on line 1 is never closed by a line '---'");
    return -1;
  }

  private record Header(String title, String language, Role first, int turns, String catalogue,
      String company, Timing timing) {}

  private Header header(FrontMatter fm) {
    int before = problems.size();
    for (Map.Entry<Integer, String> v : fm.violations()) {
      problem(v.getKey(), v.getValue());
    }
    JsonNode t = fm.tree;
    Timing timing = null;
    if (t.path("timing").isObject()) {
      timing = timing(fm, t.path("timing"));
    }
    if (problems.size() > before) {
      return null;
    }
    Role first = t.has("first") ? Role.parse(t.get("first").asText()) : Role.AGENT;
    return new Header(t.get("title").asText().strip(), t.get("language").asText(), first,
        t.get("turns").asInt(), t.path("catalogue").asText("Scenarios").strip(),
        t.has("company") ? t.get("company").asText().strip() : null, timing);
  }

  private Timing timing(FrontMatter fm, JsonNode timing) {
    OffsetDateTime start = null;
    if (timing.path("start").isTextual()) {
      try {
        start = OffsetDateTime.parse(timing.get("start").asText().strip());
      } catch (DateTimeParseException e) {
        problem(fm.line("/timing/start"), "timing.start: expected an ISO-8601 date-time with an"
            + " offset, such as 2026-03-02T09:00:00+01:00");
      }
    }
    Timing.Range agent = range(fm, timing.path("latency_seconds"), "agent");
    Timing.Range client = range(fm, timing.path("latency_seconds"), "client");
    return start == null || agent == null || client == null
        ? null : new Timing(start, agent, client);
  }

  private Timing.Range range(FrontMatter fm, JsonNode latency, String role) {
    JsonNode r = latency.path(role);
    if (!r.isArray() || r.size() != 2 || !r.get(0).canConvertToInt() || !r.get(1).canConvertToInt()) {
      return null;
    }
    int min = r.get(0).asInt();
    int max = r.get(1).asInt();
    if (min > max) {
      problem(fm.line("/timing/latency_seconds/" + role), "timing.latency_seconds." + role
          + ": min " + min + " is greater than max " + max + " (expected [min, max])");
      return null;
    }
    return min < 1 ? null : new Timing.Range(min, max);
  }

  private record Body(String system, List<Scenario> scenarios) {}

  private Body body(int from, String catalogue, int catalogueKeyLine) {
    StringBuilder system = new StringBuilder();
    List<Scenario> scenarios = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    Entry entry = null;
    int catalogueLine = -1;
    boolean inCatalogue = false;
    boolean fenced = false;
    String lastKey = null;
    for (int i = from; i < lines.length; i++) {
      String line = lines[i].stripTrailing();
      int lineNo = i + 1;
      Matcher h = fenced ? null : HEADING.matcher(line);
      if (FENCE.matcher(line).find()) {
        fenced = !fenced;
      } else if (h != null && h.matches()) {
        int level = h.group(1).length();
        String title = h.group(2) == null ? "" : h.group(2).replaceAll("[ \\t]+#+$", "").strip();
        if (level <= 2 && inCatalogue) {
          inCatalogue = false;
        }
        if (level == 2 && title.equalsIgnoreCase(catalogue)) {
          if (catalogueLine > 0) {
            problem(lineNo, "a second catalogue heading '## " + title + "' (the first is on line "
                + catalogueLine + ")");
          }
          catalogueLine = lineNo;
          inCatalogue = true;
          entry = finish(entry, scenarios, seen);
          continue;
        }
        if (inCatalogue && level == 3) {
          entry = finish(entry, scenarios, seen);
          Matcher m = ENTRY.matcher(title);
          if (!m.matches()) {
            problem(lineNo, "expected a scenario heading '### ID — title' (an id, a dash, a"
                + " title), got '" + title + "'");
          } else if (!ID.matcher(m.group(1)).matches()) {
            problem(lineNo, "scenario id '" + m.group(1) + "': expected letters, digits, '.',"
                + " '_' or '-' (at most 40, starting with a letter or digit)");
          } else {
            entry = new Entry(m.group(1), m.group(2).strip(), lineNo);
          }
          lastKey = null;
          continue;
        }
        if (inCatalogue) {
          lastKey = null;
          continue;
        }
      }
      if (!inCatalogue) {
        entry = finish(entry, scenarios, seen);
        system.append(lines[i].stripTrailing()).append('\n');
        continue;
      }
      if (entry == null) {
        continue;
      }
      lastKey = entryLine(entry, line, lineNo, lastKey);
    }
    finish(entry, scenarios, seen);
    if (catalogueLine < 0) {
      problem(catalogueKeyLine, "no catalogue: expected a level-2 heading '## " + catalogue
          + "' holding the scenarios");
    } else if (scenarios.isEmpty() && seen.isEmpty()) {
      problem(catalogueLine, "the catalogue '## " + catalogue + "' has no scenario (expected"
          + " '### ID — title' headings with '- intent:', '- tone:', '- progression:' lines)");
    }
    return new Body(system.toString().strip(), scenarios);
  }

  /** Reads one catalogue line into the entry; returns the key a continuation line extends. */
  private String entryLine(Entry entry, String line, int lineNo, String lastKey) {
    if (line.isBlank()) {
      return null;
    }
    Matcher b = BULLET.matcher(line);
    if (b.matches()) {
      Matcher kv = KEY_VALUE.matcher(b.group(1));
      String key = kv.matches() ? normalizeKey(kv.group(1)) : null;
      if (key == null || !KEY.matcher(key).matches()) {
        entry.note(b.group(1).strip());
        return "notes";
      }
      if (entry.fields.containsKey(key)) {
        problem(lineNo, "scenario " + entry.id + ": '" + key + "' given twice (first on line "
            + entry.keyLines.get(key) + ")");
        return null;
      }
      entry.fields.put(key, kv.group(2).strip());
      entry.keyLines.put(key, lineNo);
      return key;
    }
    if (lastKey != null) {
      entry.fields.merge(lastKey, line.strip(), (a, c) -> a.isEmpty() ? c : a + " " + c);
      return lastKey;
    }
    entry.note(line.strip());
    return "notes";
  }

  private static String normalizeKey(String raw) {
    return raw.replaceAll("[*_`]", " ").strip().toLowerCase(Locale.ROOT).replaceAll("[ \\t-]+", "_");
  }

  private Entry finish(Entry e, List<Scenario> scenarios, Map<String, Integer> seen) {
    if (e == null) {
      return null;
    }
    Integer previous = seen.putIfAbsent(e.id, e.line);
    if (previous != null) {
      problem(e.line, "scenario id '" + e.id + "' is already used on line " + previous);
      return null;
    }
    List<String> missing = new ArrayList<>();
    for (String k : REQUIRED) {
      String v = e.fields.get(k);
      if (v == null || v.isBlank()) {
        missing.add(k);
      }
    }
    if (!missing.isEmpty()) {
      problem(e.line, "scenario " + e.id + ": missing " + String.join(", ", missing)
          + " (expected '- " + missing.get(0) + ": …' lines under the heading)");
      return null;
    }
    scenarios.add(new Scenario(e.id, e.title, e.fields, e.line));
    return null;
  }

  private static final class Entry {
    final String id;
    final String title;
    final int line;
    final Map<String, String> fields = new LinkedHashMap<>();
    final Map<String, Integer> keyLines = new HashMap<>();

    Entry(String id, String title, int line) {
      this.id = id;
      this.title = title;
      this.line = line;
    }

    void note(String s) {
      fields.merge("notes", s, (a, b) -> a + " " + b);
    }
  }

  private void problem(int line, String message) {
    problems.add(new Problem(file, "line " + line, message));
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
