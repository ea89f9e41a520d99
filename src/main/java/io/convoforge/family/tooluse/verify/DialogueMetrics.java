package io.convoforge.family.tooluse.verify;

import io.convoforge.core.model.ToolCall;
import io.convoforge.core.util.Seeds;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.Turn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

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
 * <p>In: conversations (any backend's). Out: a map of plain values. No failures: a conversation
 * without turns counts as one with no lines and no calls. Not thread-safe.
 */
public final class DialogueMetrics {
  /** Conversations the distinct-bigram ratio is measured on. */
  public static final int BIGRAM_SAMPLE = 200;
  /** The metadata key of a failure conversation's cause. */
  public static final String CAUSE_KEY = "failure_cause";

  private static final Pattern ASK = Pattern.compile("\\?|\\b(please (send|share|provide|"
      + "confirm|give|tell|check)|let me know|i (still |will |'ll )?need (the|your|a|an|to know)|"
      + "(could|can|would) you (send|share|give|provide|confirm|tell|check))\\b");
  private static final Pattern WORDS = Pattern.compile("[^\\p{L}\\p{N}']+");
  private static final Set<String> NOT_NAMES = Set.of("i", "i'm", "i'll", "i've", "i'd");

  private long conversations;
  private long middleTurns;
  private long fillerTurns;
  private long adjacentFiller;
  private long calls;
  private long reads;
  private final Map<Integer, Long> callDistribution = new TreeMap<>();
  private final Map<String, Long> causes = new TreeMap<>();
  private final Lines userLines = new Lines();
  private final Lines assistantLines = new Lines();
  /** The sample's members, largest hash first, so the head is the one to drop. */
  private final PriorityQueue<Sampled> sample = new PriorityQueue<>(
      (a, b) -> a.hash != b.hash ? Long.compare(b.hash, a.hash) : b.id.compareTo(a.id));

  private record Sampled(long hash, String id, List<String> texts) {}

  /** Counts of lines by conversation; a line's text is kept once it is seen twice. */
  private static final class Lines {
    final Map<Long, Integer> counts = new HashMap<>();
    final Map<Long, String> text = new HashMap<>();
    String smallest;

    void add(Set<String> linesOfOneConversation) {
      for (String l : linesOfOneConversation) {
        long h = Seeds.hash(l);
        if (counts.merge(h, 1, Integer::sum) == 2) {
          text.put(h, l);
        }
        if (smallest == null || l.compareTo(smallest) < 0) {
          smallest = l;
        }
      }
    }

    /** The line in most conversations (ties: the smallest text), its count and share. */
    Map<String, Object> most(long conversations) {
      String best = smallest == null ? "" : smallest;
      int n = smallest == null ? 0 : 1;
      for (Map.Entry<Long, Integer> e : counts.entrySet()) {
        if (e.getValue() < 2) {
          continue;
        }
        String t = text.get(e.getKey());
        if (e.getValue() > n || e.getValue() == n && t.compareTo(best) < 0) {
          n = e.getValue();
          best = t;
        }
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("text", best);
      m.put("conversations", n);
      m.put("share", conversations == 0 ? 0.0 : round(n / (double) conversations));
      return m;
    }
  }

  /** The metrics of {@code conversations}. */
  public static Map<String, Object> of(Iterable<Conversation> conversations) {
    DialogueMetrics m = new DialogueMetrics();
    conversations.forEach(m::add);
    return m.toMap();
  }

  /** Adds one conversation. */
  public void add(Conversation c) {
    conversations++;
    List<Turn> turns = c.turns() == null ? List.of() : c.turns();
    Set<String> users = new HashSet<>();
    Set<String> assistants = new HashSet<>();
    Set<String> seen = new HashSet<>();
    List<String> texts = new ArrayList<>();
    int n = 0;
    boolean lastFiller = false;
    for (int i = 0; i < turns.size(); i++) {
      Turn t = turns.get(i);
      String user = t.user() == null ? "" : t.user();
      String reply = t.responseText() == null ? "" : t.responseText();
      users.add(normalise(user));
      assistants.add(normalise(reply));
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
    callDistribution.merge(n, 1L, Long::sum);
    if (c.isFailure()) {
      Object cause = c.metadata().get(CAUSE_KEY);
      causes.merge(cause == null ? "unrecorded" : String.valueOf(cause), 1L, Long::sum);
    }
    userLines.add(users);
    assistantLines.add(assistants);
    sample.add(new Sampled(Seeds.hash(c.id()), c.id(), texts));
    if (sample.size() > BIGRAM_SAMPLE) {
      sample.poll();
    }
  }

  /** The report section. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("conversations", conversations);
    m.put("middle_turns", middleTurns);
    m.put("filler_turns", fillerTurns);
    m.put("filler_share", middleTurns == 0 ? 0.0 : round(fillerTurns / (double) middleTurns));
    m.put("adjacent_filler_pairs", adjacentFiller);
    m.put("most_repeated_user_line", userLines.most(conversations));
    m.put("most_repeated_assistant_line", assistantLines.most(conversations));
    m.put("distinct_bigrams_at_200", bigrams());
    Map<String, Object> tc = new LinkedHashMap<>();
    tc.put("total", calls);
    tc.put("mean", conversations == 0 ? 0.0 : round(calls / (double) conversations));
    Map<String, Long> dist = new LinkedHashMap<>();
    callDistribution.forEach((k, v) -> dist.put(String.valueOf(k), v));
    tc.put("distribution", dist);
    m.put("tool_calls", tc);
    m.put("read_calls", reads);
    m.put("read_call_share", calls == 0 ? 0.0 : round(reads / (double) calls));
    m.put("failure_causes", new TreeMap<>(causes));
    return m;
  }

  private Map<String, Object> bigrams() {
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
    m.put("ratio", all == 0 ? 0.0 : round(distinct.size() / (double) all));
    m.put("conversations", sample.size());
    m.put("bigrams", all);
    m.put("distinct", distinct.size());
    return m;
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
