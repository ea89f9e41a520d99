package io.convoforge.core.input;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.convoforge.core.model.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reading a user's input files: the text of a file, JSON and YAML documents, each failure an
 * {@link InputException} naming the file (and the line and column where the parser stopped).
 */
public final class InputFiles {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private InputFiles() {}

  /** The file's text (UTF-8); not found, a directory or unreadable is an input error. */
  public static String read(Path path) {
    if (!Files.exists(path)) {
      throw new InputException(path.toString(), null, "file not found");
    }
    if (Files.isDirectory(path)) {
      throw new InputException(path.toString(), null, "is a directory; expected a file");
    }
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (java.nio.charset.MalformedInputException e) {
      throw new InputException(path.toString(), null, "is not UTF-8 text");
    } catch (IOException e) {
      throw new InputException(path.toString(), null, "cannot read: " + e.getMessage());
    }
  }

  /** Parses JSON text, turning Jackson's errors into a line/column message. */
  public static JsonNode parseJson(String file, String text, String expected) {
    if (text.isBlank()) {
      throw new InputException(file, null, "the file is empty; expected " + expected);
    }
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InputException(file, where(e), "malformed JSON: " + e.getOriginalMessage());
    }
  }

  /** Parses a YAML mapping ({@code expected} says what it should hold when it is not one). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseYamlMapping(String file, String text, String expected) {
    return Json.MAPPER.convertValue(parseYamlTree(file, text, expected), Map.class);
  }

  /** Parses a YAML document whose root is a mapping, as a JSON tree (for schema checks). */
  public static JsonNode parseYamlTree(String file, String text, String expected) {
    if (text == null || text.isBlank()) {
      throw new InputException(file, null, "the file is empty; expected " + expected);
    }
    JsonNode parsed;
    try {
      parsed = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InputException(file, where(e), "malformed YAML: " + e.getOriginalMessage());
    }
    if (parsed == null || !parsed.isObject()) {
      throw new InputException(file, null, "expected " + expected);
    }
    return parsed;
  }

  /** A JSON document shipped inside the jar (a schema), by its resource path. */
  public static JsonNode resourceJson(String path) {
    try (java.io.InputStream in = InputFiles.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("no resource " + path);
      }
      return Json.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Parses a YAML value given on the command line; text that is not YAML stays a string. */
  public static Object parseYamlValue(String text) {
    if (text.isEmpty()) {
      return "";
    }
    try {
      return YAML.readValue(text, Object.class);
    } catch (IOException e) {
      return text;
    }
  }

  private static String where(JsonProcessingException e) {
    return e.getLocation() == null ? null
        : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }
}
