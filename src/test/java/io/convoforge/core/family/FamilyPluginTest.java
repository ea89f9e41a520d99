package io.convoforge.core.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.cli.Main;
import io.convoforge.core.run.ConvoforgePipeline;
import io.convoforge.core.run.Funnel;
import io.convoforge.core.run.Inputs;
import io.convoforge.core.run.Job;
import io.convoforge.testing.FakeLlm;
import io.convoforge.testing.echo.EchoFamily;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A family registered only through {@code META-INF/services} (the echo family of the tests)
 * runs end to end, and its funnel proves, stage by stage, that nothing is lost, with a fan-out
 * stage and with a model that fails; it is told when its output is committed, and a failure then
 * fails the run with the output kept.
 */
@ExtendWith(TestPipelineExtension.class)
class FamilyPluginTest {
  private static final Path RECIPE = Path.of("src/test/resources/echo/echo.yaml");
  @TempDir Path tmp;

  @Test
  void aFamilyFoundThroughServicesRunsEndToEnd() {
    assertTrue(Families.kinds().contains(EchoFamily.KIND), Families.kinds().toString());
    Job.Result r = Job.run(new Job.Request(RECIPE, List.of(), null, tmp.resolve("out"), false,
        List.of()));
    Map<String, Object> rep = r.report();
    // 6 lines: one BAD (rejected whole), the rest split in 3, one child of "drop-one" rejected.
    assertEquals(6L, rep.get("sampled"));
    assertEquals(14L, rep.get("accepted"));
    assertEquals(Map.of("bad_line", 1L, "child_failed", 1L), rep.get("rejected"));
    assertEquals(Boolean.TRUE, ((Map<?, ?>) rep.get("invariant")).get("holds"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> funnel = (List<Map<String, Object>>) rep.get("funnel");
    assertEquals(List.of("say", "split", "answer", "judge", "filter"),
        funnel.stream().map(e -> e.get("stage")).toList());
    Map<String, Object> split = funnel.get(1);
    assertEquals(6L, split.get("in"));
    assertEquals(14L, split.get("out"));
    assertEquals(2L, split.get("rejected_total"));
    assertEquals(10L, split.get("created"), "4 lines made 3 each: 2 more than they were");
    assertEquals(Map.of("answered", 14L, "rejected_seen", 2L), rep.get("echo"),
        "the family's report section, from its summary's two pieces: accepted and rejected");
    assertEquals(Boolean.TRUE, ((Map<?, ?>) rep.get("gates")).get("passed"));
    assertTrue(EchoFamily.COMMITTED.contains(r.out() + " with report"),
        "told once the output is in place: " + EchoFamily.COMMITTED);
  }

  @Test
  void aFailureAfterTheCommitFailsTheRunAndKeepsTheOutput() {
    Path out = tmp.resolve("kept");
    Job.RunFailedException e = assertThrows(Job.RunFailedException.class, () -> Job.run(
        new Job.Request(RECIPE, List.of("lines=[hello, '" + EchoFamily.FAIL_AFTER_COMMIT
            + "']"), null, out, false, List.of())));
    assertTrue(e.outputWritten());
    assertTrue(e.getMessage().startsWith("the dataset was written to " + out.toAbsolutePath()),
        e.getMessage());
    assertTrue(Files.isRegularFile(out.resolve("report.json")), "the output stays in place");
    StringWriter err = new StringWriter();
    assertEquals(1, Main.handle(e, new PrintWriter(err)));
    assertTrue(err.toString().contains("The dataset itself is complete"), err.toString());
  }

  @Test
  void theFunnelHoldsWithAFanOutAndAFailingModel(TestPipeline p) {
    Inputs loaded = Inputs.load(RECIPE, List.of(), null);
    FakeLlm model = FakeLlm.answering((stage, prompt, schema) -> "{\"reply\": \"ok: "
        + prompt.length() + "\"}", null)
        .failing("answer", FakeLlm.Fault.PERMANENT, 1)
        .failing("answer", FakeLlm.Fault.MALFORMED_JSON, 2)
        .failing("answer", FakeLlm.Fault.TRANSIENT, 2);
    Inputs in = new Inputs(loaded.recipe(), loaded.family(), loaded.run(), new RunContext(
        loaded.recipe(), model, loaded.context().runId(), loaded.context().seed()));
    ConvoforgePipeline.Outputs out = ConvoforgePipeline.build(p, in, 2);
    PAssert.that(out.funnel()).satisfies(counts -> {
      Map<String, Long> m = new HashMap<>();
      for (KV<String, Long> kv : counts) {
        m.put(kv.getKey(), kv.getValue());
      }
      List<Funnel.Entry> entries = Funnel.entries(m);
      for (Funnel.Entry e : entries) {
        assertTrue(e.holds(), e.toString());
      }
      Funnel.Entry answer = entries.get(2);
      assertEquals(14, answer.in());
      // One permanent error (rejected at once); two malformed answers re-asked and repaired
      // (or, if both hit one element, rejected); two transient errors retried.
      assertTrue(answer.rejected().getOrDefault("llm_error", 0L) == 1, answer.toString());
      long accepted = entries.get(entries.size() - 1).out();
      long rejected = entries.stream().mapToLong(Funnel.Entry::rejectedTotal).sum();
      long created = entries.stream().mapToLong(Funnel.Entry::created).sum();
      assertEquals(created, accepted + rejected);
      return null;
    });
    PAssert.thatSingleton(out.rejected().apply(Count.globally())).satisfies(n -> {
      assertTrue(n >= 3 && n <= 4, "bad line, dropped child, llm_error (and maybe one more): "
          + n);
      return null;
    });
    p.run();
  }
}
