package io.convoforge.family.csvagent;

import io.convoforge.core.input.InputException;
import io.convoforge.core.recipe.Recipe;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A csv-agent recipe's settings as one immutable value (the keys of {@code
 * schemas/recipe-csv-agent.schema.json}): which question sources run and how many questions
 * each makes per dataset, the episodes' turn limit, the number of teacher traces, the float
 * tolerance and the LLM agreement threshold of triangulation, the difficulties kept, the
 * scripted teacher's rates and the sandbox limits. {@link #defaults()} then {@code withX}
 * methods, each checking its value (IllegalArgumentException); {@link #from} reads a recipe
 * and reports a bad value as an {@link InputException} naming the field.
 */
public final class CsvAgentSettings implements Serializable {
  public static final String SYNTHETIC = Question.SYNTHETIC;
  public static final String LLM = Question.LLM;

  private final List<String> sources;
  private final int syntheticPerDataset;
  private final int llmPerDataset;
  private final int sampleRows;
  private final int maxTurns;
  private final int n;
  private final double floatTolerance;
  private final double agreementThreshold;
  private final boolean recordTiming;
  private final double wrongRate;
  private final double exploreRate;
  private final double typoRate;
  private final Set<Difficulty> difficulties;
  private final long timeoutMs;
  private final String memoryLimit;
  private final int rowCap;

  private CsvAgentSettings(List<String> sources, int syntheticPerDataset, int llmPerDataset,
      int sampleRows, int maxTurns, int n, double floatTolerance, double agreementThreshold,
      boolean recordTiming, double wrongRate, double exploreRate, double typoRate,
      Set<Difficulty> difficulties, long timeoutMs, String memoryLimit, int rowCap) {
    this.sources = List.copyOf(sources);
    this.syntheticPerDataset = syntheticPerDataset;
    this.llmPerDataset = llmPerDataset;
    this.sampleRows = sampleRows;
    this.maxTurns = maxTurns;
    this.n = n;
    this.floatTolerance = floatTolerance;
    this.agreementThreshold = agreementThreshold;
    this.recordTiming = recordTiming;
    this.wrongRate = wrongRate;
    this.exploreRate = exploreRate;
    this.typoRate = typoRate;
    this.difficulties = EnumSet.copyOf(difficulties);
    this.timeoutMs = timeoutMs;
    this.memoryLimit = memoryLimit;
    this.rowCap = rowCap;
  }

  /**
   * Both sources, 20 synthetic and 5 LLM questions per dataset, 5 sample rows, 10 turns, 7
   * traces, absolute tolerance 0.1, agreement 0.7, no timing, the scripted teacher's 0.15 /
   * 0.35 / 0.15, every difficulty, 2 s per statement, 256MB, 20 rows shown.
   */
  public static CsvAgentSettings defaults() {
    return new CsvAgentSettings(List.of(SYNTHETIC, LLM), 20, 5, 5, 10, 7, 0.1, 0.7, false,
        0.15, 0.35, 0.15, EnumSet.allOf(Difficulty.class), 10_000, "256MB", 20);
  }

  /** The settings of {@code recipe}; {@code count} ({@code --count}) sets synthetic_per_dataset. */
  @SuppressWarnings("unchecked")
  public static CsvAgentSettings from(Recipe recipe, Integer count) {
    Map<String, Object> q = recipe.section("questions");
    Map<String, Object> e = recipe.section("episodes");
    Map<String, Object> scripted = e.get("scripted") instanceof Map<?, ?> m
        ? (Map<String, Object>) m : Map.of();
    Map<String, Object> sb = recipe.section("sandbox");
    CsvAgentSettings d = defaults();
    String field = "questions";
    try {
      CsvAgentSettings s = d;
      if (q.get("sources") != null) {
        s = s.withSources((List<String>) q.get("sources"));
      }
      field = "questions.synthetic_per_dataset";
      int synthetic = count != null ? count : intOr(q.get("synthetic_per_dataset"),
          d.syntheticPerDataset);
      s = s.withSyntheticPerDataset(synthetic);
      field = "questions";
      s = s.withLlmPerDataset(intOr(q.get("llm_per_dataset"), d.llmPerDataset))
          .withSampleRows(intOr(q.get("sample_rows"), d.sampleRows));
      field = "episodes";
      s = s.withMaxTurns(intOr(e.get("max_turns"), d.maxTurns))
          .withN(intOr(e.get("n_consistency"), d.n))
          .withFloatTolerance(dblOr(e.get("float_tolerance"), d.floatTolerance))
          .withAgreementThreshold(dblOr(e.get("agreement_threshold"), d.agreementThreshold))
          .withRecordTiming(Boolean.TRUE.equals(e.get("record_timing")))
          .withScripted(dblOr(scripted.get("wrong_rate"), d.wrongRate),
              dblOr(scripted.get("explore_rate"), d.exploreRate),
              dblOr(scripted.get("typo_rate"), d.typoRate));
      field = "difficulties";
      Object diffs = recipe.value("difficulties");
      if (diffs != null) {
        List<Difficulty> kept = new ArrayList<>();
        ((List<String>) diffs).forEach(x -> kept.add(Difficulty.valueOf(x)));
        s = s.withDifficulties(kept);
      }
      field = "sandbox";
      return s.withSandbox(longOr(sb.get("timeout_ms"), d.timeoutMs),
          sb.get("memory_limit") == null ? d.memoryLimit : String.valueOf(sb.get("memory_limit")),
          intOr(sb.get("row_cap"), d.rowCap));
    } catch (IllegalArgumentException ex) {
      throw new InputException(recipe.file(), "field " + field, ex.getMessage());
    }
  }

  public CsvAgentSettings withSources(List<String> s) {
    check(!s.isEmpty() && List.of(SYNTHETIC, LLM).containsAll(s),
        "sources are a non-empty subset of [synthetic, llm], got " + s);
    return new CsvAgentSettings(s, syntheticPerDataset, llmPerDataset, sampleRows, maxTurns, n,
        floatTolerance, agreementThreshold, recordTiming, wrongRate, exploreRate, typoRate,
        difficulties, timeoutMs, memoryLimit, rowCap);
  }

  public CsvAgentSettings withSyntheticPerDataset(int k) {
    check(k >= 0, "synthetic_per_dataset must be >= 0, got " + k);
    return new CsvAgentSettings(sources, k, llmPerDataset, sampleRows, maxTurns, n,
        floatTolerance, agreementThreshold, recordTiming, wrongRate, exploreRate, typoRate,
        difficulties, timeoutMs, memoryLimit, rowCap);
  }

  public CsvAgentSettings withLlmPerDataset(int k) {
    check(k >= 0, "llm_per_dataset must be >= 0, got " + k);
    return new CsvAgentSettings(sources, syntheticPerDataset, k, sampleRows, maxTurns, n,
        floatTolerance, agreementThreshold, recordTiming, wrongRate, exploreRate, typoRate,
        difficulties, timeoutMs, memoryLimit, rowCap);
  }

  public CsvAgentSettings withSampleRows(int k) {
    check(k >= 0 && k <= 50, "sample_rows must be in 0..50, got " + k);
    return new CsvAgentSettings(sources, syntheticPerDataset, llmPerDataset, k, maxTurns, n,
        floatTolerance, agreementThreshold, recordTiming, wrongRate, exploreRate, typoRate,
        difficulties, timeoutMs, memoryLimit, rowCap);
  }

  public CsvAgentSettings withMaxTurns(int k) {
    check(k >= 1, "max_turns must be >= 1, got " + k);
    return new CsvAgentSettings(sources, syntheticPerDataset, llmPerDataset, sampleRows, k, n,
        floatTolerance, agreementThreshold, recordTiming, wrongRate, exploreRate, typoRate,
        difficulties, timeoutMs, memoryLimit, rowCap);
  }

  public CsvAgentSettings withN(int k) {
    check(k >= 1, "n_consistency must be >= 1, got " + k);
    return new CsvAgentSettings(sources, syntheticPerDataset, llmPerDataset, sampleRows,
        maxTurns, k, floatTolerance, agreementThreshold, recordTiming, wrongRate, exploreRate,
        typoRate, difficulties, timeoutMs, memoryLimit, rowCap);
  }

  public CsvAgentSettings withFloatTolerance(double t) {
    check(t >= 0 && Double.isFinite(t), "float_tolerance must be a finite number >= 0, got " + t);
    return new CsvAgentSettings(sources, syntheticPerDataset, llmPerDataset, sampleRows,
        maxTurns, n, t, agreementThreshold, recordTiming, wrongRate, exploreRate, typoRate,
        difficulties, timeoutMs, memoryLimit, rowCap);
  }

  public CsvAgentSettings withAgreementThreshold(double t) {
    check(t > 0 && t <= 1, "agreement_threshold must be in (0, 1], got " + t);
    return new CsvAgentSettings(sources, syntheticPerDataset, llmPerDataset, sampleRows,
        maxTurns, n, floatTolerance, t, recordTiming, wrongRate, exploreRate, typoRate,
        difficulties, timeoutMs, memoryLimit, rowCap);
  }

  public CsvAgentSettings withRecordTiming(boolean on) {
    return new CsvAgentSettings(sources, syntheticPerDataset, llmPerDataset, sampleRows,
        maxTurns, n, floatTolerance, agreementThreshold, on, wrongRate, exploreRate, typoRate,
        difficulties, timeoutMs, memoryLimit, rowCap);
  }

  /** The scripted teacher's rates of wrong answers, exploratory steps and typos. */
  public CsvAgentSettings withScripted(double wrong, double explore, double typo) {
    for (double r : new double[] {wrong, explore, typo}) {
      check(r >= 0 && r <= 1, "a scripted rate is in [0, 1], got " + r);
    }
    return new CsvAgentSettings(sources, syntheticPerDataset, llmPerDataset, sampleRows,
        maxTurns, n, floatTolerance, agreementThreshold, recordTiming, wrong, explore, typo,
        difficulties, timeoutMs, memoryLimit, rowCap);
  }

  public CsvAgentSettings withDifficulties(List<Difficulty> kept) {
    check(!kept.isEmpty(), "difficulties must name at least one");
    return new CsvAgentSettings(sources, syntheticPerDataset, llmPerDataset, sampleRows,
        maxTurns, n, floatTolerance, agreementThreshold, recordTiming, wrongRate, exploreRate,
        typoRate, EnumSet.copyOf(kept), timeoutMs, memoryLimit, rowCap);
  }

  /** The sandbox's per-statement timeout, DuckDB memory limit and rows shown. */
  public CsvAgentSettings withSandbox(long timeout, String memory, int rows) {
    new SqlSandbox.Limits(timeout, memory, rows, 200);
    return new CsvAgentSettings(sources, syntheticPerDataset, llmPerDataset, sampleRows,
        maxTurns, n, floatTolerance, agreementThreshold, recordTiming, wrongRate, exploreRate,
        typoRate, difficulties, timeout, memory, rows);
  }

  public List<String> sources() {
    return sources;
  }

  public boolean runs(String source) {
    return sources.contains(source);
  }

  public int syntheticPerDataset() {
    return syntheticPerDataset;
  }

  public int llmPerDataset() {
    return llmPerDataset;
  }

  public int sampleRows() {
    return sampleRows;
  }

  public int maxTurns() {
    return maxTurns;
  }

  public int n() {
    return n;
  }

  public double floatTolerance() {
    return floatTolerance;
  }

  public double agreementThreshold() {
    return agreementThreshold;
  }

  public boolean recordTiming() {
    return recordTiming;
  }

  public Set<Difficulty> difficulties() {
    return EnumSet.copyOf(difficulties);
  }

  public boolean keeps(Difficulty d) {
    return difficulties.contains(d);
  }

  public SqlSandbox.Limits limits() {
    return SqlSandbox.Limits.defaults().withTimeoutMs(timeoutMs).withRowCap(rowCap)
        .withMemoryLimit(memoryLimit);
  }

  /** The offline teacher with these rates and turn limit. */
  public ScriptedSolver scriptedSolver() {
    return ScriptedSolver.create().withWrongRate(wrongRate).withExploreRate(exploreRate)
        .withTypoRate(typoRate).withMaxTurns(maxTurns);
  }

  public Triangulation triangulation() {
    return Triangulation.of(floatTolerance, agreementThreshold);
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  private static int intOr(Object v, int d) {
    return v instanceof Number num ? num.intValue() : d;
  }

  private static long longOr(Object v, long d) {
    return v instanceof Number num ? num.longValue() : d;
  }

  private static double dblOr(Object v, double d) {
    return v instanceof Number num ? num.doubleValue() : d;
  }
}
