package io.convoforge.family.groundedqa;

/**
 * The grounded Q&A family's payload in the record envelope, filled stage by stage: the {@code
 * chunk} (source), the extracted {@code pair} ({@code extract_qa}), its {@code validation}
 * ({@code validate_qa}), and the {@code persona} and {@code style} of the dialogue ({@code
 * converse}; the chunk is dropped then, its id stays in the pair).
 */
public record GroundedQa(Chunk chunk, QaPair pair, Validation validation, Persona persona,
    Style style) {

  public static GroundedQa of(Chunk chunk) {
    return new GroundedQa(chunk, null, null, null, null);
  }

  public GroundedQa withPair(QaPair p) {
    return new GroundedQa(chunk, p, validation, persona, style);
  }

  public GroundedQa withValidation(Validation v) {
    return new GroundedQa(chunk, pair, v, persona, style);
  }

  /** A dialogue's payload: the pair and its verdict, the persona and style; no chunk. */
  public GroundedQa forDialogue(Persona p, Style s) {
    return new GroundedQa(null, pair, validation, p, s);
  }
}
