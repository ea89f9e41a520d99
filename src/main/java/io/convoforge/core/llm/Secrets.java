package io.convoforge.core.llm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * API keys, resolved on the worker when a generator opens: the environment first, then a {@code
 * .env} file in the current directory ({@code NAME=value} lines). Never stored in options,
 * settings, cache keys, lineage, reports or logs.
 */
public final class Secrets {
  private Secrets() {}

  public static String get(String... names) {
    for (String n : names) {
      String v = System.getenv(n);
      if (v != null && !v.isBlank()) {
        return v.trim();
      }
    }
    Path env = Path.of(System.getProperty("convoforge.dotenv", ".env"));
    if (Files.isRegularFile(env)) {
      try {
        for (String n : names) {
          for (String line : Files.readAllLines(env)) {
            String l = line.trim();
            if (l.startsWith("export ")) {
              l = l.substring(7).trim();
            }
            if (l.startsWith(n + "=")) {
              String v = l.substring(n.length() + 1).trim();
              if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"")
                  || v.startsWith("'") && v.endsWith("'"))) {
                v = v.substring(1, v.length() - 1);
              }
              if (!v.isEmpty()) {
                return v;
              }
            }
          }
        }
      } catch (IOException e) {
        return null;
      }
    }
    return null;
  }
}
