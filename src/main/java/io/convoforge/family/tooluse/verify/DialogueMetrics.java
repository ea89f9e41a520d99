package io.convoforge.family.tooluse.verify;

import io.convoforge.core.model.ToolCall;
import io.convoforge.core.util.Seeds;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.Turn;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.beam.sdk.values.KV;

/**
 * How much work a tool-use dataset's dialogues carry, with the definitions of issue 16, computed
 * here and nowhere else (the report's {@code dialogue} section, {@code stats}, the gates):
 *
 * <ul>
 *   <li><b>filler share</b>: middle turns (neither the first nor the last) with no tool call whose
 *       assistant reply neither {@linkplain #asks asks for something} nor {@linkplain #newValues
 *       states a value} (an id, a number, a name) not already in the conversation, over all
 *       middle turns. "In the conversation" is the user and assistant text of the earlier turns
 *       and the user's line of this turn (tool results are not shown to the user);
 *   <li><b>adjacent filler pairs</b>: two filler middle turns in a row (recaps never two in a
 *       row);
 *   <li><b>most repeated line</b>, user and assistant: the line (trimmed, whitespace collapsed,
 *       lower-cased) contained in the most conversations, and the share of conversations
 *       containing it;
 *   <li><b>distinct-bigram ratio at 200 conversations</b>: distinct word bigrams over all word
 *       bigrams of the user and assistant text (the core report's tokenisation: lower case,
 *       split on anything not a letter, digit or apostrophe) of the 200 conversations whose
 *       {@code Seeds.hash(id)} is smallest (all of them when there are fewer), so the figure
 *       does not depend on the dataset's size or order;
 *   <li><b>tool calls per conversation</b>: mean and distribution (calls: count of
 *       conversations); <b>read-call share</b>: calls to {@code get_*} and {@code search_*}
 *       tools over all calls;
 *   <li><b>failure causes</b>: failure conversations by {@code metadata.failure_cause}
 *       ({@code unrecorded} when absent).
 * </ul>
 *
 * <p>Computed inside the pipeline as three pieces (see {@code DialogueSummary}): the counts and
 * the bigram sample are a mergeable {@link Acc}, the repeated lines a count per distinct line
 * ({@link #lines}) of which {@link #mostRepeated} keeps the top one; {@link #section} joins
 * them. {@link #of} does the same in memory, for tests and small datasets. No failures: a
 * conversation without turns counts as one with no lines and no calls.
 */
public final class DialogueMetrics {
  /** Conversations the distinct-bigram ratio is measured on. */
  public static final int BIGRAM_SAMPLE = 200;
  /** The metadata key of a failure conversation's cause. */
  public static final String CAUSE_KEY = "failure_cause";
  /** The roles whose lines are counted, in the section's order. */
  public static final List<String> ROLES = List.of("user", "assistant");

  private static final Pattern ASK = Pattern.compile("\\?|\\b(please (send|share|provide|"
      + "confirm|give|tell|check)|let me know|i (still |will |'ll )?need (the|your|a|an|to know)|"
      + "(could|can|would) you (send|share|give|provide|confirm|tell|check))\\b");
  private static final Pattern WORDS = Pattern.compile("[^\\p{L}\\p{N}']+");
  private static final Set<String> NOT_NAMES = Set.of("i", "i'm", "i'll", "i've", "i'd");
  private static final Comparator<Sampled> BY_HASH =
      Comparator.comparingLong(Sampled::hash).thenComparing(Sampled::id);

  private DialogueMetrics() {}

  /** A member of the bigram sample: a conversation's user and assistant texts. */
  public record Sampled(long hash, String id, List<String> texts) {}

  /** The mergeable part of the metrics: plain fields, coded as JSON. */
  public static final class Acc {
    public long conversations;
    public long middleTurns;
    public long fillerTurns;
    public long adjacentFiller;
    public long calls;
    public long reads;
    public Map<String, Long> callDistribution = new TreeMap<>();
    public Map<String, Long> causes = new TreeMap<>();
    /** The {@link #BIGRAM_SAMPLE} conversations of smallest {@code Seeds.hash(id)}, in order. */
    public List<Sampled> sample = new ArrayList<>();

