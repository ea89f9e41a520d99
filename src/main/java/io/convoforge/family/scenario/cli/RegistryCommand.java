package io.convoforge.family.scenario.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convoforge.core.model.Json;
import io.convoforge.family.scenario.ScenarioSettings;
import io.convoforge.family.scenario.registry.Finding;
import io.convoforge.family.scenario.registry.Registry;
import io.convoforge.family.scenario.registry.RegistryUrl;
import io.convoforge.family.scenario.registry.Rows;
import java.lang.reflect.RecordComponent;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code convoforge registry prompts|batches|conversations|audit}: the scenario-dialogue
 * registry, by metadata. Listings are tables, or JSON arrays with {@code --json}; {@code audit
 * BATCH_ID} checks a batch against its files and exits 0 when clean, 1 with findings.
 */
@Command(
    name = "registry",
    mixinStandardHelpOptions = true,
    description = "The registry of scenario-dialogue prompts, batches and conversations.",
    subcommands = {
      RegistryCommand.Prompts.class,
      RegistryCommand.Batches.class,
      RegistryCommand.Conversations.class,
      RegistryCommand.Audit.class
    })
public final class RegistryCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(System.out);
    return 0;
  }

  /** A row as a JSON object: its record components by name, timestamps in ISO-8601. */
  static ObjectNode row(Record row) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    for (RecordComponent c : row.getClass().getRecordComponents()) {
      Object v;
      try {
        v = c.getAccessor().invoke(row);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      String name = c.getName().replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
      o.set(name, Json.tree(v instanceof OffsetDateTime t ? t.toString() : v));
    }
    return o;
  }

  /** Where the registry is: {@code --registry URL}, default the embedded file of the recipes. */
  static final class Where {
    @Option(names = "--registry", paramLabel = "JDBC_URL",
        description = "The registry (default: the H2 file under .convoforge/registry).")
    String url;

    Registry open() {
      String u = url == null || url.isBlank() ? ScenarioSettings.defaultRegistryUrl() : url;
      RegistryUrl.check(u, "--registry", null);
      return Registry.open(u);
    }
  }

  @Command(name = "prompts", mixinStandardHelpOptions = true,
      description = "Registered prompt specifications.")
  static final class Prompts implements Callable<Integer> {
    @Mixin Where where;

    @Option(names = "--json", description = "A JSON array instead of a table.")
    boolean json;

    @Override
    public Integer call() {
      try (Registry r = where.open()) {
        List<Rows.Prompt> rows = r.prompts();
        if (json) {
          System.out.println(Json.write(rows.stream().map(RegistryCommand::row).toList()));
          return 0;
        }
        System.out.printf("%-14s %-8s %5s %9s  %s%n", "id", "language", "turns", "scenarios",
            "title (path)");
        for (Rows.Prompt p : rows) {
          System.out.printf(Locale.ROOT, "%-14s %-8s %5d %9d  %s (%s)%n", p.id(), p.language(),
              p.turns(), p.scenarios(), p.title(), p.path());
        }
        return 0;
      }
    }
  }

  @Command(name = "batches", mixinStandardHelpOptions = true,
      description = "Registered batches, by prompt or by a scenario they hold.")
  static final class Batches implements Callable<Integer> {
    @Mixin Where where;

    @Option(names = "--prompt", paramLabel = "ID") String prompt;

    @Option(names = "--scenario", paramLabel = "ID") String scenario;

    @Option(names = "--json", description = "A JSON array instead of a table.")
    boolean json;

    @Override
    public Integer call() {
      try (Registry r = where.open()) {
        List<Rows.Batch> rows = r.batches(prompt, scenario);
        if (json) {
          System.out.println(Json.write(rows.stream().map(RegistryCommand::row).toList()));
          return 0;
        }
        System.out.printf("%-44s %-14s %-16s %5s  %s%n", "id", "prompt", "mode", "size", "path");
        for (Rows.Batch b : rows) {
          System.out.printf(Locale.ROOT, "%-44s %-14s %-16s %5d  %s%n", b.id(), b.promptId(),
              b.scenario() == null ? b.scenarioMode() : b.scenarioMode() + " " + b.scenario(),
              b.size(), b.path());
        }
        return 0;
      }
    }
  }

  @Command(name = "conversations", mixinStandardHelpOptions = true,
      description = "Registered conversations, by prompt, batch or scenario.")
  static final class Conversations implements Callable<Integer> {
    @Mixin Where where;

    @Option(names = "--prompt", paramLabel = "ID") String prompt;

    @Option(names = "--batch", paramLabel = "ID") String batch;

    @Option(names = "--scenario", paramLabel = "ID") String scenario;

    @Option(names = "--json", description = "A JSON array (messages included).")
    boolean json;

    @Override
    public Integer call() {
      try (Registry r = where.open()) {
        List<Rows.Conversation> rows = r.conversations(batch, scenario, prompt);
        if (json) {
          ArrayNode out = Json.MAPPER.createArrayNode();
          for (Rows.Conversation c : rows) {
            ObjectNode o = row(c);
            o.set("messages", Json.parse(c.messages()));
            out.add(o);
          }
          System.out.println(Json.write(out));
          return 0;
        }
        System.out.printf("%-50s %-16s %8s  %-25s  %s%n", "id", "scenario", "messages",
            "first", "last");
        for (Rows.Conversation c : rows) {
          System.out.printf(Locale.ROOT, "%-50s %-16s %8d  %-25s  %s%n", c.id(), c.scenarioId(),
              Json.parse(c.messages()).size(), c.firstTimestamp(), c.lastTimestamp());
        }
        return 0;
      }
    }
  }

  @Command(name = "audit", mixinStandardHelpOptions = true,
      description = "Checks a registered batch against its files: every registered file exists"
          + " and hashes as registered; counts agree between batch.json, the folder and the"
          + " database; roles alternate; timestamps increase. Exit 0 clean, 1 with findings.")
  static final class Audit implements Callable<Integer> {
    @Mixin Where where;

    @Parameters(index = "0", paramLabel = "BATCH_ID") String batch;

    @Override
    public Integer call() {
      try (Registry r = where.open()) {
        List<Finding> findings = r.audit(batch);
        if (findings.isEmpty()) {
          System.out.println("batch " + batch + ": clean");
          return 0;
        }
        System.out.println("batch " + batch + ": " + findings.size() + " finding"
            + (findings.size() == 1 ? "" : "s"));
        for (Finding f : findings) {
          System.out.println("  " + f);
        }
        return 1;
      }
    }
  }
}
