package io.convoforge.family.scenario;

import io.convoforge.family.scenario.batch.BatchFile;
import io.convoforge.family.scenario.model.Message;
import io.convoforge.family.scenario.model.Transcript;
import io.convoforge.family.scenario.offline.OfflineTranscripts;
import io.convoforge.family.scenario.spec.PromptSpec;
import io.convoforge.family.scenario.spec.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One batch generated offline, start to end, in one thread: for each slot of the plan's batch,
 * the scenario, the offline call, its timestamps and its record, checked by {@link
 * TranscriptRules}. This is the sequential reference of what the pipeline's stages do per element
 * (the bench, the tests and small runs use it as is).
 *
 * <p>Fails with {@link IllegalStateException} naming the conversation and the failed rules when an
 * offline call breaks a rule: the offline writer must never do so, so that is a bug in it or in
 * the phrase bank, not an element to reject.
 */
public final class OfflineBatches {
  private OfflineBatches() {}

  /** Batch {@code index} of {@code plan}, written by {@code writer}; {@code promptPath} for lineage. */
  public static BatchFile assemble(ScenarioPlan plan, int index, String promptPath,
      OfflineTranscripts writer) {
    PromptSpec spec = plan.spec();
    Timeline timeline = Timeline.of(spec, plan.batchSize());
    TranscriptRules rules = TranscriptRules.forSpec(spec);
    String batchId = plan.batchId(index);
    List<Transcript> out = new ArrayList<>(plan.size(index));
    for (int slot = 0; slot < plan.size(index); slot++) {
      Scenario s = plan.scenario(index, slot);
      String id = ScenarioPlan.conversationId(batchId, slot);
      List<Message> messages = writer.write(s, id, plan.seed());
      if (timeline != null) {
        messages = timeline.stamp(messages, index, slot, plan.seed(), id);
      }
      List<Verdict> failed = rules.check(s, messages).stream().filter(v -> !v.passed()).toList();
      if (!failed.isEmpty()) {
        throw new IllegalStateException("offline call " + id + " (" + s.id() + ") breaks "
            + failed + "; fix the phrase bank " + writer.bankRef());
      }
      out.add(new Transcript(id, batchId, spec.id(), new Transcript.ScenarioRef(s.id(), s.title()),
          spec.language(), messages, null, lineage(plan, index, slot, promptPath, writer)));
    }
    return BatchFile.of(plan, index, promptPath, out);
  }

  static Map<String, Object> lineage(ScenarioPlan plan, int index, int slot, String promptPath,
      OfflineTranscripts writer) {
    Map<String, Object> l = new TreeMap<>();
    l.put("backend", "offline");
    l.put("phrase_bank", writer.bankRef());
    l.put("prompt_path", promptPath);
    l.put("prompt_sha256", plan.spec().sha256());
    l.put("scenario_mode", plan.mode().wire());
    l.put("seed", plan.seed());
    l.put("batch_index", index);
    l.put("slot", slot);
    return l;
  }
}