    /** Adds one conversation. */
    public Acc add(Conversation c) {
      conversations++;
      List<Turn> turns = c.turns() == null ? List.of() : c.turns();
      Set<String> seen = new HashSet<>();
      List<String> texts = new ArrayList<>();
      int n = 0;
      boolean lastFiller = false;
      for (int i = 0; i < turns.size(); i++) {
        Turn t = turns.get(i);
        String user = t.user() == null ? "" : t.user();
        String reply = t.responseText() == null ? "" : t.responseText();
        texts.add(user);
        texts.add(reply);
        tokens(user, seen);
        boolean filler = false;
        if (i > 0 && i < turns.size() - 1) {
          middleTurns++;
          filler = t.expectedToolCalls().isEmpty() && !asks(reply)
              && newValues(reply, seen).isEmpty();
          if (filler) {
            fillerTurns++;
            if (lastFiller) {
              adjacentFiller++;
            }
          }
        }
        lastFiller = filler;
        tokens(reply, seen);
        for (ToolCall call : t.expectedToolCalls()) {
          n++;
          if (isRead(call.name())) {
            reads++;
          }
        }
      }
      calls += n;
      callDistribution.merge(String.valueOf(n), 1L, Long::sum);
      if (c.isFailure()) {
        Object cause = c.metadata().get(CAUSE_KEY);
        causes.merge(cause == null ? "unrecorded" : String.valueOf(cause), 1L, Long::sum);
      }
      keep(List.of(new Sampled(Seeds.hash(c.id()), c.id(), texts)));
      return this;
    }

    /** Adds another accumulation into this one. */
    public Acc merge(Acc o) {
      conversations += o.conversations;
      middleTurns += o.middleTurns;
      fillerTurns += o.fillerTurns;
      adjacentFiller += o.adjacentFiller;
      calls += o.calls;
      reads += o.reads;
      o.callDistribution.forEach((k, v) -> callDistribution.merge(k, v, Long::sum));
      o.causes.forEach((k, v) -> causes.merge(k, v, Long::sum));
      keep(o.sample);
      return this;
    }

    private void keep(List<Sampled> more) {
      if (more.size() == 1 && sample.size() == BIGRAM_SAMPLE
          && BY_HASH.compare(more.get(0), sample.get(BIGRAM_SAMPLE - 1)) > 0) {
        return;
      }
      List<Sampled> all = new ArrayList<>(sample);
      all.addAll(more);
      all.sort(BY_HASH);
      sample = new ArrayList<>(all.subList(0, Math.min(BIGRAM_SAMPLE, all.size())));
    }
  }

  /**
   * The distinct lines of one conversation, by role: {@code (role, line)} with the line
   * trimmed, whitespace collapsed and lower-cased, each once however often it is said.
   */
  public static Set<KV<String, String>> lines(Conversation c) {
    Set<KV<String, String>> out = new LinkedHashSet<>();
    for (Turn t : c.turns() == null ? List.<Turn>of() : c.turns()) {
      out.add(KV.of(ROLES.get(0), normalise(t.user() == null ? "" : t.user())));
      out.add(KV.of(ROLES.get(1), normalise(t.responseText() == null ? "" : t.responseText())));
    }
    return out;
  }

  /**
   * Of two {@code (line, conversations)} counts, the one a role's most repeated line is: more
   * conversations, then the smaller text.
   */
  public static KV<String, Long> mostRepeated(KV<String, Long> a, KV<String, Long> b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    int byCount = Long.compare(b.getValue(), a.getValue());
    return byCount < 0 || byCount == 0 && a.getKey().compareTo(b.getKey()) <= 0 ? a : b;
  }

  /**
   * Each role's most repeated line among {@code occurrences} ({@code (role, line)}, one per
   * conversation that says it, as {@link #lines} gives them).
   */
  public static Map<String, KV<String, Long>> mostRepeated(
      Iterable<KV<String, String>> occurrences) {
    Map<KV<String, String>, Long> counts = new HashMap<>();
    occurrences.forEach(l -> counts.merge(l, 1L, Long::sum));
    Map<String, KV<String, Long>> most = new TreeMap<>();
    counts.forEach((l, n) -> most.merge(l.getKey(), KV.of(l.getValue(), n),
        DialogueMetrics::mostRepeated));
    return most;
  }

  /** The metrics of {@code conversations}, in memory. */
  public static Map<String, Object> of(Iterable<Conversation> conversations) {
    Acc acc = new Acc();
    List<KV<String, String>> occurrences = new ArrayList<>();
    for (Conversation c : conversations) {
      acc.add(c);
      occurrences.addAll(lines(c));
    }
    return section(acc, mostRepeated(occurrences));
  }

