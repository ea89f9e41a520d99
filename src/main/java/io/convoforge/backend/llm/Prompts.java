package io.convoforge.backend.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.model.Json;
import io.convoforge.schema.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The editable prompt of each LLM stage, read once by the launcher from {@code
 * <prompts>/<stage>/} ({@code system.md}, {@code prompt.md} with {@code {{placeholders}}}, and
 * {@code output.schema.json}), falling back to the copies inside the jar. The content hash of the
 * three files is the prompt's version, written into lineage.
 */
public final class Prompts implements Serializable {
  static final String[] STAGES = {"plan", "args", "utterances", "judge"};
  private static final Pattern VAR = Pattern.compile("\\{\\{\\s*([a-z_]+)\\s*}}");

  /** One stage's template. */
  record Template(String system, String user, String schema, String version)
      implements Serializable {
    JsonNode schemaNode() {
      try {
        return Json.MAPPER.readTree(schema);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    String render(Map<String, String> vars) {
      Matcher m = VAR.matcher(user);
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        String v = vars.get(m.group(1));
        m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? "" : v));
      }
      m.appendTail(sb);
      return sb.toString();
    }
  }

  private final Map<String, Template> templates;

  private Prompts(Map<String, Template> templates) {
    this.templates = templates;
  }

  static Prompts load(String dir) {
    Map<String, Template> t = new LinkedHashMap<>();
    for (String stage : STAGES) {
      String system = read(dir, stage, "system.md");
      String user = read(dir, stage, "prompt.md");
      String schema = read(dir, stage, "output.schema.json");
      try {
        Json.MAPPER.readTree(schema);
      } catch (IOException e) {
        throw new InputException(dir + "/" + stage + "/output.schema.json", null,
            "not valid JSON: " + e.getMessage());
      }
      t.put(stage, new Template(system, user, schema, sha256(system + "\0" + user + "\0"
          + schema).substring(0, 16)));
    }
    return new Prompts(t);
  }

  Template get(String stage) {
    return templates.get(stage);
  }

  /** Stage to prompt version, for lineage. */
  Map<String, String> versions() {
    Map<String, String> v = new LinkedHashMap<>();
    templates.forEach((k, t) -> v.put(k, t.version()));
    return v;
  }

  private static String read(String dir, String stage, String file) {
    Path p = Path.of(dir, stage, file);
    try {
      if (Files.isRegularFile(p)) {
        return Files.readString(p);
      }
      try (InputStream in = Prompts.class.getResourceAsStream(
          "/transforms/" + stage + "/" + file)) {
        if (in == null) {
          throw new InputException(p.toString(), null,
              "prompt file missing (and no built-in copy)");
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new InputException(p.toString(), null, "cannot read: " + e.getMessage());
    }
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
