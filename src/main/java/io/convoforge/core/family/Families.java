package io.convoforge.core.family;

import io.convoforge.core.input.InputException;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * The recipe families on the class path, found through {@link ServiceLoader} ({@code
 * META-INF/services/io.convoforge.core.family.RecipeFamily}): adding a family touches no core
 * file.
 */
public final class Families {
  private static volatile Map<String, RecipeFamily> byKind;

  private Families() {}

  /** The family of {@code kind}; an unknown kind is an input error naming the known ones. */
  public static RecipeFamily of(String kind, String file) {
    RecipeFamily f = all().get(kind);
    if (f == null) {
      throw new InputException(file, "field kind", "unknown recipe kind '" + kind
          + "'; expected one of " + kinds());
    }
    return f;
  }

  public static Set<String> kinds() {
    return all().keySet();
  }

  public static Map<String, RecipeFamily> all() {
    if (byKind == null) {
      synchronized (Families.class) {
        if (byKind == null) {
          Map<String, RecipeFamily> m = new TreeMap<>();
          for (RecipeFamily f : ServiceLoader.load(RecipeFamily.class)) {
            RecipeFamily old = m.put(f.kind(), f);
            if (old != null) {
              throw new IllegalStateException("two families of kind " + f.kind() + ": "
                  + old.getClass().getName() + " and " + f.getClass().getName());
            }
          }
          byKind = m;
        }
      }
    }
    return byKind;
  }
}
