package io.convoforge.core.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.input.InputException;
import io.convoforge.core.model.Json;
import io.convoforge.testing.SmallDatasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Splits: parsed strictly, deterministic, and never separating siblings. */
class SplitsTest {
  @TempDir Path tmp;

  @Test
  void specsAreCheckedAndNamed() {
    assertEquals(List.of(new Splits.Split("train", 0.9), new Splits.Split("test", 0.1)),
        Splits.parse("train=0.9, test=0.1"));
    assertEquals(List.of(new Splits.Split("train", 1.0)), Splits.parse(null));
    for (String bad : List.of("train=0.9", "train=0.5,train=0.5", "train", "tr ain=1",
        "train=x", "train=1.5,test=-0.5")) {
      InputException e = assertThrows(InputException.class, () -> Splits.parse(bad), bad);
      assertTrue(e.getMessage().contains("--split " + bad), e.getMessage());
    }
  }

  @Test
  void sharedKeysJoinGroupsTransitively() {
    Splits.Grouping g = new Splits.Grouping();
    g.add("a", List.of("k1"));
    g.add("b", List.of("k2", "k1"));
    g.add("c", List.of("k3", "k2"));
    g.add("d", List.of("k4"));
    assertEquals(2, g.groups());
    List<Splits.Split> halves = List.of(new Splits.Split("x", 0.5), new Splits.Split("y", 0.5));
    for (int i = 0; i < 20; i++) {
      Splits.Grouping h = new Splits.Grouping();
      h.add("a" + i, List.of("q" + i));
      h.add("b" + i, List.of("r" + i, "q" + i));
      Map<String, String> s = h.assign(halves);
      assertEquals(s.get("a" + i), s.get("b" + i));
    }
  }

  @Test
  void groundedQaSiblingsStayTogetherAndExportsRepeatExactly() throws Exception {
    Path dir = SmallDatasets.groundedQa(4);
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    ExportTest.export(dir, Exporter.Format.OPENAI, a, "train=0.5,test=0.5");
    ExportTest.export(dir, Exporter.Format.OPENAI, b, "train=0.5,test=0.5");
    for (String f : List.of("train.jsonl", "test.jsonl")) {
      assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
    }
    Path pq = tmp.resolve("pq");
    ExportTest.export(dir, Exporter.Format.PARQUET, pq, "train=0.5,test=0.5");
    Map<String, String> splitOfPair = new HashMap<>();
    int checked = 0;
    for (String split : List.of("train", "test")) {
      try (var c = ParquetFiles.open(); var s = c.createStatement(); var rs = s.executeQuery(
          "SELECT id FROM " + ParquetFiles.literal(pq.resolve(split + ".parquet")))) {
        while (rs.next()) {
          String pair = rs.getString(1).replaceAll("-d\\d+$", "");
          String before = splitOfPair.putIfAbsent(pair, split);
          assertEquals(before == null ? split : before, split, pair + " straddles splits");
          checked++;
        }
      }
    }
    assertTrue(checked > 20 && splitOfPair.size() < checked, "pairs with several dialogues");
    assertTrue(splitOfPair.containsValue("train") && splitOfPair.containsValue("test"));
  }

  @Test
  void chainsStayInOneSplit() throws Exception {
    Path out = tmp.resolve("chains");
    Exporter.Result r = ExportTest.export(SmallDatasets.chains(60), Exporter.Format.PARQUET,
        out, "train=0.5,test=0.5");
    Map<String, String> splitOfChain = new HashMap<>();
    for (String split : List.of("train", "test")) {
      try (var c = ParquetFiles.open(); var s = c.createStatement(); var rs = s.executeQuery(
          "SELECT DISTINCT slice_chain FROM " + ParquetFiles.literal(out.resolve(split
              + ".parquet")))) {
        while (rs.next()) {
          String before = splitOfChain.put(rs.getString(1), split);
          assertTrue(before == null, rs.getString(1) + " in both splits");
        }
      }
    }
    assertEquals(10, splitOfChain.size());
    assertEquals(10L, r.manifest().get("sibling_groups"));
  }

  @Test
  void aRecordThatMakesNoExampleFailsTheExportUnlessAllowed() throws Exception {
    Path dir = SmallDatasets.copy(SmallDatasets.toolUse(40), tmp.resolve("broken"));
    Path f = io.convoforge.core.run.DatasetDir.conversationFiles(dir).get(0);
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(f));
    JsonNode c = Json.parse(lines.get(0));
    ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("turns").get(0)).put("user", "");
    lines.set(0, Json.write(c));
    Files.write(f, lines);
    Path out = tmp.resolve("out");
    Exporter.InvalidExamples e = assertThrows(Exporter.InvalidExamples.class,
        () -> ExportTest.export(dir, Exporter.Format.OPENAI, out, null));
    assertTrue(e.getMessage().contains("empty_message"), e.getMessage());
    assertTrue(!Files.exists(out), "nothing written");
    Exporter.Result r = Exporter.run(new Exporter.Request(dir, Exporter.Format.OPENAI, out,
        null, false, true, null, null));
    assertEquals(39L, r.manifest().get("examples"));
    List<String> invalid = Files.readAllLines(out.resolve("invalid.jsonl"));
    assertEquals(1, invalid.size());
    assertEquals(c.get("id").asText(), Json.parse(invalid.get(0)).get("id").asText());
  }
}
