package io.convoforge.stages;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Stage names as recipes write them, mapped to the transforms that implement them. {@code sample}
 * is the source and always first; every other name maps to a {@link ConversationStage}. New
 * stages register here (one line each) and become usable from any recipe.
 */
public final class StageRegistry {
  private static final Map<String, Function<StageContext, ConversationStage>> STAGES =
      new LinkedHashMap<>();

  static {
    register(PlanWorkflows.STAGE, PlanWorkflows::using);
    register(SynthesizeArguments.STAGE, SynthesizeArguments::using);
    register(WriteUtterances.STAGE, WriteUtterances::using);
    register(JudgeConversations.STAGE, JudgeConversations::using);
    register(FilterConversations.STAGE, FilterConversations::using);
    register(RepairSeedMetadata.STAGE, RepairSeedMetadata::using);
    register(EnrichResponses.STAGE, EnrichResponses::using);
    register(EmbedConversations.STAGE, EmbedConversations::using);
    register(Deduplicate.STAGE, Deduplicate::using);
    register(SelectTop.STAGE, SelectTop::using);
  }

  private StageRegistry() {}

  public static synchronized void register(
      String name, Function<StageContext, ConversationStage> factory) {
    STAGES.put(name, factory);
  }

  /** Whether the named stage calls the generation backend (plan, args, utterances, judge). */
  public static boolean callsBackend(String name) {
    return BACKEND_STAGES.contains(name);
  }

  private static final Set<String> BACKEND_STAGES = Set.of(PlanWorkflows.STAGE,
      SynthesizeArguments.STAGE, WriteUtterances.STAGE, JudgeConversations.STAGE);

  public static synchronized boolean has(String name) {
    return SampleTasks.STAGE.equals(name) || STAGES.containsKey(name);
  }

  public static synchronized Set<String> names() {
    java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
    out.add(SampleTasks.STAGE);
    out.addAll(STAGES.keySet());
    return out;
  }

  public static synchronized ConversationStage create(String name, StageContext ctx) {
    Function<StageContext, ConversationStage> f = STAGES.get(name);
    if (f == null) {
      throw new IllegalArgumentException("unknown stage " + name);
    }
    return f.apply(ctx);
  }
}
