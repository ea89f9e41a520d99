package io.convoforge.core.run;

import io.convoforge.core.util.Seeds;

/**
 * What names a dataset's content for a check that sees only its report (the {@code
 * difficulty_band} gate given another command's results): an order-free digest of its accepted
 * record ids, the sum of their {@link Seeds#hash}es as 16 hex digits. A sum merges in any order,
 * so the pipeline's report ({@code ids_digest}) and a command that reads the records compute
 * the same value.
 */
public final class IdsDigest {
  private IdsDigest() {}

  static long add(long sum, String id) {
    return sum + Seeds.hash(id);
  }

  static String hex(long sum) {
    return String.format("%016x", sum);
  }

  public static String of(Iterable<String> ids) {
    long sum = 0;
    for (String id : ids) {
      sum = add(sum, id);
    }
    return hex(sum);
  }
}
