package io.convoforge;

import io.convoforge.core.model.Json;
import io.convoforge.core.run.Inputs;
import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.ToolUseRun;
import io.convoforge.family.tooluse.model.Conversation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Shared fixtures: the shipped CRM recipe, an unseen schema, and reading outputs back. */
public final class TestSupport {
  public static final Path CRM = Path.of("pipelines/crm-tool-use.yaml");
  public static final Path CHAINS = Path.of("pipelines/crm-chains-1000.yaml");
  public static final Path CLINIC = Path.of("src/test/resources/unseen/clinic.yaml");

  private TestSupport() {}

  public static Inputs inputs(Path recipe, Integer count, String... overrides) {
    return Inputs.load(recipe, List.of(overrides), count);
  }

  public static ToolUseContext context(Inputs in) {
    return ToolUseRun.of(in).context(in.context());
  }

  public static ToolUseRun run(Inputs in) {
    return ToolUseRun.of(in);
  }

  /** Every line of every file matching glob in dir, parsed, sorted by id. */
  public static List<Conversation> conversations(Path dir) {
    List<Conversation> out = new ArrayList<>();
    for (String line : lines(dir, "conversations*.jsonl")) {
      out.add(Json.read(line, Conversation.class));
    }
    out.sort((a, b) -> a.id().compareTo(b.id()));
    return out;
  }

  public static List<String> lines(Path dir, String glob) {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files.sorted()::iterator) {
        if (f.getFileSystem().getPathMatcher("glob:" + glob).matches(f.getFileName())) {
          for (String l : Files.readAllLines(f)) {
            if (!l.isBlank()) {
              out.add(l);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  public static Path write(Path dir, String name, String content) {
    try {
      Files.createDirectories(dir);
      Path p = dir.resolve(name);
      Files.writeString(p, content);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
