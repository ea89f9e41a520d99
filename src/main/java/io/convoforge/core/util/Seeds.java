package io.convoforge.core.util;

import java.nio.charset.StandardCharsets;

/**
 * Every random choice derives from (run seed, element id, stage) through this class, never from
 * worker state or the clock, so any runner, any bundle split and any retry makes the same choice.
 */
public final class Seeds {
  private Seeds() {}

  public static long of(long runSeed, String elementId, String stage) {
    return mix(fnv(runSeed + "|" + elementId + "|" + stage));
  }

  /** A stable 64-bit hash of a string (FNV-1a, then a SplitMix64 finaliser). */
  public static long hash(String s) {
    return mix(fnv(s));
  }

  private static long fnv(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    return h;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
