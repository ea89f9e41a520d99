package io.convoforge.core.export;

import io.convoforge.core.family.ExportProfile;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.Message;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.ToolCall;
import io.convoforge.core.model.ToolResult;
import io.convoforge.core.util.Seeds;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A record as a chat example, the form every export format starts from: messages with the
 * example roles (system, user, assistant, tool), assistant tool calls with ids, one tool message
 * per call answering it by id, the tools offered, and the record's id, slice, judgement and
 * lineage for the columns. Built by {@link #of}, which throws {@link Invalid} naming the first
 * reason the record makes no valid example (an unknown role, an empty message, a call left
 * unanswered, a result without a call, a tool not offered, ids not unique).
 *
 * <p>Roles come from the family's {@link ExportProfile#role}; the profile's system prompt is put
 * first unless the record carries its own. Calls without an id get {@code call_} and a hash of
 * (record id, message, call), so exports are deterministic. Results answer the pending calls in
 * order (an envelope tool message carries the results of the calls before it); a tool message
 * with text and at most one result answers the next pending call with its text (what the model
 * read; such a result may carry only the status).
 */
public record Chat(String id, List<Msg> messages, List<Map<String, Object>> tools,
    Record<?> record) {

  /** One call: its id, tool name and arguments as a JSON object string. */
  public record Call(String id, String name, String arguments) {}

  /** One message; {@code calls} only on assistant messages, {@code callId} only on tool ones. */
  public record Msg(String role, String content, String timestamp, List<Call> calls,
      String callId, String name) {
    boolean hasCalls() {
      return calls != null && !calls.isEmpty();
    }
  }

  /** Why a record makes no valid example: a short {@code reason} and a human detail. */
  public static final class Invalid extends Exception {
    private final String reason;

    public Invalid(String reason, String detail) {
      super(detail);
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }
  }

  /** The example of {@code r} under {@code profile}. */
  public static Chat of(Record<?> r, ExportProfile profile) throws Invalid {
    List<Msg> out = new ArrayList<>();
    boolean ownSystem = r.messages().stream()
        .anyMatch(m -> ExportProfile.SYSTEM.equals(profile.role(m.role())));
    String system = profile.system(r);
    if (system != null && !ownSystem) {
      out.add(new Msg(ExportProfile.SYSTEM, system, null, null, null, null));
    }
    Deque<Call> pending = new ArrayDeque<>();
    Set<String> ids = new HashSet<>();
    boolean assistant = false;
    for (int i = 0; i < r.messages().size(); i++) {
      Message m = r.messages().get(i);
      String role = profile.role(m.role());
      if (role == null) {
        throw new Invalid("unknown_role", "message " + i + " has role '" + m.role()
            + "', which is neither user, assistant, tool nor system");
      }
      if (!ExportProfile.TOOL.equals(role) && !pending.isEmpty()) {
        throw new Invalid("unanswered_tool_call", "call " + pending.peek().id() + " ("
            + pending.peek().name() + ") has no result before message " + i);
      }
      switch (role) {
        case ExportProfile.SYSTEM, ExportProfile.USER -> {
          if (blank(m.text())) {
            throw new Invalid("empty_message", "message " + i + " (" + m.role()
                + ") has no text");
          }
          out.add(new Msg(role, m.text(), m.timestamp(), null, null, null));
        }
        case ExportProfile.ASSISTANT -> {
          List<Call> calls = new ArrayList<>();
          if (m.toolCalls() != null) {
            for (int k = 0; k < m.toolCalls().size(); k++) {
              ToolCall c = m.toolCalls().get(k);
              String id = c.id() != null ? c.id() : callId(r.id(), i, k);
              if (!ids.add(id)) {
                throw new Invalid("duplicate_call_id", "tool call id " + id + " is used twice");
              }
              calls.add(new Call(id, c.name(), Json.write(c.arguments() == null ? Map.of()
                  : c.arguments())));
            }
          }
          if (calls.isEmpty() && blank(m.text())) {
            throw new Invalid("empty_message", "assistant message " + i
                + " has neither text nor tool calls");
          }
          pending.addAll(calls);
          assistant = true;
          out.add(new Msg(role, blank(m.text()) ? null : m.text(), m.timestamp(),
              calls.isEmpty() ? null : calls, null, null));
        }
        default -> answer(m, i, pending, out);
      }
    }
    if (!pending.isEmpty()) {
      throw new Invalid("unanswered_tool_call", "call " + pending.peek().id() + " ("
          + pending.peek().name() + ") has no result");
    }
    if (!assistant) {
      throw new Invalid("no_assistant_message", "the dialogue has no assistant message");
    }
    List<Map<String, Object>> tools = profile.tools(r);
    Set<String> offered = new HashSet<>();
    for (Map<String, Object> t : tools) {
      if (t.get("function") instanceof Map<?, ?> f) {
        offered.add(String.valueOf(f.get("name")));
      }
    }
    for (Msg m : out) {
      if (m.hasCalls()) {
        for (Call c : m.calls()) {
          if (!offered.contains(c.name())) {
            throw new Invalid("tool_not_offered", "call " + c.id() + " names tool '" + c.name()
                + "', which the example's tools do not offer");
          }
        }
      }
    }
    return new Chat(r.id(), List.copyOf(out), tools, r);
  }

  /** Tool messages answering the pending calls, in order. */
  private static void answer(Message m, int i, Deque<Call> pending, List<Msg> out)
      throws Invalid {
    List<String> contents = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<ToolResult> results = m.toolResults() == null ? List.of() : m.toolResults();
    if (!blank(m.text()) && results.size() <= 1) {
      // The text is what the model read (a result beside it may only give the status).
      contents.add(m.text());
      names.add(results.isEmpty() ? null : results.get(0).name());
    } else {
      for (ToolResult t : results) {
        contents.add(content(t));
        names.add(t.name());
      }
    }
    if (contents.isEmpty()) {
      throw new Invalid("empty_message", "tool message " + i + " carries no result");
    }
    for (int k = 0; k < contents.size(); k++) {
      Call c = pending.poll();
      if (c == null) {
        throw new Invalid("result_without_call", "tool message " + i + " answers no call");
      }
      if (names.get(k) != null && !names.get(k).equals(c.name())) {
        throw new Invalid("result_mismatch", "tool message " + i + " returns " + names.get(k)
            + " for call " + c.id() + " of " + c.name());
      }
      out.add(new Msg(ExportProfile.TOOL, contents.get(k), m.timestamp(), null, c.id(),
          c.name()));
    }
  }

  /** What a tool returned, as the JSON the model reads: the output, or {"error": ...}. */
  static String content(ToolResult t) {
    if (t.ok()) {
      return t.output() instanceof String s ? s : Json.write(t.output());
    }
    Map<String, Object> err = new LinkedHashMap<>();
    if (t.error() != null) {
      err.put("code", t.error().code());
      err.put("message", t.error().message());
    }
    return Json.write(Map.of("error", err));
  }

  /**
   * The same example with one call per assistant message (what {@code parallel_tool_calls:
   * false} promises): a message calling k tools becomes k messages, each followed by its result;
   * the text, if any, stays on the first.
   */
  public Chat sequential() {
    List<Msg> out = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      Msg m = messages.get(i);
      if (!m.hasCalls() || m.calls().size() == 1) {
        out.add(m);
        continue;
      }
      Map<String, Msg> results = new LinkedHashMap<>();
      int j = i + 1;
      while (j < messages.size() && ExportProfile.TOOL.equals(messages.get(j).role())) {
        results.put(messages.get(j).callId(), messages.get(j));
        j++;
      }
      for (int k = 0; k < m.calls().size(); k++) {
        Call c = m.calls().get(k);
        out.add(new Msg(m.role(), k == 0 ? m.content() : null, m.timestamp(), List.of(c), null,
            null));
        out.add(results.get(c.id()));
      }
      i = j - 1;
    }
    return new Chat(id, List.copyOf(out), tools, record);
  }

  /** The tools offered, as a JSON array string. */
  public String toolsJson() {
    return Json.write(tools);
  }

  /**
   * Characters of the example's text, tool calls and tools ({@code toolsJson}, the length of
   * {@link #toolsJson}): a token estimate's base.
   */
  public long characters(int toolsJson) {
    long n = tools.isEmpty() ? 0 : toolsJson;
    for (Msg m : messages) {
      n += m.content() == null ? 0 : m.content().length();
      if (m.hasCalls()) {
        for (Call c : m.calls()) {
          n += c.name().length() + c.arguments().length();
        }
      }
    }
    return n;
  }

  static String callId(String recordId, int message, int call) {
    return String.format("call_%016x", Seeds.hash(recordId + "/" + message + "/" + call));
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
