package io.convoforge.family.tooluse.backend;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.model.ToolCall;
import io.convoforge.family.tooluse.gen.ValueGenerator;
import io.convoforge.family.tooluse.model.Turn;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a model's rewrite of the drafted dialogue must keep, checked before it is accepted (a
 * failed check is re-asked once, then the element is rejected): every value of a turn's calls
 * that the user's draft states (the judge's grounding rule needs it said), and every key,
 * number, date or email the assistant's draft states (its report of the results). Names may be
 * rephrased; values may not.
 */
final class DraftFacts {
  private DraftFacts() {}

  /** One message per fact a rewritten turn lost; empty when all are kept. */
  static List<String> missing(List<Turn> drafts, JsonNode rewritten) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < drafts.size() && i < rewritten.size(); i++) {
      Turn d = drafts.get(i);
      String user = rewritten.get(i).path("user").asText("").toLowerCase(Locale.ROOT);
      String reply = rewritten.get(i).path("assistant").asText("").toLowerCase(Locale.ROOT);
      for (String v : userFacts(d)) {
        if (!user.contains(v)) {
          out.add("turn " + (i + 1) + ": the user line must state '" + v + "' as the draft does");
        }
      }
      for (String v : replyFacts(d.responseText())) {
        if (!reply.contains(v)) {
          out.add("turn " + (i + 1) + ": the assistant line must keep '" + v + "'");
        }
      }
    }
    return out.size() > 8 ? out.subList(0, 8) : out;
  }

  /** The call values the user's draft states, lower-cased. */
  static Set<String> userFacts(Turn d) {
    String draft = d.user() == null ? "" : d.user().toLowerCase(Locale.ROOT);
    Set<String> out = new LinkedHashSet<>();
    for (ToolCall call : d.expectedToolCalls()) {
      if (call.arguments() == null) {
        continue;
      }
      for (Object v : call.arguments().values()) {
        if (v instanceof Boolean) {
          continue;
        }
        String s = ValueGenerator.render(v).toLowerCase(Locale.ROOT);
        if (!s.isEmpty() && draft.contains(s)) {
          out.add(s);
        }
      }
    }
    return out;
  }

  /** Tokens of the assistant's draft with a digit or an '@' (keys, amounts, dates, emails). */
  static Set<String> replyFacts(String draft) {
    Set<String> out = new LinkedHashSet<>();
    if (draft == null) {
      return out;
    }
    for (String raw : draft.split("\\s+")) {
      String t = raw.replaceAll("^[^\\p{L}\\p{N}@+]+|[^\\p{L}\\p{N}@]+$", "");
      if (!t.isEmpty() && (t.chars().anyMatch(Character::isDigit) || t.indexOf('@') >= 0)) {
        out.add(t.toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }
}
