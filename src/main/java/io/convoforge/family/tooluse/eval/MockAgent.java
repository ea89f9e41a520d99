package io.convoforge.family.tooluse.eval;

import io.convoforge.core.model.ToolCall;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.Turn;

/**
 * The mock baseline: replays each turn's expected calls and answers with the expected text. It
 * must score 100 % on a verified dataset; anything less is a defect of the dataset or sandbox.
 */
public final class MockAgent implements Agent {
  @Override
  public String name() {
    return "mock";
  }

  @Override
  public Session start(Conversation c) {
    int[] turn = {0};
    return (user, tools) -> {
      Turn t = c.turns().get(turn[0]++);
      for (ToolCall call : t.expectedToolCalls()) {
        tools.apply(ToolCall.of(call.name(), call.arguments()));
      }
      return Reply.of(t.responseText());
    };
  }
}
