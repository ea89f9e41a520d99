package io.convoforge.family.tooluse.sandbox;

import io.convoforge.family.tooluse.schema.Column;
import io.convoforge.family.tooluse.schema.Table;
import io.convoforge.family.tooluse.schema.TablesSchema;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The DDL of a sandbox database, generated from any tables schema: one table per schema table,
 * the primary key, NOT NULL for required columns, UNIQUE for {@code x-unique}, CHECK constraints
 * for enum, minimum, maximum, minLength, maxLength and pattern (H2's {@code REGEXP_LIKE}), and
 * FOREIGN KEY ... REFERENCES for {@code x-references}. Every CHECK is named {@code CF_CK_<n>} so
 * a violation maps back to its column and a readable rule. A hidden {@code __seq} column keeps
 * insertion order, which search results follow (as the offline writer's memory store does).
 */
public final class SandboxDdl implements Serializable {
  static final String SEQ = "__seq";

  /** One named CHECK constraint: the column it guards and the rule in words. */
  public record Check(String table, String column, String rule) implements Serializable {}

  private final List<String> statements;
  private final List<Check> checks;
  private final List<String> tableOrder;

  private SandboxDdl(List<String> statements, List<Check> checks, List<String> tableOrder) {
    this.statements = statements;
    this.checks = checks;
    this.tableOrder = tableOrder;
  }

  public static SandboxDdl of(TablesSchema schema) {
    List<String> out = new ArrayList<>();
    List<Check> checks = new ArrayList<>();
    List<String> fks = new ArrayList<>();
    int fkIndex = 0;
    int ukIndex = 0;
    for (Table t : schema.tables().values()) {
      List<String> parts = new ArrayList<>();
      parts.add(q(SEQ) + " BIGINT NOT NULL");
      for (Column c : t.columns().values()) {
        StringBuilder col = new StringBuilder(q(c.name())).append(' ').append(sqlType(c));
        if (c.name().equals(t.primaryKey()) || t.isRequired(c.name())) {
          col.append(" NOT NULL");
        }
        for (String[] rule : rules(c)) {
          col.append(" CONSTRAINT ").append(q("CF_CK_" + checks.size()))
              .append(" CHECK (").append(rule[0]).append(')');
          checks.add(new Check(t.name(), c.name(), rule[1]));
        }
        parts.add(col.toString());
        if (c.unique() && !c.name().equals(t.primaryKey())) {
          parts.add("CONSTRAINT " + q("CF_UK_" + ukIndex++) + " UNIQUE (" + q(c.name()) + ")");
        }
        if (c.isForeignKey() && schema.hasTable(c.references())) {
          Table parent = schema.table(c.references());
          fks.add("ALTER TABLE " + q(t.name()) + " ADD CONSTRAINT " + q("CF_FK_" + fkIndex++)
              + " FOREIGN KEY (" + q(c.name()) + ") REFERENCES " + q(parent.name()) + " ("
              + q(parent.primaryKey()) + ")");
        }
      }
      parts.add("PRIMARY KEY (" + q(t.primaryKey()) + ")");
      out.add("CREATE TABLE " + q(t.name()) + " (" + String.join(", ", parts) + ")");
    }
    out.addAll(fks);
    return new SandboxDdl(List.copyOf(out), List.copyOf(checks), parentsFirst(schema));
  }

  public List<String> statements() {
    return statements;
  }

  public Check check(int index) {
    return index >= 0 && index < checks.size() ? checks.get(index) : null;
  }

  /** Table names ordered so that referenced tables come before the tables referencing them. */
  public List<String> tableOrder() {
    return tableOrder;
  }

  static String sqlType(Column c) {
    switch (c.type()) {
      case "integer":
        return "BIGINT";
      case "number":
        return "DOUBLE PRECISION";
      case "boolean":
        return "BOOLEAN";
      default:
        return "VARCHAR";
    }
  }

  /** The CHECK rules of a column: [sql, words]. */
  private static List<String[]> rules(Column c) {
    List<String[]> out = new ArrayList<>();
    String col = q(c.name());
    if (c.enumValues() != null && !"boolean".equals(c.type())) {
      List<String> vals = new ArrayList<>();
      for (Object v : c.enumValues()) {
        vals.add(v instanceof Number ? v.toString() : lit(String.valueOf(v)));
      }
      out.add(new String[] {col + " IN (" + String.join(", ", vals) + ")",
          "must be one of " + c.enumValues()});
    }
    boolean numeric = "integer".equals(c.type()) || "number".equals(c.type());
    if (numeric && c.minimum() != null) {
      out.add(new String[] {col + " >= " + num(c.minimum()), "must be at least "
          + num(c.minimum())});
    }
    if (numeric && c.maximum() != null) {
      out.add(new String[] {col + " <= " + num(c.maximum()), "must be at most "
          + num(c.maximum())});
    }
    if (c.isString() && c.minLength() != null) {
      out.add(new String[] {"CHAR_LENGTH(" + col + ") >= " + c.minLength(),
          "must be at least " + c.minLength() + " characters long"});
    }
    if (c.isString() && c.maxLength() != null) {
      out.add(new String[] {"CHAR_LENGTH(" + col + ") <= " + c.maxLength(),
          "must be at most " + c.maxLength() + " characters long"});
    }
    if (c.isString() && c.pattern() != null) {
      out.add(new String[] {"REGEXP_LIKE(" + col + ", " + lit(c.pattern()) + ")",
          "must match the pattern " + c.pattern()});
    }
    return out;
  }

  private static List<String> parentsFirst(TablesSchema schema) {
    List<String> order = new ArrayList<>();
    Set<String> done = new HashSet<>();
    Map<String, Table> tables = new LinkedHashMap<>(schema.tables());
    for (String name : tables.keySet()) {
      visit(name, schema, done, new HashSet<>(), order);
    }
    return List.copyOf(order);
  }

  private static void visit(String name, TablesSchema schema, Set<String> done, Set<String> path,
      List<String> order) {
    if (done.contains(name) || !path.add(name)) {
      return; // visited, or a cycle: the cycle's rows are inserted in declaration order
    }
    for (Column fk : schema.table(name).foreignKeys()) {
      if (schema.hasTable(fk.references())) {
        visit(fk.references(), schema, done, path, order);
      }
    }
    done.add(name);
    order.add(name);
  }

  static String q(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  private static String lit(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private static String num(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
  }
}
