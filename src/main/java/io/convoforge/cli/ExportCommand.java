package io.convoforge.cli;

import io.convoforge.core.export.Exporter;
import io.convoforge.core.export.HfCard;
import io.convoforge.core.input.InputException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code convoforge export DIR --format openai|sharegpt|parquet|hf}: a dataset as training
 * files ({@link Exporter}), split deterministically without separating siblings. Exit 0 with a
 * summary; 1 when records make no valid example (nothing written unless {@code
 * --allow-invalid}); 2 on bad input.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Exports a dataset's accepted conversations for fine-tuning: openai (chat fine-tuning"
          + " JSONL with tools), sharegpt (LLaMA-Factory, with dataset_info.json), parquet (one"
          + " file per split), hf (a folder for the Hugging Face Hub: data/<split>-*.parquet"
          + " and a dataset card; upload it with 'convoforge push').",
      "Every line is validated against the format before it is written; splits are a hash of"
          + " each record's sibling group, so siblings never straddle splits."
    })
public final class ExportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "A dataset written by 'run'.")
  Path dir;

  @Option(names = "--format", required = true, paramLabel = "openai|sharegpt|parquet|hf")
  String format;

  @Option(names = "--out", paramLabel = "DIR2", description = "Where (default: DIR-<format>).")
  Path out;

  @Option(names = "--split", paramLabel = "name=share,...",
      description = "Splits, e.g. train=0.9,test=0.1 (default: train=1).")
  String split;

  @Option(names = "--overwrite", description = "Replace a non-empty --out directory.")
  boolean overwrite;

  @Option(names = "--allow-invalid",
      description = "Export the valid examples even when some records make none (they are"
          + " listed in invalid.jsonl).")
  boolean allowInvalid;

  @Option(names = "--recipe", description = "The dataset's recipe (default: its report's).")
  Path recipe;

  @Option(names = "--name", description = "hf: the card's pretty_name (default: the recipe's).")
  String prettyName;

  @Option(names = "--license", defaultValue = "other",
      description = "hf: the card's license id (default: ${DEFAULT-VALUE}).")
  String license;

  @Option(names = "--language", defaultValue = "en",
      description = "hf: the card's language (default: ${DEFAULT-VALUE}).")
  String language;

  @Override
  public Integer call() {
    Exporter.Format f;
    try {
      f = Exporter.Format.valueOf(format.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InputException("--format " + format, null,
          "unknown format; expected openai, sharegpt, parquet or hf");
    }
    Path target = out != null ? out
        : dir.toAbsolutePath().normalize().resolveSibling(dir.toAbsolutePath().normalize()
            .getFileName() + "-" + format.toLowerCase(Locale.ROOT));
    Exporter.Result r;
    try {
      r = Exporter.run(new Exporter.Request(dir, f, target, split, overwrite, allowInvalid,
          recipe, new HfCard.Options(prettyName, license, language)));
    } catch (Exporter.InvalidExamples e) {
      System.err.println("error: " + e.getMessage());
      System.err.println("Nothing was written.");
      return Main.FAILED;
    }
    Map<String, Object> m = r.manifest();
    System.out.printf("Wrote %s (%s): %s examples%n", r.out(), m.get("format"), m.get("examples"));
    ((Map<?, ?>) m.get("splits")).forEach((s, x) -> {
      Map<?, ?> v = (Map<?, ?>) x;
      System.out.printf("  %-10s %8s examples (%.1f%%, asked %.1f%%), ~%s tokens (largest"
              + " example ~%s)%n", s, v.get("examples"), 100 * ((Number) v.get("share"))
              .doubleValue(), 100 * ((Number) v.get("share_asked")).doubleValue(),
          v.get("est_tokens"), v.get("est_tokens_max_example"));
    });
    System.out.printf("  %s sibling groups; invalid: %s%n", m.get("sibling_groups"),
        m.get("invalid_total").equals(0L) ? "none" : m.get("invalid") + " (invalid.jsonl)");
    for (Object w : (Iterable<?>) m.get("warnings")) {
      System.out.println("  warning: " + w);
    }
    for (Object n : (Iterable<?>) m.get("notes")) {
      System.out.println("  note: " + n);
    }
    if ("hf".equals(m.get("format"))) {
      System.out.printf("Next: ./convoforge push %s --repo OWNER/NAME [--private]%n", r.out());
    }
    return 0;
  }
}
