package io.convoforge.family.scenario.batch;

import io.convoforge.family.scenario.model.Message;
import io.convoforge.family.scenario.model.Transcript;
import java.util.Locale;
import java.util.Map;

/**
 * The human-readable {@code preview.txt} of a batch: a header (batch, prompt, scenario mode,
 * counts by scenario) and every call with its timestamps and speakers. Deterministic.
 */
public final class Preview {
  private Preview() {}

  public static String render(BatchFile b) {
    StringBuilder sb = new StringBuilder(4096);
    int messages = 0;
    for (Transcript t : b.conversations()) {
      messages += t.messages().size();
    }
    sb.append("Batch ").append(b.id()).append(" (index ").append(b.index()).append(")\n");
    sb.append("Prompt: ").append(b.promptTitle()).append(" [").append(b.promptId())
        .append(", ").append(b.language()).append(", ").append(b.promptPath()).append("]\n");
    sb.append("Scenario mode: ").append(b.scenarioMode());
    if (b.scenario() != null) {
      sb.append(" (").append(b.scenario()).append(')');
    }
    sb.append('\n');
    sb.append("Conversations: ").append(b.size()).append("   Messages: ").append(messages);
    if (b.createdAt() != null) {
      sb.append("   Starts: ").append(b.createdAt());
    }
    sb.append('\n');
    sb.append("By scenario:");
    for (Map.Entry<String, Integer> e : b.scenarioCounts().entrySet()) {
      sb.append(' ').append(e.getKey()).append(" ×").append(e.getValue());
    }
    sb.append("\n");
    int n = 0;
    for (Transcript t : b.conversations()) {
      n++;
      sb.append("\n=== ").append(n).append('/').append(b.size()).append("  ").append(t.id())
          .append("  ").append(t.scenario().id()).append(" — ").append(t.scenario().title())
          .append(" ===\n");
      for (Message m : t.messages()) {
        if (m.timestamp() != null) {
          sb.append('[').append(m.timestamp()).append("] ");
        }
        sb.append(m.role() == null ? "?" : m.role().wire().toUpperCase(Locale.ROOT))
            .append(": ").append(m.text()).append('\n');
      }
    }
    return sb.toString();
  }
}
