package io.convoforge.core.llm;

import com.google.genai.Client;
import com.google.genai.types.BatchJob;
import com.google.genai.types.BatchJobSource;
import com.google.genai.types.CreateBatchJobConfig;
import com.google.genai.types.InlinedRequest;
import com.google.genai.types.InlinedResponse;
import com.google.genai.types.JobError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The Gemini API's batch mode through the Gen AI SDK: {@code batches.create} with inlined
 * requests (the online path's contents and config, the cache key in each request's metadata),
 * results inlined in the finished job. Inlined requests are limited to 20 MB a batch; a result
 * without metadata is matched by position (requests go in key order, as the manifest lists them).
 */
final class GeminiBatches extends GenAiBatches {
  static final String KEY = "convoforge_key";

  GeminiBatches(Client client) {
    super(client);
  }

  @Override
  public int maxRequests() {
    return 50_000;
  }

  @Override
  public long maxBytes() {
    return 19_000_000L;
  }

  @Override
  public String submit(String manifestId, String model, SortedMap<String, LlmRequest> requests)
      throws LlmException {
    List<InlinedRequest> inlined = new ArrayList<>();
    for (Map.Entry<String, LlmRequest> e : requests.entrySet()) {
      inlined.add(InlinedRequest.builder()
          .contents(GenAiClient.contents(e.getValue()))
          .config(GenAiClient.config(e.getValue()))
          .metadata(Map.of(KEY, e.getKey()))
          .build());
    }
    try {
      BatchJob job = client.batches.create(model,
          BatchJobSource.builder().inlinedRequests(inlined).build(),
          CreateBatchJobConfig.builder().displayName(manifestId).build());
      return job.name().orElseThrow(() -> new LlmException(LlmException.Kind.TRANSIENT,
          "the created batch has no name", -1));
    } catch (RuntimeException e) {
      throw GenAiClient.failure(e);
    }
  }

  @Override
  public Results results(Polled finished, String manifestId, Map<String, LlmRequest> known) {
    BatchJob job = (BatchJob) finished.handle();
    List<InlinedResponse> got = job.dest().flatMap(d -> d.inlinedResponses()).orElse(List.of());
    List<String> order = new ArrayList<>(new java.util.TreeSet<>(known.keySet()));
    Map<String, Line> lines = new HashMap<>();
    int unreadable = 0;
    for (int i = 0; i < got.size(); i++) {
      InlinedResponse r = got.get(i);
      String key = r.metadata().map(m -> m.get(KEY)).orElse(null);
      if (key == null && got.size() == order.size()) {
        key = order.get(i);
      }
      if (key == null) {
        unreadable++;
        continue;
      }
      if (r.error().isPresent()) {
        JobError e = r.error().get();
        lines.put(key, Line.failed(kindOfCode(e.code().orElse(null)),
            "error " + e.code().map(String::valueOf).orElse("") + " "
                + e.message().orElse("")));
      } else if (r.response().isPresent()) {
        lines.put(key, Line.ok(GenAiClient.reply(r.response().get())));
      } else {
        lines.put(key, Line.failed(LlmException.Kind.TRANSIENT, "malformed result line"));
      }
    }
    return new Results(lines, unreadable);
  }
}
