package io.convoforge.family.groundedqa;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import io.convoforge.core.input.InputException;
import io.convoforge.core.input.InputFiles;
import io.convoforge.core.input.JsonSchemas;
import io.convoforge.core.input.Problem;
import io.convoforge.core.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The customers and writing styles of a grounded Q&A run, read from a YAML file documented by
 * {@code schemas/personas.schema.json}:
 *
 * <pre>
 * personas:
 *   - {id: maria, name: Maria Lopez, role: landlord with six flats, topics: [billing, plans]}
 * styles:
 *   - {id: formal, description: Complete sentences, polite, no slang.}
 * </pre>
 *
 * <p>In: the file name (for messages) and its text. Out: the personas and styles in file order.
 * Errors ({@link InputException}, one problem per violation) name the file and the field, as in
 * {@code field personas[3].topics}: malformed YAML (with its line), schema violations, duplicate
 * ids.
 */
public record Personas(List<Persona> personas, List<Style> styles)
    implements Serializable {
  public static final String SCHEMA_RESOURCE = "/schemas/personas.schema.json";
  private static volatile Schema schema;

  public Personas {
    personas = List.copyOf(personas);
    styles = List.copyOf(styles);
  }

  public static Personas load(Path path) {
    try {
      return parse(path.toString(), Files.readString(path));
    } catch (IOException e) {
      throw new InputException(path.toString(), null, "cannot read: " + e.getMessage());
    }
  }

  public static Personas parse(String file, String yaml) {
    JsonNode root = InputFiles.parseYamlTree(file, yaml,
        "a mapping with 'personas' and 'styles'");
    List<Problem> problems = new ArrayList<>();
    for (String v : JsonSchemas.violations(schema(), root)) {
      int colon = v.indexOf(": ");
      String at = colon < 0 ? "$" : v.substring(0, colon);
      String message = colon < 0 ? v : v.substring(colon + 2);
      problems.add(new Problem(file, where(at), message));
    }
    if (!problems.isEmpty()) {
      throw new InputException(problems);
    }
    List<Persona> personas = new ArrayList<>();
    for (JsonNode p : root.get("personas")) {
      personas.add(Json.MAPPER.convertValue(p, Persona.class));
    }
    List<Style> styles = new ArrayList<>();
    for (JsonNode s : root.get("styles")) {
      styles.add(Json.MAPPER.convertValue(s, Style.class));
    }
    duplicates(file, "personas", personas.stream().map(Persona::id).toList(), problems);
    duplicates(file, "styles", styles.stream().map(Style::id).toList(), problems);
    if (!problems.isEmpty()) {
      throw new InputException(problems);
    }
    return new Personas(personas, styles);
  }

  /** The style with this id. */
  public Style style(String id) {
    for (Style s : styles) {
      if (s.id().equals(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException("no style '" + id + "'");
  }

  /**
   * The personas interested in a chunk heading: those with a topic whose content words (plural
   * "s" aside) meet the heading's, in file order; all personas when none matches, so that every
   * chunk can be asked about.
   */
  public List<Persona> forHeading(String heading) {
    Set<String> words = Text.contentWords(heading);
    String lower = heading.toLowerCase(Locale.ROOT);
    List<Persona> out = new ArrayList<>();
    for (Persona p : personas) {
      for (String topic : p.topics()) {
        String t = topic.toLowerCase(Locale.ROOT).strip();
        boolean match = !t.isEmpty() && Text.containsWord(lower, t);
        for (String w : Text.contentWords(topic)) {
          match |= words.contains(w);
        }
        if (match) {
          out.add(p);
          break;
        }
      }
    }
    return out.isEmpty() ? personas : out;
  }

  /**
   * A violation's instance location ({@code /personas/3/topics}, or {@code $.personas[3].topics}
   * depending on the validator's path style) as {@code field personas[3].topics}; the root → null.
   */
  static String where(String location) {
    String p = location.startsWith("$") ? location.substring(1) : location;
    StringBuilder sb = new StringBuilder();
    for (String part : p.split("[/.]")) {
      if (part.isEmpty()) {
        continue;
      }
      if (part.chars().allMatch(Character::isDigit)) {
        sb.append('[').append(part).append(']');
      } else {
        if (sb.length() > 0 && !part.startsWith("[")) {
          sb.append('.');
        }
        sb.append(part.replace("~1", "/").replace("~0", "~"));
      }
    }
    return sb.length() == 0 ? null : "field " + sb;
  }

  private static void duplicates(String file, String list, List<String> ids,
      List<Problem> problems) {
    Map<String, Integer> first = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      Integer before = first.putIfAbsent(ids.get(i), i);
      if (before != null) {
        problems.add(new Problem(file, "field " + list + "[" + i + "].id",
            "duplicate id '" + ids.get(i) + "' (also " + list + "[" + before + "])"));
      }
    }
  }

  private static Schema schema() {
    if (schema == null) {
      try (InputStream in = Personas.class.getResourceAsStream(SCHEMA_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(SCHEMA_RESOURCE + " is not on the classpath");
        }
        schema = JsonSchemas.compile(Json.MAPPER.readTree(in));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return schema;
  }
}
