package io.convoforge.family.tooluse.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.run.Inputs;
import io.convoforge.family.tooluse.ToolUseRun;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.sandbox.Canonical;
import io.convoforge.family.tooluse.sandbox.Replayer;
import io.convoforge.family.tooluse.schema.TablesSchema;
import io.convoforge.family.tooluse.schema.Tools;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox executes offline-generated conversations exactly as the offline writer's memory
 * store predicted: every replayed result equals the recorded one, and nothing fails.
 */
class ReplayMatchesOfflineTest {
  @TempDir Path tmp;

  @Test
  void crmReplayEqualsRecordedResults() {
    check(Datasets.CRM, 40);
  }

  @Test
  void clinicReplayEqualsRecordedResults() {
    check(Datasets.CLINIC, 40);
  }

  private void check(Path recipe, int count) {
    Path out = tmp.resolve("out");
    Datasets.make(recipe, count, out, Datasets.WITHOUT_VERIFICATION);
    Inputs in = Inputs.load(recipe, List.of(), count);
    TablesSchema schema = ToolUseRun.of(in).schema();
    Replayer replayer = new Replayer(schema, Tools.derive(schema));
    List<Conversation> convs = Datasets.read(out);
    assertEquals(count, convs.size());
    int calls = 0;
    for (Conversation c : convs) {
      Replayer.Result r = replayer.replay(c, false);
      assertEquals(0, r.failures(), c.id() + ": " + r);
      for (Replayer.Step s : r.steps()) {
        calls++;
        assertTrue(Canonical.same(s.recorded(), s.result()),
            c.id() + " turn " + s.turn() + ": recorded " + s.recorded() + " but executed "
                + s.result());
      }
    }
    assertTrue(calls > count, "too few calls replayed: " + calls);
  }
}
