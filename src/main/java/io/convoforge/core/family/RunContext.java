package io.convoforge.core.family;

import io.convoforge.core.llm.Backend;
import io.convoforge.core.recipe.Recipe;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * What every stage of a run may need besides its input, as plain serializable values read once
 * by the launcher: the recipe (overrides applied), the backend, the run's id (a hash of the
 * configuration and the inputs' contents, not of the invocation) and seed. Never the
 * PipelineOptions, never a secret.
 */
public record RunContext(Recipe recipe, Backend backend, String runId, long seed)
    implements Serializable {

  public String kind() {
    return recipe.kind();
  }

  /** The lineage every record starts with: run id, seed, backend, recipe and its stages. */
  public Map<String, Object> lineage() {
    Map<String, Object> l = new TreeMap<>();
    l.put("run_id", runId);
    l.put("seed", seed);
    l.put("backend", backend.name());
    l.put("recipe", recipe.name());
    l.put("stages", recipe.stages());
    return l;
  }
}
