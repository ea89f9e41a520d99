package io.convoforge.cli;

import io.convoforge.core.export.HubClient;
import io.convoforge.core.input.InputException;
import io.convoforge.core.llm.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code convoforge push DIR2 --repo OWNER/NAME [--private]}: uploads an {@code export --format
 * hf} folder to a Hugging Face dataset repository ({@link HubClient}) with {@code HF_TOKEN} from
 * the environment or {@code .env}, which is never printed. Exit 0 with the commit; 1 when the
 * Hub refuses or cannot be reached; 2 on bad input (no token, no folder, a bad repo id).
 */
@Command(
    name = "push",
    mixinStandardHelpOptions = true,
    description = "Uploads a folder written by 'export --format hf' to a Hugging Face dataset"
        + " repository in one commit (creating the repository if needed). Needs HF_TOKEN (a"
        + " token with write access) in the environment or .env.")
public final class PushCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR2", description = "An 'export --format hf' folder.")
  Path dir;

  @Option(names = "--repo", required = true, paramLabel = "OWNER/NAME")
  String repo;

  @Option(names = "--private", description = "Create the repository private.")
  boolean isPrivate;

  @Option(names = "--endpoint", paramLabel = "URL",
      description = "The Hub (default: $HF_ENDPOINT, else https://huggingface.co).")
  String endpoint;

  @Option(names = "--message", defaultValue = "Upload dataset with convoforge",
      description = "The commit message.")
  String message;

  @Override
  public Integer call() throws InterruptedException {
    if (!repo.matches("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new InputException("--repo " + repo, null, "expected OWNER/NAME");
    }
    if (!Files.isRegularFile(dir.resolve("README.md")) || !Files.isDirectory(dir.resolve("data"))) {
      throw new InputException(dir.toString(), null, "is not an 'export --format hf' folder"
          + " (no README.md and data/)");
    }
    String token = Secrets.get("HF_TOKEN");
    if (token == null) {
      throw new InputException("HF_TOKEN", null, "is not set; put a Hugging Face token with"
          + " write access in the environment or in .env (HF_TOKEN=...)");
    }
    String url = endpoint != null ? endpoint : System.getenv().getOrDefault("HF_ENDPOINT",
        "https://huggingface.co");
    try {
      HubClient.Pushed p = new HubClient(url, token).push(dir, repo, isPrivate, message);
      System.out.printf("Pushed %d files (%d as large files) to the dataset %s%s%n",
          p.regular().size() + p.lfs().size(), p.lfs().size(), repo,
          p.commitUrl() == null ? "" : ": " + p.commitUrl());
      return 0;
    } catch (HubClient.HubException e) {
      System.err.println("error: " + e.getMessage());
      return Main.FAILED;
    } catch (IOException e) {
      System.err.println("error: could not reach " + url + ": " + e.getMessage());
      return Main.FAILED;
    }
  }
}
