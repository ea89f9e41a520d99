package io.convoforge.family.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Function words of the languages the stop-word checks know (es, en), and a tokenizer. */
final class StopWords {
  static final Map<String, Set<String>> BY_LANGUAGE = Map.of(
      "es", Set.of("a", "al", "algo", "algún", "alguna", "ante", "aquí", "así", "bien", "cada",
          "como", "con", "cuando", "de", "del", "desde", "después", "donde", "el", "él", "ella",
          "en", "entonces", "era", "eres", "es", "esa", "ese", "eso", "esta", "está", "estoy",
          "este", "esto", "estos", "ha", "hace", "hay", "he", "la", "las", "le", "les", "lo", "los",
          "más", "me", "mi", "mis", "mucho", "muy", "nada", "ni", "no", "nos", "o", "para", "pero",
          "poco", "por", "porque", "pues", "que", "qué", "se", "sea", "ser", "si", "sí", "sin",
          "sobre", "su", "sus", "también", "tengo", "tiene", "todo", "todos", "tu", "un", "una",
          "uno", "unos", "usted", "vale", "voy", "y", "ya", "yo"),
      "en", Set.of("a", "about", "after", "all", "am", "an", "and", "any", "are", "as", "at", "be",
          "been", "but", "by", "can", "can't", "could", "did", "do", "don't", "for", "from", "get",
          "go", "going", "had", "has", "have", "he", "her", "here", "his", "how", "i", "i'll",
          "i'm", "i've", "if", "in", "is", "it", "it's", "just", "let", "let's", "me", "my", "no",
          "not", "now", "of", "okay", "on", "or", "our", "out", "please", "so", "that", "that's",
          "the", "their", "them", "then", "there", "they", "this", "to", "up", "was", "we",
          "we'll", "we're", "what", "when", "will", "with", "would", "yes", "you", "you'll",
          "you're", "your"));

  private StopWords() {}

  /** Lower-case words: runs of letters, with inner apostrophes kept ({@code i'm}). */
  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    addWords(text, out);
    return out;
  }

  /** Appends the words of {@code text} to {@code out}. */
  static void addWords(String text, List<String> out) {
    String lower = text.toLowerCase(Locale.ROOT);
    int n = lower.length();
    int i = 0;
    while (i < n) {
      while (i < n && !Character.isLetter(lower.charAt(i))) {
        i++;
      }
      int start = i;
      boolean curly = false;
      while (i < n && (Character.isLetter(lower.charAt(i))
          || isApostrophe(lower.charAt(i)) && i + 1 < n && Character.isLetter(lower.charAt(i + 1)))) {
        curly |= lower.charAt(i) == '’';
        i++;
      }
      if (i > start) {
        String w = lower.substring(start, i);
        out.add(curly ? w.replace('’', '\'') : w);
      }
    }
  }

  private static boolean isApostrophe(char c) {
    return c == '\'' || c == '’';
  }
}
