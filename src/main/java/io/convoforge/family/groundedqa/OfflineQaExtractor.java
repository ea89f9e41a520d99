package io.convoforge.family.groundedqa;

import io.convoforge.core.util.Seeds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * Question-answer pairs from a chunk without a model. In: a chunk, how many pairs, the run seed.
 * Out: up to {@code n} {@link QaPair}s, in chunk order.
 *
 * <p>Each pair rests on one sentence of the chunk (a prose sentence, a sentence of a list item, or
 * a table row): the evidence is that sentence verbatim, the answer is the same sentence with
 * markdown removed and only trimmed (a leading "However," or "Note that" dropped; with a {@code ;}
 * in a long sentence, the clause with the most facts, unless another clause holds a date). A table
 * row's answer reads the row with its header ("For DVDs, the loan period is 7 days."), leaving out
 * header cells that hold numbers or names, which the row (the evidence) does not. Questions
 * come from templates chosen by what the sentence holds and its verb ({@link Questions}).
 *
 * <p>Sentences with facts (numbers, dates, times, names) are preferred: each candidate is drawn
 * with weight {@code 1 + 3 × min(facts, 3)}, without replacement. Sentences shorter than 20 or
 * longer than 400 characters (unless a {@code ;} splits them into shorter clauses, each then its
 * own evidence), questions, lead-ins ending in ":" and code are skipped. Nothing is
 * checked here: pairs about future dates are made and fail {@link Grounding} later, as they
 * should. Deterministic by (seed, chunk id); a few microseconds per chunk.
 */
public final class OfflineQaExtractor {
  public static final String STAGE = "extract_qa";
  private static final int MAX_SENTENCE = 400;

  private static final Pattern LEAD = Pattern.compile(
      "^(?:However|Also|In addition|Additionally|Instead|Please note that|Note that|Note"
          + "|Importantly|Otherwise|Finally|Remember that|Good to know)[,:]?\\s+");

  /** One answerable sentence: the verbatim evidence, the answer text, its position. */
  record Unit(int position, String evidence, String answer, String[] header, String[] row) {}

  private OfflineQaExtractor() {}

  public static List<QaPair> extract(Chunk chunk, int n, long seed) {
    if (n <= 0) {
      return List.of();
    }
    List<Unit> units = units(chunk.text());
    SplittableRandom random = new SplittableRandom(Seeds.of(seed, chunk.id(), STAGE));
    record Keyed(Unit unit, double key) {}
    List<Keyed> keyed = new ArrayList<>(units.size());
    for (Unit u : units) {
      int facts = Math.min(3, Facts.count(u.answer()));
      keyed.add(new Keyed(u, -Math.log(1.0 - random.nextDouble()) / (1 + 3 * facts)));
    }
    keyed.sort(Comparator.comparingDouble(Keyed::key));
    List<Unit> chosen = new ArrayList<>();
    for (int i = 0; i < Math.min(n, keyed.size()); i++) {
      chosen.add(keyed.get(i).unit());
    }
    chosen.sort(Comparator.comparingInt(Unit::position));
    List<QaPair> out = new ArrayList<>(chosen.size());
    for (Unit u : chosen) {
      String question = Questions.ask(u, chunk, random);
      out.add(new QaPair(pairId(chunk, question, u.evidence()), chunk.id(), chunk.heading(),
          question, u.answer(), u.evidence()));
    }
    return out;
  }

  /** A pair's id, from its chunk, question and evidence (whoever extracted it). */
  public static String pairId(Chunk chunk, String question, String evidence) {
    return "q-" + Text.sha256Hex(chunk.id() + "\n" + question + "\n" + evidence).substring(0, 12);
  }

