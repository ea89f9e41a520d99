package io.convoforge.verify;

import io.convoforge.model.Conversation;
import io.convoforge.model.Json;
import io.convoforge.model.Turn;
import io.convoforge.pipeline.Inputs;
import io.convoforge.pipeline.RunReport;
import io.convoforge.recipe.Stratum;
import io.convoforge.sandbox.Replayer;
import io.convoforge.schema.Tools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The quality gates of a produced dataset, from the recipe's {@code gates:} section (defaults in
 * brackets): expected count present [the planned sample count]; every line valid JSON of the
 * record format; turn counts within {@code turns}; success share within
 * {@code success_ratio_tolerance} [0.02] of the plan; each task's share within
 * {@code task_share_tolerance} [0.05] of the plan (the weights, or the chain counts); at most
 * {@code max_execution_failures} [0] execution failures on a sandbox replay; at most
 * {@code max_empty_response_share} [0.0] empty expected responses; judge pass rate within
 * {@code judge_pass_rate: {min, max}} [0.0, 1.0]. Everything is computed from the files.
 */
public final class Gates {
  private Gates() {}

  /** One gate: what was expected, what the dataset has, whether it passes. */
  public record Gate(String name, String expected, String actual, boolean passed) {}

  /** All gates of one dataset. */
  public record Verdict(List<Gate> gates) {
    public boolean passed() {
      return gates.stream().allMatch(Gate::passed);
    }

