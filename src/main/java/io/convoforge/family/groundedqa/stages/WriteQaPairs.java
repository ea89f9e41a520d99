package io.convoforge.family.groundedqa.stages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.Rejected;
import io.convoforge.core.stages.StageResult;
import io.convoforge.family.groundedqa.GroundedQa;
import io.convoforge.family.groundedqa.QaPair;
import io.convoforge.family.groundedqa.Validation;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Writes every pair {@link ValidateQa} saw, passed or not, to {@code qa_pairs*.jsonl}: the pair
 * ({@code id}, {@code chunk_id}, {@code heading}, {@code question}, {@code answer}, {@code
 * evidence}) with {@code passed}, {@code reasons} and {@code detail}.
 */
public final class WriteQaPairs extends PTransform<StageResult<GroundedQa>, PDone> {
  private final String dir;

  private WriteQaPairs(String dir) {
    super("WriteQaPairs");
    this.dir = dir;
  }

  public static WriteQaPairs to(String dir) {
    return new WriteQaPairs(dir);
  }

  @Override
  public PDone expand(StageResult<GroundedQa> validated) {
    PCollection<String> passed = validated.output().apply("PassedToJson",
        MapElements.into(TypeDescriptors.strings())
            .via((Record<GroundedQa> r) -> line(r.payload().pair(), r.payload().validation())));
    PCollection<String> failed = validated.failures().apply("FailedToJson",
        MapElements.into(TypeDescriptors.strings()).via((Rejected r) -> {
          JsonNode p = r.element().path("payload");
          return line(Json.MAPPER.convertValue(p.path("pair"), QaPair.class),
              Json.MAPPER.convertValue(p.path("validation"), Validation.class));
        }));
    return PCollectionList.of(passed).and(failed)
        .apply("AllPairs", Flatten.pCollections())
        .apply("WriteQaPairs", TextIO.write().to(dir + "/qa_pairs").withSuffix(".jsonl"));
  }

  static String line(QaPair pair, Validation v) {
    ObjectNode n = Json.MAPPER.valueToTree(pair);
    n.put("passed", v.passed());
    n.set("reasons", Json.MAPPER.valueToTree(v.reasons()));
    n.put("detail", v.detail());
    return Json.write(n);
  }
}
