package io.convoforge.family.csvagent.stages;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.llm.Backend;
import io.convoforge.core.llm.LlmSession;
import io.convoforge.core.llm.Prompts;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.RecordCoder;
import io.convoforge.core.model.RejectException;
import io.convoforge.core.stages.ModelFn;
import io.convoforge.core.stages.RecordStage;
import io.convoforge.core.stages.StageResult;
import io.convoforge.family.csvagent.CsvAgentCodec;
import io.convoforge.family.csvagent.CsvAgentSettings;
import io.convoforge.family.csvagent.CsvItem;
import io.convoforge.family.csvagent.DatasetRef;
import io.convoforge.family.csvagent.LlmQuestions;
import io.convoforge.family.csvagent.OpenDatasets;
import io.convoforge.family.csvagent.Question;
import io.convoforge.family.csvagent.QuestionGenerator;
import io.convoforge.family.csvagent.QuestionsFile;
import io.convoforge.family.csvagent.SqlSandbox;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.PCollection;

/**
 * The {@code questions} stage, a fan-out: each dataset becomes its questions.
 *
 * <p>In: dataset records. Out: one record per question (id the question's, slices {@code
 * dataset}, {@code difficulty}, {@code source}, {@code template}), from, in this order: the
 * recipe's {@code questions_file} when it has one (those about this dataset, nothing else runs);
 * else the synthetic templates ({@link QuestionGenerator}, deterministic from (run seed, the
 * dataset's hash)) when {@code synthetic} is a source, and the model's proposals ({@link
 * LlmQuestions}, the {@code questions} prompt, one call per dataset) when {@code llm} is a
 * source and the backend is a model. Offline there is no model: the llm source makes nothing
 * (the family says so when the run is checked).
 *
 * <p>Failures: the dataset, when it cannot be opened ({@link OpenDatasets}) or yields no
 * question at all ({@code no_questions}); the model's call alone, as a rejected record {@code
 * <dataset id>/llm} with the session's reason and raw answer, when synthetic questions were
 * made beside it.
 */
public final class GenerateQuestions extends RecordStage<DatasetRef, CsvItem> {
  public static final String STAGE = "questions";
  public static final RecordCoder<CsvItem> CODER = RecordCoder.of(CsvItem.class);
  private final CsvAgentSettings settings;
  private final List<DatasetRef> datasets;
  private final List<String> fromFile;
  private final Backend backend;
  private final Prompts prompts;
  private final String runId;
  private final long seed;

  private GenerateQuestions(CsvAgentSettings settings, List<DatasetRef> datasets,
      List<String> fromFile, Backend backend, Prompts prompts, String runId, long seed) {
    super("GenerateQuestions");
    this.settings = settings;
    this.datasets = List.copyOf(datasets);
    this.fromFile = fromFile == null ? null : List.copyOf(fromFile);
    this.backend = backend;
    this.prompts = prompts;
    this.runId = runId;
    this.seed = seed;
  }

  /** Questions generated per the settings, with the run's backend, prompts, id and seed. */
  public static GenerateQuestions of(CsvAgentSettings settings, List<DatasetRef> datasets,
      Backend backend, Prompts prompts, String runId, long seed) {
    return new GenerateQuestions(settings, datasets, null, backend, prompts, runId, seed);
  }

  /** The same, taking the questions of a checked questions file (JSON lines) instead. */
  public GenerateQuestions fromFile(List<String> questionLines) {
    return new GenerateQuestions(settings, datasets, questionLines, backend, prompts, runId,
        seed);
  }

  @Override
  public StageResult<CsvItem> expand(PCollection<Record<DatasetRef>> input) {
    return applyFn(input, "Questions", new QuestionsFn(this), CODER, backend);
  }

  /** Whether the stage asks the model (the llm source on a model backend, no questions file). */
  boolean asksModel() {
    return fromFile == null && settings.runs(CsvAgentSettings.LLM)
        && settings.llmPerDataset() > 0 && backend != null && !backend.offline();
  }

  static final class QuestionsFn extends ModelFn<DatasetRef, CsvItem> {
    private final GenerateQuestions spec;
    private transient OpenDatasets open;
    private transient Map<String, List<Question>> byDataset;

    QuestionsFn(GenerateQuestions spec) {
      super(STAGE, LlmQuestions.PROMPT, spec.backend, spec.prompts, spec.runId,
          spec.asksModel());
      this.spec = spec;
    }

    @Override
    protected void open() {
      super.open();
      open = new OpenDatasets(spec.datasets, spec.settings.limits());
      if (spec.fromFile != null) {
        byDataset = new HashMap<>();
        for (String line : spec.fromFile) {
          Question q = QuestionsFile.parse(line);
          byDataset.computeIfAbsent(q.dataset().sha256(), k -> new ArrayList<>()).add(q);
        }
      }
    }

    @Override
    protected void close() {
      super.close();
      if (open != null) {
        open.close();
      }
    }

    @Override
    protected void process(Record<DatasetRef> r, Emitter<CsvItem> emit) throws RejectException {
      OpenDatasets.Open o = open.get(r.payload().sha256());
      List<Question> questions = new ArrayList<>();
      if (byDataset != null) {
        questions.addAll(byDataset.getOrDefault(r.payload().sha256(), List.of()));
      } else {
        CsvAgentSettings s = spec.settings;
        if (s.runs(CsvAgentSettings.SYNTHETIC)) {
          try (SqlSandbox sandbox = o.db().connect()) {
            questions.addAll(QuestionGenerator.synthetic(o.table(), o.profile(), sandbox,
                s.syntheticPerDataset(), spec.seed));
          }
        }
        LlmSession session = session();
        if (session != null) {
          try {
            JsonNode a = session.ask(LlmQuestions.PROMPT, LlmQuestions.vars(o.table(),
                o.profile(), s.llmPerDataset(), s.sampleRows()), r.id(),
                LlmQuestions.check(s.llmPerDataset()));
            questions.addAll(LlmQuestions.parse(a, o.table()));
          } catch (RejectException e) {
            if (questions.isEmpty()) {
              throw e;
            }
            emit.reject(r.child(r.id() + "/llm", r.payload()), STAGE, e);
          }
        }
      }
      if (questions.isEmpty()) {
        throw new RejectException("no_questions", byDataset != null
            ? "the questions file has no question about " + r.payload().name()
            : "the table supports no well-defined question of the sources "
                + spec.settings.sources());
      }
      for (Question q : questions) {
        emit.output(r.child(q.id(), CsvItem.of(q))
            .withSlice(CsvAgentCodec.DIFFICULTY, q.difficulty().name())
            .withSlice(CsvAgentCodec.SOURCE, q.source())
            .withSlice(CsvAgentCodec.TEMPLATE, q.template() == null ? q.source()
                : q.template()));
      }
    }
  }
}
