package io.convoforge.family.scenario.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import io.convoforge.core.input.JsonSchemas;
import io.convoforge.core.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A spec's YAML front matter: the tree with keys lower-cased, and the file line of every value by
 * JSON pointer ({@code /timing/latency_seconds/agent}), so that problems name lines, not paths.
 */
final class FrontMatter {
  static final String SCHEMA_RESOURCE = "/schemas/prompt-spec.schema.json";
  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
  private static volatile Schema schema;

  final ObjectNode tree;
  private final Map<String, Integer> lines;
  private final int firstLine;

  private FrontMatter(ObjectNode tree, Map<String, Integer> lines, int firstLine) {
    this.tree = tree;
    this.lines = lines;
    this.firstLine = firstLine;
  }

  /**
   * Parses {@code yaml}, whose first line is file line {@code firstLine}. Throws {@link
   * Malformed} with the file line of the YAML error, or when the YAML is not a mapping.
   */
  static FrontMatter parse(String yaml, int firstLine) throws Malformed {
    JsonNode node;
    try {
      node = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      int at = e.getLocation() == null ? firstLine : firstLine - 1 + e.getLocation().getLineNr();
      throw new Malformed(at, "malformed YAML front matter: " + brief(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (node == null || !node.isObject()) {
      throw new Malformed(firstLine, "front matter must be a YAML mapping (title, language, turns…)");
    }
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser p = YAML.getFactory().createParser(yaml)) {
      p.nextToken();
      walk(p, "", lines, firstLine);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new FrontMatter((ObjectNode) lowerKeys(node), lines, firstLine);
  }

  /** A YAML parser message without its snippets and positions (they count YAML lines). */
  private static String brief(String message) {
    List<String> kept = new java.util.ArrayList<>();
    for (String l : message.split("\n")) {
      if (!l.isBlank() && !Character.isWhitespace(l.charAt(0))) {
        kept.add(l.strip());
      }
    }
    return kept.isEmpty() ? message : String.join("; ", kept);
  }

  /** The file line of the value at {@code pointer}, else of its nearest ancestor. */
  int line(String pointer) {
    String p = pointer;
    while (!p.isEmpty()) {
      Integer l = lines.get(p);
      if (l != null) {
        return l;
      }
      p = p.substring(0, p.lastIndexOf('/'));
    }
    return firstLine;
  }

  /** Schema violations, each as (line, message). */
  List<Map.Entry<Integer, String>> violations() {
    List<Map.Entry<Integer, String>> out = new java.util.ArrayList<>();
    for (Error e : schema().validate(tree)) {
      String pointer = pointer(e);
      String where = pointer.isEmpty() ? "front matter" : pointer.substring(1).replace('/', '.');
      if (e.getProperty() != null && "additionalProperties".equals(e.getKeyword())) {
        pointer = pointer + "/" + e.getProperty().toLowerCase(Locale.ROOT);
      }
      out.add(Map.entry(line(pointer), where + ": " + e.getMessage()));
    }
    return out;
  }

  private static String pointer(Error e) {
    StringBuilder sb = new StringBuilder();
    if (e.getInstanceLocation() != null) {
      for (int i = 0; i < e.getInstanceLocation().getNameCount(); i++) {
        sb.append('/').append(e.getInstanceLocation().getElement(i));
      }
    }
    return sb.toString();
  }

  private static void walk(JsonParser p, String path, Map<String, Integer> out, int firstLine)
      throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String child = path + "/" + p.currentName().toLowerCase(Locale.ROOT);
        out.put(child, firstLine - 1 + p.currentTokenLocation().getLineNr());
        p.nextToken();
        walk(p, child, out, firstLine);
      }
    } else if (t == JsonToken.START_ARRAY) {
      int i = 0;
      while (p.nextToken() != JsonToken.END_ARRAY) {
        String child = path + "/" + i++;
        out.put(child, firstLine - 1 + p.currentTokenLocation().getLineNr());
        walk(p, child, out, firstLine);
      }
    }
  }

  private static JsonNode lowerKeys(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = Json.MAPPER.createObjectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.set(e.getKey().toLowerCase(Locale.ROOT), lowerKeys(e.getValue()));
      }
      return out;
    }
    if (node.isArray()) {
      com.fasterxml.jackson.databind.node.ArrayNode out = Json.MAPPER.createArrayNode();
      node.forEach(n -> out.add(lowerKeys(n)));
      return out;
    }
    return node;
  }

  private static Schema schema() {
    Schema s = schema;
    if (s == null) {
      try (InputStream in = FrontMatter.class.getResourceAsStream(SCHEMA_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + SCHEMA_RESOURCE);
        }
        s = JsonSchemas.compile(Json.MAPPER.readTree(in));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      schema = s;
    }
    return s;
  }

  /** The front matter is not YAML, or not a mapping. */
  static final class Malformed extends Exception {
    final int line;

    Malformed(int line, String message) {
      super(message);
      this.line = line;
    }
  }
}