  /** The answerable sentences of a chunk's text, in order. */
  static List<Unit> units(String text) {
    List<Unit> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    String fence = null;
    String[] header = null;
    StringBuilder item = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String t = line.strip();
      if (fence != null) {
        if (t.startsWith(fence)) {
          fence = null;
        }
        continue;
      }
      if (t.startsWith("```") || t.startsWith("~~~")) {
        flushItem(out, item);
        fence = t.substring(0, 3);
        continue;
      }
      if (Text.isTableRow(line)) {
        flushItem(out, item);
        if (Text.isTableSeparator(line)) {
          continue;
        }
        boolean headerRow = header == null && i + 1 < lines.length
            && Text.isTableSeparator(lines[i + 1]);
        String[] cells = Text.cells(line).toArray(String[]::new);
        if (headerRow) {
          header = cells;
        } else {
          addRow(out, t, header, cells);
        }
        continue;
      }
      header = null;
      boolean marker = Text.listMarker(line) >= 0;
      boolean continuation = !marker && item.length() > 0 && !t.isEmpty()
          && Character.isWhitespace(line.charAt(0));
      if (continuation) {
        item.append(' ').append(t);
        continue;
      }
      flushItem(out, item);
      if (marker) {
        item.append(line.substring(Text.listMarker(line)).strip());
      } else if (!t.isEmpty()) {
        addSentences(out, t.startsWith(">") ? t.substring(1).strip() : t);
      }
    }
    flushItem(out, item);
    return out;
  }

  private static void flushItem(List<Unit> out, StringBuilder item) {
    if (item.length() > 0) {
      addSentences(out, Text.squash(item.toString()));
      item.setLength(0);
    }
  }

  private static void addSentences(List<Unit> out, String paragraph) {
    for (String s : Text.sentences(paragraph)) {
      if (s.length() > MAX_SENTENCE && s.contains("; ")) {
        for (String clause : s.split(";\\s+")) {
          addSentence(out, clause);
        }
      } else {
        addSentence(out, s);
      }
    }
  }

  private static void addSentence(List<Unit> out, String s) {
    if (s.length() < 20 || s.length() > MAX_SENTENCE || s.endsWith("?") || s.endsWith(":")) {
      return;
    }
    String answer = answerOf(s);
    if (!answer.endsWith(".") && !answer.endsWith("!")) {
      answer = answer + ".";
    }
    if (answer.split(" ").length >= 4) {
      out.add(new Unit(out.size(), s, answer, null, null));
    }
  }

  /** A table row read out with its header: "For DVDs, the loan period is 7 days and ...". */
  private static void addRow(List<Unit> out, String row, String[] header, String[] cells) {
    if (cells.length < 2 || cells[0].isEmpty()) {
      return;
    }
    List<String> parts = new ArrayList<>();
    for (int c = 1; c < cells.length; c++) {
      String v = Text.inline(cells[c]);
      if (v.isEmpty()) {
        continue;
      }
      String h = header != null && c < header.length ? Text.lowerFirst(Text.inline(header[c]))
          : "";
      boolean usable = !h.isEmpty() && Facts.count("the " + h) == 0;
      parts.add(usable ? "the " + h + (plural(h) ? " are " : " is ") + v : v);
    }
    if (parts.isEmpty()) {
      return;
    }
    String joined = parts.size() == 1 ? parts.get(0)
        : String.join(", ", parts.subList(0, parts.size() - 1)) + " and "
            + parts.get(parts.size() - 1);
    String answer = "For " + Text.lowerCommon(Text.inline(cells[0])) + ", " + joined + ".";
    out.add(new Unit(out.size(), row, answer, header, cells));
  }

  static boolean plural(String noun) {
    String last = noun.substring(noun.lastIndexOf(' ') + 1);
    return last.length() > 3 && last.endsWith("s") && !last.endsWith("ss")
        && !last.endsWith("us") && !last.endsWith("is");
  }

  /** The sentence as an answer: markdown removed, a lead-in dropped, maybe one clause. */
  static String answerOf(String sentence) {
    String s = Text.plain(sentence);
    s = Text.upperFirst(LEAD.matcher(s).replaceFirst(""));
    if (s.length() > 140 && s.contains("; ")) {
      String[] clauses = s.split(";\\s+");
      boolean dated = false;
      for (String c : clauses) {
        dated |= !DateMentions.scan(c).isEmpty();
      }
      if (!dated) {
        String best = null;
        int bestFacts = -1;
        for (String c : clauses) {
          int f = Facts.claims(c).size();
          if (f > bestFacts && c.split(" ").length >= 4) {
            best = c;
            bestFacts = f;
          }
        }
        if (best != null) {
          s = Text.upperFirst(best.strip());
          if (!s.endsWith(".") && !s.endsWith("!")) {
            s = s + ".";
          }
        }
      }
    }
    return s;
  }
}
