package io.convoforge.cli;

import io.convoforge.core.input.InputException;
import io.convoforge.core.run.DatasetDir;
import io.convoforge.core.view.ViewData;
import io.convoforge.core.view.ViewPage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code convoforge view DIR}: writes the dataset's report page ({@link ViewData}, {@link
 * ViewPage}), one self-contained HTML file that needs no network, and optionally opens it.
 */
@Command(
    name = "view",
    mixinStandardHelpOptions = true,
    description = {
      "Writes one self-contained HTML report of a dataset (default DIR/report.html): the run,"
          + " the funnel with rejection reasons, distributions, gates, and a conversation"
          + " browser. It loads nothing from the network when opened.",
      "Statistics cover every record; the browser holds a uniform sample (--sample accepted,"
          + " --rejected-sample per rejection reason)."
    })
public final class ViewCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "A dataset written by 'run'.")
  Path dir;

  @Option(names = "--out", paramLabel = "FILE", description = "Where (default DIR/report.html).")
  Path out;

  @Option(names = "--open", description = "Open the page in the desktop's browser.")
  boolean open;

  @Option(names = "--sample", paramLabel = "N", defaultValue = "1000",
      description = "Accepted conversations in the browser (default ${DEFAULT-VALUE}).")
  int sample;

  @Option(names = "--rejected-sample", paramLabel = "M", defaultValue = "100",
      description = "Rejected records per reason in the browser (default ${DEFAULT-VALUE}).")
  int rejectedSample;

  @Override
  public Integer call() throws IOException {
    if (sample < 0 || rejectedSample < 0) {
      throw new InputException("--sample", null, "must not be negative");
    }
    DatasetDir.conversationFiles(dir);
    Map<String, Object> data = ViewData.of(dir, new ViewData.Options(sample, rejectedSample));
    Object recipe = DatasetDir.report(dir) == null ? null : DatasetDir.report(dir).path("recipe")
        .asText(null);
    String html = ViewPage.html(data, "convoforge · " + (recipe == null ? dir.getFileName()
        : recipe));
    Path target = out != null ? out : dir.resolve("report.html");
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, ".report", ".html.tmp");
    Files.writeString(tmp, html, StandardCharsets.UTF_8);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Map<?, ?> s = (Map<?, ?>) data.get("sample");
    System.out.printf("Wrote %s (%.1f MB): statistics over %s accepted and %s rejected records;"
            + " the browser shows %s accepted and %s rejected.%n", target,
        html.getBytes(StandardCharsets.UTF_8).length / 1e6, s.get("accepted_total"),
        s.get("rejected_total"), s.get("accepted_shown"), s.get("rejected_shown"));
    if (open) {
      openInBrowser(target);
    }
    return 0;
  }

  private static void openInBrowser(Path page) {
    boolean mac = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac");
    try {
      new ProcessBuilder(mac ? "open" : "xdg-open", page.toAbsolutePath().toString())
          .inheritIO().start();
    } catch (IOException e) {
      System.out.println("Could not open a browser (" + e.getMessage() + "); open " + page
          + " yourself.");
    }
  }
}
