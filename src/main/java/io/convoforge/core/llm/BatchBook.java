package io.convoforge.core.llm;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.convoforge.core.model.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * The durable record of a stage's provider batches: one manifest per batch under {@code
 * <cache>/batches/<provider>/<stage>/<id>.json}, written <em>before</em> the batch is submitted
 * (state {@code submitting}), again as soon as the provider returns its id ({@code submitted}),
 * and once its results are in the response cache ({@code collected}). A manifest lists the cache
 * keys of its requests with the submission number of each, never a prompt or a secret.
 *
 * <p>A run killed at any point and started again with the same command renders the same keys,
 * finds them here and polls the batch they are in instead of submitting a new one; a {@code
 * submitting} manifest (killed between the two writes) is looked up at the provider by its id
 * before anything is resubmitted. Submission numbers survive restarts, so the resubmission limit
 * holds across runs. One book per (cache, provider, stage) per JVM, reread from storage at each
 * settle so workers sharing a {@code gs://} cache see each other's batches.
 */
final class BatchBook {
  static final String SUBMITTING = "submitting";
  static final String SUBMITTED = "submitted";
  static final String COLLECTED = "collected";

  private static final Map<String, BatchBook> BOOKS = new ConcurrentHashMap<>();

  /** One batch: its requests (cache key -> submission number) and where it is. */
  record Manifest(
      String id,
      String provider,
      String stage,
      String model,
      String state,
      String batch,
      @JsonProperty("submitted_at") String submittedAt,
      @JsonProperty("collected_at") String collectedAt,
      String outcome,
      Map<String, Integer> requests) {

    Manifest {
      requests = new TreeMap<>(requests);
    }

    Manifest submitted(String batchId) {
      return new Manifest(id, provider, stage, model, SUBMITTED, batchId, submittedAt, null,
          null, requests);
    }

    Manifest collected(String how) {
      return new Manifest(id, provider, stage, model, COLLECTED, batch, submittedAt,
          Instant.now().toString(), how, requests);
    }
  }

  private final String dir;
  private final Map<String, Manifest> byId = new HashMap<>();
  private final Map<String, Manifest> latestByKey = new HashMap<>();
  private final Set<String> claimed = new HashSet<>();

  private BatchBook(String dir) {
    this.dir = dir;
  }

  static BatchBook of(String cacheDir, String provider, String stage) {
    String dir = cacheDir.replaceAll("/+$", "") + "/batches/" + provider + "/" + stage + "/";
    return BOOKS.computeIfAbsent(dir, BatchBook::new);
  }

  /** A new manifest (state {@code submitting}) for {@code requests}, not yet saved. */
  static Manifest plan(String provider, String stage, String model,
      Map<String, Integer> requests) {
    String id = "cf-" + Prompts.sha256(provider + "\0" + stage + "\0" + model + "\0"
        + new TreeMap<>(requests)).substring(0, 20);
    return new Manifest(id, provider, stage, model, SUBMITTING, null, Instant.now().toString(),
        null, null, requests);
  }

  /** Rereads every manifest of the stage from storage. */
  synchronized void reload() throws IOException {
    MatchResult m = FileSystems.match(List.of(dir + "*.json"), EmptyMatchTreatment.ALLOW)
        .get(0);
    if (m.status() != MatchResult.Status.OK) {
      return;
    }
    for (MatchResult.Metadata f : m.metadata()) {
      byte[] b = ResponseCache.read(f.resourceId().toString());
      if (b != null) {
        index(Json.MAPPER.readValue(b, Manifest.class));
      }
    }
  }

  /** The unfinished batch ({@code submitting} or {@code submitted}) holding {@code key}. */
  synchronized Manifest open(String key) {
    Manifest m = latestByKey.get(key);
    return m != null && !COLLECTED.equals(m.state()) ? m : null;
  }

  /** How many times {@code key} was submitted, by any run (0: never). */
  synchronized int submissions(String key) {
    Manifest m = latestByKey.get(key);
    return m == null ? 0 : m.requests().get(key);
  }

  /** Writes {@code m} durably (replacing its earlier state) before anything else happens. */
  synchronized void save(Manifest m) throws IOException {
    ResponseCache.writeAtomically(dir + m.id() + ".json",
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(m));
    index(m);
  }

  /**
   * Claims the collection of {@code m} for this thread: false when it was collected already
   * (by another thread of this JVM, or by a run whose manifest was reread), so a batch's tokens
   * are counted once. The manifest is marked collected only after its answers are cached.
   */
  synchronized boolean claim(Manifest m) {
    Manifest now = byId.get(m.id());
    return (now == null || !COLLECTED.equals(now.state())) && claimed.add(m.id());
  }

  private void index(Manifest m) {
    Manifest before = byId.get(m.id());
    if (before != null && COLLECTED.equals(before.state()) && !COLLECTED.equals(m.state())) {
      return;
    }
    byId.put(m.id(), m);
    for (String key : m.requests().keySet()) {
      Manifest cur = latestByKey.get(key);
      if (cur == null || cur.id().equals(m.id()) || later(m, cur, key)) {
        latestByKey.put(key, m);
      }
    }
  }

  /**
   * Whether {@code a} is where {@code key} is now rather than {@code b}: the higher submission
   * number, then an unfinished batch over a collected one, then the later submission.
   */
  private static boolean later(Manifest a, Manifest b, String key) {
    int na = a.requests().get(key);
    int nb = b.requests().get(key);
    if (na != nb) {
      return na > nb;
    }
    boolean openA = !COLLECTED.equals(a.state());
    boolean openB = !COLLECTED.equals(b.state());
    if (openA != openB) {
      return openA;
    }
    return String.valueOf(a.submittedAt()).compareTo(String.valueOf(b.submittedAt())) > 0;
  }
}
