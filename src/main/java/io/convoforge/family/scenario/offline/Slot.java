package io.convoforge.family.scenario.offline;

import java.util.Locale;

/** A {@code {name}} placeholder of a phrase-bank sentence or a scenario's {@code detail}. */
enum Slot {
  AGENT, CLIENT, CLIENT_FULL, COMPANY, ACCOUNT, REF, PHONE, POSTCODE, DATE, AMOUNT,
  INTENT, STEP, NEXT_STEP, OUTCOME, DETAIL,
  // Only inside the bank's date and amount formats.
  DAY, MONTH, UNITS, CENTS;

  static final Slot[] VALUES = values();

  /** The slot named {@code name} (lower-case, as written in braces), or {@code null}. */
  static Slot named(String name) {
    for (Slot s : VALUES) {
      if (s.name().toLowerCase(Locale.ROOT).equals(name)) {
        return s;
      }
    }
    return null;
  }
}
