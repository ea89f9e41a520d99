package io.convoforge.family.tooluse.stages;

import io.convoforge.core.model.Record;
import io.convoforge.core.model.RejectException;
import io.convoforge.core.stages.RecordStage;
import io.convoforge.core.stages.StageResult;
import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.ToolUse;
import io.convoforge.family.tooluse.sandbox.Replayer;
import io.convoforge.family.tooluse.sandbox.SeedRepair;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.values.PCollection;

/**
 * The mock baseline and its repair: replays each conversation's expected calls in a fresh
 * sandbox database seeded with its {@code initial_entities}; where a call fails only because seed
 * metadata is missing or incomplete (a seed row missing, a required column missing on a seed, a
 * referenced parent missing), adds or completes seed rows with schema-valid values (stated by the
 * conversation's own tool results where it shows them, else generated deterministically from
 * (run seed, id, "repair")) and replays again, until success conversations execute with zero
 * errors and failure conversations fail exactly at their {@code expect_error} call with that code.
 *
 * <p>In: conversations with turns and expected calls. Out: the same with repaired
 * {@code initial_entities} and {@code metadata.repair} = the pre-repair failures by type and the
 * rows added or completed. Failures: {@code unrepairable:<type>} (e.g. an intended failure that
 * succeeds because its bad key exists) or {@code repair_did_not_converge}. Deterministic; no
 * retries (nothing here is transient). Counters {@code prerepair_<type>} count failures by type.
 */
public final class RepairSeedMetadata extends RecordStage<ToolUse, ToolUse> {
  public static final String STAGE = "repair";
  private final ToolUseContext ctx;

  private RepairSeedMetadata(ToolUseContext ctx) {
    super("RepairSeedMetadata");
    this.ctx = ctx;
  }

  public static RepairSeedMetadata using(ToolUseContext ctx) {
    return new RepairSeedMetadata(ctx);
  }

  @Override
  public StageResult<ToolUse> expand(PCollection<Record<ToolUse>> input) {
    return applyFn(input, "Repair", new RepairFn(ctx), ctx.backend());
  }

  static final class RepairFn extends ToolUseFn {
    private final Map<String, Counter> byType = new LinkedHashMap<>();
    private final Counter other = Metrics.counter(RepairFn.class, "prerepair_other");
    private final Counter repairedElements = Metrics.counter(RepairFn.class, "repaired");
    private transient SeedRepair repair;

    RepairFn(ToolUseContext ctx) {
      super(STAGE, ctx);
      byType.put("not_found", Metrics.counter(RepairFn.class, "prerepair_not_found"));
      byType.put("invalid_reference",
          Metrics.counter(RepairFn.class, "prerepair_invalid_reference"));
      byType.put("conflict", Metrics.counter(RepairFn.class, "prerepair_conflict"));
      byType.put("constraint_violation",
          Metrics.counter(RepairFn.class, "prerepair_constraint_violation"));
      byType.put("search_missing_rows",
          Metrics.counter(RepairFn.class, "prerepair_search_missing_rows"));
      byType.put("intended_failure_succeeded",
          Metrics.counter(RepairFn.class, "prerepair_intended_failure_succeeded"));
      byType.put("wrong_error", Metrics.counter(RepairFn.class, "prerepair_wrong_error"));
      byType.put("wrong_failure", Metrics.counter(RepairFn.class, "prerepair_wrong_failure"));
      byType.put("seed_missing_column",
          Metrics.counter(RepairFn.class, "prerepair_seed_missing_column"));
      byType.put("seed_missing_parent",
          Metrics.counter(RepairFn.class, "prerepair_seed_missing_parent"));
      byType.put("seed_invalid_value",
          Metrics.counter(RepairFn.class, "prerepair_seed_invalid_value"));
    }

    @Override
    protected void open() {
      repair = new SeedRepair(ctx.schema(), new Replayer(ctx.schema(), ctx.tools()), ctx.seed());
    }

    @Override
    protected Conversation apply(Conversation c) throws RejectException {
      SeedRepair.Outcome o = repair.repair(c);
      o.prerepairFailures().forEach((type, n) -> byType.getOrDefault(type, other).inc(n));
      if (!o.repaired()) {
        throw new RejectException(o.rejectReason(), o.rejectDetail());
      }
      if (!o.prerepairFailures().isEmpty()) {
        repairedElements.inc();
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("prerepair_failures", o.prerepairFailures());
      m.put("entities_added", o.entitiesAdded());
      m.put("entities_completed", o.entitiesCompleted());
      return o.conversation().withMetadata("repair", m);
    }
  }
}
