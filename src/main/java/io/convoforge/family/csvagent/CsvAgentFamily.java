package io.convoforge.family.csvagent;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.family.FamilyRun;
import io.convoforge.core.family.RecipeFamily;
import io.convoforge.core.input.InputException;
import io.convoforge.core.input.Problem;
import io.convoforge.core.llm.Prompts;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.RecordCodec;
import io.convoforge.core.recipe.Recipe;
import io.convoforge.core.stages.JudgeConversations;
import io.convoforge.family.csvagent.cli.InspectCommand;
import io.convoforge.family.csvagent.cli.ValidateQuestionCommand;
import io.convoforge.family.csvagent.stages.FilterDifficulty;
import io.convoforge.family.csvagent.stages.GenerateQuestions;
import io.convoforge.family.csvagent.stages.ReadDatasets;
import io.convoforge.family.csvagent.stages.TriangulateEpisodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The csv-agent family ({@code kind: csv-agent}): verified question-answer episodes over CSV
 * files, in which an agent explores the data with DuckDB SQL, sees real results, and ends with
 * an answer that several independent attempts agree on. Recipe keys ({@code
 * schemas/recipe-csv-agent.schema.json}): {@code datasets}, {@code questions_file} (paths),
 * {@code questions}, {@code episodes}, {@code difficulties}, {@code sandbox}. Stages: {@code
 * datasets} (the source), {@code questions}, {@code episodes}, {@code difficulty}, then the core
 * ones. Prompts in {@code transforms/csv-agent/} (questions, solve, judge). Commands: {@code
 * inspect}, {@code validate-question}.
 *
 * <p>{@link #prepare} fails with an {@link InputException} naming the file and line or field:
 * a malformed CSV, a path or glob that matches nothing, two datasets with the same content, a
 * questions file line that is no question or is about none of the datasets, a stage order the
 * records cannot flow through, an offline recipe whose only question source is the model, and
 * a model teacher at temperature 0 asked for several traces (they would all be the same).
 */
public final class CsvAgentFamily implements RecipeFamily {
  static final List<String> PROMPTS = List.of(LlmQuestions.PROMPT, LlmSolver.PROMPT,
      JudgeConversations.STAGE);
  /** Stages that work on episodes (they need the dialogue). */
  private static final Set<String> AFTER_EPISODES =
      Set.of("judge", "filter", "embed", "dedup", "select");

  @Override
  public String kind() {
    return CsvAgentCodec.KIND;
  }

  @Override
  public JsonNode recipeSchema() {
    try (InputStream in = getClass().getResourceAsStream("/schemas/recipe-csv-agent.schema.json")) {
      return Json.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Set<String> pathKeys() {
    return Set.of("datasets", "questions_file");
  }

  @Override
  public Map<String, Object> defaults() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("stages", List.of(ReadDatasets.STAGE, GenerateQuestions.STAGE,
        FilterDifficulty.STAGE, TriangulateEpisodes.STAGE, "judge", "filter"));
    // Turns are SQL steps; max_turns (at most 50) bounds them already.
    d.put("turns", Map.of("min", 1, "max", 50));
    return d;
  }

  @Override
  @SuppressWarnings("unchecked")
  public FamilyRun prepare(Recipe recipe, Integer count) {
    CsvAgentSettings settings = CsvAgentSettings.from(recipe, count);
    Object ds = recipe.value("datasets");
    List<String> entries = ds instanceof List<?> l ? (List<String>) l : List.of(String.valueOf(ds));
    List<DatasetFiles.Loaded> loaded = DatasetFiles.load(
        DatasetFiles.expand(recipe.file(), "datasets", entries, ".csv"));
    List<DatasetRef> refs = loaded.stream().map(DatasetFiles.Loaded::ref).toList();
    List<String> questionLines = null;
    String questionsFile = recipe.string("questions_file", null);
    if (questionsFile != null) {
      questionLines = questions(recipe, questionsFile, refs);
    }
    checkStages(recipe);
    boolean offline = "offline".equals(recipe.backend());
    if (offline && questionLines == null && settings.sources().equals(List.of(Question.LLM))
        && recipe.stages().contains(GenerateQuestions.STAGE)) {
      throw new InputException(recipe.file(), "field questions.sources", "is [llm] but the"
          + " backend is offline, and only a model proposes LLM questions; add synthetic or"
          + " run with --backend openai|gemini|vertex");
    }
    if (!offline && settings.n() > 1) {
      checkTemperature(recipe);
    }
    Prompts prompts = Prompts.load(Prompts.dirOf(recipe.section("llm")), kind(), PROMPTS,
        List.of(JudgeConversations.STAGE));
    StringBuilder fp = new StringBuilder();
    refs.forEach(r -> fp.append(r.sha256()).append('\n'));
    if (questionLines != null) {
      questionLines.forEach(l -> fp.append(l).append('\n'));
    }
    return new CsvAgentRun(this, recipe, settings, refs, questionLines, prompts, fp.toString(),
        describe(settings, refs, questionLines, offline));
  }

  private static List<String> questions(Recipe recipe, String file, List<DatasetRef> refs) {
    List<QuestionsFile.Line> lines = QuestionsFile.read(
        DatasetFiles.expand(recipe.file(), "questions_file", List.of(file), ".jsonl"));
    Set<String> shas = new HashSet<>();
    refs.forEach(r -> shas.add(r.sha256()));
    List<Problem> problems = new ArrayList<>();
    List<String> out = new ArrayList<>();
    for (QuestionsFile.Line l : lines) {
      Question.Dataset d = l.question().dataset();
      if (!shas.contains(d.sha256())) {
        problems.add(new Problem(l.file(), "line " + l.line(), "is about " + d.file()
            + " (sha256 " + d.sha256().substring(0, 12) + "…), which is not among the recipe's"
            + " datasets; add that CSV to datasets"));
      }
      out.add(l.json());
    }
    if (!problems.isEmpty()) {
      throw new InputException(problems.subList(0, Math.min(20, problems.size())));
    }
    if (out.isEmpty()) {
      throw new InputException(file, null, "holds no question");
    }
    return out;
  }

  /** Records flow datasets → questions → (difficulty, episodes) → core stages. */
  private static void checkStages(Recipe recipe) {
    List<String> s = recipe.stages();
    Set<String> known = new HashSet<>(AFTER_EPISODES);
    known.addAll(List.of(ReadDatasets.STAGE, GenerateQuestions.STAGE, FilterDifficulty.STAGE,
        TriangulateEpisodes.STAGE));
    if (!known.containsAll(s)) {
      return;  // the core names the unknown stage, with the ones it knows
    }
    List<Problem> problems = new ArrayList<>();
    if (s.size() > 1 && !s.get(1).equals(GenerateQuestions.STAGE)) {
      problems.add(new Problem(recipe.file(), "field stages[1]", "must be 'questions' (the"
          + " datasets become questions before anything else runs), got '" + s.get(1) + "'"));
    }
    int episodes = s.indexOf(TriangulateEpisodes.STAGE);
    for (int i = 1; i < s.size(); i++) {
      if (AFTER_EPISODES.contains(s.get(i)) && (episodes < 0 || i < episodes)) {
        problems.add(new Problem(recipe.file(), "field stages[" + i + "]", "'" + s.get(i)
            + "' works on episodes; list it after 'episodes'"));
      }
      if (i != s.indexOf(s.get(i))) {
        problems.add(new Problem(recipe.file(), "field stages[" + i + "]", "'" + s.get(i)
            + "' is listed twice"));
      }
    }
    if (!problems.isEmpty()) {
      throw new InputException(problems);
    }
  }

  @SuppressWarnings("unchecked")
  private static void checkTemperature(Recipe recipe) {
    Map<String, Object> llm = recipe.section("llm");
    Object t = llm.get("temperature");
    String field = "llm.temperature";
    if (llm.get("stages") instanceof Map<?, ?> st && st.get(LlmSolver.PROMPT) instanceof Map<?, ?> m
        && m.get("temperature") != null) {
      t = m.get("temperature");
      field = "llm.stages.solve.temperature";
    }
    if (t instanceof Number x && x.doubleValue() <= 0) {
      throw new InputException(recipe.file(), "field " + field, "is 0, so the "
          + "episodes.n_consistency traces of a question would not be independent; give the"
          + " solve stage a temperature above 0 (e.g. --set llm.stages.solve.temperature=0.8)");
    }
  }

  private static String describe(CsvAgentSettings s, List<DatasetRef> refs,
      List<String> questionLines, boolean offline) {
    long rows = refs.stream().mapToLong(DatasetRef::rows).sum();
    String questions;
    if (questionLines != null) {
      questions = questionLines.size() + " questions from questions_file";
    } else {
      List<String> parts = new ArrayList<>();
      if (s.runs(Question.SYNTHETIC)) {
        parts.add(s.syntheticPerDataset() + " synthetic");
      }
      if (s.runs(Question.LLM)) {
        parts.add(s.llmPerDataset() + " llm" + (offline ? " (skipped offline)" : ""));
      }
      questions = String.join(" + ", parts) + " questions per dataset";
    }
    return String.format(Locale.ROOT, "%d datasets (%,d rows), %s, %d traces per question,"
        + " at most %d SQL steps, difficulties %s", refs.size(), rows, questions, s.n(),
        s.maxTurns(), s.difficulties());
  }

  @Override
  public RecordCodec codec() {
    return new CsvAgentCodec();
  }

  @Override
  public List<String> trialOverrides() {
    return List.of("questions.synthetic_per_dataset=3", "questions.llm_per_dataset=2");
  }

  @Override
  public List<String> reportLines(JsonNode report) {
    return CsvAgentReport.lines(report);
  }

  @Override
  public List<Object> commands() {
    return List.of(new InspectCommand(), new ValidateQuestionCommand());
  }
}
