package io.convoforge.family.scenario.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.convoforge.core.input.InputException;
import io.convoforge.core.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes batch artefacts under an output root, safely against concurrent and repeated runs:
 *
 * <pre>
 * ROOT/batches/BATCH_ID/batch.json                 metadata and conversations ({@link BatchFile})
 * ROOT/batches/BATCH_ID/conversations/ID.json      one conversation each
 * ROOT/batches/BATCH_ID/preview.txt                {@link Preview}
 * </pre>
 *
 * <p>The whole folder is written into {@code ROOT/.staging/}, then, holding an exclusive lock
 * ({@link FileChannel#lock} on {@code ROOT/.lock}, plus a lock per root inside this JVM since
 * file locks are per process), moved into place with one atomic rename. Readers and other
 * writers thus see a batch folder complete or not at all, never interleaved. When the folder
 * already exists: an identical {@code batch.json} makes the call a no-op ({@link
 * WrittenBatch#written()} false); a different one fails with an {@link InputException} naming
 * both hashes (same batch id, other content: another batch size, count or generator — use another
 * output root or remove the folder). A crash leaves at most a folder under {@code .staging/},
 * never a partial batch. JSON is pretty-printed with map keys sorted: equal batches, equal bytes.
 */
public final class BatchWriter {
  public static final String BATCHES = "batches";
  public static final String STAGING = ".staging";
  public static final String LOCK_FILE = ".lock";
  private static final ObjectWriter PRETTY = Json.MAPPER.writerWithDefaultPrettyPrinter();
  private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

  private final Path root;

  public BatchWriter(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  /** The folder of batch {@code batchId}. */
  public Path dir(String batchId) {
    return root.resolve(BATCHES).resolve(batchId);
  }

  /** Writes {@code batch} (see the class comment); I/O failures are {@link IOException}s. */
  public WrittenBatch write(BatchFile batch) throws IOException {
    Path staging = stagingDir(batch.id());
    try {
      WrittenBatch staged = BatchFolder.write(staging, batch);
      return install(staging, staged);
    } finally {
      if (Files.exists(staging)) {
        deleteTree(staging);
      }
    }
  }

  /**
   * Publishes the batch folder {@code from} (written elsewhere, e.g. in a run's output) under
   * this root, byte for byte, the same way as {@link #write}: copied into staging, then moved
   * into place under the lock; an identical batch already there is left alone.
   */
  public WrittenBatch publish(Path from) throws IOException {
    WrittenBatch source = BatchFolder.read(from);
    Path staging = stagingDir(source.id());
    try {
      Files.createDirectories(staging.resolve(BatchFolder.CONVERSATIONS));
      for (String name : new String[] {BatchFolder.BATCH_JSON, BatchFolder.PREVIEW}) {
        Files.copy(from.resolve(name), staging.resolve(name));
      }
      for (String id : source.conversationSha256().keySet()) {
        Path rel = Path.of(BatchFolder.CONVERSATIONS, id + ".json");
        Files.copy(from.resolve(rel), staging.resolve(rel));
      }
      return install(staging, BatchFolder.read(staging));
    } finally {
      if (Files.exists(staging)) {
        deleteTree(staging);
      }
    }
  }

  /**
   * The SHA-256 of the batch.json of {@code batchId} under this root, or null when the batch is
   * not there.
   */
  public String existingSha256(String batchId) throws IOException {
    Path f = dir(batchId).resolve(BatchFolder.BATCH_JSON);
    return Files.isRegularFile(f) ? sha256(Files.readAllBytes(f)) : null;
  }

  private Path stagingDir(String batchId) throws IOException {
    Files.createDirectories(root.resolve(STAGING));
    return Files.createTempDirectory(root.resolve(STAGING), batchId + ".");
  }

  /** Moves a staged batch into place under the lock, or finds the identical one there. */
  private WrittenBatch install(Path staging, WrittenBatch staged) throws IOException {
    String id = staged.id();
    String sha = staged.sha256();
    Path target = dir(id);
    boolean moved = underLock(() -> {
      if (Files.exists(target)) {
        Path existing = target.resolve(BatchFolder.BATCH_JSON);
        String had = Files.isRegularFile(existing) ? sha256(Files.readAllBytes(existing)) : "none";
        if (!had.equals(sha)) {
          throw new InputException(target.toString(), "batch.json", "batch " + id
              + " already exists with other content (sha256 " + had + ", new " + sha
              + "); write to another output root or remove the folder");
        }
        return false;
      }
      Files.createDirectories(target.getParent());
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      return true;
    });
    return new WrittenBatch(staged.batch(), target, sha, staged.conversationSha256(), moved);
  }

  /** The canonical bytes of a conversation file or batch.json: pretty JSON and a newline. */
  public static byte[] json(Object value) {
    try {
      return (PRETTY.writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private interface Locked<T> {
    T run() throws IOException;
  }

  private <T> T underLock(Locked<T> body) throws IOException {
    ReentrantLock local = IN_PROCESS.computeIfAbsent(root, r -> new ReentrantLock());
    local.lock();
    try (FileChannel ch = FileChannel.open(root.resolve(LOCK_FILE), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        FileLock ignored = ch.lock()) {
      return body.run();
    } finally {
      local.unlock();
    }
  }

  static void deleteTree(Path dir) throws IOException {
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
