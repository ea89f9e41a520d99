package io.convoforge.family.scenario.offline;

import io.convoforge.family.scenario.model.Role;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of an offline call: the agent's move at each of its turns, chosen from the number of
 * turns, who opens, and how many progression steps lead to the outcome. The client's moves are
 * not planned: each answers the agent's previous move (see {@link Move#reply}).
 *
 * <p>Stages in order: greeting and identification, the client's intent, the agent's
 * acknowledgement, the progression steps (with filler exchanges when there are more turns than
 * steps, several steps in one message when there are fewer), the resolution (the outcome), a
 * recap of the outcome, the closing. Short calls merge the last three, and give up first the
 * fillers, then separate step messages, the acknowledgement and the identification. The outcome is always
 * spoken within the last third of the call (the recap, or the client's reply to it).
 */
final class CallScript implements Serializable {
  /** What a message does. */
  enum Move {
    GREETING, GREETING_REPLY, ASK_IDENTITY, ACKNOWLEDGE, STEP, FILLER, RESOLUTION, RECAP,
    RECAP_CLOSE, RESOLUTION_CLOSE, CLOSING,
    // Client moves.
    OPENING, INTENT, IDENTITY, DETAIL, STEP_REPLY, FILLER_REPLY, CONFIRM, NOTHING_ELSE, GOODBYE;

    /** The client's answer to this agent move. */
    Move reply() {
      switch (this) {
        case GREETING:
          return INTENT;
        case GREETING_REPLY:
        case ASK_IDENTITY:
          return IDENTITY;
        case ACKNOWLEDGE:
          return DETAIL;
        case STEP:
          return STEP_REPLY;
        case FILLER:
          return FILLER_REPLY;
        case RESOLUTION:
          return CONFIRM;
        case RECAP:
          return NOTHING_ELSE;
        default:
          return GOODBYE;
      }
    }
  }

  final Role first;
  final int turns;
  /** Agent moves by agent turn; for STEP, stepFrom/stepTo (exclusive) index the steps; for FILLER, the filler's ordinal in the call. */
  final Move[] agent;
  final int[] stepFrom;
  final int[] stepTo;
  /** Whether the agent asks for details; when not, the client gives them with the intent. */
  final boolean acknowledges;

  /**
   * @param steps the progression's steps before the outcome (may be 0)
   */
  CallScript(Role first, int turns, int steps) {
    this.first = first;
    this.turns = turns;
    int agentTurns = first == Role.AGENT ? (turns + 1) / 2 : turns / 2;
    List<Move> tail = agentTurns >= 4 ? List.of(Move.RESOLUTION, Move.RECAP, Move.CLOSING)
        : agentTurns == 3 ? List.of(Move.RESOLUTION, Move.RECAP_CLOSE)
        : List.of(Move.RESOLUTION_CLOSE);
    int slots = agentTurns - 1 - tail.size();
    // Priority when turns are short: one step message, identification, the acknowledgement
    // (which draws the scenario's detail), one message per step, then filler exchanges.
    int stepMessages = Math.min(steps, Math.min(1, slots));
    int left = slots - stepMessages;
    List<Move> intro = new ArrayList<>();
    if (first == Role.AGENT && left > 0) {
      intro.add(Move.ASK_IDENTITY);
      left--;
    }
    if (left > 0) {
      intro.add(Move.ACKNOWLEDGE);
      left--;
    }
    int more = Math.min(steps - stepMessages, left);
    stepMessages += more;
    int fillers = left - more;
    acknowledges = intro.contains(Move.ACKNOWLEDGE);

    agent = new Move[agentTurns];
    stepFrom = new int[agentTurns];
    stepTo = new int[agentTurns];
    int a = 0;
    agent[a++] = first == Role.AGENT ? Move.GREETING : Move.GREETING_REPLY;
    for (Move m : intro) {
      agent[a++] = m;
    }
    // Fillers go into the gaps before each step message and after the last, evenly.
    int gaps = stepMessages + 1;
    int filler = 0;
    int step = 0;
    for (int g = 0; g < gaps; g++) {
      int inGap = fillers / gaps + (g < fillers % gaps ? 1 : 0);
      for (int k = 0; k < inGap; k++) {
        stepFrom[a] = filler++;
        agent[a++] = Move.FILLER;
      }
      if (g < stepMessages) {
        int take = steps / stepMessages + (g < steps % stepMessages ? 1 : 0);
        stepFrom[a] = step;
        stepTo[a] = step + take;
        step += take;
        agent[a++] = Move.STEP;
      }
    }
    for (Move m : tail) {
      agent[a++] = m;
    }
  }

  /** The agent's move at message {@code index}, or the client's answer to the agent's previous. */
  Move move(int index) {
    if (first == Role.CLIENT && index == 0) {
      return Move.OPENING;
    }
    Move m = agent[agentTurn(index)];
    return Role.at(first, index) == Role.AGENT ? m : m.reply();
  }

  /** The agent turn of message {@code index} if the agent speaks it, else of the one before. */
  int agentTurn(int index) {
    return first == Role.AGENT ? index / 2 : (index - 1) / 2;
  }
}
