package io.convoforge.family.scenario;

import io.convoforge.core.input.InputException;
import io.convoforge.core.util.Seeds;
import io.convoforge.family.scenario.spec.PromptSpec;
import io.convoforge.family.scenario.spec.Scenario;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Which scenario each conversation of a run is generated under, and the run's batch and
 * conversation ids.
 *
 * <p>In: a spec, a mode, the run seed, the total count and the batch size. Out: {@link
 * #batches()} batches of {@link #batchSize()} slots (the last one possibly shorter); for each slot
 * a scenario and an id. Everything derives from (prompt id, mode, scenario, seed, batch index,
 * slot), so any worker, retry or rerun makes the same choice.
 *
 * <ul>
 *   <li>{@code random}: a batch of n slots takes the round-robin {@code r, r+1, …, r+n-1} over the
 *       catalogue (r a seeded offset) and shuffles it with a seed of the batch id. Each scenario
 *       thus appears ⌊n/S⌋ or ⌈n/S⌉ times (balanced within ±1) when n ≥ S, and n distinct
 *       scenarios are drawn when n &lt; S.
 *   <li>{@code fixed}: every slot uses the one scenario named.
 * </ul>
 *
 * <p>Batch ids: {@code b-<12 hex of the prompt>-<random | fixed-ID>-<seed>-<index, 4 digits>}
 * (a negative seed is written {@code n<abs>}); conversation ids: {@code <batch id>-c<slot, 4
 * digits>}. Both are valid folder and file names. Fails with {@link InputException} on an unknown
 * scenario id, a count below 1 or a batch size below 1.
 */
public final class ScenarioPlan implements Serializable {
  /** How scenarios are chosen. */
  public enum Mode {
    RANDOM,
    FIXED;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** {@code random} or {@code fixed} in any case, else an {@link InputException}. */
    public static Mode parse(String s) {
      for (Mode m : values()) {
        if (m.wire().equalsIgnoreCase(s == null ? "" : s.trim())) {
          return m;
        }
      }
      throw new InputException("scenario_mode", null, "expected random or fixed, got '" + s + "'");
    }
  }

  private final PromptSpec spec;
  private final Mode mode;
  private final Scenario fixed;
  private final long seed;
  private final int count;
  private final int batchSize;
  private transient int[] cachedAssignment;
  private transient int cachedBatch;

  private ScenarioPlan(PromptSpec spec, Mode mode, Scenario fixed, long seed, int count,
      int batchSize) {
    if (count < 1) {
      throw new InputException("count", null, "expected at least 1 conversation, got " + count);
    }
    if (batchSize < 1) {
      throw new InputException("batch_size", null, "expected at least 1, got " + batchSize);
    }
    this.spec = spec;
    this.mode = mode;
    this.fixed = fixed;
    this.seed = seed;
    this.count = count;
    this.batchSize = batchSize;
  }

  public static ScenarioPlan random(PromptSpec spec, long seed, int count, int batchSize) {
    return new ScenarioPlan(spec, Mode.RANDOM, null, seed, count, batchSize);
  }

  /** Fixed mode; {@code scenarioId} must be in the spec's catalogue. */
  public static ScenarioPlan fixed(PromptSpec spec, String scenarioId, long seed, int count,
      int batchSize) {
    Scenario s = spec.scenario(scenarioId).orElseThrow(() -> new InputException("scenario", null,
        "'" + scenarioId + "' is not in the catalogue of " + spec.file() + "; expected one of "
            + spec.scenarios().stream().map(Scenario::id).toList()));
    return new ScenarioPlan(spec, Mode.FIXED, s, seed, count, batchSize);
  }

  /** {@link #random} or {@link #fixed} by mode name; {@code scenarioId} only for fixed. */
  public static ScenarioPlan of(PromptSpec spec, String mode, String scenarioId, long seed,
      int count, int batchSize) {
    if (Mode.parse(mode) == Mode.FIXED) {
      if (scenarioId == null || scenarioId.isBlank()) {
        throw new InputException("scenario", null, "fixed mode needs a scenario id from the"
            + " catalogue of " + spec.file());
      }
      return fixed(spec, scenarioId.trim(), seed, count, batchSize);
    }
    return random(spec, seed, count, batchSize);
  }

  public PromptSpec spec() {
    return spec;
  }

  public Mode mode() {
    return mode;
  }

  /** The fixed scenario's id, or {@code null} in random mode. */
  public String fixedScenario() {
    return fixed == null ? null : fixed.id();
  }

  public long seed() {
    return seed;
  }

  public int count() {
    return count;
  }

  public int batchSize() {
    return batchSize;
  }

  public int batches() {
    return (count + batchSize - 1) / batchSize;
  }

  /** Slots in batch {@code index}: the batch size, or what is left for the last batch. */
  public int size(int index) {
    checkIndex(index);
    return Math.min(batchSize, count - index * batchSize);
  }

  public String batchId(int index) {
    checkIndex(index);
    String m = mode == Mode.FIXED ? "fixed-" + fixed.id() : "random";
    String s = seed < 0 ? "n" + Long.toString(seed).substring(1) : Long.toString(seed);
    return String.format(Locale.ROOT, "b-%s-%s-%s-%04d", spec.id().substring(2), m, s, index);
  }

  public static String conversationId(String batchId, int slot) {
    return String.format(Locale.ROOT, "%s-c%04d", batchId, slot);
  }

  /** The scenario of slot {@code slot} in batch {@code index}. */
  public Scenario scenario(int index, int slot) {
    if (slot < 0 || slot >= size(index)) {
      throw new IndexOutOfBoundsException("slot " + slot + " of batch " + index);
    }
    return mode == Mode.FIXED ? fixed : spec.scenarios().get(assignment(index)[slot]);
  }

  /** The scenarios of batch {@code index}, by slot. */
  public List<Scenario> scenarios(int index) {
    int n = size(index);
    Scenario[] out = new Scenario[n];
    for (int i = 0; i < n; i++) {
      out[i] = scenario(index, i);
    }
    return List.of(out);
  }

  private synchronized int[] assignment(int index) {
    if (cachedAssignment != null && cachedBatch == index) {
      return cachedAssignment;
    }
    int n = size(index);
    int s = spec.scenarios().size();
    SplittableRandom r = new SplittableRandom(Seeds.of(seed, batchId(index), "scenario-plan"));
    int offset = r.nextInt(s);
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = (offset + i) % s;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    cachedAssignment = a;
    cachedBatch = index;
    return a;
  }

  private void checkIndex(int index) {
    if (index < 0 || index >= batches()) {
      throw new IndexOutOfBoundsException("batch " + index + " of " + batches());
    }
  }
}