    public List<String> failed() {
      return gates.stream().filter(g -> !g.passed()).map(Gate::name).toList();
    }

    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("passed", passed());
      m.put("failed", failed());
      Map<String, Object> each = new LinkedHashMap<>();
      for (Gate g : gates) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("expected", g.expected());
        x.put("actual", g.actual());
        x.put("passed", g.passed());
        each.put(g.name(), x);
      }
      m.put("gates", each);
      return m;
    }

    public String table() {
      StringBuilder sb = new StringBuilder(String.format("%-20s %-28s %-36s %s%n", "gate",
          "expected", "actual", "result"));
      for (Gate g : gates) {
        sb.append(String.format("%-20s %-28s %-36s %s%n", g.name(), g.expected(), g.actual(),
            g.passed() ? "PASS" : "FAIL"));
      }
      return sb.toString();
    }
  }

  /** Evaluates the gates on {@code dir}; {@code inputs} hold the recipe and the plan. */
  public static Verdict evaluate(Path dir, Inputs inputs) {
    Map<String, Object> cfg = inputs.recipe().section("gates");
    List<Gate> gates = new ArrayList<>();
    List<Conversation> convs = new ArrayList<>();
    long[] invalid = {0};
    for (Path f : RunReport.files(dir, "conversations*.jsonl")) {
      lines(f, line -> {
        try {
          Conversation c = Json.read(line, Conversation.class);
          if (c.id() == null || c.turns() == null || c.outcome() == null) {
            invalid[0]++;
          } else {
            convs.add(c);
          }
        } catch (RuntimeException e) {
          invalid[0]++;
        }
      });
    }
    long expected = cfg.get("expected_count") instanceof Number n ? n.longValue()
        : inputs.sampleCount();
    // A share of the plan that may be missing (dedup removes some); 0 is the seed's strict gate.
    double countTol = number(cfg.get("count_tolerance"), 0.0);
    long atLeast = (long) Math.ceil(expected * (1 - countTol) - 1e-9);
    gates.add(new Gate("count", countTol == 0 ? String.valueOf(expected)
        : atLeast + ".." + expected, String.valueOf(convs.size()),
        convs.size() <= expected && convs.size() >= atLeast));
    gates.add(new Gate("valid_json", "0 invalid lines", invalid[0] + " invalid lines",
        invalid[0] == 0));

    int min = inputs.recipe().turnsMin();
    int max = inputs.recipe().turnsMax();
    long outOfRange = convs.stream().filter(c -> c.turns().size() < min
        || c.turns().size() > max).count();
    gates.add(new Gate("turns_in_range", min + ".." + max + " turns",
        outOfRange + " outside", outOfRange == 0));

    double tol = number(cfg.get("success_ratio_tolerance"), 0.02);
    long planned = inputs.strata().stream().mapToLong(Stratum::count).sum();
    double plannedSuccess = planned == 0 ? 0 : inputs.strata().stream()
        .filter(s -> Conversation.SUCCESS.equals(s.outcome())).mapToLong(Stratum::count).sum()
        / (double) planned;
    double success = convs.isEmpty() ? 0
        : convs.stream().filter(c -> !c.isFailure()).count() / (double) convs.size();
    gates.add(new Gate("success_ratio", pct(plannedSuccess) + " ± " + pts(tol),
        pct(success), Math.abs(success - plannedSuccess) <= tol + 1e-9));

    double taskTol = number(cfg.get("task_share_tolerance"), 0.05);
    Map<String, Double> plannedTask = new TreeMap<>();
    for (Stratum s : inputs.strata()) {
      plannedTask.merge(s.taskId(), s.count() / (double) Math.max(planned, 1), Double::sum);
    }
    Map<String, Double> actualTask = new TreeMap<>();
    for (Conversation c : convs) {
      actualTask.merge(c.taskId(), 1.0 / convs.size(), Double::sum);
    }
    String worst = "-";
    double worstDiff = 0;
    for (String task : union(plannedTask, actualTask)) {
      double d = Math.abs(plannedTask.getOrDefault(task, 0.0)
          - actualTask.getOrDefault(task, 0.0));
      if (d > worstDiff) {
        worstDiff = d;
        worst = task;
      }
    }
    gates.add(new Gate("task_distribution", "each task ± " + pts(taskTol),
        "worst " + worst + " off by " + pts(worstDiff), worstDiff <= taskTol + 1e-9));

    long maxFailures = cfg.get("max_execution_failures") instanceof Number n ? n.longValue() : 0;
    // Replays are independent (a fresh database each); a Replayer per thread, all cores.
    java.util.Map<String, io.convoforge.schema.ToolSpec> tools = Tools.derive(inputs.schema());
    ThreadLocal<Replayer> replayers =
        ThreadLocal.withInitial(() -> new Replayer(inputs.schema(), tools));
    int[] perConv = convs.parallelStream()
        .mapToInt(c -> replayers.get().replay(c, false).failures()).toArray();
    long failures = java.util.Arrays.stream(perConv).asLongStream().sum();
    long failedConvs = java.util.Arrays.stream(perConv).filter(f -> f > 0).count();
    gates.add(new Gate("execution", "<= " + maxFailures + " failures",
        failures + " failures in " + failedConvs + " conversations", failures <= maxFailures));

    double maxEmpty = number(cfg.get("max_empty_response_share"), 0.0);
    long turns = 0;
    long empty = 0;
    for (Conversation c : convs) {
      for (Turn t : c.turns()) {
        turns++;
        if (t.responseText() == null || t.responseText().isBlank()) {
          empty++;
        }
      }
    }
    double emptyShare = turns == 0 ? 0 : empty / (double) turns;
    gates.add(new Gate("empty_responses", "<= " + pct(maxEmpty),
        pct(emptyShare) + " (" + empty + " of " + turns + " turns)",
        emptyShare <= maxEmpty + 1e-12));

    Map<?, ?> band = cfg.get("judge_pass_rate") instanceof Map<?, ?> m ? m : Map.of();
    double lo = number(band.get("min"), 0.0);
    double hi = number(band.get("max"), 1.0);
    long[] judgeRejected = {0};
    for (Path f : RunReport.files(dir, "rejected*.jsonl")) {
      lines(f, line -> {
        if (line.contains("\"reason\":\"judge_")) {
          judgeRejected[0]++;
        }
      });
    }
    long judged = convs.size() + judgeRejected[0];
    double passRate = judged == 0 ? 0 : convs.size() / (double) judged;
    gates.add(new Gate("judge_pass_rate", pct(lo) + ".." + pct(hi), pct(passRate),
        passRate >= lo - 1e-9 && passRate <= hi + 1e-9));
    return new Verdict(gates);
  }

  private static List<String> union(Map<String, Double> a, Map<String, Double> b) {
    TreeMap<String, Double> m = new TreeMap<>(a);
    m.putAll(b);
    return new ArrayList<>(m.keySet());
  }

  private static double number(Object v, double dflt) {
    return v instanceof Number n ? n.doubleValue() : dflt;
  }

  private static String pct(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }

  private static String pts(double share) {
    return String.format(Locale.ROOT, "%.1f pts", share * 100);
  }

  static void lines(Path f, java.util.function.Consumer<String> each) {
    try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          each.accept(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
