package io.convoforge.core.view;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convoforge.core.util.Seeds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Supplier;

/**
 * A bounded, deterministic sample of records: the {@code size} ids with the smallest {@link
 * Seeds#hash} (bottom-k), so the sample is uniform over the dataset, the same on every call,
 * and independent of file order; a record is only built ({@code make}) when it enters the
 * sample.
 */
final class Sample {
  private record Entry(long hash, String id, ObjectNode record) {}

  private final int size;
  // Largest hash on top: the one to evict.
  private final PriorityQueue<Entry> heap = new PriorityQueue<>(
      Comparator.comparingLong(Entry::hash).thenComparing(Entry::id).reversed());

  Sample(int size) {
    this.size = size;
  }

  void offer(String id, Supplier<ObjectNode> make) {
    if (size <= 0) {
      return;
    }
    long h = Seeds.hash(id);
    if (heap.size() >= size) {
      Entry top = heap.peek();
      if (Long.compare(h, top.hash()) > 0 || h == top.hash() && id.compareTo(top.id()) >= 0) {
        return;
      }
      heap.poll();
    }
    heap.add(new Entry(h, id, make.get()));
  }

  int size() {
    return heap.size();
  }

  /** The sampled records, by id. */
  List<ObjectNode> sorted() {
    List<Entry> e = new ArrayList<>(heap);
    e.sort(Comparator.comparing(Entry::id));
    return e.stream().map(Entry::record).toList();
  }
}