  /** The report section, from the counts and each role's most repeated line. */
  public static Map<String, Object> section(Acc a, Map<String, KV<String, Long>> most) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("conversations", a.conversations);
    m.put("middle_turns", a.middleTurns);
    m.put("filler_turns", a.fillerTurns);
    m.put("filler_share", share(a.fillerTurns, a.middleTurns));
    m.put("adjacent_filler_pairs", a.adjacentFiller);
    for (String role : ROLES) {
      KV<String, Long> line = most.get(role);
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("text", line == null ? "" : line.getKey());
      l.put("conversations", line == null ? 0L : line.getValue());
      l.put("share", share(line == null ? 0 : line.getValue(), a.conversations));
      m.put("most_repeated_" + role + "_line", l);
    }
    m.put("distinct_bigrams_at_200", bigrams(a.sample));
    Map<String, Object> tc = new LinkedHashMap<>();
    tc.put("total", a.calls);
    tc.put("mean", share(a.calls, a.conversations));
    Map<String, Long> dist = new TreeMap<>(Comparator.comparingInt(Integer::parseInt));
    dist.putAll(a.callDistribution);
    tc.put("distribution", new LinkedHashMap<>(dist));
    m.put("tool_calls", tc);
    m.put("read_calls", a.reads);
    m.put("read_call_share", share(a.reads, a.calls));
    m.put("failure_causes", new TreeMap<>(a.causes));
    return m;
  }

  private static Map<String, Object> bigrams(List<Sampled> sample) {
    Set<String> distinct = new HashSet<>();
    long all = 0;
    for (Sampled s : sample) {
      for (String text : s.texts()) {
        String[] w = WORDS.split(text.toLowerCase(Locale.ROOT));
        for (int i = 0; i + 1 < w.length; i++) {
          if (w[i].isEmpty() || w[i + 1].isEmpty()) {
            continue;
          }
          all++;
          distinct.add(w[i] + ' ' + w[i + 1]);
        }
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ratio", share(distinct.size(), all));
    m.put("conversations", sample.size());
    m.put("bigrams", all);
    m.put("distinct", distinct.size());
    return m;
  }

  private static double share(long part, long whole) {
    return whole == 0 ? 0.0 : round(part / (double) whole);
  }

  /** True when a tool name is a read ({@code get_*}, {@code search_*}). */
  public static boolean isRead(String tool) {
    return tool != null && (tool.startsWith("get_") || tool.startsWith("search_"));
  }

  /**
   * True when a reply asks for something: it has a question mark, or a request such as "please
   * send", "let me know", "I still need the", "could you confirm".
   */
  public static boolean asks(String reply) {
    return ASK.matcher(reply.toLowerCase(Locale.ROOT)).find();
  }

  /**
   * The values {@code reply} states that are not in {@code seen} (lower-cased tokens of the
   * conversation so far). A value is a token with a digit or an {@code @} (ids, numbers, dates,
   * emails), or a capitalised word that does not start a sentence (a name). Tokens lose their
   * surrounding punctuation.
   */
  public static List<String> newValues(String reply, Set<String> seen) {
    List<String> out = new ArrayList<>();
    boolean sentenceStart = true;
    for (String raw : reply.split("\\s+")) {
      String tok = strip(raw);
      if (!tok.isEmpty()) {
        boolean value = tok.chars().anyMatch(Character::isDigit) || tok.indexOf('@') >= 0
            || !sentenceStart && Character.isUpperCase(tok.charAt(0))
            && tok.chars().anyMatch(Character::isLowerCase)
            && !NOT_NAMES.contains(tok.toLowerCase(Locale.ROOT));
        if (value && !seen.contains(tok.toLowerCase(Locale.ROOT))) {
          out.add(tok);
        }
        sentenceStart = false;
      }
      if (!raw.isEmpty() && ".!?:".indexOf(raw.charAt(raw.length() - 1)) >= 0) {
        sentenceStart = true;
      }
    }
    return out;
  }

  /** Adds the lower-cased tokens of {@code text} to {@code into}. */
  static void tokens(String text, Set<String> into) {
    for (String raw : text.split("\\s+")) {
      String tok = strip(raw);
      if (!tok.isEmpty()) {
        into.add(tok.toLowerCase(Locale.ROOT));
      }
    }
  }

  /** Removes leading and trailing characters that are neither letters, digits nor '@'. */
  private static String strip(String raw) {
    int a = 0;
    int b = raw.length();
    while (a < b && !keep(raw.charAt(a))) {
      a++;
    }
    while (b > a && !keep(raw.charAt(b - 1))) {
      b--;
    }
    return raw.substring(a, b);
  }

  private static boolean keep(char ch) {
    return Character.isLetterOrDigit(ch) || ch == '@';
  }

  static String normalise(String line) {
    return line.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }

  static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }
}
