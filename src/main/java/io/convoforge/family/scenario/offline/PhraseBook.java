package io.convoforge.family.scenario.offline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.convoforge.core.input.InputException;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One language's phrase bank ({@code transforms/scenario-dialogue/phrases/<lang>.yaml}), compiled:
 * the sentences of each call step by speaker (a list, or a mapping by tone class with a {@code
 * calm} fallback), the filler exchanges, the names, month names and number formats the writer
 * draws details from, and the word stems that put a scenario's free-text tone in a class.
 *
 * <p>Fails with an {@link InputException} naming the bank file and the entry that is missing or
 * malformed, or a sentence with an unknown placeholder.
 */
final class PhraseBook implements Serializable {
  static final String CALM = "calm";
  static final List<String> AGENT_STEPS = List.of("greeting", "greeting_reply", "ask_identity",
      "acknowledge", "step", "steps", "resolution", "recap", "recap_close", "resolution_close",
      "closing");
  static final List<String> CLIENT_STEPS = List.of("opening", "intent", "identity", "detail",
      "detail_lead", "step_reply", "confirm", "nothing_else", "goodbye");

  final String file;
  final List<String> tones = new ArrayList<>();
  private final Map<String, List<String>> toneStems = new LinkedHashMap<>();
  private final Map<String, Template[][]> steps = new LinkedHashMap<>();
  final Template[] fillerAgent;
  final Template[] fillerClient;
  final String[] agentNames;
  final String[] clientNames;
  final String[] surnames;
  final String[] months;
  final String account;
  final String ref;
  final String phone;
  final String postcode;
  final Template date;
  final Template amount;
  final int amountMin;
  final int amountMax;
  final String and;
  final String company;
  /** Between groups of three digits of an amount's whole part ("," in en), or empty. */
  final String thousands;

  @SuppressWarnings("unchecked")
  private PhraseBook(String file, Map<String, Object> root) {
    this.file = file;
    tones.add(CALM);
    Object t = root.get("tones");
    if (t instanceof Map) {
      for (Map.Entry<String, Object> e : ((Map<String, Object>) t).entrySet()) {
        tones.add(e.getKey());
        toneStems.put(e.getKey(), strings(e.getValue(), "tones." + e.getKey()));
      }
    }
    for (String s : AGENT_STEPS) {
      steps.put("agent." + s, toned(map(root, "agent").get(s), "agent." + s));
    }
    for (String s : CLIENT_STEPS) {
      steps.put("client." + s, toned(map(root, "client").get(s), "client." + s));
    }
    Object f = root.get("fillers");
    if (!(f instanceof List) || ((List<?>) f).isEmpty()) {
      throw bad("fillers", "expected a list of {agent: …, client: …} exchanges");
    }
    List<Object> fillers = (List<Object>) f;
    fillerAgent = new Template[fillers.size()];
    fillerClient = new Template[fillers.size()];
    for (int i = 0; i < fillers.size(); i++) {
      if (!(fillers.get(i) instanceof Map)) {
        throw bad("fillers[" + i + "]", "expected {agent: …, client: …}");
      }
      Map<String, Object> pair = (Map<String, Object>) fillers.get(i);
      fillerAgent[i] = compile(text(pair.get("agent"), "fillers[" + i + "].agent"),
          "fillers[" + i + "].agent");
      fillerClient[i] = compile(text(pair.get("client"), "fillers[" + i + "].client"),
          "fillers[" + i + "].client");
    }
    Map<String, Object> names = map(root, "names");
    agentNames = strings(names.get("agent"), "names.agent").toArray(new String[0]);
    clientNames = strings(names.get("client"), "names.client").toArray(new String[0]);
    surnames = strings(names.get("surname"), "names.surname").toArray(new String[0]);
    months = strings(root.get("months"), "months").toArray(new String[0]);
    if (months.length != 12) {
      throw bad("months", "expected the 12 month names, got " + months.length);
    }
    Map<String, Object> formats = map(root, "formats");
    account = text(formats.get("account"), "formats.account");
    ref = text(formats.get("ref"), "formats.ref");
    phone = text(formats.get("phone"), "formats.phone");
    postcode = text(formats.get("postcode"), "formats.postcode");
    date = compile(text(formats.get("date"), "formats.date"), "formats.date");
    amount = compile(text(formats.get("amount"), "formats.amount"), "formats.amount");
    List<String> range = strings(root.get("amount_range"), "amount_range");
    try {
      amountMin = Integer.parseInt(range.get(0));
      amountMax = Integer.parseInt(range.get(range.size() - 1));
    } catch (NumberFormatException e) {
      throw bad("amount_range", "expected [min, max] whole amounts");
    }
    if (range.size() != 2 || amountMin < 0 || amountMin > amountMax) {
      throw bad("amount_range", "expected [min, max] with 0 <= min <= max");
    }
    and = text(root.get("and"), "and");
    thousands = formats.get("thousands") == null ? "" : formats.get("thousands").toString();
    company = text(root.get("company_fallback"), "company_fallback");
  }

