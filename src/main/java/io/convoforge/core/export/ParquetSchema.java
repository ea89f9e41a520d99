package io.convoforge.core.export;

import io.convoforge.core.model.Json;
import io.convoforge.core.model.Judgement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Parquet schema of exported examples (documented in {@code docs/view-and-export.md}), one
 * definition giving the DuckDB column types, the Hugging Face {@code features} of the dataset
 * card, and each example's row: {@code id}, {@code split}, {@code recipe}, {@code kind}, one
 * {@code slice_<key>} string column per slice key of the dataset (sorted), {@code messages} (a
 * list of {@code role}, {@code content}, {@code timestamp}, {@code tool_calls} — {@code id},
 * {@code type}, {@code function} {@code {name, arguments}}, arguments a JSON string — {@code
 * tool_call_id}, {@code name}), {@code tools} (the functions offered, a JSON string), {@code
 * judge_passed}, {@code judge_score}, {@code judge_criteria} (a list of {@code name}, {@code
 * passed}, {@code detail}), {@code lineage} (a JSON string). Lists of structs rather than maps,
 * so every column has the same type in every family and in the Hub's viewer.
 */
public final class ParquetSchema {
  /** A column: a scalar {@code dtype} (string, bool, float64), or a struct, or a list of one. */
  public record Field(String name, String dtype, List<Field> struct, boolean list) {
    static Field scalar(String name, String dtype) {
      return new Field(name, dtype, null, false);
    }

    static Field struct(String name, Field... fields) {
      return new Field(name, null, List.of(fields), false);
    }

    static Field listOf(String name, Field... fields) {
      return new Field(name, null, List.of(fields), true);
    }
  }

  private final List<String> sliceKeys;
  private final List<Field> fields;

  /** The schema of a dataset whose records have {@code sliceKeys} (sorted, distinct). */
  public ParquetSchema(List<String> sliceKeys) {
    this.sliceKeys = List.copyOf(sliceKeys);
    List<Field> f = new ArrayList<>();
    f.add(Field.scalar("id", "string"));
    f.add(Field.scalar("split", "string"));
    f.add(Field.scalar("recipe", "string"));
    f.add(Field.scalar("kind", "string"));
    for (String k : sliceKeys) {
      f.add(Field.scalar(sliceColumn(k), "string"));
    }
    f.add(Field.listOf("messages", Field.scalar("role", "string"),
        Field.scalar("content", "string"), Field.scalar("timestamp", "string"),
        Field.listOf("tool_calls", Field.scalar("id", "string"), Field.scalar("type", "string"),
            Field.struct("function", Field.scalar("name", "string"),
                Field.scalar("arguments", "string"))),
        Field.scalar("tool_call_id", "string"), Field.scalar("name", "string")));
    f.add(Field.scalar("tools", "string"));
    f.add(Field.scalar("judge_passed", "bool"));
    f.add(Field.scalar("judge_score", "float64"));
    f.add(Field.listOf("judge_criteria", Field.scalar("name", "string"),
        Field.scalar("passed", "bool"), Field.scalar("detail", "string")));
    f.add(Field.scalar("lineage", "string"));
    this.fields = List.copyOf(f);
  }

  public List<Field> fields() {
    return fields;
  }

  /** The column of a slice key: {@code slice_} and the key in lower snake case. */
  public static String sliceColumn(String key) {
    return "slice_" + key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
  }

  /** DuckDB's {@code columns={...}} argument of read_json for these fields. */
  public String duckdbColumns() {
    StringBuilder sb = new StringBuilder("{");
    for (Field f : fields) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append('\'').append(f.name()).append("': '").append(duckdbType(f)).append('\'');
    }
    return sb.append('}').toString();
  }

  static String duckdbType(Field f) {
    String t;
    if (f.struct() == null) {
      t = switch (f.dtype()) {
        case "bool" -> "BOOLEAN";
        case "float64" -> "DOUBLE";
        default -> "VARCHAR";
      };
    } else {
      StringBuilder sb = new StringBuilder("STRUCT(");
      for (int i = 0; i < f.struct().size(); i++) {
        Field c = f.struct().get(i);
        sb.append(i == 0 ? "" : ", ").append('"').append(c.name()).append("\" ")
            .append(duckdbType(c));
      }
      t = sb.append(')').toString();
    }
    return f.list() ? t + "[]" : t;
  }

  /** The Hugging Face {@code dataset_info.features} of these fields. */
  public List<Object> hfFeatures() {
    List<Object> out = new ArrayList<>();
    for (Field f : fields) {
      out.add(hfFeature(f));
    }
    return out;
  }

  private static Map<String, Object> hfFeature(Field f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", f.name());
    if (f.struct() == null) {
      m.put("dtype", f.dtype());
      return m;
    }
    List<Object> sub = new ArrayList<>();
    for (Field c : f.struct()) {
      sub.add(hfFeature(c));
    }
    m.put(f.list() ? "list" : "struct", sub);
    return m;
  }

  /**
   * The row of an example, without its {@code split} (added when the split is known); slice
   * columns for the record's own keys (other columns read as null).
   */
  public static Map<String, Object> row(Chat chat, String toolsJson) {
    var r = chat.record();
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", r.id());
    row.put("recipe", r.recipe());
    row.put("kind", r.kind());
    r.slice().forEach((k, v) -> row.put(sliceColumn(k), v));
    List<Map<String, Object>> messages = new ArrayList<>();
    for (Chat.Msg m : chat.messages()) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("role", m.role());
      o.put("content", m.content());
      o.put("timestamp", m.timestamp());
      if (m.calls() != null) {
        List<Map<String, Object>> calls = new ArrayList<>();
        for (Chat.Call c : m.calls()) {
          Map<String, Object> fn = new LinkedHashMap<>();
          fn.put("name", c.name());
          fn.put("arguments", c.arguments());
          Map<String, Object> tc = new LinkedHashMap<>();
          tc.put("id", c.id());
          tc.put("type", "function");
          tc.put("function", fn);
          calls.add(tc);
        }
        o.put("tool_calls", calls);
      }
      o.put("tool_call_id", m.callId());
      o.put("name", m.name());
      messages.add(o);
    }
    row.put("messages", messages);
    row.put("tools", toolsJson);
    Judgement j = r.judgement();
    if (j != null) {
      row.put("judge_passed", j.passed());
      row.put("judge_score", j.score());
      List<Map<String, Object>> criteria = new ArrayList<>();
      if (j.criteria() != null) {
        new java.util.TreeMap<>(j.criteria()).forEach((name, c) -> {
          Map<String, Object> o = new LinkedHashMap<>();
          o.put("name", name);
          o.put("passed", c.passed());
          o.put("detail", c.detail());
          criteria.add(o);
        });
      }
      row.put("judge_criteria", criteria);
    }
    row.put("lineage", Json.write(r.lineage()));
    return row;
  }
}
