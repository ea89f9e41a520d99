package io.convoforge.family.tooluse.verify;

import io.convoforge.core.model.Json;
import io.convoforge.core.run.DatasetDir;
import io.convoforge.core.run.Job;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.Turn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test helpers: make a dataset with the offline backend, read it back, break it. */
final class Datasets {
  static final Path CRM = Path.of("pipelines/crm-chains-1000.yaml");
  static final Path CLINIC = Path.of("src/test/resources/clinic/clinic.yaml");
  static final String WITHOUT_VERIFICATION =
      "stages=[sample, plan, args, utterances, judge, filter]";

  private Datasets() {}

  static Job.Result make(Path recipe, Integer count, Path out, String... sets) {
    return Job.run(new Job.Request(recipe, List.of(sets), count, out, true, List.of()));
  }

  static List<Conversation> read(Path dir) {
    List<Conversation> out = new ArrayList<>();
    for (Path f : DatasetDir.files(dir, "conversations*.jsonl")) {
      try {
        for (String line : Files.readAllLines(f)) {
          if (!line.isBlank()) {
            out.add(Json.read(line, Conversation.class));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    out.sort((a, b) -> a.id().compareTo(b.id()));
    return out;
  }

  /**
   * Breaks a dataset: removes every second conversation's seed entities, blanks every fourth
   * one's responses, drops every third failure conversation (skewing the success ratio).
   */
  static void breakInto(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    Files.copy(from.resolve("report.json"), to.resolve("report.json"));
    StringBuilder sb = new StringBuilder();
    int n = 0;
    for (Conversation c : read(from)) {
      n++;
      if (c.isFailure() && n % 3 == 0) {
        continue;
      }
      if (n % 2 == 0) {
        c = c.withInitialEntities(Map.of());
      }
      if (n % 4 == 0) {
        List<Turn> turns = new ArrayList<>();
        for (Turn t : c.turns()) {
          turns.add(t.withResponse(""));
        }
        c = c.withTurns(turns);
      }
      sb.append(Json.write(c)).append('\n');
    }
    Files.writeString(to.resolve("conversations-broken.jsonl"), sb.toString());
  }
}
