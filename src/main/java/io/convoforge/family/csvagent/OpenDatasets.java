package io.convoforge.family.csvagent;

import io.convoforge.core.input.InputException;
import io.convoforge.core.model.RejectException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's datasets as a stage function holds them: each CSV is read, profiled and loaded
 * into its own locked-down DuckDB database ({@link SqlDatabase}) the first time an element
 * needs it, then kept until {@link #close} (the function's teardown); every episode gets its
 * own connection to it. One instance per function instance (not shared between threads).
 *
 * <p>Failures, as rejections of the element: {@code unknown_dataset} (a question about a CSV
 * that is not among the run's), {@code dataset_unreadable} (the file cannot be read or parsed
 * on the worker), {@code dataset_changed} (its content no longer has the hash the run checked).
 */
public final class OpenDatasets implements AutoCloseable {
  /** One loaded dataset. */
  public record Open(DatasetRef ref, CsvTable table, Profile profile, SqlDatabase db) {}

  private final Map<String, DatasetRef> bySha = new LinkedHashMap<>();
  private final SqlSandbox.Limits limits;
  private final Map<String, Open> open = new LinkedHashMap<>();

  public OpenDatasets(List<DatasetRef> refs, SqlSandbox.Limits limits) {
    refs.forEach(r -> bySha.put(r.sha256(), r));
    this.limits = limits;
  }

  /** The dataset whose content hash is {@code sha256}, loaded on first use. */
  public synchronized Open get(String sha256) throws RejectException {
    Open o = open.get(sha256);
    if (o != null) {
      return o;
    }
    DatasetRef ref = bySha.get(sha256);
    if (ref == null) {
      throw new RejectException("unknown_dataset", "no dataset of the run has sha256 " + sha256);
    }
    CsvTable t;
    try {
      t = CsvTable.load(Path.of(ref.path()));
    } catch (InputException e) {
      throw new RejectException("dataset_unreadable", e.getMessage());
    }
    if (!t.sha256().equals(sha256)) {
      throw new RejectException("dataset_changed", ref.path() + " changed after the run"
          + " checked it (sha256 " + t.sha256() + ", expected " + sha256 + ")");
    }
    Profile p = Profile.of(t);
    SqlDatabase db;
    try {
      db = SqlDatabase.load(t, p, limits);
    } catch (InputException e) {
      throw new RejectException("dataset_unreadable", e.getMessage());
    }
    o = new Open(ref, t, p, db);
    open.put(sha256, o);
    return o;
  }

  @Override
  public synchronized void close() {
    open.values().forEach(o -> o.db().close());
    open.clear();
  }
}
