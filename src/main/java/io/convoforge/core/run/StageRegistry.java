package io.convoforge.core.run;

import io.convoforge.core.family.FamilyRun;
import io.convoforge.core.family.RunContext;
import io.convoforge.core.family.StageFactory;
import io.convoforge.core.stages.Deduplicate;
import io.convoforge.core.stages.EmbedConversations;
import io.convoforge.core.stages.FilterConversations;
import io.convoforge.core.stages.JudgeConversations;
import io.convoforge.core.stages.RecordStage;
import io.convoforge.core.stages.SelectTop;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Stage names as recipes write them: the core stages every family shares ({@code judge}, {@code
 * filter}, {@code embed}, {@code dedup}, {@code select}), made with the family's parts, and the
 * family's own ({@link FamilyRun#stages()}); the family's source comes first in every recipe.
 */
public final class StageRegistry {
  private static final Map<String, StageFactory> CORE = new LinkedHashMap<>();

  static {
    CORE.put(JudgeConversations.STAGE, (ctx, run) -> JudgeConversations.of(
        JudgeConversations.Settings.from(ctx.recipe(), run.judging(ctx).rubric()), run.judging(ctx),
        ctx.backend(), run.prompts(), ctx.runId()));
    CORE.put(FilterConversations.STAGE,
        (ctx, run) -> FilterConversations.of(ctx.recipe(), run.judging(ctx)));
    CORE.put(EmbedConversations.STAGE, (ctx, run) -> EmbedConversations.of(
        EmbedConversations.Settings.from(ctx.recipe(), ctx.runId())));
    CORE.put(Deduplicate.STAGE, (ctx, run) -> Deduplicate.of(ctx.recipe(), run.family().codec(),
        ctx.recipe().stages().contains(EmbedConversations.STAGE)
            ? EmbedConversations.Settings.from(ctx.recipe(), ctx.runId()) : null)
        .expecting(run.expectedCount()));
    CORE.put(SelectTop.STAGE, (ctx, run) -> SelectTop.of(ctx.recipe(), run.defaultSelectPer()));
  }

  private StageRegistry() {}

  public static boolean has(String name, FamilyRun run) {
    return CORE.containsKey(name) || run.stages().containsKey(name);
  }

  /** Every stage a recipe of this run may list, the source first. */
  public static Set<String> names(FamilyRun run) {
    Set<String> out = new LinkedHashSet<>();
    out.add(run.sourceStage());
    out.addAll(run.stages().keySet());
    out.addAll(CORE.keySet());
    return out;
  }

  /** Whether the stage calls the model of an LLM backend (it has a prompt in the family's). */
  public static boolean callsModel(String name, FamilyRun run) {
    return run.prompts() != null && run.prompts().has(name);
  }

  public static RecordStage<?, ?> create(String name, RunContext ctx, FamilyRun run) {
    StageFactory f = run.stages().containsKey(name) ? run.stages().get(name) : CORE.get(name);
    if (f == null) {
      throw new IllegalArgumentException("unknown stage " + name);
    }
    return f.create(ctx, run);
  }
}
