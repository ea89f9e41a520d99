package io.convoforge.family.tooluse.gen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.convoforge.core.input.InputException;
import io.convoforge.core.input.InputFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The offline utterance writer's sentences, loaded from {@code
 * transforms/tool-use/utterances/phrases.yaml} (editable without recompiling). A lookup path
 * such as {@code user.open} gives a list, or a mapping by style merged with its {@code any}
 * entry. A bank lacking any of the {@link #REQUIRED} paths is an input error naming the path.
 */
public final class PhraseBank implements Serializable {
  public static final String DEFAULT_RESOURCE = "/transforms/tool-use/utterances/phrases.yaml";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

  /** Every path the offline dialogue writer says something from. */
  public static final List<String> REQUIRED = List.of("styles", "roles", "user.open",
      "user.request.create", "user.request.get", "user.request.search", "user.request.update",
      "user.request.delete", "user.remembered", "user.try_id", "user.ask.create",
      "user.ask.update", "user.provide_part", "user.provide", "user.unavailable", "user.standin",
      "user.confirm.correct", "user.confirm.create", "user.confirm.update",
      "user.confirm.delete", "user.find", "user.check", "user.search_after", "user.search_by_parent", "user.show_existing",
      "user.verify", "user.verify_gone", "user.follow_up.parent", "user.follow_up.children",
      "user.follow_up.field", "user.fix", "user.recap", "user.retry.accept", "user.retry.typo",
      "user.retry.wrong_kind", "user.retry.duplicate", "user.retry.found",
      "user.give_up.typo_id", "user.give_up.stale_record", "user.give_up.wrong_kind",
      "user.give_up.duplicate_value", "user.give_up.empty_search",
      "user.give_up.value_unavailable", "user.close_partial", "user.close",
      "user.value.person", "user.value.name", "user.value.link", "user.value.id",
      "user.value.choice", "user.value.number", "user.value.date", "user.value.email",
      "user.value.text", "user.value.yes", "user.value.no",
      "assistant.ask.create", "assistant.ask.create_linked", "assistant.ask.update", "assistant.ask_rest",
      "assistant.readback.create", "assistant.readback.update", "assistant.confirm_delete",
      "assistant.lookup.update", "assistant.lookup.delete", "assistant.find.one",
      "assistant.find.many", "assistant.show", "assistant.find_none", "assistant.check", "assistant.verify",
      "assistant.verify_gone", "assistant.follow_up.parent", "assistant.follow_up.children",
      "assistant.follow_up.children_none", "assistant.follow_up.field", "assistant.unavailable",
      "assistant.recap", "assistant.recap_reads", "assistant.report.create",
      "assistant.report.create_named", "assistant.report.get", "assistant.report.search",
      "assistant.report.search_one", "assistant.report.search_none", "assistant.report.update",
      "assistant.report.delete", "assistant.error.typo_id", "assistant.error.typo_id_suggest",
      "assistant.error.stale_record", "assistant.error.wrong_kind",
      "assistant.error.duplicate_value", "assistant.error.empty_search",
      "assistant.error.value_unavailable", "assistant.error.any", "assistant.skipped",
      "assistant.close", "assistant.close_short", "assistant.close_pending",
      "assistant.close_failure", "assistant.close_failure_nothing");

  private final String source;
  private final Map<String, Object> root;
  private transient Map<String, List<String>> cache;

  private PhraseBank(String source, Map<String, Object> root) {
    this.source = source;
    this.root = root;
  }

  public static PhraseBank load(Path path) {
    return parse(path.toString(), InputFiles.read(path));
  }

  public static PhraseBank loadDefault() {
    try (InputStream in = PhraseBank.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      return parse("classpath:" + DEFAULT_RESOURCE,
          new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  public static PhraseBank parse(String file, String text) {
    Object parsed;
    try {
      parsed = new ObjectMapper(new YAMLFactory()).readValue(text, Object.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      String where = e.getLocation() == null ? null : "line " + e.getLocation().getLineNr();
      throw new InputException(file, where, "malformed YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InputException(file, null, e.getMessage());
    }
    if (!(parsed instanceof Map)) {
      throw new InputException(file, null, "expected a mapping with 'user' and 'assistant'");
    }
    PhraseBank bank = new PhraseBank(file, (Map<String, Object>) parsed);
    for (String required : REQUIRED) {
      if (bank.node(required) == null) {
        throw new InputException(file, "field " + required, "is missing");
      }
    }
    return bank;
  }

  public String source() {
    return source;
  }

  public List<String> list(String path) {
    Object n = node(path);
    List<String> out = new ArrayList<>();
    if (n instanceof List) {
      for (Object o : (List<?>) n) {
        out.add(String.valueOf(o));
      }
    }
    return out;
  }

  /** The phrases at {@code path} for {@code style} (plus the shared "any" ones). */
  public List<String> phrases(String path, String style) {
    if (cache == null) {
      cache = new HashMap<>();
    }
    return cache.computeIfAbsent(path + "#" + style, k -> resolve(path, style));
  }

  private List<String> resolve(String path, String style) {
    Object n = node(path);
    List<String> out = new ArrayList<>();
    if (n instanceof List) {
      out.addAll(list(path));
    } else if (n instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) n;
      for (Object key : new Object[] {style, "any"}) {
        Object v = m.get(key);
        if (v instanceof List) {
          for (Object o : (List<?>) v) {
            out.add(String.valueOf(o));
          }
        }
      }
      if (out.isEmpty()) {
        for (Object v : m.values()) {
          if (v instanceof List) {
            for (Object o : (List<?>) v) {
              out.add(String.valueOf(o));
            }
          }
        }
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(source + ": no phrases at " + path);
    }
    return out;
  }

  public boolean has(String path) {
    return node(path) != null;
  }

  /** Picks a phrase and fills its placeholders; unknown placeholders stay visible as {x}. */
  public String say(Random random, String path, String style, Map<String, String> vars) {
    List<String> options = phrases(path, style);
    return fill(options.get(random.nextInt(options.size())), vars);
  }

  private static final Map<String, List<String>> PARSED = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Fills {@code {name}} placeholders; an unknown one stays visible as is. "a {entity}" becomes
   * "an activity" when the value starts with a vowel. Templates are parsed once per JVM.
   */
  public static String fill(String template, Map<String, String> vars) {
    List<String> parts = PARSED.computeIfAbsent(template, PhraseBank::parse);
    StringBuilder sb = new StringBuilder(template.length() + 64);
    for (int i = 0; i < parts.size(); i++) {
      String part = parts.get(i);
      if (i % 2 == 0) {
        sb.append(part);
        continue;
      }
      String v = vars.get(part);
      if (v == null) {
        sb.append('{').append(part).append('}');
        continue;
      }
      int n = sb.length();
      if (!v.isEmpty() && "aeioAEIO".indexOf(v.charAt(0)) >= 0 && n >= 2
          && sb.charAt(n - 1) == ' ' && (sb.charAt(n - 2) == 'a' || sb.charAt(n - 2) == 'A')
          && (n == 2 || !Character.isLetter(sb.charAt(n - 3)))) {
        sb.insert(n - 1, 'n');
      }
      sb.append(v);
    }
    return sb.toString();
  }

  /** Literal, name, literal, name, ..., literal. */
  private static List<String> parse(String template) {
    List<String> parts = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(template);
    int at = 0;
    while (m.find()) {
      parts.add(template.substring(at, m.start()));
      parts.add(m.group(1));
      at = m.end();
    }
    parts.add(template.substring(at));
    return parts;
  }

  private Object node(String path) {
    Object at = root;
    for (String part : path.split("\\.")) {
      if (!(at instanceof Map)) {
        return null;
      }
      at = ((Map<?, ?>) at).get(part);
    }
    return at;
  }
}