  @SuppressWarnings("unchecked")
  static PhraseBook parse(String file, String yaml) {
    Object root;
    try {
      root = new YAMLMapper().readValue(yaml, Object.class);
    } catch (JsonProcessingException e) {
      throw new InputException(file, e.getLocation() == null ? null
          : "line " + e.getLocation().getLineNr(), "malformed YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InputException(file, null, e.getMessage());
    }
    if (!(root instanceof Map)) {
      throw new InputException(file, null, "expected a YAML mapping (agent, client, fillers…)");
    }
    return new PhraseBook(file, (Map<String, Object>) root);
  }

  /** The sentences of {@code step} ({@code agent.greeting}) for a tone class index. */
  Template[] sentences(String step, int tone) {
    Template[][] byTone = steps.get(step);
    Template[] t = byTone[tone];
    return t != null ? t : byTone[0];
  }

  /** The tone class index of a scenario's free-text tone: the first class one of whose stems it contains. */
  int toneOf(String tone) {
    String t = tone.toLowerCase(Locale.ROOT);
    for (int i = 1; i < tones.size(); i++) {
      for (String stem : toneStems.get(tones.get(i))) {
        if (t.contains(stem.toLowerCase(Locale.ROOT))) {
          return i;
        }
      }
    }
    return 0;
  }

  @SuppressWarnings("unchecked")
  private Template[][] toned(Object v, String where) {
    Template[][] out = new Template[tones.size()][];
    if (v instanceof List) {
      Template[] all = compileAll(strings(v, where), where);
      java.util.Arrays.fill(out, all);
      return out;
    }
    if (!(v instanceof Map)) {
      throw bad(where, "expected a list of sentences, or a mapping from tone class ("
          + String.join(", ", tones) + ") to sentences");
    }
    Map<String, Object> m = (Map<String, Object>) v;
    for (String k : m.keySet()) {
      int i = tones.indexOf(k);
      if (i < 0) {
        throw bad(where + "." + k, "unknown tone class; expected one of " + tones);
      }
      out[i] = compileAll(strings(m.get(k), where + "." + k), where + "." + k);
    }
    if (out[0] == null) {
      throw bad(where, "a mapping by tone needs a '" + CALM + "' entry (the fallback)");
    }
    return out;
  }

  private Template[] compileAll(List<String> texts, String where) {
    Template[] out = new Template[texts.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = compile(texts.get(i), where + "[" + i + "]");
    }
    return out;
  }

  private Template compile(String text, String where) {
    try {
      return Template.compile(text);
    } catch (IllegalArgumentException e) {
      throw bad(where, e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> map(Map<String, Object> root, String key) {
    Object v = root.get(key);
    if (!(v instanceof Map)) {
      throw bad(key, "missing: expected a mapping");
    }
    return (Map<String, Object>) v;
  }

  private List<String> strings(Object v, String where) {
    if (!(v instanceof List) || ((List<?>) v).isEmpty()) {
      throw bad(where, "missing: expected a non-empty list");
    }
    List<String> out = new ArrayList<>();
    for (Object o : (List<?>) v) {
      if (o == null || o instanceof Map || o instanceof List || o.toString().isBlank()) {
        throw bad(where, "expected plain non-empty strings");
      }
      out.add(o.toString());
    }
    return out;
  }

  private String text(Object v, String where) {
    if (v == null || v instanceof Map || v instanceof List || v.toString().isBlank()) {
      throw bad(where, "missing: expected a string");
    }
    return v.toString();
  }

  private InputException bad(String where, String message) {
    return new InputException(file, where, message);
  }
}
