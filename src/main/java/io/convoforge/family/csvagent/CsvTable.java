package io.convoforge.family.csvagent;

import io.convoforge.core.input.InputException;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A CSV file read into memory: its name, the SHA-256 of its bytes, the detected delimiter, the
 * header and the rows as strings (an empty cell is {@code null}).
 *
 * <p>In: any UTF-8 CSV (a leading BOM is skipped) with a header row, RFC-4180 quoting ({@code "},
 * doubled to escape), blank lines ignored. The delimiter is the one of {@code ,} {@code ;} {@code
 * \t} that splits the first 50 records into the same number (at least 2) of fields; if several do,
 * the one giving the most fields; if none does, the one giving the widest header (ties in that
 * order), so a ragged file is then reported at its first ragged line.
 *
 * <p>Fails with an {@link InputException} naming the file and line for: bytes that are not UTF-8,
 * an empty file, a header with an empty or duplicate (case-insensitive, as SQL sees it) name, a
 * first row made only of numbers (no header), a row with a different number of fields than the
 * header, an unterminated quote; and naming the file for an unreadable path.
 */
public final class CsvTable {
  private static final char[] DELIMITERS = {',', ';', '\t'};
  private static final int SNIFF_RECORDS = 50;

  private final String file;
  private final Path path;
  private final String sha256;
  private final char delimiter;
  private final List<String> columns;
  private final List<List<String>> rows;
  private final byte[] bytes;

  private CsvTable(String file, Path path, String sha256, char delimiter, List<String> columns,
      List<List<String>> rows, byte[] bytes) {
    this.bytes = bytes;
    this.file = file;
    this.path = path;
    this.sha256 = sha256;
    this.delimiter = delimiter;
    this.columns = columns;
    this.rows = rows;
  }

  /** Reads and checks {@code path}; see the class comment for what fails. */
  public static CsvTable load(Path path) {
    String name = path.getFileName().toString();
    try {
      return parse(name, path, Files.readAllBytes(path));
    } catch (IOException e) {
      throw new InputException(name, "", "cannot read the file: " + e.getMessage());
    }
  }

  /** Parses bytes that have no file on disk (the sandbox then loads a temporary copy). */
  public static CsvTable parse(String fileName, byte[] bytes) {
    return parse(fileName, null, bytes);
  }

  private static CsvTable parse(String name, Path path, byte[] bytes) {
    String text = decode(name, bytes);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    if (text.isBlank()) {
      throw new InputException(name, "line 1", "the file is empty: expected a header row");
    }
    char delimiter = sniff(text);
    int[] lineStarts = lineStarts(text);
    List<String> header = null;
    List<List<String>> rows = new ArrayList<>();
    long consumed = 0;
    try (CSVParser parser = CSVParser.parse(new StringReader(text), format(delimiter))) {
      var records = parser.iterator();
      while (records.hasNext()) {
        CSVRecord rec = records.next();
        consumed = parser.getCurrentLineNumber();
        int line = lineOf(lineStarts, rec.getCharacterPosition());
        if (header == null) {
          header = header(name, line, rec);
          continue;
        }
        if (rec.size() != header.size()) {
          throw new InputException(name, "line " + line, "expected " + header.size()
              + " fields as in the header, found " + rec.size() + " (delimiter '"
              + printable(delimiter) + "')");
        }
        String[] cells = new String[rec.size()];
        for (int i = 0; i < cells.length; i++) {
          String v = rec.get(i);
          cells[i] = v.isEmpty() ? null : v;
        }
        rows.add(Collections.unmodifiableList(Arrays.asList(cells)));
      }
    } catch (UncheckedIOException | IllegalStateException e) {
      // The failing record starts on the line after the last one parsed.
      throw new InputException(name, "line " + (consumed + 1),
          "malformed CSV (" + rootMessage(e) + "): expected RFC-4180 quoting");
    } catch (IOException e) {
      throw new InputException(name, "", "cannot parse: " + e.getMessage());
    }
    return new CsvTable(name, path, sha256(bytes), delimiter, header,
        Collections.unmodifiableList(rows), bytes.clone());
  }

  public String file() {
    return file;
  }

  /** The file on disk, or null when parsed from bytes. */
  public Path path() {
    return path;
  }

  /** The file's bytes, for loading a table parsed from memory. */
  byte[] bytes() {
    return bytes.clone();
  }

  public String sha256() {
    return sha256;
  }

  public char delimiter() {
    return delimiter;
  }

  public List<String> columns() {
    return columns;
  }

  /** Rows in file order; each has one cell per column, null for an empty cell. */
  public List<List<String>> rows() {
    return rows;
  }

  public int columnIndex(String name) {
    int i = columns.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("no column " + name + " in " + file);
    }
    return i;
  }

  /**
   * The SQL table name: the file name without extension, accents stripped, lower-cased, other
   * characters than [a-z0-9_] as _, prefixed {@code t_} when it would start with a digit.
   */
  public String tableName() {
    String base = java.text.Normalizer.normalize(file.replaceFirst("\\.[^.]*$", ""),
            java.text.Normalizer.Form.NFD)
        .replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT);
    String s = base.replaceAll("[^a-z0-9_]", "_").replaceAll("_+", "_").replaceAll("^_|_$", "");
    return s.isEmpty() || Character.isDigit(s.charAt(0)) ? "t_" + s : s;
  }

  static CSVFormat format(char delimiter) {
    return CSVFormat.RFC4180.builder()
        .setDelimiter(delimiter)
        .setIgnoreEmptyLines(true)
        .build();
  }

  private static List<String> header(String name, int line, CSVRecord rec) {
    List<String> names = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    boolean allNumbers = true;
    for (int i = 0; i < rec.size(); i++) {
      String n = rec.get(i).trim();
      if (n.isEmpty()) {
        throw new InputException(name, "line " + line,
            "header column " + (i + 1) + " has no name: expected a header row of column names");
      }
      if (!seen.add(n.toLowerCase(Locale.ROOT))) {
        throw new InputException(name, "line " + line, "duplicate column name '" + n
            + "' in the header (names are compared ignoring case)");
      }
      allNumbers &= ColumnType.NUMBER.accepts(n);
      names.add(n);
    }
    if (allNumbers) {
      throw new InputException(name, "line " + line,
          "no header row: the first row holds only numbers, expected column names");
    }
    return List.copyOf(names);
  }

  private static String decode(String name, byte[] bytes) {
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult r = dec.decode(in, out, true);
    if (r.isError()) {
      int at = in.position();
      int line = 1;
      for (int i = 0; i < at; i++) {
        line += bytes[i] == '\n' ? 1 : 0;
      }
      throw new InputException(name, "line " + line, String.format(
          "bytes are not valid UTF-8 (byte 0x%02X at offset %d): expected a UTF-8 text file",
          bytes[at] & 0xff, at));
    }
    dec.flush(out);
    return out.flip().toString();
  }

  private static char sniff(String text) {
    char best = ',';
    int bestWidth = -1;
    boolean bestConsistent = false;
    for (char d : DELIMITERS) {
      int width = -1;
      boolean consistent = true;
      try (CSVParser p = CSVParser.parse(new StringReader(text), format(d))) {
        int n = 0;
        for (CSVRecord rec : p) {
          if (width < 0) {
            width = rec.size();
          } else if (rec.size() != width) {
            consistent = false;
          }
          if (++n >= SNIFF_RECORDS) {
            break;
          }
        }
      } catch (IOException | RuntimeException e) {
        consistent = false;
      }
      consistent &= width >= 2;
      boolean better = consistent && !bestConsistent
          || consistent == bestConsistent && width > bestWidth;
      if (better) {
        best = d;
        bestWidth = width;
        bestConsistent = consistent;
      }
    }
    return best;
  }

  private static String rootMessage(Throwable e) {
    while (e.getCause() != null) {
      e = e.getCause();
    }
    return e.getMessage();
  }

  private static int[] lineStarts(String text) {
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        starts.add(i + 1);
      }
    }
    return starts.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int lineOf(int[] starts, long pos) {
    int i = Arrays.binarySearch(starts, (int) pos);
    return (i >= 0 ? i : -i - 2) + 1;
  }

  private static String printable(char d) {
    return d == '\t' ? "\\t" : String.valueOf(d);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
