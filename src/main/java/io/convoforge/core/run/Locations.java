package io.convoforge.core.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * Files of a run's output through Beam's {@link FileSystems}, so the launcher reads and writes
 * them wherever the pipeline does: a local path, {@code gs://...}, or any scheme a registered
 * {@code FileSystemRegistrar} serves. A location is a string: a local path or a URI without its
 * trailing slash.
 */
public final class Locations {
  private Locations() {}

  /** True for a local path (no scheme, or {@code file:}). */
  public static boolean isLocal(String location) {
    return !location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || location.startsWith("file:");
  }

  /** A local location as an absolute, normalized path string; others unchanged. */
  public static String normalize(String location) {
    String l = location.startsWith("file://") ? location.substring("file://".length())
        : location;
    if (isLocal(l)) {
      return Path.of(l).toAbsolutePath().normalize().toString();
    }
    return l.endsWith("/") ? l.substring(0, l.length() - 1) : l;
  }

  /** {@code name} inside the directory {@code dir}. */
  public static String resolve(String dir, String name) {
    return dir.endsWith("/") ? dir + name : dir + "/" + name;
  }

  /** The files matching {@code glob} (none is fine), sorted by name. */
  public static List<ResourceId> match(String glob) {
    try {
      MatchResult r = FileSystems.match(glob, EmptyMatchTreatment.ALLOW);
      List<ResourceId> out = new ArrayList<>();
      if (r.status() == MatchResult.Status.OK) {
        for (MatchResult.Metadata m : r.metadata()) {
          out.add(m.resourceId());
        }
      }
      out.sort(Comparator.comparing(ResourceId::toString));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + glob, e);
    }
  }

  /** True when a file exists at {@code location}. */
  public static boolean exists(String location) {
    return !match(location).isEmpty();
  }

  /** Every non-blank line of a file. */
  public static void lines(ResourceId file, Consumer<String> each) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        Channels.newInputStream(FileSystems.open(file)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          each.accept(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Writes (or replaces) a small file. */
  public static void write(String location, String content) {
    ResourceId id = FileSystems.matchNewResource(location, false);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(id, MimeTypes.TEXT))) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + location, e);
    }
  }

  /** Deletes files; missing ones are fine. */
  public static void delete(List<ResourceId> files) {
    try {
      FileSystems.delete(files,
          org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + files, e);
    }
  }

  /** Renames files one to one (on object stores: copy, then delete the source). */
  public static void rename(List<ResourceId> from, List<ResourceId> to) {
    try {
      FileSystems.rename(from, to);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move " + from.size() + " files into place", e);
    }
  }
}
