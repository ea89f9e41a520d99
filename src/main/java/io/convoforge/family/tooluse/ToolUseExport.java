package io.convoforge.family.tooluse;

import io.convoforge.core.family.ExportProfile;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.Message;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.ToolCall;
import io.convoforge.family.tooluse.schema.ToolSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tool-use conversations as training examples. System prompt: the agent's instructions (the
 * same the {@code eval} agent gets). Tools: the derived tools of every table the conversation
 * calls a tool of, all five actions each (the calls made plus their neighbours, so the example
 * teaches choosing among similar tools without repeating all of a large schema's tools on every
 * line); without the recipe's schema, inferred from the calls. Siblings: conversations of one
 * chain (crm-chains recipes) stay together; otherwise each conversation stands alone (sampled
 * independently, no fan-out).
 */
final class ToolUseExport implements ExportProfile {
  static final String SYSTEM = "You are an assistant that operates a CRM database through the"
      + " tools provided. Do what the user asks by calling the tools with exactly the values the"
      + " user gives (and keys returned by earlier calls); ask for what is missing. When a call"
      + " fails, tell the user why. Answer briefly.";

  /** Derived tools by name, in table then action order; null without a schema. */
  private final Map<String, ToolSpec> tools;
  /** Each derived tool in OpenAI's format, made once (every record repeats them). */
  private final Map<String, Map<String, Object>> openAi = new java.util.HashMap<>();

  ToolUseExport(Map<String, ToolSpec> tools) {
    this.tools = tools;
    if (tools != null) {
      for (ToolSpec t : tools.values()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> parameters = Json.MAPPER.convertValue(t.parameters(), Map.class);
        openAi.put(t.name(), ExportProfile.function(t.name(), t.description(), parameters));
      }
    }
  }

  @Override
  public String system(Record<?> r) {
    return SYSTEM;
  }

  @Override
  public List<Map<String, Object>> tools(Record<?> r) {
    if (tools == null) {
      return ExportProfile.inferTools(r);
    }
    Set<String> tables = new LinkedHashSet<>();
    for (Message m : r.messages()) {
      if (m.toolCalls() != null) {
        for (ToolCall c : m.toolCalls()) {
          ToolSpec spec = tools.get(c.name());
          if (spec == null) {
            // A call of a tool the schema does not derive: the schema is not this dataset's.
            return ExportProfile.inferTools(r);
          }
          tables.add(spec.table());
        }
      }
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (ToolSpec t : tools.values()) {
      if (tables.contains(t.table())) {
        out.add(openAi.get(t.name()));
      }
    }
    return out;
  }

  @Override
  public List<String> siblingKeys(Record<?> r) {
    String chain = r.slice(ToolUseCodec.CHAIN);
    return List.of(chain == null ? r.id() : "chain:" + chain);
  }

  @Override
  public List<String> caveats() {
    return List.of(
        "Names, companies, e-mails and other values are fake (generated with datafaker from the"
            + " tables schema); they describe no real person or company.",
        "Tool results come from executing every call in an in-memory sandbox database built"
            + " from the schema, not from a production system.",
        "Failure conversations end in a tool error chosen on purpose (not_found,"
            + " invalid_reference, conflict) to teach error handling; the outcome column says"
            + " which are which.",
        "On the offline backend the dialogue text comes from a phrase bank: fluent but"
            + " templated, less varied than a model's.");
  }
}
