package io.convoforge.backend.offline;

import io.convoforge.stages.StageContext;
import io.convoforge.stages.ToolValidator;
import java.util.List;
import java.util.Map;

/** Thin access to the per-JVM tool validator for the offline writer. */
final class Validation {
  private Validation() {}

  static List<String> violations(StageContext ctx, String tool, Map<String, Object> args) {
    return ToolValidator.of(ctx).violations(tool, args);
  }
}
