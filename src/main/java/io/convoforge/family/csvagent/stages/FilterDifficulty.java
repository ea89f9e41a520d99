package io.convoforge.family.csvagent.stages;

import io.convoforge.core.model.Record;
import io.convoforge.core.model.RejectException;
import io.convoforge.core.stages.RecordFn;
import io.convoforge.core.stages.RecordStage;
import io.convoforge.core.stages.StageResult;
import io.convoforge.family.csvagent.CsvItem;
import io.convoforge.family.csvagent.Difficulty;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.values.PCollection;

/**
 * The {@code difficulty} stage: keeps the records whose question's labelled difficulty is one
 * of the recipe's {@code difficulties}. Works on questions (before {@code episodes}, so that
 * nobody solves what would be thrown away) as on episodes. In: question or episode records. Out:
 * the kept ones, unchanged. Failures: {@code difficulty}. Deterministic; no retries.
 */
public final class FilterDifficulty extends RecordStage<CsvItem, CsvItem> {
  public static final String STAGE = "difficulty";
  private final Set<Difficulty> kept;

  private FilterDifficulty(Set<Difficulty> kept) {
    super("FilterDifficulty");
    if (kept.isEmpty()) {
      throw new IllegalArgumentException("keep at least one difficulty");
    }
    this.kept = EnumSet.copyOf(kept);
  }

  public static FilterDifficulty keeping(Set<Difficulty> kept) {
    return new FilterDifficulty(kept);
  }

  @Override
  public StageResult<CsvItem> expand(PCollection<Record<CsvItem>> input) {
    return applyFn(input, "Difficulty", new DifficultyFn(kept), null);
  }

  static final class DifficultyFn extends RecordFn<CsvItem, CsvItem> {
    private final Set<Difficulty> kept;

    DifficultyFn(Set<Difficulty> kept) {
      super(STAGE);
      this.kept = kept;
    }

    @Override
    protected void process(Record<CsvItem> r, Emitter<CsvItem> emit) throws RejectException {
      Difficulty d = r.payload().question().difficulty();
      if (!kept.contains(d)) {
        throw new RejectException(STAGE, d + " is not among the kept difficulties "
            + List.copyOf(kept));
      }
      emit.output(r);
    }
  }
}
