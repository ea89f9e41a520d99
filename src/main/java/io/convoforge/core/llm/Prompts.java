package io.convoforge.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.input.InputException;
import io.convoforge.core.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A family's editable prompts, one folder per model-facing stage: {@code
 * <dir>/<family>/<stage>/} holds {@code system.md}, {@code prompt.md} (with {@code
 * {{placeholders}}}) and {@code output.schema.json} (optional for a stage whose schema the code
 * builds, such as the judge's rubric), falling back to the copies inside the jar. Read once by
 * the launcher. The content hash of a stage's files is its version, written into lineage.
 */
public final class Prompts implements Serializable {
  /** The default folder of prompt templates (recipe key {@code llm.prompts}). */
  public static final String DEFAULT_DIR = "transforms";
  private static final Pattern VAR = Pattern.compile("\\{\\{\\s*([a-z_]+)\\s*}}");

  /** One stage's template; {@code schema} is null when the stage builds its own. */
  public record Template(String system, String user, String schema, String version)
      implements Serializable {
    public JsonNode schemaNode() {
      if (schema == null) {
        return null;
      }
      try {
        return Json.MAPPER.readTree(schema);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The prompt with each {@code {{name}}} replaced by its variable (missing: empty). */
    public String render(Map<String, String> vars) {
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

  private final String family;
  private final Map<String, Template> templates;

  private Prompts(String family, Map<String, Template> templates) {
    this.family = family;
    this.templates = templates;
  }

  /**
   * Loads {@code stages} of {@code family} from {@code dir} (null: {@link #DEFAULT_DIR}); a
   * stage in {@code schemaOptional} may have no {@code output.schema.json}.
   */
  public static Prompts load(String dir, String family, List<String> stages,
      List<String> schemaOptional) {
    String root = dir == null ? DEFAULT_DIR : dir;
    Map<String, Template> t = new LinkedHashMap<>();
    for (String stage : stages) {
      String system = read(root, family, stage, "system.md", true);
      String user = read(root, family, stage, "prompt.md", true);
      String schema = read(root, family, stage, "output.schema.json",
          !schemaOptional.contains(stage));
      if (schema != null) {
        try {
          Json.MAPPER.readTree(schema);
        } catch (IOException e) {
          throw new InputException(Path.of(root, family, stage, "output.schema.json").toString(),
              null, "not valid JSON: " + e.getMessage());
        }
      }
      t.put(stage, new Template(system, user, schema,
          sha256(system + "\0" + user + "\0" + (schema == null ? "" : schema)).substring(0, 16)));
    }
    return new Prompts(family, t);
  }

  /** The prompts folder a recipe's {@code llm} section names ({@code llm.prompts}), or null. */
  public static String dirOf(Map<String, Object> llmSection) {
    Object p = llmSection.get("prompts");
    return p == null || String.valueOf(p).isBlank() ? null : String.valueOf(p);
  }

  public String family() {
    return family;
  }

  public Template get(String stage) {
    Template t = templates.get(stage);
    if (t == null) {
      throw new IllegalArgumentException("no prompt for stage " + stage + " of " + family);
    }
    return t;
  }

  public boolean has(String stage) {
    return templates.containsKey(stage);
  }

  /** Stage to prompt version, for lineage. */
  public Map<String, String> versions() {
    Map<String, String> v = new LinkedHashMap<>();
    templates.forEach((k, t) -> v.put(k, t.version()));
    return v;
  }

  private static String read(String dir, String family, String stage, String file,
      boolean required) {
    Path p = Path.of(dir, family, stage, file);
    try {
      if (Files.isRegularFile(p)) {
        return Files.readString(p);
      }
      try (InputStream in = Prompts.class.getResourceAsStream(
          "/transforms/" + family + "/" + stage + "/" + file)) {
        if (in == null) {
          if (!required) {
            return null;
          }
          throw new InputException(p.toString(), null,
              "prompt file missing (and no built-in copy)");
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new InputException(p.toString(), null, "cannot read: " + e.getMessage());
    }
  }

  public static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
