package io.convoforge.bench;

import io.convoforge.core.export.Exporter;
import io.convoforge.core.run.Job;
import io.convoforge.core.run.OutputDir;
import io.convoforge.core.view.ViewData;
import io.convoforge.core.view.ViewPage;
import io.convoforge.testing.Chromium;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code bench view-export}: makes {@code count} offline CRM conversations (generation stages;
 * or takes the dataset {@code --dir}),
 * then times {@code view} (statistics over every record, the sampled page written), the page's
 * opening in headless Chromium when one is installed, and {@code export --format parquet},
 * each with its peak heap. Printed, never asserted.
 */
final class ViewExportBench {
  private ViewExportBench() {}

  /** CPU time of this process so far, in ns (wall time on a shared machine says little). */
  static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** {@code existing}: a dataset to measure instead of making one (null: make one). */
  static int run(Path recipe, int count, List<String> overrides, List<String> beamArgs,
      Path existing) throws Exception {
    Path tmp = Files.createTempDirectory("convoforge-bench-view");
    try {
      Path data = existing != null ? existing : tmp.resolve("data");
      long t0 = System.nanoTime();
      if (existing == null) {
        Job.run(new Job.Request(recipe, overrides, count, data, true, beamArgs));
        System.out.printf("bench view-export: %d conversations made in %.1f s (not measured"
            + " below)%n", count, (System.nanoTime() - t0) / 1e9);
      } else {
        System.out.printf("bench view-export: the dataset %s%n", existing);
      }
      System.gc();
      BenchCommand.resetPeaks();
      t0 = System.nanoTime();
      long cpu0 = cpu();
      Map<String, Object> d = ViewData.of(data, ViewData.Options.DEFAULT);
      String html = ViewPage.html(d, "bench");
      Files.writeString(tmp.resolve("report.html"), html, StandardCharsets.UTF_8);
      double viewSeconds = (System.nanoTime() - t0) / 1e9;
      long viewPeak = BenchCommand.peakHeap();
      System.out.printf("  view: %.1f s (%.1f s of CPU), peak heap %.0f MiB, page %.1f MB (%s"
              + " records in the browser)%n", viewSeconds, (cpu() - cpu0) / 1e9,
          viewPeak / 1048576.0,
          html.getBytes(StandardCharsets.UTF_8).length / 1e6, ((List<?>) d.get("records")).size());
      if (Chromium.binary() != null) {
        try (Chromium browser = Chromium.launch()) {
          t0 = System.nanoTime();
          browser.navigate(tmp.resolve("report.html").toUri().toString());
          while (!browser.eval("window.cfReport && window.cfReport.ready === true").asBoolean()) {
            Thread.sleep(10);
          }
          System.out.printf("  the page opens in %.2f s in headless Chromium (navigation to"
              + " rendered; target < 3 s), console errors: %s%n",
              (System.nanoTime() - t0) / 1e9, browser.errors().size());
        }
      } else {
        System.out.println("  (no chromium: the page's opening time is not measured)");
      }
      System.gc();
      BenchCommand.resetPeaks();
      t0 = System.nanoTime();
      cpu0 = cpu();
      Exporter.Result r = Exporter.run(new Exporter.Request(data, Exporter.Format.PARQUET,
          tmp.resolve("parquet"), "train=0.9,test=0.1", true, false, null, null));
      double exportSeconds = (System.nanoTime() - t0) / 1e9;
      long bytes = 0;
      for (Object f : (List<?>) r.manifest().get("files")) {
        bytes += Files.size(r.out().resolve(f.toString()));
      }
      System.out.printf("  export --format parquet: %.1f s (%.1f s of CPU in the JVM and"
              + " DuckDB), peak heap %.0f MiB (DuckDB's native memory not included), %s examples,"
              + " %.1f MB of Parquet%n", exportSeconds, (cpu() - cpu0) / 1e9,
          BenchCommand.peakHeap() / 1048576.0, r.manifest().get("examples"), bytes / 1e6);
      return 0;
    } finally {
      OutputDir.delete(tmp);
    }
  }
}
