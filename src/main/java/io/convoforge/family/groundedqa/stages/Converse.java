package io.convoforge.family.groundedqa.stages;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.model.Message;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.RejectException;
import io.convoforge.core.stages.ModelFn;
import io.convoforge.core.stages.RecordStage;
import io.convoforge.core.stages.StageResult;
import io.convoforge.core.util.Seeds;
import io.convoforge.family.groundedqa.DialogueWriter;
import io.convoforge.family.groundedqa.GroundedQa;
import io.convoforge.family.groundedqa.GroundedQaContext;
import io.convoforge.family.groundedqa.Grounding;
import io.convoforge.family.groundedqa.Persona;
import io.convoforge.family.groundedqa.QaPair;
import io.convoforge.family.groundedqa.Style;
import io.convoforge.family.groundedqa.Utterance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.beam.sdk.values.PCollection;

/**
 * Turns each passed pair into {@code conversations_per_qa} dialogues (a fan-out), each with a
 * persona and a style drawn from (run seed, pair id, "converse"): personas interested in the
 * pair's heading when any is (topic match), taken in turn from a random start so that one pair's
 * dialogues have different personas while there are enough; styles at random. Offline the {@link
 * DialogueWriter} writes the dialogue from the phrase bank in the persona's style; on an LLM
 * backend the {@code converse} prompt, checked: user and assistant alternate from the user to
 * the assistant, the length is within {@code turns}, and every number, amount, date and time of
 * the answer is stated.
 *
 * <p>In: validated pairs. Out: one dialogue per draw (id {@code <pair id>-d<k>}; slice: heading,
 * persona, style). Failures: the model path's reasons, per dialogue.
 */
public final class Converse extends RecordStage<GroundedQa, GroundedQa> {
  public static final String STAGE = DialogueWriter.STAGE;
  /** Slice keys. */
  public static final String PERSONA = "persona";
  public static final String STYLE = "style";
  private final GroundedQaContext ctx;

  private Converse(GroundedQaContext ctx) {
    super("Converse");
    this.ctx = ctx;
  }

  public static Converse using(GroundedQaContext ctx) {
    return new Converse(ctx);
  }

  @Override
  public StageResult<GroundedQa> expand(PCollection<Record<GroundedQa>> input) {
    return applyFn(input, "Converse", new ConverseFn(ctx), ctx.run().backend());
  }

  static final class ConverseFn extends ModelFn<GroundedQa, GroundedQa> {
    private final GroundedQaContext ctx;

    ConverseFn(GroundedQaContext ctx) {
      super(STAGE, ctx.run().backend(), ctx.prompts(), ctx.run().runId());
      this.ctx = ctx;
    }

    @Override
    protected void process(Record<GroundedQa> r, Emitter<GroundedQa> emit) {
      QaPair pair = r.payload().pair();
      SplittableRandom random = new SplittableRandom(Seeds.of(ctx.run().seed(), pair.id(),
          STAGE));
      List<Persona> personas = ctx.personasFor(pair.heading());
      int start = random.nextInt(personas.size());
      for (int k = 0; k < ctx.conversationsPerQa(); k++) {
        Persona persona = personas.get((start + k) % personas.size());
        Style style = ctx.styles().get(random.nextInt(ctx.styles().size()));
        Record<GroundedQa> child = r.child(pair.id() + "-d" + k,
            r.payload().forDialogue(persona, style))
            .withSlice(PERSONA, persona.id()).withSlice(STYLE, style.id());
        try {
          emit.output(child.withMessages(session() == null ? offline(pair, persona, style)
              : ask(pair, persona, style, child.id())));
        } catch (RejectException e) {
          emit.reject(child, STAGE, e);
        }
      }
    }

    private List<Message> offline(QaPair pair, Persona persona, Style style) {
      List<Message> out = new ArrayList<>();
      for (Utterance u : DialogueWriter.write(pair, persona, style, ctx.minMessages(),
          ctx.maxMessages(), ctx.run().seed(), ctx.phrases())) {
        out.add(Message.of(u.role(), u.text()));
      }
      return out;
    }

    private List<Message> ask(QaPair pair, Persona persona, Style style, String id)
        throws RejectException {
      Map<String, String> vars = new LinkedHashMap<>();
      vars.put("question", pair.question());
      vars.put("answer", pair.answer());
      vars.put("evidence", pair.evidence());
      vars.put("heading", pair.heading());
      vars.put("persona", persona.name() + ", " + persona.role());
      vars.put("style", style.id() + ": " + style.description());
      vars.put("min_messages", String.valueOf(ctx.minMessages()));
      vars.put("max_messages", String.valueOf(ctx.maxMessages()));
      JsonNode answer = session().ask(STAGE, vars, id, a -> check(a, pair));
      List<Message> out = new ArrayList<>();
      for (JsonNode m : answer.path("messages")) {
        out.add(Message.of(m.path("role").asText(), m.path("text").asText()));
      }
      return out;
    }

    /** Alternation from user to assistant, length within bounds, the answer's facts stated. */
    private List<String> check(JsonNode answer, QaPair pair) {
      List<String> errs = new ArrayList<>();
      JsonNode messages = answer.path("messages");
      int n = messages.size();
      if (n < ctx.minMessages() || n > ctx.maxMessages()) {
        errs.add("give " + ctx.minMessages() + " to " + ctx.maxMessages() + " messages, not " + n);
      }
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < n; i++) {
        String expected = i % 2 == 0 ? Utterance.USER : Utterance.ASSISTANT;
        if (!expected.equals(messages.get(i).path("role").asText())) {
          errs.add("message " + (i + 1) + " must be the " + expected + "'s");
          break;
        }
        text.append(messages.get(i).path("text").asText()).append('\n');
      }
      if (n % 2 == 1) {
        errs.add("end with the assistant's message");
      }
      List<String> missing = Grounding.missingKeyFacts(pair.answer(), text.toString());
      if (!missing.isEmpty()) {
        errs.add("state the answer's facts exactly; missing: " + String.join(", ", missing));
      }
      return errs;
    }
  }
}
