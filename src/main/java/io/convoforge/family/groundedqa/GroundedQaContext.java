package io.convoforge.family.groundedqa;

import io.convoforge.core.family.RunContext;
import io.convoforge.core.llm.Prompts;
import io.convoforge.core.model.RecordCoder;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.List;

/**
 * Everything a grounded Q&A stage needs besides its input, read once by the launcher: the run,
 * the document's date of truth ({@code as_of}), the personas and styles, the phrase bank, the
 * prompts and the recipe's counts. Plain serializable values; never a secret.
 */
public record GroundedQaContext(
    RunContext run,
    LocalDate asOf,
    List<Persona> personas,
    List<Style> styles,
    PhraseBank phrases,
    Prompts prompts,
    int qaPerChunk,
    int conversationsPerQa,
    int minMessages,
    int maxMessages) implements Serializable {

  /** The coder of every record of the family. */
  public static final RecordCoder<GroundedQa> CODER = RecordCoder.of(GroundedQa.class);

  public GroundedQaContext {
    personas = List.copyOf(personas);
    styles = List.copyOf(styles);
    if (qaPerChunk < 1 || conversationsPerQa < 1) {
      throw new IllegalArgumentException("qa_per_chunk and conversations_per_qa must be >= 1");
    }
  }

  /** The personas interested in a heading (all when none is). */
  public List<Persona> personasFor(String heading) {
    return new Personas(personas, styles).forHeading(heading);
  }
}
