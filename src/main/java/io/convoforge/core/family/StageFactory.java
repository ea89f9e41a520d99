package io.convoforge.core.family;

import io.convoforge.core.stages.RecordStage;

/** Makes a named stage of a run: a family's own, or a core stage given the family's parts. */
@FunctionalInterface
public interface StageFactory {
  RecordStage<?, ?> create(RunContext ctx, FamilyRun run);
}
