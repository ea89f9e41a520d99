package io.convoforge.family.csvagent.stages;

import io.convoforge.core.llm.Backend;
import io.convoforge.core.llm.LlmSession;
import io.convoforge.core.llm.Prompts;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.RejectException;
import io.convoforge.core.run.Job;
import io.convoforge.core.stages.ModelFn;
import io.convoforge.core.stages.RecordStage;
import io.convoforge.core.stages.StageResult;
import io.convoforge.core.util.Seeds;
import io.convoforge.family.csvagent.ChatFormat;
import io.convoforge.family.csvagent.CsvAgentSettings;
import io.convoforge.family.csvagent.CsvItem;
import io.convoforge.family.csvagent.DatasetRef;
import io.convoforge.family.csvagent.Episode;
import io.convoforge.family.csvagent.EpisodeRecorder;
import io.convoforge.family.csvagent.LlmSolver;
import io.convoforge.family.csvagent.OpenDatasets;
import io.convoforge.family.csvagent.Question;
import io.convoforge.family.csvagent.Rejection;
import io.convoforge.family.csvagent.ScriptedSolver;
import io.convoforge.family.csvagent.SqlSandbox;
import io.convoforge.family.csvagent.Triangulation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The {@code episodes} stage: n independent teacher traces per question, each with real SQL in
 * its own sandbox connection, then teacher triangulation; a fan-out with per-trace rejections.
 *
 * <p>In: question records. Teacher: offline the {@link ScriptedSolver} (synthetic questions
 * only: it writes SQL from the program, with seeded variation and planted mistakes); on a model
 * backend the {@link LlmSolver} through the {@code solve} prompt, trace i its own cached call
 * ({@code <question id>/t<i>}). {@link Triangulation} compares the n answers (absolute {@code
 * float_tolerance}, normalised text) and decides. Out: for a verified question the first trace
 * that reached the majority, as the question's record (same id) with the episode's messages,
 * trace, answer and verification. Failures, one per other trace ({@code <question id>#<i>},
 * carrying its trace and the verdict): {@code disagrees_with_majority}, {@code no_answer},
 * {@code redundant} (it agreed, another was kept), {@code unverified} (every trace of a question
 * that failed triangulation: tied, wrong majority, agreement below the threshold, no answers),
 * or a model trace's own failure ({@code llm_schema_invalid}, {@code llm_unavailable}...). The
 * question itself: {@code no_offline_teacher} (offline, a question without a program), or its
 * dataset's failures. A question is n elements: the funnel counts n - 1 created.
 *
 * <p>A Reshuffle on {@link Job#shards} keys first spreads the questions of one dataset over the
 * workers.
 */
public final class TriangulateEpisodes extends RecordStage<CsvItem, CsvItem> {
  public static final String STAGE = "episodes";
  private final CsvAgentSettings settings;
  private final List<DatasetRef> datasets;
  private final Backend backend;
  private final Prompts prompts;
  private final String runId;
  private final long seed;

  private TriangulateEpisodes(CsvAgentSettings settings, List<DatasetRef> datasets,
      Backend backend, Prompts prompts, String runId, long seed) {
    super("TriangulateEpisodes");
    this.settings = settings;
    this.datasets = List.copyOf(datasets);
    this.backend = backend;
    this.prompts = prompts;
    this.runId = runId;
    this.seed = seed;
  }

  public static TriangulateEpisodes of(CsvAgentSettings settings, List<DatasetRef> datasets,
      Backend backend, Prompts prompts, String runId, long seed) {
    return new TriangulateEpisodes(settings, datasets, backend, prompts, runId, seed);
  }

  @Override
  public StageResult<CsvItem> expand(PCollection<Record<CsvItem>> input) {
    // A few keys, not one per question: the DirectRunner pays per bundle (it translates the
    // step again for each), and a cluster gets one key per slot (Job.shards).
    int shards = Job.shards(input.getPipeline().getOptions());
    PCollection<Record<CsvItem>> spread = input
        .apply("KeyByShard", WithKeys.of((Record<CsvItem> r) ->
            (int) Math.floorMod(Seeds.hash(r.id()), (long) shards))
            .withKeyType(TypeDescriptors.integers()))
        .setCoder(KvCoder.of(VarIntCoder.of(), input.getCoder()))
        .apply("SpreadQuestions", Reshuffle.of())
        .apply("Unshard", Values.create())
        .setCoder(input.getCoder());
    return applyFn(spread, "Episodes", new EpisodesFn(this), backend);
  }

  static final class EpisodesFn extends ModelFn<CsvItem, CsvItem> {
    private final TriangulateEpisodes spec;
    private transient OpenDatasets open;
    private transient ScriptedSolver scripted;
    private transient Triangulation triangulation;

    EpisodesFn(TriangulateEpisodes spec) {
      super(STAGE, LlmSolver.PROMPT, spec.backend, spec.prompts, spec.runId,
          !spec.backend.offline());
      this.spec = spec;
    }

    @Override
    protected void open() {
      super.open();
      open = new OpenDatasets(spec.datasets, spec.settings.limits());
      scripted = spec.settings.scriptedSolver();
      triangulation = spec.settings.triangulation();
    }

    @Override
    protected void close() {
      super.close();
      if (open != null) {
        open.close();
      }
    }

    @Override
    protected void process(Record<CsvItem> r, Emitter<CsvItem> emit) throws RejectException {
      Question q = r.payload().question();
      OpenDatasets.Open o = open.get(q.dataset().sha256());
      int n = spec.settings.n();
      List<Episode> traces = new ArrayList<>(n);
      Map<Integer, RejectException> failed = new HashMap<>();
      LlmSession session = session();
      if (session == null) {
        if (q.program() == null) {
          throw new RejectException("no_offline_teacher", "offline, the scripted teacher"
              + " solves synthetic questions only (it needs a program); run this " + q.source()
              + " question with a model backend");
        }
        traces.addAll(scripted.traces(q, o.profile(), o.db(), n, spec.seed));
      } else {
        for (int i = 0; i < n; i++) {
          try (SqlSandbox sandbox = o.db().connect()) {
            traces.add(LlmSolver.solve(session, q, sandbox, spec.settings.maxTurns(), i));
          } catch (RejectException e) {
            failed.put(i, e);
            traces.add(new Episode(Episode.id(q.id(), i), q.id(), i, EpisodeRecorder.TOOLS,
                List.of(), List.of(), null, null));
          }
        }
      }
      Triangulation.Outcome outcome = triangulation.judge(q, traces);
      Map<Integer, Rejection> rejections = new HashMap<>();
      outcome.rejections().forEach(x -> rejections.put(x.traceIndex(), x));
      Map<String, Object> teacher = session == null ? Map.of("teacher", "scripted")
          : Map.of("teacher", session.model(), "prompts", session.promptVersions());
      for (Episode e : traces) {
        CsvItem item = CsvItem.of(q, e, outcome.verification(), spec.settings.recordTiming());
        Record<CsvItem> rec = r.withPayload(item).withMessages(ChatFormat.toCore(e.messages()));
        for (Map.Entry<String, Object> t : teacher.entrySet()) {
          rec = rec.withLineage(t.getKey(), t.getValue());
        }
        if (e == outcome.kept()) {
          emit.output(rec);
        } else {
          emit.reject(rec.child(e.id(), item), STAGE,
              reason(rejections.get(e.traceIndex()), failed.get(e.traceIndex())));
        }
      }
    }

    /** The trace's rejection; a model failure replaces a plain no_answer, else is the detail. */
    private static RejectException reason(Rejection x, RejectException failure) {
      String detail = x.detail() != null ? x.detail()
          : Rejection.NO_ANSWER.equals(x.reason()) ? "the trace gave no answer" : null;
      if (failure == null) {
        return new RejectException(x.reason(), detail);
      }
      if (Rejection.UNVERIFIED.equals(x.reason())) {
        return new RejectException(x.reason(), detail + "; this trace failed: "
            + failure.reason() + ": " + failure.getMessage(), failure.rawResponse());
      }
      return new RejectException(failure.reason(), failure.getMessage(), failure.rawResponse());
    }
  }
}
