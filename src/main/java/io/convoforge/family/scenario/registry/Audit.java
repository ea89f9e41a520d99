package io.convoforge.family.scenario.registry;

import com.fasterxml.jackson.core.type.TypeReference;
import io.convoforge.core.model.Json;
import io.convoforge.family.scenario.batch.BatchFile;
import io.convoforge.family.scenario.batch.BatchWriter;
import io.convoforge.family.scenario.model.Message;
import io.convoforge.family.scenario.model.Transcript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The audit of one registered batch against its folder. Checks that batch.json and every
 * registered conversation file exist and hash as registered; that the counts agree between the
 * batches row, batch.json, the conversations folder and the conversations rows; that the folder
 * holds no unregistered file; that the registered messages equal the files'; and, in every call,
 * that roles alternate and timestamps strictly increase. Each finding names the file or row.
 */
final class Audit {
  private static final Set<String> BATCH_ENTRIES = Set.of("batch.json", "preview.txt",
      "conversations");

  private Audit() {}

  static List<Finding> check(Rows.Batch row, List<Rows.Conversation> rows) {
    List<Finding> out = new ArrayList<>();
    Path dir = Path.of(row.path());
    Path batchJson = dir.resolve("batch.json");
    BatchFile file = null;
    if (!Files.isRegularFile(batchJson)) {
      out.add(new Finding(batchJson.toString(), "missing"));
    } else {
      try {
        byte[] bytes = Files.readAllBytes(batchJson);
        String sha = BatchWriter.sha256(bytes);
        if (!sha.equals(row.sha256())) {
          out.add(new Finding(batchJson.toString(), "sha256 " + sha + ", registered "
              + row.sha256()));
        }
        file = Json.read(bytes, BatchFile.class);
      } catch (IOException | RuntimeException e) {
        out.add(new Finding(batchJson.toString(), "unreadable: " + e.getMessage()));
      }
    }
    if (!Files.isRegularFile(dir.resolve("preview.txt"))) {
      out.add(new Finding(dir.resolve("preview.txt").toString(), "missing"));
    }
    extraEntries(dir, out);

    Path convDir = dir.resolve("conversations");
    Set<String> onDisk = new TreeSet<>();
    try (Stream<Path> s = Files.isDirectory(convDir) ? Files.list(convDir) : Stream.empty()) {
      s.forEach(p -> onDisk.add(p.getFileName().toString()));
    } catch (IOException e) {
      out.add(new Finding(convDir.toString(), "unreadable: " + e.getMessage()));
    }
    counts(row, file, onDisk, rows, dir, out);

    Map<String, Transcript> inBatch = new HashMap<>();
    if (file != null) {
      file.conversations().forEach(t -> inBatch.put(t.id(), t));
    }
    for (Rows.Conversation c : rows) {
      String name = c.id() + ".json";
      onDisk.remove(name);
      Path f = convDir.resolve(name);
      if (!Files.isRegularFile(f)) {
        out.add(new Finding(f.toString(), "missing (registered in conversations row " + c.id()
            + ")"));
        continue;
      }
      conversation(c, f, inBatch.get(c.id()), out);
    }
    for (String extra : onDisk) {
      out.add(new Finding(convDir.resolve(extra).toString(), "not registered (extra file)"));
    }
    return out;
  }

  private static void counts(Rows.Batch row, BatchFile file, Set<String> onDisk,
      List<Rows.Conversation> rows, Path dir, List<Finding> out) {
    String where = "batch " + row.id();
    if (rows.size() != row.size()) {
      out.add(new Finding("conversations rows of " + row.id(), rows.size()
          + " rows, batches row says " + row.size()));
    }
    if (onDisk.size() != row.size()) {
      out.add(new Finding(dir.resolve("conversations").toString(), onDisk.size()
          + " files, batches row says " + row.size()));
    }
    if (file != null && (file.size() != row.size() || file.conversations().size() != row.size())) {
      out.add(new Finding(dir.resolve("batch.json").toString(), "size " + file.size() + " and "
          + file.conversations().size() + " conversations, " + where + " row says " + row.size()));
    }
  }

  private static void conversation(Rows.Conversation row, Path f, Transcript inBatch,
      List<Finding> out) {
    try {
      byte[] bytes = Files.readAllBytes(f);
      String sha = BatchWriter.sha256(bytes);
      if (!sha.equals(row.sha256())) {
        out.add(new Finding(f.toString(), "sha256 " + sha + ", registered " + row.sha256()));
      }
      Transcript t = Json.read(bytes, Transcript.class);
      List<Message> registered = Json.MAPPER.readValue(row.messages(),
          new TypeReference<List<Message>>() {});
      if (!registered.equals(t.messages())) {
        out.add(new Finding("conversations row " + row.id(), "messages differ from " + f));
      }
      if (inBatch == null) {
        out.add(new Finding(f.toString(), "not in batch.json"));
      } else if (!inBatch.equals(t)) {
        out.add(new Finding(f.toString(), "differs from its copy in batch.json"));
      }
      order(t, f, out);
    } catch (IOException | RuntimeException e) {
      out.add(new Finding(f.toString(), "unreadable: " + e.getMessage()));
    }
  }

  /** Roles alternate; timestamps, when present, strictly increase. */
  private static void order(Transcript t, Path f, List<Finding> out) {
    List<Message> m = t.messages();
    OffsetDateTime previous = null;
    for (int i = 0; i < m.size(); i++) {
      if (m.get(i).role() == null || i > 0 && m.get(i).role() == m.get(i - 1).role()) {
        out.add(new Finding(f.toString(), "message " + i + ": roles do not alternate"));
        return;
      }
      if (m.get(i).timestamp() != null) {
        OffsetDateTime ts = OffsetDateTime.parse(m.get(i).timestamp());
        if (previous != null && !ts.isAfter(previous)) {
          out.add(new Finding(f.toString(), "message " + i + ": timestamp " + m.get(i).timestamp()
              + " does not increase"));
          return;
        }
        previous = ts;
      }
    }
  }

  private static void extraEntries(Path dir, List<Finding> out) {
    if (!Files.isDirectory(dir)) {
      out.add(new Finding(dir.toString(), "batch folder missing"));
      return;
    }
    List<String> extra = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.map(p -> p.getFileName().toString()).filter(n -> !BATCH_ENTRIES.contains(n))
          .sorted().forEach(extra::add);
    } catch (IOException e) {
      out.add(new Finding(dir.toString(), "unreadable: " + e.getMessage()));
    }
    for (String e : extra) {
      out.add(new Finding(dir.resolve(e).toString(), "not part of a batch (extra file)"));
    }
  }
}
