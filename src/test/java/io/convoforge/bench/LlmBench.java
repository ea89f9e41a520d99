package io.convoforge.bench;

import io.convoforge.core.run.Job;
import io.convoforge.core.run.OutputDir;
import io.convoforge.testing.StubLlmServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code convoforge bench llm}: runs the CRM recipe's generation stages (the ones that call the
 * backend; {@code --set stages=[...]} for others) with {@code --backend openai} against a local
 * stub with a fixed latency (cache off) and prints (a) with {@code --max-rpm R} the sustained
 * request rate over the first full window divided by R and the worst overshoot of any sliding
 * window, (b) with no rate limit and {@code --max-concurrency C}, the sustained throughput divided
 * by C / latency. Measured from the stub's request arrival times.
 */
final class LlmBench {
  /** Calls one conversation makes (plan, args, utterances, judge), for sizing the runs. */
  private static final double CALLS_PER_CONVERSATION = 3.5;

  private LlmBench() {}

  static int run(Path recipe, String part, int rpm, int rateSeconds, int concurrency,
      int concSeconds, int latencyMs, List<String> overrides, List<String> beamArgs)
      throws Exception {
    Path out = Files.createTempDirectory("convoforge-bench-llm");
    try (StubLlmServer stub = StubLlmServer.start(latencyMs)) {
      System.out.printf("bench llm: stub on 127.0.0.1 with %d ms latency, %d cores%n",
          latencyMs, Runtime.getRuntime().availableProcessors());
      if ("serve".equals(part)) {
        // A local endpoint to try the LLM backends with, until interrupted.
        System.out.printf("serving: --backend openai --base-url %s | --backend gemini"
            + " --base-url %s (Ctrl-C to stop)%n", stub.openAiUrl(), stub.genAiUrl());
        Thread.currentThread().join();
      }
      if (!"concurrency".equals(part)) {
        rate(stub, out, recipe, rpm, rateSeconds, overrides, beamArgs);
      }
      if (!"rate".equals(part)) {
        concurrency(stub, out, recipe, concurrency, concSeconds, latencyMs, overrides, beamArgs);
      }
      return 0;
    } finally {
      OutputDir.delete(out);
    }
  }

  private static void rate(StubLlmServer stub, Path out, Path recipe, int rpm, int rateSeconds,
      List<String> overrides, List<String> beamArgs) {
    int before = stub.requests();
    double windowMin = rateSeconds / 60.0;
    int countA = (int) Math.ceil(1.15 * rpm * windowMin / CALLS_PER_CONVERSATION) + 4;
    Job.Result a = Job.run(new Job.Request(recipe, with(overrides, "backend=openai",
        "llm.base_url=" + stub.openAiUrl(), "llm.cache=off", "llm.max_rpm=" + rpm,
        "llm.max_concurrency=64"), countA, out.resolve("rate"), true, beamArgs));
    List<Long> arr = new ArrayList<>(stub.arrivals());
    Collections.sort(arr);
    arr = arr.subList(before, arr.size());
    long window = rateSeconds * 1_000_000_000L;
    double budget = rpm * windowMin;
    int first = countIn(arr, arr.get(0), window);
    int worst = 0;
    for (Long t : arr) {
      worst = Math.max(worst, countIn(arr, t, window));
    }
    System.out.printf("(a) --max-rpm %d: %d calls for %d conversations (%s accepted) in %.1f s%n",
        rpm, arr.size(), countA, a.report().get("accepted"), a.pipelineSeconds());
    System.out.printf("    sustained rate over the first %d s / R = %.3f (target >= 0.95)%n",
        rateSeconds, first / budget);
    System.out.printf("    worst %d s window / R = %.3f, overshoot %.1f %% (target <= 5 %%)%n",
        rateSeconds, worst / budget, Math.max(0, (worst / budget - 1) * 100));
    if (rateSeconds < 60) {
      System.out.println("    (window shorter than a minute: --rate-seconds 60 measures the"
          + " per-minute figures)");
    }
  }

  private static void concurrency(StubLlmServer stub, Path out, Path recipe, int concurrency,
      int concSeconds, int latencyMs, List<String> overrides, List<String> beamArgs) {
    int before = stub.requests();
    stub.resetMaxInFlight();
    double ideal = concurrency * 1000.0 / latencyMs;
    int countB = (int) Math.ceil(ideal * concSeconds / CALLS_PER_CONVERSATION);
    Job.Result b = Job.run(new Job.Request(recipe, with(overrides, "backend=openai",
        "llm.base_url=" + stub.openAiUrl(), "llm.cache=off",
        "llm.max_concurrency=" + concurrency), countB, out.resolve("concurrency"), true,
        beamArgs));
    List<Long> arrB = new ArrayList<>(stub.arrivals());
    Collections.sort(arrB);
    arrB = arrB.subList(before, arrB.size());
    int calls = stub.requests() - before;
    // The steady part: drop the first and last 10 % of calls (ramp-up, drain).
    int lo = calls / 10;
    int hi = calls - calls / 10 - 1;
    double secs = (arrB.get(hi) - arrB.get(lo)) / 1e9;
    double rate = (hi - lo) / secs;
    System.out.printf("(b) --max-concurrency %d, no rate limit: %d calls for %d conversations"
            + " (%s accepted) in %.1f s; max in flight seen %d; stages %s%n", concurrency, calls,
        countB, b.report().get("accepted"), b.pipelineSeconds(), stub.maxInFlight(),
        b.report().get("stages"));
    System.out.printf("    sustained %.1f calls/s / (C / latency = %.0f/s) = %.3f (target >="
        + " 0.90)%n", rate, ideal, rate / ideal);
    java.util.Map<String, Object> lat = latencies(b.report());
    double mean = lat.values().stream().filter(v -> v instanceof Number)
        .mapToDouble(v -> ((Number) v).doubleValue()).average().orElse(latencyMs);
    System.out.printf("    call latency seen by the client (mean, per stage, ms): %s%n", lat);
    System.out.printf("    sustained / (C / client-seen latency %.0f ms) = %.3f (how full the"
        + " in-flight cap was kept; the gap to the line above is latency added by CPU"
        + " contention)%n", mean, rate / (concurrency * 1000.0 / mean));
  }

  @SuppressWarnings("unchecked")
  private static java.util.Map<String, Object> latencies(java.util.Map<String, Object> report) {
    Object llm = report.get("llm");
    if (!(llm instanceof java.util.Map)) {
      return java.util.Map.of();
    }
    java.util.Map<String, Object> out = new java.util.TreeMap<>();
    ((java.util.Map<String, java.util.Map<String, Object>>) ((java.util.Map<String, Object>) llm)
        .get("stages")).forEach((k, v) -> out.put(k, v.get("latency_ms_mean")));
    return out;
  }

  private static List<String> with(List<String> overrides, String... more) {
    List<String> all = new ArrayList<>(overrides);
    all.addAll(List.of(more));
    return all;
  }

  private static int countIn(List<Long> sorted, long from, long window) {
    int lo = Collections.binarySearch(sorted, from);
    if (lo < 0) {
      lo = -lo - 1;
    }
    while (lo > 0 && sorted.get(lo - 1) == from) {
      lo--;
    }
    int hi = Collections.binarySearch(sorted, from + window);
    if (hi < 0) {
      hi = -hi - 1;
    }
    return hi - lo;
  }
}
