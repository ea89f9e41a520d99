package io.convoforge.core.run;

import io.convoforge.core.input.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A run's output directory, written all-or-nothing: the run writes into a hidden sibling
 * directory and {@link #commit} moves it into place only once everything (report included) is
 * there. A non-empty target is refused unless overwriting, and is replaced only at commit, so a
 * failed run leaves earlier output intact.
 */
public final class OutputDir {
  private final Path target;
  private final Path staging;

  private OutputDir(Path target, Path staging) {
    this.target = target;
    this.staging = staging;
  }

  public static OutputDir prepare(Path target, boolean overwrite) {
    Path abs = target.toAbsolutePath().normalize();
    if (Files.exists(abs) && !Files.isDirectory(abs)) {
      throw new InputException("--out " + target, null, "exists and is not a directory");
    }
    if (!overwrite && Files.isDirectory(abs) && !isEmpty(abs)) {
      throw new InputException("--out " + target, null,
          "is not empty; choose another directory or pass --overwrite to replace it");
    }
    Path staging = abs.resolveSibling("." + abs.getFileName() + ".tmp-"
        + ProcessHandle.current().pid() + "-" + System.nanoTime());
    try {
      Files.createDirectories(staging);
    } catch (IOException e) {
      throw new InputException("--out " + target, null, "cannot create: " + e.getMessage());
    }
    return new OutputDir(abs, staging);
  }

  public Path staging() {
    return staging;
  }

  public Path target() {
    return target;
  }

  /** Moves the staged output into place, replacing what was there. */
  public void commit() {
    try {
      Path old = null;
      if (Files.exists(target)) {
        old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      if (old != null) {
        delete(old);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes the staging directory after a failed run. */
  public void abandon() {
    delete(staging);
  }

  private static boolean isEmpty(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void delete(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
