package io.convoforge.core.llm;

import com.google.genai.Client;
import com.google.genai.Pager;
import com.google.genai.types.BatchJob;
import com.google.genai.types.JobState;
import com.google.genai.types.ListBatchJobsConfig;

/**
 * What the Gemini API's batches and Vertex AI's batch prediction jobs share through the Gen AI
 * SDK's {@code client.batches}: a batch job labelled with its manifest id ({@code displayName}),
 * found by listing, polled with {@code batches.get}. Submitting and reading results differ:
 * {@link GeminiBatches}, {@link VertexBatches}.
 */
abstract class GenAiBatches implements BatchApi {
  private static final int LISTED = 1000;

  protected final Client client;

  GenAiBatches(Client client) {
    this.client = client;
  }

  /** The most recent batch jobs (up to a thousand) named after the manifest. */
  @Override
  public String find(String manifestId) throws LlmException {
    try {
      Pager<BatchJob> jobs = client.batches.list(ListBatchJobsConfig.builder().pageSize(100)
          .build());
      int seen = 0;
      for (BatchJob j : jobs) {
        if (manifestId.equals(j.displayName().orElse(null))) {
          return j.name().orElse(null);
        }
        if (++seen >= LISTED) {
          break;
        }
      }
      return null;
    } catch (RuntimeException e) {
      throw GenAiClient.failure(e);
    }
  }

  @Override
  public Polled poll(String batchId) throws LlmException {
    BatchJob j;
    try {
      j = client.batches.get(batchId, null);
    } catch (RuntimeException e) {
      throw GenAiClient.failure(e);
    }
    JobState.Known s = j.state().map(JobState::knownEnum)
        .orElse(JobState.Known.JOB_STATE_UNSPECIFIED);
    State state = switch (s) {
      case JOB_STATE_SUCCEEDED, JOB_STATE_PARTIALLY_SUCCEEDED -> State.SUCCEEDED;
      case JOB_STATE_FAILED -> State.FAILED;
      case JOB_STATE_CANCELLED -> State.CANCELLED;
      case JOB_STATE_EXPIRED -> State.EXPIRED;
      default -> State.RUNNING;
    };
    String detail = j.error().flatMap(e -> e.message()).orElse(null);
    return new Polled(state, detail, j);
  }

  /** The kind of a job error's code (a google.rpc code or an HTTP status). */
  static LlmException.Kind kindOfCode(Integer code) {
    if (code == null) {
      return LlmException.Kind.TRANSIENT;
    }
    return switch (code) {
      // google.rpc.Code: INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED, FAILED_PRECONDITION,
      // OUT_OF_RANGE, UNAUTHENTICATED.
      case 3, 5, 7, 9, 11, 16 -> LlmException.Kind.PERMANENT;
      default -> code >= 400 ? LlmException.kindOf(code) : LlmException.Kind.TRANSIENT;
    };
  }
}
