package io.convoforge.family.csvagent;

import io.convoforge.core.input.InputException;
import io.convoforge.core.input.Problem;
import io.convoforge.core.recipe.RecipeLoader;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Expands a recipe's file list (paths, directories, globs such as {@code data/csv/*.csv} or
 * {@code data/kaggle/**}{@code /data.csv}) into files, and loads the CSVs among them.
 *
 * <p>{@link #expand}: a directory stands for the files in it ending in {@code suffix}; a glob
 * for the regular files it matches (in path order); the same file named twice counts once.
 * Fails with an {@link InputException} naming the entry when a path does not exist or a glob
 * matches nothing. {@link #load}: every file through {@link CsvTable#load} (whose errors name
 * the file and line; they are re-issued with the path as the user wrote it), refusing two files
 * with the same content (their questions would have the same ids).
 */
public final class DatasetFiles {
  private DatasetFiles() {}

  /** A loaded CSV and its reference. */
  public record Loaded(DatasetRef ref, CsvTable table) {}

  /** The files {@code entries} name, in order, each once. */
  public static List<Path> expand(String recipeFile, String field, List<String> entries,
      String suffix) {
    Map<Path, Boolean> out = new LinkedHashMap<>();
    for (String e : entries) {
      List<Path> found = new ArrayList<>();
      if (isGlob(e)) {
        found.addAll(glob(e));
      } else {
        Path p = Path.of(e);
        if (Files.isDirectory(p)) {
          try (Stream<Path> s = Files.list(p)) {
            s.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(suffix))
                .sorted().forEach(found::add);
          } catch (IOException ex) {
            throw new InputException(recipeFile, "field " + field,
                "cannot list " + e + ": " + ex.getMessage());
          }
        } else if (Files.isRegularFile(p)) {
          found.add(p);
        } else {
          throw new InputException(recipeFile, "field " + field, "no such file: " + e);
        }
      }
      if (found.isEmpty()) {
        throw new InputException(recipeFile, "field " + field, "'" + e
            + "' matches no " + suffix + " file");
      }
      found.forEach(f -> out.putIfAbsent(f.toAbsolutePath().normalize(), true));
    }
    return List.copyOf(out.keySet());
  }

  /** Loads and checks every CSV; see the class comment. */
  public static List<Loaded> load(List<Path> files) {
    List<CsvTable> tables = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (Path f : files) {
      try {
        tables.add(CsvTable.load(f));
      } catch (InputException e) {
        String shown = RecipeLoader.display(f);
        e.problems().forEach(p -> problems.add(new Problem(shown, p.where(), p.message())));
      }
    }
    if (!problems.isEmpty()) {
      throw new InputException(problems);
    }
    Map<String, Path> bySha = new HashMap<>();
    for (int i = 0; i < tables.size(); i++) {
      Path other = bySha.putIfAbsent(tables.get(i).sha256(), files.get(i));
      if (other != null) {
        throw new InputException(RecipeLoader.display(files.get(i)), null,
            "has the same content as " + RecipeLoader.display(other)
                + "; list each dataset once");
      }
    }
    List<String> names = names(files);
    List<Loaded> out = new ArrayList<>();
    for (int i = 0; i < tables.size(); i++) {
      CsvTable t = tables.get(i);
      out.add(new Loaded(new DatasetRef(names.get(i), files.get(i).toString(), t.sha256(),
          t.rows().size(), t.columns().size()), t));
    }
    return List.copyOf(out);
  }

  /**
   * Short unique names: the file name, or as many trailing path segments as it takes to tell
   * files with the same name apart ({@code a/data.csv}, {@code b/data.csv}).
   */
  static List<String> names(List<Path> files) {
    for (int depth = 1; ; depth++) {
      List<String> names = new ArrayList<>();
      for (Path f : files) {
        int n = f.getNameCount();
        names.add(f.subpath(Math.max(0, n - depth), n).toString());
      }
      int d = depth;
      boolean longest = files.stream().allMatch(f -> f.getNameCount() <= d);
      if (new TreeSet<>(names).size() == names.size() || longest) {
        return names;
      }
    }
  }

  private static boolean isGlob(String s) {
    return s.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
  }

  private static List<Path> glob(String pattern) {
    Path p = Path.of(pattern);
    String absPattern = (p.isAbsolute() ? p : Path.of("").toAbsolutePath().resolve(p))
        .normalize().toString();
    // The walk starts at the deepest folder without a glob character.
    Path base = Path.of(absPattern).getRoot();
    for (Path part : Path.of(absPattern)) {
      if (isGlob(part.toString())) {
        break;
      }
      base = base.resolve(part);
    }
    if (!Files.isDirectory(base)) {
      return List.of();
    }
    PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + absPattern);
    try (Stream<Path> s = Files.walk(base)) {
      return s.filter(Files::isRegularFile).filter(m::matches).sorted().toList();
    } catch (IOException e) {
      throw new InputException(pattern, null, "cannot list files: " + e.getMessage());
    }
  }
}
