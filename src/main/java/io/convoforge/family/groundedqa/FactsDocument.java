package io.convoforge.family.groundedqa;

import io.convoforge.core.input.InputException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts a markdown facts document into {@link Chunk}s. In: the file name (for messages and as a
 * fallback title), the markdown, a size bound. Out: chunks in document order.
 *
 * <p>Chunks follow headings (ATX {@code #}..{@code ######}, and setext underlines): a chunk's
 * heading is the path of headings above it joined by {@code " > "} ("Billing > Refunds"). Text
 * before the first heading is headed by the document title (the first level-1 heading) or, when
 * there is none, the file name without folder and extension. A section longer than {@code
 * maxChars} is cut at block boundaries (blank lines); a block still too long is cut into list
 * items, table rows (each part repeating the table's header) or code lines, and a paragraph or
 * item into sentences. Nothing is cut mid-sentence, so a single sentence longer than {@code
 * maxChars} makes a chunk of its own that exceeds the bound.
 *
 * <p>Text is kept as markdown: prose paragraphs are unwrapped to one line, lists, tables, quotes
 * and fenced code keep their lines, blocks are separated by a blank line. A YAML front matter block
 * at the top is skipped; thematic breaks are dropped; headings inside code fences are text. Unlike
 * CommonMark, a paragraph over {@value #MAX_SETEXT} characters followed by {@code ===} or {@code
 * ---} stays a paragraph (the underline is dropped): such "headings" are accidents. Ids are
 * {@code c-<first 8 hex of sha256(text)>-<index>}, so the same document always gives the same ids.
 *
 * <p>Errors ({@link InputException} naming the file): empty document, no text besides headings
 * and front matter, {@code maxChars} below {@value #MIN_CHARS}.
 */
public final class FactsDocument {
  public static final int MIN_CHARS = 80;
  /** Longer "paragraph + underline" pairs are read as a paragraph and a dropped rule. */
  private static final int MAX_SETEXT = 120;

  private static final Pattern ATX = Pattern.compile(
      "^ {0,3}(#{1,6})(?:[ \\t]+(.*?))?(?:[ \\t]+#+)?[ \\t]*$");
  private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})");
  private static final Pattern THEMATIC = Pattern.compile("^ {0,3}([-*_])(?:[ \\t]*\\1){2,}[ \\t]*$");
  private static final Pattern SETEXT = Pattern.compile("^ {0,3}(=+|-+)[ \\t]*$");

  private enum Kind { PROSE, LINES, CODE }

  private record Block(Kind kind, List<String> lines) {
    String text() {
      if (kind == Kind.PROSE) {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
          if (sb.length() > 0) {
            sb.append(' ');
          }
          sb.append(l.strip());
        }
        return sb.toString();
      }
      StringBuilder sb = new StringBuilder();
      for (String l : lines) {
        if (sb.length() > 0) {
          sb.append('\n');
        }
        sb.append(l.stripTrailing());
      }
      return sb.toString();
    }
  }

  private record Section(String heading, List<Block> blocks) {}

  private FactsDocument() {}

  /** Parses {@code markdown} (the content of {@code file}) into chunks of about {@code maxChars}. */
  public static List<Chunk> parse(String file, String markdown, int maxChars) {
    String name = file == null || file.isBlank() ? "<document>" : file;
    if (maxChars < MIN_CHARS) {
      throw new InputException(name, "max_chars",
          "must be at least " + MIN_CHARS + " characters, got " + maxChars);
    }
    if (markdown == null || markdown.isBlank()) {
      throw new InputException(name, null, "the document is empty; expected markdown with "
          + "headings and paragraphs of facts");
    }
    String text = markdown.replace("\r\n", "\n").replace('\r', '\n');
    if (text.startsWith("\ufeff")) {
      text = text.substring(1);
    }
    String[] lines = text.split("\n", -1);
    List<Section> sections = sections(lines, skipFrontMatter(lines));
    String title = title(lines, name);
    List<Chunk> chunks = new ArrayList<>();
    for (Section s : sections) {
      String heading = s.heading() == null || s.heading().isEmpty() ? title : s.heading();
      for (String piece : pack(s.blocks(), maxChars)) {
        int index = chunks.size();
        String id = "c-" + Text.sha256Hex(piece).substring(0, 8) + "-" + index;
        chunks.add(new Chunk(id, index, heading, piece));
      }
    }
    if (chunks.isEmpty()) {
      throw new InputException(name, null, "the document has no text, only headings, front "
          + "matter or blank lines; expected paragraphs of facts under the headings");
    }
    return chunks;
  }

  /** Index of the first line after a {@code ---} front matter block (0 when there is none). */
  private static int skipFrontMatter(String[] lines) {
    if (lines.length == 0 || !lines[0].strip().equals("---")) {
      return 0;
    }
    for (int i = 1; i < lines.length; i++) {
      String l = lines[i].strip();
      if (l.equals("---") || l.equals("...")) {
        return i + 1;
      }
    }
    return 0;
  }

  private static List<Section> sections(String[] lines, int from) {
    List<Section> out = new ArrayList<>();
    String[] path = new String[7];
    Section current = new Section(null, new ArrayList<>());
    out.add(current);
    List<String> para = new ArrayList<>();
    Kind kind = Kind.PROSE;
    String fence = null;
    for (int i = from; i < lines.length; i++) {
      String line = lines[i];
      if (fence != null) {
        para.add(line);
        if (closes(line, fence)) {
          fence = null;
          current.blocks().add(new Block(Kind.CODE, List.copyOf(para)));
          para.clear();
        }
        continue;
      }
      Matcher f = FENCE.matcher(line);
      if (f.find()) {
        flush(current, para, kind);
        fence = f.group(1);
        para.add(line);
        continue;
      }
      if (line.isBlank()) {
        flush(current, para, kind);
        continue;
      }
      if (line.stripLeading().startsWith("<!--")) {
        while (i < lines.length - 1 && !lines[i].contains("-->")) {
          i++;
        }
        continue;
      }
      Matcher h = ATX.matcher(line);
      if (h.matches()) {
        flush(current, para, kind);
        current = new Section(heading(path, h.group(1).length(), h.group(2)), new ArrayList<>());
        out.add(current);
        continue;
      }
      Matcher s = SETEXT.matcher(line);
      if (s.matches() && !para.isEmpty() && kind == Kind.PROSE) {
        String title = String.join(" ", para.stream().map(String::strip).toList());
        if (title.length() > MAX_SETEXT) {
          flush(current, para, kind);
          continue;
        }
        para.clear();
        current = new Section(heading(path, s.group(1).charAt(0) == '=' ? 1 : 2, title),
            new ArrayList<>());
        out.add(current);
        continue;
      }
      if (THEMATIC.matcher(line).matches()) {
        flush(current, para, kind);
        continue;
      }
      boolean structured = Text.listMarker(line) >= 0 || Text.isTableRow(line)
          || line.stripLeading().startsWith(">");
      if (para.isEmpty()) {
        kind = structured ? Kind.LINES : Kind.PROSE;
      } else if (structured) {
        kind = Kind.LINES;
      }
      para.add(line);
    }
    if (fence != null && !para.isEmpty()) {
      current.blocks().add(new Block(Kind.CODE, List.copyOf(para)));
    } else {
      flush(current, para, kind);
    }
    return out;
  }

  /** A closing fence: the opening's character, at least as many, nothing else. */
  private static boolean closes(String line, String fence) {
    String t = line.strip();
    if (t.length() < fence.length()) {
      return false;
    }
    for (int i = 0; i < t.length(); i++) {
      if (t.charAt(i) != fence.charAt(0)) {
        return false;
      }
    }
    return true;
  }

  private static void flush(Section s, List<String> para, Kind kind) {
    if (!para.isEmpty()) {
      s.blocks().add(new Block(kind, List.copyOf(para)));
      para.clear();
    }
  }

  private static String heading(String[] path, int level, String raw) {
    path[level] = cleanHeading(raw);
    for (int l = level + 1; l < path.length; l++) {
      path[l] = null;
    }
    StringBuilder sb = new StringBuilder();
    for (int l = 1; l <= level; l++) {
      if (path[l] != null && !path[l].isEmpty()) {
        if (sb.length() > 0) {
          sb.append(" > ");
        }
        sb.append(path[l]);
      }
    }
    return sb.toString();
  }

  private static String cleanHeading(String raw) {
    return raw == null ? "" : Text.inline(raw);
  }

  /** The first level-1 heading outside code, else the file name without folder and extension. */
  private static String title(String[] lines, String file) {
    boolean inFence = false;
    for (int i = skipFrontMatter(lines); i < lines.length; i++) {
      if (FENCE.matcher(lines[i]).find()) {
        inFence = !inFence;
        continue;
      }
      if (inFence) {
        continue;
      }
      Matcher h = ATX.matcher(lines[i]);
      if (h.matches() && h.group(1).length() == 1 && h.group(2) != null
          && !cleanHeading(h.group(2)).isEmpty()) {
        return cleanHeading(h.group(2));
      }
      String previous = i > 0 ? lines[i - 1] : "";
      if (!previous.isBlank() && lines[i].strip().matches("=+")
          && !ATX.matcher(previous).matches() && !FENCE.matcher(previous).find()
          && Text.listMarker(previous) < 0 && !Text.isTableRow(previous)
          && !cleanHeading(previous).isEmpty()) {
        return cleanHeading(previous);
      }
    }
    String base = file.replace('\\', '/');
    base = base.substring(base.lastIndexOf('/') + 1);
    int dot = base.lastIndexOf('.');
    base = dot > 0 ? base.substring(0, dot) : base;
    return base.isBlank() ? "document" : base;
  }

  /** Blocks of one section packed into pieces of at most {@code max} characters where possible. */
  private static List<String> pack(List<Block> blocks, int max) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (Block b : blocks) {
      String text = b.text();
      if (text.isBlank()) {
        continue;
      }
      if (text.length() <= max) {
        append(out, cur, text, "\n\n", max);
        continue;
      }
      String joiner = b.kind() == Kind.PROSE ? " " : "\n";
      boolean first = true;
      for (String part : split(b, max)) {
        if (first) {
          append(out, cur, part, "\n\n", max);
          first = false;
        } else {
          append(out, cur, part, joiner, max);
        }
      }
    }
    if (cur.length() > 0) {
      out.add(cur.toString());
    }
    return out;
  }

  private static void append(List<String> out, StringBuilder cur, String part, String joiner,
      int max) {
    if (cur.length() > 0 && cur.length() + joiner.length() + part.length() > max) {
      out.add(cur.toString());
      cur.setLength(0);
    }
    if (cur.length() > 0) {
      cur.append(joiner);
    }
    cur.append(part);
  }

  /** An oversized block as parts to pack: sentences, items (or their sentences), rows, lines. */
  private static List<String> split(Block b, int max) {
    List<String> parts = new ArrayList<>();
    switch (b.kind()) {
      case PROSE -> parts.addAll(Text.sentences(b.text()));
      case CODE -> {
        for (String l : b.lines()) {
          parts.add(l.stripTrailing());
        }
      }
      default -> {
        if (Text.isTableRow(b.lines().get(0))) {
          return tableParts(b.lines(), max);
        }
        for (String item : items(b.lines())) {
          if (item.length() <= max) {
            parts.add(item);
          } else {
            parts.addAll(Text.sentences(Text.squash(item)));
          }
        }
      }
    }
    return parts;
  }

  /** Lines grouped into list items: an item is a marker line and its continuation lines. */
  private static List<String> items(List<String> lines) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String l : lines) {
      boolean starts = Text.listMarker(l) >= 0 || Text.isTableRow(l)
          || l.stripLeading().startsWith(">") || !Character.isWhitespace(l.charAt(0));
      if (starts && cur.length() > 0) {
        out.add(cur.toString());
        cur.setLength(0);
      }
      if (cur.length() > 0) {
        cur.append('\n');
      }
      cur.append(l.stripTrailing());
    }
    if (cur.length() > 0) {
      out.add(cur.toString());
    }
    return out;
  }

  /** Table rows packed so that each part starts with the header and separator rows. */
  private static List<String> tableParts(List<String> lines, int max) {
    int headerRows = lines.size() > 1 && Text.isTableSeparator(lines.get(1)) ? 2 : 0;
    String header = headerRows == 0 ? "" : lines.get(0).stripTrailing() + "\n"
        + lines.get(1).stripTrailing();
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder(header);
    int rowsInCur = 0;
    for (int i = headerRows; i < lines.size(); i++) {
      String row = lines.get(i).stripTrailing();
      if (rowsInCur > 0 && cur.length() + 1 + row.length() > max) {
        out.add(cur.toString());
        cur.setLength(0);
        cur.append(header);
        rowsInCur = 0;
      }
      if (cur.length() > 0) {
        cur.append('\n');
      }
      cur.append(row);
      rowsInCur++;
    }
    if (rowsInCur > 0 || out.isEmpty()) {
      out.add(cur.toString());
    }
    return out;
  }
}
