package io.convoforge.family.tooluse;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.family.ExportProfile;
import io.convoforge.core.family.FamilyRun;
import io.convoforge.core.family.RecipeFamily;
import io.convoforge.core.input.InputException;
import io.convoforge.core.input.InputFiles;
import io.convoforge.core.input.Problem;
import io.convoforge.core.llm.Prompts;
import io.convoforge.core.model.RecordCodec;
import io.convoforge.core.recipe.Recipe;
import io.convoforge.family.tooluse.cli.EvalCommand;
import io.convoforge.family.tooluse.cli.RepairCommand;
import io.convoforge.family.tooluse.cli.ToolsCommand;
import io.convoforge.family.tooluse.gen.PhraseBank;
import io.convoforge.family.tooluse.recipe.FailureMix;
import io.convoforge.family.tooluse.recipe.SamplingPlan;
import io.convoforge.family.tooluse.recipe.Stratum;
import io.convoforge.family.tooluse.recipe.Task;
import io.convoforge.family.tooluse.recipe.TaskCatalog;
import io.convoforge.family.tooluse.schema.SchemaLoader;
import io.convoforge.family.tooluse.schema.TablesSchema;
import io.convoforge.family.tooluse.schema.Tools;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tool-use family ({@code kind: tool-use}): multi-turn conversations in which an assistant
 * calls tools derived from the user's tables schema, sampled from a weighted task list or an
 * exact chain table, every call executed and repaired in a sandbox database. Recipe keys: {@code
 * schema}, {@code tasks}, {@code phrases} (paths), {@code sampling}, {@code chains}, {@code
 * failure_causes} ({@code schemas/recipe-tool-use.schema.json}). Stages: {@code sample} (the source), {@code plan},
 * {@code args}, {@code utterances}, {@code repair}, {@code enrich}; prompts in {@code
 * transforms/tool-use/}.
 */
public final class ToolUseFamily implements RecipeFamily {
  /** The model-facing stages, each with a prompt folder. */
  static final List<String> PROMPTS = List.of("plan", "args", "utterances", "judge");

  @Override
  public String kind() {
    return ToolUseCodec.KIND;
  }

  @Override
  public JsonNode recipeSchema() {
    return InputFiles.resourceJson("/schemas/recipe-tool-use.schema.json");
  }

  @Override
  public Set<String> pathKeys() {
    return Set.of("schema", "tasks", "phrases");
  }

  @Override
  public Map<String, Object> defaults() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("stages", List.of("sample", "plan", "args", "utterances", "judge", "filter"));
    d.put("turns", Map.of("min", 5, "max", 10));
    return d;
  }

  @Override
  public FamilyRun prepare(Recipe recipe, Integer count) {
    if (recipe.string("tasks", null) == null) {
      throw new InputException(List.of(new Problem(recipe.file(), "field tasks",
          "is missing; name the tasks CSV")));
    }
    Path schemaPath = Path.of(recipe.string("schema", null));
    TablesSchema schema = SchemaLoader.load(schemaPath);
    Path tasksPath = Path.of(recipe.string("tasks", null));
    Map<String, Task> tasks = TaskCatalog.load(tasksPath, Tools.derive(schema).keySet());
    String phrasesPath = recipe.string("phrases", null);
    PhraseBank phrases = phrasesPath == null ? PhraseBank.loadDefault()
        : PhraseBank.load(Path.of(phrasesPath));
    List<Stratum> strata = SamplingPlan.strata(recipe, tasks, count, recipe.seed());
    Prompts prompts = Prompts.load(Prompts.dirOf(recipe.section("llm")), kind(), PROMPTS,
        List.of("judge"));
    String fingerprint = String.join("\n", InputFiles.read(schemaPath),
        InputFiles.read(tasksPath),
        phrasesPath == null ? "" : InputFiles.read(Path.of(phrasesPath)),
        String.valueOf(strata), String.valueOf(recipe.seed()));
    return new ToolUseRun(this, recipe, schema, tasks, phrases, strata, prompts,
        FailureMix.of(recipe), fingerprint);
  }

  @Override
  public RecordCodec codec() {
    return new ToolUseCodec();
  }

  @Override
  public ExportProfile exportProfile(Recipe recipe) {
    String schema = recipe == null ? null : recipe.string("schema", null);
    return new ToolUseExport(schema == null ? null
        : Tools.derive(SchemaLoader.load(Path.of(schema))));
  }

  @Override
  public List<Object> commands() {
    return List.of(new ToolsCommand(), new RepairCommand(), new EvalCommand());
  }

  @Override
  public List<String> reportLines(JsonNode report) {
    return DialogueSummary.lines(report);
  }
}
