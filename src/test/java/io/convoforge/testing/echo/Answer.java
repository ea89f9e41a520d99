package io.convoforge.testing.echo;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.llm.Backend;
import io.convoforge.core.llm.Prompts;
import io.convoforge.core.model.Message;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.RejectException;
import io.convoforge.core.stages.ModelFn;
import io.convoforge.core.stages.RecordStage;
import io.convoforge.core.stages.StageResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.values.PCollection;

/** The echo family's model-facing stage: the assistant's reply (offline: in capitals). */
final class Answer extends RecordStage<String, String> {
  private final Backend backend;
  private final Prompts prompts;
  private final String runId;

  Answer(Backend backend, Prompts prompts, String runId) {
    super("Answer");
    this.backend = backend;
    this.prompts = prompts;
    this.runId = runId;
  }

  @Override
  public StageResult<String> expand(PCollection<Record<String>> input) {
    return applyFn(input, "Answer", new AnswerFn(this), backend);
  }

  static final class AnswerFn extends ModelFn<String, String> {
    AnswerFn(Answer spec) {
      super("answer", spec.backend, spec.prompts, spec.runId);
    }

    @Override
    protected void process(Record<String> r, Emitter<String> emit) throws RejectException {
      String reply;
      if (session() == null) {
        reply = r.payload().toUpperCase(Locale.ROOT);
      } else {
        JsonNode a = session().ask("answer", Map.of("text", r.payload()), r.id(),
            n -> n.path("reply").asText().isBlank() ? List.of("reply is empty") : List.of());
        reply = a.path("reply").asText();
      }
      List<Message> m = new ArrayList<>(r.messages());
      m.add(Message.of(Message.ASSISTANT, reply));
      emit.output(r.withMessages(m));
    }
  }
}
