/**
 * The grounded Q&A family: support dialogues in which customers ask about a facts document and
 * the assistant answers only what the document supports. Pure, deterministic components; the
 * pipeline stages that run them live elsewhere.
 *
 * <p>Flow: {@link io.convoforge.family.groundedqa.FactsDocument} cuts the markdown into {@link
 * io.convoforge.family.groundedqa.Chunk}s; {@link
 * io.convoforge.family.groundedqa.OfflineQaExtractor} (or an LLM with {@code
 * transforms/grounded-qa/extract_qa/}) makes {@link io.convoforge.family.groundedqa.QaPair}s;
 * {@link io.convoforge.family.groundedqa.Grounding} rejects pairs whose evidence is not verbatim,
 * whose answer states values the evidence lacks, or that mention dates after "as of" ({@link
 * io.convoforge.family.groundedqa.DateMentions}); {@link
 * io.convoforge.family.groundedqa.DialogueWriter} (or an LLM with {@code
 * transforms/grounded-qa/converse/}) turns a pair, a {@link
 * io.convoforge.family.groundedqa.Persona} and a {@link io.convoforge.family.groundedqa.Style}
 * from {@link io.convoforge.family.groundedqa.Personas} into {@link
 * io.convoforge.family.groundedqa.Utterance}s; {@link
 * io.convoforge.family.groundedqa.RubricRules} (or an LLM with {@code
 * transforms/grounded-qa/judge/}) scores them on {@code factual}, {@code natural}, {@code
 * on_topic} and {@code adds_value}.
 *
 * <p>Randomness always comes from {@code Seeds.of(runSeed, elementId, stage)}: stage {@code
 * extract_qa} with the chunk id, stage {@code converse} with {@code pairId/personaId/styleId}.
 */
package io.convoforge.family.groundedqa;

