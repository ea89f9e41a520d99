package io.convoforge.family.scenario.spec;

import io.convoforge.core.input.InputException;
import io.convoforge.core.input.InputFiles;
import io.convoforge.family.scenario.model.Role;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A markdown prompt specification (format: {@code transforms/scenario-dialogue/FORMAT.md}, front
 * matter schema: {@code schemas/prompt-spec.schema.json}), parsed.
 *
 * <p>In: a file name (only for messages) and its text. Out: this record. {@code id} is {@code p-}
 * and the first 12 hex digits of the text's SHA-256, so the same content always gets the same id
 * wherever it lives. {@code system} is the free markdown outside the front matter and the
 * catalogue (the LLM's system prompt); {@code scenarios} keep catalogue order.
 *
 * <p>Fails with one {@link InputException} listing every problem found (malformed YAML, front
 * matter against the schema, {@code min > max} in a latency range, a missing catalogue heading, no
 * scenario, a duplicate or malformed id, a missing required key), each with the file and line.
 */
public record PromptSpec(
    String file,
    String id,
    String sha256,
    String title,
    String language,
    Role first,
    int turns,
    String catalogue,
    String company,
    Timing timing,
    String system,
    List<Scenario> scenarios)
    implements Serializable {

  public PromptSpec {
    scenarios = List.copyOf(scenarios);
  }

  /** Parses {@code text}; {@code file} names it in problems. */
  public static PromptSpec parse(String file, String text) {
    return new SpecParser(file, text).parse();
  }

  /**
   * Reads and parses a file (UTF-8). A missing, unreadable or non-UTF-8 file is an {@link
   * InputException} too.
   */
  public static PromptSpec read(Path path) {
    return parse(path.toString(), InputFiles.read(path));
  }

  public Optional<Scenario> scenario(String scenarioId) {
    return scenarios.stream().filter(s -> s.id().equals(scenarioId)).findFirst();
  }

  /** The primary language subtag, lower-case ({@code es} for {@code es-ES}). */
  public String primaryLanguage() {
    int dash = language.indexOf('-');
    return (dash < 0 ? language : language.substring(0, dash)).toLowerCase(java.util.Locale.ROOT);
  }
}
