package io.convoforge.family.groundedqa;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.input.InputException;
import io.convoforge.core.input.InputFiles;
import io.convoforge.core.input.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The offline dialogue writer's sentences for grounded Q&A, from {@code
 * transforms/grounded-qa/converse/phrases.yaml} (editable without recompiling). Each path ({@code
 * user.ask}, {@code assistant.answer}...) maps style ids to lists of phrases; a style's phrases are
 * merged with the {@code any} list, which every path must have. Unknown styles get {@code any}.
 *
 * <p>Placeholders are {@link #PLACEHOLDERS} in braces. Paths in {@link #OPTIONAL} may hold empty
 * strings (that part is then left out); {@code user.ask} phrases must hold {@code {question}} or
 * {@code {question_lc}}, {@code assistant.answer} phrases {@code {answer}}, and the assistant's
 * follow-up replies {@code {detail}}, so that no phrase can drop the facts. Errors ({@link
 * InputException}) name the file and the field ({@code field user.ask.casual[2]}). Templates are
 * parsed once at load; filling one is a few appends.
 */
public final class PhraseBank implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String DEFAULT_RESOURCE = "/transforms/grounded-qa/converse/phrases.yaml";
  public static final List<String> PLACEHOLDERS = List.of("question", "question_lc", "topic",
      "answer", "detail", "name", "first_name", "role");
  public static final List<String> FOLLOW_UPS = List.of("clarify", "more", "quote", "scope");
  static final List<String> PATHS = List.of("user.open", "user.ask", "user.clarify", "user.more",
      "user.quote", "user.scope", "user.thanks", "user.sign_off", "assistant.greet",
      "assistant.answer", "assistant.clarify", "assistant.more", "assistant.quote",
      "assistant.scope", "assistant.welcome", "assistant.offer");
  static final List<String> OPTIONAL = List.of("user.open", "user.sign_off", "assistant.greet",
      "assistant.offer");
  private static final Map<String, List<String>> MUST_HOLD = Map.of(
      "user.ask", List.of("question", "question_lc"),
      "assistant.answer", List.of("answer"),
      "assistant.clarify", List.of("detail"),
      "assistant.more", List.of("detail"),
      "assistant.quote", List.of("detail"),
      "assistant.scope", List.of("detail"));

  /** A parsed phrase: {@code literals[i]}, then the value of placeholder {@code slots[i]}, ... */
  record Template(String text, String[] literals, int[] slots) implements Serializable {}

  private final String source;
  /** path → style → phrases (style list merged with "any"); "any" alone under key "any". */
  private final Map<String, Map<String, Template[]>> phrases;

  private PhraseBank(String source, Map<String, Map<String, Template[]>> phrases) {
    this.source = source;
    this.phrases = phrases;
  }

  public static PhraseBank load(Path path) {
    try {
      return parse(path.toString(), Files.readString(path));
    } catch (IOException e) {
      throw new InputException(path.toString(), null, "cannot read: " + e.getMessage());
    }
  }

  public static PhraseBank loadDefault() {
    try (InputStream in = PhraseBank.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULT_RESOURCE + " is not on the classpath");
      }
      return parse("classpath:" + DEFAULT_RESOURCE,
          new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static PhraseBank parse(String file, String yaml) {
    JsonNode root = InputFiles.parseYamlTree(file, yaml,
        "a mapping with 'user' and 'assistant'");
    List<Problem> problems = new ArrayList<>();
    Map<String, Map<String, Template[]>> out = new HashMap<>();
    for (String path : PATHS) {
      JsonNode node = root.at("/" + path.replace('.', '/'));
      if (!node.isObject()) {
        problems.add(new Problem(file, "field " + path,
            node.isMissingNode() ? "is missing" : "expected a mapping of style to phrases"));
        continue;
      }
      Map<String, List<Template>> byStyle = new HashMap<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String where = "field " + path + "." + e.getKey();
        if (!e.getValue().isArray() || e.getValue().isEmpty()) {
          problems.add(new Problem(file, where, "expected a non-empty list of phrases"));
          byStyle.put(e.getKey(), List.of());
          continue;
        }
        List<Template> list = new ArrayList<>();
        for (int i = 0; i < e.getValue().size(); i++) {
          JsonNode p = e.getValue().get(i);
          String at = where + "[" + i + "]";
          String text = p.isNull() ? "" : p.isTextual() ? p.asText() : null;
          if (text == null) {
            problems.add(new Problem(file, at, "expected a string"));
            continue;
          }
          String error = check(path, text);
          if (error != null) {
            problems.add(new Problem(file, at, error));
            continue;
          }
          list.add(compile(text));
        }
        byStyle.put(e.getKey(), list);
      }
      if (!byStyle.containsKey("any")) {
        problems.add(new Problem(file, "field " + path + ".any",
            "is missing (every path needs phrases for any style)"));
        continue;
      }
      Map<String, Template[]> merged = new HashMap<>();
      List<Template> any = byStyle.get("any");
      for (Map.Entry<String, List<Template>> e : byStyle.entrySet()) {
        List<Template> all = new ArrayList<>(e.getValue());
        if (!e.getKey().equals("any")) {
          all.addAll(any);
        }
        merged.put(e.getKey(), all.toArray(Template[]::new));
      }
      out.put(path, merged);
    }
    if (!problems.isEmpty()) {
      throw new InputException(problems);
    }
    return new PhraseBank(file, out);
  }

  public String source() {
    return source;
  }

  /** The phrases of {@code path} for {@code style}, its own ones first, then the "any" ones. */
  public List<String> phrases(String path, String style) {
    List<String> out = new ArrayList<>();
    for (Template t : templates(path, style)) {
      out.add(t.text());
    }
    return out;
  }

  /** A random phrase of {@code path} for {@code style}, placeholders filled from {@code vars}. */
  public String say(SplittableRandom random, String path, String style, Map<String, String> vars) {
    String[] values = new String[PLACEHOLDERS.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = vars.getOrDefault(PLACEHOLDERS.get(i), "");
    }
    return say(random, path, style, values);
  }

  /** As {@link #say(SplittableRandom, String, String, Map)}, values in {@link #PLACEHOLDERS} order. */
  String say(SplittableRandom random, String path, String style, String[] values) {
    Template[] options = templates(path, style);
    return fill(options[random.nextInt(options.length)], values);
  }

  private Template[] templates(String path, String style) {
    Map<String, Template[]> byStyle = phrases.get(path);
    if (byStyle == null) {
      throw new IllegalArgumentException(source + ": no phrases at " + path);
    }
    Template[] t = byStyle.get(style);
    return t != null ? t : byStyle.get("any");
  }

  static String fill(Template t, String[] values) {
    StringBuilder sb = new StringBuilder(t.text().length() + 96);
    String[] lit = t.literals();
    int[] slots = t.slots();
    for (int i = 0; i < slots.length; i++) {
      sb.append(lit[i]).append(values[slots[i]]);
    }
    return sb.append(lit[slots.length]).toString();
  }

  /** Null when the phrase is fine for its path, else what is wrong. */
  private static String check(String path, String text) {
    if (text.isBlank() && !OPTIONAL.contains(path)) {
      return "is empty (only " + String.join(", ", OPTIONAL) + " may hold empty phrases)";
    }
    int at = 0;
    while ((at = text.indexOf('{', at)) >= 0) {
      int end = text.indexOf('}', at);
      String name = end < 0 ? text.substring(at) : text.substring(at + 1, end);
      if (end < 0 || !PLACEHOLDERS.contains(name)) {
        return "unknown placeholder {" + name + "}; known: " + String.join(", ", PLACEHOLDERS);
      }
      at = end + 1;
    }
    List<String> must = MUST_HOLD.get(path);
    if (must != null && must.stream().noneMatch(m -> text.contains("{" + m + "}"))) {
      return "must hold {" + String.join("} or {", must) + "}";
    }
    return null;
  }

  private static Template compile(String text) {
    List<String> literals = new ArrayList<>();
    List<Integer> slots = new ArrayList<>();
    int from = 0;
    int at;
    while ((at = text.indexOf('{', from)) >= 0) {
      int end = text.indexOf('}', at);
      literals.add(text.substring(from, at));
      slots.add(PLACEHOLDERS.indexOf(text.substring(at + 1, end)));
      from = end + 1;
    }
    literals.add(text.substring(from));
    return new Template(text, literals.toArray(String[]::new),
        slots.stream().mapToInt(Integer::intValue).toArray());
  }
}
