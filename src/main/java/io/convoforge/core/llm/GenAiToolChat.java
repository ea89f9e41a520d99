package io.convoforge.core.llm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.google.genai.Client;
import com.google.genai.types.Candidate;
import com.google.genai.types.Content;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.FunctionResponse;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.Part;
import com.google.genai.types.Tool;
import io.convoforge.core.model.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link Chat} over {@code generateContent} function calling (Gemini API and Vertex AI): tools
 * as {@code functionDeclarations} with {@code parametersJsonSchema}; the model's {@code
 * functionCall} parts are its calls; results go back as {@code functionResponse} parts (the
 * results of one round in one {@code user} content, as the API expects). A {@code
 * MALFORMED_FUNCTION_CALL} finish is a malformed call; a safety finish or a blocked prompt is a
 * refusal.
 */
final class GenAiToolChat {
  private static final Set<String> REFUSALS = Set.of("SAFETY", "PROHIBITED_CONTENT",
      "BLOCKLIST", "SPII", "RECITATION");

  private GenAiToolChat() {}

  static Chat.Reply chat(Client client, Chat.Request r) {
    List<Content> contents = new ArrayList<>();
    List<Part> results = new ArrayList<>();
    for (Chat.Message m : r.messages()) {
      if ("tool".equals(m.role())) {
        FunctionResponse.Builder f = FunctionResponse.builder().name(m.name())
            .response(object(m.text()));
        if (m.callId() != null) {
          f.id(m.callId());
        }
        results.add(Part.builder().functionResponse(f.build()).build());
        continue;
      }
      flush(contents, results);
      List<Part> parts = new ArrayList<>();
      if (m.text() != null && !m.text().isEmpty()) {
        parts.add(Part.fromText(m.text()));
      }
      for (Chat.Call c : m.calls()) {
        FunctionCall.Builder f = FunctionCall.builder().name(c.name()).args(object(c.arguments()));
        if (c.id() != null) {
          f.id(c.id());
        }
        parts.add(Part.builder().functionCall(f.build()).build());
      }
      contents.add(Content.builder().role("user".equals(m.role()) ? "user" : "model")
          .parts(parts).build());
    }
    flush(contents, results);
    List<FunctionDeclaration> fns = new ArrayList<>();
    for (Chat.Tool t : r.tools()) {
      fns.add(FunctionDeclaration.builder().name(t.name()).description(t.description())
          .parametersJsonSchema(Json.MAPPER.convertValue(t.parameters(), Map.class)).build());
    }
    GenerateContentConfig.Builder c = GenerateContentConfig.builder()
        .tools(List.of(Tool.builder().functionDeclarations(fns).build()));
    if (r.system() != null && !r.system().isBlank()) {
      c.systemInstruction(Content.fromParts(Part.fromText(r.system())));
    }
    if (r.temperature() != null) {
      c.temperature(r.temperature().floatValue());
    }
    if (r.maxTokens() != null) {
      c.maxOutputTokens(r.maxTokens());
    }
    GenerateContentResponse resp = client.models.generateContent(r.model(), contents, c.build());
    long in = resp.usageMetadata().flatMap(u -> u.promptTokenCount()).orElse(0);
    long out = resp.usageMetadata().flatMap(u -> u.candidatesTokenCount()).orElse(0);
    List<Candidate> cands = resp.candidates().orElse(List.of());
    if (cands.isEmpty()) {
      String why = resp.promptFeedback().flatMap(f -> f.blockReason()).map(Object::toString)
          .orElse("no candidates");
      return new Chat.Reply("(blocked: " + why + ")", List.of(), Chat.Reply.REFUSAL, in, out);
    }
    Candidate cand = cands.get(0);
    String finish = cand.finishReason().map(Object::toString).orElse("STOP");
    StringBuilder text = new StringBuilder();
    List<Chat.Call> calls = new ArrayList<>();
    for (Part p : cand.content().flatMap(Content::parts).orElse(List.of())) {
      if (p.thought().orElse(false)) {
        continue;
      }
      p.text().ifPresent(text::append);
      p.functionCall().ifPresent(f -> calls.add(new Chat.Call(f.id().orElse(null),
          f.name().orElse(""), Json.write(f.args().orElse(Map.of())))));
    }
    if (REFUSALS.contains(finish)) {
      return new Chat.Reply(text.length() > 0 ? text.toString() : "(blocked: " + finish + ")",
          List.of(), Chat.Reply.REFUSAL, in, out);
    }
    if ("MALFORMED_FUNCTION_CALL".equals(finish)) {
      String msg = cand.finishMessage().orElse("malformed function call");
      return new Chat.Reply(msg, List.of(), Chat.Reply.MALFORMED_CALL, in, out);
    }
    return new Chat.Reply(text.toString(), calls, finish, in, out);
  }

  private static void flush(List<Content> contents, List<Part> results) {
    if (!results.isEmpty()) {
      contents.add(Content.builder().role("user").parts(new ArrayList<>(results)).build());
      results.clear();
    }
  }

  /** A JSON object's text as a map; anything else wrapped as {@code {"value": text}}. */
  private static Map<String, Object> object(String json) {
    try {
      Map<String, Object> m = Json.MAPPER.readValue(json,
          new TypeReference<LinkedHashMap<String, Object>>() {});
      return m == null ? Map.of() : m;
    } catch (IOException | RuntimeException e) {
      return Map.of("value", String.valueOf(json));
    }
  }
}
