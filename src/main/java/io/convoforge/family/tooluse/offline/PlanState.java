package io.convoforge.family.tooluse.offline;

import io.convoforge.family.tooluse.schema.Column;
import io.convoforge.family.tooluse.schema.Table;
import io.convoforge.family.tooluse.schema.TablesSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The planning state of one conversation: the entities that exist at the current point (seeds
 * and created rows, by handle), the seeds that must exist beforehand and their references, and
 * which entities the user has named (created, found or read in the conversation). Handles are
 * {@code Table#n}; markers stand for keys no row has: {@code ?Table} (a key nobody issued) and
 * {@code ~Table#n} (the key of {@code Table#n} one character off). Mutable; one per plan.
 */
final class PlanState {
  static final String MISSING = "?";
  static final String TYPO = "~";

  final TablesSchema schema;
  final Map<String, List<String>> available = new HashMap<>();
  final Map<String, List<String>> seedsByTable = new HashMap<>();
  final LinkedHashMap<String, String> seeds = new LinkedHashMap<>();
  final LinkedHashMap<String, Map<String, String>> seedRefs = new LinkedHashMap<>();
  /** Foreign keys of every entity (seeds and created rows): column to handle. */
  final Map<String, Map<String, String>> refsOf = new HashMap<>();
  final Set<String> named = new HashSet<>();
  final Set<String> deleted = new HashSet<>();
  private final Map<String, Integer> counters = new HashMap<>();

  PlanState(TablesSchema schema) {
    this.schema = schema;
  }

  String newHandle(String table) {
    return table + "#" + counters.merge(table, 1, Integer::sum);
  }

  String latest(String table) {
    List<String> l = available.get(table);
    return l == null || l.isEmpty() ? null : l.get(l.size() - 1);
  }

  void add(String table, String handle, Map<String, String> refs) {
    available.computeIfAbsent(table, k -> new ArrayList<>()).add(handle);
    refsOf.put(handle, new LinkedHashMap<>(refs));
  }

  void delete(String handle) {
    List<String> l = available.get(tableOf(handle));
    if (l != null) {
      l.remove(handle);
    }
    deleted.add(handle);
  }

  boolean exists(String handle) {
    List<String> l = available.get(tableOf(handle));
    return l != null && l.contains(handle);
  }

  boolean isSeed(String handle) {
    return seeds.containsKey(handle);
  }

  /** The table a handle or marker names. */
  static String tableOf(String handle) {
    String h = handle.startsWith(MISSING) || handle.startsWith(TYPO) ? handle.substring(1)
        : handle;
    int at = h.indexOf('#');
    return at < 0 ? h : h.substring(0, at);
  }

  /**
   * A new seed of {@code table}, with seeds for the references its rows need. A {@code fresh}
   * seed takes new parents and no optional references, so that nothing the conversation deletes
   * is referenced by it.
   */
  String seed(String table, Random random, boolean fresh) {
    String handle = newHandle(table);
    seeds.put(handle, table);
    seedsByTable.computeIfAbsent(table, k -> new ArrayList<>()).add(handle);
    Table t = schema.table(table);
    Map<String, String> refs = new LinkedHashMap<>();
    for (Column fk : t.foreignKeys()) {
      List<String> existing = seedsByTable.get(fk.references());
      String pick = fresh || existing == null || existing.isEmpty() ? null
          : existing.get(existing.size() - 1);
      if (fk.references().equals(table) && handle.equals(pick)) {
        pick = null;
      }
      if (t.isRequired(fk.name())) {
        refs.put(fk.name(), pick != null ? pick : seed(fk.references(), random, fresh));
      } else if (pick != null && random.nextBoolean()) {
        refs.put(fk.name(), pick);
      }
    }
    seedRefs.put(handle, refs);
    add(table, handle, refs);
    return handle;
  }
}
