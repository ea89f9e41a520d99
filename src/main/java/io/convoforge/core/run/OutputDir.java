package io.convoforge.core.run;

import io.convoforge.core.input.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * A run's output directory, written all-or-nothing on any Beam file system. The run writes into
 * a hidden sibling ({@code .<name>.tmp-<pid>-<nanos>}) and {@link #commit} puts it in place only
 * once everything (report included) is there, ending with an empty {@value #SUCCESS} file. A
 * non-empty target is refused unless overwriting, and is replaced only at commit, so a failed run
 * leaves earlier output intact.
 *
 * <p>How the commit is made all-or-nothing depends on the file system. A local directory is
 * renamed in one atomic step, {@value #SUCCESS} included: a reader sees the old dataset or the
 * new one. An object store ({@code gs://...}, any other scheme) cannot rename a prefix at once:
 * the commit removes the old {@value #SUCCESS} first, then the old files, renames the new ones
 * ({@link FileSystems#rename}: copy and delete) and writes {@value #SUCCESS} last. There a
 * dataset is complete exactly when its {@value #SUCCESS} exists, and readers must honour it
 * ({@link DatasetDir} refuses a remote dataset without it); a crash in the middle leaves a target
 * without it, never a mix that looks complete.
 */
public final class OutputDir {
  /** The marker of a complete dataset, written last. */
  public static final String SUCCESS = "_SUCCESS";

  private final String target;
  private final String staging;
  private final boolean local;

  private OutputDir(String target, String staging, boolean local) {
    this.target = target;
    this.staging = staging;
    this.local = local;
  }

  public static OutputDir prepare(Path target, boolean overwrite) {
    return prepare(target.toString(), overwrite);
  }

  /** Checks the target ({@code --out}: a local path or a URI) and creates the staging place. */
  public static OutputDir prepare(String out, boolean overwrite) {
    String target = Locations.normalize(out);
    if (!Locations.isLocal(target)) {
      return prepareRemote(out, target, overwrite);
    }
    Path abs = Path.of(target);
    if (Files.exists(abs) && !Files.isDirectory(abs)) {
      throw new InputException("--out " + out, null, "exists and is not a directory");
    }
    if (!overwrite && Files.isDirectory(abs) && !isEmpty(abs)) {
      throw new InputException("--out " + out, null,
          "is not empty; choose another directory or pass --overwrite to replace it");
    }
    Path staging = abs.resolveSibling(stagingName(abs.getFileName().toString()));
    try {
      Files.createDirectories(staging);
    } catch (IOException e) {
      throw new InputException("--out " + out, null, "cannot create: " + e.getMessage());
    }
    return new OutputDir(target, staging.toString(), true);
  }

  private static OutputDir prepareRemote(String out, String target, boolean overwrite) {
    int slash = target.lastIndexOf('/');
    String name = target.substring(slash + 1);
    if (name.isEmpty() || target.indexOf("://") + 2 >= slash) {
      throw new InputException("--out " + out, null, "names no folder inside the bucket; give"
          + " one, such as gs://bucket/datasets/crm");
    }
    try {
      if (!overwrite && !Locations.match(target + "/**").isEmpty()) {
        throw new InputException("--out " + out, null,
            "is not empty; choose another location or pass --overwrite to replace it");
      }
    } catch (UncheckedIOException | IllegalArgumentException e) {
      throw new InputException("--out " + out, null, "cannot be listed: "
          + Job.rootMessage(e));
    }
    return new OutputDir(target, target.substring(0, slash + 1) + stagingName(name), false);
  }

  private static String stagingName(String name) {
    return "." + name + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
  }

  /** Where the run writes: a local path or a URI, without a trailing slash. */
  public String stagingLocation() {
    return staging;
  }

  /** Where the dataset ends up: a local path or a URI, without a trailing slash. */
  public String location() {
    return target;
  }

  public boolean isLocal() {
    return local;
  }

  /** The staging directory of a local output. */
  public Path staging() {
    return Path.of(localOnly(staging));
  }

  /** The target directory of a local output. */
  public Path target() {
    return Path.of(localOnly(target));
  }

  private String localOnly(String location) {
    if (!local) {
      throw new IllegalStateException(location + " is not a local directory");
    }
    return location;
  }

  /** Puts the staged output in place, replacing what was there; {@value #SUCCESS} last. */
  public void commit() {
    if (!local) {
      commitRemote();
      return;
    }
    try {
      Locations.write(Locations.resolve(staging, SUCCESS), "");
      Path to = target();
      Path old = null;
      if (Files.exists(to)) {
        old = to.resolveSibling("." + to.getFileName() + ".old-" + System.nanoTime());
        Files.move(to, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(staging(), to, StandardCopyOption.ATOMIC_MOVE);
      if (old != null) {
        delete(old);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void commitRemote() {
    List<ResourceId> old = Locations.match(target + "/**");
    // Incomplete from here on: the marker goes first, and comes back only at the very end.
    Locations.delete(List.of(FileSystems.matchNewResource(Locations.resolve(target, SUCCESS),
        false)));
    Locations.delete(old);
    List<ResourceId> from = Locations.match(staging + "/**");
    List<ResourceId> to = new ArrayList<>();
    for (ResourceId f : from) {
      String relative = f.toString().substring(staging.length() + 1);
      to.add(FileSystems.matchNewResource(Locations.resolve(target, relative), false));
    }
    Locations.rename(from, to);
    Locations.write(Locations.resolve(target, SUCCESS), "");
  }

  /** Removes the staged output after a failed run. */
  public void abandon() {
    if (local) {
      delete(staging());
    } else {
      Locations.delete(Locations.match(staging + "/**"));
    }
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
