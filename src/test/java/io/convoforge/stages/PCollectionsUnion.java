package io.convoforge.stages;

import io.convoforge.model.Conversation;
import io.convoforge.model.JsonCoder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/** Test helper: flattens two conversation collections. */
final class PCollectionsUnion {
  private PCollectionsUnion() {}

  static PCollection<Conversation> of(PCollection<Conversation> a, PCollection<Conversation> b) {
    return PCollectionList.of(a).and(b).apply(Flatten.pCollections())
        .setCoder(JsonCoder.of(Conversation.class));
  }
}
