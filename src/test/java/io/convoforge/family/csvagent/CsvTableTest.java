package io.convoforge.family.csvagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.input.InputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {
  @Test
  void shippedCsvsLoadWithTheirShapeAndHash() throws Exception {
    int[] rows = {1500, 2400, 900, 420};
    for (int i = 0; i < rows.length; i++) {
      String name = Fixtures.NAMES.get(i);
      CsvTable t = Fixtures.table(name);
      assertEquals(rows[i], t.rows().size(), name);
      assertEquals(name, t.file());
      byte[] bytes = Files.readAllBytes(Fixtures.path(name));
      assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
          t.sha256());
      t.rows().forEach(r -> assertEquals(t.columns().size(), r.size()));
    }
  }

  @Test
  void semicolonsBomUnicodeAndEmptyCells() {
    CsvTable t = Fixtures.table("bäckerei_verkäufe.csv");
    assertEquals(';', t.delimiter());
    assertEquals("Datum", t.columns().get(0), "BOM stripped");
    assertEquals("Stückpreis (€)", t.columns().get(4));
    assertEquals("backerei_verkaufe", t.tableName());
    assertTrue(t.rows().stream().anyMatch(r -> r.get(4) == null), "empty cells are null");
  }

  @Test
  void quotedFieldsMaySpanLinesAndHoldDelimiters() {
    CsvTable t = parse("x.csv", "id,note,n\n1,\"a, \"\"b\"\"\nc\",2\n2,,3\n");
    assertEquals(List.of("id", "note", "n"), t.columns());
    assertEquals("a, \"b\"\nc", t.rows().get(0).get(1));
    assertNull(t.rows().get(1).get(1));
    assertEquals(',', t.delimiter());
  }

  @Test
  void delimiterIsTheOneThatSplitsConsistently() {
    assertEquals('\t', parse("t.tsv", "a\tb\tc\n1\t2,5\t3\n").delimiter());
    assertEquals(';', parse("s.csv", "a;b\n1,5;2\n3,5;4\n").delimiter());
    assertEquals(',', parse("c.csv", "a,b;c\n1,2;3\n").delimiter());
  }

  @Test
  void raggedRowNamesFileAndLine() {
    InputException e = assertThrows(InputException.class,
        () -> parse("ragged.csv", "a,b,c\n1,2,3\n\"multi\nline\",5,6\n7,8\n"));
    assertEquals("ragged.csv", e.problems().get(0).file());
    assertEquals("line 5", e.problems().get(0).where());
    assertTrue(e.getMessage().contains("expected 3 fields"), e.getMessage());
  }

  @Test
  void headerProblems() {
    assertProblem("nums.csv", "1,2,3\n4,5,6\n", "line 1", "no header row");
    assertProblem("dup.csv", "a,b,A\n1,2,3\n", "line 1", "duplicate column name 'A'");
    assertProblem("blank.csv", "a,,c\n1,2,3\n", "line 1", "has no name");
    assertProblem("empty.csv", "\n\n", "line 1", "the file is empty");
  }

  @Test
  void undecodableBytesNameTheLine() {
    byte[] bytes = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
    byte[] bad = new byte[bytes.length + 4];
    System.arraycopy(bytes, 0, bad, 0, bytes.length);
    bad[bytes.length] = 'x';
    bad[bytes.length + 1] = (byte) 0xff;
    bad[bytes.length + 2] = ',';
    bad[bytes.length + 3] = '3';
    InputException e = assertThrows(InputException.class, () -> CsvTable.parse("bin.csv", bad));
    assertEquals("line 3", e.problems().get(0).where());
    assertTrue(e.getMessage().contains("not valid UTF-8 (byte 0xFF"), e.getMessage());
  }

  @Test
  void unterminatedQuoteNamesTheLineItStarts() {
    assertProblem("quote.csv", "a,b\n1,2\n3,\"oops\n4,5\n", "line 3", "malformed CSV");
  }

  @Test
  void missingFileIsAnInputError(@TempDir Path dir) {
    InputException e = assertThrows(InputException.class,
        () -> CsvTable.load(dir.resolve("nope.csv")));
    assertEquals("nope.csv", e.problems().get(0).file());
  }

  @Test
  void tableNamesAreSafeIdentifiers() {
    assertEquals("orders", parse("orders.csv", "a,b\n1,2\n").tableName());
    assertEquals("t_2024_sales", parse("2024 Sales.csv", "a,b\n1,2\n").tableName());
    assertEquals("t_", parse("€€.csv", "a,b\n1,2\n").tableName());
  }

  private static CsvTable parse(String name, String text) {
    return CsvTable.parse(name, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertProblem(String name, String text, String where, String message) {
    InputException e = assertThrows(InputException.class, () -> parse(name, text));
    assertEquals(name, e.problems().get(0).file());
    assertEquals(where, e.problems().get(0).where());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }
}
