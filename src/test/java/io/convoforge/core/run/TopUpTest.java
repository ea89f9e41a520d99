package io.convoforge.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.dedup.MinHash;
import io.convoforge.core.embed.EmbedText;
import io.convoforge.core.embed.LocalOnnxEmbedder;
import io.convoforge.core.embed.Vectors;
import io.convoforge.core.model.Record;
import io.convoforge.family.tooluse.ToolUseCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline CRM recipe with small counts: dedup on the real output, and --accepted. */
class TopUpTest {
  private static final Path CRM = Path.of("pipelines/crm-tool-use.yaml");
  private static final double SEMANTIC = 0.83;
  /**
   * Lexical dedup only (no model), then a strict gate that passes at most 10 per round (top 10
   * overall), so that 15 takes two rounds and the second overshoots.
   */
  private static final List<String> LEXICAL = List.of(
      "stages=[sample, plan, args, utterances, judge, filter, dedup, select]",
      "dedup.methods=[lexical]", "select.k=10", "select.per=overall");

  static List<Record<?>> read(Path dir) {
    List<Record<?>> out = new ArrayList<>();
    DatasetDir.records(dir, new ToolUseCodec()).forEach(out::add);
    return out;
  }

  @Test
  @SuppressWarnings("unchecked")
  void crmRunWithDedupHasNoPairAboveEitherThreshold(@TempDir Path tmp) throws IOException {
    // At 0.9 no two of 24 dialogues are near-duplicates since their turns come from the work
    // (issue 16); at 0.83 some are, so the stage has something to remove.
    Job.Result r = Job.run(new Job.Request(CRM, List.of("embed.model=bge-small-en-v15-q",
        "dedup.semantic.threshold=" + SEMANTIC), 24,
        tmp.resolve("out"), false, List.of()));
    List<Record<?>> out = read(r.out());
    List<float[]> v = LocalOnnxEmbedder.shared("bge-small-en-v15-q").embed(
        out.stream().map(EmbedText.DIALOGUE::of).toList());
    List<int[]> sh = out.stream()
        .map(c -> MinHash.shingles(EmbedText.DIALOGUE.of(c), true, 3)).toList();
    for (int i = 0; i < out.size(); i++) {
      assertTrue(out.get(i).embedding() == null, "vectors are dropped from the output");
      for (int j = i + 1; j < out.size(); j++) {
        // The pipeline compared float-rounded vectors; allow for that rounding.
        assertTrue(Vectors.dot(v.get(i), v.get(j)) < SEMANTIC + 1e-4,
            out.get(i).id() + " ~ " + out.get(j).id());
        assertTrue(MinHash.jaccard(sh.get(i), sh.get(j)) < 0.8);
      }
    }
    Map<String, Object> dedup = (Map<String, Object>) r.report().get("dedup");
    Map<String, Long> removed = (Map<String, Long>) dedup.get("removed_by_method");
    long dropped = removed.values().stream().mapToLong(Long::longValue).sum();
    assertEquals(24, out.size() + dropped, r.report().toString());
    assertTrue(dropped > 0, "the offline CRM text has near-duplicates: " + removed);
  }

  @Test
  @SuppressWarnings("unchecked")
  void acceptedGivesExactlyNAndIsDeterministic(@TempDir Path tmp) throws IOException {
    Job.Result r = Job.run(new Job.Request(CRM, LEXICAL, null, tmp.resolve("a"), false,
        List.of(), 15, null));
    List<Record<?>> out = read(r.out());
    assertEquals(15, out.size());
    Set<String> ids = new HashSet<>();
    out.forEach(c -> ids.add(c.id()));
    assertEquals(15, ids.size());
    Map<String, Object> t = (Map<String, Object>) r.report().get("top_up");
    assertEquals(true, t.get("reached"));
    assertEquals(false, t.get("budget_exhausted"));
    assertTrue(((List<?>) t.get("rounds")).size() >= 2, "the gate forced a second round: " + t);
    assertEquals(true, ((Map<String, Object>) r.report().get("invariant")).get("holds"));
    assertEquals(r.report().get("sampled"), (long) (int) t.get("candidates_used"));
    // One end-of-run path: the same sections as a plain run.
    for (String section : List.of("funnel", "gates", "repair", "judge", "text", "timing")) {
      assertTrue(r.report().containsKey(section), section + " in " + r.report().keySet());
    }
    List<Map<String, Object>> funnel = (List<Map<String, Object>>) r.report().get("funnel");
    Map<String, Object> last = funnel.get(funnel.size() - 1);
    assertEquals("topup", last.get("stage"));
    assertEquals(15L, last.get("out"));
    long surplus = ((Map<String, Long>) r.report().get("rejected")).getOrDefault("surplus", 0L);
    assertEquals((long) (int) t.get("surplus"), surplus);
    assertTrue(surplus > 0, "the last round overshot: " + t);
    Job.Result again = Job.run(new Job.Request(CRM, LEXICAL, null, tmp.resolve("b"), false,
        List.of(), 15, null));
    List<String> first = Files.readAllLines(r.out().resolve("conversations-00000-of-00001.jsonl"));
    List<String> second =
        Files.readAllLines(again.out().resolve("conversations-00000-of-00001.jsonl"));
    first.sort(null);
    second.sort(null);
    assertEquals(first, second);
  }

  @Test
  @SuppressWarnings("unchecked")
  void acceptedReportsTheBudgetRunningOut(@TempDir Path tmp) throws IOException {
    Job.Result r = Job.run(new Job.Request(CRM, LEXICAL, null, tmp.resolve("a"), false,
        List.of(), 20, 12));
    Map<String, Object> t = (Map<String, Object>) r.report().get("top_up");
    assertEquals(true, t.get("budget_exhausted"));
    assertEquals(12, t.get("candidates_used"));
    assertTrue(read(r.out()).size() < 20);
    assertEquals(12L, r.report().get("sampled"));
    assertEquals(true, ((Map<String, Object>) r.report().get("invariant")).get("holds"));
  }
}
