package io.convoforge.family.tooluse.backend;

import io.convoforge.core.model.RejectException;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.Plan;
import io.convoforge.family.tooluse.model.Turn;
import java.util.List;

/**
 * The LLM-facing work of the tool-use stages, one method per stage. The offline backend answers
 * deterministically from (run seed, element id, stage); LLM backends render the stage's prompt
 * template from {@code transforms/tool-use/<stage>/}, call the model with the expected output schema and
 * parse its answer. Stages validate whatever comes back, so a backend cannot smuggle a
 * schema-invalid call into the output.
 *
 * <p>One instance per DoFn instance (opened in {@code @Setup}, closed in {@code @Teardown}); not
 * required to be thread-safe. A method throws {@link RejectException} for a permanent failure of
 * the element; retriable transport errors are the backend's own business.
 */
public interface Generator extends AutoCloseable {

  /** Expands the conversation's task workflow into steps, seeds and handles. */
  Plan plan(Conversation c) throws RejectException;

  /**
   * Binds the plan's handles to keys, writes the seed rows ({@code initial_entities}) and every
   * executed step's arguments.
   */
  Conversation arguments(Conversation c) throws RejectException;

  /** Writes the dialogue: turns with user text, expected calls, results and replies. */
  List<Turn> utterances(Conversation c) throws RejectException;

  @Override
  default void close() {}
}
